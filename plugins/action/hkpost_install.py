# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_install: a host's issued certificates completed, bound, checked, backed up and their predecessors
retired, planned from one read of the host."""

from __future__ import annotations

import base64

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import check_destination, write_if_changed
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import rollback_steps
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import (
    backup_path, choose_encryption, plan_backup, read_pfx)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import split_leaf
from ansible_collections.hkpost.ecert.plugins.module_utils.install._host_plan import desired_binding, plan_install
from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import RETIRE_STORES, plan_retire
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_checks import (
    check_backup_options, check_verify_options)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._controller_input import read_controller_file
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography.hazmat.primitives import serialization
except ImportError as exc:
    serialization = MissingLibrary('cryptography', exc)

try:
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
except ImportError:  # pragma: no cover - shipped together
    audit_endpoints = None


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'certificates': {'type': 'list', 'elements': 'dict', 'required': True, 'options': {
            'content': {'type': 'str'},
            'src': {'type': 'path'},
            'common_name': {'type': 'str'},
            'friendly_name': {'type': 'str'},
            'iis_bindings': {'type': 'list', 'elements': 'dict', 'default': []},
            # what the certificates_to_install filter also returns; not used here
            'exchange_services': {'type': 'list', 'elements': 'str'},
            'public_key_sha256': {'type': 'str'},
            'thumbprint': {'type': 'str'},
        }},
        'verify': {'type': 'bool', 'default': True},
        'verify_address': {'type': 'str'},
        'verify_trust': {'type': 'str', 'default': 'bundled'},
        'verify_timeout': {'type': 'float', 'default': 10.0},
        'backup': {'type': 'bool', 'default': True},
        'backup_dir': {'type': 'path'},
        'backup_password': {'type': quoted_text, 'no_log': True},
        'retire': {'type': 'bool', 'default': True},
        'retire_grace_days': {'type': 'int', 'default': 0},
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
            for binding in item.get('iis_bindings') or []:
                desired_binding(binding, None)  # every binding checked before the host is read
            found.append({'leaf': cert_info(leaf), 'der': leaf.public_bytes(serialization.Encoding.DER),
                          'friendly_name': item.get('friendly_name'), 'iis_bindings': item.get('iis_bindings') or []})
        return found

    def run_hkpost(self, args, task_vars, result):
        # Every option checked before the host is read, so a refusal never leaves it half-changed.
        if args['backup']:
            check_backup_options(args['backup_dir'], args['backup_password'])
        if args['verify']:
            check_verify_options(args['verify_timeout'], args['verify_address'], args['verify_trust'])
        if args['retire_grace_days'] < 0:
            raise HkpostError('retire_grace_days is %d; give 0 (retire at once) or a number of days.'
                              % args['retire_grace_days'])
        certificates = self._issued(args)
        state = self.payload(task_vars, 'retire_read', {'StoreNames': list(RETIRE_STORES) + ['REQUEST'],
                                                        'Exchange': False})
        decision = plan_install(state, certificates)
        for warning in decision['warnings']:
            self._display.warning(warning)
        backups = self._plan_backups(args, task_vars, certificates)
        retire = {'retire': [], 'kept': []}
        if args['retire']:
            retire = plan_retire(decision['stores_after'], decision['state_after'],
                                 replaced_by=[c['leaf']['sha1'] for c in certificates],
                                 grace_days=args['retire_grace_days'])
        changing = [b for b in decision['bindings'] if b['decision']['steps']]
        result.update(
            certificates=[{'thumbprint': c['leaf']['sha1'], 'subject': c['leaf']['subject'],
                           'names': c['leaf']['dns_names'], 'not_after': c['leaf']['not_after']} for c in certificates],
            completed=[c['thumbprint'] for c in decision['complete']],
            bindings=[{'site': b['site'], 'host': b['host'], 'port': b['port'], 'before': b['decision']['before'],
                       'after': b['decision']['after'], 'changed': bool(b['decision']['steps'])}
                      for b in decision['bindings']],
            backups=[{'thumbprint': b['thumbprint'], 'path': b['path'], 'reason': b['reason']} for b in backups],
            retired=retire['retire'], kept=retire['kept'],
            changed=bool(decision['complete'] or changing or any(b['write'] for b in backups) or retire['retire']))
        if self._task.diff:
            result['diff'] = {'before': {'completed': [], 'bindings': [b['decision']['before'] for b in changing],
                                         'retired': []},
                              'after': {'completed': result['completed'],
                                        'bindings': [b['decision']['after'] for b in changing],
                                        'retired': [r['thumbprint'] for r in retire['retire']]}}
        if self._task.check_mode or not result['changed']:
            return
        if decision['complete']:
            # Every completion in one trip (complete_requests: certreq -accept -machine for each).
            done = self.payload(task_vars, 'complete_requests', {'Certificates': [
                {'certificate_base64': base64.b64encode(item['der']).decode('ascii'), 'thumbprint': item['thumbprint'],
                 'friendly_name': item['friendly_name']} for item in decision['complete']]})
            keyless = [c['thumbprint'] for c in done.get('completed') or [] if not c.get('has_private_key')]
            if keyless:
                raise AnsibleActionFail('certreq -accept installed %s without the private key; run certutil -repairstore '
                                        'my THUMBPRINT on the host.' % ', '.join(keyless), result=result)
        for binding in changing:
            self._bind(args, task_vars, binding, result)
        exports = [dict(b, store='My') for b in backups if b['write']]
        if retire['retire'] and args['backup']:
            # What is retired is backed up first, as hkpost_retire backup: true does.
            for entry in retire['retire']:
                if entry['has_private_key']:
                    planned = self._plan_backups(args, task_vars, [{'leaf': {'sha1': entry['thumbprint']}}])[0]
                    if planned['write']:
                        exports.append(dict(planned, store=entry['store']))
        if exports:
            self._export(args, task_vars, state, exports)
        if retire['retire']:
            self.payload(task_vars, 'retire_apply', {'Removals': [{'store': r['store'], 'thumbprint': r['thumbprint']}
                                                                  for r in retire['retire']]})

    def _plan_backups(self, args, task_vars, certificates):
        if not args['backup']:
            return []
        planned = []
        for cert in certificates:
            thumbprint = cert['leaf']['sha1']
            path = backup_path(args['backup_dir'], task_vars.get('inventory_hostname'), thumbprint)
            try:
                with open(path, 'rb') as f:
                    existing = f.read()
            except FileNotFoundError:
                existing = None
            decision = plan_backup(existing, thumbprint, args['backup_password'], False, 'backup file %s' % path)
            planned.append({'thumbprint': thumbprint, 'path': path, 'write': decision['write'],
                            'reason': decision['reason']})
        return planned

    def _export(self, args, task_vars, state, backups):
        """Every PFX backup in one trip (pfx_export_many), each read back on the controller before it is written."""
        exported = self.export_pfx(task_vars, [(b['store'], b['thumbprint']) for b in backups],
                                   choose_encryption(state.get('os_build')), True, args['backup_password'])
        for backup in backups:
            data = exported[backup['thumbprint']]
            found = read_pfx(data, args['backup_password'], 'the PFX the host exported for %s' % backup['thumbprint'])
            if found['certificate']['sha1'] != backup['thumbprint'] or not found['has_private_key']:
                raise HkpostError('the host exported %s instead of %s with its key; the backup was not written and '
                                  'nothing was retired.' % (found['certificate']['sha1'], backup['thumbprint']))
            check_destination('backup_dir', backup['path'], 'file')
            write_if_changed(backup['path'], data, mode=0o600)

    def _send(self, task_vars, site, step):
        # The same payloads and parameters as iis_binding's _send.
        params = {'Site': site, 'BindingInformation': step['binding_information']}
        if step['payload'] == 'iis_binding_set':
            params['Operation'] = step['operation']
        if 'ssl_flags' in step:
            params.update(SslFlags=step['ssl_flags'], Thumbprint=step['thumbprint'] or '', Store=step['store'])
        return self.payload(task_vars, step['payload'], params)

    def _bind(self, args, task_vars, binding, result):
        decision = binding['decision']
        try:
            for step in decision['steps']:
                self._send(task_vars, binding['site'], step)
            problems = self._verify(args, task_vars, binding) if args['verify'] else []
        except PayloadError as e:
            problems = ['a binding step failed: %s' % e]
        if not problems:
            return
        undo = []
        for step in rollback_steps(decision['previous'], decision['after']['binding_information']):
            try:
                self._send(task_vars, binding['site'], step)
            except PayloadError as e:
                undo.append(str(e))
        outcome = ('rolling back ALSO failed (%s), restore by hand: %s' % ('; '.join(undo), decision['before'])
                   if undo else 'the previous binding was put back')
        raise AnsibleActionFail('binding %s on site "%s": %s; %s. Nothing was retired.'
                                % (decision['after']['binding_information'], binding['site'], '; '.join(problems),
                                   outcome), result=result)

    def _verify(self, args, task_vars, binding):
        if audit_endpoints is None:  # pragma: no cover
            raise HkpostError('verify needs plugins/module_utils/audit/_served_chain_audit.py, which is missing.')
        after = binding['decision']['after']
        address = args['verify_address'] or task_vars.get('ansible_host') or task_vars.get('inventory_hostname')
        # Connect to the host's address, ask for the binding's name (SNI).
        endpoint = audit_endpoints([{'host': address, 'port': binding['port'], 'server_name': binding['host'] or address}],
                                   trust=args['verify_trust'], timeout=args['verify_timeout'])['endpoints'][0]
        served = endpoint['served'][0]['sha1'] if endpoint['served'] else None
        problems = [f['message'] for f in endpoint['findings'] if f['severity'] in ('critical', 'error')]
        if served and served != after['thumbprint']:
            problems.insert(0, 'the server sends %s, not %s' % (served, after['thumbprint']))
        return problems
