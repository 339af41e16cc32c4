# -*- coding: utf-8 -*-
"""Renewal-selection rules the mutation run (issue 21) found unpinned: each test is named after its rule."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._renewal_selection import (
    binding_endpoints, parse_renew_list, phase_summary_of, select_for_renewal)

CERTS = [{'common_name': 'www.example.hk'}, {'common_name': 'mail.example.hk'}]


def test_the_audits_per_host_map_alone_names_each_host():
    data = {'hosts': {'web1': [{'common_name': 'WWW.example.hk'}], 'web2': None}}
    assert parse_renew_list(data) == [{'host': 'web1', 'common_name': 'www.example.hk'}]


def test_an_entry_naming_its_host_keeps_it_over_a_hosts_list():
    assert parse_renew_list([{'host': 'web1', 'hosts': ['web2', 'web3'], 'common_name': 'www.example.hk'}]) == [
        {'host': 'web1', 'common_name': 'www.example.hk'}]
    assert parse_renew_list([{'hosts': ['web2', 'web3'], 'common_name': 'www.example.hk'}]) == [
        {'host': 'web2', 'common_name': 'www.example.hk'}, {'host': 'web3', 'common_name': 'www.example.hk'}]


@pytest.mark.parametrize('data', [{'generated': 'x'}, 5, '"text"', {'to_renew': 'www.example.hk'}])
def test_what_is_not_a_list_is_refused_naming_the_shape(data):
    with pytest.raises(HkpostError, match='must be a list of'):
        parse_renew_list(data)


@pytest.mark.parametrize('entry', ['www.example.hk', {'host': 'web1'}, {'host': 'web1', 'common_name': ''}, 7])
def test_an_entry_without_a_name_or_not_an_object_is_refused(entry):
    with pytest.raises(HkpostError, match='to-renew entry 0 needs host and common_name'):
        parse_renew_list([entry])


@pytest.mark.parametrize('key', ['common_name', 'name', 'server_name'])
def test_an_entry_may_name_the_certificate_by_any_of_three_keys(key):
    assert parse_renew_list([{'host': 'web1', key: 'Mail.Example.hk'}]) == [
        {'host': 'web1', 'common_name': 'mail.example.hk'}]


def test_a_host_without_certificates_selects_nothing():
    assert select_for_renewal(None, None, 'web1') == []
    assert select_for_renewal(None, [{'host': 'web1', 'common_name': 'www.example.hk'}], 'web1') == []


def test_a_host_without_certificates_has_no_endpoints():
    hosts = [{'inventory_hostname': 'web1'}, {'inventory_hostname': 'web2', 'hkpost_certificates': None}]
    assert binding_endpoints(hosts) == []


@pytest.mark.parametrize('certificates', [5, ['www.example.hk'], ({'common_name': 'a.example.hk'}, 'b')])
def test_certificates_that_are_not_a_list_of_entries_are_refused(certificates):
    with pytest.raises(HkpostError, match='host web1: hkpost_certificates must be a list of certificate entries'):
        binding_endpoints([{'inventory_hostname': 'web1', 'hkpost_certificates': certificates}])


def test_a_binding_port_is_kept_and_a_certificate_without_bindings_has_none():
    hosts = [{'inventory_hostname': 'web1', 'hkpost_certificates': [
        {'common_name': 'a.example.hk', 'iis_bindings': None},
        {'common_name': 'b.example.hk', 'iis_bindings': [{'host_header': 'b.example.hk', 'port': '8443'}]}]}]
    assert binding_endpoints(hosts) == [{'host': 'web1', 'port': 8443, 'server_name': 'b.example.hk',
                                         'inventory_name': 'web1'}]


def test_the_same_endpoint_is_listed_once():
    bindings = [{'host_header': 'www.example.hk'}, {'host_header': 'WWW.example.hk', 'port': 443}]
    cert = {'common_name': 'www.example.hk', 'iis_bindings': bindings}
    hosts = [{'inventory_hostname': 'web1', 'hkpost_certificates': [cert, cert]}]
    assert binding_endpoints(hosts) == [{'host': 'web1', 'port': 443, 'server_name': 'www.example.hk',
                                         'inventory_name': 'web1'}]


def test_phase_summary_sorts_hosts_counts_statuses_and_fails_hosts_without_a_row():
    summary = phase_summary_of({'web2': {'status': 'changed', 'detail': 'renewed'}, 'web1': None,
                                'web3': {'status': 'changed'}, 'web0': {'status': 'ok', 'detail': 'nothing due'}})
    assert [r['host'] for r in summary['rows']] == ['web0', 'web1', 'web2', 'web3']
    assert summary['rows'][1] == {'host': 'web1', 'status': 'failed', 'detail': 'no result recorded (unreachable?)'}
    assert summary['rows'][2] == {'host': 'web2', 'status': 'changed', 'detail': 'renewed'}
    assert summary['counts'] == {'ok': 1, 'failed': 1, 'changed': 2}
    assert summary['failed'] == ['web1']
    assert summary['table'][0].split() == ['HOST', 'STATUS', 'DETAIL']
    assert summary['table'][1].split() == ['web0', 'ok', 'nothing', 'due']
    assert summary['table'][4] == '%-14s %-8s ' % ('web3', 'changed')
