# -*- coding: utf-8 -*-
"""iis_binding against the fake IIS host: plan, sslFlags kept, shared bindings, overrides, rollback."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.iis_binding import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.certstore import entry_for
from tests.support.windows.iis import add_site, iis_state, map_sslcert
from tests.support.windows.host import FakeWindowsHost

WRITES = {'iis_apply'}


@pytest.fixture
def host(pki):
    fake = FakeWindowsHost()
    for name in ('standard', 'multi_domain', 'wildcard', 'expired', 'expiring'):
        fake.stores['My'].append(entry_for(pki.leaves[name].cert, pki.leaves[name].key))
    fake.stores['My'].append(entry_for(pki.leaves['ev'].cert))  # no key
    old = pki.leaves['expiring']
    add_site(fake, 'Default Web Site', [('http', '*:80:', 0), ('https', '*:443:', 0)])
    add_site(fake, 'Intranet', [('https', '*:443:intranet.example.hk', 0)])   # non-SNI, shares 0.0.0.0:443
    add_site(fake, 'www', [('http', '*:80:www.example.hk', 0)])
    add_site(fake, 'shop', [('https', '*:443:shop.example.hk', 1 | 4 | 8)])   # SNI, HTTP/2 and OCSP stapling off
    map_sslcert(fake, 'ipport', '0.0.0.0:443', old.thumbprint)
    map_sslcert(fake, 'hostnameport', 'shop.example.hk:443', old.thumbprint)
    return fake


def bind(host, **kwargs):
    options = {k: v for k, v in kwargs.items() if k not in ('check_mode', 'diff')}
    flags = {k: v for k, v in kwargs.items() if k in ('check_mode', 'diff')}
    return run_action(ActionModule, options, host=host, **flags)


def writes(host):
    """The write steps sent (iis_apply's step kinds), in order."""
    return [step['kind'] for name, params in host.calls if name in WRITES for step in params['Steps']]


def test_new_sni_binding_by_common_name_then_idempotent(pki, host):
    result = bind(host, site='www', host_header='www.example.hk', certificate_common_name='www.example.hk')
    assert result['changed'] is True
    assert result['before'] is None
    assert result['after'] == {'site': 'www', 'ip': '*', 'port': 443, 'host': 'www.example.hk', 'sni': True,
                               'ssl_flags': 1, 'thumbprint': result['certificate']['sha1'], 'store': 'My'}
    assert result['certificate']['sha1'] in (pki.leaves['standard'].thumbprint, pki.leaves['multi_domain'].thumbprint)
    assert writes(host) == ['binding_add']  # created with its certificate, one commit
    assert iis_state(host)['sslcert']['hostnameport']['www.example.hk:443']['thumbprint'] == result['certificate']['sha1']
    host.calls.clear()
    again = bind(host, site='www', host_header='www.example.hk', certificate_common_name='www.example.hk')
    assert again['changed'] is False and writes(host) == []
    assert again['before'] == again['after'] == result['after']


def test_common_name_picks_newest_valid_with_key(pki, host):
    newer = pki.issue_leaf('www.example.hk', not_before=pki.now - datetime.timedelta(days=2))
    host.stores['My'].append(entry_for(newer.cert, newer.key))
    nokey = pki.issue_leaf('www.example.hk', not_before=pki.now - datetime.timedelta(days=1))
    host.stores['My'].append(entry_for(nokey.cert))
    result = bind(host, site='www', host_header='www.example.hk', certificate_common_name='www.example.hk',
                  check_mode=True)
    assert result['certificate']['sha1'] == newer.thumbprint


def test_check_mode_and_diff_send_no_write(pki, host):
    result = bind(host, site='www', host_header='www.example.hk', certificate_thumbprint=pki.leaves['standard'].thumbprint,
                  check_mode=True, diff=True)
    assert result['changed'] is True
    assert writes(host) == []
    assert result['diff'] == {'before': {}, 'after': result['after']}
    assert not any(b['protocol'] == 'https' for b in iis_state(host)['sites'][2]['bindings'])


def test_other_ssl_flags_are_kept(pki, host):
    result = bind(host, site='shop', host_header='shop.example.hk', certificate_thumbprint=pki.leaves['multi_domain'].thumbprint)
    assert result['before']['ssl_flags'] == 13 and result['after']['ssl_flags'] == 13
    assert writes(host) == ['binding_replace']  # one element swapped in, one commit
    assert iis_state(host)['sites'][3]['bindings'][0]['ssl_flags'] == 13


def test_switching_to_sni_keeps_other_bits(pki, host):
    iis_state(host)['sites'][3]['bindings'][0]['ssl_flags'] = 4 | 2  # HTTP/2 off, central store on
    result = bind(host, site='shop', host_header='shop.example.hk', certificate_thumbprint=pki.leaves['multi_domain'].thumbprint)
    assert result['after']['ssl_flags'] == 4 | 1
    assert iis_state(host)['sites'][3]['bindings'][0]['ssl_flags'] == 5


def test_shared_non_sni_binding_refused_naming_sites(pki, host):
    with pytest.raises(AnsibleActionFail) as e:
        bind(host, site='Default Web Site', certificate_thumbprint=pki.leaves['standard'].thumbprint)
    assert 'Intranet' in str(e.value) and 'ipport=0.0.0.0:443' in str(e.value) and 'shared_ok' in str(e.value)
    assert writes(host) == []
    result = bind(host, site='Default Web Site', certificate_thumbprint=pki.leaves['standard'].thumbprint, shared_ok=True)
    assert result['changed'] and result['shared_with'] == ['Intranet']
    assert iis_state(host)['sslcert']['ipport']['0.0.0.0:443']['thumbprint'] == pki.leaves['standard'].thumbprint


def test_ip_specific_shared_binding_refused(pki, host):
    add_site(host, 'A', [('https', '10.0.0.5:443:', 0)])
    add_site(host, 'B', [('https', '10.0.0.5:443:b.example.hk', 0)])
    map_sslcert(host, 'ipport', '10.0.0.5:443', pki.leaves['expiring'].thumbprint)
    with pytest.raises(AnsibleActionFail, match='shared by site\\(s\\) B'):
        bind(host, site='A', ip='10.0.0.5', certificate_thumbprint=pki.leaves['standard'].thumbprint)


def test_ipport_mapping_overriding_sni_is_reported(pki, host):
    map_sslcert(host, 'ipport', '10.0.0.5:443', pki.leaves['expiring'].thumbprint)
    result = bind(host, site='www', host_header='www.example.hk', certificate_common_name='www.example.hk')
    overrides = result['sni_overrides']
    assert [o['endpoint'] for o in overrides] == ['10.0.0.5:443']
    assert 'netsh http delete sslcert ipport=10.0.0.5:443' in overrides[0]['message']


def test_rollback_removes_new_binding_when_its_commit_fails(pki, host):
    from tests.support.windows import iis
    from tests.support.windows import host as fake_windows
    real = iis.iis_binding_add

    def fail_add(fake, params):
        real(fake, params)   # the configuration was written, then http.sys refused the mapping
        raise fake_windows.HostFailure('SSL certificate add failed, Error: 1312')

    iis.iis_binding_add = fail_add
    try:
        with pytest.raises(AnsibleActionFail) as e:
            bind(host, site='www', host_header='www.example.hk', certificate_common_name='www.example.hk')
    finally:
        iis.iis_binding_add = real
    assert 'previous binding was put back' in str(e.value) and 'Error: 1312' in str(e.value)
    assert writes(host) == ['binding_add', 'binding_remove']
    assert [b for b in iis_state(host)['sites'][2]['bindings'] if b['protocol'] == 'https'] == []


def test_rollback_restores_flags_and_certificate(pki, host):
    before = iis_state(host)['sites'][3]['bindings'][0]['ssl_flags']
    iis_state(host)['sites'][3]['bindings'][0]['ssl_flags'] = before | 2
    from tests.support.windows import iis
    from tests.support.windows import host as fake_windows
    real = iis.iis_binding_replace
    calls = {'n': 0}

    def fail_first(fake, params):
        calls['n'] += 1
        if calls['n'] == 1:
            map_sslcert(fake, 'hostnameport', 'shop.example.hk:443', params['Thumbprint'])  # half-done on the host
            raise fake_windows.HostFailure('commit failed midway')
        return real(fake, params)

    iis.iis_binding_replace = fail_first
    try:
        with pytest.raises(AnsibleActionFail) as e:
            bind(host, site='shop', host_header='shop.example.hk', certificate_thumbprint=pki.leaves['multi_domain'].thumbprint)
    finally:
        iis.iis_binding_replace = real
    assert 'commit failed midway' in str(e.value)
    assert iis_state(host)['sites'][3]['bindings'][0]['ssl_flags'] == before | 2
    assert iis_state(host)['sslcert']['hostnameport']['shop.example.hk:443']['thumbprint'] == pki.leaves['expiring'].thumbprint


def test_certificate_for_a_name_the_binding_does_not_serve(pki, host):
    with pytest.raises(AnsibleActionFail, match='does not serve the host header "www.other.hk"'):
        bind(host, site='www', host_header='www.other.hk', certificate_thumbprint=pki.leaves['wildcard'].thumbprint)
    assert writes(host) == []


def test_wildcard_serves_one_label(pki, host):
    result = bind(host, site='www', host_header='portal.example.hk', certificate_thumbprint=pki.leaves['wildcard'].thumbprint,
                  check_mode=True)
    assert result['changed']
    with pytest.raises(AnsibleActionFail, match='does not serve'):
        bind(host, site='www', host_header='a.b.example.hk', certificate_thumbprint=pki.leaves['wildcard'].thumbprint)


@pytest.mark.parametrize('leaf,message', [('expired', 'expired on'), ('ev', 'has no private key')])
def test_unusable_certificates_refused(pki, host, leaf, message):
    with pytest.raises(AnsibleActionFail, match=message):
        bind(host, site='www', certificate_thumbprint=pki.leaves[leaf].thumbprint)
    assert writes(host) == []


def test_no_certificate_for_common_name_explains(pki, host):
    host.stores['My'] = [e for e in host.stores['My'] if e['thumbprint'] != pki.leaves['wildcard'].thumbprint]
    with pytest.raises(AnsibleActionFail, match='old.example.hk.*expired'):
        bind(host, site='www', host_header='old.example.hk', certificate_common_name='old.example.hk')
    with pytest.raises(AnsibleActionFail, match='secure.example.hk.*no private key'):
        bind(host, site='www', host_header='secure.example.hk', certificate_common_name='secure.example.hk')
    assert writes(host) == []


def test_common_name_prefers_exact_name_over_wildcard(pki, host):
    result = bind(host, site='www', host_header='www.example.hk', certificate_common_name='www.example.hk',
                  check_mode=True)
    assert result['certificate']['sha1'] != pki.leaves['wildcard'].thumbprint
    host.stores['My'] = [e for e in host.stores['My'] if e['thumbprint'] == pki.leaves['wildcard'].thumbprint]
    result = bind(host, site='www', host_header='www.example.hk', certificate_common_name='www.example.hk',
                  check_mode=True)
    assert result['certificate']['sha1'] == pki.leaves['wildcard'].thumbprint


def test_thumbprint_pasted_from_mmc_accepted(pki, host):
    raw = pki.leaves['standard'].thumbprint
    pasted = '\u200e' + ' '.join(raw[i:i + 2] for i in range(0, 40, 2)).lower()
    result = bind(host, site='www', host_header='www.example.hk', certificate_thumbprint=pasted, check_mode=True)
    assert result['after']['thumbprint'] == raw


def test_webhosting_store(pki, host):
    host.stores['WebHosting'].append(entry_for(pki.leaves['standard'].cert, pki.leaves['standard'].key))
    result = bind(host, site='www', host_header='www.example.hk', certificate_store='WebHosting',
                  certificate_thumbprint=pki.leaves['standard'].thumbprint)
    assert iis_state(host)['sslcert']['hostnameport']['www.example.hk:443']['store'] == 'WebHosting'
    assert result['after']['store'] == 'WebHosting'


def test_state_absent_removes_then_idempotent(host):
    result = bind(host, site='shop', host_header='shop.example.hk', state='absent')
    assert result['changed'] and result['after'] is None and result['before']['ssl_flags'] == 13
    host.calls.clear()
    assert bind(host, site='shop', host_header='shop.example.hk', state='absent')['changed'] is False
    assert writes(host) == []


@pytest.mark.parametrize('options,message', [
    ({'site': 'nope', 'certificate_common_name': 'www.example.hk'}, 'does not exist'),
    ({'site': 'www', 'sni': True, 'certificate_common_name': 'www.example.hk'}, 'needs a host_header'),
    ({'site': 'www', 'certificate_thumbprint': 'xyz'}, 'not a SHA-1 thumbprint'),
    ({'site': 'www'}, 'certificate_thumbprint|certificate_common_name'),
])
def test_bad_options(host, options, message):
    with pytest.raises(AnsibleActionFail, match=message):
        bind(host, **options)
    assert writes(host) == []
