# -*- coding: utf-8 -*-
"""ansible-core's own connection plugins, configured from a host's variables as the task executor does it.

An action plugin that reads its connection's options (the Exchange second hop does) is tested against the real
``winrm`` / ``psrp`` plugin with the variables a user writes in the inventory, so a renamed option or a changed
default in ansible-core fails the test rather than passing against a hand-made stand-in. Nothing is connected:
the options are set, as they are before an action plugin runs.
"""

from __future__ import annotations

from ansible import constants as C
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import become_loader, connection_loader
from ansible.template import Templar


def inventory_connection(hostvars):
    """The connection plugin named by ``hostvars['ansible_connection']``, its options set from ``hostvars``
    (TaskExecutor._set_connection_options); ``ansible_become`` attaches the become plugin
    ``ansible_become_method`` names, configured the same way."""
    connection = connection_loader.get(hostvars['ansible_connection'], PlayContext(), None)
    templar = Templar(loader=DataLoader(), variables=hostvars)
    connection.set_options(task_keys={}, var_options=connection._resolve_option_variables(hostvars, templar))
    if hostvars.get('ansible_become'):
        become = become_loader.get(hostvars.get('ansible_become_method', 'runas'))
        # TaskExecutor._set_plugin_options('become', ...): the plugin's own variables, as the host has them.
        names = C.config.get_plugin_vars('become', become._load_name)
        become.set_options(var_options={k: hostvars[k] for k in names if k in hostvars})
        connection.set_become_plugin(become)
    return connection
