# -*- coding: utf-8 -*-
"""hkpost_dcv_token: every kind of bad input, refused before a record or file is touched (issue 14, section 1).

A real BIND 9 with a dynamic zone and a TSIG key stands where the operator's primary would be. Each row:
the task's options -> a fragment of the message. After each row the zone is exactly as before: the same
TXT values and the same SOA serial (every accepted RFC 2136 update bumps it), and for the IIS rows the
fake host ran no payload at all.
"""

from __future__ import annotations

import re

import dns.message
import dns.query
import dns.rdatatype
import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from tests.support.action_harness import run_action
from tests.support.peers.bind_server import BindServer
from tests.support.windows import dcv as _fake_dcv  # noqa: F401 - registers the dcv_* contract
from tests.support.windows.host import FakeWindowsHost

CODE = 'HKP-dns-5b2e91c0'
SPF = 'v=spf1 include:_spf.example.test -all'


@pytest.fixture(scope='module')
def bind(tmp_path_factory):
    server = BindServer(tmp_path_factory.mktemp('bind'), records=['@ IN TXT "%s"' % SPF, 'www IN A 127.0.0.1']).start()
    yield server
    server.stop()


def zone_state(bind):
    soa = dns.query.tcp(dns.message.make_query(bind.zone, dns.rdatatype.SOA), '127.0.0.1', port=bind.port, timeout=5)
    serial = [rd.serial for rrset in soa.answer for rd in rrset]
    return serial, bind.txt('example.test'), bind.txt('www.example.test')


def dns_args(bind, **kwargs):
    base = {'method': 'dns', 'domains': ['example.test', 'www.example.test'], 'verification_code': CODE,
            'dns_server': '127.0.0.1', 'dns_port': bind.port, 'tsig_key_name': bind.key_name,
            'tsig_key_secret': bind.secret, 'nameservers': ['127.0.0.1:%d' % bind.port],
            'resolve': {'ns1.example.test': '127.0.0.1:%d' % bind.port}, 'wait_timeout': 5}
    for key, value in kwargs.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


# id, options changed from a correct RFC 2136 task (None removes one), message fragment.
TABLE = [
    ('verification_code an unquoted number', {'verification_code': 42798},
     r"argument 'verification_code' is of type int .*unquoted 0123456 even becomes the octal number 42798.*Quote it"),
    ('verification_code a dictionary', {'verification_code': {'code': CODE}},
     r"argument 'verification_code' is of type dict .*a dictionary"),
    ('verification_code a list', {'verification_code': [CODE]}, r"argument 'verification_code' is of type list .*a list"),
    ('verification_code with a space', {'verification_code': 'HKP 123'},
     r'verification_code must be the code exactly as the portal shows it'),
    ('tsig_key_secret an unquoted number', {'tsig_key_secret': 1234567}, r"argument 'tsig_key_secret' is of type int"),
    ('tsig_key_secret not base64', {'tsig_key_secret': 'not base64 at all!'},
     r'tsig_key_secret for key dcv-key is not base64 .*give the secret exactly as in the server\'s key statement'),
    ('tsig_key_secret base64 with a stray character', {'tsig_key_secret': 'c2VjcmV0LXRoYXQt$aXMtbm90'},
     r'tsig_key_secret for key dcv-key is not base64'),
    ('tsig_key_secret that decodes to nothing', {'tsig_key_secret': '===='}, r'tsig_key_secret for key dcv-key (is not base64|decodes to nothing)'),
    ('tsig_key_name without the secret', {'tsig_key_secret': None}, r'tsig_key_name and tsig_key_secret go together'),
    ('unknown tsig_algorithm', {'tsig_algorithm': 'hmac-sha3'}, r'value of tsig_algorithm must be one of: hmac-sha256'),
    ('dns_port zero', {'dns_port': 0}, r'dns_port 0 is out of range; give the DNS server\'s port, 1-65535'),
    ('dns_port above 65535', {'dns_port': 70000}, r'dns_port 70000 is out of range'),
    ('dns_port not a number', {'dns_port': 'domain'}, r"argument 'dns_port' is of type str .*unable to convert to int"),
    ('dns_server with a port above 65535', {'dns_server': '127.0.0.1:99999'},
     r"dns_server '127\.0\.0\.1:99999': port '99999' is not 1-65535"),
    ('dns_server with a port that is not a number', {'dns_server': '127.0.0.1:dns'},
     r"dns_server '127\.0\.0\.1:dns': port 'dns' is not 1-65535"),
    ('dns_server with no address', {'dns_server': ':53'}, r"dns_server ':53' has no address before the port"),
    ('nameservers entry with a bad port', {'nameservers': ['127.0.0.1:0']}, r"nameservers entry '127\.0\.0\.1:0': port '0'"),
    ('dns_server missing', {'dns_server': None}, r'method dns with dns_provider rfc2136 needs dns_server'),
    ('an IP address as a domain', {'domains': ['example.test', '192.0.2.1']},
     r'domain name "192\.0\.2\.1" is an IP address; a Hongkong Post e-Cert \(Server\) is issued for a registered domain'),
    ('a mixed-script look-alike domain', {'domains': ['exаmple.test']},
     r'the label "exаmple" \(A-label xn--exmple-4nf\) mixes scripts'),
    ('a domain with an underscore', {'domains': ['bad_name.example.test']}, r'underscore'),
    ('no domains', {'domains': []}, r'domains is empty'),
    ('a code issued more than 30 days ago', {'issued_on': '2020-01-01'}, r'expired on 2020-01-31'),
    ('issued_on not a date', {'issued_on': 'last week'}, r"issued_on 'last week' is not a date; give it as YYYY-MM-DD"),
    ('ttl zero', {'ttl': 0}, r'ttl and timeout must be positive'),
    ('negative wait_timeout', {'wait_timeout': -1}, r'wait_timeout not negative'),
    ('email for a multi-domain certificate', {'method': 'email', 'certificate_type': 'multi_domain'},
     r'method email \(constructed e-mail\) is not available for multi_domain'),
    ('dns_provider windows on a host that is not Windows', {'dns_provider': 'windows'},
     r'dns_provider windows runs on a Windows DNS server'),
    ('port_map with a key other than 80/443', {'method': 'file', 'webroot': '/srv/www', 'port_map': {8080: 1}},
     r'port_map maps the standard ports 80 and 443 to lab ports'),
]


@pytest.mark.parametrize('change,fragment', [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_bad_input_is_refused_before_the_zone_changes(bind, change, fragment):
    before = zone_state(bind)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run_action(ActionModule, dns_args(bind, **change), shell_family='sh',
                   task_vars={'inventory_hostname': 'localhost'}, action_name='hkpost.ecert.hkpost_dcv_token')
    assert zone_state(bind) == before


# The same kinds on a Windows IIS host (method file): refused before the first payload, reads included.
IIS_TABLE = [
    ('verification_code an unquoted number', {'verification_code': 123456}, r"argument 'verification_code' is of type int"),
    ('file for a wildcard certificate', {'domains': ['*.example.test'], 'certificate_type': 'wildcard'},
     r'method file \(website change, BR 3\.2\.2\.4\.18\) is not available for wildcard certificates'),
    ('an IP address as a domain', {'domains': ['192.0.2.1']}, r'is an IP address'),
]


@pytest.mark.parametrize('change,fragment', [row[1:] for row in IIS_TABLE], ids=[row[0] for row in IIS_TABLE])
def test_bad_input_on_iis_runs_no_payload(change, fragment):
    host = FakeWindowsHost()
    args = dict({'method': 'file', 'domains': ['www.example.test'], 'verification_code': CODE}, **change)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run_action(ActionModule, args, host=host, action_name='hkpost.ecert.hkpost_dcv_token')
    assert host.calls == []


def test_the_table_would_see_a_change(bind):
    """Control row: the correct task publishes (the serial moves), then is cleaned up again."""
    before = zone_state(bind)
    run_action(ActionModule, dns_args(bind, verify=False), shell_family='sh',
               task_vars={'inventory_hostname': 'localhost'})
    assert zone_state(bind) != before and CODE in bind.txt('www.example.test')
    run_action(ActionModule, dns_args(bind, state='absent'), shell_family='sh',
               task_vars={'inventory_hostname': 'localhost'})
    assert bind.txt('www.example.test') == [] and bind.txt('example.test') == [SPF]


UNQUOTED_PLAY = """
- hosts: localhost
  gather_facts: false
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    portal_code: 0123456
  tasks:
    - name: code written unquoted in the task
      hkpost.ecert.hkpost_dcv_token:
        method: email
        domains: [www.example.com.hk]
        verification_code: 0123456
      ignore_errors: true
    - name: code from an unquoted variable
      hkpost.ecert.hkpost_dcv_token:
        method: email
        domains: [www.example.com.hk]
        verification_code: "{{ portal_code }}"
      ignore_errors: true
    - name: code quoted
      hkpost.ecert.hkpost_dcv_token:
        method: email
        domains: [www.example.com.hk]
        verification_code: "0123456"
"""


def test_an_unquoted_code_in_a_real_playbook_is_refused_naming_the_quoting_fix(tmp_path):
    """The case from the field, end to end: YAML turns 0123456 into 42798 before any plugin sees it."""
    from tests.support.playbook import run_playbook, task_results
    play = tmp_path / 'play.yml'
    play.write_text(UNQUOTED_PLAY)
    rc, data, err = run_playbook(play, inventory='localhost,')
    assert rc == 0, (data, err)
    for name in ('code written unquoted in the task', 'code from an unquoted variable'):
        result = task_results(data, name)['localhost']
        assert result['failed'] is True
        assert re.search(r"argument 'verification_code' is of type int .*Quote it", result['msg']), result['msg']
        assert '42798' not in result['msg'].replace('becomes the octal number 42798', ''), 'the value is never shown'
    quoted = task_results(data, 'code quoted')['localhost']
    assert not quoted.get('failed') and quoted['addresses'][0] == 'admin@www.example.com.hk'
