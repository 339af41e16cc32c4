# -*- coding: utf-8 -*-
"""What the served-chain judgement says about certificates without a common name or SAN, which sent
certificates it follows to a trust anchor, validity at the exact boundary instants, and where it finds the
controller's CA bundle (issue 14 section 3: edits the other served-chain tests let through).

Every certificate here is a real X.509 certificate from the test PKI (tests/support/pki.py), judged from
its DER exactly as a server would send it."""

from __future__ import annotations

import datetime
import ssl

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit import _served_chain
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import (
    ChainJudge, TrustAnchors, check_endpoint, load_trust, name_covered)
from tests.support.pki import Issued, make_cert, rsa_key

DAY = datetime.timedelta(days=1)
ORG_ONLY = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, 'HK'),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Example Org Without CN')])


@pytest.fixture(scope='module')
def judge(pki):
    return ChainJudge(TrustAnchors([pki.root.cert, pki.globalsign.cert], 'test'), now=pki.now, warn_days=30)


@pytest.fixture(scope='module')
def cn_less_ca(pki):
    """A CA whose name has no CN (as some private and government CAs are named): O and C only."""
    key = rsa_key(slot='cn-less-ca')
    return Issued(make_cert(ORG_ONLY, key, ORG_ONLY, key, pki.now - 400 * DAY, pki.now + 3650 * DAY, ca=True), key)


def cn_less_leaf(pki, issuer, sans, slot):
    key = rsa_key(slot=slot)
    return Issued(make_cert(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Example Ltd')]), key,
                            issuer.cert.subject, issuer.key, pki.now - 30 * DAY, pki.now + 199 * DAY, ca=False,
                            sans=sans), key)


def codes(result):
    return sorted(f['code'] for f in result['findings'])


def finding(result, code):
    return next(f for f in result['findings'] if f['code'] == code)


# ---- names the rules must not stretch ---------------------------------------------------------------------

def test_a_plain_name_is_not_read_as_a_wildcard(pki):
    # "m.example.hk" with its first two characters cut off is "example.hk", the parent of www.example.hk
    mobile = pki.issue_leaf('m.example.hk', slot='leaf-m')
    assert name_covered(mobile.cert, 'm.example.hk') is True
    assert name_covered(mobile.cert, 'www.example.hk') is False


def test_nested_wildcards_and_empty_labels_never_match(pki):
    nested = pki.issue_leaf('*.*.example.hk', sans=['*.*.example.hk'], slot='leaf-nested')
    assert name_covered(nested.cert, 'a.*.example.hk') is False
    assert name_covered(pki.leaves['wildcard'].cert, '.example.hk') is False


def test_a_certificate_without_san_never_covers_an_address_even_in_its_cn(pki):
    leaf = pki.issue_leaf('192.0.2.10', sans=[], slot='leaf-ip-cn')
    assert name_covered(leaf.cert, '192.0.2.10') is False


def test_a_certificate_without_san_or_cn_covers_nothing_and_says_so(judge, pki):
    leaf = cn_less_leaf(pki, pki.ssl_new, [], 'leaf-no-cn')
    assert name_covered(leaf.cert, 'www.example.hk') is False
    result = judge.judge([leaf.der, pki.ssl_new.der], 'www.example.hk')
    assert codes(result) == ['name_mismatch']
    assert finding(result, 'name_mismatch')['message'] == "the leaf does not cover 'www.example.hk'; it is for -"


def test_a_name_mismatch_of_a_legacy_leaf_names_its_cn(judge, pki):
    legacy = pki.issue_leaf('legacy.example.hk', sans=[], slot='leaf-no-san')
    message = finding(judge.judge([legacy.der, pki.ssl_new.der], 'www.example.hk'), 'name_mismatch')['message']
    assert message.endswith('it is for legacy.example.hk')


def test_an_expired_leaf_without_cn_is_named_by_its_subject(pki):
    leaf = cn_less_leaf(pki, pki.ssl_new, ['www.example.hk'], 'leaf-no-cn-san')
    later = ChainJudge(TrustAnchors([pki.root.cert], 't'), now=pki.now + 200 * DAY)
    message = finding(later.judge([leaf.der, pki.ssl_new.der], 'www.example.hk'), 'expired')['message']
    assert message.startswith("the leaf 'O=Example Ltd' expired on")


# ---- issuers and extras without a CN -------------------------------------------------------------------------

def test_an_issuer_without_cn_is_named_by_its_subject(pki, cn_less_ca):
    leaf = pki.issue_leaf('www.example.hk', issuer=cn_less_ca, slot='leaf-under-cn-less')
    trusting = ChainJudge(TrustAnchors([cn_less_ca.cert], 'org'), now=pki.now)
    result = trusting.judge([leaf.der], 'www.example.hk')
    assert codes(result) == ['not_hkpost']
    assert "issued by 'O=Example Org Without CN,C=HK'" in finding(result, 'not_hkpost')['message']
    missing = ChainJudge(TrustAnchors([pki.root.cert], 't'), now=pki.now).judge([leaf.der], 'www.example.hk')
    message = finding(missing, 'missing_intermediate')['message']
    assert "sent without its issuer 'O=Example Org Without CN,C=HK'" in message


def test_an_extra_certificate_without_cn_is_named_by_its_subject(judge, pki, cn_less_ca):
    sent = [pki.leaves['standard'].der, pki.ssl_new.der, cn_less_ca.der]
    # the CN-less CA is self-signed: an extra root, named by its subject (not "None")
    message = finding(judge.judge(sent, 'www.example.hk'), 'extra_certificates')['message']
    assert "the root 'O=Example Org Without CN,C=HK' itself" in message
    leaf = cn_less_leaf(pki, pki.ssl_new, ['x.example.hk'], 'leaf-no-cn-extra')
    message = finding(judge.judge([pki.leaves['standard'].der, pki.ssl_new.der, leaf.der], 'www.example.hk'),
                      'extra_certificates')['message']
    assert "'O=Example Ltd' (not part of the chain to a trusted root)" in message


def test_an_untrusted_chain_end_without_cn_is_named_by_its_subject(judge, pki, cn_less_ca):
    leaf = pki.issue_leaf('www.example.hk', issuer=cn_less_ca, slot='leaf-under-cn-less')
    message = finding(judge.judge([leaf.der, cn_less_ca.der], 'www.example.hk'), 'untrusted')['message']
    assert message.startswith("the chain as sent ends at 'O=Example Org Without CN,C=HK', which is not a trusted")
    key = rsa_key(slot='cn-less-inter')
    inter = Issued(make_cert(ORG_ONLY, key, pki.foreign_root.cert.subject, pki.foreign_root.key, pki.now - DAY,
                             pki.now + 90 * DAY, ca=True, pathlen=0), key)
    under = pki.issue_leaf('www.example.hk', issuer=inter, slot='leaf-under-cn-less-inter')
    message = finding(judge.judge([under.der, inter.der], 'www.example.hk'), 'untrusted')['message']
    assert message.startswith("the chain as sent ends at 'O=Example Org Without CN,C=HK', whose issuer")


def test_the_wrong_order_message_names_each_certificate_as_sent(judge, pki):
    leaf = cn_less_leaf(pki, pki.ssl_new, ['www.example.hk'], 'leaf-no-cn-san')
    result = judge.judge([pki.ssl_new.der, leaf.der], 'www.example.hk')
    assert finding(result, 'wrong_order')['message'].endswith(
        "sent as 'Hongkong Post e-Cert SSL CA 3 - 17' > 'O=Example Ltd'")
    named = judge.judge([pki.ssl_new.der, pki.leaves['standard'].der], 'www.example.hk')
    assert finding(named, 'wrong_order')['message'].endswith(
        "sent as 'Hongkong Post e-Cert SSL CA 3 - 17' > 'www.example.hk'")


# ---- which sent certificates make the path ------------------------------------------------------------------

def test_a_leaf_after_an_unrelated_ca_is_wrong_order_even_if_its_path_is_ascending(judge, pki):
    # path leaf(1) > intermediate(2) > anchor is ascending; the leaf is still not first
    result = judge.judge([pki.ev_new.der, pki.leaves['standard'].der, pki.ssl_new.der], 'www.example.hk')
    assert codes(result) == ['extra_certificates', 'wrong_order']


def test_an_intermediate_with_the_right_name_but_another_key_is_not_the_issuer(judge, pki):
    # a TLS-inspection box's "Hongkong Post e-Cert SSL CA 3 - 17" sent beside a genuine leaf
    result = judge.judge([pki.leaves['standard'].der, pki.inspection_intermediate().der], 'www.example.hk')
    assert codes(result) == ['extra_certificates', 'missing_intermediate']


def test_mutual_cross_certificates_end_at_the_anchor(judge, pki):
    # Root CA 3 cross-signed by GlobalSign, and GlobalSign cross-signed by Root CA 3: the path must not loop
    gs_by_root = Issued(make_cert(pki.globalsign.cert.subject, pki.globalsign.key, pki.root.cert.subject, pki.root.key,
                                  pki.now - 400 * DAY, pki.now + 3650 * DAY, ca=True), pki.globalsign.key)
    sent = [pki.leaves['standard'].der, pki.ssl_new.der, pki.cross.der, gs_by_root.der]
    result = judge.judge(sent, 'www.example.hk')
    assert result['verdict'] == 'ok' and codes(result) == ['ok']


def test_a_sent_self_issued_root_with_a_bad_signature_is_reported_as_such(judge, pki):
    from tests.support.pki import hk_name
    fake_root = pki.impostor_root(bad_signature=True)
    key = rsa_key(slot='impostor-inter-bad-root')
    inter = Issued(make_cert(hk_name('Hongkong Post e-Cert SSL CA 3 - 17'), key, fake_root.cert.subject,
                             fake_root.key, pki.now - 30 * DAY, pki.now + 365 * DAY, ca=True, pathlen=0), key)
    leaf = pki.issue_leaf('www.example.hk', issuer=inter, slot='leaf-impostor-bad-root')
    result = judge.judge([leaf.der, inter.der, fake_root.der], 'www.example.hk')
    assert "signature does not verify with that root's key" in finding(result, 'untrusted')['message']


def test_a_self_signed_leaf_is_untrusted_but_not_an_extra_root(judge, pki):
    key = rsa_key(slot='self-signed-leaf')
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'www.example.hk')])
    leaf = Issued(make_cert(name, key, name, key, pki.now - DAY, pki.now + 90 * DAY, ca=False,
                            sans=['www.example.hk']), key)
    result = judge.judge([leaf.der], 'www.example.hk')
    assert codes(result) == ['not_hkpost', 'untrusted']


def test_an_old_generation_leaf_under_the_new_intermediate_is_not_an_old_intermediate(judge, pki):
    leaf = pki.leaf_issued_at(datetime.datetime(2025, 4, 30, tzinfo=datetime.timezone.utc), cn='www.example.hk')
    result = judge.judge([leaf.der, pki.ssl_new.der], 'www.example.hk')
    # Issued 2025-04-30 and valid until 90 days from now: well past two thirds of its lifetime, so due for
    # renewal - but not reported as an old intermediate.
    assert result['served'][0]['generation'] == 'old' and codes(result) == ['expiring']


def test_an_expired_extra_certificate_after_the_anchor_is_not_judged_for_validity(judge, pki):
    sent = [pki.leaves['standard'].der, pki.ssl_new.der, pki.leaves['expired'].der]
    assert codes(judge.judge(sent, 'www.example.hk')) == ['extra_certificates']


# ---- validity at the exact instants -------------------------------------------------------------------------

def test_validity_includes_both_not_before_and_not_after(pki):
    # RFC 5280 4.1.2.5: the validity period is inclusive of both dates
    leaf = pki.leaves['standard']
    anchors = TrustAnchors([pki.root.cert], 't')
    sent = [leaf.der, pki.ssl_new.der]
    at_end = ChainJudge(anchors, now=leaf.cert.not_valid_after_utc).judge(sent, 'www.example.hk')
    assert codes(at_end) == ['expiring'] and '(in 0 days' in finding(at_end, 'expiring')['message']
    at_start = ChainJudge(anchors, now=leaf.cert.not_valid_before_utc).judge(sent, 'www.example.hk')
    assert codes(at_start) == ['ok']


def test_the_default_warning_is_30_days(pki):
    leaf = pki.issue_leaf('soon.example.hk', not_before=pki.now - 60 * DAY, not_after=pki.now + 31 * DAY,
                          slot='leaf-31')
    anchors = TrustAnchors([pki.root.cert], 't')
    sent = [leaf.der, pki.ssl_new.der]
    assert codes(ChainJudge(anchors, now=pki.now).judge(sent, 'soon.example.hk')) == ['ok']
    assert codes(ChainJudge(anchors, now=pki.now + DAY).judge(sent, 'soon.example.hk')) == ['expiring']


def test_only_expiry_findings_name_a_certificate(judge, pki):
    # RETURN documents findings[].certificate "for expired and expiring"
    missing = judge.judge([pki.leaves['standard'].der], 'www.example.hk')
    assert 'certificate' not in finding(missing, 'missing_intermediate')
    expiring = judge.judge([pki.leaves['expiring'].der, pki.ssl_new.der], 'soon.example.hk')
    assert finding(expiring, 'expiring')['certificate'] == expiring['served'][0]['sha256']


# ---- a fleet-sized judge stays bounded ------------------------------------------------------------------------

def test_the_caches_of_a_reused_judge_stay_within_their_limit(pki, monkeypatch):
    monkeypatch.setattr(_served_chain, '_CACHE_LIMIT', 2)
    judge = ChainJudge(TrustAnchors([pki.root.cert], 't'), now=pki.now)
    for name in ('standard', 'wildcard', 'multi_domain', 'expiring'):
        judge.judge([pki.leaves[name].der, pki.ssl_new.der], 'www.example.hk')
    assert len(judge._ca) == 2 and len(judge._issued) == 2  # pylint: disable=protected-access


# ---- inputs ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('starttls', [25, True, ['smtp']])
def test_a_starttls_that_is_not_text_is_refused_naming_it(starttls):
    with pytest.raises(HkpostError, match=r'endpoints\[0\] \(mx\): starttls .* is not one of smtp, imap, pop3, none'):
        check_endpoint({'host': 'mx', 'starttls': starttls}, 0)


class _Paths:
    def __init__(self, cafile, openssl_cafile):
        self.cafile, self.openssl_cafile = cafile, openssl_cafile


def test_system_trust_skips_unset_and_missing_default_paths(tmp_path, monkeypatch):
    # Python built against another OpenSSL may report no cafile, or one that does not exist here.
    missing = str(tmp_path / 'no-such-bundle.pem')
    monkeypatch.setattr(ssl, 'get_default_verify_paths', lambda: _Paths(None, missing))
    trust = load_trust('system')
    assert trust.description.startswith('system (/') and missing not in trust.description and len(trust) > 50


def test_system_trust_without_any_bundle_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(_served_chain, '_system_bundle', lambda: None)
    with pytest.raises(HkpostError, match='trust=system: no CA bundle found on the controller'):
        load_trust('system')
