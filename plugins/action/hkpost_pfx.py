# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_pfx: back up a certificate with its key to the controller as PFX, and restore it."""

from __future__ import annotations

import base64
import glob
import os

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import check_destination
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import normalize_thumbprint
from ansible_collections.hkpost.ecert.plugins.module_utils.install._backup_selection import (
    bound_thumbprints, plan_restore, select_for_backup)
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import (
    AES256_SHA256, TRIPLEDES_SHA1, backup_folder, backup_path, choose_encryption, plan_backup, read_pfx,
    refuse_expired_restore, refuse_for_build, uses_aes)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_apply import plan_backups, write_backups
from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_checks import check_backup_options
from ansible_collections.hkpost.ecert.plugins.plugin_utils._controller_input import read_controller_file
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'state': {'type': 'str', 'default': 'exported', 'choices': ['exported', 'imported', 'restored']},
        'thumbprint': {'type': 'str'},
        'all_hongkong_post': {'type': 'bool', 'default': False},
        'store': {'type': 'str', 'default': 'My', 'choices': ['My', 'WebHosting', 'REQUEST']},
        'dest': {'type': 'path'},
        'src': {'type': 'path'},
        'password': {'type': quoted_text, 'required': True, 'no_log': True},
        'encryption': {'type': 'str', 'default': 'auto', 'choices': ['auto', 'aes256_sha256', 'tripledes_sha1']},
        'include_chain': {'type': 'bool', 'default': True},
        'exportable': {'type': 'bool', 'default': False},
        'friendly_name': {'type': 'str'},
        'force': {'type': 'bool', 'default': False},
        'allow_expired': {'type': 'bool', 'default': False},
    }
    REQUIRED_IF = [['state', 'exported', ['dest']], ['state', 'exported', ['thumbprint', 'all_hongkong_post'], True],
                   ['state', 'imported', ['src']], ['state', 'restored', ['src']]]
    MUTUALLY_EXCLUSIVE = [['thumbprint', 'all_hongkong_post']]

    def run_hkpost(self, args, task_vars, result):
        check_backup_options(args['dest'] if args['state'] == 'exported' else None, args['password'],
                             dir_option='dest', password_option='password')
        if args['state'] == 'exported' and args['all_hongkong_post']:
            self._export_all(args, task_vars, result)
        elif args['state'] == 'exported':
            self._export(args, task_vars, result)
        elif args['state'] == 'restored':
            self._restore_folder(args, task_vars, result)
        else:
            self._import(args, task_vars, result)

    def _export_all(self, args, task_vars, result):
        """Every Hongkong Post certificate with its key in ``store``: one read, one export trip."""
        store = args['store']
        state = self.payload(task_vars, 'retire_read', {'StoreNames': [store], 'Exchange': False})
        selected = select_for_backup((state.get('stores') or {}).get(store), store)
        # The same planning and read-back as hkpost_install's and hkpost_retire's backups (plugin_utils/_install_apply).
        planned = plan_backups(args['dest'], args['password'], task_vars.get('inventory_hostname'),
                               [(store, info['sha1'], True) for info in selected], args['force'], 'dest')
        subjects = {info['sha1']: info['subject'] for info in selected}
        encryption = choose_encryption(state.get('os_build'), args['encryption'])
        result.update(backups=[{'thumbprint': b['thumbprint'], 'subject': subjects[b['thumbprint']], 'path': b['path'],
                                'changed': b['write'], 'reason': b['reason']} for b in planned],
                      encryption=encryption, os_build=state.get('os_build'), changed=any(b['write'] for b in planned))
        if self._task.check_mode:
            return
        try:
            write_backups(self, task_vars, state.get('os_build'), args['password'], planned, args['encryption'],
                          args['include_chain'], 'dest')
        except HkpostError as e:
            raise AnsibleActionFail(str(e), result=result)

    def _restore_folder(self, args, task_vars, result):
        """The host's backups in ``src``/<host>/: what plan_restore chooses, each checked before any import."""
        store = args['store']
        if store == 'REQUEST':
            raise HkpostError('store REQUEST cannot be restored into: restore the issued certificate into My.')
        # The backup folder is where backup.yml wrote: relative to the directory ansible-playbook runs in.
        root = os.path.abspath(os.path.expanduser(args['src']))
        if not os.path.isdir(root):
            raise HkpostError('src: %s is not a directory on the controller; give the backup folder (backup.yml\'s '
                              'hkpost_backup_dir, default hkpost-output/backup).' % root)
        folder = backup_folder(root, task_vars.get('inventory_hostname'))
        files = sorted(glob.glob(os.path.join(folder, '*.pfx')))
        if not files:
            raise HkpostError('there is no PFX backup for this host in %s (backup.yml writes them there); nothing '
                              'was restored.' % folder)
        backups = []
        for path in files:
            with open(path, 'rb') as f:
                data = f.read()
            backups.append(dict(read_pfx(data, args['password'], 'PFX file %s' % path), path=path, data=data))
        state = self.payload(task_vars, 'retire_read', {'StoreNames': [store], 'Exchange': False})
        present = {e['thumbprint'].upper() for e in (state.get('stores') or {}).get(store) or []
                   if e.get('has_private_key')}
        decision = plan_restore(backups, bound_thumbprints(state.get('iis')), present)
        for backup in decision['restore']:
            refuse_for_build(backup['data'], state.get('os_build'), 'PFX file %s' % backup['path'])
        brief = [{'thumbprint': b['certificate']['sha1'], 'subject': b['certificate']['subject'], 'path': b['path']}
                 for b in decision['restore']]
        result.update(restored=brief, store=store, not_restored=decision['skipped'],
                      already_present=[b['certificate']['sha1'] for b in decision['present']],
                      changed=bool(brief))
        if self._task.check_mode:
            return
        for backup in decision['restore']:
            params = {'PfxBase64': base64.b64encode(backup['data']).decode('ascii'), 'Exportable': args['exportable'],
                      'Store': store}
            try:
                self.payload(task_vars, 'pfx_import', params, sensitive_parameters={'Password': args['password']})
            except PayloadError as e:
                raise AnsibleActionFail('restoring %s into LocalMachine\\%s failed on the host: %s'
                                        % (backup['certificate']['sha1'], store, e.args[0]), result=result)

    def _export(self, args, task_vars, result):
        thumbprint = normalize_thumbprint(args['thumbprint'], 'thumbprint')
        store = args['store']
        path = backup_path(args['dest'], task_vars.get('inventory_hostname'), thumbprint)
        check_destination('dest', path, 'file')
        try:
            with open(path, 'rb') as f:
                existing = f.read()
        except FileNotFoundError:
            existing = None
        decision = plan_backup(existing, thumbprint, args['password'], args['force'], 'backup file %s' % path)
        if not decision['write']:
            # The backup on the controller already holds this certificate with its key and opens with this
            # password: nothing to ask the host (a rerun costs no round trip).
            result.update(path=path, thumbprint=thumbprint, changed=False, reason=decision['reason'], os_build=None,
                          encryption=AES256_SHA256 if uses_aes(existing) else TRIPLEDES_SHA1)
            return
        state = self.payload(task_vars, 'pfx_state', {'Store': store, 'Thumbprint': thumbprint})
        cert = state.get('certificate')
        if not cert:
            raise HkpostError('certificate %s is not in LocalMachine\\%s on this host; nothing to back up.'
                              % (thumbprint, store))
        if not cert.get('has_private_key'):
            raise HkpostError('certificate %s in LocalMachine\\%s has no private key on this host, so a PFX backup '
                              'would not hold the key that makes it usable.' % (thumbprint, store))
        if cert.get('exportable') is False:
            raise HkpostError('the private key of %s is marked non-exportable, so Windows refuses to export it. It '
                              'was imported without "allow export" (hkpost_pfx exportable: false); a new request is '
                              'the only way to get a backup-able key.' % thumbprint)
        encryption = choose_encryption(state.get('os_build'), args['encryption'])
        result.update(path=path, thumbprint=thumbprint, encryption=encryption, os_build=state.get('os_build'),
                      changed=decision['write'], reason=decision['reason'])
        if self._task.check_mode:
            return
        written = write_backups(self, task_vars, state.get('os_build'), args['password'],
                                [{'store': store, 'thumbprint': thumbprint, 'path': path, 'write': True}],
                                args['encryption'], args['include_chain'], 'dest')
        result['chain'] = written[thumbprint]['chain']

    def _import(self, args, task_vars, result):
        store = args['store']
        if store == 'REQUEST':
            raise HkpostError('store REQUEST cannot be restored into: restore the issued certificate into My.')
        data = read_controller_file(self, 'src', args['src'])
        found = read_pfx(data, args['password'], 'PFX file %s' % args['src'])
        thumbprint = found['certificate']['sha1']
        if not found['has_private_key']:
            raise HkpostError('PFX file %s holds %s without its private key; restoring it would not make it usable.'
                              % (args['src'], thumbprint))
        expired = refuse_expired_restore(found['certificate'], args['allow_expired'], 'PFX file %s' % args['src'])
        if expired:
            self._display.warning(expired)
        state = self.payload(task_vars, 'pfx_state', {'Store': store, 'Thumbprint': thumbprint})
        cert = state.get('certificate') or {}
        result.update(thumbprint=thumbprint, store=store, subject=found['certificate']['subject'],
                      not_after=found['certificate']['not_after'], key_storage='machine',
                      changed=not cert.get('has_private_key'))
        if not result['changed']:
            result['exportable'] = cert.get('exportable')
            return
        refuse_for_build(data, state.get('os_build'), 'PFX file %s' % args['src'])
        result['exportable'] = args['exportable']
        if self._task.check_mode:
            return
        # The PFX is already encrypted: plain parameters (a SecureString caps at 65,536 characters).
        params = {'PfxBase64': base64.b64encode(data).decode('ascii'), 'Exportable': args['exportable'],
                  'Store': store}
        if args['friendly_name']:
            params['FriendlyName'] = args['friendly_name']
        try:
            self.payload(task_vars, 'pfx_import', params, sensitive_parameters={'Password': args['password']})
        except PayloadError as e:
            raise AnsibleActionFail('restoring %s into LocalMachine\\%s failed on the host: %s'
                                    % (thumbprint, store, e.args[0]), result=result)
