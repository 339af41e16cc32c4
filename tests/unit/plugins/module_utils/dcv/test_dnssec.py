# -*- coding: utf-8 -*-
"""DNSSEC pre-flight against a real BIND 9 serving zones signed by dnssec-signzone: the parent ``test.``'s KSK is
the trust anchor; a signed child validates, an unsigned delegation is "unsigned", and a tampered record or
expired signatures are "bogus" - the CA will refuse this too."""

from __future__ import annotations

import calendar
import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dnssec
from tests.support.peers.bind_dnssec import SignedTree

CAA = '@ IN CAA 0 issue "hongkongpost.gov.hk"'


@pytest.fixture(scope='module')
def tree(tmp_path_factory):
    server = SignedTree(tmp_path_factory.mktemp('bind-dnssec'), {
        'signed': {'records': ['www IN A 127.0.0.1', CAA]},
        'plain': {'mode': 'unsigned', 'records': ['www IN A 127.0.0.1']},
        'broken': {'mode': 'tampered', 'records': ['www IN A 127.0.0.1', CAA],
                   'tamper': ('"hongkongpost.gov.hk"', '"hongkongpost.gov.hx"')},
        'expired': {'mode': 'expired', 'records': ['www IN A 127.0.0.1']},
        'txt': {'mode': 'tampered', 'records': ['@ IN TXT "dcv-token-abc"'],
                'tamper': ('"dcv-token-abc"', '"dcv-token-abd"')},
    }).start()
    yield server
    server.stop()


def validator(tree, anchor=None, now=None):
    return _dnssec.Validator(_dnssec.parse_trust_anchor(anchor or tree.anchor), [('127.0.0.1', tree.port)],
                             timeout=5, now=now)


@pytest.mark.parametrize('name,status', [
    ('www.signed.test', 'secure'), ('signed.test', 'secure'), ('*.signed.test', 'secure'),
    ('missing.signed.test', 'secure'),   # NXDOMAIN: the signed denial validates
    ('www.plain.test', 'unsigned'),
])
def test_signed_and_unsigned_zones(tree, name, status):
    result = validator(tree).check(name)
    assert result['status'] == status and result['problem'] is None, result


def test_a_tampered_record_is_bogus_and_says_the_ca_refuses_too(tree):
    result = validator(tree).check('broken.test')
    assert result['status'] == 'bogus' and result['zone'] == 'broken.test'
    assert 'broken.test CAA' in result['problem'] and 'will refuse this too' in result['problem']
    assert 'does not match its signature' in result['problem']


def test_dns_dcv_also_validates_the_txt_answer(tree):
    # CAA at txt.test is a signed denial that validates; the tampered TXT the CA reads for DNS DCV does not
    assert validator(tree).check('txt.test')['status'] == 'secure'
    result = validator(tree).check('txt.test', ('CAA', 'TXT'))
    assert result['status'] == 'bogus' and 'txt.test TXT' in result['problem']


def test_expired_signatures_are_bogus_naming_the_expiry(tree):
    result = validator(tree).check('www.expired.test')
    assert result['status'] == 'bogus' and 'expired on 2020-02-01' in result['problem'], result


def test_signatures_judged_at_the_injected_time(tree):
    # the same secure zone, judged in 2019: its signatures are not valid yet
    before = calendar.timegm(datetime.datetime(2019, 6, 1).timetuple())
    result = validator(tree, now=before).check('www.signed.test')
    assert result['status'] == 'bogus' and 'not valid before' in result['problem']


def test_an_anchor_that_matches_no_key_is_bogus_and_an_uncovered_name_is_not_checked(tree):
    other = tree.anchor.replace(tree.anchor.split()[-1], 'AAAA' + tree.anchor.split()[-1][4:])
    result = validator(tree, anchor=other).check('www.signed.test')
    assert result['status'] == 'bogus' and 'matches the trust anchor' in result['problem'], result
    elsewhere = validator(tree, anchor='example.org. IN DS 1 13 2 ' + '00' * 32).check('www.signed.test')
    assert elsewhere['status'] == 'no_anchor' and 'no trust anchor covers it' in elsewhere['problem'], elsewhere


@pytest.mark.parametrize('text,message', [
    ('', 'holds no DS or DNSKEY'),
    ('example.hk. IN A 192.0.2.1', 'not a DS or DNSKEY record'),
    ('example.hk. IN DS 1 13 2 zz', 'not a DS or DNSKEY record'),
])
def test_bad_trust_anchors_are_refused(text, message):
    with pytest.raises(HkpostError, match=message):
        _dnssec.parse_trust_anchor(text)


def test_root_anchor_files_parse_when_installed():
    text = _dnssec.root_anchor()
    if text is None:
        pytest.skip('no root trust anchor installed (dns-root-data)')
    assert any(name.to_text() == '.' for name in _dnssec.parse_trust_anchor(text))
