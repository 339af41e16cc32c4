# -*- coding: utf-8 -*-
"""The fleet model's rules (inventory/_fleet.build) on small hand-made inventory results: what a certificate's
status is, what the summary counts, which hosts are read, what the renewal forecast plans (issue 21)."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._fleet import build, parse_day

TODAY = '2026-06-01'


def _cert(n, days_left, store='My', consumers=None, **extra):
    """A personal-store leaf as hkpost_certificate_inventory lists it, expiring ``days_left`` days after TODAY."""
    not_after = datetime.date(2026, 6, 1) + datetime.timedelta(days=days_left)
    cert = {'store': store, 'thumbprint': ('%02X' % n) * 20, 'sha256': ('%02x' % n) * 32, 'spki_sha256': 'k%d' % n,
            'subject_cn': 'h%d.example.hk' % n, 'dns_names': ['h%d.example.hk' % n], 'issuer_cn': 'Some CA',
            'not_before': '2026-01-01T00:00:00+00:00', 'not_after': not_after.isoformat() + 'T00:00:00+00:00',
            'is_ca': False, 'self_signed': False, 'is_hkpost': False, 'generation': None, 'role': 'leaf',
            'has_private_key': True, 'consumers': consumers or []}
    cert.update(extra)
    return cert


def _host(name, *certs, **extra):
    return dict({'host': name, 'certificates': list(certs), 'consumers': [], 'dangling': [], 'sources': {}}, **extra)


def _entry(model, n):
    return next(c for c in model['certificates'] if c['sha256'] == ('%02x' % n) * 32)


IIS = {'kind': 'iis', 'name': 'IIS site "a" binding *:443:', 'ports': [443], 'server_name': None}


def test_status_expired_below_zero_expiring_up_to_warn_days_valid_after():
    model = build([_host('web1', _cert(1, -1), _cert(2, 0), _cert(3, 30), _cert(4, 31), _cert(5, 90), _cert(6, 95))],
                  today=TODAY)
    assert [_entry(model, n)['status'] for n in (1, 2, 3, 4)] == ['expired', 'expiring', 'expiring', 'valid']
    assert _entry(model, 2)['days_left'] == 0 and _entry(model, 1)['days_left'] == -1
    assert model['summary']['expired'] == 1 and model['summary']['expiring'] == 2
    # warn_days moves the line: 31 days left is expiring under a 31-day warning.
    assert _entry(build([_host('web1', _cert(4, 31))], today=TODAY, warn_days=31), 4)['status'] == 'expiring'


def test_an_unreadable_certificate_is_valid_and_sorted_first():
    # Only an entry whose bytes could not be read has no end date (inventory/_host.describe).
    model = build([_host('web1', _cert(1, 5), _cert(2, 3, not_after=None, sha256=None))], today=TODAY)
    undated = model['certificates'][0]
    assert undated['thumbprint'] == '02' * 20
    assert undated['days_left'] is None and undated['status'] == 'valid'


def test_leaves_soonest_expiry_first_then_authorities():
    model = build([_host('web1', _cert(1, 90), _cert(2, 10, is_ca=True, role='intermediate'), _cert(3, 40),
                         _cert(4, 40, subject_cn='a.example.hk'))], today=TODAY)
    assert [c['sha256'][:2] for c in model['certificates']] == ['04', '03', '01', '02']


def test_summary_counts_leaves_only_and_old_generation_that_is_still_valid():
    old = dict(is_hkpost=True, generation='old')
    model = build([_host('web1', _cert(1, 10, **old), _cert(2, -3, **old), _cert(3, 0, **old),
                         _cert(4, 10, is_hkpost=True, generation='new', consumers=[IIS]),
                         _cert(5, 10, generation='old'), _cert(6, 10, is_ca=True, is_hkpost=True, generation='old',
                                                               consumers=[IIS]))], today=TODAY)
    summary = model['summary']
    assert summary['old_generation'] == 2          # 1 and 3: expired 2 is left out, 5 is not Hongkong Post
    assert summary['hkpost'] == 4 and summary['in_use'] == 1
    assert summary['certificates'] == 6 and summary['leaf_certificates'] == 5
    assert summary['expired'] == 1 and summary['audited'] is False


def test_a_host_whose_inventory_failed_or_is_missing_is_listed_unread():
    model = build([_host('web1', _cert(1, 10)), {'host': 'web2', 'failed': True, 'msg': 'WinRM said no'},
                   {'host': 'web3', 'certificates': None}, {'host': 'web4', 'failed': True}], today=TODAY)
    hosts = {h['host']: h for h in model['hosts']}
    assert [h['host'] for h in model['hosts']] == ['web1', 'web2', 'web3', 'web4']
    assert hosts['web1']['read'] is True and hosts['web1']['error'] is None and hosts['web1']['certificates'] == 1
    assert hosts['web2'] == {'host': 'web2', 'read': False, 'error': 'WinRM said no', 'certificates': 0,
                             'consumers': 0, 'dangling': [], 'sources': {}}
    assert hosts['web3']['read'] is False and hosts['web4']['error'] == 'no inventory for this host'
    assert model['summary']['hosts'] == 4 and model['summary']['hosts_read'] == 1


def test_results_by_host_name_the_host_and_skip_what_is_not_a_result():
    model = build({'web1': {'certificates': [_cert(1, 10)]}, 'web2': _host('named', _cert(2, 10)), 'web3': 'skipped'},
                  today=TODAY)
    assert [h['host'] for h in model['hosts']] == ['named', 'web1']
    assert _entry(model, 1)['hosts'] == ['web1']
    assert [h['host'] for h in build([_host('web1'), None], today=TODAY)['hosts']] == ['web1']


def test_one_entry_per_certificate_across_hosts_and_stores():
    model = build([_host('web2', _cert(1, 10), _cert(1, 10, store='WebHosting')), _host('web1', _cert(1, 10))],
                  today=TODAY)
    (entry,) = model['certificates']
    assert entry['hosts'] == ['web1', 'web2'] and entry['stores'] == ['My', 'WebHosting']
    assert [(h['host'], h['store']) for h in entry['held']] == [('web2', 'My'), ('web2', 'WebHosting'),
                                                                ('web1', 'My')]
    assert model['summary']['hosts'] == 2


def test_unreadable_certificates_stay_apart_per_host_and_thumbprint():
    bad = dict(sha256=None, error='the certificate bytes could not be read', not_after=None)
    model = build([_host('web1', _cert(1, 0, **bad), _cert(2, 0, **bad)), _host('web2', _cert(1, 0, **bad))],
                  today=TODAY)
    assert len(model['certificates']) == 3
    assert all(c['error'] and c['hosts'] in (['web1'], ['web2']) for c in model['certificates'])


def test_request_entries_are_pending_requests_not_certificates():
    request = _cert(1, 300, store='REQUEST', not_before='2026-05-20T08:00:00+00:00', has_private_key=True)
    model = build([_host('web1', request, _cert(2, 10))], today=TODAY)
    assert [c['sha256'][:2] for c in model['certificates']] == ['02']
    assert model['pending_requests'] == [{'host': 'web1', 'thumbprint': request['thumbprint'],
                                          'common_name': 'h1.example.hk', 'created': '2026-05-20',
                                          'has_private_key': True}]
    assert model['summary']['pending_requests'] == 1


def test_stale_entries_are_named_on_their_certificate():
    model = build([_host('web1', _cert(1, -5))], today=TODAY)
    assert _entry(model, 1)['stale'] == ['expired on web1 (My)']
    assert model['summary']['stale_by_reason'] == {'expired': 1, 'superseded': 0, 'orphaned_key': 0,
                                                   'old_pending_request': 0}


def _audit(*endpoints):
    return {'endpoints': [{'host': host, 'port': port, 'server_name': name, 'verdict': 'ok',
                           'served': [{'sha256': sha256, 'subject_cn': 'x', 'is_ca': False}] if sha256 else []}
                          for host, port, name, sha256 in endpoints]}


def test_served_but_not_held_only_for_hosts_read_and_endpoints_that_served_something():
    model = build([_host('web1', _cert(1, 10, consumers=[IIS]))], today=TODAY,
                  audit=_audit(('web1', 443, None, 'ff' * 32), ('web1', 8443, None, None), ('web1', 444, None, '01' * 32),
                               ('lb1', 443, None, 'ee' * 32)))
    assert [(s['host'], s['sha256']) for s in model['served_not_held']] == [('web1', 'ff' * 32)]
    assert model['summary']['served_not_held'] == 1 and model['summary']['audited'] is True
    assert _entry(model, 1)['served'] == 'served'


def test_an_sni_claim_keeps_the_ip_binding_certificate_from_being_judged_by_that_name():
    sni = {'kind': 'iis', 'name': 'IIS site "a" binding *:443:www.example.hk', 'ports': [443],
           'server_name': 'www.example.hk'}
    model = build([_host('web1', _cert(1, 10, consumers=[sni]), _cert(2, 10, consumers=[IIS]))], today=TODAY,
                  audit=_audit(('web1', 443, 'www.example.hk', '01' * 32)))
    assert _entry(model, 1)['served'] == 'served'
    assert _entry(model, 2)['served'] == 'not audited'
    assert model['summary']['not_served'] == 0


def test_a_leaf_whose_endpoint_serves_another_is_not_served():
    model = build([_host('web1', _cert(1, 10, consumers=[IIS]))], today=TODAY,
                  audit=_audit(('web1', 443, None, 'ff' * 32)))
    assert _entry(model, 1)['served'] == 'not served' and _entry(model, 1)['not_served_on'] == ['web1']
    assert model['summary']['not_served'] == 1


def _planned(model):
    return sorted(c['common_name'] for c in model['forecast']['certificates'])


def test_forecast_plans_valid_or_used_leaves_not_ca_self_signed_undated_or_expired_unused():
    model = build([_host('web1', _cert(1, 10), _cert(2, -5), _cert(3, -5, consumers=[IIS]), _cert(4, 10, is_ca=True),
                         _cert(5, 10, self_signed=True), _cert(7, 10, sha256=None),
                         _cert(8, 0))], today=TODAY)
    assert _planned(model) == ['h1.example.hk', 'h3.example.hk', 'h8.example.hk']


def test_forecast_leaves_out_a_certificate_superseded_on_every_host_holding_it():
    old = dict(not_before='2025-06-01T00:00:00+00:00')
    newer = dict(not_before='2026-05-01T00:00:00+00:00', subject_cn='h1.example.hk', dns_names=['h1.example.hk'])
    everywhere = build([_host('web1', _cert(1, 10, **old), _cert(2, 300, **newer))], today=TODAY)
    assert _planned(everywhere) == ['h1.example.hk']
    assert [c['sha256'][:2] for c in everywhere['forecast']['certificates']] == ['02']
    # Still current on web2: the renewal is planned.
    partly = build([_host('web1', _cert(1, 10, **old), _cert(2, 300, **newer)), _host('web2', _cert(1, 10, **old))],
                   today=TODAY)
    assert sorted(c['sha256'][:2] for c in partly['forecast']['certificates']) == ['01', '02']


@pytest.mark.parametrize('key', ['01' * 32, ':'.join(['01'] * 32), '01' * 20, ' ' + ':'.join(['01'] * 20).lower(),
                                 'H1.Example.HK'])
def test_a_subscription_end_is_found_by_sha256_thumbprint_or_name(key):
    model = build([_host('web1', _cert(1, 10))], today=TODAY, subscriptions={key: '2027-01-31'})
    (planned,) = model['forecast']['certificates']
    assert planned['subscription_end'] == '2027-01-31'


def test_a_subscription_of_another_certificate_does_not_apply():
    model = build([_host('web1', _cert(1, 10))], today=TODAY,
                  subscriptions={'02' * 32: '2027-01-31', '02' * 20: '2027-02-28', 'h2.example.hk': '2027-03-31',
                                 '01' * 19: '2027-04-30'})
    assert model['forecast']['certificates'][0]['subscription_end'] is None


def test_today_may_be_a_date_or_datetime_and_a_bad_date_is_named():
    assert build([], today=datetime.datetime(2026, 6, 1, 23, 0))['today'] == TODAY
    assert build([], today=datetime.date(2026, 6, 1))['today'] == TODAY
    assert parse_day('2026-06-01T10:00:00', 'x') == datetime.date(2026, 6, 1)
    with pytest.raises(ValueError, match=r"the subscription end of www must be a date YYYY-MM-DD, got 'soon'"):
        build([], today=TODAY, subscriptions={'www': 'soon'})
    assert build([])['today'] == datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def test_a_failed_or_unreachable_host_is_unread_even_with_a_certificate_list():
    model = build([_host('web1', _cert(1, 10), failed=True, msg='boom'), _host('web2', _cert(2, 10), unreachable=True)],
                  today=TODAY)
    assert [(h['host'], h['read'], h['error']) for h in model['hosts']] == [
        ('web1', False, 'boom'), ('web2', False, 'no inventory for this host')]
    assert model['certificates'] == []


def test_a_host_row_counts_its_consumers_and_a_certificate_without_consumers_has_none():
    bare = _cert(1, 10)
    bare['consumers'] = None
    model = build([_host('web1', bare, consumers=[IIS, IIS])], today=TODAY)
    assert model['hosts'][0]['consumers'] == 2 and _entry(model, 1)['consumers'] == []


def test_missing_fields_of_a_result_and_a_certificate_read_as_empty():
    cert = _cert(1, 10, subject_cn=None, subject='CN=h1', dns_names=None, issuer_cn=None, issuer='CN=Some CA',
                 key_type='RSA', key_size=2048, thumbprint=None,
                 consumers=[{'kind': 'iis', 'name': 'b', 'ports': None, 'server_name': 'h1.example.hk'}])
    request = _cert(2, 300, store='REQUEST', not_before=None)
    model = build([_host('web1', cert, request, consumers=None, sources=None),
                   _host('web2', _cert(3, 10), sources={'iis': 'read'})],
                  today=TODAY, audit=_audit(('web1', 443, None, '01' * 32)), subscriptions={'cn=h1': '2027-01-31'})
    entry = _entry(model, 1)
    assert entry['common_name'] == 'CN=h1' and entry['dns_names'] == [] and entry['issuer'] == 'CN=Some CA'
    assert entry['key'] == 'RSA 2048' and _entry(model, 3)['key'] == ' '
    assert entry['consumers'][0]['ports'] == []
    hosts = {h['host']: h for h in model['hosts']}
    assert hosts['web1']['consumers'] == 0 and hosts['web1']['sources'] == {}
    assert hosts['web2']['sources'] == {'iis': 'read'}
    assert model['pending_requests'][0]['created'] == ''
    assert model['forecast']['certificates'][0]['subscription_end'] == '2027-01-31'


def test_key_and_issuer_come_from_the_certificate():
    model = build([_host('web1', _cert(1, 10, key_type='EC', key_size=256))], today=TODAY)
    assert _entry(model, 1)['key'] == 'EC 256' and _entry(model, 1)['issuer'] == 'Some CA'
    assert _entry(model, 1)['common_name'] == 'h1.example.hk' and _entry(model, 1)['dns_names'] == ['h1.example.hk']


def test_a_request_older_than_30_days_is_stale_by_default():
    old = _cert(1, 300, store='REQUEST', not_before='2026-05-01T00:00:00+00:00', spki_sha256='x1')
    recent = _cert(2, 300, store='REQUEST', not_before='2026-05-02T00:00:00+00:00', spki_sha256='x2')
    model = build([_host('web1', old, recent)], today=TODAY)
    assert [s['thumbprint'] for s in model['stale']] == [old['thumbprint']]
    assert model['pending_days'] == 30 and model['warn_days'] == 30


def test_the_forecast_is_unbatched_by_default():
    assert build([_host('web1', _cert(1, 10))], today=TODAY)['forecast']['batch'] == 0


def test_served_but_not_held_is_listed_host_by_host():
    audit = _audit(('10.0.0.2', 443, None, 'ff' * 32), ('10.0.0.1', 443, None, 'ee' * 32))
    for endpoint, name in zip(audit['endpoints'], ('a1', 'b1')):
        endpoint['inventory_name'] = name
    model = build([_host('b1', _cert(2, 10)), _host('a1', _cert(1, 10))], today=TODAY, audit=audit)
    assert [(s['host'], s['endpoint']) for s in model['served_not_held']] == [
        ('a1', '10.0.0.2:443'), ('b1', '10.0.0.1:443')]


@pytest.mark.parametrize('name', ['cafe', 'h' * 40, 'f' * 63])
def test_a_subscription_named_by_dns_name_is_not_taken_for_a_fingerprint(name):
    model = build([_host('web1', _cert(1, 10, subject_cn=name))], today=TODAY, subscriptions={name.upper(): '2027-01-31'})
    assert model['forecast']['certificates'][0]['subscription_end'] == '2027-01-31'
