# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_notify: send a run's outcome by e-mail and/or webhook, from the controller; never logs into a host."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils.notify._email import SECURITY
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import KINDS
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._notify import OUTCOMES, notify
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._payloads import FORMATS
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'kind': {'type': 'str', 'required': True, 'choices': list(KINDS)},
        'report': {'type': 'raw', 'required': True},
        'to_renew': {'type': 'raw'},
        'title': {'type': 'str'},
        'link': {'type': 'str'},
        'warn_days': {'type': 'int', 'default': 30},
        'outcome': {'type': 'str', 'default': 'auto', 'choices': ['auto'] + list(OUTCOMES)},
        'notify_on': {'type': 'list', 'elements': 'str', 'default': ['failure'], 'choices': list(OUTCOMES)},
        'errors': {'type': 'str', 'default': 'fail', 'choices': ['fail', 'warn']},
        'email': {'type': 'dict', 'options': {
            'host': {'type': 'str', 'required': True},
            'port': {'type': 'int', 'default': 587},
            'security': {'type': 'str', 'default': 'starttls', 'choices': list(SECURITY)},
            'username': {'type': 'str'},
            'password': {'type': 'str', 'no_log': True},
            'sender': {'type': 'str', 'required': True},
            'to': {'type': 'list', 'elements': 'str', 'required': True},
            'timeout': {'type': 'float', 'default': 30.0},
            'validate_certs': {'type': 'bool', 'default': True},
            'ca_file': {'type': 'path'},
        }},
        'webhook': {'type': 'dict', 'options': {
            'url': {'type': 'str', 'required': True, 'no_log': True},
            'format': {'type': 'str', 'default': 'generic', 'choices': list(FORMATS)},
            'timeout': {'type': 'float', 'default': 30.0},
            'validate_certs': {'type': 'bool', 'default': True},
            'ca_file': {'type': 'path'},
        }},
    }
    WINDOWS_ONLY = False
    _requires_connection = False

    def run_hkpost(self, args, task_vars, result):
        if args['email'] is not None and not args['email']['to']:
            raise AnsibleActionFail('%s: email.to lists no recipient' % self._task.action)
        outcome = notify(args, check_mode=self._task.check_mode)
        result.update(outcome, changed=False)
        if outcome['errors']:
            text = 'notification not delivered: %s' % '; '.join(outcome['errors'])
            if args['errors'] == 'warn':
                result.setdefault('warnings', []).append(text)
            else:
                result.update(failed=True, msg=text)
