# -*- coding: utf-8 -*-
"""IIS binding plans: http.sys mappings that override SNI, shared non-SNI mappings, steps and rollback (issue 14)."""

import datetime
import re

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import (
    binding_information, ipport_endpoint, plan, rollback_steps, select_certificate)
from tests.support.iis_binding_inputs import A, B, want, entry

SNI_SITE = [{'name': 'web', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:www.example.hk',
                                          'ssl_flags': 1}]}]


def test_ipport_mapping_on_another_port_does_not_override_the_443_sni_binding():
    sslcert = {'ipport': [{'endpoint': '10.0.0.5:8443', 'thumbprint': B}],
               'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'My'}]}
    result = plan(SNI_SITE, sslcert, want())
    assert result['sni_overrides'] == [] and result['changed'] is False


def test_ipport_mapping_on_443_for_a_specific_ip_overrides_sni():
    sites = SNI_SITE + [{'name': 'legacy', 'bindings': [{'protocol': 'https', 'binding_information': '10.0.0.5:443:',
                                                         'ssl_flags': 0}]}]
    sslcert = {'ipport': [{'endpoint': '10.0.0.5:443', 'thumbprint': B}, {'endpoint': '0.0.0.0:443', 'thumbprint': B}],
               'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A}]}
    overrides = plan(sites, sslcert, want())['sni_overrides']
    assert [(o['endpoint'], o['sites']) for o in overrides] == [('10.0.0.5:443', ['legacy'])]
    assert 'Move those sites' in overrides[0]['message']
    stray = plan(SNI_SITE, sslcert, want())['sni_overrides']
    assert [o['sites'] for o in stray] == [[]] and 'netsh http delete sslcert ipport=10.0.0.5:443' in stray[0]['message']
    # an SNI binding for ANOTHER specific IP is not overridden by this one
    assert plan(SNI_SITE, sslcert, want(ip='10.0.0.6'))['sni_overrides'] == []
    assert len(plan(SNI_SITE, sslcert, want(ip='10.0.0.5'))['sni_overrides']) == 1


def test_new_binding_is_one_write_with_certificate_and_flags_and_rolls_back_by_removal():
    sites = [{'name': 'web', 'bindings': []}]
    result = plan(sites, {}, want())
    assert result['steps'] == [{'kind': 'binding_add',
                                'binding_information': '*:443:www.example.hk', 'ssl_flags': 1, 'thumbprint': A,
                                'store': 'My'}]
    assert result['before'] is None and result['changed'] is True
    assert rollback_steps(None, '*:443:www.example.hk') == [
        {'kind': 'binding_remove', 'binding_information': '*:443:www.example.hk'}]


def test_certificate_store_flag_or_sni_change_is_one_write():
    sslcert = {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': B, 'store': 'My'}]}
    result = plan(SNI_SITE, sslcert, want())
    assert result['steps'] == [{'kind': 'binding_replace', 'binding_information': '*:443:www.example.hk',
                                'ssl_flags': 1, 'thumbprint': A, 'store': 'My'}]
    store = plan(SNI_SITE, {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'my'}]},
                 want(store='WebHosting'))
    assert [s['kind'] for s in store['steps']] == ['binding_replace']
    same = plan(SNI_SITE, {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'MY'}]},
                want())
    assert same['steps'] == [] and same['changed'] is False
    to_plain = plan(SNI_SITE, {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'My'}],
                               'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': A, 'store': 'My'}]},
                    want(sni=False))
    assert [(s['kind'], s['ssl_flags']) for s in to_plain['steps']] == [('binding_replace', 0)]
    flags_only = plan([{'name': 'web', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:www.example.hk',
                                                     'ssl_flags': 3}]}],
                      {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'My'}]}, want())
    assert [s['ssl_flags'] for s in flags_only['steps']] == [1]
    previous = result['previous']
    assert rollback_steps(previous, 'x') == [
        {'kind': 'binding_replace', 'binding_information': '*:443:www.example.hk', 'ssl_flags': 1,
         'thumbprint': B, 'store': 'My'}]
    assert rollback_steps(dict(previous, thumbprint=None, store=None), 'x')[0]['thumbprint'] == ''
    assert rollback_steps(dict(previous, thumbprint=None, store=None), 'x')[0]['store'] == 'My'


def test_absent_and_missing_site():
    result = plan(SNI_SITE, {}, want(state='absent'))
    assert result['steps'] == [{'kind': 'binding_remove',
                                'binding_information': '*:443:www.example.hk'}]
    assert plan(SNI_SITE, {}, want(state='absent', host='other.example.hk'))['changed'] is False
    with pytest.raises(HkpostError, match='IIS site "nope" does not exist on this host; sites: web'):
        plan(SNI_SITE, {}, want(site='nope'))


def test_shared_non_sni_mapping_with_another_certificate_is_refused_unless_shared_ok():
    sites = [{'name': 'a', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:', 'ssl_flags': 0}]},
             {'name': 'b', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:', 'ssl_flags': 0}]}]
    sslcert = {'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': B}]}
    desired = want(site='a', host='', sni=False)
    with pytest.raises(HkpostError, match='shared by site\\(s\\) b'):
        plan(sites, sslcert, desired)
    result = plan(sites, sslcert, desired, shared_ok=True)
    assert result['shared_with'] == ['b'] and [s['kind'] for s in result['steps']] == ['binding_replace']
    assert result['steps'][0]['thumbprint'] == A
    # alone on the mapping: no refusal
    assert plan(sites[:1], sslcert, desired)['shared_with'] == []


def test_endpoints():
    assert ipport_endpoint('*', 443) == '0.0.0.0:443' and ipport_endpoint('', 8443) == '0.0.0.0:8443'
    assert ipport_endpoint('10.0.0.5', 443) == '10.0.0.5:443'
    assert binding_information(None, 443, None) == '*:443:'


def test_select_certificate(pki):
    exact, wildcard = entry(pki.leaves['standard']), entry(pki.leaves['wildcard'])
    assert select_certificate([wildcard, exact], common_name='www.example.hk', now=pki.now)['sha1'] == exact['sha1']
    assert select_certificate([wildcard], common_name='shop.example.hk', now=pki.now)['sha1'] == wildcard['sha1']
    newer = entry(pki.issue_leaf('www.example.hk', not_before=pki.now - datetime.timedelta(days=1),
                                 slot='leaf-newer'))
    assert select_certificate([exact, newer], common_name='www.example.hk', now=pki.now)['sha1'] == newer['sha1']
    with pytest.raises(HkpostError, match='no private key'):
        select_certificate([entry(pki.leaves['standard'], key=False)], common_name='www.example.hk', now=pki.now)
    with pytest.raises(HkpostError, match='not issued by Hongkong Post'):
        select_certificate([entry(pki.leaves['foreign'])], common_name='www.example.com', now=pki.now)
    with pytest.raises(HkpostError, match='old.example.hk.*: expired'):
        select_certificate([entry(pki.leaves['expired'])], common_name='old.example.hk', now=pki.now)
    with pytest.raises(HkpostError, match='none names it'):
        select_certificate([exact], common_name='other.example.hk', now=pki.now)
    with pytest.raises(HkpostError, match='does not serve the host header "shop.example.hk"'):
        select_certificate([exact], thumbprint=exact['sha1'], host='shop.example.hk', now=pki.now)
    assert select_certificate([exact], thumbprint=exact['sha1'], host='www.example.hk', now=pki.now) is exact
    with pytest.raises(HkpostError, match='is not in the store'):
        select_certificate([exact], thumbprint=A, now=pki.now)
    with pytest.raises(HkpostError, match='has no private key'):
        select_certificate([entry(pki.leaves['standard'], key=False)], thumbprint=exact['sha1'], now=pki.now)


@pytest.mark.parametrize('value, expected', [
    (None, '*'), ('', '*'), (' * ', '*'), ('192.0.2.10', '192.0.2.10'), ('[2001:db8:0::10]', '[2001:db8::10]'),
])
def test_binding_ip_accepted(value, expected):
    from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import binding_ip
    assert binding_ip(value) == expected


@pytest.mark.parametrize('value, fragment', [
    ('2001:db8::10', 'without brackets; IIS binding information is "IP:PORT:HOST", so write it as "[2001:db8::10]"'),
    ('[192.0.2.10]', 'is not an IPv6 address in brackets'),
    ('[nonsense]', 'is not an IPv6 address in brackets'),
    ('999.1.2.3', 'is not an IP address'),
    ('www.example.hk', 'is not an IP address'),
])
def test_binding_ip_refused(value, fragment):
    from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import binding_ip
    with pytest.raises(HkpostError, match='ip "%s"' % re.escape(value)) as err:
        binding_ip(value)
    assert fragment in str(err.value)


def test_current_bindings_skip_http_and_read_flags():
    from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import current_bindings
    sites = [{'name': 'a', 'bindings': [{'protocol': 'HTTPS', 'binding_information': '10.0.0.5:443:', 'ssl_flags': '0'},
                                        {'protocol': 'http', 'binding_information': '*:80:'},
                                        {'protocol': None, 'binding_information': '*:81:'},
                                        {'protocol': 'https', 'binding_information': '*:443:Sni.Example.HK',
                                         'ssl_flags': None}]},
             {'name': 'empty'}]
    found = current_bindings(sites, None)
    assert [(b['endpoint'], b['sni'], b['ssl_flags'], b['thumbprint'], b['store']) for b in found] == [
        ('10.0.0.5:443', False, 0, None, None), ('0.0.0.0:443', False, 0, None, None)]
    assert current_bindings(None, {}) == []
