# -*- coding: utf-8 -*-
"""The to-renew list takes an explicit revoked list: a served leaf in it is "revoked", first, whatever its dates."""

from __future__ import annotations

import json

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import render_to_renew_json, to_renew


def endpoint(host, sha256, serial, findings=(), port=443):
    return {'inventory_name': host, 'host': '192.0.2.1', 'port': port, 'starttls': None,
            'server_name': 'www.example.hk', 'days_left': 120, 'verdict': 'ok',
            'served': [{'sha256': sha256, 'serial': serial, 'subject_cn': 'www.example.hk', 'is_ca': False,
                        'not_after': '2027-04-01T00:00:00Z'},
                       {'sha256': 'CA' * 32, 'serial': '77', 'subject_cn': 'CA', 'is_ca': True}],
            'findings': list(findings)}


AUDIT = {'endpoints': [
    endpoint('web1', 'AB' * 32, '1F00A3'),
    endpoint('web2', 'CD' * 32, '2B', findings=[{'code': 'expiring', 'certificate': 'CD' * 32}]),
    endpoint('web3', 'EF' * 32, '3C'),
]}


def test_revoked_by_fingerprint_or_serial_comes_first_and_untouched_leaves_stay_out():
    result = to_renew(AUDIT, generated='now', revoked=['ab:' * 31 + 'ab', '002b'])
    assert [(c['common_name'], c['status'], c['hosts']) for c in result['certificates']] == [
        ('www.example.hk', 'revoked', ['web1']), ('www.example.hk', 'revoked', ['web2'])]
    # revoked and expiring at once: listed once per endpoint, as revoked
    assert len(result['certificates'][1]['endpoints']) == 1
    assert 'web3' not in result['hosts']


def test_without_revoked_only_findings_count_and_ca_serials_never_match():
    assert [c['status'] for c in to_renew(AUDIT, generated='now')['certificates']] == ['expiring']
    assert json.loads(render_to_renew_json(AUDIT, generated='now', revoked=['77', '']))['certificates'][0][
        'status'] == 'expiring'
