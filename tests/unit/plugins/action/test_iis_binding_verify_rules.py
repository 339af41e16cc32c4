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
def test_verify_connects_to_verify_address_then_ansible_host_then_the_inventory_name(
        host, checked, options, task_vars, address):
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
    # the binding was written; then every write to the host fails, so the rollback's one trip (iis_apply) fails too
    checked.before_answer = lambda: host.fail_on.update(iis_apply='Access is denied')
    with pytest.raises(AnsibleActionFail, match='(?s)verify: wrong certificate; rolling back ALSO failed .*Access is '
                                                'denied.*Restore the previous binding by hand'):
        bind(host)


def test_verify_is_not_run_in_check_mode_nor_for_a_removal(host, checked):
    bind(host, check_mode=True)
    bind(host)
    checked.calls.clear()
    bind(host, state='absent', certificate_common_name=None)
    assert checked.calls == []


# ---- the options and returns around the binding (second mutation round) -----------------------------------------

@pytest.mark.parametrize('port, refused', [(0, True), (1, False), (65535, False), (65536, True)])
def test_the_port_is_1_to_65535(host, checked, port, refused):
    if refused:
        with pytest.raises(AnsibleActionFail, match='port %d is out of range; give 1-65535' % port):
            bind(host, port=port, verify=False)
        assert host.calls == []
    else:
        assert bind(host, port=port, verify=False, check_mode=True)['after']['port'] == port


def test_a_wildcard_host_header_and_common_name_are_accepted(pki, host, checked):
    host.stores['My'].append(entry_for(pki.leaves['wildcard'].cert, pki.leaves['wildcard'].key))
    result = bind(host, host_header='*.example.hk', certificate_common_name='*.example.hk', verify=False,
                  check_mode=True)
    assert result['after']['host'] == '*.example.hk' and result['certificate']['sha1'] == pki.leaves['wildcard'].thumbprint


def test_verify_options_are_checked_only_when_verify_runs(host, checked):
    with pytest.raises(AnsibleActionFail, match='verify_timeout is 0'):
        bind(host, verify_timeout=0, check_mode=True)
    assert bind(host, verify=False, verify_timeout=0, check_mode=True)['changed'] is True
    assert bind(host, state='absent', certificate_common_name=None, verify_timeout=0)['changed'] is False


def test_only_a_converted_host_header_is_reported_as_converted(host, checked):
    assert 'host_header_converted' not in bind(host, host_header='WWW.example.hk.', verify=False, check_mode=True)


def test_the_diff_is_returned_only_when_asked_and_a_new_binding_has_an_empty_before(host, checked):
    assert 'diff' not in bind(host, verify=False, check_mode=True)
    result = run_action(ActionModule, {'site': 'www', 'host_header': 'www.example.hk',
                                       'certificate_common_name': 'www.example.hk'}, host=host, check_mode=True,
                        diff=True)
    assert result['diff']['before'] == {} and result['diff']['after']['host'] == 'www.example.hk'


def test_a_failed_check_after_a_certificate_change_puts_the_previous_binding_back_and_says_which(pki, host, checked):
    bind(host, verify=False)
    previous = iis_state(host)['sites'][0]['bindings'][-1]
    host.stores['My'].append(entry_for(pki.leaves['multi_domain'].cert, pki.leaves['multi_domain'].key))
    checked.problems = ['wrong certificate']
    with pytest.raises(AnsibleActionFail, match="previous binding was put back: {'site': 'www'") as caught:
        bind(host, certificate_common_name=None, certificate_thumbprint=pki.leaves['multi_domain'].thumbprint)
    assert caught.value.result['rolled_back'] is True
    assert iis_state(host)['sites'][0]['bindings'][-1] == previous
    assert iis_state(host)['sslcert']['hostnameport']['www.example.hk:443']['thumbprint'] == \
        pki.leaves['standard'].thumbprint


def test_a_removal_that_fails_puts_the_binding_back(host, checked, monkeypatch):
    from tests.support.windows import iis
    from tests.support.windows.host import HostFailure

    bind(host, verify=False)

    def denied(_fake, _params):
        raise HostFailure('Access is denied')
    monkeypatch.setattr(iis, 'iis_binding_remove', denied)   # the binding_remove step of iis_apply fails
    with pytest.raises(AnsibleActionFail, match='previous binding was put back'):
        bind(host, state='absent', certificate_common_name=None, verify=False)
    assert any(b['protocol'] == 'https' for b in iis_state(host)['sites'][0]['bindings'])


@pytest.mark.parametrize('sans, asked', [(['shop.example.hk', 'www.example.hk'], 'shop.example.hk'),
                                         ([], 'www.example.hk')])
def test_without_a_host_header_the_first_san_is_asked_for_else_the_common_name(pki, host, checked, sans, asked):
    leaf = pki.issue_leaf('www.example.hk', sans=sans)
    host.stores['My'] = [entry_for(leaf.cert, leaf.key)]
    bind(host, host_header='', port=8443, certificate_common_name=None, certificate_thumbprint=leaf.thumbprint)
    assert checked.calls[0]['server_name'] == asked


def test_the_diff_of_a_change_shows_the_binding_before_and_of_a_removal_nothing_after(pki, host, checked):
    bind(host, verify=False)
    host.stores['My'].append(entry_for(pki.leaves['multi_domain'].cert, pki.leaves['multi_domain'].key))
    changed = run_action(ActionModule, {'site': 'www', 'host_header': 'www.example.hk',
                                        'certificate_thumbprint': pki.leaves['multi_domain'].thumbprint},
                         host=host, check_mode=True, diff=True)
    assert changed['diff']['before']['thumbprint'] == pki.leaves['standard'].thumbprint
    removed = run_action(ActionModule, {'site': 'www', 'host_header': 'www.example.hk', 'state': 'absent'},
                         host=host, check_mode=True, diff=True)
    assert removed['diff']['after'] == {} and removed['diff']['before']['host'] == 'www.example.hk'


def test_a_store_the_host_reports_as_null_is_empty(host, checked, monkeypatch):
    from tests.support.windows import host as fake_host
    monkeypatch.setitem(fake_host._HANDLERS, 'ecert_store_read', lambda _host, _params: {'stores': {'My': None}})
    with pytest.raises(AnsibleActionFail, match='www.example.hk'):
        bind(host, verify=False)
    assert writes(host) == []
