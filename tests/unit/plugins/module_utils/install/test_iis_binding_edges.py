# -*- coding: utf-8 -*-
"""Edges of the IIS binding plan and certificate choice (issue 14 section 3: edits the other tests let
through): which binding is "the same", when a shared non-SNI mapping is a conflict, which http.sys mappings
override SNI, what a rollback puts back, and which certificate wins when several serve the name."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import (
    binding_ip, current_bindings, parse_binding_information, plan, public, rollback_steps, select_certificate)
from tests.support.iis_binding_inputs import A, B, want, site, entry

DAY = datetime.timedelta(days=1)


# ---- which existing binding is the one asked for ---------------------------------------------------------

@pytest.mark.parametrize('other', [dict(ip='10.0.0.5'), dict(port=8443), dict(host='shop.example.hk'),
                                   dict(site='other')])
def test_a_binding_differing_in_ip_port_host_or_site_is_a_new_binding(other):
    sites = [site('web', ('*:443:www.example.hk', 1)), site('other')]
    sslcert = {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'My'}]}
    assert plan(sites, sslcert, want())['changed'] is False
    result = plan(sites, sslcert, want(**other))
    assert result['before'] is None and [s['kind'] for s in result['steps']] == ['binding_add']


def test_the_host_header_is_matched_case_insensitively():
    sites = [site('web', ('*:443:WWW.Example.HK', 1))]
    sslcert = {'hostnameport': [{'endpoint': 'WWW.EXAMPLE.HK:443', 'thumbprint': A.lower(), 'store': 'My'}]}
    result = plan(sites, sslcert, want(host='www.EXAMPLE.hk'))
    assert result['changed'] is False and result['before']['thumbprint'] == A


def test_the_store_is_compared_case_insensitively_but_a_real_store_change_is_a_write():
    sites = [site('web', ('*:443:www.example.hk', 1))]
    sslcert = {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'MY'}]}
    assert plan(sites, sslcert, want(store='my'))['changed'] is False
    steps = plan(sites, sslcert, want(store='WebHosting'))['steps']
    assert [(s['kind'], s['store']) for s in steps] == [('binding_replace', 'WebHosting')]


def test_turning_sni_off_is_a_write_with_the_operator_bits_kept():
    sites = [site('web', ('*:443:www.example.hk', 1 | 8))]
    sslcert = {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': A, 'store': 'My'}],
               'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': A, 'store': 'My'}]}
    result = plan(sites, sslcert, want(sni=False))
    assert [(s['kind'], s['ssl_flags']) for s in result['steps']] == [('binding_replace', 8)]
    assert result['after']['sni'] is False and result['before']['sni'] is True


def test_absent_removes_only_the_matching_binding():
    sites = [site('web', ('*:443:www.example.hk', 1), ('*:443:shop.example.hk', 1))]
    result = plan(sites, {}, want(state='absent', host='shop.example.hk'))
    assert result['steps'] == [{'kind': 'binding_remove',
                                'binding_information': '*:443:shop.example.hk'}]
    assert result['after'] is None and result['changed'] is True


# ---- shared non-SNI mappings ------------------------------------------------------------------------------

def test_sites_sharing_an_endpoint_without_a_mapping_yet_are_not_a_conflict():
    sites = [site('a', ('*:443:', 0)), site('b', ('*:443:', 0))]
    result = plan(sites, {}, want(site='a', host='', sni=False))
    assert result['shared_with'] == ['b'] and [s['kind'] for s in result['steps']] == ['binding_replace']


def test_an_sni_binding_on_the_same_port_does_not_share_the_ipport_mapping():
    sites = [site('a', ('*:443:', 0)), site('b', ('*:443:b.example.hk', 1))]
    sslcert = {'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': B}]}
    result = plan(sites, sslcert, want(site='a', host='', sni=False))
    assert result['shared_with'] == [] and result['steps'][0]['thumbprint'] == A


def test_a_binding_on_another_ip_does_not_share_the_wildcard_mapping():
    sites = [site('a', ('*:443:', 0)), site('b', ('10.0.0.5:443:', 0))]
    sslcert = {'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': B}, {'endpoint': '10.0.0.5:443', 'thumbprint': B}]}
    assert plan(sites, sslcert, want(site='a', host='', sni=False))['shared_with'] == []
    with pytest.raises(HkpostError, match=r'ipport=10.0.0.5:443, shared by site\(s\) b,'):
        plan(sites + [site('a2', ('10.0.0.5:443:', 0))], sslcert, want(site='a2', ip='10.0.0.5', host='', sni=False))


def test_no_conflict_when_the_shared_mapping_already_holds_the_certificate_in_another_case():
    sites = [site('a', ('*:443:', 0)), site('b', ('*:443:', 0))]
    sslcert = {'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': A.lower(), 'store': 'My'}]}
    result = plan(sites, sslcert, want(site='a', host='', sni=False))
    assert result['shared_with'] == ['b'] and result['changed'] is False


# ---- http.sys ipport mappings that override SNI ------------------------------------------------------------

def test_wildcard_ipv6_and_ipv4_mappings_never_override_sni():
    sslcert = {'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': B}, {'endpoint': '[::]:443', 'thumbprint': B}]}
    assert plan([site('web')], sslcert, want())['sni_overrides'] == []


def test_an_override_names_the_non_sni_sites_using_it_and_not_the_sni_ones():
    sites = [site('web'), site('legacy', ('10.0.0.5:443:', 0)), site('sni', ('10.0.0.5:443:x.example.hk', 1))]
    sslcert = {'ipport': [{'endpoint': '10.0.0.5:443', 'thumbprint': B.lower()}]}
    overrides = plan(sites, sslcert, want(ip=''))['sni_overrides']
    assert [(o['endpoint'], o['thumbprint'], o['sites']) for o in overrides] == [('10.0.0.5:443', B, ['legacy'])]


# ---- reading the host and rollback -------------------------------------------------------------------------

def test_binding_information_without_an_ip_means_all_addresses():
    assert parse_binding_information(':443:WWW.example.hk') == ('*', 443, 'www.example.hk')
    assert parse_binding_information('[2001:db8::10]:8443:') == ('[2001:db8::10]', 8443, '')


def test_current_bindings_read_the_certificate_of_each_kind_of_mapping():
    sites = [site('a', ('10.0.0.5:443:', 0), ('*:443:Sni.Example.HK', 1))]
    sslcert = {'ipport': [{'endpoint': '10.0.0.5:443', 'thumbprint': 'ab' * 20, 'store': 'My'}],
               'hostnameport': [{'endpoint': 'sni.example.hk:443', 'thumbprint': 'cd' * 20, 'store': 'WebHosting'}]}
    found = current_bindings(sites, sslcert)
    assert [(b['endpoint'], b['thumbprint'], b['store'], b['sni']) for b in found] == [
        ('10.0.0.5:443', 'AB' * 20, 'My', False), ('sni.example.hk:443', 'CD' * 20, 'WebHosting', True)]
    assert public(found[1]) == {'site': 'a', 'ip': '*', 'port': 443, 'host': 'sni.example.hk', 'sni': True,
                                'ssl_flags': 1, 'thumbprint': 'CD' * 20, 'store': 'WebHosting'}
    assert public(None) is None


def test_rollback_puts_the_previous_certificate_flags_and_store_back():
    previous = {'binding_information': '*:443:www.example.hk', 'ssl_flags': 9, 'thumbprint': B, 'store': 'WebHosting'}
    assert rollback_steps(previous, '*:443:www.example.hk') == [
        {'kind': 'binding_replace', 'binding_information': '*:443:www.example.hk', 'ssl_flags': 9,
         'thumbprint': B, 'store': 'WebHosting'}]
    bare = dict(previous, thumbprint=None, store=None)
    step = rollback_steps(bare, '*:443:www.example.hk')[0]
    assert (step['thumbprint'], step['store']) == ('', 'My')


def test_a_plan_of_an_existing_binding_remembers_it_for_rollback():
    sites = [site('web', ('*:443:www.example.hk', 1))]
    sslcert = {'hostnameport': [{'endpoint': 'www.example.hk:443', 'thumbprint': B, 'store': 'My'}]}
    result = plan(sites, sslcert, want())
    assert result['previous']['thumbprint'] == B and result['steps'][0]['thumbprint'] == A


@pytest.mark.parametrize('value, expected', [('[::1]', '[::1]'), ('10.0.0.5 ', '10.0.0.5'), ('0.0.0.0', '0.0.0.0')])
def test_binding_ip_normalises(value, expected):
    assert binding_ip(value) == expected


# ---- certificate choice ------------------------------------------------------------------------------------

def test_an_exact_name_beats_a_newer_wildcard(pki):
    exact = entry(pki.leaves['standard'])
    newer_wildcard = entry(pki.issue_leaf('*.example.hk', sans=['*.example.hk'], not_before=pki.now - DAY,
                                          slot='leaf-newer-wildcard'))
    assert newer_wildcard['not_before'] > exact['not_before']
    chosen = select_certificate([exact, newer_wildcard], common_name='WWW.example.hk', now=pki.now)
    assert chosen['sha1'] == exact['sha1']


def test_between_equals_the_later_expiry_wins(pki):
    start = pki.now - 10 * DAY
    short = entry(pki.issue_leaf('www.example.hk', not_before=start, not_after=start + 90 * DAY, slot='leaf-short'))
    long_ = entry(pki.issue_leaf('www.example.hk', not_before=start, not_after=start + 300 * DAY, slot='leaf-long'))
    for order in ([short, long_], [long_, short]):
        assert select_certificate(order, common_name='www.example.hk', now=pki.now)['sha1'] == long_['sha1']


def test_an_expired_certificate_is_never_chosen_even_if_newest(pki):
    valid = entry(pki.leaves['standard'])
    expired_newer = entry(pki.issue_leaf('www.example.hk', not_before=pki.now - 20 * DAY,
                                         not_after=pki.now - DAY, slot='leaf-expired-newer'))
    assert select_certificate([valid, expired_newer], common_name='www.example.hk', now=pki.now)['sha1'] == valid['sha1']
    with pytest.raises(HkpostError, match='expired'):
        select_certificate([expired_newer], thumbprint=expired_newer['sha1'], now=pki.now)


def test_an_intermediate_is_not_a_server_certificate(pki):
    inter = entry(pki.ssl_new)
    name = inter['subject_cn']
    with pytest.raises(HkpostError) as err:
        select_certificate([inter], common_name=name, now=pki.now)
    if 'none names it' in str(err.value):
        pytest.skip('the intermediate does not name itself as a host')
    assert 'not a server certificate' in str(err.value)


def test_refusal_reasons_name_each_candidate_in_priority_order(pki):
    no_key_expired = entry(pki.leaves['expired'], key=False)
    foreign_no_key = entry(pki.leaves['foreign'], key=False)
    with pytest.raises(HkpostError, match=r'old.example.hk.*: no private key'):
        select_certificate([no_key_expired], common_name='old.example.hk', now=pki.now)
    with pytest.raises(HkpostError, match=r': no private key'):
        select_certificate([foreign_no_key], common_name='www.example.com', now=pki.now)
    expired_foreign = entry(pki.issue_leaf('www.example.com', issuer=pki.foreign_root, not_before=pki.now - 99 * DAY,
                                           not_after=pki.now - DAY, slot='leaf-foreign-expired'))
    with pytest.raises(HkpostError, match=r': expired'):
        select_certificate([expired_foreign], common_name='www.example.com', now=pki.now)


def test_a_wildcard_serves_a_host_header_one_label_below(pki):
    wildcard = entry(pki.leaves['wildcard'])
    assert select_certificate([wildcard], thumbprint=wildcard['sha1'], host='shop.example.hk', now=pki.now) is wildcard
    with pytest.raises(HkpostError, match='does not serve the host header "a.b.example.hk"'):
        select_certificate([wildcard], thumbprint=wildcard['sha1'], host='a.b.example.hk', now=pki.now)
    # no host header (a non-SNI binding): any certificate the store holds for the name
    assert select_certificate([wildcard], thumbprint=wildcard['sha1'], host='', now=pki.now) is wildcard
