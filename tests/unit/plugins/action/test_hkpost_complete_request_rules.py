# -*- coding: utf-8 -*-
"""hkpost_complete_request's own decisions (issue 21, mutation survivors): the key is checked after certreq -accept,
and what it returns - friendly name, request, diff - says what was and what will be on the host."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_complete_request import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import host as fake_host
from tests.support.windows.certstore import complete_request, pending_entry
from tests.support.windows.host import FakeWindowsHost


@pytest.fixture
def host(pki):
    fake = FakeWindowsHost()
    fake.stores['REQUEST'].append(pending_entry(pki.leaves['standard'].key, 'www.example.hk', 'request www'))
    return fake


def complete(host, content, **kwargs):
    return run_action(ActionModule, dict({'content': content}, **kwargs.pop('args', {})), host=host, **kwargs)


def test_a_request_completed_without_its_private_key_fails_naming_the_repair(pki, host, monkeypatch):
    # certreq -accept can install the certificate and still leave it unpaired (the key in another context, a
    # broken key container): the payload reports has_private_key from the store, and the action must read it.
    def keyless(fake, params):
        return dict(complete_request(fake, params), has_private_key=False)
    monkeypatch.setitem(fake_host._HANDLERS, 'complete_request', keyless)
    leaf = pki.leaves['standard']
    with pytest.raises(AnsibleActionFail, match='Windows reports no private key with it.*certutil -repairstore my %s'
                                                % leaf.thumbprint):
        complete(host, leaf.pem)


def test_a_completed_request_returns_the_request_and_the_friendly_name_the_host_set(pki, host):
    leaf = pki.leaves['standard']
    result = complete(host, leaf.pem, args={'friendly_name': 'www 2026'}, diff=True)
    assert result['changed'] is True and result['friendly_name'] == 'www 2026'
    assert [p['FriendlyName'] for n, p in host.calls if n == 'complete_request'] == ['www 2026']
    assert result['request']['friendly_name'] == 'request www' and set(result['request']) == {
        'sha1', 'friendly_name', 'subject', 'spki_sha256'}
    assert result['diff'] == {'before': {'LocalMachine\\My': None},
                              'after': {'LocalMachine\\My': leaf.thumbprint, 'friendly_name': 'www 2026'}}
    assert result['certreq_output'] == 'Installed Certificate:'


def test_an_installed_certificate_returns_its_own_friendly_name_and_no_request(pki, host):
    leaf = pki.leaves['standard']
    complete(host, leaf.pem, args={'friendly_name': 'first name'})
    again = complete(host, leaf.pem, args={'friendly_name': 'another name'}, diff=True)
    assert again['changed'] is False and 'request' not in again
    assert again['friendly_name'] == 'first name'
    assert again['diff'] == {'before': {'LocalMachine\\My': leaf.thumbprint},
                             'after': {'LocalMachine\\My': leaf.thumbprint, 'friendly_name': 'first name'}}


def test_check_mode_returns_the_friendly_name_it_would_set(pki, host):
    leaf = pki.leaves['standard']
    result = complete(host, leaf.pem, check_mode=True)
    assert result['changed'] is True and result['friendly_name'].startswith('Hongkong Post e-Cert www.example.hk')
    assert 'diff' not in result and host.call_names() == ['ecert_store_read']


def test_stores_the_host_reports_as_null_are_empty_not_a_crash(pki, host, monkeypatch):
    # ConvertTo-Json writes an empty PowerShell array as null; no stores at all is the same "nothing here".
    for answer in ({'stores': {'REQUEST': None, 'My': None}}, {'stores': None}, {}):
        monkeypatch.setitem(fake_host._HANDLERS, 'ecert_store_read', lambda _fake, _params, a=answer: a)
        with pytest.raises(AnsibleActionFail, match='matches no pending request on this host.*Pending requests in '
                                                    'LocalMachine\\\\REQUEST: none'):
            complete(host, pki.leaves['standard'].pem)
