# -*- coding: utf-8 -*-
"""Edges of the served-chain judgement a user sees in the report (issue 14 section 3: edits the other tests
let through): port limits, IP names, weak keys, not-yet-valid and not-Hongkong-Post leaves, the order check
beyond "leaf first", extras, the old-intermediate revocation date, and the counts of the summary."""

from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import (
    ChainJudge, TrustAnchors, check_endpoint, name_covered, summarise, verdict_of)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import OLD_GENERATION_REVOKED_BY
from tests.support.pki import Issued, make_cert, rsa_key

DAY = datetime.timedelta(days=1)
UTC = datetime.timezone.utc


@pytest.fixture(scope='module')
def judge(pki):
    return ChainJudge(TrustAnchors([pki.root.cert, pki.globalsign.cert], 'test'), now=pki.now, warn_days=30)


def codes(result):
    return sorted(f['code'] for f in result['findings'])


def finding(result, code):
    return next(f for f in result['findings'] if f['code'] == code)


@pytest.mark.parametrize('port', [1, 65535, '443'])
def test_ports_in_range_are_kept(port):
    assert check_endpoint({'host': 'h', 'port': port}, 0)['port'] == int(port)


@pytest.mark.parametrize('port, fragment', [(0, 'port 0 is out of range'), (65536, 'port 65536 is out of range'),
                                            ('https', "port 'https' is not a number")])
def test_ports_out_of_range_or_not_numbers_are_refused(port, fragment):
    with pytest.raises(HkpostError, match=r'endpoints\[3\] \(h\)') as err:
        check_endpoint({'host': 'h', 'port': port}, 3)
    assert fragment in str(err.value)


@pytest.mark.parametrize('raw', [{}, {'host': '   '}, {'host': 42}])
def test_an_entry_without_a_usable_host_is_refused(raw):
    with pytest.raises(HkpostError, match=r'endpoints\[0\]: no host'):
        check_endpoint(raw, 0)


def test_empty_port_is_443_and_server_name_defaults_to_the_host():
    entry = check_endpoint({'host': 'mail.example.hk', 'port': '', 'server_name': ''}, 0)
    assert (entry['port'], entry['server_name'], entry['starttls']) == (443, 'mail.example.hk', None)


def test_ip_address_names_are_matched_against_ip_sans_only(pki):
    import ipaddress
    leaf = pki.issue_leaf('192.0.2.10', sans=['www.example.hk'], ip_sans=[ipaddress.ip_address('192.0.2.10')],
                          slot='leaf-ip')
    assert name_covered(leaf.cert, '192.0.2.10') is True
    assert name_covered(leaf.cert, '192.0.2.11') is False
    assert name_covered(leaf.cert, 'www.example.hk') is True
    # a DNS-only certificate never covers an address, even one spelled in its CN
    assert name_covered(pki.leaves['standard'].cert, '192.0.2.10') is False


def test_a_legacy_leaf_without_san_is_matched_on_its_common_name(pki):
    leaf = pki.issue_leaf('legacy.example.hk', sans=[], slot='leaf-no-san')
    assert name_covered(leaf.cert, 'legacy.example.hk') is True
    assert name_covered(leaf.cert, 'other.example.hk') is False


def test_rsa_1024_leaf_is_a_weak_key_and_2048_is_not(judge, pki):
    weak = pki.issue_leaf('weak.example.hk', bits=1024, slot='leaf-1024')
    result = judge.judge([weak.der, pki.ssl_new.der], 'weak.example.hk')
    assert codes(result) == ['weak_key'] and result['verdict'] == 'critical'
    assert "the leaf 'weak.example.hk' has a RSA 1024-bit key" in finding(result, 'weak_key')['message']
    assert codes(judge.judge([pki.leaves['standard'].der, pki.ssl_new.der], 'www.example.hk')) == ['ok']


def test_ec_keys_p256_pass_and_smaller_curves_are_weak(judge, pki):
    p256 = pki.issue_leaf('ec.example.hk', key=ec.generate_private_key(ec.SECP256R1()))
    assert codes(judge.judge([p256.der, pki.ssl_new.der], 'ec.example.hk')) == ['ok']
    try:
        small = pki.issue_leaf('ec192.example.hk', key=ec.generate_private_key(ec.SECP192R1()))
    except Exception:  # an OpenSSL without P-192
        pytest.skip('this OpenSSL cannot sign with P-192')
    result = judge.judge([small.der, pki.ssl_new.der], 'ec192.example.hk')
    assert codes(result) == ['weak_key'] and 'EC 192-bit' in finding(result, 'weak_key')['message']


def test_a_weak_intermediate_is_named_as_the_certificate(pki):
    key = rsa_key(1024, slot='weak-inter')
    inter = Issued(make_cert(pki.ssl_new.cert.subject, key, pki.root.cert.subject, pki.root.key,
                             pki.now - 30 * DAY, pki.now + 365 * DAY, ca=True, pathlen=0), key)
    leaf = pki.issue_leaf('www.example.hk', issuer=inter, slot='leaf-under-weak')
    result = ChainJudge(TrustAnchors([pki.root.cert], 't'), now=pki.now).judge([leaf.der, inter.der], 'www.example.hk')
    assert codes(result) == ['old_intermediate', 'weak_key']
    assert finding(result, 'weak_key')['message'].startswith("the certificate 'Hongkong Post e-Cert SSL CA 3 - 17'")


def test_a_leaf_not_yet_valid_is_critical(judge, pki):
    future = pki.issue_leaf('next.example.hk', not_before=pki.now + 2 * DAY, slot='leaf-future')
    result = judge.judge([future.der, pki.ssl_new.der], 'next.example.hk')
    assert codes(result) == ['not_yet_valid'] and result['verdict'] == 'critical'


def test_a_leaf_from_another_ca_is_not_hkpost(pki):
    judge = ChainJudge(TrustAnchors([pki.foreign_root.cert], 'foreign'), now=pki.now)
    result = judge.judge([pki.leaves['foreign'].der], 'www.example.com')
    assert codes(result) == ['not_hkpost'] and result['verdict'] == 'warning'
    assert "'Example Foreign Root CA'" in finding(result, 'not_hkpost')['message']


def test_intermediates_out_of_order_after_a_leaf_first_are_wrong_order(judge, pki):
    # leaf, then the cross certificate, then the intermediate: the path is leaf > intermediate > cross
    result = judge.judge([pki.leaves['standard'].der, pki.cross.der, pki.ssl_new.der], 'www.example.hk')
    assert codes(result) == ['wrong_order']


def test_an_unrelated_certificate_is_an_extra_and_counted(judge, pki):
    sent = [pki.leaves['standard'].der, pki.ssl_new.der, pki.leaves['wildcard'].der]
    message = finding(judge.judge(sent, 'www.example.hk'), 'extra_certificates')['message']
    assert message.startswith('the server sends 1 certificate it should not')
    assert "'*.example.hk' (not part of the chain" in message
    sent.append(pki.root.der)
    message = finding(judge.judge(sent, 'www.example.hk'), 'extra_certificates')['message']
    assert message.startswith('the server sends 2 certificates it should not')


def test_intermediate_without_its_root_anywhere_is_untrusted_not_missing(pki):
    judge = ChainJudge(TrustAnchors([pki.globalsign.cert], 'gs only'), now=pki.now)
    result = judge.judge([pki.leaves['standard'].der, pki.ssl_new.der], 'www.example.hk')
    assert codes(result) == ['untrusted']
    assert 'is neither sent nor a trusted root (trust: gs only)' in finding(result, 'untrusted')['message']


def test_leaf_alone_is_missing_intermediate(judge, pki):
    result = judge.judge([pki.leaves['standard'].der], 'www.example.hk')
    assert codes(result) == ['missing_intermediate'] and result['verdict'] == 'critical'


def test_old_intermediate_message_says_revoked_from_the_cut_off_day(pki):
    sent = [pki.leaves['under_old'].der, pki.ssl_old.der]
    cut = datetime.datetime.combine(OLD_GENERATION_REVOKED_BY, datetime.time(0, 0), tzinfo=UTC)

    def message(now):
        result = ChainJudge(TrustAnchors([pki.root.cert], 't'), now=now, warn_days=0).judge(sent, 'legacy.example.hk')
        return finding(result, 'old_intermediate')['message']
    assert 'Hongkong Post revokes it before 2026-06-15' in message(cut - DAY)
    assert 'Hongkong Post revoked it' in message(cut)


def test_name_mismatch_lists_at_most_five_names(judge, pki):
    five = ['n%d.example.hk' % i for i in range(5)]
    leaf5 = pki.issue_leaf('n0.example.hk', sans=five, slot='leaf-five')
    leaf6 = pki.issue_leaf('n0.example.hk', sans=five + ['n5.example.hk'], slot='leaf-six')
    msg5 = finding(judge.judge([leaf5.der, pki.ssl_new.der], 'www.example.hk'), 'name_mismatch')['message']
    msg6 = finding(judge.judge([leaf6.der, pki.ssl_new.der], 'www.example.hk'), 'name_mismatch')['message']
    assert msg5.endswith(', '.join(five)) and '...' not in msg5
    assert msg6.endswith(', '.join(five) + ' ...') and 'n5.example.hk' not in msg6


def test_days_left_and_not_after_of_the_leaf(judge, pki):
    leaf = pki.leaves['expiring']
    result = judge.judge([leaf.der, pki.ssl_new.der], 'soon.example.hk')
    assert result['days_left'] == 10 and result['not_after'].startswith(leaf.cert.not_valid_after_utc.strftime('%Y-%m-%d'))
    expired = judge.judge([pki.leaves['expired'].der, pki.ssl_new.der], 'old.example.hk')
    assert expired['days_left'] == -10 and 'expired' in codes(expired)
    assert '(10 days ago)' in finding(expired, 'expired')['message']


def test_a_judge_reused_across_a_fleet_gives_the_same_answer(pki):
    judge = ChainJudge(TrustAnchors([pki.root.cert], 't'), now=pki.now)
    sent = [pki.leaves['standard'].der, pki.ssl_new.der]
    first = judge.judge(sent, 'www.example.hk')
    assert judge.judge(sent, 'www.example.hk') == first and codes(first) == ['ok']
    assert codes(judge.judge([pki.leaves['standard'].der], 'www.example.hk')) == ['missing_intermediate']


def test_verdict_of_nothing_is_ok_and_summary_counts_each_code_once_per_endpoint():
    assert verdict_of([]) == 'ok'
    assert verdict_of([{'severity': 'warning'}, {'severity': 'ok'}]) == 'warning'
    summary = summarise([{'verdict': 'error', 'findings': [{'code': 'unreachable'}]},
                         {'verdict': 'error', 'findings': [{'code': 'tls_error'}]},
                         {'verdict': 'warning', 'findings': [{'code': 'wrong_order'}, {'code': 'wrong_order'}]}])
    assert summary == {'total': 3, 'by_verdict': {'ok': 0, 'warning': 1, 'critical': 0, 'error': 2},
                       'by_code': {'unreachable': 1, 'tls_error': 1, 'wrong_order': 1}}
    assert list(summary['by_verdict']) == ['ok', 'warning', 'critical', 'error']
