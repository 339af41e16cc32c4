# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_served_chain: audit the chain TLS endpoints send, from the controller; never logs into the target."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._audit_inputs import check_endpoints
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction


class ActionModule(HkpostAction):
    # host is checked by the core, which names the offending entry (endpoints[3]) in its message.
    ARGUMENT_SPEC = {
        'endpoints': {'type': 'list', 'elements': 'dict', 'required': True, 'options': {
            'host': {'type': 'str'},
            'port': {'type': 'int', 'default': 443},
            'server_name': {'type': 'str'},
            'starttls': {'type': 'str', 'choices': ['smtp', 'imap', 'pop3', 'none']},
            'inventory_name': {'type': 'str'},
        }},
        'timeout': {'type': 'float', 'default': 5.0},
        'concurrency': {'type': 'int', 'default': 200},
        'warn_days': {'type': 'int', 'default': 30},
        'trust': {'type': 'str', 'default': 'bundled'},
        'handshake': {'type': 'str', 'default': 'auto', 'choices': ['auto', 'full']},
        'ehlo_name': {'type': 'str'},
    }
    WINDOWS_ONLY = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        # Before ansible-core's own validation, which would turn a string into a one-item list and a list of names
        # into "dictionary requested" without naming the option, and convert a list server_name to its Python text.
        try:
            check_endpoints(self._task.args.get('endpoints'))
        except HkpostError as e:
            raise AnsibleActionFail(str(e))
        return super().run(tmp, task_vars)

    def run_hkpost(self, args, task_vars, result):
        # Read-only and network-only: the same in check mode, never changed.
        audit = audit_endpoints(args['endpoints'], trust=args['trust'], timeout=args['timeout'],
                                concurrency=args['concurrency'], warn_days=args['warn_days'],
                                handshake=args['handshake'], ehlo_name=args['ehlo_name'])
        result.update(audit, changed=False)
