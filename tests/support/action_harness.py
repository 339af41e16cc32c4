# -*- coding: utf-8 -*-
"""Build a real action plugin object around a fake connection, the way ansible.windows tests theirs."""

from __future__ import annotations

from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.task import Task
from ansible.template import Templar

from tests.support.windows.host import internal_args


def make_action(action_cls, args, host=None, check_mode=False, diff=False, shell_family='powershell',
                action_name='hkpost.ecert.unknown', connection=None):
    """``connection``: a connection plugin (tests/support/connections.py) for a plugin that reads its options;
    by default a stand-in whose authentication cannot be read."""
    task = MagicMock(Task)
    task.args = args
    task.check_mode = check_mode
    task.diff = diff
    task.async_val = 0
    task.action = action_name
    task.resolved_action = action_name
    task.no_log = False
    task.get_search_path.return_value = []
    if connection is None:
        connection = MagicMock()
        connection._shell.SHELL_FAMILY = shell_family
    play_context = MagicMock()
    play_context.check_mode = check_mode
    loader = DataLoader()
    plugin = action_cls(task, connection, play_context, loader, Templar(loader=loader), shared_loader_obj=None)
    if host is not None:
        def execute_module(module_name=None, module_args=None, task_vars=None, **_kwargs):
            # The real _execute_module adds the _ansible_* arguments (check mode among them) before
            # the module runs; win_powershell reads check mode from them.
            module_args = dict(module_args or {}, **internal_args(task.check_mode, task.diff, task.no_log,
                                                                  module_name))
            return host.execute_module(module_name, module_args, task_vars)
        plugin._execute_module = execute_module
    return plugin


def run_action(action_cls, args, host=None, task_vars=None, **kwargs):
    plugin = make_action(action_cls, args, host=host, **kwargs)
    return plugin.run(task_vars=task_vars or {'inventory_hostname': 'win1'})
