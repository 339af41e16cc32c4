# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""exchange_cert: request, import, enable and clean up Exchange certificates through implicit remoting."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography.hazmat.primitives import serialization
except ImportError as exc:
    serialization = MissingLibrary('cryptography', exc)


from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import write_if_changed
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import RETIRE_STORES, plan_retire
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import (
    enable_parameters, exchange_subject, find_pending_request, parse_services, plan_enabled, plan_present, product,
    reported_services, rollback_assignment, verify_server_name)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info, spki_sha256
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import (
    describe_entry, names, normalize_thumbprint, split_leaf)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._certreq_inf import refuse_control_characters
from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import load_csr, pending_thumbprint
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import CERTIFICATE_TYPES, a_label_host
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._controller_input import read_src_or_content
from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import check_destination
from ansible_collections.hkpost.ecert.plugins.plugin_utils._exchange_session import SESSION_OPTIONS, exchange_session
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_apply import backup_and_retire
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_checks import (
    BACKUP_FILE_OPTIONS, check_backup_options)


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'state': {'type': 'str', 'default': 'present', 'choices': ['requested', 'present', 'enabled']},
        # state: enabled - an installed certificate, by thumbprint (a rollback after a failed check)
        'thumbprint': {'type': 'str'},
        **SESSION_OPTIONS,
        # state: requested - the same subject rules as hkpost_csr
        'common_name': {'type': 'str'},
        'certificate_type': {'type': 'str', 'default': 'standard', 'choices': list(CERTIFICATE_TYPES)},
        'organization': {'type': 'str'},
        'organizational_unit': {'type': 'str'},
        'locality': {'type': 'str', 'default': 'Hong Kong'},
        'state_or_province': {'type': 'str', 'default': 'Hong Kong'},
        'country': {'type': 'str', 'default': 'HK'},
        'subject_alt_names': {'type': 'list', 'elements': 'str', 'default': []},
        'idn': {'type': 'str', 'default': 'punycode', 'choices': ['punycode', 'unicode']},
        'key_size': {'type': 'int', 'default': 2048},
        'friendly_name': {'type': 'str', 'default': 'Hongkong Post e-Cert'},
        'csr_path': {'type': 'path'},
        # state: present
        'src': {'type': 'path'},
        'content': {'type': 'str'},
        'services': {'type': 'list', 'elements': 'str', 'default': ['IIS', 'SMTP']},
        'remove_superseded': {'type': 'bool', 'default': False},
        # with remove_superseded: the one retire policy's options (hkpost_install's, hkpost_retire's)
        'retire_grace_days': {'type': 'int', 'default': 0},
        'backup': {'type': 'bool', 'default': True},
        **BACKUP_FILE_OPTIONS,
    }
    MUTUALLY_EXCLUSIVE = [['src', 'content']]
    REQUIRED_IF = [['state', 'requested', ['common_name', 'organization']],
                   ['state', 'present', ['src', 'content'], True],
                   ['state', 'enabled', ['thumbprint']]]

    def exchange(self, task_vars, name, params=None):
        base, sensitive = self._conn
        return self.payload(task_vars, name, dict(base, **(params or {})), sensitive_parameters=sensitive or None)

    def check_options(self, args):
        """Everything the options alone decide, before the first payload (each opens a remoting session).

        The inputs are read and parsed here only to refuse bad ones early; the steps below read them again.
        """
        if args['server']:
            a_label_host(args['server'], 'server')
        if args['state'] == 'requested':
            if args['csr_path']:
                check_destination('csr_path', args['csr_path'], 'file')
            csr_request(args)
            # Its message says nothing was sent to the host: true only here, before exchange_read.
            refuse_control_characters('friendly_name', args['friendly_name'])
        elif args['state'] == 'present':
            split_leaf(read_src_or_content(self, args), 'issued certificate')
            parse_services(args['services'])
            if args['remove_superseded']:
                if args['retire_grace_days'] < 0:
                    raise HkpostError('retire_grace_days is %d; give 0 (retire at once) or a number of days.'
                                      % args['retire_grace_days'])
                if args['backup']:
                    # What is removed is backed up first (the one retire policy): refused here, not after enabling.
                    if not args['backup_dir']:
                        raise HkpostError('remove_superseded backs up what it removes: give backup_dir and '
                                          'backup_password, or backup: false. Nothing was changed.')
                    check_backup_options(args['backup_dir'], args['backup_password'])

    def run_hkpost(self, args, task_vars, result):
        self.check_options(args)
        # The endpoint and the second hop, refused here when they cannot work: every payload opens the session.
        params, sensitive, _way = exchange_session(self, args, task_vars)
        self._conn = (params, sensitive)
        state = self.exchange(task_vars, 'exchange_read')
        version = product(state.get('version'))
        result.update(exchange_version=version['version'], exchange_product=version['product'],
                      connection_uri=self._conn[0]['ConnectionUri'])
        certificates = []
        for raw in state.get('certificates') or []:
            if not raw.get('der'):
                continue
            info = describe_entry(raw)
            info.update(status=raw.get('status'), services=reported_services(raw),
                        certificate_request=raw.get('certificate_request'))
            certificates.append(info)
        if args['state'] == 'requested':
            self._requested(args, task_vars, certificates, result)
        elif args['state'] == 'enabled':
            self._enabled(args, task_vars, certificates, result)
        else:
            self._present(args, task_vars, certificates, result)

    def _enabled(self, args, task_vars, certificates, result):
        thumbprint = normalize_thumbprint(args['thumbprint'], 'thumbprint')
        services = parse_services(args['services'])
        decision = plan_enabled(thumbprint, certificates, services)
        result.update(thumbprint=thumbprint, services=sorted(services), changed=bool(decision['steps']),
                      steps=[s['step'] for s in decision['steps']])
        if self._task.diff:
            result['diff'] = {'before': {thumbprint: decision['target']['services']},
                              'after': {thumbprint: sorted(set(decision['target']['services']) | services)}}
        if self._task.check_mode:
            return
        for step in decision['steps']:
            self.exchange(task_vars, 'exchange_enable', {'Thumbprint': thumbprint, 'Services': step['services']})

    def _requested(self, args, task_vars, certificates, result):
        request = csr_request(args)
        for warning in request['warnings']:
            self._display.warning(warning)
        subject = exchange_subject(request['subject'])
        domains = request['sans'] or [request['common_name_ascii']]
        existing = find_pending_request(certificates, request['common_name'])
        result.update(subject=subject, domain_names=domains, changed=existing is None)
        if existing:
            result.update(csr=existing.get('certificate_request'), thumbprint=existing['sha1'],
                          public_key_sha256=existing['spki_sha256'])
        elif not self._task.check_mode:
            answer = self.exchange(task_vars, 'exchange_request', {
                'SubjectName': subject, 'DomainName': domains, 'KeySize': request['key_size'],
                'FriendlyName': args['friendly_name']})
            result.update(csr=answer.get('csr'), thumbprint=answer.get('thumbprint'))
            csr_text = answer.get('csr') or ''
            if not csr_text:
                # New-ExchangeCertificate answered without request text (a certificate made instead of a
                # request, or a 2013 pending object whose CertificateRequest is empty): nothing to submit.
                raise AnsibleActionFail('Exchange returned no certificate request text for %s (New-ExchangeCertificate '
                                        'thumbprint: %s); nothing can be submitted to Hongkong Post'
                                        % (request['common_name'], answer.get('thumbprint')))
            if 'BEGIN' not in csr_text:
                csr_text = ('-----BEGIN NEW CERTIFICATE REQUEST-----\n%s\n-----END NEW CERTIFICATE REQUEST-----\n'
                            % csr_text.strip())
            # RETURN promises public_key_sha256 whenever the request text is known: 2013's answer too.
            result['public_key_sha256'] = spki_sha256(load_csr(csr_text, 'the request Exchange made').public_key())
            if not result['thumbprint']:
                # 2010 and 2016+ return only the request text: find its pending request by the CSR's key.
                result['thumbprint'] = pending_thumbprint(answer.get('pending'), result['public_key_sha256'])
        if args['csr_path'] and result.get('csr'):
            csr = result['csr']
            if 'BEGIN' not in csr:
                csr = '-----BEGIN NEW CERTIFICATE REQUEST-----\n%s\n-----END NEW CERTIFICATE REQUEST-----\n' % csr.strip()
            result['csr'] = csr
            wrote = write_if_changed(args['csr_path'], csr.replace('\r\n', '\n'), check_mode=self._task.check_mode)
            result['changed'] = result['changed'] or wrote
            result['csr_path'] = args['csr_path']

    def _present(self, args, task_vars, certificates, result):
        leaf_cert, chain = split_leaf(read_src_or_content(self, args), 'issued certificate')
        leaf = cert_info(leaf_cert)
        services = parse_services(args['services'])
        decision = plan_present(leaf, certificates, services, args['remove_superseded'])
        before = {c['sha1']: c['services'] for c in certificates}
        result.update(names=names(leaf), server_name=verify_server_name(leaf, self._conn[0]['Server']),
                      rollback=rollback_assignment(leaf, certificates, services))
        result.update(thumbprint=leaf['sha1'], services=sorted(services), superseded=decision['superseded'],
                      kept=decision['kept'], steps=[s['step'] for s in decision['steps']],
                      removed=[s['thumbprint'] for s in decision['steps'] if s['step'] == 'remove'],
                      changed=bool(decision['steps']), chain=[cert_info(c)['subject_cn'] for c in chain])
        if self._task.diff:
            result['diff'] = {'before': {'certificates': before},
                              'after': {'certificates': {k: v for k, v in decision['services_after'].items()
                                                         if k not in result['removed']}}}
        if self._task.check_mode:
            return
        # Import and enable in one trip (exchange_enable), as hkpost_install sends them.
        params = enable_parameters(leaf['sha1'], leaf_cert.public_bytes(serialization.Encoding.DER), decision['steps'])
        if params:
            self.exchange(task_vars, 'exchange_enable', params)
        if args['remove_superseded']:
            self._remove_superseded(args, task_vars, leaf, result)

    def _remove_superseded(self, args, task_vars, leaf, result):
        """Re-read after enabling (what Exchange itself now says), then the one retire policy, as hkpost_install
        and hkpost_retire apply it: replaced by this certificate, unused, past the grace days, backed up first."""
        state = self.exchange(task_vars, 'retire_read', {'StoreNames': list(RETIRE_STORES), 'Exchange': True})
        decision = plan_retire(state.get('stores') or {}, state, replaced_by=[leaf['sha1']],
                               grace_days=args['retire_grace_days'])
        backups = backup_and_retire(self, task_vars, state.get('os_build'),
                                    (args['backup_dir'], args['backup_password']) if args['backup'] else None,
                                    decision['retire'])
        result.update(removed=[r['thumbprint'] for r in decision['retire']], retired=decision['retire'],
                      kept=decision['kept'], backups=backups, superseded=[r['thumbprint'] for r in decision['retire']])
