# -*- coding: utf-8 -*-
"""The pending-request store and certreq, as the csr_* payloads see them."""

from __future__ import annotations

import base64
import datetime
import re
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.support.windows.host import HostFailure, handles

_ATTRS = {'CN': NameOID.COMMON_NAME, 'OU': NameOID.ORGANIZATIONAL_UNIT_NAME, 'O': NameOID.ORGANIZATION_NAME,
          'L': NameOID.LOCALITY_NAME, 'S': NameOID.STATE_OR_PROVINCE_NAME, 'C': NameOID.COUNTRY_NAME}


def parse_x500(text):
    """CertStrToName's reading of "CN=a, O="b, c", C=HK" (quoted values, doubled quotes)."""
    parts = re.findall(r'\s*(\w+)=("(?:[^"]|"")*"|[^,]*)\s*(?:,|$)', text)
    attrs = []
    for key, value in parts:
        if value.startswith('"'):
            value = value[1:-1].replace('""', '"')
        attrs.append(x509.NameAttribute(_ATTRS[key], value.strip()))
    # CertStrToName encodes the RDNs in the order they appear in the string unless the caller passes
    # CERT_NAME_STR_REVERSE_FLAG ("the order of the RDNs is reversed after converting from the string and before
    # encoding"; wincrypt.h CertStrToName documentation), and certreq passes none: a CSR made from
    # "CN=www..., O=..., C=HK" carries CN as its FIRST RDN - the reverse of what cryptography and OpenSSL
    # build (C first). So the subject read back from a Windows request is in the other order.
    return x509.Name(attrs)


def placeholder(key, name):
    """certreq keeps a self-signed placeholder certificate in REQUEST for each pending request."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))


@handles('csr_pending_read')
def csr_pending_read(host, params):
    pending = [{'thumbprint': e['thumbprint'], 'der': e['der'],
                'friendly_name': e.get('friendly_name', ''), 'has_private_key': e.get('key') is not None,
                'key_container': e.get('key_container')} for e in host.stores['REQUEST']]
    saved = list(host.state.get('request_dir', {}).values())
    return {'pending': pending, 'saved_csrs': saved}


@handles('csr_create')
def csr_create(host, params):
    if params['KeyContainer']:
        matches = [e for e in host.stores['REQUEST'] if e.get('key_container') == params['KeyContainer']]
        if not matches:
            raise HostFailure('certreq -new failed (exit -2146893802): Keyset does not exist')
        key = matches[0]['key']
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=params['KeyLength'])
    name = parse_x500(params['Subject'])
    builder = x509.CertificateSigningRequestBuilder().subject_name(name)
    if params.get('DnsNames'):
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in params['DnsNames']]),
                                        critical=False)
    csr_text = builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()
    cert = placeholder(key, name)
    host.stores['REQUEST'].append({
        'thumbprint': cert.fingerprint(hashes.SHA1()).hex().upper(),
        'der': base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode(), 'key': key,
        'has_private_key': True,
        'friendly_name': params.get('FriendlyName', ''), 'key_container': 'te-' + uuid.uuid4().hex})
    path = params['RequestDir'] + '\\' + uuid.uuid4().hex + '.csr'
    host.state.setdefault('request_dir', {})[path] = csr_text.replace('\n', '\r\n')
    return {'csr': csr_text.replace('\n', '\r\n'), 'csr_file': path}
