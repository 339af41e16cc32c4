# -*- coding: utf-8 -*-
"""hkpost_acme_challenge dns-01 on a Windows DNS server (dns_provider windows), over the loopback WinRM endpoint.

The CA (Pebble) resolves through BIND in the end-to-end tests, so it cannot see a simulated Windows DNS zone; here
the publication itself: the dcv payloads hkpost_dcv_token uses, a wildcard and its base name sharing one name with
both values, other TXT values kept, everything removed again.
"""

from __future__ import annotations

import json

from tests.support.windows.dcv import new_windows_dns
from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm.fleet import run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host


def _data(name, txt):
    base = name[2:] if name.startswith('*.') else name
    return {'identifier': name, 'identifier_type': 'dns', 'challenges': {
        'dns-01': {'resource': '_acme-challenge', 'resource_value': txt, 'record': '_acme-challenge.' + base}}}


CHALLENGES = [_data('*.example.test', 'wild-value'), _data('example.test', 'base-value'),
              _data('www.example.test', 'www-value')]


def _play(tmp_path, state):
    path = tmp_path / ('acme-windows-dns-%s.yml' % state)
    path.write_text(json.dumps([{'hosts': 'dns_servers', 'gather_facts': False, 'tasks': [
        {'name': 'dns-01 on the Windows DNS server', 'hkpost.ecert.hkpost_acme_challenge': {
            'challenge': 'dns-01', 'challenge_data': CHALLENGES, 'dns_provider': 'windows', 'state': state},
         'register': 'published'},
        {'ansible.builtin.debug': {'var': 'published.published'}}]}]))
    return str(path)


def _txt(host, node):
    return sorted(r['value'] for r in host.state['windows_dns']['zones']['example.test'].get(node, []))


def test_publish_and_remove_on_windows_dns(tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.test': {'@': [{'value': 'v=spf1 -all', 'ttl': 300}],
                                            '_acme-challenge': [{'value': 'another-client', 'ttl': 120}]}})
    save_host(str(state), 'dns1', host)
    inventory = {'all': {'children': {'dns_servers': {'hosts': {'dns1': {}}}}}}

    proc, _report = run_over_winrm(state, tmp_path / 'w1', inventory, _play(tmp_path, 'present'), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    host = load_host(str(state), 'dns1')
    assert _txt(host, '_acme-challenge') == ['another-client', 'base-value', 'wild-value']
    assert _txt(host, '_acme-challenge.www') == ['www-value']
    # zones read once, the records once, one write per value
    assert [c[0] for c in host.calls] == ['dcv_windows_dns_read', 'dcv_windows_dns_read'] + ['dcv_windows_dns_write'] * 3
    assert 'wild-value' not in proc.stdout, 'the values travel as sensitive parameters'

    proc, _report = run_over_winrm(state, tmp_path / 'w2', inventory, _play(tmp_path, 'absent'), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    host = load_host(str(state), 'dns1')
    assert _txt(host, '_acme-challenge') == ['another-client'] and _txt(host, '_acme-challenge.www') == []
    assert _txt(host, '@') == ['v=spf1 -all']
