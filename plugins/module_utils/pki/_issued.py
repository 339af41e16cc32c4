# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The issued certificate as operators have it, and certificates as a Windows store lists them.

The portal's download may be PEM or DER, carry a BOM and CRLF, or have the chain pasted after the
leaf: the leaf is the one certificate that is not a CA, the rest is the chain. Store entries come
from the payloads as dicts with base64 DER; they are described here once, for every module.
"""

from __future__ import annotations

import base64
import datetime
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography import x509
except ImportError as exc:
    x509 = MissingLibrary('cryptography', exc)


from ansible_collections.hkpost.ecert.plugins.module_utils._errors import CertificateInputError, HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info, common_name, is_ca
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificates

# Copying a thumbprint out of the MMC dialog brings an invisible U+200E along; spaces and colons too.
_THUMBPRINT_NOISE = re.compile(r'[\s:\u200e\u200f\ufeff-]')
_THUMBPRINT = re.compile(r'^[0-9A-F]{40}$')


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def normalize_thumbprint(value, what='certificate_thumbprint'):
    text = _THUMBPRINT_NOISE.sub('', value or '').upper()
    if not _THUMBPRINT.match(text):
        raise HkpostError('%s "%s" is not a SHA-1 thumbprint (40 hexadecimal digits, as certlm.msc shows it).'
                          % (what, value))
    return text


def split_leaf(data, what='certificate'):
    """(leaf, chain) from an issued-certificate file: the leaf is the one non-CA certificate."""
    certs = load_certificates(data, what)
    leaves = [c for c in certs if not is_ca(c)]
    if not leaves:
        raise CertificateInputError('%s: the file holds only CA certificates (%s), not the server certificate '
                                    'Hongkong Post issued to you; give the file downloaded from the portal.'
                                    % (what, ', '.join(common_name(c.subject) or '?' for c in certs)))
    if len(leaves) > 1:
        raise CertificateInputError('%s: the file holds %d server certificates (%s); give one issued certificate.'
                                    % (what, len(leaves), ', '.join(common_name(c.subject) or '?' for c in leaves)))
    return leaves[0], [c for c in certs if c is not leaves[0]]


def _parse_time(text):
    return datetime.datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)


def is_expired(info, now=None):
    return _parse_time(info['not_after']) <= (now or utcnow())


def is_not_yet_valid(info, now=None):
    return _parse_time(info['not_before']) > (now or utcnow())


def refuse_expired(info, now=None, what='certificate'):
    if is_expired(info, now):
        raise HkpostError('%s %s (thumbprint %s) expired on %s; it cannot be installed or bound. Create a new '
                          'request with hkpost_csr and apply for a new certificate.'
                          % (what, info['subject_cn'], info['sha1'], info['not_after']))


def names(info):
    """The names a certificate serves: its SAN DNS names, or its CN when it has no SAN."""
    found = [n.lower() for n in info.get('dns_names') or []]
    if not found and info.get('subject_cn'):
        found = [info['subject_cn'].lower()]
    return found


def covers(info, host):
    """Whether the certificate serves ``host`` (a ``*`` label matches exactly one label)."""
    host = (host or '').lower().rstrip('.')
    for name in names(info):
        if name == host:
            return True
        if name.startswith('*.') and '.' in host and host.split('.', 1)[1] == name[2:]:
            return True
    return False


def entry_der(entry):
    der = entry['der']
    return base64.b64decode(der) if isinstance(der, str) else bytes(der)


def describe_entry(entry, store=None):
    """A store entry (``der``, ``has_private_key``, ``friendly_name``...) as cert_info plus the store facts."""
    info = cert_info(x509.load_der_x509_certificate(entry_der(entry)))
    info.update(has_private_key=bool(entry.get('has_private_key')), friendly_name=entry.get('friendly_name') or '',
                store=store or entry.get('store'))
    return info


def brief(info):
    """One line naming a certificate for an error message."""
    friendly = ', friendly name "%s"' % info['friendly_name'] if info.get('friendly_name') else ''
    return '%s (thumbprint %s, expires %s%s)' % (info.get('subject_cn') or info['subject'], info['sha1'],
                                                 info['not_after'], friendly)
