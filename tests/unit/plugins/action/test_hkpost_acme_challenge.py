# -*- coding: utf-8 -*-
"""hkpost_acme_challenge in process: what it refuses, which executions it sends, what it reports (issue 21).

http-01 and Windows DNS run against the fake host (tests/support/windows/acme.py, dcv.py); RFC 2136 dns-01 runs on
the controller, so its DNS calls (dcv._dns, tested against BIND in tests/integration/dcv) are replaced here by a
recording stand-in with the same signatures.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_acme_challenge import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.acme import _challenges
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns
from tests.support.action_harness import run_action
from tests.support.windows.acme import files, serve_webroots
from tests.support.windows.dcv import new_windows_dns
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site

WEBROOT = 'C:\\inetpub\\wwwroot\\.well-known\\acme-challenge'
SHOPROOT = 'D:\\shop\\.well-known\\acme-challenge'


def _data(name, token='tok-1_A', value='tok-1_A.thumb', txt='txt-value'):
    base = name[2:] if name.startswith('*.') else name
    return {'identifier': name, 'identifier_type': 'dns', 'challenges': {
        'http-01': {'resource': '.well-known/acme-challenge/' + token, 'resource_value': value},
        'dns-01': {'resource': '_acme-challenge', 'resource_value': txt, 'record': '_acme-challenge.' + base}}}


def run(host, challenge, data, check_mode=False, shell_family='powershell', **extra):
    args = dict({'challenge': challenge, 'challenge_data': data}, **extra)
    return run_action(ActionModule, args, host=host, check_mode=check_mode, shell_family=shell_family,
                      task_vars={'inventory_hostname': 'web1'}, action_name='hkpost.ecert.hkpost_acme_challenge')


def iis_host():
    host = FakeWindowsHost()
    add_site(host, 'Default Web Site', [('http', '*:80:', 0)])
    add_site(host, 'Shop', [('http', '*:80:shop.example.hk', 0)])
    serve_webroots(host, {'Default Web Site': '%SystemDrive%\\inetpub\\wwwroot', 'Shop': 'D:\\shop'})
    return host


ORDERS = [_data('shop.example.hk', token='T1', value='T1.k'), _data('www.example.hk', token='T2', value='T2.k')]


# ---- http-01 -----------------------------------------------------------------------------------------------


def test_http01_writes_every_token_and_one_web_config_per_directory_in_one_execution():
    host = iis_host()
    result = run(host, 'http-01', ORDERS)
    assert host.call_names() == ['acme_iis_read', 'acme_iis_write']
    assert result['changed'] is True and result['challenge'] == 'http-01' and result['state'] == 'present'
    store = files(host)
    assert store[(SHOPROOT + '\\T1').lower()] == b'T1.k' and store[(WEBROOT + '\\T2').lower()] == b'T2.k'
    assert _challenges.WEB_CONFIG_MARKER.encode() in store[(SHOPROOT + '\\web.config').lower()]
    _name, params = host.calls[1]
    assert params['Directories'] == sorted([WEBROOT, SHOPROOT], key=str.lower) and params['Remove'] is False
    assert params['Paths'] == [SHOPROOT + '\\T1', WEBROOT + '\\T2'] and params['Contents'] == ['T1.k', 'T2.k']
    assert {(p['name'], p['path']) for p in result['published']} == {('shop.example.hk', SHOPROOT + '\\T1'),
                                                                     ('www.example.hk', WEBROOT + '\\T2')}
    assert result['done'] and all(d.startswith('wrote ') for d in result['done'])


def test_http01_check_mode_reads_only_and_says_it_would_write():
    host = iis_host()
    result = run(host, 'http-01', ORDERS, check_mode=True)
    assert host.call_names() == ['acme_iis_read'] and result['changed'] is True and not files(host)
    assert 'done' not in result


def test_http01_with_every_authorization_valid_sends_nothing():
    host = iis_host()
    valid = [{'identifier': 'www.example.hk', 'identifier_type': 'dns', 'challenges': {}}]
    result = run(host, 'http-01', valid)
    assert host.calls == [] and result['changed'] is False and result['published'] == []


def test_http01_absent_with_the_published_list_removes_without_reading():
    host = iis_host()
    published = run(host, 'http-01', ORDERS)['published']
    del host.calls[:]
    result = run(host, 'http-01', ORDERS, state='absent', published=published)
    assert host.call_names() == ['acme_iis_write'] and result['changed'] is True
    assert result['published'] == published
    _name, params = host.calls[0]
    assert params['Remove'] is True and not params.get('Contents') and not params.get('WebConfig')
    assert params['Marker'] == _challenges.WEB_CONFIG_MARKER
    assert not files(host)


def test_http01_absent_without_the_published_list_reads_iis_first():
    host = iis_host()
    run(host, 'http-01', ORDERS)
    del host.calls[:]
    result = run(host, 'http-01', ORDERS, state='absent')
    assert host.call_names() == ['acme_iis_read', 'acme_iis_write'] and result['changed'] is True
    assert not files(host)


def test_http01_absent_when_nothing_was_written_reports_no_change():
    host = iis_host()
    result = run(host, 'http-01', ORDERS, state='absent')
    assert host.call_names() == ['acme_iis_read', 'acme_iis_write'] and result['changed'] is False
    assert result['done'] == []


def test_http01_published_list_naming_no_token_of_these_orders_sends_nothing():
    host = iis_host()
    stale = [{'directory': SHOPROOT, 'path': SHOPROOT + '\\OLD'}]
    result = run(host, 'http-01', ORDERS, state='absent', published=stale)
    assert host.calls == [] and result['changed'] is False


def test_http01_is_refused_on_a_host_that_is_not_windows():
    with pytest.raises(AnsibleActionFail, match='http-01 publishes in the IIS site of a Windows host.*web1 is not one'):
        run(FakeWindowsHost(), 'http-01', ORDERS, shell_family='sh')


# ---- dns-01 on a Windows DNS server ------------------------------------------------------------------------


def dns_host(zones=None):
    host = FakeWindowsHost()
    new_windows_dns(host, zones if zones is not None else {'example.hk': {}, 'shop.example.hk': {}})
    return host


def test_windows_dns_writes_each_missing_value_in_the_longest_zone():
    host = dns_host()
    data = [_data('www.example.hk', txt='one'), _data('shop.example.hk', txt='two')]
    result = run(host, 'dns-01', data, dns_provider='windows', ttl=120)
    assert host.call_names() == ['dcv_windows_dns_read', 'dcv_windows_dns_read', 'dcv_windows_dns_write',
                                 'dcv_windows_dns_write']
    assert result['changed'] is True
    assert [(p['zone'], p['host'], p['name'], p['values'], p['provider'], p['server']) for p in result['published']] == [
        ('example.hk', '_acme-challenge.www', '_acme-challenge.www.example.hk', 1, 'windows', 'web1'),
        ('shop.example.hk', '_acme-challenge', '_acme-challenge.shop.example.hk', 1, 'windows', 'web1')]
    zones = host.state['windows_dns']['zones']
    assert [r['value'] for r in zones['example.hk']['_acme-challenge.www']] == ['one']
    assert [r['value'] for r in zones['shop.example.hk']['_acme-challenge']] == ['two']
    assert host.calls[2][1]['Ttl'] == 120 and host.calls[2][1]['State'] == 'present'
    # a rerun finds the values and writes nothing
    del host.calls[:]
    again = run(host, 'dns-01', data, dns_provider='windows')
    assert host.call_names() == ['dcv_windows_dns_read', 'dcv_windows_dns_read'] and again['changed'] is False


def test_windows_dns_a_record_at_the_zone_apex_is_host_at():
    host = dns_host({'_acme-challenge.example.hk': {}})
    result = run(host, 'dns-01', [_data('example.hk')], dns_provider='windows')
    assert result['published'][0]['host'] == '@' and result['published'][0]['zone'] == '_acme-challenge.example.hk'


def test_windows_dns_given_zone_is_not_looked_up():
    host = dns_host()
    result = run(host, 'dns-01', [_data('www.example.hk')], dns_provider='windows', zone='Example.HK')
    assert host.call_names() == ['dcv_windows_dns_read', 'dcv_windows_dns_write'] and result['changed'] is True
    assert result['published'][0]['zone'] == 'example.hk'


def test_windows_dns_check_mode_reads_only():
    host = dns_host()
    result = run(host, 'dns-01', [_data('www.example.hk')], dns_provider='windows', check_mode=True)
    assert host.call_names() == ['dcv_windows_dns_read', 'dcv_windows_dns_read'] and result['changed'] is True


def test_windows_dns_absent_removes_only_values_that_are_there():
    host = dns_host({'example.hk': {'_acme-challenge.www': [{'value': 'one', 'ttl': 60}, {'value': 'other', 'ttl': 60}]}})
    data = [_data('www.example.hk', txt='one'), _data('*.www.example.hk', txt='gone')]
    result = run(host, 'dns-01', data, dns_provider='windows', state='absent')
    assert host.call_names() == ['dcv_windows_dns_read', 'dcv_windows_dns_read', 'dcv_windows_dns_write']
    assert result['changed'] is True and result['published'][0]['values'] == 2
    assert host.state['windows_dns']['zones']['example.hk']['_acme-challenge.www'] == [{'value': 'other', 'ttl': 60}]


def test_windows_dns_with_nothing_pending_sends_nothing():
    host = dns_host()
    result = run(host, 'dns-01', [{'identifier': 'www.example.hk', 'challenges': {}}], dns_provider='windows')
    assert host.calls == [] and result['changed'] is False


def test_windows_dns_without_a_zone_holding_the_name_is_refused():
    with pytest.raises(AnsibleActionFail, match=r'no primary zone on this Windows DNS server holds '
                                                r'_acme-challenge\.www\.example\.org \(zones: example\.hk\)'):
        run(dns_host({'example.hk': {}}), 'dns-01', [_data('www.example.org')], dns_provider='windows')
    with pytest.raises(AnsibleActionFail, match=r'\(zones: none\)'):
        run(dns_host({}), 'dns-01', [_data('www.example.org')], dns_provider='windows')


def test_windows_dns_a_zone_is_matched_on_a_label_boundary():
    # "ample.hk" is a suffix of the text, not a parent zone
    with pytest.raises(AnsibleActionFail, match='no primary zone'):
        run(dns_host({'ample.hk': {}}), 'dns-01', [_data('www.example.hk')], dns_provider='windows')


def test_windows_dns_is_refused_on_a_host_that_is_not_windows():
    with pytest.raises(AnsibleActionFail, match='dns_provider windows runs on the Windows DNS server'):
        run(dns_host(), 'dns-01', [_data('www.example.hk')], dns_provider='windows', shell_family='sh')


# ---- dns-01 over RFC 2136 ----------------------------------------------------------------------------------


class FakeDns:
    """Stands in for dcv._dns's network calls; records what the action asked."""

    def __init__(self, records):
        self.records = records
        self.updates, self.zones_asked = [], []

    def install(self, monkeypatch):
        monkeypatch.setattr(_dns, 'find_zone', self.find_zone)
        monkeypatch.setattr(_dns, 'read_txt', self.read_txt)
        monkeypatch.setattr(_dns, 'update_txt', self.update_txt)
        monkeypatch.setattr(_dns, 'DNS_IMPORT_ERROR', None)
        return self

    def find_zone(self, name, servers, timeout=5):
        self.zones_asked.append((name, servers, timeout))
        return 'example.hk'

    def read_txt(self, name, address, port, timeout=5, tcp=True, recursion=False):
        return list(self.records.get(name, [])), 60, 0, True

    def update_txt(self, zone, name, value, ttl, address, port, keyring, present=True, timeout=10):
        self.updates.append((zone, name, value, ttl, address, port, keyring is not None, present, timeout))


def test_rfc2136_adds_only_the_missing_values_and_reports_each_record(monkeypatch):
    dns = FakeDns({'_acme-challenge.example.hk': ['one']}).install(monkeypatch)
    data = [_data('*.example.hk', txt='one'), _data('example.hk', txt='two')]
    result = run(FakeWindowsHost(), 'dns-01', data, dns_server='192.0.2.53', dns_port=5353, ttl=30, timeout=7,
                 tsig_key_name='acme.', tsig_key_secret='c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=')
    assert dns.updates == [('example.hk', '_acme-challenge.example.hk', 'two', 30, '192.0.2.53', 5353, True, True, 7)]
    assert dns.zones_asked == [('_acme-challenge.example.hk', [('192.0.2.53', 5353)], 7)]
    assert result['changed'] is True and result['published'] == [
        {'provider': 'rfc2136', 'server': '192.0.2.53:5353', 'zone': 'example.hk',
         'name': '_acme-challenge.example.hk', 'type': 'TXT', 'values': 2}]


def test_rfc2136_absent_removes_only_values_that_are_there(monkeypatch):
    dns = FakeDns({'_acme-challenge.example.hk': ['one']}).install(monkeypatch)
    data = [_data('*.example.hk', txt='one'), _data('example.hk', txt='two')]
    result = run(FakeWindowsHost(), 'dns-01', data, dns_server='192.0.2.53', state='absent', zone='example.hk')
    assert dns.zones_asked == []
    assert [(u[2], u[6], u[7]) for u in dns.updates] == [('one', False, False)] and result['changed'] is True


def test_rfc2136_with_every_value_in_place_changes_nothing(monkeypatch):
    dns = FakeDns({'_acme-challenge.example.hk': ['one']}).install(monkeypatch)
    result = run(FakeWindowsHost(), 'dns-01', [_data('example.hk', txt='one')], dns_server='192.0.2.53')
    assert dns.updates == [] and result['changed'] is False and len(result['published']) == 1


def test_rfc2136_check_mode_sends_no_update_and_says_it_would(monkeypatch):
    dns = FakeDns({}).install(monkeypatch)
    result = run(FakeWindowsHost(), 'dns-01', [_data('example.hk')], dns_server='192.0.2.53', check_mode=True)
    assert dns.updates == [] and result['changed'] is True


def test_rfc2136_runs_on_the_controller_whatever_the_target(monkeypatch):
    dns = FakeDns({}).install(monkeypatch)
    host = FakeWindowsHost()
    result = run(host, 'dns-01', [_data('example.hk')], dns_server='192.0.2.53', shell_family='sh')
    assert host.calls == [] and len(dns.updates) == 1 and result['changed'] is True


def test_rfc2136_needs_dnspython(monkeypatch):
    FakeDns({}).install(monkeypatch)
    monkeypatch.setattr(_dns, 'DNS_IMPORT_ERROR', 'No module named dns')
    with pytest.raises(AnsibleActionFail, match='dns-01 needs dnspython on the controller.*No module named dns'):
        run(FakeWindowsHost(), 'dns-01', [_data('example.hk')], dns_server='192.0.2.53')


@pytest.mark.parametrize('extra, message', [
    ({}, 'dns-01 needs dns_server'),
    ({'dns_server': '192.0.2.53', 'tsig_key_name': 'acme.'}, 'tsig_key_name and tsig_key_secret go together'),
    ({'dns_server': '192.0.2.53', 'tsig_key_secret': 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI='},
     'tsig_key_name and tsig_key_secret go together'),
    ({'dns_server': '192.0.2.53', 'tsig_key_name': 'acme.', 'tsig_key_secret': 'not base64!'}, 'tsig'),
])
def test_rfc2136_refusals(monkeypatch, extra, message):
    dns = FakeDns({}).install(monkeypatch)
    with pytest.raises(AnsibleActionFail, match=message):
        run(FakeWindowsHost(), 'dns-01', [_data('example.hk')], **extra)
    assert dns.updates == []
