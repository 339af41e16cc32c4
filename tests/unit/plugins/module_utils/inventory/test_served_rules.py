# -*- coding: utf-8 -*-
"""Held versus served, rule by rule (issue 21): the audit index, and each certificate judged on each host."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._served import (
    audit_index, judge_served, served_status)


def _endpoint(host, port, server_name, served, inventory_name=None, verdict='ok'):
    endpoint = {'host': host, 'port': port, 'server_name': server_name, 'verdict': verdict, 'served': served}
    if inventory_name:
        endpoint['inventory_name'] = inventory_name
    return endpoint


LEAF = {'sha256': 'L1', 'subject_cn': 'www.example.hk', 'is_ca': False}
INTER = {'sha256': 'I1', 'subject_cn': 'Hongkong Post e-Cert SSL CA 3 - 17', 'is_ca': True}


@pytest.mark.parametrize('audit', [None, {}, []])
def test_no_audit_is_no_index(audit):
    assert audit_index(audit) is None


@pytest.mark.parametrize('audit', ['report', {'endpoints': 'x'}, {'msg': 'other'}])
def test_an_audit_of_another_shape_is_refused(audit):
    with pytest.raises(ValueError, match='registered result of hkpost.ecert.hkpost_served_chain'):
        audit_index(audit)


def test_the_index_is_by_inventory_name_with_the_leaf_served_first_found():
    index = audit_index({'endpoints': [
        _endpoint('192.0.2.10', 443, 'WWW.Example.HK', [INTER, LEAF], inventory_name='web1'),
        _endpoint('web2.example.hk', 8443, None, [INTER]),
        _endpoint('web3.example.hk', 443, '', []),
    ]})
    assert index['web1'] == [{'endpoint': '192.0.2.10:443 (WWW.Example.HK)', 'sha256': 'L1', 'port': 443,
                              'server_name': 'www.example.hk', 'subject_cn': 'www.example.hk', 'verdict': 'ok'}]
    assert index['web2.example.hk'][0]['sha256'] == 'I1' and index['web2.example.hk'][0]['endpoint'] == \
        'web2.example.hk:8443'
    assert index['web2.example.hk'][0]['server_name'] is None
    assert index['web3.example.hk'][0]['sha256'] is None and index['web3.example.hk'][0]['subject_cn'] is None


def _entry(sha256='L1', consumers=(), is_ca=False):
    return {'sha256': sha256, 'consumers': list(consumers), 'is_ca': is_ca, 'served_on': [], 'not_served_on': [],
            'not_audited_on': []}


def _consumer(host='web1', ports=(443,), server_name=None):
    return {'host': host, 'ports': list(ports), 'server_name': server_name}


def _judged(entry):
    return entry['served_on'], entry['not_served_on'], entry['not_audited_on']


def test_an_unreadable_certificate_is_not_judged():
    entry = _entry(sha256=None, consumers=[_consumer()])
    judge_served(entry, 'web1', [{'sha256': None, 'port': 443, 'server_name': None}], set())
    assert _judged(entry) == ([], [], [])


def test_served_when_an_endpoint_of_the_host_serves_it():
    entry = _entry()
    judge_served(entry, 'web1', [{'sha256': 'X', 'port': 443, 'server_name': None},
                                 {'sha256': 'L1', 'port': 8443, 'server_name': None}], set())
    assert _judged(entry) == (['web1'], [], [])


def test_nothing_using_it_on_the_host_is_no_judgement():
    entry = _entry(consumers=[_consumer(host='web2')])
    judge_served(entry, 'web1', [{'sha256': 'X', 'port': 443, 'server_name': None}], set())
    assert _judged(entry) == ([], [], [])


def test_no_endpoints_means_not_audited():
    entry = _entry(consumers=[_consumer()])
    judge_served(entry, 'web1', None, set())
    assert _judged(entry) == ([], [], ['web1'])


def test_a_port_the_audit_did_not_probe_is_not_audited():
    entry = _entry(consumers=[_consumer(ports=[3389])])
    judge_served(entry, 'web1', [{'sha256': 'X', 'port': 443, 'server_name': None}], set())
    assert _judged(entry) == ([], [], ['web1'])


def test_an_sni_consumer_is_not_served_only_where_its_name_was_asked():
    entry = _entry(consumers=[_consumer(server_name='www.example.hk')])
    judge_served(entry, 'web1', [{'sha256': 'X', 'port': 443, 'server_name': 'www.example.hk'}], set())
    assert _judged(entry) == ([], ['web1'], [])
    entry = _entry(consumers=[_consumer(server_name='www.example.hk')])
    judge_served(entry, 'web1', [{'sha256': 'X', 'port': 443, 'server_name': 'shop.example.hk'}], set())
    assert _judged(entry) == ([], [], ['web1'])


def test_a_port_consumer_is_not_served_under_a_name_no_sni_mapping_claims():
    entry = _entry(consumers=[_consumer()])
    judge_served(entry, 'web1', [{'sha256': 'X', 'port': 443, 'server_name': 'www.example.hk'}], set())
    assert _judged(entry) == ([], ['web1'], [])
    entry = _entry(consumers=[_consumer()])
    judge_served(entry, 'web1', [{'sha256': 'X', 'port': 443, 'server_name': 'www.example.hk'}],
                 {(443, 'www.example.hk')})
    assert _judged(entry) == ([], [], ['web1'])


def test_a_ca_certificate_is_never_called_not_served():
    entry = _entry(consumers=[_consumer()], is_ca=True)
    judge_served(entry, 'web1', [{'sha256': 'X', 'port': 443, 'server_name': None}], set())
    assert _judged(entry) == ([], [], ['web1'])


@pytest.mark.parametrize('judged, status', [
    ({}, 'not used'),
    ({'not_audited_on': ['web1']}, 'not audited'),
    ({'served_on': ['web1'], 'not_audited_on': ['web2']}, 'served'),
    ({'served_on': ['web1'], 'not_served_on': ['web2']}, 'not served'),
])
def test_status_not_served_wins_then_served_then_not_audited(judged, status):
    entry = _entry()
    entry.update(judged)
    assert served_status(entry, {}) == status
    assert served_status(entry, None) == 'no audit given'


def test_an_endpoint_without_a_served_list_serves_nothing():
    index = audit_index({'endpoints': [{'host': 'web1', 'port': 443, 'server_name': None, 'served': None}]})
    assert index['web1'][0]['sha256'] is None and index['web1'][0]['endpoint'] == 'web1:443'
