# -*- coding: utf-8 -*-
"""iis_binding verify: the action's own decisions, with the served-certificate check answering what each case needs
(issue 21, mutation survivors): where it connects, which name it asks for, when a failed check rolls back, when it
runs at all. test_iis_binding_verify.py runs the same against a real TLS server."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action import iis_binding
from ansible_collections.hkpost.ecert.plugins.action.iis_binding import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.certstore import entry_for
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, iis_state

WRITES = {'iis_binding_set', 'iis_binding_certificate'}


@pytest.fixture
def host(pki):
    fake = FakeWindowsHost()
    leaf = pki.leaves['standard']
    fake.stores['My'].append(entry_for(leaf.cert, leaf.key))
    add_site(fake, 'www', [('http', '*:80:www.example.hk', 0)])
    return fake


@pytest.fixture
def checked(monkeypatch):
    """The served check: records what it was asked; answers with ``checked.problems``."""
    calls = []

    def served_check(address, port, server_name, expected, trust, timeout):
        calls.append({'address': address, 'port': port, 'server_name': server_name, 'expected': expected,
                      'trust': trust, 'timeout': timeout})
        if checked.before_answer:
            checked.before_answer()
        return {'verdict': 'error' if checked.problems else 'ok', 'findings': []}, expected, list(checked.problems)
    checked.calls, checked.problems, checked.before_answer = calls, [], None
    monkeypatch.setattr(iis_binding, 'served_check', served_check)
    return checked


def bind(host, task_vars=None, **options):
    flags = {k: options.pop(k) for k in ('check_mode',) if k in options}
    args = dict({'site': 'www', 'host_header': 'www.example.hk', 'certificate_common_name': 'www.example.hk',
                 'verify': True}, **options)
    args = {k: v for k, v in args.items() if v is not None}   # None: leave the option out
    return run_action(ActionModule, args, host=host, task_vars=task_vars or {'inventory_hostname': 'web1'}, **flags)


def writes(host):
    return [name for name in host.call_names() if name in WRITES]


@pytest.mark.parametrize('options, task_vars, address', [
    ({'verify_address': '192.0.2.7'}, {'inventory_hostname': 'web1', 'ansible_host': '192.0.2.1'}, '192.0.2.7'),
    ({}, {'inventory_hostname': 'web1', 'ansible_host': '192.0.2.1'}, '192.0.2.1'),
    ({}, {'inventory_hostname': 'web1'}, 'web1'),
])
def test_verify_connects_to_verify_address_then_ansible_host_then_the_inventory_name(host, checked, options,
                                                                                    task_vars, address):
    result = bind(host, task_vars=task_vars, port=8443, verify_timeout=3.5, **options)
    (call,) = checked.calls
    assert call == {'address': address, 'port': 8443, 'server_name': 'www.example.hk',
                    'expected': result['certificate']['sha1'], 'trust': 'bundled', 'timeout': 3.5}
    assert result['verify'] == {'verdict': 'ok', 'findings': [], 'served_leaf': result['certificate']['sha1'],
                                'address': address, 'server_name': 'www.example.hk'}


def test_verify_asks_for_the_host_header_else_the_certificates_first_name(pki, host, checked):
    host.stores['My'] = [entry_for(pki.leaves['multi_domain'].cert, pki.leaves['multi_domain'].key)]
    by_thumbprint = {'certificate_common_name': None, 'certificate_thumbprint': pki.leaves['multi_domain'].thumbprint}
    result = bind(host, host_header='shop.example.hk', **by_thumbprint)
    names = result['certificate']['dns_names']
    assert names[0] != 'shop.example.hk' and checked.calls[0]['server_name'] == 'shop.example.hk'
    bind(host, host_header='', port=8443, **by_thumbprint)
    assert checked.calls[1]['server_name'] == names[0]


def test_a_failed_check_after_a_change_puts_the_previous_binding_back(host, checked):
    checked.problems = ['the server sends no certificate']
    with pytest.raises(AnsibleActionFail, match='verify: the server sends no certificate; the previous binding was '
                                                'put back: none'):
        bind(host)
    assert not any(b['protocol'] == 'https' for b in iis_state(host)['sites'][0]['bindings'])


def test_a_failed_check_with_nothing_changed_fails_without_touching_the_binding(host, checked):
    bind(host)
    host.calls.clear()
    checked.problems = ['chain broken']
    with pytest.raises(AnsibleActionFail, match='^verify: chain broken$'):
        bind(host)
    assert writes(host) == []
    assert any(b['protocol'] == 'https' for b in iis_state(host)['sites'][0]['bindings'])


def test_a_rollback_that_fails_too_says_to_restore_by_hand(host, checked):
    checked.problems = ['wrong certificate']
    checked.before_answer = lambda: host.fail_on.update(iis_binding_set='Access is denied')
    with pytest.raises(AnsibleActionFail, match='(?s)verify: wrong certificate; rolling back ALSO failed .*Access is '
                                                'denied.*Restore the previous binding by hand'):
        bind(host)


def test_verify_is_not_run_in_check_mode_nor_for_a_removal(host, checked):
    bind(host, check_mode=True)
    bind(host)
    checked.calls.clear()
    bind(host, state='absent', certificate_common_name=None)
    assert checked.calls == []
