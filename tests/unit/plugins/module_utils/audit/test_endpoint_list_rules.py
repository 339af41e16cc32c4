# -*- coding: utf-8 -*-
"""Where audit endpoints come from, rule by rule (issue 21): the list file's ports and the inventory's defaults."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._endpoint_list import (
    exchange_service_ports, host_ports, inventory_endpoints, parse_endpoint_list)


def _ports(text):
    return [(e['host'], e['port']) for e in parse_endpoint_list(text)]


def test_a_bracketed_ipv6_address_takes_its_port_after_the_colon():
    assert _ports('[2001:db8::10]:8443 www.example.hk') == [('2001:db8::10', 8443)]
    assert _ports('[2001:db8::10] www.example.hk') == [('2001:db8::10', 443)]


def test_anything_but_a_colon_port_after_the_brackets_is_refused():
    # Before: "[2001:db8::10]8443" was read as port 443, and the wrong port audited without a word.
    with pytest.raises(HkpostError, match=r"line 1: '8443' after the IPv6 address is not \":port\""):
        parse_endpoint_list('[2001:db8::10]8443 www.example.hk')


def test_an_empty_port_means_443():
    assert _ports('www.example.hk:') == [('www.example.hk', 443)]


@pytest.mark.parametrize('port', ['1', '65535'])
def test_ports_1_and_65535_are_ports(port):
    assert _ports('www.example.hk:' + port) == [('www.example.hk', int(port))]


@pytest.mark.parametrize('port', ['0', '65536'])
def test_ports_0_and_65536_are_refused(port):
    with pytest.raises(HkpostError, match='port %r is not 1-65535' % port):
        parse_endpoint_list('www.example.hk:' + port)


def test_no_list_text_is_no_endpoint():
    assert parse_endpoint_list(None) == [] and parse_endpoint_list('# only a comment\n\n') == []


def test_exchange_without_services_serves_iis_and_smtp():
    assert [p['port'] for p in exchange_service_ports(None, 'mx1')] == [443, 25, 587]


@pytest.mark.parametrize('certificates', [None, [None], [{'exchange_services': None}]])
def test_exchange_certificates_without_services_mean_the_default_services(certificates):
    hv = {'inventory_hostname': 'mx1', 'hkpost_platform': 'exchange', 'hkpost_certificates': certificates}
    assert [p['port'] for p in host_ports(hv, 'mx1')] == [443, 25, 587]


def test_served_ports_override_everything_else():
    hv = {'hkpost_platform': 'exchange', 'hkpost_served_port': 8443,
          'hkpost_served_ports': ['8443', {'port': '25', 'starttls': 'smtp'}]}
    assert host_ports(hv, 'mx1') == [{'port': 8443}, {'port': 25, 'starttls': 'smtp'}]


@pytest.mark.parametrize('given, message', [
    ('8443', 'mx1: hkpost_served_ports must be a list of ports'),
    ([{'starttls': 'smtp'}], 'mx1: hkpost_served_ports entry .* has no port number'),
    (['https'], 'mx1: hkpost_served_ports entry .* has no port number'),
])
def test_served_ports_that_are_not_a_list_of_ports_are_refused(given, message):
    with pytest.raises(HkpostError, match=message):
        host_ports({'hkpost_served_ports': given}, 'mx1')


def test_a_host_without_served_names_serves_its_inventory_name():
    got = inventory_endpoints([{'inventory_hostname': 'web1', 'ansible_host': '192.0.2.10'}])
    assert got == [{'host': '192.0.2.10', 'port': 443, 'server_name': 'web1', 'inventory_name': 'web1'}]


def test_no_host_variables_is_no_endpoint():
    assert inventory_endpoints(None) == []
