# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_run_check: on the controller, before any host is contacted - the pattern selects hosts, each has what it needs."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.inventory.manager import InventoryManager, split_host_pattern

from ansible_collections.hkpost.ecert.plugins.module_utils._run_check import CERTIFICATE_SOURCES, check_targets
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._known_variables import known_variables


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'pattern': {'type': 'str', 'required': True},
        'limit': {'type': 'str', 'default': ''},
        'certificates': {'type': 'str', 'default': 'required', 'choices': ['required', 'optional', 'ignored']},
    }
    WINDOWS_ONLY = False
    _requires_connection = False

    def _inventory(self, task_vars):
        # The inventory_hostnames lookup's way: the play's groups, matched with ansible-core's own pattern rules.
        manager = InventoryManager(self._loader, parse=False)
        for group, hosts in task_vars['groups'].items():
            manager.add_group(group)
            for host in hosts:
                manager.add_host(host, group=group)
        return manager

    @staticmethod
    def _match(manager, pattern):
        try:
            return [h.name for h in manager.get_hosts(pattern=pattern)]
        except AnsibleError:
            return []

    def run_hkpost(self, args, task_vars, result):
        manager = self._inventory(task_vars)
        pattern = args['pattern'].strip()
        # each part, without its operator: "web:!db" names db, and a db that matches nothing is a typo all the same
        terms = [t.lstrip('!&') for t in split_host_pattern(pattern)] or [pattern]
        term_matches = [(term, self._match(manager, term)) for term in terms]
        targeted = self._match(manager, pattern)
        # a file (@install.retry) is ansible-core's to read, wherever it stands in the list (InventoryManager.subset
        # takes each part that starts with "@" as a file); the parts written out are checked
        limit_terms = [t.lstrip('!&') for t in split_host_pattern(args['limit']) if not t.startswith('@')]
        limit_matches = [(term, self._match(manager, term)) for term in limit_terms]
        if args['limit']:
            manager.subset(args['limit'])
            targeted = [h for h in targeted if h in set(self._match(manager, pattern))]
        hostvars = task_vars['hostvars']
        host_variables = {}
        for host in targeted:
            names = [n for n in hostvars[host] if str(n).startswith('hkpost_')]
            # only the certificates lists are read (templated); the other names are checked, never their values
            host_variables[host] = {n: (hostvars[host].get(n) if n in CERTIFICATE_SOURCES else None) for n in names}
        try:
            known = known_variables()
        except (OSError, ValueError) as e:
            # a copy of the collection without its guide: the other checks still hold
            known = None
            result.setdefault('warnings', []).append('hkpost_* variable names not checked: %s' % e)
        checked = check_targets(pattern, term_matches, targeted, host_variables, known,
                                args['certificates'], args['limit'], limit_matches)
        # as the task's warnings: the callback prints them with the task, and AWX keeps them with its event
        result.setdefault('warnings', []).extend(checked['warnings'])
        result.update(changed=False, hosts=checked['hosts'], warnings_found=checked['warnings'])
        if checked['errors']:
            raise AnsibleActionFail(' '.join(checked['errors']) if len(checked['errors']) == 1
                                    else '%d problems, nothing was done: %s' % (
                                        len(checked['errors']), ' | '.join(checked['errors'])), result=result)
        result['msg'] = '%d host%s: %s' % (len(targeted), '' if len(targeted) == 1 else 's', ', '.join(sorted(targeted)))
