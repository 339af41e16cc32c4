# -*- coding: utf-8 -*-
"""What needs renewing: the audit's fleet-to-renew.json, or a plain list, selects entries of a host's list."""

from __future__ import annotations

import json

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._renewal_selection import (
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
    mail = {'host': 'ex1', 'server_name': 'mail.example.hk', 'inventory_name': 'ex1'}
    # Exchange with no services listed: what the exchange role enables by default, IIS and SMTP
    # the inventory name beside the address (issue 22): the closing audit's reports and to-renew list name web1
    assert binding_endpoints(hosts) == [{'host': '192.0.2.1', 'port': 443, 'server_name': 'www.example.hk',
                                         'inventory_name': 'web1'},
                                        dict(mail, port=443), dict(mail, port=25, starttls='smtp'),
                                        dict(mail, port=587, starttls='smtp')]


def test_exchange_endpoints_follow_each_certificates_services_or_the_hosts_served_ports():
    imap = {'common_name': 'imap.example.hk', 'exchange_services': ['pop', 'IMAP']}
    ex1 = {'inventory_hostname': 'ex1', 'ansible_host': '192.0.2.9', 'hkpost_platform': 'exchange',
           'hkpost_certificates': [imap]}
    at = {'host': '192.0.2.9', 'server_name': 'imap.example.hk', 'inventory_name': 'ex1'}
    assert binding_endpoints([ex1]) == [dict(at, port=993), dict(at, port=143, starttls='imap'),
                                        dict(at, port=995), dict(at, port=110, starttls='pop3')]
    # the exchange role's default services, when the certificate lists none
    ex2 = dict(ex1, hkpost_certificates=[{'common_name': 'imap.example.hk'}], hkpost_exchange_services=['IMAP'])
    assert binding_endpoints([ex2]) == [dict(at, port=993), dict(at, port=143, starttls='imap')]
    # hkpost_served_ports overrides the services' ports, as in audit.yml
    ex3 = dict(ex1, hkpost_served_ports=[8443, {'port': 2525, 'starttls': 'smtp'}])
    assert binding_endpoints([ex3]) == [dict(at, port=8443), dict(at, port=2525, starttls='smtp')]
    with pytest.raises(HkpostError, match="exchange_services entry 'FAX' is not one of"):
        binding_endpoints([dict(ex1, hkpost_certificates=[{'common_name': 'x.example.hk', 'exchange_services': ['FAX']}])])


def test_the_closing_audits_to_renew_list_selects_the_hosts_when_fed_back():
    """Issue 22: renew.yml's closing audit named hosts by address (ansible_host), so its to-renew list, given back as
    hkpost_renew_list_file, selected nothing. Endpoints carry the inventory name, and the list names the host."""
    import json
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import to_renew
    certs = [{'common_name': 'www.example.hk', 'iis_bindings': [{'site': 'S', 'host_header': 'www.example.hk'}]}]
    [endpoint] = binding_endpoints([{'inventory_hostname': 'web1', 'ansible_host': '192.0.2.1',
                                     'hkpost_certificates': certs}])
    leaf = {'sha256': 'AB' * 32, 'subject_cn': 'www.example.hk', 'is_ca': False, 'not_after': '2027-01-01'}
    audit = {'endpoints': [dict(endpoint, verdict='warning', days_left=9, served=[leaf],
                                findings=[{'code': 'expiring', 'certificate': leaf['sha256'], 'message': 'm'}])]}
    listed = json.dumps(to_renew(audit, warn_days=30))
    assert select_for_renewal(certs, listed, 'web1') == certs
    assert select_for_renewal(certs, listed, '192.0.2.1') == []
