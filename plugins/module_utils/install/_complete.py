# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Completing a pending certificate request: which request the issued certificate belongs to.

IIS's "Complete Certificate Request" and ``certreq -accept -machine`` pair the issued certificate
with the key of the pending request in LocalMachine\\REQUEST. The pairing is by public key, so the
match is made here by SPKI SHA-256 (the value hkpost_csr returns), before anything is sent: a
certificate for another key fails with the list of what is pending, and nothing changes.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import brief, is_not_yet_valid, refuse_expired


def default_friendly_name(leaf):
    return 'Hongkong Post e-Cert %s (expires %s)' % (leaf['subject_cn'], leaf['not_after'][:10])


def plan_completion(leaf, pending, installed, now=None):
    """Decide what completing ``leaf`` means on a host.

    ``leaf`` is cert_info of the issued certificate; ``pending`` and ``installed`` are described
    store entries (REQUEST and My). Returns ``{'action': 'none'|'accept', 'installed': info or None,
    'request': info or None, 'warnings': [...]}``; raises HkpostError when the certificate cannot be
    completed here.
    """
    refuse_expired(leaf, now, 'the issued certificate')
    warnings = []
    if is_not_yet_valid(leaf, now):
        warnings.append('the issued certificate %s is not valid before %s.' % (leaf['subject_cn'], leaf['not_before']))
    if not leaf['is_hkpost']:
        warnings.append('the issued certificate %s was issued by %s, not by a Hongkong Post intermediate.'
                        % (leaf['subject_cn'], leaf['issuer']))
    same = [c for c in installed if c['sha1'] == leaf['sha1']]
    if any(c['has_private_key'] for c in same):
        return {'action': 'none', 'installed': next(c for c in same if c['has_private_key']), 'request': None,
                'warnings': warnings}
    matches = [p for p in pending if p['spki_sha256'] == leaf['spki_sha256'] and p['has_private_key']]
    if not matches:
        listing = '; '.join('%s [SPKI SHA-256 %s]' % (brief(p), p['spki_sha256']) for p in pending) or 'none'
        hint = (' It is installed in LocalMachine\\My WITHOUT its private key (imported as a .cer?): the key '
                'exists only where the request was made.' if same else '')
        raise HkpostError(
            'the issued certificate %s [SPKI SHA-256 %s] matches no pending request on this host: its key was '
            'not generated here, or the request was deleted.%s Pending requests in LocalMachine\\REQUEST: %s. Run '
            'this task on the host that made the request (hkpost_csr returns spki_sha256 to compare), or restore '
            'that request\'s key from its PFX backup. Nothing was changed.'
            % (brief(leaf), leaf['spki_sha256'], hint, listing))
    return {'action': 'accept', 'installed': None, 'request': matches[0], 'warnings': warnings}
