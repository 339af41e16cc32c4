# -*- coding: utf-8 -*-
"""hkpost_notify's options, rule by rule (issue 21, mutation survivors): what is required, the defaults each channel
gets, that it never connects to a host and never reports a change, and how an undelivered notification ends.

The two senders are replaced by recorders (tests/unit/plugins/module_utils/notify/test_notify_rules.py does the
same): what is decided here is what the action passes them and what it makes of their answer."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_notify import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.notify import _notify
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._tls import NotifyError
from tests.support.action_harness import make_action

FAILED = {'rows': [{'host': 'web01', 'status': 'failed'}], 'counts': {'failed': 1}}
EMAIL = {'host': 'smtp.example.hk', 'sender': 'ecert@example.hk', 'to': ['ops@example.hk']}
WEBHOOK = {'url': 'https://hooks.example.hk/services/T0KEN123456789'}


class _Calls(list):
    failures = None


@pytest.fixture
def sent(monkeypatch):
    calls = _Calls()
    failures = {}

    def recorder(name):
        def send(message, options):
            calls.append((name, options))
            if name in failures:
                raise failures[name]
            return name + ' endpoint'
        return send

    monkeypatch.setattr(_notify._email, 'send', recorder('email'))
    monkeypatch.setattr(_notify._webhook, 'send', recorder('webhook'))
    calls.failures = failures
    return calls


def _run(args, shell_family='sh'):
    plugin = make_action(ActionModule, args, shell_family=shell_family, action_name='hkpost.ecert.hkpost_notify')
    try:
        return plugin.run(task_vars={})
    except AnsibleActionFail as exc:
        return {'failed': True, 'msg': str(exc)}


@pytest.mark.parametrize('args, missing', [
    ({'report': FAILED}, 'missing required arguments: kind'),
    ({'kind': 'rollout'}, 'missing required arguments: report'),
    ({'kind': 'rollout', 'report': FAILED, 'email': {'sender': 'a@example.hk', 'to': ['b@example.hk']}},
     'missing required arguments: host found in email'),
    ({'kind': 'rollout', 'report': FAILED, 'email': {'host': 'smtp.example.hk', 'to': ['b@example.hk']}},
     'missing required arguments: sender found in email'),
    ({'kind': 'rollout', 'report': FAILED, 'email': {'host': 'smtp.example.hk', 'sender': 'a@example.hk'}},
     'missing required arguments: to found in email'),
    ({'kind': 'rollout', 'report': FAILED, 'webhook': {'format': 'slack'}}, 'missing required arguments: url found in webhook'),
])
def test_what_must_be_given_is_refused_when_missing(sent, args, missing):
    result = _run(args)
    assert result['failed'] and missing in result['msg']
    assert sent == []


def test_each_channel_gets_its_defaults(sent):
    result = _run({'kind': 'rollout', 'report': FAILED, 'email': dict(EMAIL), 'webhook': dict(WEBHOOK)})
    assert result['sent'] == ['email endpoint', 'webhook endpoint'] and not result.get('failed')
    email, webhook = [options for _name, options in sent]
    assert (email['port'], email['security'], email['timeout'], email['validate_certs']) == (587, 'starttls', 30.0, True)
    assert (webhook['format'], webhook['timeout'], webhook['validate_certs']) == ('generic', 30.0, True)


def test_sending_is_never_a_change(sent):
    assert _run({'kind': 'rollout', 'report': FAILED, 'webhook': dict(WEBHOOK)})['changed'] is False


def test_it_runs_from_the_controller_whatever_the_hosts_shell(sent):
    for shell in ('sh', 'powershell'):
        assert _run({'kind': 'rollout', 'report': FAILED, 'webhook': dict(WEBHOOK)}, shell)['sent'] == ['webhook endpoint']
    assert ActionModule._requires_connection is False  # Ansible's TaskExecutor opens no connection for it


def test_an_undelivered_notification_fails_or_only_warns_as_asked(sent):
    sent.failures['webhook'] = NotifyError('webhook https://hooks.example.hk answered HTTP 500')
    args = {'kind': 'rollout', 'report': FAILED, 'webhook': dict(WEBHOOK)}
    failed = _run(args)
    assert failed['failed'] is True
    assert failed['msg'] == 'notification not delivered: webhook https://hooks.example.hk answered HTTP 500'
    warned = _run(dict(args, errors='warn'))
    assert not warned.get('failed') and warned['changed'] is False
    assert warned['warnings'] == ['notification not delivered: webhook https://hooks.example.hk answered HTTP 500']
    assert warned['errors'] == ['webhook https://hooks.example.hk answered HTTP 500']
