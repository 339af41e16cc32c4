# -*- coding: utf-8 -*-
"""CAA pre-flight: the decision (RFC 8659 sections 3-4, RFC 8657 parameters) and the lookup against a real
BIND 9 serving CAA records (tree climbing, a CNAME followed but the climb continuing from the name's own parent)."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _caa
from tests.support.peers.bind_server import BindServer


def rec(tag, value, flags=0):
    return {'flags': flags, 'tag': tag, 'value': value}


def test_no_records_or_no_issue_property_allows_any_ca():
    assert _caa.decide('www.example.hk', [], None)['allowed'] is True
    only_iodef = _caa.decide('www.example.hk', [rec('iodef', 'mailto:pki@example.hk')], 'example.hk')
    assert only_iodef['allowed'] is True and 'no issue property' in only_iodef['reason']


def test_another_ca_only_is_refused_naming_the_record_and_the_fix():
    result = _caa.decide('www.example.hk', [rec('issue', 'letsencrypt.org')], 'example.hk')
    assert result['allowed'] is False
    assert 'allows only letsencrypt.org' in result['reason']
    assert 'example.hk CAA 0 issue "hongkongpost.gov.hk"' in result['reason']
    empty = _caa.decide('www.example.hk', [rec('issue', ';')], 'example.hk')
    assert empty['allowed'] is False and '(no CA)' in empty['reason']


def test_hongkong_post_among_others_is_allowed_case_and_trailing_dot_ignored():
    records = [rec('issue', 'letsencrypt.org'), rec('issue', 'HongKongPost.gov.hk.')]
    result = _caa.decide('www.example.hk', records, 'example.hk')
    assert result['allowed'] is True and result['matched'].endswith('"HongKongPost.gov.hk."')


def test_wildcard_uses_issuewild_first_and_falls_back_to_issue():
    records = [rec('issue', 'hongkongpost.gov.hk'), rec('issuewild', 'letsencrypt.org')]
    assert _caa.decide('*.example.hk', records, 'example.hk')['allowed'] is False
    assert 'issuewild' in _caa.decide('*.example.hk', records, 'example.hk')['reason']
    assert _caa.decide('www.example.hk', records, 'example.hk')['allowed'] is True
    assert _caa.decide('*.example.hk', records[:1], 'example.hk')['allowed'] is True


def test_critical_unknown_property_forbids_issuance():
    result = _caa.decide('www.example.hk', [rec('issue', 'hongkongpost.gov.hk'), rec('tbs', 'x', 128)], 'example.hk')
    assert result['allowed'] is False and 'RFC 8659 section 4.5' in result['reason']
    assert _caa.decide('www.example.hk', [rec('issue', 'hongkongpost.gov.hk'), rec('tbs', 'x')],
                       'example.hk')['allowed'] is True


def test_rfc8657_parameters_are_parsed_and_reported():
    value = 'hongkongpost.gov.hk; accounturi=https://acme.example/acct/7 ; validationmethods=dns-01,http-01'
    assert _caa.parse_issue_value(value) == ('hongkongpost.gov.hk', {
        'accounturi': 'https://acme.example/acct/7', 'validationmethods': 'dns-01,http-01'})
    result = _caa.decide('www.example.hk', [rec('issue', 'hongkongpost.gov.hk; validationmethods=dns-01; '
                                                'accounturi=https://acme.example/acct/7')],
                         'example.hk', method='file')
    assert result['allowed'] is True and result['validationmethods'] == ['dns-01']
    assert result['accounturi'] == 'https://acme.example/acct/7'
    assert any('RFC 8657 section 3' in w for w in result['warnings'])
    assert any('method file (http-01) is not among them' in w for w in result['warnings'])


@pytest.fixture(scope='module')
def bind(tmp_path_factory):
    records = [
        'example IN CAA 0 issue "hongkongpost.gov.hk"', 'www.example IN A 127.0.0.1',
        'other IN CAA 0 issue "letsencrypt.org"', 'www.other IN A 127.0.0.1',
        'wild IN CAA 0 issue "letsencrypt.org"', 'wild IN CAA 0 issuewild "hongkongpost.gov.hk"',
        'acct IN CAA 0 issue "hongkongpost.gov.hk; accounturi=https://acme.example/acct/7; validationmethods=dns-01"',
        # a CNAME whose target has no CAA: the climb goes on from alias's own parent (example.test: allowed),
        # not from the target's (other.test: refused)
        'alias.example IN CNAME www.other',
        # a CNAME whose target has CAA: the target's set is the alias's relevant set
        'forbidden.other IN CAA 0 issue "letsencrypt.org"', 'www.plain IN CNAME forbidden.other',
        'crit IN CAA 128 tbs "x"', 'crit IN CAA 0 issue "hongkongpost.gov.hk"',
    ]
    server = BindServer(tmp_path_factory.mktemp('bind-caa'), zone='test', records=records).start()
    yield [('127.0.0.1', server.port)]
    server.stop()


@pytest.mark.parametrize('name,allowed,owner', [
    ('www.example.test', True, 'example.test'),       # climbed one label
    ('deep.er.www.example.test', True, 'example.test'),  # names that do not exist climb too (NXDOMAIN)
    ('www.other.test', False, 'other.test'),
    ('*.wild.test', True, 'wild.test'),
    ('wild.test', False, 'wild.test'),
    ('alias.example.test', True, 'example.test'),
    ('www.plain.test', False, 'forbidden.other.test'),
    ('crit.test', False, 'crit.test'),
    ('nothing.test', True, None),                     # up to the TLD, which has none
])
def test_relevant_set_and_decision_from_bind(bind, name, allowed, owner):
    result = _caa.check(name, bind)
    assert (result['allowed'], result['owner']) == (allowed, owner), result


def test_lookup_from_bind_reports_parameters_and_the_names_asked(bind):
    result = _caa.check('www.acct.test', bind, method='dns')
    assert result['allowed'] is True and result['accounturi'] == 'https://acme.example/acct/7'
    assert result['validationmethods'] == ['dns-01'] and result['asked'] == ['www.acct.test', 'acct.test']
    assert _caa.check('nothing.test', bind)['asked'] == ['nothing.test', 'test']
    assert _caa.check('www.plain.test', bind)['cname'] == 'forbidden.other.test'


def test_lookup_failure_is_unknown_not_a_refusal(bind):
    result = _caa.check('www.example.org', bind)  # BIND is not authoritative there and does not recurse
    assert result['allowed'] is None and 'REFUSED' in result['reason']
