# -*- coding: utf-8 -*-
"""Certificate and CRL files as operators have them (pki._pem): rules the mutation run (issue 21) found unpinned,
one test per rule."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtensionOID
from cryptography.hazmat.primitives.serialization import pkcs7

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import CertificateInputError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificate, load_certificates, load_crl
from tests.support.pki import crl_der, crl_pem


def _serials(certs):
    return [c.serial_number for c in certs]


def _block(label, der):
    body = base64.encodebytes(der).decode('ascii')
    return '-----BEGIN %s-----\n%s-----END %s-----\n' % (label, body, label)


@pytest.mark.parametrize('data', [None, b'', '  \r\n', b'\xef\xbb\xbf \n'])
def test_nothing_given_is_refused_as_empty(data):
    with pytest.raises(CertificateInputError, match='the input is empty'):
        load_certificates(data, 'leaf')
    with pytest.raises(CertificateInputError, match='the input is empty'):
        load_crl(data, 'arl')


def test_what_is_not_text_or_bytes_is_refused_naming_its_kind():
    with pytest.raises(CertificateInputError, match='leaf: expected text or bytes, got'):
        load_certificates(42, 'leaf')


def test_pem_as_text_bytearray_with_a_bom_and_crlf_or_cr_line_ends_is_read(pki):
    pem = pki.leaves['standard'].pem
    serial = pki.leaves['standard'].cert.serial_number
    for data in (pem, bytearray(pem.encode()), b'\xef\xbb\xbf' + pem.replace('\n', '\r\n').encode(),
                 pem.replace('\n', '\r').encode()):
        assert _serials(load_certificates(data)) == [serial]


@pytest.mark.parametrize('codec', ['utf-16-le', 'utf-16-be'])
def test_utf16_pem_with_its_byte_order_mark_is_read(pki, codec):
    bom = b'\xff\xfe' if codec.endswith('le') else b'\xfe\xff'
    data = bom + pki.leaves['standard'].pem.encode(codec)
    assert _serials(load_certificates(data)) == [pki.leaves['standard'].cert.serial_number]


def test_a_utf16_byte_order_mark_before_bytes_that_are_not_utf16_is_refused():
    with pytest.raises(CertificateInputError, match='starts with a UTF-16 byte order mark but is not UTF-16 text'):
        load_certificates(b'\xff\xfe\x00', 'leaf')


def test_a_bundle_gives_every_certificate_in_file_order_under_each_certificate_label(pki):
    leaf, intermediate = pki.leaves['standard'], pki.ssl_new
    text = (_block('X509 CERTIFICATE', leaf.der) + 'note\n' + _block('TRUSTED CERTIFICATE', intermediate.der)
            + _block('PUBLIC KEY', b'\x30\x00'))
    assert _serials(load_certificates(text)) == [leaf.cert.serial_number, intermediate.cert.serial_number]
    with pytest.raises(CertificateInputError, match='expected one certificate, found 2'):
        load_certificate(text)


def test_a_pem_block_that_is_not_base64_is_refused():
    with pytest.raises(CertificateInputError, match='the PEM block is not valid base64'):
        load_certificates('-----BEGIN CERTIFICATE-----\nno*base64\n-----END CERTIFICATE-----\n')


def test_a_certificate_block_holding_no_certificate_is_refused():
    with pytest.raises(CertificateInputError, match='a CERTIFICATE block does not hold a valid X.509 certificate'):
        load_certificates(_block('CERTIFICATE', b'not der'))


def test_a_pkcs7_block_gives_its_certificates_and_a_bad_one_is_refused(pki):
    leaf = pki.leaves['standard'].cert
    der = pkcs7.serialize_certificates([leaf], serialization.Encoding.DER)
    assert _serials(load_certificates(_block('CERTIFICATE CHAIN', der))) == [leaf.serial_number]
    with pytest.raises(CertificateInputError, match='a PKCS7 block does not hold a valid PKCS#7 certificate bundle'):
        load_certificates(_block('PKCS7', b'\x30\x03\x02\x01\x00'))


@pytest.mark.parametrize('label, kind', [('RSA PRIVATE KEY', 'a private key'),
                                         ('ENCRYPTED PRIVATE KEY', 'an encrypted private key'),
                                         ('NEW CERTIFICATE REQUEST', r'a certificate signing request \(CSR\)'),
                                         ('SOMETHING ELSE', 'a "SOMETHING ELSE" PEM block')])
def test_a_pem_file_without_certificates_is_named_by_its_first_block(label, kind):
    text = _block(label, b'\x30\x00') + _block('PUBLIC KEY', b'\x30\x00')
    with pytest.raises(CertificateInputError, match='this is %s, not a certificate' % kind):
        load_certificates(text)


def test_a_begin_line_without_its_end_is_refused_as_truncated(pki):
    with pytest.raises(CertificateInputError, match='BEGIN line without its matching END line'):
        load_certificates(pki.leaves['standard'].pem.split('-----END')[0])


def test_der_and_base64_der_are_read(pki):
    der = pki.leaves['standard'].der
    serial = pki.leaves['standard'].cert.serial_number
    assert _serials(load_certificates(der)) == [serial]
    assert _serials(load_certificates(base64.encodebytes(der))) == [serial]
    assert _serials(load_certificates(base64.b64encode(der).decode())) == [serial]


def test_a_der_crl_given_as_a_certificate_is_named_a_crl(pki):
    with pytest.raises(CertificateInputError, match=r'this is a certificate revocation list \(CRL\), not a certificate'):
        load_certificates(crl_der(pki.arl))
    with pytest.raises(CertificateInputError, match=r'this is a certificate revocation list \(CRL\), not a certificate'):
        load_certificates(crl_pem(pki.arl))


def test_a_crl_is_read_from_pem_der_and_base64_der(pki):
    number = pki.arl.extensions.get_extension_for_oid(ExtensionOID.CRL_NUMBER).value.crl_number
    for data in (crl_pem(pki.arl), crl_der(pki.arl), base64.b64encode(crl_der(pki.arl)),
                 'subject note\n' + _block('CERTIFICATE', pki.leaves['standard'].der) + crl_pem(pki.arl)):
        crl = load_crl(data)
        assert crl.extensions.get_extension_for_oid(ExtensionOID.CRL_NUMBER).value.crl_number == number


def test_a_crl_block_that_is_no_crl_is_refused():
    with pytest.raises(CertificateInputError, match='the X509 CRL block is not a valid CRL'):
        load_crl(_block('X509 CRL', b'\x30\x00'))


@pytest.mark.parametrize('label, kind', [('CERTIFICATE', 'a certificate'), ('PRIVATE KEY', 'a private key'),
                                         ('OTHER', 'a "OTHER" PEM block')])
def test_a_pem_file_without_a_crl_is_named_by_its_first_block(pki, label, kind):
    with pytest.raises(CertificateInputError, match='this is %s, not a CRL' % kind):
        load_crl(_block(label, pki.leaves['standard'].der))


def test_a_der_certificate_given_as_a_crl_is_named_a_certificate(pki):
    # a defect the mutation run found: the refusal was raised inside "except ValueError" and replaced
    with pytest.raises(CertificateInputError, match='this is a certificate, not a CRL'):
        load_crl(pki.leaves['standard'].der)
    with pytest.raises(CertificateInputError, match='not a CRL: neither PEM'):
        load_crl(b'\x01\x02garbage')


def test_base64_der_with_more_after_its_padding_is_not_read_as_that_der(pki):
    # b64decode without validate would stop at the first padding and drop the rest unseen
    der = next(c.der for c in (pki.leaves['standard'], pki.leaves['ev'], pki.ssl_new, pki.leaves['wildcard'])
               if len(c.der) % 3)
    with pytest.raises(CertificateInputError, match='not a certificate'):
        load_certificates(base64.b64encode(der) + b'YQ==')
