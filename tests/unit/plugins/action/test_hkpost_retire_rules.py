# -*- coding: utf-8 -*-
"""hkpost_retire's own decisions (issue 21, mutation survivors): options refused before the host is read, what an
unreachable Exchange leaves in the result, the diff of both stores, and backups listed only when asked for."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_retire import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import retire as _fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for
from tests.support.windows.exchange import add_certificate, exchange_state
from tests.support.windows import host as fake_host
from tests.support.windows.host import FakeWindowsHost

DAY = datetime.timedelta(days=1)
EXCHANGE = {'exchange': True, 'server': 'web1.corp.example.hk'}


@pytest.fixture
def certs(pki):
    old = pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    new = pki.issue_leaf('www.example.hk', not_before=pki.now - 2 * DAY)
    return old, new


def host_with(old, new, store_of_old='My'):
    host = FakeWindowsHost()
    host.stores[store_of_old].append(entry_for(old.cert, old.key))
    host.stores['My'].append(entry_for(new.cert, new.key))
    return host


def run(host, args=None, **kwargs):
    return run_action(ActionModule, args or {}, host=host, task_vars={'inventory_hostname': 'web1'}, **kwargs)


def test_negative_grace_days_are_refused_before_the_host_is_read(certs):
    host = host_with(*certs)
    with pytest.raises(AnsibleActionFail, match='grace_days is -1; give 0'):
        run(host, {'grace_days': -1})
    assert host.calls == []


def test_grace_days_zero_retires_at_once(certs):
    assert run(host_with(*certs), {'grace_days': 0})['changed'] is True


def test_an_unreachable_exchange_is_returned_as_exchange_error_and_retires_nothing(certs):
    old, new = certs
    host = host_with(old, new)
    exchange_state(host)
    add_certificate(host, old.cert, old.key, services=['SMTP'])
    add_certificate(host, new.cert, new.key, services=['IIS', 'SMTP'])
    host.state['exchange_unreachable'] = True
    result = run(host, EXCHANGE)
    assert result['exchange_known'] is False and result['retired'] == [] and result['changed'] is False
    assert result['exchange_error']
    host.state['exchange_unreachable'] = False
    answered = run(host, EXCHANGE, check_mode=True)
    assert answered['exchange_known'] is True and 'exchange_error' not in answered
    assert 'exchange_error' not in run(host_with(old, new), check_mode=True)


def test_the_diff_lists_both_stores_before_and_after(certs):
    old, new = certs
    result = run(host_with(old, new, store_of_old='WebHosting'), check_mode=True, diff=True)
    assert result['diff'] == {'before': {'My': [new.thumbprint], 'WebHosting': [old.thumbprint]},
                              'after': {'My': [new.thumbprint], 'WebHosting': []},
                              'before_header': 'LocalMachine stores', 'after_header': 'after retiring 1'}


def test_without_backup_nothing_is_exported_and_no_backups_are_returned(certs):
    host = host_with(*certs)
    result = run(host)
    assert 'backups' not in result and host.call_names() == ['retire_read', 'retire_apply']
    assert run(host)['changed'] is False and host.call_names()[-1] == 'retire_read'


def test_by_default_a_replacement_issued_an_hour_ago_retires_at_once(pki, certs):
    old, _new = certs
    fresh = pki.issue_leaf('www.example.hk', not_before=pki.now - datetime.timedelta(hours=1))
    assert [r['thumbprint'] for r in run(host_with(old, fresh))['retired']] == [old.thumbprint]


def test_with_exchange_the_read_opens_the_exchange_session_and_without_it_does_not(certs):
    old, new = certs
    host = host_with(old, new)
    exchange_state(host)
    run(host, EXCHANGE, check_mode=True)
    params = host.calls[0][1]
    assert params['Exchange'] is True and params['ConnectionUri'] == 'http://web1.corp.example.hk/PowerShell/'
    host.calls.clear()
    result = run(host, check_mode=True)
    params = host.calls[0][1]   # the payload's parameter defaults: no session to open
    assert params['Exchange'] is False and params['ConnectionUri'] == '' and 'diff' not in result


def test_stores_the_host_reports_as_null_are_empty(certs, monkeypatch):
    # ConvertTo-Json writes an empty PowerShell array as null.
    real = fake_host._HANDLERS['retire_read']

    def nulls(host, params):
        return dict(real(host, params), stores={'My': real(host, params)['stores']['My'], 'WebHosting': None})
    monkeypatch.setitem(fake_host._HANDLERS, 'retire_read', nulls)
    old, new = certs
    result = run(host_with(old, new), check_mode=True, diff=True)
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    assert result['diff']['before']['WebHosting'] == [] and result['diff']['after'] == {'My': [new.thumbprint],
                                                                                        'WebHosting': []}


def test_a_backup_with_an_empty_password_is_refused_before_the_host_is_read(tmp_path, certs):
    host = host_with(*certs)
    with pytest.raises(AnsibleActionFail, match='backup_password is empty'):
        run(host, {'backup': True, 'backup_dir': str(tmp_path), 'backup_password': ''})
    assert host.calls == []


def test_an_answer_without_stores_retires_nothing(certs, monkeypatch):
    real = fake_host._HANDLERS['retire_read']
    monkeypatch.setitem(fake_host._HANDLERS, 'retire_read', lambda host, params: dict(real(host, params), stores=None))
    result = run(host_with(*certs), diff=True)
    assert result['retired'] == [] and result['changed'] is False
    assert result['diff']['before'] == {'My': [], 'WebHosting': []}
