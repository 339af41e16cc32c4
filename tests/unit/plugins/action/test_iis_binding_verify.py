# -*- coding: utf-8 -*-
"""iis_binding verify: true against a real TLS server on 127.0.0.1 standing in for the bound site."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.iis_binding import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.certstore import entry_for
from tests.support.windows.iis import add_site, iis_state
from tests.support.windows.host import FakeWindowsHost
from tests.support.peers.served_site import ServedSite


@pytest.fixture
def setup(pki, tmp_path):
    host = FakeWindowsHost()
    leaf = pki.leaves['standard']
    host.stores['My'].append(entry_for(leaf.cert, leaf.key))
    add_site(host, 'www', [('http', '*:80:www.example.hk', 0)])
    trust = tmp_path / 'trust.pem'
    trust.write_text(pki.root.pem)
    servers = []

    def serve(chain_pem):
        server = ServedSite(tmp_path, chain_pem, leaf.key_pem)
        servers.append(server)
        return server
    yield host, leaf, str(trust), serve
    for server in servers:
        server.stop()


def bind(host, port, trust):
    return run_action(ActionModule, {'site': 'www', 'host_header': 'www.example.hk', 'port': port,
                                     'certificate_common_name': 'www.example.hk', 'verify': True,
                                     'verify_address': '127.0.0.1', 'verify_trust': trust, 'verify_timeout': 5},
                      host=host)


def test_verify_passes_when_served_chain_is_complete(pki, setup):
    host, leaf, trust, serve = setup
    server = serve(leaf.pem + pki.ssl_new.pem)
    result = bind(host, server.port, trust)
    assert result['verify']['served_leaf'] == leaf.thumbprint
    assert result['verify']['verdict'] in ('ok', 'warning')
    assert any(b['protocol'] == 'https' for b in iis_state(host)['sites'][0]['bindings'])


def test_verify_failure_rolls_back(pki, setup):
    host, leaf, trust, serve = setup
    server = serve(leaf.pem)  # no intermediate: what several real sites do
    with pytest.raises(AnsibleActionFail) as e:
        bind(host, server.port, trust)
    assert 'missing' in str(e.value).lower() or 'issuer' in str(e.value)
    assert 'previous binding was put back' in str(e.value)
    assert not any(b['protocol'] == 'https' for b in iis_state(host)['sites'][0]['bindings'])
