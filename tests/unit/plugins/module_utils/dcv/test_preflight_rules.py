# -*- coding: utf-8 -*-
"""dcv._preflight's verdict (issue 21 mutation run): which checks run, what refuses and what only warns.

The lookups (_caa.check, _dnssec.Validator, tested against BIND in tests/unit/plugins/action/test_hkpost_preflight.py)
are replaced by stand-ins answering a given verdict per name, so each rule of the verdict is one small case.
"""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _caa, _dnssec, _preflight

NAMES = [{'name': 'www.example.hk', 'ascii_name': 'www.example.hk'}]


class Lookups:
    def __init__(self, monkeypatch, caa=True, dnssec='secure'):
        self.caa, self.dnssec = caa, dnssec
        self.caa_asked, self.dnssec_asked, self.validators = [], [], []
        monkeypatch.setattr(_caa, 'check', self.check_caa)
        lookups = self

        class Validator:
            def __init__(self, anchors, servers, timeout=5, now=None):
                lookups.validators.append(anchors)

            def check(self, name, types):
                lookups.dnssec_asked.append((name, types))
                return {'name': name, 'zone': 'example.hk', 'status': lookups.dnssec,
                        'problem': None if lookups.dnssec in ('secure', 'insecure') else 'signature expired'}
        monkeypatch.setattr(_dnssec, 'Validator', Validator)

    def check_caa(self, name, servers, issuer_domains, method=None, timeout=5):
        self.caa_asked.append(name)
        reason = {True: 'issue hongkongpost.gov.hk', False: 'only letsencrypt.org may issue',
                  None: 'SERVFAIL'}[self.caa]
        return {'name': name, 'allowed': self.caa, 'reason': reason, 'warnings': []}


def test_a_name_allowed_by_caa_and_secure_passes_without_warnings(monkeypatch):
    Lookups(monkeypatch)
    plan = _preflight.run(NAMES, ('caa', 'dnssec'), [('192.0.2.1', 53)], ['hongkongpost.gov.hk'], 'anchor')
    assert plan['refused'] == [] and plan['warnings'] == [] and plan['names'][0]['ok'] is True


def test_insecure_only_passes_quietly(monkeypatch):
    Lookups(monkeypatch, dnssec='insecure')
    plan = _preflight.run(NAMES, ('dnssec',), [], [], 'anchor')
    assert plan['refused'] == [] and plan['warnings'] == []


def test_dnssec_only_asks_no_caa(monkeypatch):
    lookups = Lookups(monkeypatch)
    plan = _preflight.run(NAMES, ('dnssec',), [], [], 'anchor')
    assert lookups.caa_asked == [] and plan['names'][0]['caa'] is None and lookups.dnssec_asked


def test_dnssec_without_a_trust_anchor_only_warns(monkeypatch):
    lookups = Lookups(monkeypatch)
    plan = _preflight.run(NAMES, ('caa', 'dnssec'), [], [], None)
    assert lookups.validators == [] and plan['names'][0]['dnssec']['status'] == 'no_anchor'
    assert plan['refused'] == [] and plan['warnings'] == [
        'www.example.hk: DNSSEC not checked: no trust anchor (give dnssec_trust_anchor)']


@pytest.mark.parametrize('method, types', [('dns', ('CAA', 'TXT')), ('file', ('CAA',)), (None, ('CAA',))])
def test_dns_dcv_also_validates_the_txt_record(monkeypatch, method, types):
    lookups = Lookups(monkeypatch)
    _preflight.run(NAMES, ('dnssec',), [], [], 'anchor', method=method)
    assert lookups.dnssec_asked == [('www.example.hk', types)]


def test_caa_for_another_ca_refuses_and_a_failed_lookup_warns(monkeypatch):
    Lookups(monkeypatch, caa=False)
    plan = _preflight.run(NAMES, ('caa',), [], [], None)
    assert plan['refused'] == ['www.example.hk'] and plan['names'][0]['problems'] == [
        'CAA: only letsencrypt.org may issue'] and plan['warnings'] == []
    Lookups(monkeypatch, caa=None)
    plan = _preflight.run(NAMES, ('caa',), [], [], None)
    assert plan['refused'] == [] and plan['warnings'] == ['www.example.hk: CAA not checked: SERVFAIL']


def test_bogus_refuses_and_error_warns(monkeypatch):
    Lookups(monkeypatch, dnssec='bogus')
    plan = _preflight.run(NAMES, ('dnssec',), [], [], 'anchor')
    assert plan['refused'] == ['www.example.hk'] and plan['names'][0]['problems'] == ['DNSSEC: signature expired']
    Lookups(monkeypatch, dnssec='error')
    plan = _preflight.run(NAMES, ('dnssec',), [], [], 'anchor')
    assert plan['refused'] == [] and plan['warnings'] == ['www.example.hk: signature expired']
