# -*- coding: utf-8 -*-
"""The action plugin: option handling, errors as AnsibleActionFail, and no use of the target connection."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_served_chain import ActionModule
from tests.support.peers import tls_servers
from tests.support.action_harness import make_action


@pytest.fixture
def server(pki):
    leaf = pki.leaves['standard']
    srv = tls_servers.tls_endpoint([leaf.pem, pki.ssl_new.pem], leaf.key_pem)
    yield srv
    srv.stop()


@pytest.mark.parametrize('check_mode', [False, True])
def test_audits_from_the_controller_without_touching_the_target(server, pki, tmp_path, check_mode):
    trust = tmp_path / 'trust.pem'
    trust.write_text(pki.root.pem)
    plugin = make_action(ActionModule, {'endpoints': [{'host': '127.0.0.1', 'port': server.port,
                                                       'server_name': 'www.example.hk'}],
                                        'trust': str(trust), 'timeout': 3},
                         shell_family='sh', check_mode=check_mode, action_name='hkpost.ecert.hkpost_served_chain')
    result = plugin.run(task_vars={'inventory_hostname': 'web1'})
    assert result['changed'] is False
    assert [f['code'] for f in result['endpoints'][0]['findings']] == ['ok']
    assert result['summary']['by_verdict']['ok'] == 1
    assert result['endpoints'][0]['port'] == server.port
    # Never logged into the target: the connection object was not used at all.
    assert plugin._connection.method_calls == []
    assert ActionModule._requires_connection is False


def test_bad_entry_fails_the_task_naming_it():
    plugin = make_action(ActionModule, {'endpoints': [{'host': 'a.example.hk'}, {'port': 443}]}, shell_family='sh')
    with pytest.raises(AnsibleActionFail, match=r'endpoints\[1\]: no host'):
        plugin.run(task_vars={})


def test_unknown_option_is_refused():
    plugin = make_action(ActionModule, {'endpoints': [{'host': 'a', 'bogus': 1}]}, shell_family='sh')
    with pytest.raises(AnsibleActionFail, match='bogus'):
        plugin.run(task_vars={})
