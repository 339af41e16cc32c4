# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The writes every install-side module shares: PFX backups and retiring, one implementation each.

hkpost_install (IIS and Exchange), hkpost_retire, exchange_cert's remove_superseded and hkpost_pfx back up (and
the first three retire) through here, so a certificate is never removed without the backup its caller asked for, read back on the
controller first, and a fix to either lands in every module at once.
"""

from __future__ import annotations

import base64

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import check_destination, write_if_changed
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import (
    backup_path, choose_encryption, plan_backup, read_pfx)


def plan_backups(backup_dir, password, host, items, force=False, option='backup_dir'):
    """Which PFX backups to write: ``items`` are ``(store, thumbprint, has_private_key)``. Returns one
    ``{thumbprint, store, path, write, reason}`` per item; a certificate without its key has nothing to back up.
    A destination that cannot be a file (``backup_dir`` is a file, say) is refused here, before the host changes."""
    planned = []
    for store, thumbprint, has_key in items:
        if not has_key:
            planned.append({'thumbprint': thumbprint, 'store': store, 'path': None, 'write': False,
                            'reason': 'no private key on the host'})
            continue
        path = backup_path(backup_dir, host, thumbprint)
        check_destination(option, path, 'file')
        try:
            with open(path, 'rb') as f:
                existing = f.read()
        except FileNotFoundError:
            existing = None
        decision = plan_backup(existing, thumbprint, password, force, 'backup file %s' % path)
        planned.append({'thumbprint': thumbprint, 'store': store, 'path': path, 'write': decision['write'],
                        'reason': decision['reason']})
    return planned


def write_backups(action, task_vars, os_build, password, backups, encryption=None, include_chain=True,
                  option='backup_dir'):
    """Every backup to write in one trip (pfx_export_many), each read back on the controller before it is written:
    the certificate asked for, with its key. Raises HkpostError - before anything is retired - when not.
    Returns ``{thumbprint: read_pfx's answer}`` of what was written."""
    backups = [b for b in backups if b['write']]
    if not backups:
        return {}
    exported = action.export_pfx(task_vars, [(b['store'], b['thumbprint']) for b in backups],
                                 choose_encryption(os_build, encryption or 'auto'), include_chain, password)
    return keep_backups(password, backups, exported, option)


def export_items(backups):
    """The Items of the pfx_export prelude (pfx_export_many, exchange_enable) for the backups to write."""
    return [{'store': b['store'], 'thumbprint': b['thumbprint']} for b in backups if b['write']]


def exported_pfx(answer, backups):
    """``{thumbprint: PFX bytes}`` from a payload answer's ``exports`` (b'' for one missing: the read-back refuses it)."""
    exported = {e.get('thumbprint'): e for e in answer.get('exports') or [] if isinstance(e, dict)}
    return {b['thumbprint']: base64.b64decode((exported.get(b['thumbprint']) or {}).get('pfx') or '')
            for b in backups if b['write']}


def keep_backups(password, backups, exported, option='backup_dir'):
    """Each exported PFX read back with the password - the certificate asked for, with its key - then written."""
    backups = [b for b in backups if b['write']]
    written = {}
    for backup in backups:
        data = exported[backup['thumbprint']]
        found = read_pfx(data, password, 'the PFX the host exported for %s' % backup['thumbprint'])
        if found['certificate']['sha1'] != backup['thumbprint'] or not found['has_private_key']:
            raise HkpostError('the host exported %s%s instead of %s with its key; the backup was not written (and '
                              'nothing is retired without it).'
                              % (found['certificate']['sha1'], '' if found['has_private_key'] else ' without a key',
                                 backup['thumbprint']))
        check_destination(option, backup['path'], 'file')
        write_if_changed(backup['path'], data, mode=0o600)
        written[backup['thumbprint']] = found
    return written


def retire(action, task_vars, retired):
    """Remove plan_retire's decisions: exactly those (store, thumbprint) pairs, in one trip (retire_apply)."""
    if retired:
        action.payload(task_vars, 'retire_apply', {'Removals': [{'store': r['store'], 'thumbprint': r['thumbprint']}
                                                                for r in retired]})


def backup_and_retire(action, task_vars, os_build, backup, retired):
    """``backup``: None, or ``(backup_dir, password)``. The retired certificates backed up first, then removed.
    Returns the backups as listed in a result."""
    planned = []
    if backup:
        planned = plan_backups(backup[0], backup[1], task_vars.get('inventory_hostname'),
                               [(r['store'], r['thumbprint'], r['has_private_key']) for r in retired])
        write_backups(action, task_vars, os_build, backup[1], planned)
    retire(action, task_vars, retired)
    return listed(planned)


def listed(backups):
    return [{'thumbprint': b['thumbprint'], 'path': b['path'], 'reason': b['reason']} for b in backups]
