# -*- coding: utf-8 -*-
"""Which pending Windows request is reused, rederived or replaced (issue 14: edits the action tests missed)."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import (
    build_csr, csr_matches, csr_pem, key_matches, load_csr, name_attributes, plan_windows_request, x509_name)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request, windows_subject
from tests.support.pki import rsa_key
from tests.support.windows.request import parse_x500

UTC = datetime.timezone.utc
REQUEST = csr_request({'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited',
                       'organizational_unit': 'IT'})


def pending_entry(key, when, name=None, has_key=True, container='te-1'):
    """certreq's placeholder in REQUEST for a pending request, issued at ``when``, subject in Windows order."""
    name = name or parse_x500(windows_subject(REQUEST['subject']))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(when)
            .not_valid_after(when + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))
    return {'der': cert.public_bytes(serialization.Encoding.DER), 'thumbprint': cert.fingerprint(hashes.SHA1()).hex(),
            'key_container': container, 'has_private_key': has_key}


def windows_csr(key, request=None):
    """A CSR as certreq writes it: the subject in CertStrToName (string) order, CN first."""
    request = request or REQUEST
    name = parse_x500(windows_subject(request['subject']))
    builder = x509.CertificateSigningRequestBuilder().subject_name(name).add_extension(
        x509.SubjectAlternativeName([x509.DNSName(n) for n in request['sans']]), critical=False)
    return csr_pem(builder.sign(key, hashes.SHA256())).replace('\n', '\r\n')


def test_windows_order_differs_from_cryptography_order_and_still_matches():
    key = rsa_key(slot='csr-a')
    csr = load_csr(windows_csr(key))
    assert list(csr.subject)[0].oid == x509.oid.NameOID.COMMON_NAME      # Windows: CN first
    assert list(x509_name(REQUEST['subject']))[0].oid == x509.oid.NameOID.COUNTRY_NAME  # cryptography: C first
    assert csr.subject != x509_name(REQUEST['subject'])
    assert name_attributes(csr.subject) == name_attributes(x509_name(REQUEST['subject']))
    assert csr_matches(csr, REQUEST)
    when = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    plan = plan_windows_request([pending_entry(key, when)], [windows_csr(key)], REQUEST)
    assert plan['action'] == 'reuse'


def test_newest_pending_request_is_reused_not_the_oldest():
    old_key, new_key = rsa_key(slot='csr-a'), rsa_key(slot='csr-b')
    older = pending_entry(old_key, datetime.datetime(2026, 1, 1, tzinfo=UTC), container='te-old')
    newer = pending_entry(new_key, datetime.datetime(2026, 2, 1, tzinfo=UTC), container='te-new')
    for order in ([older, newer], [newer, older]):
        plan = plan_windows_request(order, [windows_csr(old_key), windows_csr(new_key)], REQUEST)
        assert plan['action'] == 'reuse' and plan['pending']['key_container'] == 'te-new'
        # both CSR texts gone: the newest key is rederived
        plan = plan_windows_request(order, [], REQUEST)
        assert plan['action'] == 'rederive' and plan['pending']['key_container'] == 'te-new'


def test_pending_request_whose_key_is_gone_gets_a_new_key():
    key = rsa_key(slot='csr-a')
    gone = pending_entry(key, datetime.datetime(2026, 1, 1, tzinfo=UTC), has_key=False)
    assert plan_windows_request([gone], [windows_csr(key)], REQUEST)['action'] == 'create'
    assert plan_windows_request([gone], [], REQUEST)['action'] == 'create'
    present = dict(gone, has_private_key=True)
    assert plan_windows_request([present], [], REQUEST)['action'] == 'rederive'


def test_other_subject_key_size_or_force_is_a_new_request():
    key = rsa_key(slot='csr-a')
    when = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    other = csr_request({'common_name': 'mail.example.com.hk', 'organization': 'Example Company Limited',
                         'organizational_unit': 'IT'})
    entry = pending_entry(key, when)
    assert plan_windows_request([entry], [windows_csr(key)], other)['action'] == 'create'
    bigger = dict(REQUEST, key_size=3072)
    assert plan_windows_request([entry], [windows_csr(key)], bigger)['action'] == 'create'
    assert plan_windows_request([entry], [windows_csr(key)], REQUEST, force=True) == {
        'action': 'create', 'pending': None, 'csr': None}
    assert key_matches(key.public_key(), REQUEST) and not key_matches(key.public_key(), bigger)


def test_saved_csr_that_no_longer_matches_is_rederived_and_damaged_files_are_skipped():
    key = rsa_key(slot='csr-a')
    entry = pending_entry(key, datetime.datetime(2026, 1, 1, tzinfo=UTC))
    other_sans = dict(REQUEST, sans=['www.example.com.hk', 'shop.example.com.hk'])
    stale = windows_csr(key, other_sans)
    plan = plan_windows_request([entry], ['not a csr', stale], REQUEST)
    assert plan['action'] == 'rederive'
    plan = plan_windows_request([entry], ['not a csr', windows_csr(key)], REQUEST)
    assert plan['action'] == 'reuse' and plan['csr'] is not None
    # a saved CSR of ANOTHER key does not make the pending request reusable
    assert plan_windows_request([entry], [windows_csr(rsa_key(slot='csr-b'))], REQUEST)['action'] == 'rederive'


def test_csr_matches_each_part():
    key = rsa_key(slot='csr-a')
    csr = build_csr(key, REQUEST)
    assert csr_matches(csr, REQUEST)
    assert not csr_matches(csr, dict(REQUEST, sans=[]))
    assert not csr_matches(csr, dict(REQUEST, key_size=4096))
    assert not csr_matches(csr, dict(REQUEST, subject=REQUEST['subject'][:-1] + [('CN', 'x.example.hk')]))
    assert csr_matches(csr, dict(REQUEST, sans=list(reversed(REQUEST['sans']))))


def test_generated_key_and_built_csr():
    from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import csr_sans, generate_key
    key = generate_key(2048)
    assert key.key_size == 2048 and key.public_key().public_numbers().e == 65537
    csr = build_csr(key, REQUEST)
    san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.critical is False and csr_sans(csr) == ['www.example.com.hk']
    bare = build_csr(key, dict(REQUEST, sans=[]))
    assert len(bare.extensions) == 0 and csr_sans(bare) == []


def test_load_csr_takes_pem_text_pem_bytes_and_der():
    import pytest
    from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
    csr = build_csr(rsa_key(slot='csr-a'), REQUEST)
    der = csr.public_bytes(serialization.Encoding.DER)
    pem = csr_pem(csr)
    for given in (pem, pem.encode(), b'\xef\xbb\xbf' + pem.replace('\n', '\r\n').encode(), der):
        assert load_csr(given) == csr
    with pytest.raises(HkpostError, match='saved CSR is not a valid PKCS#10'):
        load_csr(b'garbage', 'saved CSR')


def test_a_csr_with_a_broken_signature_does_not_match():
    csr = build_csr(rsa_key(slot='csr-a'), REQUEST)
    der = bytearray(csr.public_bytes(serialization.Encoding.DER))
    der[-1] ^= 0x01
    broken = x509.load_der_x509_csr(bytes(der))
    assert broken.is_signature_valid is False and not csr_matches(broken, REQUEST)


def test_entry_without_a_key_flag_counts_as_having_its_key():
    key = rsa_key(slot='csr-a')
    entry = pending_entry(key, datetime.datetime(2026, 1, 1, tzinfo=UTC))
    del entry['has_private_key']
    assert plan_windows_request([entry], [], REQUEST)['action'] == 'rederive'
