# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_csr ``state: present``: every missing key and CSR of a Windows host in one execution (issue 21).

The host's pending requests are read once (the task's ``pending_requests``, from the role's list_pending task, or a
read here); each certificate is planned from that listing by the planner a single request uses
(``plan_windows_request`` on IIS, exchange_cert's ``find_pending_request`` on Exchange); what is missing is made in
ONE payload (csr_create_many, exchange_request_many), which also exports every pending key not yet backed up
(``backup_dir``). So a first run costs 2 executions (read; make and back up), a rerun 1 (the read), whatever the
number of certificates. Each CSR is written on the controller; each PFX is read back before it is kept.
"""

from __future__ import annotations

import base64
import os

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.filter.ascii_name import file_name
from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import (
    check_destination, read_text, write_if_changed)
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import choose_encryption
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import describe_entry
from ansible_collections.hkpost.ecert.plugins.module_utils.request._batch import plan_exchange_batch, plan_iis_batch
from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import (
    csr_matches, describe_csr, load_csr, pending_thumbprint)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import windows_subject
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_apply import (
    export_items, exported_pfx, keep_backups, plan_backups)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_checks import check_backup_options

_PEM = '-----BEGIN NEW CERTIFICATE REQUEST-----\n%s\n-----END NEW CERTIFICATE REQUEST-----\n'


def _pem(text):
    """Exchange's request text (base64 without armour on 2010 and 2016+) as PEM with LF line ends."""
    text = (text or '').replace('\r\n', '\n')
    return text if 'BEGIN' in text else _PEM % text.strip()


def _exchange_certificates(entries):
    described = []
    for raw in entries:
        if not raw.get('der'):
            continue
        info = describe_entry(raw)
        info.update(status=raw.get('status'), certificate_request=raw.get('certificate_request'))
        described.append(info)
    return described


def _defaults(args):
    return {key: args.get(key) for key in ('organization', 'organizational_unit', 'locality', 'state_or_province',
                                           'country', 'key_size', 'idn', 'friendly_name')}


def _check_options(args):
    if not args['csr_dir']:
        raise HkpostError('state: present writes each CSR to csr_dir/<file name>.csr on the controller: give csr_dir '
                          '(the csr role gives <hkpost_csr_output_dir>/<inventory_hostname>).')
    check_destination('csr_dir', args['csr_dir'], 'directory')
    if args['backup_dir'] is not None or args['backup_password']:
        if args['backup_dir'] is None:
            raise HkpostError('backup_password is given without backup_dir: give the controller directory the '
                              'pending-key PFX backups are written to. Nothing was requested.')
        check_backup_options(args['backup_dir'], args['backup_password'])


def _csr_path(args, request):
    return os.path.join(args['csr_dir'], file_name(request['common_name_ascii']) + '.csr')


def _result(plan, path):
    request = plan['request']
    return {'common_name': request['common_name'], 'common_name_ascii': request['common_name_ascii'],
            'certificate_type': request['certificate_type'], 'key_size': request['key_size'],
            'request_action': plan['action'], 'changed': plan['action'] != 'reuse', 'csr_path': path,
            'csr': None, 'public_key_sha256': None, 'thumbprint': None, 'backup': None, 'item': plan['entry']}


def _reused(plan, result, platform):
    if platform == 'exchange':
        existing = plan['pending']
        result.update(csr=_pem(existing.get('certificate_request')) if existing.get('certificate_request') else None,
                      thumbprint=existing['sha1'], public_key_sha256=existing['spki_sha256'])
        try:
            # The same PEM as when it was made (describe_csr's), so that a rerun leaves the CSR file alone.
            described = describe_csr(load_csr(result['csr'] or ''))
        except HkpostError:
            return   # as exchange_cert: Exchange's text is passed on as it is
        if described['public_key_sha256'] == existing['spki_sha256']:
            result.update(described)
        return
    result.update(describe_csr(plan['csr']), thumbprint=plan['pending']['thumbprint'])


def _created(plan, made, pending, result, platform):
    """One request the payload made: its CSR checked against what was asked, its pending request found by key."""
    request = plan['request']
    csr_text = made.get('csr') or ''
    if not csr_text:
        raise HkpostError('the host returned no certificate request text for %s; nothing can be submitted to Hongkong '
                          'Post.' % request['common_name_ascii'])
    csr = load_csr(_pem(csr_text) if platform == 'exchange' else csr_text, 'the CSR made for %s'
                   % request['common_name_ascii'])
    if platform == 'iis' and not csr_matches(csr, request):
        raise HkpostError('certreq produced a CSR for "%s" that is not what was asked for ("%s"); check the host\'s '
                          'certreq policy.' % (csr.subject.rfc4514_string(), windows_subject(request['subject'])))
    described = describe_csr(csr)
    thumbprint = (made.get('thumbprint') or '').upper() or pending_thumbprint(pending, described['public_key_sha256'])
    if not thumbprint:
        raise HkpostError('the pending request holding the key of the CSR made for %s is not listed on the host; its '
                          'key cannot be backed up.' % request['common_name_ascii'])
    result.update(described, thumbprint=thumbprint, host_csr_file=made.get('csr_file'))


def run_batch(action, args, task_vars, result):
    platform = args['platform']
    _check_options(args)
    host = task_vars.get('inventory_hostname')
    listing, read = action.listing(args, task_vars)
    if platform == 'exchange':
        plans = plan_exchange_batch(args['certificates'], _defaults(args), _exchange_certificates(read), args['force'])
    else:
        pending, saved = read
        plans = plan_iis_batch(args['certificates'], _defaults(args), pending, saved, args['force'])
    for plan in plans:
        for warning in plan['request']['warnings']:
            action._display.warning('certificates[%d]: %s' % (plan['index'], warning))
    results = [_result(plan, _csr_path(args, plan['request'])) for plan in plans]
    for path in (r['csr_path'] for r in results):
        check_destination('csr_dir', path, 'file')
    backup = args['backup_dir'] is not None
    known = []
    for plan, item in zip(plans, results):
        if plan['action'] == 'reuse':
            _reused(plan, item, platform)
            known.append(item)
    # The pending keys already on the host: backed up unless the controller holds their PFX already (a rerun asks the
    # host nothing). Those made below are backed up by the payload that makes them.
    planned = plan_backups(args['backup_dir'], args['backup_password'], host,
                           [('REQUEST', r['thumbprint'], True) for r in known], False) if backup else []
    to_create = [plan for plan in plans if plan['action'] != 'reuse']
    for item in results:
        for b in planned:
            if b['thumbprint'] == item['thumbprint']:
                item['backup'] = b['path']
                item['changed'] = item['changed'] or b['write']
    result.update(platform='windows', request_platform=platform, requests=results,
                  encryption=choose_encryption(listing.get('os_build')) if backup else None)
    if not action._task.check_mode and (to_create or any(b['write'] for b in planned)):
        _make(action, args, task_vars, platform, plans, results, planned, listing)
    for item in results:
        if item['csr']:
            before = read_text(item['csr_path'])
            wrote = write_if_changed(item['csr_path'], item['csr'], check_mode=action._task.check_mode)
            item['changed'] = item['changed'] or wrote
            if action._task.diff and wrote:
                result.setdefault('diff', []).append({'before': before or '', 'after': item['csr'],
                                                      'before_header': item['csr_path'],
                                                      'after_header': item['csr_path']})
    result['changed'] = any(item['changed'] for item in results)
    for item in results:
        # As a single hkpost_csr's result: what is not known yet (check mode, before the key exists) is left out, so a
        # template's default('(check mode)') applies.
        for key in ('csr', 'public_key_sha256', 'thumbprint'):
            if item[key] is None:
                del item[key]
    result['backups'] = [item['backup'] for item in results if item['backup']]


def _make(action, args, task_vars, platform, plans, results, planned, listing):
    """The one write execution: every missing request made, every pending key not yet backed up exported."""
    backup = args['backup_dir'] is not None
    creating = [(plan, item) for plan, item in zip(plans, results) if plan['action'] != 'reuse']
    params = {'Backup': backup, 'Items': export_items(planned), 'IncludeChain': False,
              'Encryption': choose_encryption(listing.get('os_build'))}
    sensitive = {'Password': args['backup_password']} if backup else {}
    if platform == 'exchange':
        if not creating:
            # Only backups: a PFX export needs no Exchange session (pfx_export_many).
            answer = {'created': [], 'pending': [], 'exports': [
                {'thumbprint': t, 'pfx': base64.b64encode(data).decode('ascii')}
                for t, data in action.export_pfx(task_vars, [(b['store'], b['thumbprint']) for b in planned
                                                             if b['write']], params['Encryption'], False,
                                                 args['backup_password']).items()]}
        else:
            base, session = action.exchange_connection(args, task_vars)
            params.update(base, Requests=[plan['create'] for plan, _item in creating])
            answer = action.payload(task_vars, 'exchange_request_many', params,
                                    sensitive_parameters=dict(sensitive, **session) or None)
    else:
        params.update(Requests=[plan['create'] for plan, _item in creating], RequestDir=args['request_dir'])
        answer = action.payload(task_vars, 'csr_create_many', params, sensitive_parameters=sensitive or None)
    made = answer.get('created') or []
    if len(made) != len(creating):
        raise AnsibleActionFail('the host answered for %d of the %d requests it was asked to make; rerun the task (it '
                                'reuses what was made).' % (len(made), len(creating)))
    for (plan, item), one in zip(creating, made):
        _created(plan, one, answer.get('pending'), item, platform)
    if backup:
        new = plan_backups(args['backup_dir'], args['backup_password'], task_vars.get('inventory_hostname'),
                           [('REQUEST', item['thumbprint'], True) for _plan, item in creating], False)
        for (_plan, item), b in zip(creating, new):
            item['backup'] = b['path']
        every = [b for b in planned if b['write']] + [dict(b, write=True) for b in new]
        exported = {e.get('thumbprint') for e in answer.get('exports') or [] if isinstance(e, dict)}
        missing = [b['thumbprint'] for b in every if b['thumbprint'] not in exported]
        if missing:
            raise AnsibleActionFail('the host made the requests but exported no PFX for the pending key(s) %s; no CSR '
                                    'was written. Rerun the task: it reuses the requests made and backs up what is '
                                    'missing.' % ', '.join(missing))
        # Each PFX read back with the password - the pending request asked for, with its key - before it is written.
        keep_backups(args['backup_password'], every, exported_pfx(answer, every))
