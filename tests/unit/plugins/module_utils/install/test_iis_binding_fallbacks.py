# -*- coding: utf-8 -*-
"""What the IIS binding plan does with blank or missing host data, half-bracketed addresses, odd SNI host
headers, and what its refusals say (issue 14 section 3: edits the other binding tests let through).

The host's description (sites, http.sys mappings, store entries) comes from PowerShell payloads, where a
missing value arrives as null or "": each fallback here is the difference between a plain answer and a
Python traceback, or between the binding asked for and a different one."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import (
    binding_information, binding_ip, current_bindings, plan, select_certificate)
from tests.support.iis_binding_inputs import A, B, want, site, entry


# ---- addresses -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('value', ['[2001:db8::10', '2001:db8::10]', '[::1', '::1]'])
def test_an_ipv6_address_with_one_bracket_is_refused_not_trimmed(value):
    # Trimming one character off each end would turn "[2001:db8::10" into the valid, different, 2001:db8::1.
    with pytest.raises(HkpostError, match='ip "%s" is not an IP address' % value.replace('[', r'\[')):
        binding_ip(value)


def test_binding_information_keeps_a_specific_address_and_host():
    assert binding_information('10.0.0.5', 443, 'www.example.hk') == '10.0.0.5:443:www.example.hk'
    assert binding_information('[2001:db8::10]', 8443, '') == '[2001:db8::10]:8443:'
    result = plan([site('web')], {}, want(ip='10.0.0.5'))
    assert [s['binding_information'] for s in result['steps']] == ['10.0.0.5:443:www.example.hk']


def test_a_null_binding_information_is_a_clear_error_not_a_traceback():
    sites = [{'name': 'web', 'bindings': [{'protocol': 'https', 'binding_information': None}]}]
    with pytest.raises(HkpostError, match='IIS binding information "None" is not "IP:PORT:HOST"'):
        current_bindings(sites, {})


# ---- null or blank values from the host ---------------------------------------------------------------------

def test_a_mapping_with_a_blank_store_reads_as_unknown():
    sslcert = {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': ''}]}
    before = plan([site('web', ('*:443:www.example.hk', 1))], sslcert, want())['before']
    assert before['store'] is None and before['thumbprint'] == A


def test_no_sslcert_description_at_all_means_no_overrides():
    result = plan([site('web', ('*:443:www.example.hk', 1))], None, want())
    assert result['sni_overrides'] == [] and [s['kind'] for s in result['steps']] == ['binding_replace']


def test_a_mapping_without_a_thumbprint_is_reported_not_a_traceback():
    sslcert = {'ipport': [{'endpoint': '10.0.0.5:443'}]}
    overrides = plan([site('web')], sslcert, want())['sni_overrides']
    assert [(o['endpoint'], o['thumbprint']) for o in overrides] == [('10.0.0.5:443', '')]
    # a shared non-SNI mapping without a certificate differs from the one asked for: refused as shared
    sites = [site('a', ('*:443:', 0)), site('b', ('*:443:', 0))]
    with pytest.raises(HkpostError, match=r'shared by site\(s\) b'):
        plan(sites, {'ipport': [{'endpoint': '0.0.0.0:443'}]}, want(site='a', host='', sni=False))


def test_no_sites_at_all_is_a_clear_error():
    with pytest.raises(HkpostError, match='IIS site "web" does not exist on this host; sites: none.'):
        plan(None, {}, want())


def test_a_null_ip_means_all_addresses_and_finds_the_existing_binding():
    sslcert = {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'My'}]}
    result = plan([site('web', ('*:443:www.example.hk', 1))], sslcert, want(ip=None))
    assert result['changed'] is False and result['before']['ip'] == '*'


def test_a_null_host_header_means_no_host_header():
    sslcert = {'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': A, 'store': 'My'}]}
    result = plan([site('web', ('*:443:', 0))], sslcert, want(host=None, sni=False))
    assert result['changed'] is False and result['before']['host'] == ''


# ---- which bindings use an http.sys ipport mapping ---------------------------------------------------------

def test_an_sni_binding_whose_host_header_is_the_address_does_not_use_the_ipport_mapping():
    # Clients never send an IP address as SNI (RFC 6066 3), and http.sys keeps that binding's certificate
    # under hostnameport=10.0.0.5:443: it is neither a user of ipport=10.0.0.5:443 nor a site sharing it.
    odd = site('odd', ('*:443:10.0.0.5', 1))
    sslcert = {'ipport': [{'endpoint': '10.0.0.5:443', 'thumbprint': B}]}
    overrides = plan([site('web'), odd], sslcert, want())['sni_overrides']
    assert [o['sites'] for o in overrides] == [[]]
    assert 'used by no IIS binding' in overrides[0]['message']
    result = plan([site('legacy', ('10.0.0.5:443:', 0)), odd], sslcert,
                  want(site='legacy', ip='10.0.0.5', host='', sni=False))
    assert result['shared_with'] == [] and result['steps'][0]['thumbprint'] == A


def test_an_override_message_names_the_sites_using_the_mapping():
    sslcert = {'ipport': [{'endpoint': '10.0.0.5:443', 'thumbprint': B}]}
    used = plan([site('web'), site('legacy', ('10.0.0.5:443:', 0))], sslcert, want())['sni_overrides']
    assert '(certificate %s, used by legacy)' % B in used[0]['message']
    stray = plan([site('web')], sslcert, want())['sni_overrides']
    assert '(certificate %s, used by no IIS binding)' % B in stray[0]['message']


# ---- what the certificate refusals say ---------------------------------------------------------------------

def test_a_missing_thumbprint_lists_what_the_store_holds(pki):
    standard = entry(pki.leaves['standard'])
    with pytest.raises(HkpostError) as err:
        select_certificate([standard], thumbprint=A, now=pki.now)
    assert 'it holds: www.example.hk (thumbprint %s' % standard['sha1'] in str(err.value)
    with pytest.raises(HkpostError, match='is not in the store; it holds: nothing.'):
        select_certificate([], thumbprint=A, now=pki.now)


def test_a_keyless_expired_thumbprint_is_refused_for_its_key_first_as_by_name(pki):
    # The same priority as the by-name refusal reasons (no private key, then expired).
    expired = entry(pki.leaves['expired'], key=False)
    with pytest.raises(HkpostError, match='has no private key'):
        select_certificate([expired], thumbprint=expired['sha1'], now=pki.now)
    with pytest.raises(HkpostError, match='old.example.hk.*: no private key'):
        select_certificate([expired], common_name='old.example.hk', now=pki.now)


def test_a_host_header_refusal_names_the_certificate_names_or_its_cn(pki):
    multi = entry(pki.issue_leaf('a.example.hk', sans=['a.example.hk', 'b.example.hk'], slot='leaf-a-b'))
    with pytest.raises(HkpostError, match=r'\(it names a.example.hk, b.example.hk\)'):
        select_certificate([multi], thumbprint=multi['sha1'], host='c.example.hk', now=pki.now)
    legacy = entry(pki.issue_leaf('legacy.example.hk', sans=[], slot='leaf-no-san'))
    assert legacy['dns_names'] == []
    with pytest.raises(HkpostError, match=r'\(it names legacy.example.hk\)'):
        select_certificate([legacy], thumbprint=legacy['sha1'], host='c.example.hk', now=pki.now)
