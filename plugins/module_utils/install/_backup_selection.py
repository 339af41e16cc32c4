# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which certificates a backup takes by default, and which backups a restore puts back.

backup.yml and restore.yml with their defaults must be safe for a whole fleet (issue 21): a backup with nothing
listed used to back up nothing, and a restore of "every PFX in the folder" put retired certificates and
pending-request placeholders back into LocalMachine\\My, where IIS, Exchange and the retire rules would see them
as live certificates again.

- A backup takes every Hongkong Post server certificate with its private key in the store: what the
  collection installs (the leaves; never a CA certificate, never another CA's certificate).
- A restore takes, from the host's backup folder, only Hongkong Post server certificates with their key,
  unexpired, and of those: every one an IIS binding on the host names (http.sys mapping), and the newest of
  each common name otherwise. An older backup of a name whose newer certificate is backed up is a retired
  one; a pending request's backup holds the self-signed placeholder certreq made, not an issued certificate.
  Both are skipped, each with its reason.
"""

from __future__ import annotations

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import describe_entry, is_expired


def _is_installed_kind(info):
    return info.get('is_hkpost') and info.get('role') == 'leaf' and info.get('hierarchy') == 'production'


def select_for_backup(entries, store):
    """Store entries (a read payload's answer) the default backup takes: Hongkong Post leaves with a key."""
    chosen = []
    for entry in entries or []:
        info = describe_entry(entry, store)
        if _is_installed_kind(info) and info['has_private_key']:
            chosen.append(info)
    return chosen


def bound_thumbprints(iis_state):
    """Thumbprints http.sys serves for the host's https bindings (IP and SNI mappings)."""
    found = set()
    sslcert = (iis_state or {}).get('sslcert') or {}
    for kind in ('ipport', 'hostnameport'):
        for mapping in sslcert.get(kind) or []:
            if mapping.get('thumbprint'):
                found.add(mapping['thumbprint'].upper())
    return found


def _names(info):
    # The lineage of a certificate is its common name (the registered server name): a renewal may add or drop
    # a SAN, and must still replace its predecessor.
    return (info.get('subject_cn') or info['subject']).lower()


def plan_restore(backups, bound, present_with_key, now=None):
    """``backups``: [{'path', 'certificate' (cert_info), 'has_private_key'}] read with the password.

    Returns ``{'restore': [backup...], 'skipped': [{'path', 'thumbprint', 'reason'}...], 'present': [...]}``;
    ``present`` are the chosen backups whose certificate is already on the host with its key.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    skipped, candidates = [], []
    for backup in backups:
        info = backup['certificate']
        reason = None
        if not backup['has_private_key']:
            reason = 'holds no private key'
        elif info.get('self_signed'):
            reason = 'a pending request\'s placeholder (self-signed), not an issued certificate'
        elif not _is_installed_kind(info):
            reason = 'not a Hongkong Post server certificate (issued by %s)' % (info.get('issuer_cn') or info['issuer'])
        elif is_expired(info, now):
            reason = 'expired on %s' % info['not_after']
        if reason:
            skipped.append({'path': backup['path'], 'thumbprint': info['sha1'], 'reason': reason})
        else:
            candidates.append(backup)
    chosen = [b for b in candidates if b['certificate']['sha1'] in bound]
    covered = {_names(b['certificate']) for b in chosen}
    newest = {}
    for backup in candidates:
        names = _names(backup['certificate'])
        if names in covered:
            continue
        if names not in newest or backup['certificate']['not_before'] > newest[names]['certificate']['not_before']:
            newest[names] = backup
    chosen += sorted(newest.values(), key=lambda b: b['path'])
    chosen_ids = {b['certificate']['sha1'] for b in chosen}
    for backup in candidates:
        if backup['certificate']['sha1'] not in chosen_ids:
            successor = next(b for b in chosen if _names(b['certificate']) == _names(backup['certificate']))
            skipped.append({'path': backup['path'], 'thumbprint': backup['certificate']['sha1'],
                            'reason': 'retired: %s of the same names is %s' % (
                                successor['certificate']['sha1'],
                                'bound on the host' if successor['certificate']['sha1'] in bound else 'newer')})
    restore = [b for b in chosen if b['certificate']['sha1'] not in present_with_key]
    present = [b for b in chosen if b['certificate']['sha1'] in present_with_key]
    return {'restore': restore, 'present': present, 'skipped': sorted(skipped, key=lambda s: s['path'])}
