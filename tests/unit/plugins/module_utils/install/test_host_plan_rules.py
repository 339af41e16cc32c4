# -*- coding: utf-8 -*-
"""Rules of a host's IIS install plan (install/_host_plan.py), each named by its test (issue 21, mutation survivors
of its first run): what an iis_bindings entry means (host header, SNI, site, port, store), what a read answer
without stores, IIS or Exchange plans on, the friendly name a completion gets, which pending request it takes
away, and the IIS state the plan leaves for plan_retire (the binding on its own site, http.sys mapping it by
host name or by IP)."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._host_plan import desired_binding, plan_install
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from tests.support.windows.certstore import pending_entry, read_entry

DAY = datetime.timedelta(days=1)
SNI = 1  # IIS sslFlags bit 0: SNI


def _pending(leaf, cn):
    entry = pending_entry(leaf.key, cn)
    entry.pop('key', None)  # a read answer carries no key object
    return entry


def _issued(leaf, bindings=(), friendly_name=None):
    return {'leaf': cert_info(leaf.cert), 'der': leaf.der, 'friendly_name': friendly_name,
            'iis_bindings': list(bindings)}


def _state(sites=None, ipport=None, hostnameport=None, my=(), request=()):
    return {'stores': {'My': list(my), 'WebHosting': [], 'REQUEST': list(request)},
            'iis': {'sites': sites if sites is not None else [{'name': 'Web', 'bindings': []}],
                    'sslcert': {'ipport': list(ipport or []), 'hostnameport': list(hostnameport or [])}}}


@pytest.fixture(name='leaf', scope='module')
def _leaf(pki):
    return pki.issue_leaf('www.example.hk', not_before=pki.now - DAY)


@pytest.fixture(name='other', scope='module')
def _other(pki):
    return pki.issue_leaf('shop.example.hk', not_before=pki.now - DAY)


# desired_binding: an iis_bindings entry as the plan takes it


@pytest.mark.parametrize('host_header', [None, '', '   '])
def test_a_binding_without_host_header_is_a_non_sni_binding_for_every_name(host_header):
    desired = desired_binding({'site': 'Web', 'host_header': host_header}, 'AB' * 20)
    assert desired['host'] == '' and desired['sni'] is False


def test_a_host_header_means_sni_unless_sni_is_turned_off():
    assert desired_binding({'site': 'Web', 'host_header': 'www.example.hk'}, 'AB' * 20)['sni'] is True
    assert desired_binding({'site': 'Web', 'host_header': 'www.example.hk', 'sni': False}, 'AB' * 20)['sni'] is False


def test_a_wildcard_host_header_is_accepted():
    assert desired_binding({'site': 'Web', 'host_header': '*.example.hk'}, 'AB' * 20)['host'] == '*.example.hk'


def test_sni_without_a_host_header_is_refused():
    with pytest.raises(HkpostError, match='sni needs a host_header'):
        desired_binding({'site': 'Web', 'sni': True}, 'AB' * 20)


def test_a_binding_without_a_site_is_refused():
    with pytest.raises(HkpostError, match='needs site, the IIS site name'):
        desired_binding({'host_header': 'www.example.hk'}, 'AB' * 20)


@pytest.mark.parametrize('port', [True, 443.0, 'https'])
def test_a_port_that_is_not_a_whole_number_is_refused(port):
    with pytest.raises(HkpostError, match='is not a port number'):
        desired_binding({'site': 'Web', 'port': port}, 'AB' * 20)


@pytest.mark.parametrize('port', [1, '8443', 65535])
def test_ports_1_to_65535_are_accepted(port):
    assert desired_binding({'site': 'Web'}, 'AB' * 20)['port'] == 443  # not given: https's port
    assert desired_binding({'site': 'Web', 'port': port}, 'AB' * 20)['port'] == int(port)


@pytest.mark.parametrize('port', [-1, 65536, 70000])
def test_a_port_outside_1_to_65535_is_refused(port):
    with pytest.raises(HkpostError, match='port %d is out of range' % port):
        desired_binding({'site': 'Web', 'port': port}, 'AB' * 20)


def test_the_certificate_store_defaults_to_my_and_can_be_named():
    assert desired_binding({'site': 'Web'}, 'AB' * 20)['store'] == 'My'
    assert desired_binding({'site': 'Web', 'certificate_store': 'WebHosting'}, 'AB' * 20)['store'] == 'WebHosting'


# plan_install: what an answer without parts plans on


def test_an_answer_without_stores_iis_or_exchange_plans_nothing_on_empty_state():
    for state in ({}, {'stores': None, 'iis': None, 'exchange': None},
                  {'stores': {'My': None}, 'iis': {'sites': None, 'sslcert': None}},
                  {'iis': {'sslcert': {'ipport': None, 'hostnameport': None}}}):
        plan = plan_install(state, [])
        assert plan['complete'] == [] and plan['bindings'] == []
        assert plan['state_after']['iis'] == {'sites': [], 'sslcert': {'ipport': [], 'hostnameport': []}}
        assert plan['state_after']['exchange'] == {}
        assert all(v == [] for v in plan['stores_after'].values())


def test_the_exchange_part_of_the_answer_is_kept_in_the_state_after():
    exchange = {'present': True, 'known': True, 'certificates': []}
    assert plan_install({'exchange': exchange}, [])['state_after']['exchange'] == exchange


def test_a_request_store_answered_as_null_is_no_pending_request(leaf):
    state = _state(my=[read_entry(leaf)])
    state['stores']['REQUEST'] = None
    plan = plan_install(state, [_issued(leaf)])
    assert plan['complete'] == []


def test_a_certificate_without_iis_bindings_plans_no_binding(leaf):
    cert = dict(_issued(leaf), iis_bindings=None)
    assert plan_install(_state(my=[read_entry(leaf)]), [cert])['bindings'] == []


# completion: friendly name, the request taken away


def test_a_completion_gets_the_friendly_name_given_or_the_default(leaf):
    state = _state(request=[_pending(leaf, 'www.example.hk')])
    named = plan_install(state, [_issued(leaf, friendly_name='Shop 2027')])
    assert named['complete'][0]['friendly_name'] == 'Shop 2027'
    assert [e['friendly_name'] for e in named['stores_after']['My']] == ['Shop 2027']
    default = plan_install(state, [_issued(leaf)])
    expected = 'Hongkong Post e-Cert www.example.hk (expires %s)' % cert_info(leaf.cert)['not_after'][:10]
    assert default['complete'][0]['friendly_name'] == expected
    assert [e['friendly_name'] for e in default['stores_after']['My']] == [expected]


def test_a_completion_takes_away_only_its_own_pending_request(leaf, other):
    state = _state(request=[_pending(leaf, 'www.example.hk'), _pending(other, 'shop.example.hk')])
    plan = plan_install(state, [_issued(leaf)])
    assert [c['thumbprint'] for c in plan['complete']] == [leaf.thumbprint]
    assert [e['thumbprint'] for e in plan['stores_after']['REQUEST']] == [state['stores']['REQUEST'][1]['thumbprint']]


# the IIS state after the plan: what plan_retire reads


def test_the_new_binding_lands_on_its_own_site_only(leaf):
    sites = [{'name': 'Web', 'bindings': None}, {'name': 'Shop', 'bindings': []}]
    plan = plan_install(_state(sites=sites, my=[read_entry(leaf)]),
                        [_issued(leaf, [{'site': 'Web', 'host_header': 'www.example.hk'}])])
    after = {s['name']: s['bindings'] for s in plan['state_after']['iis']['sites']}
    assert after == {'Web': [{'protocol': 'https', 'binding_information': '*:443:www.example.hk', 'ssl_flags': SNI}],
                     'Shop': []}


def test_a_rebound_binding_replaces_its_old_entry_and_keeps_the_others(leaf, other):
    old = {'protocol': 'https', 'binding_information': '*:443:www.example.hk', 'ssl_flags': SNI}
    plain = {'protocol': 'http', 'binding_information': '*:80:'}
    sites = [{'name': 'Web', 'bindings': [plain, old]}]
    mapping = {'endpoint': 'www.example.hk:443', 'thumbprint': other.thumbprint, 'store': 'My'}
    untouched = {'endpoint': 'shop.example.hk:443', 'thumbprint': other.thumbprint, 'store': 'My'}
    plan = plan_install(_state(sites=sites, hostnameport=[mapping, untouched], my=[read_entry(leaf), read_entry(other)]),
                        [_issued(leaf, [{'site': 'Web', 'host_header': 'www.example.hk'}])])
    (site,) = plan['state_after']['iis']['sites']
    assert site['bindings'] == [plain, old]
    assert plan['state_after']['iis']['sslcert']['hostnameport'] == [
        untouched, {'endpoint': 'www.example.hk:443', 'thumbprint': leaf.thumbprint, 'store': 'My'}]
    assert plan['state_after']['iis']['sslcert']['ipport'] == []


@pytest.mark.parametrize('ip,endpoint', [(None, '0.0.0.0:443'), ('10.0.0.5', '10.0.0.5:443')])
def test_a_non_sni_binding_is_mapped_by_ip_and_port(leaf, ip, endpoint):
    plan = plan_install(_state(my=[read_entry(leaf)]), [_issued(leaf, [{'site': 'Web', 'ip': ip}])])
    sslcert = plan['state_after']['iis']['sslcert']
    assert sslcert['ipport'] == [{'endpoint': endpoint, 'thumbprint': leaf.thumbprint, 'store': 'My'}]
    assert sslcert['hostnameport'] == []


def test_a_mapping_of_the_same_endpoint_in_other_case_is_replaced(leaf, other):
    mapping = {'endpoint': 'WWW.Example.HK:443', 'thumbprint': other.thumbprint, 'store': 'My'}
    plan = plan_install(_state(hostnameport=[mapping], my=[read_entry(leaf)]),
                        [_issued(leaf, [{'site': 'Web', 'host_header': 'www.example.hk'}])])
    assert plan['state_after']['iis']['sslcert']['hostnameport'] == [
        {'endpoint': 'www.example.hk:443', 'thumbprint': leaf.thumbprint, 'store': 'My'}]


@pytest.mark.parametrize('port', [0, False])
def test_a_port_of_zero_is_refused_as_iis_binding_refuses_it(port):
    # iis_bindings take iis_binding's options (docs of hkpost_install); iis_binding refuses port 0
    # (tests/unit/plugins/action/test_bad_input_iis_binding.py "port zero"): 0 is not "no port, so 443".
    with pytest.raises(HkpostError, match='port 0 is out of range|port False is not a port number'):
        desired_binding({'site': 'Web', 'port': port}, 'AB' * 20)
