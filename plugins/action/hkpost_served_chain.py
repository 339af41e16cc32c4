# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_served_chain: audit the chain TLS endpoints send, from the controller; never logs into the target."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text


class ActionModule(HkpostAction):
    # host is checked by the core, which names the offending entry (endpoints[3]) in its message.
    ARGUMENT_SPEC = {
        'endpoints': {'type': 'list', 'elements': 'dict', 'required': True, 'options': {
            'host': {'type': quoted_text},
            'port': {'type': 'int', 'default': 443},
            'server_name': {'type': quoted_text},
        }},
        'timeout': {'type': 'float', 'default': 5.0},
        'concurrency': {'type': 'int', 'default': 200},
        'warn_days': {'type': 'int', 'default': 30},
        'trust': {'type': 'str', 'default': 'bundled'},
    }
    WINDOWS_ONLY = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        # ansible-core would split a string into a one-item list and fail with "dictionary requested" alone,
        # without naming the option: said plainly here instead.
        endpoints = self._task.args.get('endpoints')
        if endpoints is not None and not isinstance(endpoints, list):
            raise AnsibleActionFail('endpoints must be a list of dictionaries (host, port, server_name), not %s; for a '
                                    'plain list file use the hkpost.ecert.endpoint_list filter, for inventory hosts '
                                    'hkpost.ecert.served_endpoints.' % type(endpoints).__name__)
        for index, entry in enumerate(endpoints or []):
            if not isinstance(entry, dict):
                raise AnsibleActionFail('endpoints[%d] is %s %r, not a dictionary; write it as {host: ..., port: ..., '
                                        'server_name: ...}.' % (index, type(entry).__name__, entry))
        return super().run(tmp, task_vars)

    def run_hkpost(self, args, task_vars, result):
        # Read-only and network-only: the same in check mode, never changed.
        audit = audit_endpoints(args['endpoints'], trust=args['trust'], timeout=args['timeout'],
                                concurrency=args['concurrency'], warn_days=args['warn_days'])
        result.update(audit, changed=False)
