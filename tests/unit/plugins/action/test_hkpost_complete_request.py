# -*- coding: utf-8 -*-
"""hkpost_complete_request against the fake host: pairing by key, idempotence, check mode, bad inputs."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_complete_request import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.host import FakeWindowsHost


@pytest.fixture
def host(pki):
    fake = FakeWindowsHost()
    fake.stores['REQUEST'].append(pending_entry(pki.leaves['standard'].key, 'www.example.hk', 'request www'))
    fake.stores['REQUEST'].append(pending_entry(pki.leaves['wildcard'].key, '*.example.hk', 'request wildcard'))
    return fake


def complete(host, content, **kwargs):
    return run_action(ActionModule, dict({'content': content}, **kwargs.pop('args', {})), host=host, **kwargs)


def test_completes_pending_request_and_is_idempotent(pki, host):
    leaf = pki.leaves['standard']
    result = complete(host, leaf.pem)
    assert result['changed'] is True
    assert result['thumbprint'] == leaf.thumbprint
    assert host.call_names() == ['ecert_store_read', 'complete_request']
    installed = [e for e in host.stores['My'] if e['thumbprint'] == leaf.thumbprint]
    assert installed and installed[0]['has_private_key'] and installed[0]['key'] is leaf.key
    assert 'www.example.hk' in installed[0]['friendly_name']
    assert len(host.stores['REQUEST']) == 1  # the request is consumed
    host.calls.clear()
    again = complete(host, leaf.pem)
    assert again['changed'] is False
    assert host.call_names() == ['ecert_store_read']


def test_check_mode_sends_no_write(pki, host):
    result = complete(host, pki.leaves['standard'].pem, check_mode=True, diff=True)
    assert result['changed'] is True
    assert host.call_names() == ['ecert_store_read']
    assert host.stores['My'] == []
    assert result['diff']['after']['LocalMachine\\My'] == pki.leaves['standard'].thumbprint


def test_certificate_for_another_key_names_it_and_lists_pending(pki, host):
    with pytest.raises(AnsibleActionFail) as e:
        complete(host, pki.leaves['multi_domain'].pem)
    message = str(e.value)
    assert pki.leaves['multi_domain'].thumbprint in message
    assert 'request www' in message and 'request wildcard' in message
    assert 'Nothing was changed' in message
    assert host.call_names() == ['ecert_store_read']


def test_expired_certificate_refused(pki, host):
    expired = pki.leaves['expired']
    host.stores['REQUEST'].append(pending_entry(expired.key, 'old.example.hk'))
    with pytest.raises(AnsibleActionFail, match='expired on'):
        complete(host, expired.pem)
    assert 'complete_request' not in host.call_names()


def test_der_file_accepted(pki, host, tmp_path):
    path = tmp_path / 'www.cer'
    path.write_bytes(pki.leaves['standard'].der)
    result = run_action(ActionModule, {'src': str(path)}, host=host)
    assert result['changed'] and result['thumbprint'] == pki.leaves['standard'].thumbprint


def test_pem_with_bom_and_crlf_accepted(pki, host, tmp_path):
    path = tmp_path / 'www.crt'
    path.write_bytes(b'\xef\xbb\xbf' + pki.leaves['standard'].pem.replace('\n', '\r\n').encode())
    result = run_action(ActionModule, {'src': str(path)}, host=host)
    assert result['changed'] and result['thumbprint'] == pki.leaves['standard'].thumbprint


def test_chain_file_leaf_picked_chain_returned(pki, host):
    bundle = pki.ssl_new.pem + pki.leaves['wildcard'].pem + pki.root.pem  # leaf not first on purpose
    result = complete(host, bundle)
    assert result['thumbprint'] == pki.leaves['wildcard'].thumbprint
    sent = [p for n, p in host.calls if n == 'complete_request'][0]
    assert sent['Thumbprint'] == pki.leaves['wildcard'].thumbprint
    assert [c['subject_cn'] for c in result['chain']] == ['Hongkong Post e-Cert SSL CA 3 - 17', 'Hongkong Post Root CA 3']
    assert result['chain_pem'].count('BEGIN CERTIFICATE') == 2


def test_installed_without_key_is_explained(pki, host):
    leaf = pki.leaves['ev']
    host.stores['My'].append(entry_for(leaf.cert))  # a .cer imported by hand, no key
    with pytest.raises(AnsibleActionFail, match='WITHOUT its private key'):
        complete(host, leaf.pem)


def test_only_ca_certificates_refused(pki, host):
    with pytest.raises(AnsibleActionFail, match='only CA certificates'):
        complete(host, pki.ssl_new.pem + pki.root.pem)
