# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_install: a host's issued certificates completed and bound (IIS) or imported and enabled (Exchange),
checked, backed up and their predecessors retired, planned from one read of the host.

The one install path of install.yml and renew.yml: planning is module_utils/install's (_host_plan for IIS,
_exchange_host_plan for Exchange, _retire for both), backups and retiring plugin_utils/_install_apply's. With
``chain``, the Hongkong Post chain migration too (hkpost_chain's options, inputs and plan - plugin_utils/
_chain_inputs, module_utils/chain/_plan): planned from the same read, its steps run first in the install's first
write, so a host costs one read and at most one write more than its install alone (issue 21).
"""

from __future__ import annotations

import base64

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._inputs import utcnow
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._plan import plan_chain
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import (
    parse_services, verify_server_name)
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange_host_plan import plan_exchange_install
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import binding_information
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import choose_encryption
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import split_leaf
from ansible_collections.hkpost.ecert.plugins.module_utils.install._host_plan import desired_binding, plan_install
from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import RETIRE_STORES, load_issuers, plan_retire
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import normalize_thumbprint
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import a_label_host
from ansible_collections.hkpost.ecert.plugins.plugin_utils import _chain_inputs
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._exchange_session import SESSION_OPTIONS, exchange_session
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_apply import (
    export_items, exported_pfx, keep_backups, listed, plan_backups, retire, write_backups)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_checks import (
    BACKUP_FILE_OPTIONS, VERIFY_CHECK_OPTIONS, check_backup_options, check_verify_options)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._controller_input import read_controller_file
from ansible_collections.hkpost.ecert.plugins.plugin_utils._served_check import (
    ApplyFailed, apply_steps, binding_step, restore_bindings, served_check)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError, masked

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography.hazmat.primitives import serialization
except ImportError as exc:
    serialization = MissingLibrary('cryptography', exc)


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'platform': {'type': 'str', 'default': 'iis', 'choices': ['iis', 'exchange']},
        'certificates': {'type': 'list', 'elements': 'dict', 'required': True, 'options': {
            'content': {'type': 'str'},
            'src': {'type': 'path'},
            'common_name': {'type': 'str'},
            'friendly_name': {'type': 'str'},
            'iis_bindings': {'type': 'list', 'elements': 'dict', 'default': []},
            # platform: exchange - the services of this certificate, else the task's services
            'exchange_services': {'type': 'list', 'elements': 'str'},
            # what the certificates_to_install filter also returns; not used here
            'public_key_sha256': {'type': 'str'},
            'thumbprint': {'type': 'str'},
        }},
        # platform: exchange
        'services': {'type': 'list', 'elements': 'str', 'default': ['IIS', 'SMTP']},
        **SESSION_OPTIONS,
        'verify': {'type': 'bool', 'default': True},
        'verify_address': {'type': 'str'},
        'verify_port': {'type': 'int', 'default': 443},
        # platform: exchange - the name asked for (SNI) in the check; by default the certificate's own
        'verify_server_name': {'type': 'str'},
        **VERIFY_CHECK_OPTIONS,
        'backup': {'type': 'bool', 'default': True},
        **BACKUP_FILE_OPTIONS,
        'retire': {'type': 'bool', 'default': True},
        'retire_grace_days': {'type': 'int', 'default': 0},
        'keep_thumbprints': {'type': 'list', 'elements': 'str', 'default': []},
        'retire_issuers': {'type': 'list', 'elements': 'str', 'default': []},
        # hkpost_chain's options (one spec, _chain_inputs); not given: no chain work
        'chain': {'type': 'dict', 'options': _chain_inputs.ARGUMENT_SPEC},
    }
    REQUIRED_IF = [['backup', True, ['backup_dir', 'backup_password']]]

    def _issued(self, args):
        found = []
        for index, item in enumerate(args['certificates']):
            if bool(item.get('content')) == bool(item.get('src')):
                raise HkpostError('certificates[%d] needs exactly one of content (PEM) or src (a controller file).'
                                  % index)
            data = item['content'].encode('utf-8') if item.get('content') else \
                read_controller_file(self, 'certificates[%d].src' % index, item['src'])
            leaf, _chain = split_leaf(data, 'certificates[%d] (%s)' % (index, item.get('common_name') or item.get('src')))
            if args['platform'] == 'iis':
                for binding in item.get('iis_bindings') or []:
                    desired_binding(binding, None)  # every binding checked before the host is read
            services = parse_services(item.get('exchange_services') or args['services'])
            found.append({'leaf': cert_info(leaf), 'der': leaf.public_bytes(serialization.Encoding.DER),
                          'friendly_name': item.get('friendly_name'), 'services': services,
                          'iis_bindings': item.get('iis_bindings') or [] if args['platform'] == 'iis' else []})
        return found

    def _check_options(self, args):
        """Every option checked before the host is read, so a refusal never leaves it half-changed."""
        if args['chain'] is not None:
            _chain_inputs.check_options(args['chain'], 'chain.')
        if args['backup']:
            check_backup_options(args['backup_dir'], args['backup_password'])
        if args['verify']:
            check_verify_options(args['verify_timeout'], args['verify_address'], args['verify_trust'])
            if args['verify_server_name']:
                a_label_host(args['verify_server_name'], 'verify_server_name', wildcard=False)
            if not 1 <= args['verify_port'] <= 65535:
                raise HkpostError('verify_port is %d; give 1-65535. Nothing was changed.' % args['verify_port'])
        if args['retire_grace_days'] < 0:
            raise HkpostError('retire_grace_days is %d; give 0 (retire at once) or a number of days.'
                              % args['retire_grace_days'])
        parse_services(args['services'])
        self._retire_issuers = load_issuers(args['retire_issuers'])
        return [normalize_thumbprint(t, 'keep_thumbprints entry') for t in args['keep_thumbprints']]

    def _read(self, args, task_vars):
        """The one read: stores (pending requests too), IIS, http.sys and - on Exchange - every Exchange
        certificate with its services and the hybrid configuration."""
        params = {'StoreNames': list(RETIRE_STORES) + ['REQUEST'], 'Exchange': args['platform'] == 'exchange'}
        if args['chain'] is not None:
            # What chain_read would answer, in the same trip; kept apart from StoreNames (the retire planner's).
            params.update(ChainStores=list(_chain_inputs.CHAIN_STORES), CrlStore=_chain_inputs.CRL_STORE)
        self._session = ({}, {})
        if args['platform'] == 'exchange':
            session, sensitive, _way = exchange_session(self, args, task_vars)
            self._session = (session, sensitive)
            params.update(session)
        state = self.payload(task_vars, 'retire_read', params, sensitive_parameters=self._session[1] or None)
        exchange = state.get('exchange')
        if isinstance(exchange, dict) and exchange.get('error'):
            exchange['error'] = masked(exchange['error'], self._session[1])
        hybrid = (exchange or {}).get('hybrid') if isinstance(exchange, dict) else None
        if isinstance(hybrid, dict) and not hybrid.get('known'):
            self._display.warning('hkpost_install: Get-HybridConfiguration did not answer (%s); a certificate a '
                                  'hybrid deployment uses is kept only if listed in keep_thumbprints.'
                                  % masked(hybrid.get('error') or '', self._session[1]))
        return state

    def _plan_chain(self, chain, wanted, state, now):
        """hkpost_chain's plan from retire_read's answer: its chain stores, and the keyed certificates of
        chain.key_stores from the stores it read for the install (those hkpost_chain's chain_read lists)."""
        answer = state.get('chain')
        if not isinstance(answer, dict):
            raise HkpostError('the host did not answer the chain stores (retire_read without ChainStores?); '
                              'nothing was changed.')
        keyed = [{'store': name, 'der': entry['der']} for name in chain['key_stores']
                 for entry in (state.get('stores') or {}).get(name) or [] if entry.get('has_private_key')]
        return plan_chain(_chain_inputs.snapshot(answer.get('stores'), answer.get('crls'), keyed), wanted,
                          old_intermediate=chain['old_intermediate'], install_root=chain['install_root'],
                          warn_days=chain['warn_days'], now=now)

    def run_hkpost(self, args, task_vars, result):
        now = utcnow()
        keep = self._check_options(args)
        certificates = self._issued(args)
        wanted = _chain_inputs.wanted(self, args['chain'], now) if args['chain'] is not None else None
        state = self._read(args, task_vars)
        chain_plan = self._plan_chain(args['chain'], wanted, state, now) if wanted is not None else None
        if chain_plan is not None:
            result['chain'] = _chain_inputs.outcome(chain_plan)
        exchange = args['platform'] == 'exchange'
        if exchange:
            decision = plan_exchange_install(state, certificates)
            decision.update(complete=[], bindings=[], warnings=[])
        else:
            decision = plan_install(state, certificates)
            decision['certificates'] = []
        for warning in decision['warnings']:
            self._display.warning(warning)
        backups = self._plan_backups(args, task_vars, [(c['leaf']['sha1'], True) for c in certificates])
        planned_retire = {'retire': [], 'kept': []}
        # Only what the given certificates replace: with none (a host given only its chain) nothing is retired -
        # plan_retire without replaced_by would take any replaced certificate.
        if args['retire'] and certificates:
            planned_retire = plan_retire(decision['stores_after'], decision['state_after'],
                                         replaced_by=[c['leaf']['sha1'] for c in certificates],
                                         grace_days=args['retire_grace_days'], keep=keep,
                                         issuers=self._retire_issuers)
        changing = [b for b in decision['bindings'] if b['decision']['steps']]
        enabling = [c for c in decision['certificates'] if c['parameters']]
        retired_backups = self._plan_backups(args, task_vars, [(r['thumbprint'], r['has_private_key'])
                                                               for r in planned_retire['retire']], planned_retire)
        result.update(
            platform=args['platform'],
            certificates=[{'thumbprint': c['leaf']['sha1'], 'subject': c['leaf']['subject'],
                           'names': c['leaf']['dns_names'], 'not_after': c['leaf']['not_after']} for c in certificates],
            completed=[c['thumbprint'] for c in decision['complete']] +
            [c['thumbprint'] for c in decision['certificates'] if 'import' in c['steps']],
            bindings=[{'site': b['site'], 'host': b['host'], 'port': b['port'], 'before': b['decision']['before'],
                       'after': b['decision']['after'], 'changed': bool(b['decision']['steps'])}
                      for b in decision['bindings']],
            services=[{'thumbprint': c['thumbprint'], 'before': c['services_before'], 'after': c['services_after'],
                       'changed': bool(c['parameters'])} for c in decision['certificates']],
            backups=listed(backups + retired_backups),
            retired=planned_retire['retire'], kept=planned_retire['kept'], verify=[],
            changed=bool(decision['complete'] or changing or enabling or any(b['write'] for b in backups)
                         or planned_retire['retire'] or (chain_plan or {}).get('steps')))
        if self._task.diff:
            result['diff'] = {'before': {'completed': [], 'bindings': [b['decision']['before'] for b in changing],
                                         'services': {c['thumbprint']: c['services_before'] for c in enabling},
                                         'retired': []},
                              'after': {'completed': result['completed'],
                                        'bindings': [b['decision']['after'] for b in changing],
                                        'services': {c['thumbprint']: c['services_after'] for c in enabling},
                                        'retired': [r['thumbprint'] for r in planned_retire['retire']]}}
            if chain_plan is not None:
                result['diff']['before']['chain'] = chain_plan['before']
                result['diff']['after']['chain'] = chain_plan['after']
        if self._task.check_mode or not result['changed']:
            return
        exports = backups + retired_backups
        chain_steps = _chain_inputs.sent_steps(chain_plan) if chain_plan is not None else []
        if not exchange:
            # IIS: the chain steps, the completions, every backup and every binding write in ONE trip (iis_apply), the
            # served certificates checked, then the retiring in one more.
            self._apply_iis(args, task_vars, state, decision, changing, exports, result, chain_steps)
            retire(self, task_vars, planned_retire['retire'])
            return
        if chain_steps and not enabling:
            # Nothing to import or enable: the chain alone, in one trip (chain_apply, as hkpost_chain sends it).
            self._chain_applied(self.payload(task_vars, 'chain_apply', {'Steps': chain_steps}), result)
            chain_steps = []
        for index, cert in enumerate(enabling):
            # On Exchange the backups ride in the last import-and-enable trip (the pfx_export prelude), the chain
            # steps in the first, before its import (the intermediates are in the store before the certificate is served).
            last = index == len(enabling) - 1 and export_items(exports)
            extra = dict(self._export_parameters(state, exports) if last else {},
                         **({'ChainSteps': chain_steps} if index == 0 and chain_steps else {}))
            answer = self._enable(args, task_vars, cert, certificates, result, extra or None)
            if last:
                keep_backups(args['backup_password'], exports, exported_pfx(answer, exports))
                exports = []
        # Backups of the new certificates and of what is retired in one trip, read back, then the retiring:
        # nothing is removed without its backup, and only once the new certificates are served.
        write_backups(self, task_vars, state.get('os_build'), args['backup_password'], exports)
        retire(self, task_vars, planned_retire['retire'])

    def _chain_applied(self, answer, result):
        """Record which chain steps a write applied (``answer``: the chain_steps prelude's {applied, failed});
        a failed step fails the install as it fails hkpost_chain - nothing after it ran."""
        if not isinstance(answer, dict):
            answer = {'applied': [], 'failed': {'index': 0, 'error': 'the host did not answer for the chain steps'}}
        failure = _chain_inputs.applied(result['chain'], answer.get('applied'), answer.get('failed'))
        if failure:
            raise AnsibleActionFail('%s Nothing was installed, bound or retired.' % failure, result=result)

    def _export_parameters(self, state, backups):
        return {'Items': export_items(backups), 'Encryption': choose_encryption(state.get('os_build')),
                'IncludeChain': True}

    def _plan_backups(self, args, task_vars, items, retired=None):
        if not args['backup']:
            return []
        stores = {r['thumbprint']: r['store'] for r in (retired or {}).get('retire') or []}
        return plan_backups(args['backup_dir'], args['backup_password'], task_vars.get('inventory_hostname'),
                            [(stores.get(t, 'My'), t, has_key) for t, has_key in items])

    def _apply_iis(self, args, task_vars, state, decision, changing, exports, result, chain_steps=()):
        """One iis_apply trip: completions, then the PFX backups (the new certificates are in My by then), then the
        binding writes. Then each changed binding's served certificate is checked from the controller. When a step,
        a backup's read-back or a check fails, every binding this run wrote is put back (one more trip) and the
        install fails: nothing is left half-changed, and nothing is retired. The chain steps go first, so the
        intermediates are in the store before a new binding is served; a failed one stops everything after it."""
        steps = [{'kind': 'chain', 'step': step} for step in chain_steps]
        steps += [{'kind': 'complete', 'certificate_base64': base64.b64encode(item['der']).decode('ascii'),
                   'thumbprint': item['thumbprint'], 'friendly_name': item['friendly_name']}
                  for item in decision['complete']]
        items = export_items(exports)
        if items:
            steps.append({'kind': 'export', 'items': items})
        # owners[i]: the binding (index in changing) whose write steps[i] is; None for a completion or the export.
        owners = [None] * len(steps)
        for index, binding in enumerate(changing):
            steps += [binding_step(binding['site'], step) for step in binding['decision']['steps']]
            owners += [index] * len(binding['decision']['steps'])
        if not steps:  # only retiring to do: no apply trip
            return
        export = {'Encryption': choose_encryption(state.get('os_build')), 'IncludeChain': True}
        answers = []
        try:
            answers = apply_steps(self, task_vars, steps, export if items else None,
                                  args['backup_password'] if items else None)
        except ApplyFailed as e:
            self._chain_outcome(steps, e.answers, result)
            self._apply_failed(task_vars, steps, owners, changing, e, result)
        self._chain_outcome(steps, answers, result)
        problems = []
        if items:
            exported = next(a for s, a in zip(steps, answers) if s['kind'] == 'export')['answer'] or {}
            try:
                keep_backups(args['backup_password'], exports, exported_pfx(exported, exports))
            except HkpostError as e:
                problems.append(str(e))
        if args['verify'] and not problems:
            for binding in changing:
                problems += self._verify(args, task_vars, binding['port'], binding['host'],
                                         binding['decision']['after']['thumbprint'], result)
        if problems:
            self._roll_back(task_vars, changing, '; '.join(problems), result)

    def _chain_outcome(self, steps, answers, result):
        """The chain steps' answers (the first steps sent) read as the chain_steps prelude's {applied, failed}."""
        count = sum(1 for s in steps if s['kind'] == 'chain')
        if not count:
            return
        answers = list(answers or [])[:count]
        failed = next(({'index': i, 'error': a.get('error')} for i, a in enumerate(answers) if a.get('status') != 'done'),
                      None if len(answers) == count else {'index': len(answers), 'error': 'the host did not answer'})
        self._chain_applied({'applied': [i for i, a in enumerate(answers) if a.get('status') == 'done'],
                             'failed': failed}, result)

    def _apply_failed(self, task_vars, steps, owners, changing, error, result):
        answers = error.answers or []
        keyless = [s['thumbprint'] for s, a in zip(steps, answers) if s['kind'] == 'complete'
                   and a.get('status') == 'failed' and 'without the private key' in (a.get('error') or '')]
        if keyless:
            raise AnsibleActionFail('certreq -accept installed %s without the private key; run certutil -repairstore '
                                    'my THUMBPRINT on the host. Nothing was bound or retired.' % ', '.join(keyless),
                                    result=result)
        # The bindings a step was sent for (done, or failed part-way); every one of them when the answer is unreadable.
        touched = sorted({owner for owner, a in zip(owners, answers) if owner is not None
                          and a.get('status') in ('done', 'failed')}) if answers else range(len(changing))
        if not touched:
            raise AnsibleActionFail('%s. No binding was changed; nothing was retired.' % error, result=result)
        self._roll_back(task_vars, [changing[i] for i in touched], 'a step failed: %s' % error, result)

    def _roll_back(self, task_vars, changing, cause, result):
        """Every binding this run wrote put back in one trip, then the failure."""
        if not changing:
            raise AnsibleActionFail('%s. No binding was changed; nothing was retired.' % cause, result=result)
        restore = []
        for binding in changing:
            after = binding['decision']['after']
            restore.append((binding['site'], binding['decision']['previous'],
                            binding_information(after['ip'], after['port'], after['host'])))
        undo = restore_bindings(self, task_vars, restore)
        outcome = ('rolling back ALSO failed (%s), restore by hand: %s'
                   % ('; '.join(undo), [b['decision']['before'] for b in changing]) if undo else
                   'the previous binding was put back' if len(changing) == 1 else
                   'the previous bindings were put back (all %d this run wrote)' % len(changing))
        raise AnsibleActionFail('binding %s: %s; %s. Nothing was retired.'
                                % (', '.join('%s on site "%s"' % (r[2], r[0]) for r in restore), cause, outcome),
                                result=result)

    def _exchange(self, task_vars, name, params, secrets=None):
        session, sensitive = self._session
        sensitive = dict(sensitive or {}, **(secrets or {}))
        return self.payload(task_vars, name, dict(session, **params), sensitive_parameters=sensitive or None)

    def _enable(self, args, task_vars, cert, certificates, result, exports=None):
        """Import and enable (and export ``exports``) in one trip; then the check of what is served, and on failure
        the previous holders of the services the new certificate took put back (exchange_enable again)."""
        answer = self._exchange(task_vars, 'exchange_enable', dict(cert['parameters'], **(exports or {})),
                                {'Password': args['backup_password']} if (exports or {}).get('Items') else None)
        if (exports or {}).get('ChainSteps'):
            self._chain_applied(answer.get('chain'), result)
        if not args['verify'] or 'IIS' not in cert['services_after']:
            return answer
        leaf = next(c['leaf'] for c in certificates if c['leaf']['sha1'] == cert['thumbprint'])
        server_name = args['verify_server_name'] or verify_server_name(leaf, self._session[0].get('Server'))
        problems = self._verify(args, task_vars, args['verify_port'], server_name, cert['thumbprint'], result)
        if not problems:
            return answer
        undo = []
        for previous in cert['rollback']:
            try:
                self._exchange(task_vars, 'exchange_enable', {'Thumbprint': previous['thumbprint'],
                                                              'Services': previous['services']})
            except PayloadError as e:
                undo.append(str(e))
        outcome = ('putting the previous services back ALSO failed (%s); by hand: %s'
                   % ('; '.join(undo), cert['rollback']) if undo else 'the previous services were put back on %s' % (
                       ', '.join(r['thumbprint'] for r in cert['rollback']) or 'nothing (none moved)'))
        raise AnsibleActionFail('the check after enabling %s failed: %s; %s. Nothing was retired.'
                                % (cert['thumbprint'], '; '.join(problems), outcome), result=result)

    def _verify(self, args, task_vars, port, server_name, thumbprint, result):
        """What the host now serves on ``port`` for ``server_name`` (SNI), from the controller; records the
        outcome in the result and returns the problems."""
        address = args['verify_address'] or task_vars.get('ansible_host') or task_vars.get('inventory_hostname')
        _endpoint, served, problems = served_check(address, port, server_name or address, thumbprint,
                                                   args['verify_trust'], args['verify_timeout'])
        result['verify'].append({'address': address, 'port': port, 'server_name': server_name or address,
                                 'expected': thumbprint, 'served': served, 'ok': not problems,
                                 'problems': problems})
        return problems
