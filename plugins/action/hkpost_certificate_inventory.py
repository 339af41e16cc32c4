# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_certificate_inventory: every certificate the host holds and everything on it that uses one - one read."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._host import STORES, host_inventory
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._exchange_session import EXCHANGE_HOST_OPTION, SESSION_OPTIONS, exchange_session
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import masked


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'stores': {'type': 'list', 'elements': 'str', 'default': list(STORES), 'choices': list(STORES)},
        **EXCHANGE_HOST_OPTION,
        # with exchange: true - the implicit-remoting session, as exchange_cert opens it
        **SESSION_OPTIONS,
    }

    def run_hkpost(self, args, task_vars, result):
        host = task_vars.get('inventory_hostname')
        params = {'StoreNames': args['stores'], 'Exchange': args['exchange']}
        sensitive = None
        if args['exchange']:
            # Refused here, before the read, when the session could not open from the host (the second hop).
            session, sensitive, _way = exchange_session(self, args, task_vars)
            params.update(session)
        # One execution per host: stores, keys and every consumer come back in this one answer.
        answer = self.payload(task_vars, 'certificate_inventory_read', params, sensitive_parameters=sensitive or None)
        exchange = answer.get('exchange')
        if isinstance(exchange, dict) and exchange.get('error'):
            # The payload reports the session's failure in its answer; the message may quote what was sent.
            exchange['error'] = masked(exchange['error'], sensitive)
        result.update(host_inventory(answer, host))
        result['changed'] = False
        for source, state in sorted(result['sources'].items()):
            if str(state).startswith('error'):
                self._display.warning('hkpost_certificate_inventory: %s on %s could not be read (%s); its consumers '
                                      'are missing from the inventory.' % (source, host, state[len('error: '):]))
