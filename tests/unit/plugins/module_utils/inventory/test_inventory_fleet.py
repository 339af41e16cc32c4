# -*- coding: utf-8 -*-
"""The fleet view: certificates across hosts, served vs held, stale entries for clean-up, the forecast's input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._fleet import build
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._report import (
    render_csv, render_forecast_json, render_html, render_json)
from tests.support.inventory_fleet import audit_of, read_fleet, sample_hosts


@pytest.fixture(scope='module')
def fleet(pki):
    hosts, certs = sample_hosts(pki)
    return read_fleet(hosts), certs


def _cert(model, issued):
    return next(c for c in model['certificates'] if c['thumbprint'] == issued.thumbprint)


def test_per_certificate_hosts_stores_consumers_generation_and_days(pki, fleet):
    results, certs = fleet
    model = build(results, today=pki.now.date())
    www = _cert(model, certs['www'])
    assert www['hosts'] == ['web1'] and www['stores'] == ['My'] and www['generation'] == 'new'
    assert [c['name'] for c in www['consumers']] == ['IIS site "Default Web Site" binding *:443:www.example.hk']
    shop = _cert(model, certs['shop'])
    assert shop['generation'] == 'old' and shop['is_hkpost'] and shop['days_left'] == 60 and shop['status'] == 'valid'
    assert sorted(c['kind'] for c in shop['consumers']) == ['iis', 'sql']
    assert shop['held'][0]['key_provider'] == 'Microsoft RSA SChannel Cryptographic Provider'
    assert shop['held'][0]['exportable'] is True
    root = next(c for c in model['certificates'] if c['sha256'] and c['role'] == 'root' and c['is_hkpost'])
    assert root['hosts'] == ['web1', 'web2'] and root['is_ca']
    assert model['summary']['old_generation'] == 1 and model['summary']['hosts_read'] == 3
    assert model['summary']['dangling_consumers'] == 1
    assert _cert(model, certs['www_old'])['status'] == 'expiring'


def test_stale_entries_and_why(pki, fleet):
    results, certs = fleet
    model = build(results, today=pki.now.date())
    stale = {(s['reason'], s['common_name']): s for s in model['stale']}
    assert set(stale) == {('expired', 'old.example.hk'), ('superseded', 'www.example.hk'),
                          ('orphaned_key', 'api.example.hk'), ('old_pending_request', 'late.example.hk')}
    superseded = stale[('superseded', 'www.example.hk')]
    assert superseded['thumbprint'] == certs['www_old'].thumbprint and certs['www'].thumbprint in superseded['detail']
    # Still on the IP binding: the clean-up list says to move it first.
    assert superseded['in_use'] == ['IIS site "Default Web Site" binding *:443:']
    assert stale[('expired', 'old.example.hk')]['in_use'] == []
    assert 'already installed' in stale[('orphaned_key', 'api.example.hk')]['detail']
    # Three days pending is not stale; Root entries are never listed as expired (Windows manages them).
    assert not any(s['common_name'] == 'next.example.hk' for s in model['stale'])
    assert [s['reason'] for s in model['stale']] == ['expired', 'superseded', 'orphaned_key', 'old_pending_request']
    assert build(results, today=pki.now.date(), pending_days=60)['summary']['stale_by_reason']['old_pending_request'] == 0


def test_held_versus_served_with_the_audit(pki, fleet):
    results, certs = fleet
    audit = audit_of([('web1', 443, 'www.example.hk', certs['www']),
                      ('web2', 443, 'shop.example.hk', certs['gw'])])   # web2 serves what it does not hold
    model = build(results, audit=audit, today=pki.now.date())
    assert _cert(model, certs['www'])['served'] == 'served'
    assert _cert(model, certs['shop'])['served'] == 'not served'
    assert _cert(model, certs['shop'])['not_served_on'] == ['web2']
    assert _cert(model, certs['gw'])['served'] == 'not audited'     # gw1 has no endpoint in the audit
    # web1:443 was probed as www.example.hk, which the SNI binding claims: the IP binding's certificate was not
    # asked for. web2's WinRM listener (5986) was not probed. Neither is judged.
    assert _cert(model, certs['www_old'])['served'] == 'not audited'
    assert _cert(model, certs['winrm'])['served'] == 'not audited'
    assert model['summary']['not_served'] == 1
    (extra,) = model['served_not_held']
    assert extra['host'] == 'web2' and extra['sha256'] == _cert(model, certs['gw'])['sha256']
    assert build(results, today=pki.now.date())['certificates'][0]['served'] == 'no audit given'


def test_forecast_input_leaves_out_self_signed_ca_superseded_and_expired_unused(pki, fleet):
    results, certs = fleet
    model = build(results, today=pki.now.date(), subscriptions={certs['shop'].thumbprint.lower(): '2027-01-31'})
    planned = {c['common_name']: c for c in model['forecast']['certificates']}
    assert sorted(planned) == ['<b>web2</b>.example.com', 'api.example.hk', 'gw.example.hk', 'shop.example.hk',
                               'www.example.hk']
    assert planned['www.example.hk']['sha256'] == _cert(model, certs['www'])['sha256']
    assert planned['shop.example.hk']['subscription_end'] == '2027-01-31'
    assert model['forecast']['totals']['renewals'] >= 5


def test_failed_hosts_are_listed_not_read(pki, fleet):
    results, _certs = fleet
    model = build(results + [{'host': 'down1', 'unreachable': True, 'msg': 'Connection refused'}],
                  today=pki.now.date())
    down = next(h for h in model['hosts'] if h['host'] == 'down1')
    assert down['read'] is False and down['error'] == 'Connection refused'
    assert model['summary']['hosts'] == 4 and model['summary']['hosts_read'] == 3


def test_bad_input_is_named():
    with pytest.raises(ValueError, match='hkpost_certificate_inventory results'):
        build('web1', today='2026-06-01')
    with pytest.raises(ValueError, match='today must be a date'):
        build([], today='next week')
    with pytest.raises(ValueError, match='hkpost_served_chain'):
        build([], audit={'hosts': []}, today='2026-06-01')


def test_files_escape_host_values_and_agree(pki, fleet):
    results, certs = fleet
    model = build(results, today=pki.now.date())
    page = render_html(model)
    assert '<b>web2</b>' not in page and '&lt;b&gt;web2&lt;/b&gt;' in page
    assert 'http://' not in page.replace('http://www.w3.org/2000/svg', '')
    rows = list(csv.DictReader(io.StringIO(render_csv(model))))
    assert len(rows) == sum(len(c['held']) for c in model['certificates'])
    www = next(r for r in rows if r['thumbprint'] == certs['www'].thumbprint)
    assert www['host'] == 'web1' and www['consumers'].startswith('iis: IIS site')
    assert json.loads(render_json(model))['summary'] == model['summary']
    assert json.loads(render_forecast_json(model))['today'] == pki.now.date().isoformat()


def test_the_report_refuses_odd_options_in_words(pki, fleet):
    """hkpost_fleet_report's inventory files (these were the certificate_inventory_reports filter's)."""
    from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
    from ansible_collections.hkpost.ecert.plugins.module_utils._report_files import inventory_files
    results, _certs = fleet
    with pytest.raises(HkpostError, match=r"warn_days must be a whole number"):
        inventory_files(results, warn_days='soon')
    with pytest.raises(HkpostError, match=r'the subscription end of www.example.hk must be a date'):
        inventory_files(results, subscriptions={'www.example.hk': 'March'})
    files, info = inventory_files({r['host']: r for r in results}, today=pki.now.date().isoformat(), batch='2')
    assert sorted(files) == ['certificate-inventory.csv', 'certificate-inventory.html', 'certificate-inventory.json',
                             'renewal-forecast.json']
    assert json.loads(files['renewal-forecast.json'])['batch'] == 2
    assert info['summary'] == json.loads(files['certificate-inventory.json'])['summary']
