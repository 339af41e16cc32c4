# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Building a CSR, reading one back, and deciding whether an existing key or request can be reused.

Reuse is the point: a rerun must never make a second key, because the CSR already submitted to
the portal pins the first one. Matching is by subject attributes (order-insensitive: certreq
and cryptography encode the RDN sequence in different orders), SAN names and key size.
"""

from __future__ import annotations

import base64

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
except ImportError as exc:
    x509 = hashes = serialization = rsa = NameOID = MissingLibrary('cryptography', exc)

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256

_OIDS = {'C': NameOID.COUNTRY_NAME, 'ST': NameOID.STATE_OR_PROVINCE_NAME, 'L': NameOID.LOCALITY_NAME,
         'O': NameOID.ORGANIZATION_NAME, 'OU': NameOID.ORGANIZATIONAL_UNIT_NAME, 'CN': NameOID.COMMON_NAME}


def x509_name(subject):
    return x509.Name([x509.NameAttribute(_OIDS[attr], value) for attr, value in subject])


def name_attributes(name):
    """A Name as a comparable set of (dotted OID, value): RDN order differs between Windows and OpenSSL."""
    return frozenset((attr.oid.dotted_string, attr.value) for attr in name)


def generate_key(key_size):
    return rsa.generate_private_key(public_exponent=65537, key_size=key_size)


def build_csr(key, request):
    builder = x509.CertificateSigningRequestBuilder().subject_name(x509_name(request['subject']))
    if request['sans']:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in request['sans']]), critical=False)
    return builder.sign(key, hashes.SHA256())


def csr_pem(csr):
    return csr.public_bytes(serialization.Encoding.PEM).decode('ascii')


def load_csr(text, what='CSR'):
    data = text.encode('utf-8') if isinstance(text, str) else text
    data = data.lstrip(b'\xef\xbb\xbf')
    try:
        if b'-----BEGIN' in data:
            return x509.load_pem_x509_csr(data.replace(b'\r\n', b'\n'))
        return x509.load_der_x509_csr(data)
    except ValueError as e:
        raise HkpostError('%s is not a valid PKCS#10 certificate request (%s).' % (what, e))


def csr_sans(csr):
    try:
        return list(csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                    .get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        return []


def describe_csr(csr):
    """What hkpost_csr returns about a CSR, whichever way it was made."""
    public_key = csr.public_key()
    return {'csr': csr_pem(csr), 'subject': csr.subject.rfc4514_string(),
            'public_key_sha256': spki_sha256(public_key),
            'key_size': getattr(public_key, 'key_size', None), 'subject_alt_names': csr_sans(csr)}


def csr_matches(csr, request):
    """True when an existing CSR already says what ``request`` asks for (and is correctly signed)."""
    return (csr.is_signature_valid
            and name_attributes(csr.subject) == name_attributes(x509_name(request['subject']))
            and sorted(csr_sans(csr)) == sorted(request['sans'])
            and getattr(csr.public_key(), 'key_size', None) == request['key_size'])


def key_matches(public_key, request):
    return isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size == request['key_size']


def plan_windows_request(pending, saved_csrs, request, force=False):
    """Decide what to do with the host's pending requests (``LocalMachine\\REQUEST``).

    ``pending``: dicts with ``der`` (the placeholder certificate as bytes), ``thumbprint``,
    ``key_container``; ``saved_csrs``: CSR texts the collection saved on the host earlier.
    Returns ``{'action': 'reuse'|'rederive'|'create', 'pending': entry or None, 'csr': x509 CSR or None}``:
    reuse — a pending request for this subject and a saved CSR of its key exist;
    rederive — the key exists but its CSR text is gone: make a new CSR with that same key;
    create — nothing to reuse (or force): a new key and request.
    """
    if force:
        return {'action': 'create', 'pending': None, 'csr': None}
    wanted = name_attributes(x509_name(request['subject']))
    csrs_by_spki = {}
    for text in saved_csrs:
        try:
            csr = load_csr(text)
        except HkpostError:
            continue  # a damaged file on the host is not a reason to make a new key
        csrs_by_spki.setdefault(spki_sha256(csr.public_key()), []).append(csr)
    candidates = []
    for entry in pending:
        cert = x509.load_der_x509_certificate(entry['der'])
        if name_attributes(cert.subject) != wanted or not key_matches(cert.public_key(), request):
            continue
        if not entry.get('has_private_key', True):
            continue
        candidates.append((cert.not_valid_before_utc, entry, spki_sha256(cert.public_key())))
    if not candidates:
        return {'action': 'create', 'pending': None, 'csr': None}
    # The newest matching request is the one most likely submitted last.
    candidates.sort(key=lambda c: c[0], reverse=True)
    for _when, entry, spki in candidates:
        for csr in csrs_by_spki.get(spki, []):
            if csr_matches(csr, request):
                return {'action': 'reuse', 'pending': entry, 'csr': csr}
    return {'action': 'rederive', 'pending': candidates[0][1], 'csr': None}


def pending_thumbprint(pending, spki):
    """The thumbprint of the pending request holding the key ``spki`` (SPKI SHA-256), or None.

    ``pending``: what the host lists after making the request - dicts with ``thumbprint`` and ``der``
    (the placeholder certificate certreq or Exchange keeps, base64 or bytes). Several requests for one
    key (a CSR re-derived from an existing key) give the last one listed.
    """
    found = None
    for entry in pending or []:
        der = entry.get('der')
        if not der:
            continue
        der = base64.b64decode(der) if isinstance(der, str) else bytes(der)
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError:
            continue
        if spki_sha256(cert.public_key()) == spki:
            found = (entry.get('thumbprint') or '').upper() or None
    return found
