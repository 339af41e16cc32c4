# -*- coding: utf-8 -*-
"""hkpost_served_chain: every kind of bad input, refused before any endpoint is contacted (issue 14, section 1).

One row per kind: the task's options -> a fragment of the message. The audit's fetcher is wrapped (the
real one still runs when called) to prove that no row opened a connection: nothing is audited, so no
report can be built from a half-checked list.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_served_chain import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.audit import _served_chain_audit
from tests.support.action_harness import run_action
from tests.support.peers import tls_servers


@pytest.fixture
def server(pki):
    leaf = pki.leaves['standard']
    srv = tls_servers.tls_endpoint([leaf.pem, pki.ssl_new.pem], leaf.key_pem)
    yield srv
    srv.stop()


@pytest.fixture
def fetches(monkeypatch):
    """Every call of the real fetcher, recorded."""
    calls = []
    real = _served_chain_audit.fetch_many

    def recording(endpoints, **kwargs):
        calls.append([dict(e) for e in endpoints])
        return real(endpoints, **kwargs)
    monkeypatch.setattr(_served_chain_audit, 'fetch_many', recording)
    return calls


def endpoint(server, **change):
    entry = {'host': '127.0.0.1', 'port': server.port, 'server_name': 'www.example.hk'}
    entry.update(change)
    return entry


# id, options (a function of the live server: one good endpoint first, so a refusal is never "nothing to do"),
# message fragment.
TABLE = [
    ('server_name with a space', lambda s: {'endpoints': [endpoint(s), endpoint(s, server_name='a b')]},
     r'endpoints\[1\] \(127\.0\.0\.1\) server_name "a b" contains a space; host names have none\. Give the host name'),
    ('server_name with a 70-character label', lambda s: {'endpoints': [endpoint(s), endpoint(s, server_name='x' * 70 + '.example.hk')]},
     r'endpoints\[1\] \(127\.0\.0\.1\) server_name .* is 70 characters long; the limit is 63'),
    ('server_name a wildcard', lambda s: {'endpoints': [endpoint(s), endpoint(s, server_name='*.example.hk')]},
     r'server_name "\*\.example\.hk": "\*" is allowed only'),
    ('server_name a look-alike', lambda s: {'endpoints': [endpoint(s), endpoint(s, server_name='www.exаmple.hk')]},
     r'server_name "www\.exаmple\.hk": the label "exаmple" \(A-label xn--exmple-4nf\) mixes scripts'),
    ('server_name with an empty label', lambda s: {'endpoints': [endpoint(s), endpoint(s, server_name='www..example.hk')]},
     r'server_name "www\.\.example\.hk" has an empty label'),
    ('server_name not text', lambda s: {'endpoints': [endpoint(s), endpoint(s, server_name=['www.example.hk'])]},
     r'endpoints\[1\]: server_name is a list, not one piece of text; give one name'),
    ('host with a space', lambda s: {'endpoints': [endpoint(s), endpoint(s, host='web 1')]},
     r'endpoints\[1\] host "web 1" contains a space'),
    ('no host', lambda s: {'endpoints': [endpoint(s), {'port': 443}]}, r'endpoints\[1\]: no host'),
    ('port not a number', lambda s: {'endpoints': [endpoint(s), endpoint(s, port='abc')]},
     r"argument 'port' is of type str found in 'endpoints'.*unable to convert to int"),
    ('port out of range', lambda s: {'endpoints': [endpoint(s), endpoint(s, port=70000)]},
     r'endpoints\[1\] \(127\.0\.0\.1\): port 70000 is out of range; give 1-65535'),
    ('an unknown endpoint key', lambda s: {'endpoints': [endpoint(s, sni='x')]}, r'sni'),
    ('endpoints a string', lambda s: {'endpoints': 'www.example.hk'},
     r'endpoints must be a list of dictionaries \(host, port, server_name\), not a text; for a plain list file use the '
     r'hkpost\.ecert\.endpoint_list filter'),
    ('endpoints a list of strings', lambda s: {'endpoints': [endpoint(s), 'www.example.hk']},
     r"endpoints\[1\] is a text \('www\.example\.hk'\), not a dictionary; write it as \{host: \.\.\., port"),
    ('warn_days below zero', lambda s: {'endpoints': [endpoint(s)], 'warn_days': -1}, r'warn_days must be 0 or more \(got -1\)'),
    ('warn_days not a number', lambda s: {'endpoints': [endpoint(s)], 'warn_days': 'abc'},
     r"argument 'warn_days' is of type str .*unable to convert to int"),
    ('timeout zero', lambda s: {'endpoints': [endpoint(s)], 'timeout': 0}, r'timeout must be greater than 0 seconds'),
    ('concurrency zero', lambda s: {'endpoints': [endpoint(s)], 'concurrency': 0}, r'concurrency must be at least 1'),
    ('trust file missing', lambda s: {'endpoints': [endpoint(s)], 'trust': '/nonexistent/roots.pem'},
     r'trust=/nonexistent/roots\.pem: no such file on the controller; give bundled, system'),
]


@pytest.mark.parametrize('make_args,fragment', [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_bad_input_is_refused_before_any_endpoint_is_contacted(server, fetches, make_args, fragment):
    with pytest.raises(AnsibleActionFail, match=fragment):
        run_action(ActionModule, make_args(server), shell_family='sh', action_name='hkpost.ecert.hkpost_served_chain')
    assert fetches == []


def test_the_table_would_see_a_fetch(server, fetches):
    """Control row: the good endpoint alone is audited (the recorder sees the fetch)."""
    result = run_action(ActionModule, {'endpoints': [endpoint(server)], 'timeout': 3}, shell_family='sh')
    assert len(fetches) == 1 and result['endpoints'][0]['port'] == server.port


@pytest.mark.parametrize('name', ['192.0.2.10', '[2001:db8::10]', 'intranet', '香港郵政.hk'])
def test_addresses_single_labels_and_idn_names_are_accepted(name):
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._audit_inputs import check_endpoints
    check_endpoints([{'host': '127.0.0.1', 'server_name': name}])  # no exception
