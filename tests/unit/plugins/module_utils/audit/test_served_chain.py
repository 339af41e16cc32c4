# -*- coding: utf-8 -*-
"""The pure chain judgement: DER lists in, findings out (no network)."""

from __future__ import annotations

import datetime

import re

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import (
    ChainJudge, TrustAnchors, check_endpoint, failed, load_trust, name_covered, summarise, verdict_of)
from tests.support.pki import IDN_ASCII, IDN_UNICODE

DAY = datetime.timedelta(days=1)


@pytest.fixture(scope='module')
def judge(pki):
    return ChainJudge(TrustAnchors([pki.root.cert, pki.globalsign.cert], 'test'), now=pki.now, warn_days=30)


def codes(result):
    return sorted(f['code'] for f in result['findings'])


def test_correct_chain_is_only_ok(judge, pki):
    result = judge.judge([pki.leaves['standard'].der, pki.ssl_new.der], 'www.example.hk')
    assert codes(result) == ['ok'] and result['verdict'] == 'ok'
    assert [c['role'] for c in result['served']] == ['leaf', 'intermediate']
    assert result['days_left'] == (pki.leaves['standard'].cert.not_valid_after_utc - pki.now).days


def test_old_and_new_both_sent_flags_old_and_extra(judge, pki):
    result = judge.judge([pki.leaves['standard'].der, pki.ssl_new.der, pki.ssl_old.der], 'www.example.hk')
    assert codes(result) == ['extra_certificates', 'old_intermediate']


def test_cross_certificate_is_part_of_the_path_not_extra(judge, pki):
    result = judge.judge([pki.leaves['standard'].der, pki.ssl_new.der, pki.cross.der], 'www.example.hk')
    assert codes(result) == ['ok']


def test_leaf_not_first_is_wrong_order(judge, pki):
    result = judge.judge([pki.ssl_new.der, pki.leaves['standard'].der], 'www.example.hk')
    assert codes(result) == ['wrong_order']


def test_warn_days_boundary(pki):
    # 11-day lifetime, 1 day in: two thirds are not reached, so warn_days alone decides.
    leaf = pki.issue_leaf('soon.example.hk', not_before=pki.now - DAY, not_after=pki.now + 10 * DAY)
    anchors = TrustAnchors([pki.root.cert], 'test')
    sent = [leaf.der, pki.ssl_new.der]
    assert 'expiring' in codes(ChainJudge(anchors, now=pki.now, warn_days=10).judge(sent, 'soon.example.hk'))
    assert codes(ChainJudge(anchors, now=pki.now, warn_days=9).judge(sent, 'soon.example.hk')) == ['ok']


def test_leaf_past_two_thirds_of_its_lifetime_is_expiring_whatever_warn_days(pki):
    anchors = TrustAnchors([pki.root.cert], 'test')
    due = pki.issue_leaf('soon.example.hk', not_before=pki.now - 134 * DAY, not_after=pki.now + 65 * DAY)  # 199 days
    result = ChainJudge(anchors, now=pki.now, warn_days=30).judge([due.der, pki.ssl_new.der], 'soon.example.hk')
    assert codes(result) == ['expiring'] and 'two thirds of its 199-day lifetime' in result['findings'][0]['message']
    early = pki.issue_leaf('soon.example.hk', not_before=pki.now - 130 * DAY, not_after=pki.now + 69 * DAY)
    assert codes(ChainJudge(anchors, now=pki.now, warn_days=30).judge([early.der, pki.ssl_new.der],
                                                                      'soon.example.hk')) == ['ok']


def test_expired_intermediate_is_reported_as_intermediate(pki):
    later = pki.now + 20000 * DAY
    result = ChainJudge(TrustAnchors([pki.root.cert], 't'), now=later).judge(
        [pki.leaves['standard'].der, pki.ssl_new.der], 'www.example.hk')
    messages = [f['message'] for f in result['findings'] if f['code'] == 'expired']
    assert any(m.startswith("the leaf 'www.example.hk'") for m in messages)
    assert any(m.startswith("the intermediate 'Hongkong Post e-Cert SSL CA 3 - 17'") for m in messages)


def test_unparsable_certificate_is_a_tls_error(judge, pki):
    result = judge.judge([pki.leaves['standard'].der, b'\x30\x03\x02\x01\x00'], 'www.example.hk')
    assert codes(result) == ['tls_error'] and 'certificate #2' in result['findings'][0]['message']


@pytest.mark.parametrize('leaf, name, covered', [
    ('wildcard', 'shop.example.hk', True),
    ('wildcard', 'SHOP.Example.HK.', True),
    ('wildcard', 'example.hk', True),           # listed as a SAN of its own
    ('wildcard', 'a.b.example.hk', False),      # one label only
    ('wildcard', 'example.com.hk', False),
    ('standard', 'www.example.hk', True),
    ('standard', 'example.hk', False),
    ('idn', IDN_UNICODE, True),                 # Unicode asked, A-label in the certificate
    ('idn', IDN_ASCII, True),
    ('multi_domain', 'mail.example.com.hk', True),
])
def test_name_rules(pki, leaf, name, covered):
    assert name_covered(pki.leaves[leaf].cert, name) is covered


def test_wildcard_over_a_public_suffix_never_matches(pki):
    leaf = pki.issue_leaf('*.hk', sans=['*.hk'])
    assert name_covered(leaf.cert, 'example.hk') is False
    partial = pki.issue_leaf('w*.example.hk', sans=['w*.example.hk'])
    assert name_covered(partial.cert, 'www.example.hk') is False


def test_real_shipped_chain_classification(real_certs):
    """The real old and new intermediates: same name and key, told apart only by EKU."""
    judge = ChainJudge(load_trust('bundled'), now=datetime.datetime(2026, 11, 21, tzinfo=datetime.timezone.utc))
    from cryptography.hazmat.primitives.serialization import Encoding
    old = real_certs['ssl_ca_3_17_old'].public_bytes(Encoding.DER)
    new = real_certs['ssl_ca_3_17_new'].public_bytes(Encoding.DER)
    # An intermediate alone (no leaf): it verifies to the real Root CA 3 from the bundle.
    assert 'old_intermediate' in codes(judge.judge([old], 'x.example.hk'))
    assert 'old_intermediate' not in codes(judge.judge([new], 'x.example.hk'))
    assert 'untrusted' not in codes(judge.judge([new], 'x.example.hk'))


def test_trust_options(tmp_path, pki):
    assert len(load_trust('bundled')) == 2
    system = load_trust('system')
    assert len(system) > 50 and 'system' in system.description
    path = tmp_path / 'roots.pem'
    path.write_text(pki.root.pem)
    assert len(load_trust(str(path))) == 1
    path.write_text('not a certificate')
    with pytest.raises(HkpostError):
        load_trust(str(path))


def test_check_endpoint_defaults():
    expected = {'host': 'www.example.hk', 'port': 443, 'server_name': 'www.example.hk', 'starttls': None,
                'inventory_name': 'www.example.hk'}
    assert check_endpoint({'host': ' www.example.hk '}, 0) == expected
    assert check_endpoint({'host': '192.0.2.1', 'port': '8443', 'server_name': 'a.hk'}, 1)['port'] == 8443
    with pytest.raises(HkpostError, match=r'endpoints\[2\]'):
        check_endpoint('www.example.hk', 2)


def test_verdicts_and_summary():
    assert verdict_of([{'severity': 'warning'}, {'severity': 'critical'}]) == 'critical'
    assert verdict_of([{'severity': 'error'}]) == 'error'
    endpoints = [{'verdict': 'ok', 'findings': [{'code': 'ok'}]},
                 {'verdict': 'critical', 'findings': [{'code': 'expired'}, {'code': 'expired'}]}]
    assert summarise(endpoints) == {'total': 2, 'by_verdict': {'ok': 1, 'warning': 0, 'critical': 1, 'error': 0},
                                    'by_code': {'ok': 1, 'expired': 1}}


# ---- issue 14: edits the tests above did not catch ---------------------------------------------------

def impostor_chain(pki):
    """A whole chain under a self-signed "Hongkong Post Root CA 3" with another key (same name, not the key)."""
    from tests.support.pki import Issued, hk_name, make_cert, rsa_key
    fake_root = pki.impostor_root()
    key = rsa_key(slot='impostor-inter')
    inter = Issued(make_cert(hk_name('Hongkong Post e-Cert SSL CA 3 - 17'), key, fake_root.cert.subject,
                             fake_root.key, pki.now - 30 * DAY, pki.now + 365 * DAY, ca=True, pathlen=0), key)
    leaf = pki.issue_leaf('www.example.hk', issuer=inter, slot='leaf-impostor')
    return leaf, inter, fake_root


def test_sent_self_signed_root_copying_root_ca_3_name_but_not_key_is_not_trusted(judge, pki):
    leaf, inter, fake_root = impostor_chain(pki)
    assert fake_root.cert.subject == pki.root.cert.subject
    result = judge.judge([leaf.der, inter.der, fake_root.der], 'www.example.hk')
    assert result['verdict'] != 'ok'
    assert 'untrusted' in codes(result)
    untrusted = next(f for f in result['findings'] if f['code'] == 'untrusted')
    assert 'not a trusted root' in untrusted['message']
    # without the fake root sent, the intermediate names the trusted root but its signature does not verify
    result = judge.judge([leaf.der, inter.der], 'www.example.hk')
    assert 'untrusted' in codes(result)
    assert 'signature does not verify' in next(f for f in result['findings'] if f['code'] == 'untrusted')['message']


def test_sent_real_root_is_trusted_but_extra(judge, pki):
    result = judge.judge([pki.leaves['standard'].der, pki.ssl_new.der, pki.root.der], 'www.example.hk')
    assert codes(result) == ['extra_certificates'] and 'untrusted' not in codes(result)


@pytest.mark.parametrize('entry, starttls', [
    ({'host': 'mx', 'port': 25}, 'smtp'),
    ({'host': 'mx', 'port': 587}, 'smtp'),
    ({'host': 'mx', 'port': 143}, 'imap'),
    ({'host': 'mx', 'port': 110}, 'pop3'),
    ({'host': 'mx', 'port': 465}, None),
    ({'host': 'mx', 'port': 993}, None),
    ({'host': 'mx', 'port': 25, 'starttls': 'none'}, None),
    ({'host': 'mx', 'port': 2525, 'starttls': 'SMTP'}, 'smtp'),
])
def test_starttls_defaults_from_the_port_and_can_be_overridden(entry, starttls):
    assert check_endpoint(entry, 0)['starttls'] == starttls


def test_bad_starttls_and_inventory_name():
    with pytest.raises(HkpostError, match=r"endpoints\[0\] \(mx\): starttls 'ftp' is not one of smtp, imap, pop3, none"):
        check_endpoint({'host': 'mx', 'starttls': 'ftp'}, 0)
    assert check_endpoint({'host': '10.0.0.5', 'inventory_name': 'exch01'}, 0)['inventory_name'] == 'exch01'


def test_every_finding_has_one_plain_sentence_of_action(pki):
    judge = ChainJudge(TrustAnchors([pki.root.cert], 'test roots'), now=pki.now)
    results = [judge.judge([pki.leaves[name].der] + chain, server)
               for name, chain, server in (('standard', [pki.ssl_new.der], 'www.example.hk'),
                                           ('standard', [], 'www.example.hk'),
                                           ('under_old', [pki.ssl_old.der], 'legacy.example.hk'),
                                           ('expiring', [pki.ssl_new.der], 'soon.example.hk'),
                                           ('expired', [pki.ssl_new.der], 'old.example.hk'))]
    results.append(failed('no_starttls', 'the SMTP server does not offer STARTTLS', protocol='smtp'))
    actions = {f['code']: f['action'] for r in results for f in r['findings']}
    assert set(actions) == {'ok', 'missing_intermediate', 'old_intermediate', 'expiring', 'expired', 'no_starttls'}
    for code, action in actions.items():
        assert action[0].isupper() and action.endswith('.') and action.count('. ') == 0, (code, action)
    assert actions['missing_intermediate'].startswith("Install the intermediate 'Hongkong Post e-Cert SSL CA 3 - 17'")
    assert re.match(r'Renew: the certificate expires in \d+ days', actions['expiring'])
    assert 'SMTP' in actions['no_starttls']
    expiring = next(f for f in results[3]['findings'] if f['code'] == 'expiring')
    assert expiring['certificate'] == results[3]['served'][0]['sha256']
