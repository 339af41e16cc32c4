# -*- coding: utf-8 -*-
"""Classification against the test PKI and the real public certificates."""

import base64
import datetime

import pytest
from ansible.errors import AnsibleFilterError
from cryptography.hazmat.primitives import serialization

from ansible_collections.hkpost.ecert.plugins.filter.cert_info import cert_info as cert_info_filter
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info, classify, shipped
from ansible_collections.hkpost.ecert.plugins.module_utils.pki import _shipped_certs
from tests.support.pki import DAY


def test_real_certificates(real_certs):
    assert classify(real_certs['root_ca_3'])['role'] == 'root'
    old = cert_info(real_certs['ssl_ca_3_17_old'])
    new = cert_info(real_certs['ssl_ca_3_17_new'])
    assert (old['role'], old['generation'], old['product']) == ('intermediate', 'old', 'ssl')
    assert (new['role'], new['generation'], new['product']) == ('intermediate', 'new', 'ssl')
    assert old['subject'] == new['subject'] and old['spki_sha256'] == new['spki_sha256']
    assert old['eku'] is None and new['eku'] == ['serverAuth']
    assert old['serial'] == '63FE03BD8BBB9512A4091ED93C5FED14C0E181D5'
    assert new['ski'] == '9237B0709C8E79DBB31913B89BA532C0B7D62762'
    assert new['sha256'] == 'CB730C3A5FE958B8BDC5B363892C9F530B33F98A43CE3C2578FCE096B4AE233C'
    assert new['not_before'] == '2025-03-20T07:40:24Z' and new['not_after'] == '2032-06-03T04:07:50Z'
    gs = cert_info(real_certs['globalsign_root_r3'])
    assert (gs['role'], gs['is_hkpost']) == ('other', False)
    assert all(cert_info(c)['pinned'] for c in real_certs.values())


def test_shipped_certificate_refused_when_its_bytes_change(monkeypatch):
    pem, pin, name = _shipped_certs.SHIPPED['root_ca_3']
    other_pem = _shipped_certs.SHIPPED['globalsign_root_r3'][0]
    monkeypatch.setitem(_shipped_certs.SHIPPED, 'root_ca_3', (other_pem, pin, name))
    with pytest.raises(ValueError, match='pinned'):
        shipped('root_ca_3')


@pytest.mark.parametrize('attr, role, generation, product', [
    ('root', 'root', None, None),
    ('cross', 'cross', None, None),
    ('ssl_old', 'intermediate', 'old', 'ssl'),
    ('ssl_new', 'intermediate', 'new', 'ssl'),
    ('ev_old', 'intermediate', 'old', 'ev'),
    ('ev_new', 'intermediate', 'new', 'ev'),
    ('globalsign', 'other', None, None),
    ('foreign_root', 'other', None, None),
])
def test_test_pki_cas(pki, attr, role, generation, product):
    info = classify(getattr(pki, attr).cert)
    assert (info['role'], info['generation'], info['product']) == (role, generation, product)
    assert info['pinned'] is False


def test_old_and_new_differ_by_eku_not_by_name(pki):
    assert pki.ssl_old.cert.subject == pki.ssl_new.cert.subject
    assert cert_info(pki.ssl_old.cert)['spki_sha256'] == cert_info(pki.ssl_new.cert)['spki_sha256']
    assert cert_info(pki.ssl_old.cert)['sha1'] != cert_info(pki.ssl_new.cert)['sha1']


@pytest.mark.parametrize('name, generation, product, hierarchy', [
    ('standard', 'new', 'ssl', 'production'),
    ('multi_domain', 'new', 'ssl', 'production'),
    ('wildcard', 'new', 'ssl', 'production'),
    ('idn', 'new', 'ssl', 'production'),
    ('ev', 'new', 'ev', 'production'),
    ('under_old', 'old', 'ssl', 'production'),
    ('under_new', 'new', 'ssl', 'production'),
    ('trial', 'new', 'ssl', 'trial'),
])
def test_leaves(pki, name, generation, product, hierarchy):
    info = cert_info(pki.leaves[name].cert)
    assert info['role'] == 'leaf' and info['is_hkpost']
    assert (info['generation'], info['product'], info['hierarchy']) == (generation, product, hierarchy)


def test_foreign_leaf_is_other(pki):
    info = cert_info(pki.leaves['foreign'].cert)
    assert (info['role'], info['is_hkpost']) == ('other', False)


def test_trial_hierarchy(pki):
    assert classify(pki.trial_root.cert)['hierarchy'] == 'trial'
    assert classify(pki.trial_ssl.cert)['role'] == 'intermediate'


def test_cert_info_fields(pki):
    leaf = pki.leaves['multi_domain']
    info = cert_info(leaf.cert)
    assert info['sha1'] == leaf.thumbprint and info['sha1'].isupper()
    assert info['dns_names'] == ['www.example.hk', 'shop.example.hk', 'mail.example.com.hk']
    assert info['not_after'].endswith('Z') and info['key_size'] == 2048
    assert info['serial'] == '%X' % leaf.cert.serial_number


def test_filter_accepts_pem_base64_der_bom_and_crlf(pki):
    leaf = pki.leaves['standard']
    expected = leaf.thumbprint
    assert cert_info_filter(leaf.pem)['sha1'] == expected
    assert cert_info_filter(base64.b64encode(leaf.der).decode())['sha1'] == expected
    assert cert_info_filter('\ufeff' + leaf.pem.replace('\n', '\r\n'))['sha1'] == expected


@pytest.mark.parametrize('bad, message', [
    ('', 'empty'),
    ('hello world', 'not a certificate'),
    (None, 'empty'),
    ('-----BEGIN CERTIFICATE-----\nMIIB', 'without its matching END'),
])
def test_filter_refuses_bad_input(bad, message):
    with pytest.raises(AnsibleFilterError, match=message):
        cert_info_filter(bad)


def test_filter_names_a_private_key_and_a_csr(pki):
    with pytest.raises(AnsibleFilterError, match='private key'):
        cert_info_filter(pki.leaves['standard'].key_pem)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    csr = x509.CertificateSigningRequestBuilder().subject_name(pki.leaves['standard'].cert.subject).sign(
        pki.leaves['standard'].key, hashes.SHA256())
    with pytest.raises(AnsibleFilterError, match='certificate signing request'):
        cert_info_filter(csr.public_bytes(serialization.Encoding.PEM).decode())


def test_filter_refuses_a_bundle_for_one_certificate(pki):
    with pytest.raises(AnsibleFilterError, match='expected one certificate, found 2'):
        cert_info_filter(pki.leaves['standard'].pem + pki.ssl_new.pem)


# ---- issue 14: edits the tests above did not catch ---------------------------------------------------

def test_generation_cut_off_is_inclusive_at_2025_05_01_midnight_utc(pki):
    at = pki.leaf_issued_at(datetime.datetime(2025, 5, 1, tzinfo=datetime.timezone.utc))
    mid_may = pki.leaf_issued_at(datetime.datetime(2025, 5, 15, tzinfo=datetime.timezone.utc))
    before = pki.leaf_issued_at(datetime.datetime(2025, 4, 30, 23, 59, 59, tzinfo=datetime.timezone.utc))
    assert classify(at.cert)['generation'] == 'new'
    assert classify(mid_may.cert)['generation'] == 'new'
    assert classify(before.cert)['generation'] == 'old'
    assert classify(at.cert)['role'] == 'leaf'


def test_intermediate_name_under_a_foreign_root_is_other(pki):
    inspection = pki.inspection_intermediate()
    info = classify(inspection.cert)
    assert (info['role'], info['is_hkpost'], info['generation']) == ('other', False, None)


def test_self_issued_root_ca_3_with_a_bad_signature_is_not_root(pki):
    assert classify(pki.impostor_root(bad_signature=True).cert)['role'] == 'other'
    assert classify(pki.impostor_root().cert)['role'] == 'root'  # a valid self-signature is a root by shape
    assert classify(pki.root.cert)['role'] == 'root'


def _bare_cert(subject, issuer, key, signer, ca=None, ski=True):
    """A certificate without the extensions the test PKI always adds (no BasicConstraints when ca is None)."""
    from cryptography import x509 as _x509
    from cryptography.hazmat.primitives import hashes
    builder = (_x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(7).not_valid_before(datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc))
               .not_valid_after(datetime.datetime(2035, 1, 1, tzinfo=datetime.timezone.utc)))
    if ca is not None:
        builder = builder.add_extension(_x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    if ski:
        builder = builder.add_extension(_x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    return builder.sign(signer, hashes.SHA256())


@pytest.mark.parametrize('attr, hierarchy, product', [
    ('trial_root', 'trial', None), ('trial_ssl', 'trial', 'ssl'), ('root', 'production', None),
    ('ev_new', 'production', 'ev'), ('ssl_old', 'production', 'ssl'),
])
def test_hierarchy_and_product_of_cas(pki, attr, hierarchy, product):
    info = classify(getattr(pki, attr).cert)
    assert (info['hierarchy'], info['product'], info['is_hkpost']) == (hierarchy, product, True)


@pytest.mark.parametrize('leaf, hierarchy, product', [
    ('trial', 'trial', 'ssl'), ('ev', 'production', 'ev'), ('standard', 'production', 'ssl'),
])
def test_hierarchy_and_product_of_leaves(pki, leaf, hierarchy, product):
    info = classify(pki.leaves[leaf].cert)
    assert (info['role'], info['hierarchy'], info['product']) == ('leaf', hierarchy, product)


def test_names_that_only_look_like_the_hierarchy_are_other(pki):
    from tests.support.pki import hk_name, make_cert, rsa_key
    key = rsa_key(slot='odd')
    root_name = pki.root.cert.subject
    inter_name = pki.ssl_new.cert.subject
    cases = {
        # a CA under Root CA 3 whose name is not an intermediate's
        'ca-other-name': make_cert(hk_name('Hongkong Post Something Else'), key, root_name, pki.root.key,
                                   pki.now - 9 * DAY, pki.now + 9 * DAY, ca=True),
        # a NON-CA certificate with the intermediate's name under Root CA 3
        'leaf-named-intermediate': make_cert(inter_name, key, root_name, pki.root.key, pki.now - 9 * DAY,
                                             pki.now + 9 * DAY, ca=False),
        # a CA under the intermediate (a sub-CA is not a leaf)
        'sub-ca': make_cert(hk_name('Example Sub CA'), key, inter_name, pki.ssl_new.key, pki.now - 9 * DAY,
                            pki.now + 9 * DAY, ca=True),
        # a NON-CA certificate with Root CA 3's name
        'leaf-named-root': make_cert(root_name, key, root_name, key, pki.now - 9 * DAY, pki.now + 9 * DAY, ca=False),
    }
    for label, cert in cases.items():
        assert classify(cert)['role'] == 'other', label


def test_certificates_without_cn_ou_or_basic_constraints(pki):
    from cryptography import x509 as _x509
    from cryptography.x509.oid import NameOID
    from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import (
        common_name, is_ca, is_globalsign_r3, issued_by)
    from tests.support.pki import rsa_key
    key = rsa_key(slot='odd')
    no_cn = _x509.Name([_x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'No CN Ltd')])
    cert = _bare_cert(no_cn, no_cn, key, key, ski=False)
    assert common_name(cert.subject) is None and not is_globalsign_r3(cert.subject)
    assert is_ca(cert) is False
    info = cert_info(cert)
    assert (info['role'], info['subject_cn'], info['ski'], info['aki'], info['is_ca']) == ('other', None, None, None, False)
    assert info['self_signed'] is True and info['key_type'] == 'RSA' and info['key_size'] == 2048
    assert is_ca(_bare_cert(no_cn, no_cn, key, key, ca=True)) is True
    assert is_ca(_bare_cert(no_cn, no_cn, key, key, ca=False)) is False
    assert is_globalsign_r3(pki.globalsign.cert.subject) and not is_globalsign_r3(pki.root.cert.subject)
    assert issued_by(pki.leaves['standard'].cert, pki.ssl_new.cert)
    assert not issued_by(pki.leaves['standard'].cert, pki.root.cert)        # another name
    assert not issued_by(pki.leaves['trial'].cert, pki.ssl_new.cert)        # another name and key
    leaf_info = cert_info(pki.leaves['standard'].cert)
    assert leaf_info['self_signed'] is False and leaf_info['aki'] == cert_info(pki.ssl_new.cert)['ski']


def test_ec_key_description(pki):
    from cryptography.hazmat.primitives.asymmetric import ec
    from tests.support.pki import hk_name
    key = ec.generate_private_key(ec.SECP384R1())
    cert = _bare_cert(hk_name('ec.example.hk'), hk_name('ec.example.hk'), key, key)
    info = cert_info(cert)
    assert (info['key_type'], info['key_size']) == ('EC', 384)


def test_old_generation_revocation_day():
    from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import OLD_GENERATION_REVOKED_BY
    assert OLD_GENERATION_REVOKED_BY == datetime.date(2026, 6, 15)  # Hongkong Post's announced date (SPEC)
