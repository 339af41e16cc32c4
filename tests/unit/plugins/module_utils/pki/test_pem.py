# -*- coding: utf-8 -*-
"""Certificate files as operators have them (issue 22): PKCS#7 bundles read, DER beside PEM refused."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import CertificateInputError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificate, load_certificates


def _thumbprints(certs):
    return [c.fingerprint(c.signature_hash_algorithm).hex() for c in certs]


@pytest.mark.parametrize('encoding', [serialization.Encoding.DER, serialization.Encoding.PEM])
def test_a_p7b_bundle_gives_its_certificates(pki, encoding):
    # Windows' "Cryptographic Message Syntax Standard - PKCS #7 (.P7B)" export, in DER or Base64 form.
    leaf, intermediate = pki.leaves['standard'].cert, pki.ssl_new.cert
    bundle = pkcs7.serialize_certificates([leaf, intermediate], encoding)
    # A PKCS#7 certificates field is a SET OF: DER encoding sorts it, so the order is not the file's.
    assert sorted(_thumbprints(load_certificates(bundle))) == sorted(_thumbprints([leaf, intermediate]))


def test_a_p7b_holding_the_leaf_alone_is_one_certificate(pki):
    leaf = pki.leaves['standard'].cert
    bundle = pkcs7.serialize_certificates([leaf], serialization.Encoding.DER)
    assert load_certificate(bundle).serial_number == leaf.serial_number


def test_der_bytes_beside_pem_blocks_are_refused_not_dropped(pki):
    # A DER leaf followed by the PEM intermediate: reading only the PEM block would lose the leaf.
    mixed = pki.leaves['standard'].der + b'\n' + pki.ssl_new.pem.encode()
    with pytest.raises(CertificateInputError, match=r'mixes PEM blocks with binary \(DER\) bytes'):
        load_certificates(mixed, 'issued certificate')


def test_text_around_pem_blocks_is_kept_as_text(pki):
    # openssl's "subject=" lines and a note in Chinese are text, not DER.
    annotated = ('subject=CN = www.example.hk\n# 主機 web01\n' + pki.leaves['standard'].pem).encode('utf-8')
    assert len(load_certificates(annotated)) == 1


def test_garbage_names_every_form_tried():
    with pytest.raises(CertificateInputError, match=r'nor a PKCS#7 \(\.p7b\) bundle'):
        load_certificates(b'\x01\x02\x03 not a certificate')
