# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a certificate is in the Hongkong Post hierarchy.

The one fact that drives the intermediate migration: the old and the new
"Hongkong Post e-Cert SSL CA 3 - 17" share subject, key and SKI. Only the Extended Key Usage
extension tells them apart (absent on the 2017 generation, serverAuth on the 2025 one), so the
generation is decided by that extension and never by the name. Leaves signed by that one key
verify under both, so a leaf's generation is decided by its issue date: Hongkong Post issues
under the new intermediate from 2025-05-01.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
except ImportError as exc:
    x509 = hashes = serialization = ec = rsa = ExtendedKeyUsageOID = NameOID = MissingLibrary('cryptography', exc)

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import CertificateInputError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._shipped_certs import SHIPPED

# Leaves issued from this day on are issued under the new (EKU) intermediates.
NEW_GENERATION_FROM = datetime.datetime(2025, 5, 1, tzinfo=datetime.timezone.utc)
# Hongkong Post revokes the old (no-EKU) intermediates before this day.
OLD_GENERATION_REVOKED_BY = datetime.date(2026, 6, 15)

_ROOT_CN = re.compile(r'^Hongkong Post (?P<trial>Trial )?Root CA \d+$')
_INTERMEDIATE_CN = re.compile(r'^Hongkong Post (?P<trial>Trial )?e-Cert (?P<ev>EV )?SSL CA \d+ - \d+$')
_GLOBALSIGN_R3_OU = 'GlobalSign Root CA - R3'

_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH.dotted_string: 'serverAuth',
    ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string: 'clientAuth',
    ExtendedKeyUsageOID.CODE_SIGNING.dotted_string: 'codeSigning',
    ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string: 'emailProtection',
    ExtendedKeyUsageOID.TIME_STAMPING.dotted_string: 'timeStamping',
    ExtendedKeyUsageOID.OCSP_SIGNING.dotted_string: 'OCSPSigning',
}

_SHIPPED_BY_SHA256 = {}


def _shipped_index():
    if not _SHIPPED_BY_SHA256:
        for name, (pem, pin, _file) in SHIPPED.items():
            _SHIPPED_BY_SHA256[pin] = name
    return _SHIPPED_BY_SHA256


def shipped(name):
    """A shipped real certificate, refused if its bytes no longer match the published pin."""
    pem, pin, file_name = SHIPPED[name]
    cert = x509.load_pem_x509_certificate(pem.encode('ascii'))
    actual = sha256_hex(cert)
    if actual != pin:
        raise CertificateInputError('shipped certificate %s (%s) has SHA-256 %s, not the pinned %s; the collection '
                                    'is damaged, reinstall it.' % (name, file_name, actual, pin))
    return cert


def sha256_hex(cert):
    return cert.fingerprint(hashes.SHA256()).hex().upper()


def thumbprint(cert):
    """The Windows thumbprint: SHA-1 of the DER, upper-case hex."""
    return cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec - identifier, not a signature


def spki_sha256(public_key):
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest().upper()


def common_name(name):
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return attrs[0].value if attrs else None


def _attr(name, oid):
    attrs = name.get_attributes_for_oid(oid)
    return attrs[0].value if attrs else None


def _ext(cert, ext_type):
    try:
        return cert.extensions.get_extension_for_class(ext_type).value
    except x509.ExtensionNotFound:
        return None


def eku_names(cert):
    """EKU as names (``serverAuth``); ``None`` when the extension is absent, which is not the same as empty."""
    eku = _ext(cert, x509.ExtendedKeyUsage)
    if eku is None:
        return None
    return [_EKU_NAMES.get(oid.dotted_string, oid.dotted_string) for oid in eku]


def is_ca(cert):
    bc = _ext(cert, x509.BasicConstraints)
    return bool(bc and bc.ca)


# Certificates hash and compare by their DER, and a fleet's stores repeat the same few dozen
# certificates: caching these two pure functions makes planning a host mostly dictionary lookups.
@functools.lru_cache(maxsize=4096)
def issued_by(child, parent):
    """True when ``parent``'s name and key issued ``child`` (signature checked, not just names)."""
    if child.issuer != parent.subject:
        return False
    try:
        child.verify_directly_issued_by(parent)
        return True
    except (ValueError, TypeError, Exception):  # InvalidSignature and unsupported key types alike
        return False


def not_before(cert):
    return cert.not_valid_before_utc


def not_after(cert):
    return cert.not_valid_after_utc


def dns_names(cert):
    san = _ext(cert, x509.SubjectAlternativeName)
    return list(san.get_values_for_type(x509.DNSName)) if san else []


def classify(cert):
    """What ``cert`` is (see :func:`_classify`), as a dict the caller may change."""
    return dict(_classify(cert))


@functools.lru_cache(maxsize=4096)
def _classify(cert):
    """Role, generation, product and hierarchy of ``cert``, from its structure, names and EKU.

    Returns a dict with ``role`` (root, cross, intermediate, leaf, other), ``generation``
    (old/new for intermediates and Hongkong Post leaves, else None), ``product`` (ssl/ev or None),
    ``is_hkpost``, ``hierarchy`` (production/trial or None) and ``pinned`` (the bytes are one of the
    shipped real certificates).
    """
    subject_cn = common_name(cert.subject) or ''
    issuer_cn = common_name(cert.issuer) or ''
    self_issued = cert.subject == cert.issuer
    ca = is_ca(cert)
    result = {'role': 'other', 'generation': None, 'product': None, 'is_hkpost': False, 'hierarchy': None,
              'pinned': sha256_hex(cert) in _shipped_index()}

    root_match = _ROOT_CN.match(subject_cn)
    inter_match = _INTERMEDIATE_CN.match(subject_cn)
    issuer_inter_match = _INTERMEDIATE_CN.match(issuer_cn)
    if ca and root_match:
        result.update(is_hkpost=True, hierarchy='trial' if root_match.group('trial') else 'production')
        if self_issued and issued_by(cert, cert):
            result['role'] = 'root'
        elif not self_issued:
            # Same name and key as the root, signed by another CA (GlobalSign Root CA - R3 for the real one).
            result['role'] = 'cross'
    elif ca and inter_match and _ROOT_CN.match(issuer_cn):
        eku = eku_names(cert)
        result.update(role='intermediate', is_hkpost=True,
                      hierarchy='trial' if inter_match.group('trial') else 'production',
                      product='ev' if inter_match.group('ev') else 'ssl',
                      generation='old' if eku is None else 'new')
    elif not ca and issuer_inter_match:
        result.update(role='leaf', is_hkpost=True,
                      hierarchy='trial' if issuer_inter_match.group('trial') else 'production',
                      product='ev' if issuer_inter_match.group('ev') else 'ssl',
                      generation='new' if not_before(cert) >= NEW_GENERATION_FROM else 'old')
    return result


def is_globalsign_r3(name):
    return _attr(name, NameOID.ORGANIZATIONAL_UNIT_NAME) == _GLOBALSIGN_R3_OU


def _iso(dt):
    return dt.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _key_description(public_key):
    if isinstance(public_key, rsa.RSAPublicKey):
        return 'RSA', public_key.key_size
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return 'EC', public_key.curve.key_size
    return type(public_key).__name__.replace('PublicKey', '').lstrip('_'), None


def cert_info(cert):
    """Everything a playbook or a report needs to know about one certificate, as plain data."""
    info = classify(cert)
    key_type, key_size = _key_description(cert.public_key())
    ski = _ext(cert, x509.SubjectKeyIdentifier)
    aki = _ext(cert, x509.AuthorityKeyIdentifier)
    info.update({
        'subject': cert.subject.rfc4514_string(),
        'subject_cn': common_name(cert.subject),
        'issuer': cert.issuer.rfc4514_string(),
        'issuer_cn': common_name(cert.issuer),
        'serial': '%X' % cert.serial_number,
        'sha1': thumbprint(cert),
        'sha256': sha256_hex(cert),
        'spki_sha256': spki_sha256(cert.public_key()),
        'ski': ski.digest.hex().upper() if ski else None,
        'aki': aki.key_identifier.hex().upper() if aki and aki.key_identifier else None,
        'not_before': _iso(not_before(cert)),
        'not_after': _iso(not_after(cert)),
        'dns_names': dns_names(cert),
        'eku': eku_names(cert),
        'is_ca': is_ca(cert),
        'self_signed': cert.subject == cert.issuer,
        'key_type': key_type,
        'key_size': key_size,
    })
    return info
