# -*- coding: utf-8 -*-
"""hkpost_dcv_token against a fake IIS / Windows DNS at the win_powershell boundary, and its refusals."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from tests.support.windows import dcv as fake_dcv_windows  # noqa: F401  # pylint: disable=unused-import
from tests.support.action_harness import run_action
from tests.support.windows.dcv import iis_file, new_iis, new_windows_dns
from tests.support.windows.host import FakeWindowsHost

CODE = 'HKP-7f3a9c21d4e8'
TODAY = datetime.date.today()
WRITES = ('dcv_iis_write', 'dcv_windows_dns_write')


def args(**kwargs):
    base = {'method': 'file', 'domains': ['www.example.com'], 'verification_code': CODE, 'verify': False}
    base.update(kwargs)
    return base


def iis_host(txt_mime='text/plain'):
    host = FakeWindowsHost()
    new_iis(host, [
        {'name': 'Default Web Site', 'id': 1, 'physical_path': '%SystemDrive%\\inetpub\\wwwroot',
         'bindings': [('http', '*:80:')], 'txt_mime': txt_mime},
        {'name': 'shop', 'id': 2, 'physical_path': '%ShopRoot%\\site',
         'bindings': [('https', '*:443:shop.example.com'), ('http', '*:80:shop.example.com')],
         'txt_mime': txt_mime},
    ], env={'SystemDrive': 'C:', 'ShopRoot': 'E:\\web'})
    return host


def run(host, check_mode=False, **kwargs):
    return run_action(ActionModule, args(**kwargs), host=host, check_mode=check_mode,
                      action_name='hkpost.ecert.hkpost_dcv_token')


def writes(host):
    return [name for name, _params in host.calls if name in WRITES]


def test_iis_check_mode_apply_idempotent_absent():
    host = iis_host()
    domains = ['shop.example.com', 'www.example.com']
    result = run(host, check_mode=True, domains=domains)
    assert result['changed'] and writes(host) == []
    result = run(host, domains=domains)
    assert result['changed']
    assert iis_file(host, 'E:\\web\\site\\.well-known\\pki-validation\\fileauth.txt') == CODE.encode()
    assert iis_file(host, 'C:\\inetpub\\wwwroot\\.well-known\\pki-validation\\fileauth.txt') == CODE.encode()
    # .txt is already text/plain: no web.config written
    assert not any(k.endswith('web.config') for k in host.state['iis']['files'])
    published = {d['ascii_name']: d['published'][0] for d in result['domains']}
    assert published['shop.example.com']['site'] == 'shop'
    assert published['shop.example.com']['reason'] == 'host header'
    assert published['www.example.com']['reason'] == 'default site'
    # The code travels as a sensitive parameter, never in the script: the payload receives a SecureString.
    write_params = [p for n, p in host.calls if n == 'dcv_iis_write']
    assert all(p['Content'].reveal() == CODE for p in write_params)
    before = len(writes(host))
    assert not run(host, check_mode=True, domains=domains)['changed']
    assert not run(host, domains=domains)['changed']
    assert len(writes(host)) == before
    result = run(host, domains=domains, state='absent')
    assert result['changed'] and host.state['iis']['files'] == {}
    assert not run(host, domains=domains, state='absent')['changed']


def test_iis_web_config_only_where_needed_and_only_ours_removed():
    host = iis_host(txt_mime=None)
    run(host)
    config = iis_file(host, 'C:\\inetpub\\wwwroot\\.well-known\\pki-validation\\web.config')
    assert b'mimeType="text/plain"' in config and b'hkpost.ecert dcv web.config' in config
    run(host, state='absent')
    assert host.state['iis']['files'] == {}
    # A web.config someone else put there is never removed.
    foreign = 'c:\\inetpub\\wwwroot\\.well-known\\pki-validation\\web.config'
    host.state['iis']['files'][foreign] = b'<configuration/>'
    with pytest.raises(AnsibleActionFail, match='was not written by this module'):
        run(host)
    run(host, state='absent')
    assert host.state['iis']['files'] == {foreign: b'<configuration/>'}


def test_iis_absent_leaves_another_code():
    host = iis_host()
    path = 'c:\\inetpub\\wwwroot\\.well-known\\pki-validation\\fileauth.txt'
    host.state['iis']['files'][path] = b'SOMEONE-ELSES'
    result = run(host, state='absent')
    assert not result['changed'] and host.state['iis']['files'][path] == b'SOMEONE-ELSES'
    assert 'holds another code' in result['warnings'][0]


def test_windows_dns_adds_and_removes_only_this_value():
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {'@': [{'value': 'v=spf1 -all', 'ttl': 600}]},
                                   'corp.example.com': {}})
    dns_args = dict(method='dns', dns_provider='windows', domains=['example.com', 'www.corp.example.com'])
    result = run(host, check_mode=True, **dns_args)
    assert result['changed'] and writes(host) == []
    result = run(host, **dns_args)
    assert zones['zones']['example.com']['@'] == [{'value': 'v=spf1 -all', 'ttl': 600}, {'value': CODE, 'ttl': 600}]
    assert zones['zones']['corp.example.com']['www'] == [{'value': CODE, 'ttl': 3600}]
    assert [d['published'][0]['zone'] for d in result['domains']] == ['example.com', 'corp.example.com']
    assert not run(host, **dns_args)['changed']
    assert run(host, state='absent', **dns_args)['changed']
    assert zones['zones']['example.com']['@'] == [{'value': 'v=spf1 -all', 'ttl': 600}]
    assert zones['zones']['corp.example.com']['www'] == []


def test_windows_dns_without_a_zone_refused_before_any_write():
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}})
    with pytest.raises(AnsibleActionFail, match='no primary zone on this Windows DNS server holds www.other.org'):
        run(host, method='dns', dns_provider='windows', domains=['www.example.com', 'www.other.org'])
    assert writes(host) == []


def test_email_returns_addresses_and_warns():
    host = FakeWindowsHost()
    result = run(host, method='email', certificate_type='wildcard', domains=['*.example.com'])
    assert result['addresses'][0] == 'admin@example.com' and len(result['addresses']) == 5
    assert 'SHOULD NOT be used from 2026-03-15' in result['warnings'][0]
    assert not result['changed'] and host.calls == []


@pytest.mark.parametrize('kwargs,message', [
    (dict(method='file', certificate_type='wildcard', domains=['*.example.com']),
     'method file .*not available for wildcard'),
    (dict(method='email', certificate_type='multi_domain', domains=['a.example.com', 'b.example.com']),
     'method email .*not available for multi_domain'),
    (dict(method='email', certificate_type='ev_multi_domain', domains=['a.example.com']),
     'method email .*not available for ev_multi_domain'),
    (dict(issued_on=(TODAY - datetime.timedelta(days=31)).isoformat()),
     'expired on %s' % (TODAY - datetime.timedelta(days=1)).isoformat()),
    (dict(domains=['www.example.com', 'bad_name.example.com']), 'underscore'),
    (dict(domains=['www.example.com', 'two..dots.com']), 'empty label'),
    (dict(method='dns', dns_provider='windows', domains=['*.example.com']), 'only allowed for certificate_type wildcard'),
])
def test_refusals_name_the_rule_and_touch_nothing(kwargs, message):
    host = iis_host()
    new_windows_dns(host, {'example.com': {}})
    with pytest.raises(AnsibleActionFail, match=message):
        run(host, **kwargs)
    assert host.calls == [], 'a refused run must not even read the host'
    assert host.state['iis']['files'] == {}


def test_windows_dns_provider_needs_a_windows_target():
    with pytest.raises(AnsibleActionFail, match='dns_provider windows runs on a Windows DNS server'):
        run_action(ActionModule, args(method='dns', dns_provider='windows'), shell_family='sh',
                   action_name='hkpost.ecert.hkpost_dcv_token')


def test_posix_file_needs_webroot():
    with pytest.raises(AnsibleActionFail, match='needs webroot'):
        run_action(ActionModule, args(), shell_family='sh', action_name='hkpost.ecert.hkpost_dcv_token')
