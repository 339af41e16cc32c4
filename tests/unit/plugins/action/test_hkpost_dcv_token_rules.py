# -*- coding: utf-8 -*-
"""hkpost_dcv_token's decision points (issue 21 mutation run): option refusals, RFC 2136 and Windows DNS records,
the IIS diff, and verification, one test per rule.

RFC 2136 and verification run on the controller: their network calls (dcv._dns, dcv._http, tested against BIND and
real web servers in tests/integration/dcv) are replaced by recording stand-ins with the same signatures.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action import hkpost_dcv_token
from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns, _http
from tests.support.action_harness import run_action
from tests.support.windows.dcv import new_iis, new_windows_dns
from tests.support.windows.host import FakeWindowsHost
from tests.unit.plugins.action.test_hkpost_dcv_token import CODE, args, iis_host

SECRET = 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI='


def run(host=None, check_mode=False, diff=False, shell_family='powershell', **kwargs):
    return run_action(ActionModule, args(**kwargs), host=host or FakeWindowsHost(), check_mode=check_mode, diff=diff,
                      shell_family=shell_family, action_name='hkpost.ecert.hkpost_dcv_token')


class FakeDns:
    """dcv._dns's network calls, answering from ``records`` ({name: ([values], ttl)}) and recording updates."""

    def __init__(self, monkeypatch, records=None, zone='example.com'):
        self.records, self.zone = records or {}, zone
        self.updates, self.zones_asked, self.checked = [], [], []
        self.verdicts = {}
        monkeypatch.setattr(_dns, 'DNS_IMPORT_ERROR', None)
        monkeypatch.setattr(_dns, 'find_zone', self.find_zone)
        monkeypatch.setattr(_dns, 'read_txt', self.read_txt)
        monkeypatch.setattr(_dns, 'update_txt', self.update_txt)
        monkeypatch.setattr(_dns, 'system_servers', lambda: [('192.0.2.99', 53)])
        monkeypatch.setattr(_dns, 'check_authoritative', self.check_authoritative)

    def find_zone(self, name, servers, timeout=5):
        self.zones_asked.append((name, tuple(servers), timeout))
        return self.zone

    def read_txt(self, name, address, port, timeout=5, tcp=True, recursion=False):
        values, ttl = self.records.get(name, ([], None))
        return list(values), ttl, 0, True

    def update_txt(self, zone, name, value, ttl, address, port, keyring, present=True, timeout=10):
        self.updates.append({'zone': zone, 'name': name, 'value': value, 'ttl': ttl, 'server': (address, port),
                             'tsig': keyring is not None, 'present': present, 'timeout': timeout})

    def check_authoritative(self, name, code, zone, servers, resolve=None, timeout=5):
        self.checked.append((name, zone, tuple(servers)))
        ok = self.verdicts.get(name, True)
        return [{'server': 'ns1.' + zone, 'address': '192.0.2.1', 'port': 53, 'ok': ok,
                 'values': [code, 'x' * 10], 'problem': None if ok else 'code not found'}]


RFC = dict(method='dns', dns_server='192.0.2.53')


# ---- options ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize('kwargs, message', [
    (dict(method='dns'), 'needs dns_server'),
    (dict(RFC, tsig_key_name='k.'), 'tsig_key_name and tsig_key_secret go together'),
    (dict(RFC, tsig_key_secret=SECRET), 'tsig_key_name and tsig_key_secret go together'),
    (dict(RFC, dns_port=0), 'dns_port 0 is out of range'),
    (dict(RFC, dns_port=65536), 'dns_port 65536 is out of range'),
    (dict(RFC, tsig_key_name='k.', tsig_key_secret='not base64!'), 'tsig'),
    (dict(RFC, dns_server='192.0.2.53:99999'), 'dns_server'),
    (dict(RFC, nameservers=['192.0.2.1:0']), 'nameservers entry'),
    (dict(validated_on=5), 'validated_on must be a date'),
    (dict(ttl=0), 'ttl and timeout must be positive'),
    (dict(wait_timeout=-1), 'wait_timeout not negative'),
    (dict(timeout=0), 'ttl and timeout must be positive'),
])
def test_option_refusals_come_before_anything_is_read(monkeypatch, kwargs, message):
    dns = FakeDns(monkeypatch)
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match=message):
        run(host, **kwargs)
    assert host.calls == [] and dns.updates == [] and dns.zones_asked == []


def test_method_dns_needs_dnspython(monkeypatch):
    FakeDns(monkeypatch)
    monkeypatch.setattr(_dns, 'DNS_IMPORT_ERROR', 'No module named dns')
    with pytest.raises(AnsibleActionFail, match='method dns needs dnspython.*No module named dns'):
        run(**RFC)


def test_the_dns_port_range_ends_are_accepted(monkeypatch):
    dns = FakeDns(monkeypatch)
    for port in (1, 65535):
        run(dns_port=port, **RFC)
    assert [u['server'] for u in dns.updates] == [('192.0.2.53', 1), ('192.0.2.53', 65535)]


def test_a_windows_dns_server_needs_no_dns_server_option():
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}})
    assert run(host, method='dns', dns_provider='windows')['changed'] is True


# ---- RFC 2136 ----------------------------------------------------------------------------------------------


def test_rfc2136_adds_the_code_once_per_record_keeping_the_ttl_of_the_values_there(monkeypatch):
    dns = FakeDns(monkeypatch, {'example.com': (['v=spf1 -all'], 600)})
    result = run(domains=['example.com', 'www.example.com'], ttl=120, timeout=7, tsig_key_name='k.',
                 tsig_key_secret=SECRET, **RFC)
    assert dns.updates == [
        {'zone': 'example.com', 'name': 'example.com', 'value': CODE, 'ttl': 600, 'server': ('192.0.2.53', 53),
         'tsig': True, 'present': True, 'timeout': 7},
        {'zone': 'example.com', 'name': 'www.example.com', 'value': CODE, 'ttl': 120, 'server': ('192.0.2.53', 53),
         'tsig': True, 'present': True, 'timeout': 7}]
    assert dns.zones_asked == [('example.com', (('192.0.2.53', 53),), 7), ('www.example.com', (('192.0.2.53', 53),), 7)]
    assert result['changed'] is True
    assert [(d['changed'], d['zone'], d['published']) for d in result['domains']] == [
        (True, 'example.com', [{'provider': 'rfc2136', 'server': '192.0.2.53:53', 'zone': 'example.com',
                                'name': 'example.com', 'type': 'TXT', 'ttl': 600, 'other_values': 1}]),
        (True, 'example.com', [{'provider': 'rfc2136', 'server': '192.0.2.53:53', 'zone': 'example.com',
                                'name': 'www.example.com', 'type': 'TXT', 'ttl': 120, 'other_values': 0}])]
    assert 'warnings' not in result and result['verified'] is None


def test_rfc2136_a_wildcard_and_its_base_share_one_record_and_one_update(monkeypatch):
    dns = FakeDns(monkeypatch)
    result = run(certificate_type='wildcard', domains=['*.example.com', 'example.com'], zone='example.com', **RFC)
    assert len(dns.updates) == 1 and dns.zones_asked == []
    assert [d['changed'] for d in result['domains']] == [True, True]


def test_rfc2136_other_values_without_a_ttl_take_the_ttl_option(monkeypatch):
    dns = FakeDns(monkeypatch, {'example.com': (['other'], None)})
    run(domains=['example.com'], ttl=90, **RFC)
    assert dns.updates[0]['ttl'] == 90


def test_rfc2136_present_with_the_code_there_changes_nothing(monkeypatch):
    dns = FakeDns(monkeypatch, {'example.com': ([CODE], 300)})
    result = run(domains=['example.com'], **RFC)
    assert dns.updates == [] and result['changed'] is False
    assert result['domains'][0]['published'][0]['other_values'] == 0


def test_rfc2136_absent_removes_the_code_only_where_it_is(monkeypatch):
    dns = FakeDns(monkeypatch, {'example.com': ([CODE, 'other'], 300)})
    result = run(domains=['example.com', 'www.example.com'], state='absent', diff=True, **RFC)
    assert [(u['name'], u['present'], u['tsig']) for u in dns.updates] == [('example.com', False, False)]
    assert [d['changed'] for d in result['domains']] == [True, False]
    assert result['diff'] == {'prepared': '- example.com TXT <verification_code> (zone example.com)'}


def test_rfc2136_check_mode_updates_nothing_and_does_not_verify_a_change(monkeypatch):
    dns = FakeDns(monkeypatch)
    result = run(domains=['example.com'], check_mode=True, verify=True, diff=True, **RFC)
    assert dns.updates == [] and dns.checked == [] and result['changed'] is True and result['verified'] is None
    assert result['diff'] == {'prepared': '+ example.com TXT <verification_code> (zone example.com)'}


# ---- Windows DNS ---------------------------------------------------------------------------------------------


def test_windows_dns_writes_once_per_record_with_the_ttl_of_the_values_there():
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {'@': [{'value': 'v=spf1 -all', 'ttl': 600}]}})['zones']
    result = run(host, method='dns', dns_provider='windows', certificate_type='wildcard',
                 domains=['*.example.com', 'example.com'], diff=True)
    assert [n for n, _p in host.calls] == ['dcv_windows_dns_read', 'dcv_windows_dns_read', 'dcv_windows_dns_write']
    assert host.calls[2][1]['Ttl'] == 600 and host.calls[2][1]['HostName'] == '@'
    assert zones['example.com']['@'][-1] == {'value': CODE, 'ttl': 600}
    assert [(d['changed'], d['published'][0]['other_values'], d['published'][0]['ttl']) for d in result['domains']] == [
        (True, 1, 600), (True, 1, 600)]
    assert '_host' not in result['domains'][0]
    assert result['diff']['prepared'].splitlines() == ['+ example.com TXT <verification_code> (zone example.com)'] * 2


def test_windows_dns_other_values_without_a_ttl_take_the_ttl_option():
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {'www': [{'value': 'other'}]}})
    run(host, method='dns', dns_provider='windows', domains=['www.example.com'], ttl=77)
    assert host.calls[-1][1]['Ttl'] == 77


def test_windows_dns_given_zone_reads_no_zone_list_and_matches_on_label_boundaries():
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}})
    result = run(host, method='dns', dns_provider='windows', domains=['www.example.com'], zone='Example.com')
    assert [n for n, _p in host.calls] == ['dcv_windows_dns_read', 'dcv_windows_dns_write']
    assert result['domains'][0]['zone'] == 'example.com'
    host = FakeWindowsHost()
    new_windows_dns(host, {'ample.com': {}})
    with pytest.raises(AnsibleActionFail, match=r'holds www\.example\.com \(zones: ample\.com\)'):
        run(host, method='dns', dns_provider='windows', domains=['www.example.com'])
    host = FakeWindowsHost()
    new_windows_dns(host, {})
    with pytest.raises(AnsibleActionFail, match=r'\(zones: none\)'):
        run(host, method='dns', dns_provider='windows', domains=['www.example.com'])


def test_windows_dns_prefers_the_longest_zone():
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}, 'corp.example.com': {}})
    result = run(host, method='dns', dns_provider='windows', domains=['www.corp.example.com'])
    assert result['domains'][0]['zone'] == 'corp.example.com' and host.calls[-1][1]['HostName'] == 'www'


# ---- IIS -----------------------------------------------------------------------------------------------------


def test_iis_diff_names_each_directory_and_its_web_config():
    host = iis_host(txt_mime=None)
    result = run(host, domains=['shop.example.com'], diff=True)
    assert result['diff'] == {'prepared': '+ E:\\web\\site\\.well-known\\pki-validation\\fileauth.txt (+web.config)'}
    assert result['domains'][0]['published'][0]['web_config'] is True
    result = run(host, domains=['shop.example.com'], state='absent', diff=True)
    assert result['diff'] == {'prepared': '- E:\\web\\site\\.well-known\\pki-validation\\fileauth.txt (-web.config)'}
    assert result['changed'] is True


def test_iis_check_mode_writes_nothing_but_reports_each_name_changed():
    host = iis_host()
    result = run(host, domains=['shop.example.com', 'www.example.com'], check_mode=True)
    assert [n for n, _p in host.calls] == ['dcv_iis_read']
    assert [d['changed'] for d in result['domains']] == [True, True]
    assert [d['published'][0]['web_config'] for d in result['domains']] == [False, False]


def test_iis_the_code_goes_only_as_a_sensitive_parameter_of_a_file_write():
    host = iis_host(txt_mime=None)
    run(host, domains=['www.example.com'])
    host.state['iis']['files'] = {k: v for k, v in host.state['iis']['files'].items() if not k.endswith('fileauth.txt')}
    del host.calls[:]
    run(host, domains=['www.example.com'])
    [(_name, params)] = [c for c in host.calls if c[0] == 'dcv_iis_write']
    assert params['WriteFile'] is True and not params.get('WebConfig')


# ---- verification ------------------------------------------------------------------------------------------


def _http_answers(monkeypatch, verdicts):
    seen = []

    def check_name(ascii_name, code, resolve=None, port_map=None, timeout=10, validate_certs=False):
        seen.append((ascii_name, timeout, validate_certs))
        ok = verdicts[ascii_name].pop(0) if isinstance(verdicts[ascii_name], list) else verdicts[ascii_name]
        return {'ok': ok, 'problem': None if ok else 'HTTP 404', 'checks': [{'scheme': 'http', 'ok': ok}]}
    monkeypatch.setattr(_http, 'check_name', check_name)
    monkeypatch.setattr(hkpost_dcv_token, 'POLL_INTERVAL', 0)
    return seen


def test_file_verification_passes_when_every_name_serves_the_code(monkeypatch):
    seen = _http_answers(monkeypatch, {'www.example.com': True})
    result = run(iis_host(), verify=True, timeout=4, validate_certs=True)
    assert result['verified'] is True and seen == [('www.example.com', 4, True)]
    assert result['domains'][0]['ok'] is True and result['domains'][0]['checks'] == [{'scheme': 'http', 'ok': True}]


def test_file_verification_failing_names_the_name_and_problem(monkeypatch):
    _http_answers(monkeypatch, {'www.example.com': False})
    with pytest.raises(AnsibleActionFail, match=r'domain control validation check failed: www\.example\.com: HTTP 404'):
        run(iis_host(), verify=True, wait_timeout=0)


def test_verification_retries_only_the_failing_names_until_the_deadline(monkeypatch):
    seen = _http_answers(monkeypatch, {'shop.example.com': True, 'www.example.com': [False, False, True]})
    result = run(iis_host(), verify=True, wait_timeout=30, domains=['shop.example.com', 'www.example.com'])
    assert result['verified'] is True
    assert [s[0] for s in seen] == ['shop.example.com', 'www.example.com', 'www.example.com', 'www.example.com']


def test_verification_in_check_mode_runs_when_nothing_would_change(monkeypatch):
    seen = _http_answers(monkeypatch, {'www.example.com': True})
    host = iis_host()
    run(host)
    result = run(host, check_mode=True, verify=True)
    assert result['changed'] is False and result['verified'] is True and len(seen) == 1


def test_absent_is_never_verified(monkeypatch):
    seen = _http_answers(monkeypatch, {'www.example.com': False})
    result = run(iis_host(), verify=True, state='absent')
    assert seen == [] and result['verified'] is None


def test_dns_verification_asks_the_authoritative_servers_of_the_zone(monkeypatch):
    dns = FakeDns(monkeypatch)
    result = run(domains=['example.com'], verify=True, **RFC)
    assert result['verified'] is True and dns.checked == [('example.com', 'example.com', (('192.0.2.99', 53),))]
    assert result['domains'][0]['checks'][0]['values'][0] != CODE      # the code is never shown whole
    assert result['domains'][0]['problem'] is None


def test_dns_verification_uses_the_nameservers_given(monkeypatch):
    dns = FakeDns(monkeypatch)
    run(domains=['example.com'], verify=True, nameservers=['192.0.2.7:5353'], **RFC)
    assert dns.checked == [('example.com', 'example.com', (('192.0.2.7', 5353),))]


def test_dns_verification_failing_names_each_server(monkeypatch):
    dns = FakeDns(monkeypatch)
    dns.verdicts['example.com'] = False
    with pytest.raises(AnsibleActionFail, match=r'example\.com: ns1\.example\.com \(192\.0\.2\.1:53\): code not found'):
        run(domains=['example.com'], verify=True, wait_timeout=0, **RFC)


def test_windows_dns_verification_finds_the_zone_it_wrote(monkeypatch):
    dns = FakeDns(monkeypatch, zone='unused.example')
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}})
    result = run(host, method='dns', dns_provider='windows', domains=['www.example.com'], verify=True)
    assert result['verified'] is True and dns.checked[0][1] == 'example.com' and dns.zones_asked == []


def test_a_verification_error_is_the_names_problem(monkeypatch):
    def refuse(*_a, **_k):
        raise _dns.HkpostError('no authoritative server answered')
    dns = FakeDns(monkeypatch)
    monkeypatch.setattr(_dns, 'check_authoritative', refuse)
    with pytest.raises(AnsibleActionFail, match='example.com: no authoritative server answered'):
        run(domains=['example.com'], verify=True, wait_timeout=0, **RFC)
    assert dns.updates


# ---- issue 21, third round: what is published, reported and refused ------------------------------------------


def test_a_tsig_secret_that_is_not_strict_base64_is_refused_before_any_update(monkeypatch):
    # dnspython would decode 'c2VjcmV0*' leniently into some other key; the strict check names the typo.
    dns = FakeDns(monkeypatch)
    with pytest.raises(AnsibleActionFail, match='tsig_key_secret for key k. is not base64'):
        run(tsig_key_name='k.', tsig_key_secret='c2VjcmV0c2VjcmV0*', **RFC)
    assert dns.updates == [] and dns.zones_asked == []


def test_ttl_and_timeout_of_one_are_accepted(monkeypatch):
    dns = FakeDns(monkeypatch)
    run(domains=['example.com'], ttl=1, timeout=1, **RFC)
    assert [(u['ttl'], u['timeout']) for u in dns.updates] == [(1, 1)]


def test_a_windows_dns_server_ignores_the_rfc2136_server_option():
    # dns_server is the RFC 2136 primary (often a group variable); a Windows DNS target writes locally.
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}})
    assert run(host, method='dns', dns_provider='windows', dns_server='ns1.example.com:99999')['changed'] is True


def test_without_validated_on_no_reuse_is_reported(monkeypatch):
    FakeDns(monkeypatch)
    result = run(domains=['example.com'], **RFC)
    assert 'needs_fresh_validation' not in result and 'needs_fresh_validation' not in result['domains'][0]


def test_rfc2136_a_wildcard_and_its_base_look_up_their_zone_and_record_once(monkeypatch):
    dns = FakeDns(monkeypatch)
    reads = []
    monkeypatch.setattr(_dns, 'read_txt', lambda name, *a, **k: reads.append(name) or ([], None, 0, True))
    run(certificate_type='wildcard', domains=['*.example.com', 'example.com'], **RFC)
    assert len(dns.zones_asked) == 1 and reads == ['example.com'] and len(dns.updates) == 1


def test_rfc2136_removing_the_only_value_uses_the_ttl_option(monkeypatch):
    dns = FakeDns(monkeypatch, {'example.com': ([CODE], 300)})
    result = run(domains=['example.com'], state='absent', ttl=90, **RFC)
    assert [(u['present'], u['ttl']) for u in dns.updates] == [(False, 90)]
    assert result['domains'][0]['published'][0]['ttl'] == 90


def test_rfc2136_no_diff_unless_asked(monkeypatch):
    FakeDns(monkeypatch)
    assert 'diff' not in run(domains=['example.com'], **RFC)


def test_windows_dns_second_run_writes_nothing():
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}})
    run(host, method='dns', dns_provider='windows', domains=['www.example.com'])
    del host.calls[:]
    result = run(host, method='dns', dns_provider='windows', domains=['www.example.com'])
    assert result['changed'] is False and [n for n, _p in host.calls] == ['dcv_windows_dns_read'] * 2
    assert 'diff' not in result


def _windows_dns_answers(monkeypatch, zones_answer, records_answer):
    """The plugin's payload calls answered with what PowerShell's ConvertTo-Json gives for empty results: an
    empty array piped on is $null, so a key may come back null (or be missing)."""
    sent = []

    def payload(self, task_vars, name, parameters=None, sensitive_parameters=None):
        sent.append((name, parameters))
        if name == 'dcv_windows_dns_read':
            return zones_answer if not parameters else records_answer
        return {'changed': True}
    monkeypatch.setattr(ActionModule, 'payload', payload)
    return sent


def test_windows_dns_a_null_zone_list_is_no_zone(monkeypatch):
    _windows_dns_answers(monkeypatch, {'zones': None}, {})
    with pytest.raises(AnsibleActionFail, match=r'\(zones: none\)'):
        run(method='dns', dns_provider='windows', domains=['www.example.com'])


@pytest.mark.parametrize('records_answer', [{'records': None}, {},
                                            {'records': [{'zone': 'example.com', 'host': 'www', 'values': None}]}])
def test_windows_dns_null_records_or_values_are_no_values(monkeypatch, records_answer):
    sent = _windows_dns_answers(monkeypatch, {'zones': ['example.com']}, records_answer)
    result = run(method='dns', dns_provider='windows', domains=['www.example.com'])
    assert [n for n, _p in sent] == ['dcv_windows_dns_read', 'dcv_windows_dns_read', 'dcv_windows_dns_write']
    assert result['domains'][0]['published'][0]['other_values'] == 0


def test_iis_removal_sends_no_code_and_reports_the_web_config_removed():
    host = iis_host(txt_mime=None)
    run(host, domains=['shop.example.com'])
    del host.calls[:]
    result = run(host, domains=['shop.example.com'], state='absent')
    [(_name, params)] = [c for c in host.calls if c[0] == 'dcv_iis_write']
    assert params['RemoveFile'] is True and params['RemoveWebConfig'] is True and params.get('Content') is None
    assert result['domains'][0]['published'][0]['web_config'] is True and 'diff' not in result


def test_iis_diff_without_web_config_work_names_only_the_file():
    result = run(iis_host(), domains=['shop.example.com'], diff=True)
    assert result['diff'] == {'prepared': '+ E:\\web\\site\\.well-known\\pki-validation\\fileauth.txt'}


def test_iis_a_name_is_changed_when_any_of_its_sites_changes():
    host = FakeWindowsHost()
    new_iis(host, [
        {'name': 'shop', 'id': 2, 'physical_path': 'E:\\a', 'bindings': [('http', '*:80:shop.example.com')]},
        {'name': 'shop-tls', 'id': 3, 'physical_path': 'E:\\b', 'bindings': [('https', '*:443:shop.example.com')]},
    ], env={}, files={'e:\\b\\.well-known\\pki-validation\\fileauth.txt': CODE.encode()})
    result = run(host, domains=['shop.example.com'])
    assert [p['site'] for p in result['domains'][0]['published']] == ['shop', 'shop-tls']
    assert result['domains'][0]['changed'] is True and result['changed'] is True


class Clock:
    """time.monotonic and time.sleep of hkpost_dcv_token: sleeping advances the clock."""

    def __init__(self):
        self.now, self.slept = 1000.0, []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_verification_polls_every_two_seconds_until_the_wait_timeout(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(hkpost_dcv_token, 'time', clock)
    seen = []
    monkeypatch.setattr(_http, 'check_name', lambda name, *a, **k: seen.append(clock.now) or {
        'ok': False, 'problem': 'HTTP 404', 'checks': []})
    with pytest.raises(AnsibleActionFail, match='HTTP 404'):
        run(iis_host(), verify=True, wait_timeout=5)
    assert clock.slept == [2, 2, 1] and seen == [1000.0, 1002.0, 1004.0, 1005.0]
