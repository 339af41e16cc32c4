# -*- coding: utf-8 -*-
"""The filters: every kind of wrong input is an AnsibleFilterError with a plain message (issue 14, section 1).

Each row is a real Jinja expression rendered by ansible-core's Templar with the collection's filters
resolved by their FQCN, exactly as a playbook would: the failure must come from our AnsibleFilterError
(not a TypeError/AttributeError escaping as a Python traceback) and say what was wrong and how to fix it.
Filters change nothing; what matters is that a playbook stops at them with a message a person can act on.
"""

from __future__ import annotations

import re

import pytest
from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

AUDIT = {'endpoints': [], 'summary': {}, 'trust': 'bundled'}
HOSTVARS = {'web1': {'inventory_hostname': 'web1'}, 'web2': {'inventory_hostname': 'web2'}}

# id, expression, message fragment (a regular expression).
TABLE = [
    ('endpoint_list of a dict', "{{ {'www.example.hk': 443} | hkpost.ecert.endpoint_list }}",
     r'endpoint_list takes the text of a list file \(one endpoint per line\), not a dictionary; read the file first'),
    ('endpoint_list of a list', "{{ ['www.example.hk'] | hkpost.ecert.endpoint_list }}", r'not a list'),
    ('endpoint_list of a number', "{{ 443 | hkpost.ecert.endpoint_list }}", r'not a number'),
    ('endpoint_list port not a number', "{{ 'www.example.hk:abc' | hkpost.ecert.endpoint_list }}",
     r"endpoint list line 1: port 'abc' is not 1-65535; write host:port"),
    ('endpoint_list port out of range', "{{ 'ok.example.hk\nwww.example.hk:70000' | hkpost.ecert.endpoint_list }}",
     r"endpoint list line 2: port '70000' is not 1-65535"),
    ('endpoint_list no host', "{{ ':443' | hkpost.ecert.endpoint_list }}", r'endpoint list line 1: no host before the port'),
    ('fleet_to_renew_json warn_days not a number', "{{ audit | hkpost.ecert.fleet_to_renew_json(warn_days='abc') }}",
     r"fleet_to_renew_json: warn_days 'abc' is not a whole number of days; give e\.g\. warn_days=30"),
    ('fleet_to_renew_json warn_days below zero', "{{ audit | hkpost.ecert.fleet_to_renew_json(warn_days=-1) }}",
     r'fleet_to_renew_json: warn_days is -1; give 0 or more days'),
    ('fleet_to_renew_json warn_days a boolean', "{{ audit | hkpost.ecert.fleet_to_renew_json(warn_days=true) }}",
     r'warn_days True is not a whole number of days'),
    ('fleet_to_renew_json revoked a text', "{{ audit | hkpost.ecert.fleet_to_renew_json(revoked='AB') }}",
     r'fleet_to_renew_json: revoked must be a list'),
    ('fleet_to_renew_json of a string', "{{ 'report' | hkpost.ecert.fleet_to_renew_json }}",
     r'fleet_to_renew_json: expected the registered result of hkpost\.ecert\.hkpost_served_chain'),
    ('served_endpoints port not a number',
     "{{ [{'inventory_hostname': 'web1', 'hkpost_served_port': 'abc'}] | hkpost.ecert.served_endpoints }}",
     r"served_endpoints: host web1: hkpost_served_port 'abc' is not a port number; give 1-65535"),
    ('served_endpoints port out of range',
     "{{ [{'inventory_hostname': 'web1', 'hkpost_served_port': 70000}] | hkpost.ecert.served_endpoints }}",
     r'served_endpoints: host web1: hkpost_served_port 70000 is not a port number'),
    ('served_endpoints of a dict', "{{ hostvars | hkpost.ecert.served_endpoints }}",
     r'served_endpoints: expects a list of host variables, not a dictionary; write e\.g\. groups\["ecert_servers"\]'),
    ('served_endpoints of host names', "{{ ['web1', 'web2'] | hkpost.ecert.served_endpoints }}",
     r"served_endpoints: item 0 is a text, not one host's variables; map the host names through hostvars"),
    ('served_endpoints names a dict', "{{ [{'inventory_hostname': 'web1', 'hkpost_served_names': {'a': 1}}] "
                                      "| hkpost.ecert.served_endpoints }}",
     r'served_endpoints: host web1: hkpost_served_names must be a name or a list of names, not a dictionary'),
    ('cert_info of a number', "{{ 42 | hkpost.ecert.cert_info }}", r'cert_info input: expected text or bytes, got number'),
    ('cert_info of a CSR', "{{ '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----' "
                           "| hkpost.ecert.cert_info }}",
     r'cert_info input: this is a certificate signing request \(CSR\), not a certificate'),
    ('ascii_name of an IP address', "{{ '192.0.2.1' | hkpost.ecert.ascii_name }}", r'common_name "192\.0\.2\.1" is an IP address'),
    ('ascii_name of a look-alike', "{{ 'exаmple.com.hk' | hkpost.ecert.ascii_name }}",
     r'the label "exаmple" \(A-label xn--exmple-4nf\) mixes scripts'),
    ('ascii_name of a number', "{{ 42 | hkpost.ecert.ascii_name }}", r'common_name 42 is not text'),
]


def render(expression):
    templar = Templar(loader=DataLoader(), variables={'audit': AUDIT, 'hostvars': HOSTVARS})
    return templar.template(trust_as_template(expression))


@pytest.mark.parametrize('expression,fragment', [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_wrong_input_is_a_plain_filter_error(expression, fragment):
    with pytest.raises(Exception) as failure:
        render(expression)
    cause = failure.value
    while not isinstance(cause, AnsibleFilterError) and cause.__cause__ is not None:
        cause = cause.__cause__
    assert isinstance(cause, AnsibleFilterError), 'escaped as %r' % failure.value
    assert re.search(fragment, str(cause)), str(cause)
    assert 'Traceback' not in str(failure.value)


def test_the_same_filters_work_on_right_input():
    """Control rows: the expressions above, with the input corrected, render."""
    assert render("{{ 'www.example.hk:8443' | hkpost.ecert.endpoint_list }}") == [
        {'host': 'www.example.hk', 'port': 8443, 'server_name': 'www.example.hk'}]
    assert '"warn_days": 45' in render("{{ audit | hkpost.ecert.fleet_to_renew_json(warn_days='45') }}")
    assert render("{{ [{'inventory_hostname': 'web1', 'hkpost_served_port': '8443'}] | hkpost.ecert.served_endpoints }}") \
        == [{'host': 'web1', 'port': 8443, 'server_name': 'web1', 'inventory_name': 'web1'}]
    assert render("{{ '香港郵政.hk' | hkpost.ecert.ascii_name }}") == 'xn--5bvv2rbn4a0hh.hk'
