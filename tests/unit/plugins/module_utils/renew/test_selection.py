# -*- coding: utf-8 -*-
"""What needs renewing: the audit's fleet-to-renew.json, or a plain list, selects entries of a host's list."""

from __future__ import annotations

import json

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.renew._selection import (
    binding_endpoints, parse_renew_list, select_for_renewal)
from tests.support.pki import IDN_ASCII, IDN_UNICODE

CERTS = [{'common_name': 'www.example.hk'}, {'common_name': IDN_UNICODE}, {'common_name': 'mail.example.hk'}]
AUDIT = {'generated': '2026-11-23 20:00 UTC', 'warn_days': 30,
         'certificates': [{'common_name': 'mail.example.hk', 'hosts': ['exch01'], 'status': 'expiring'},
                          {'common_name': IDN_ASCII, 'hosts': ['web1', 'web2'], 'status': 'expired'}],
         'hosts': {'exch01': [{'common_name': 'mail.example.hk', 'status': 'expiring'}],
                   'web1': [{'common_name': IDN_ASCII, 'status': 'expired'}],
                   'web2': [{'common_name': IDN_ASCII, 'status': 'expired'}]}}


def test_the_audits_to_renew_json_selects_per_host():
    text = json.dumps(AUDIT)
    assert select_for_renewal(CERTS, text, 'web1') == [{'common_name': IDN_UNICODE}]
    assert select_for_renewal(CERTS, text, 'exch01') == [{'common_name': 'mail.example.hk'}]
    assert select_for_renewal(CERTS, text, 'web9') == []
    # its certificates list alone (each with hosts) says the same
    assert select_for_renewal(CERTS, {'certificates': AUDIT['certificates']}, 'web2') == [{'common_name': IDN_UNICODE}]


def test_a_plain_list_and_no_list():
    assert select_for_renewal(CERTS, [{'host': 'web1', 'name': 'WWW.example.hk'}], 'web1') == [CERTS[0]]
    assert select_for_renewal(CERTS, None, 'web1') == CERTS
    with pytest.raises(HkpostError, match='needs host and common_name'):
        parse_renew_list([{'common_name': 'www.example.hk'}])
    with pytest.raises(HkpostError, match='not JSON'):
        parse_renew_list('{nope')


def test_endpoints_follow_bindings_and_exchange_names():
    hosts = [{'inventory_hostname': 'web1', 'ansible_host': '192.0.2.1', 'hkpost_certificates': [
        {'common_name': 'www.example.hk', 'iis_bindings': [{'site': 'S', 'host_header': 'WWW.example.hk'}, {'site': 'T'}]}]},
        {'inventory_hostname': 'ex1', 'hkpost_platform': 'exchange', 'hkpost_certificates': [
            {'common_name': '*.example.hk'}, {'common_name': 'mail.example.hk'}]}]
    assert binding_endpoints(hosts) == [{'host': '192.0.2.1', 'port': 443, 'server_name': 'www.example.hk'},
                                        {'host': 'ex1', 'port': 443, 'server_name': 'mail.example.hk'}]
