# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_retire: remove the Hongkong Post certificates a renewal replaced, once nothing on the host uses them."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import normalize_thumbprint
from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import RETIRE_STORES, plan_retire
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._exchange_session import EXCHANGE_HOST_OPTION, SESSION_OPTIONS, exchange_session
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_apply import backup_and_retire
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_checks import (
    BACKUP_FILE_OPTIONS, check_backup_options)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import masked


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'replaced_by': {'type': 'list', 'elements': 'str', 'default': []},
        'thumbprints': {'type': 'list', 'elements': 'str', 'default': []},
        'grace_days': {'type': 'int', 'default': 0},
        'backup': {'type': 'bool', 'default': False},
        **BACKUP_FILE_OPTIONS,
        **EXCHANGE_HOST_OPTION,
        # with exchange: true - the implicit-remoting session, as exchange_cert opens it
        **SESSION_OPTIONS,
    }
    REQUIRED_IF = [['backup', True, ['backup_dir', 'backup_password']]]

    def _read(self, args, task_vars):
        params, sensitive = {'StoreNames': list(RETIRE_STORES), 'Exchange': args['exchange']}, None
        if args['exchange']:
            # Refused here, before the read, when the session could not open from the host.
            session, sensitive, _way = exchange_session(self, args, task_vars)
            params.update(session)
        answer = self.payload(task_vars, 'retire_read', params, sensitive_parameters=sensitive or None)
        exchange = answer.get('exchange')
        if isinstance(exchange, dict) and exchange.get('error'):
            # The payload catches the session's failure and reports its message: shown as a warning and returned.
            exchange['error'] = masked(exchange['error'], sensitive)
        return answer

    def run_hkpost(self, args, task_vars, result):
        if args['grace_days'] < 0:
            raise HkpostError('grace_days is %d; give 0 (retire at once) or a number of days.' % args['grace_days'])
        if args['backup']:
            check_backup_options(args['backup_dir'], args['backup_password'])
        replaced_by = [normalize_thumbprint(t, 'replaced_by entry') for t in args['replaced_by']]
        thumbprints = [normalize_thumbprint(t, 'thumbprints entry') for t in args['thumbprints']]
        state = self._read(args, task_vars)
        decision = plan_retire(state.get('stores') or {}, state, replaced_by=replaced_by, thumbprints=thumbprints,
                               grace_days=args['grace_days'])
        exchange = state.get('exchange') or {}
        result.update(retired=decision['retire'], kept=decision['kept'], changed=bool(decision['retire']),
                      exchange_known=decision['exchange_known'])
        if args['exchange'] and not decision['exchange_known']:
            result['exchange_error'] = exchange.get('error')
            self._display.warning('hkpost_retire: Exchange did not answer (%s); nothing is retired on %s.'
                                  % (exchange.get('error'), task_vars.get('inventory_hostname')))
        if self._task.diff:
            stores = state.get('stores') or {}
            gone = {(r['store'], r['thumbprint']) for r in decision['retire']}
            result['diff'] = {
                'before': {s: sorted(e['thumbprint'] for e in stores.get(s) or []) for s in RETIRE_STORES},
                'after': {s: sorted(e['thumbprint'] for e in stores.get(s) or [] if (s, e['thumbprint']) not in gone)
                          for s in RETIRE_STORES},
                'before_header': 'LocalMachine stores', 'after_header': 'after retiring %d' % len(gone)}
        if self._task.check_mode or not decision['retire']:
            return
        # Backed up (read back on the controller) then removed: the same code as hkpost_install's retiring.
        backups = backup_and_retire(self, task_vars, state.get('os_build'),
                                    (args['backup_dir'], args['backup_password']) if args['backup'] else None,
                                    decision['retire'])
        if args['backup']:
            result['backups'] = backups
