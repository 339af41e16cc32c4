# -*- coding: utf-8 -*-
"""Certificate facts (pki._hierarchy.cert_info) the mutation run (issue 21) found unpinned, one test per rule."""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info

NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'www.example.hk')])
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def _cert(key, extensions=()):
    builder = (x509.CertificateBuilder().subject_name(NAME).issuer_name(NAME).public_key(key.public_key())
               .serial_number(7).not_valid_before(NOW).not_valid_after(NOW + datetime.timedelta(days=30)))
    for ext in extensions:
        builder = builder.add_extension(ext, critical=False)
    return builder.sign(key, None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256())


def test_a_key_neither_rsa_nor_ec_is_named_by_its_type_without_a_size():
    info = cert_info(_cert(ed25519.Ed25519PrivateKey.generate()))
    assert (info['key_type'], info['key_size']) == ('Ed25519', None)


def test_an_authority_key_identifier_without_a_key_id_gives_no_aki():
    aki = x509.AuthorityKeyIdentifier(key_identifier=None, authority_cert_issuer=[x509.DirectoryName(NAME)],
                                      authority_cert_serial_number=7)
    info = cert_info(_cert(ed25519.Ed25519PrivateKey.generate(), [aki]))
    assert info['aki'] is None and info['ski'] is None
