# -*- coding: utf-8 -*-
"""dcv._caa rules left open by the issue 21 mutation run (RFC 8659, RFC 8657): the issue value's grammar, the
critical flag, issuewild, validationmethods, the refusal's advice, and the lookup of the relevant record set.

The lookup runs against a stand-in for dcv._dns.ask that answers with real dnspython messages (what a resolver sends
is tested against BIND in tests/unit/plugins/action/test_hkpost_preflight.py).
"""

from __future__ import annotations

import dns.message
import dns.rrset
import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _caa, _dns

HK = 'hongkongpost.gov.hk'


def rec(value, tag='issue', flags=0):
    return {'flags': flags, 'tag': tag, 'value': value}


@pytest.mark.parametrize('value, expected', [
    (b'hongkongpost.gov.hk', (HK, {})),
    ('HongKongPost.gov.hk.; accounturi=https://acme.example/1', (HK, {'accounturi': 'https://acme.example/1'})),
    (';', (None, {})),
    ('ca.example; flag; =orphan; Validationmethods = dns-01', ('ca.example', {'validationmethods': 'dns-01'})),
])
def test_issue_value_grammar(value, expected):
    assert _caa.parse_issue_value(value) == expected


def test_no_record_lets_any_ca_issue():
    result = _caa.decide('www.example.hk', [], None)
    assert result['allowed'] is True and result['reason'] == 'no CAA record at www.example.hk or any parent: any CA may issue'


def test_only_the_critical_bit_of_an_unknown_tag_refuses():
    assert _caa.decide('a.example.hk', [rec(HK), rec('x', tag='future', flags=1)], 'example.hk')['allowed'] is True
    assert _caa.decide('a.example.hk', [rec(HK, flags=128)], 'example.hk')['allowed'] is True
    refused = _caa.decide('a.example.hk', [rec(HK), rec('x', tag='future', flags=128)], 'example.hk')
    assert refused['allowed'] is False and 'example.hk CAA 128 future "x"' in refused['reason']


def test_a_wildcard_uses_issuewild_when_there_is_one():
    records = [rec(HK), rec('letsencrypt.org', tag='issuewild')]
    refused = _caa.decide('*.example.hk', records, 'example.hk')
    assert refused['allowed'] is False
    assert 'allows only letsencrypt.org to issue wildcard certificates' in refused['reason']
    assert 'Add example.hk CAA 0 issuewild "hongkongpost.gov.hk"' in refused['reason']
    assert _caa.decide('www.example.hk', records, 'example.hk')['allowed'] is True


def test_a_wildcard_without_issuewild_uses_issue():
    refused = _caa.decide('*.example.hk', [rec('letsencrypt.org')], 'example.hk')
    assert refused['allowed'] is False and 'allows only letsencrypt.org to issue:' in refused['reason']


def test_the_refusal_advises_the_first_issuer_domain_given():
    refused = _caa.decide('www.example.hk', [rec('letsencrypt.org')], 'example.hk', issuer_domains=('ca.example.test',))
    assert 'Add example.hk CAA 0 issue "ca.example.test"' in refused['reason']
    refused = _caa.decide('www.example.hk', [rec('letsencrypt.org')], 'example.hk', issuer_domains=())
    assert refused['allowed'] is False and 'Add example.hk CAA 0 issue "hongkongpost.gov.hk"' in refused['reason']


@pytest.mark.parametrize('value, method, warned', [
    (HK + '; validationmethods=dns-01', 'dns', False),
    (HK + '; validationmethods=dns-01', 'file', True),
    (HK + '; validationmethods=dns-01', None, False),
    (HK, 'dns', False),
])
def test_validationmethods_warn_only_when_the_method_is_not_among_them(value, method, warned):
    result = _caa.decide('www.example.hk', [rec(value)], 'example.hk', method=method)
    assert result['allowed'] is True and bool(result['warnings']) is warned


class Resolver:
    """dcv._dns.ask answering CAA queries from zone-file style lines: {qname: [rrset text, ...]}."""

    def __init__(self, monkeypatch, answers):
        self.answers, self.asked = answers, []
        monkeypatch.setattr(_dns, 'ask', self.ask)

    def ask(self, qname, rdtype, servers, timeout=5, recursion=True):
        name = qname.to_text(omit_final_dot=True) if not isinstance(qname, str) else qname
        self.asked.append(name)
        response = dns.message.make_response(dns.message.make_query(qname, rdtype))
        for owner, ttl, kind, *data in self.answers.get(name, []):
            response.answer.append(dns.rrset.from_text(owner, ttl, 'IN', kind, *data))
        return response


def test_the_lookup_follows_a_cname_chain_and_reads_tag_and_value(monkeypatch):
    Resolver(monkeypatch, {'www.example.hk': [
        ('www.example.hk.', 60, 'CNAME', 'edge.cdn.test.'),
        ('edge.cdn.test.', 60, 'CNAME', 'pool.cdn.test.'),
        ('pool.cdn.test.', 60, 'CAA', '0 issue "hongkongpost.gov.hk"')]})
    found = _caa.relevant_rrset('www.example.hk', [('192.0.2.1', 53)])
    assert found == {'owner': 'pool.cdn.test', 'records': [{'flags': 0, 'tag': 'issue', 'value': HK}],
                     'cname': 'pool.cdn.test', 'asked': ['www.example.hk']}


def test_a_wildcard_is_looked_up_at_its_base_name_and_up(monkeypatch):
    resolver = Resolver(monkeypatch, {})
    found = _caa.relevant_rrset('*.shop.example.hk', [('192.0.2.1', 53)])
    assert resolver.asked == ['shop.example.hk', 'example.hk', 'hk'] and found['records'] == []
