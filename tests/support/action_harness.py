# -*- coding: utf-8 -*-
"""Build a real action plugin object around a fake connection, the way ansible.windows tests theirs."""

from __future__ import annotations

from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.task import Task
from ansible.template import Templar


def make_action(action_cls, args, host=None, check_mode=False, diff=False, shell_family='powershell',
                action_name='hkpost.ecert.unknown'):
    task = MagicMock(Task)
    task.args = args
    task.check_mode = check_mode
    task.diff = diff
    task.async_val = 0
    task.action = action_name
    task.resolved_action = action_name
    task.no_log = False
    task.get_search_path.return_value = []
    connection = MagicMock()
    connection._shell.SHELL_FAMILY = shell_family
    play_context = MagicMock()
    play_context.check_mode = check_mode
    loader = DataLoader()
    plugin = action_cls(task, connection, play_context, loader, Templar(loader=loader), shared_loader_obj=None)
    if host is not None:
        plugin._execute_module = host.execute_module
    return plugin


def run_action(action_cls, args, host=None, task_vars=None, **kwargs):
    plugin = make_action(action_cls, args, host=host, **kwargs)
    return plugin.run(task_vars=task_vars or {'inventory_hostname': 'win1'})
