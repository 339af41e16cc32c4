# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PFX (PKCS#12) backups of the certificate and its key, read and checked on the controller.

Windows before build 17763 (Server 2016 and older, so every Exchange 2010 host) cannot import an
AES-256 PFX and says "The specified network password is not correct", which sends people looking
for a wrong password. The encryption is therefore chosen by the build of the host that will read
the file: AES-256-SHA256 from 17763 on, 3DES-SHA1 before.
"""

from __future__ import annotations

import os
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography.hazmat.primitives.serialization import pkcs12
except ImportError as exc:
    pkcs12 = MissingLibrary('cryptography', exc)


from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import is_expired

AES_MIN_BUILD = 17763
AES256_SHA256 = 'AES256_SHA256'
TRIPLEDES_SHA1 = 'TripleDES_SHA1'
ENCRYPTION_CHOICES = {'auto': None, 'aes256_sha256': AES256_SHA256, 'tripledes_sha1': TRIPLEDES_SHA1}
_UNSAFE = re.compile(r'[^A-Za-z0-9._-]')


def choose_encryption(os_build, requested='auto'):
    """The Export-PfxCertificate -CryptoAlgorithmOption for a host of ``os_build``."""
    build = int(os_build or 0)
    if requested not in ENCRYPTION_CHOICES:
        raise HkpostError('encryption must be one of %s, not "%s".' % (', '.join(ENCRYPTION_CHOICES), requested))
    if requested == 'auto':
        return AES256_SHA256 if build >= AES_MIN_BUILD else TRIPLEDES_SHA1
    chosen = ENCRYPTION_CHOICES[requested]
    if chosen == AES256_SHA256 and build < AES_MIN_BUILD:
        raise HkpostError('encryption aes256_sha256 is refused for a host of build %d: Windows before build %d '
                          '(Server 2019) can neither write nor import an AES-256 PFX. Use encryption: auto or '
                          'tripledes_sha1.' % (build, AES_MIN_BUILD))
    return chosen


def backup_folder(directory, host):
    """DIRECTORY/HOST, the host name made safe for a file name: where a host's backups are written and where a
    restore looks for them (the one rule for both, so that an inventory name such as an IPv6 address finds them)."""
    return os.path.join(directory, _UNSAFE.sub('_', host or 'host').strip('.') or 'host')


def backup_path(directory, host, thumbprint):
    """One file per host and certificate: DIRECTORY/HOST/THUMBPRINT.pfx."""
    return os.path.join(backup_folder(directory, host), '%s.pfx' % thumbprint.upper())


def read_pfx(data, password, what='PFX file'):
    """Open a PFX with ``password``; return the leaf's cert_info, whether the key is in it, the chain count.

    A wrong password is an HkpostError saying so (PKCS#12 cannot tell a wrong password from damage,
    so both are named).
    """
    try:
        parsed = pkcs12.load_pkcs12(data, password.encode('utf-8') if password is not None else None)
    except ValueError as e:
        raise HkpostError('%s could not be opened with the password given: the password is wrong, or the file is '
                          'not a PFX/PKCS#12 file or is damaged (%s). Nothing was changed.' % (what, e))
    if parsed.cert is None:
        raise HkpostError('%s holds no certificate with a private key; it is not a backup of a server certificate.'
                          % what)
    info = cert_info(parsed.cert.certificate)
    return {'certificate': info, 'has_private_key': parsed.key is not None,
            'chain': [cert_info(c.certificate)['subject_cn'] for c in parsed.additional_certs]}


def plan_backup(existing, thumbprint, password, force=False, what='backup file'):
    """Whether a backup must be written, given the bytes already at the destination (or None)."""
    if existing is None:
        return {'write': True, 'reason': 'no backup yet'}
    if force:
        return {'write': True, 'reason': 'force: true'}
    try:
        found = read_pfx(existing, password, what)
    except HkpostError as e:
        raise HkpostError('%s exists but %s Give the password it was made with, or force: true to replace it.'
                          % (what, str(e).replace(' Nothing was changed.', '').split(what + ' ', 1)[-1]))
    if found['certificate']['sha1'] != thumbprint or not found['has_private_key']:
        return {'write': True, 'reason': 'the file holds %s%s' % (
            found['certificate']['sha1'], '' if found['has_private_key'] else ' without its key')}
    return {'write': False, 'reason': 'the backup exists and opens with this password'}


# DER of the AES-256-CBC algorithm identifier's OID (2.16.840.1.101.3.4.1.42): present in a PBES2/AES-256 PFX.
_AES256_CBC_OID = bytes.fromhex('060960864801650304012a')


def uses_aes(data):
    """Whether a PFX is AES-encrypted (which hosts before build 17763 cannot import)."""
    return _AES256_CBC_OID in data


def refuse_for_build(data, os_build, what='PFX file'):
    if uses_aes(data) and int(os_build or 0) < AES_MIN_BUILD:
        raise HkpostError('%s is AES-256 encrypted, which this host (Windows build %s, before %d) cannot import: it '
                          'would report "The specified network password is not correct". Export it again with '
                          'encryption: tripledes_sha1. Nothing was changed.' % (what, os_build, AES_MIN_BUILD))


def refuse_expired_restore(info, allow_expired=False, what='PFX file', now=None):
    """An expired certificate is refused on restore unless ``allow_expired``; then the warning to show is returned.

    Restoring an expired backup over a working host is the usual mistake (the newest backup was not the one
    picked); restoring one on purpose - to read an old key, to re-export it - stays possible.
    """
    if not is_expired(info, now):
        return None
    if not allow_expired:
        raise HkpostError('%s holds %s (thumbprint %s), which expired on %s: browsers reject it, so restoring it '
                          'would not give the host a usable certificate. Restore a newer backup, or set '
                          'allow_expired: true to restore it anyway. Nothing was changed.'
                          % (what, info['subject_cn'], info['sha1'], info['not_after']))
    return ('%s holds %s (thumbprint %s), which expired on %s; restored because allow_expired is true.'
            % (what, info['subject_cn'], info['sha1'], info['not_after']))
