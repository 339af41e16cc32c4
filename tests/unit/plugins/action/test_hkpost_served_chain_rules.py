# -*- coding: utf-8 -*-
"""hkpost_served_chain's own rules, one test each (issue 21): what the action does with what the task leaves out -
no endpoints at all, an endpoint without a port, no warn_days - and that the options documented in
plugins/modules/hkpost_served_chain.py (suboptions too) are the ones it validates."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_served_chain import ActionModule
from tests.support.action_harness import run_action
from tests.support.module_docs import documented_options
from tests.support.peers import tls_servers
from tests.support.pki import DAY


def run(args):
    return run_action(ActionModule, args, shell_family='sh', action_name='hkpost.ecert.hkpost_served_chain')


def _same(documented, spec):
    assert set(documented) == set(spec)
    for name, option in documented.items():
        for key in ('type', 'default', 'choices', 'elements', 'required'):
            assert option.get(key) == spec[name].get(key), (name, key)
        if 'suboptions' in option or 'options' in spec[name]:
            _same(option['suboptions'], spec[name]['options'])


def test_documented_options_are_the_ones_validated():
    _same(documented_options('hkpost_served_chain'), ActionModule.ARGUMENT_SPEC)


def test_a_task_without_endpoints_is_refused_naming_the_option():
    with pytest.raises(AnsibleActionFail, match='missing required arguments: endpoints'):
        run({'timeout': 1})


def test_an_endpoint_without_a_port_is_audited_on_443():
    # Whatever answers on the machine's 443 (usually nothing: unreachable), the audit names the port it tried.
    result = run({'endpoints': [{'host': '127.0.0.1', 'server_name': 'www.example.hk'}], 'timeout': 1})
    assert [e['port'] for e in result['endpoints']] == [443]


@pytest.fixture
def servers(pki):
    """Two servers with leaves of www.example.hk that end half a day either side of 30 days from now."""
    listeners = {}
    for label, days in (('29.5 days', 29.5), ('30.5 days', 30.5)):
        leaf = pki.issue_leaf('www.example.hk', not_before=pki.now - DAY,
                              not_after=datetime.datetime.now(datetime.timezone.utc) + days * DAY,
                              slot='leaf-standard')
        listeners[label] = tls_servers.tls_endpoint([leaf.pem, pki.ssl_new.pem], leaf.key_pem)
    yield listeners
    for listener in listeners.values():
        listener.stop()


def test_by_default_a_leaf_is_expiring_within_30_days(servers, pki, tmp_path):
    trust = tmp_path / 'trust.pem'
    trust.write_text(pki.root.pem)
    result = run({'endpoints': [{'host': '127.0.0.1', 'port': s.port, 'server_name': 'www.example.hk'}
                                for s in servers.values()], 'trust': str(trust), 'timeout': 3})
    codes = {label: [f['code'] for f in e['findings']] for label, e in zip(servers, result['endpoints'])}
    assert codes == {'29.5 days': ['expiring'], '30.5 days': ['ok']}
