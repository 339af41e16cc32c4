# -*- coding: utf-8 -*-
"""hkpost_notify's option handling: bad input fails naming the option; nothing to send is said, not failed."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_notify import ActionModule
from tests.support.action_harness import make_action

FAILED = {'rows': [{'host': 'web01', 'status': 'failed'}], 'counts': {'failed': 1}}


def _run(args):
    plugin = make_action(ActionModule, args, shell_family='sh', action_name='hkpost.ecert.hkpost_notify')
    result = plugin.run(task_vars={})
    assert plugin._connection.method_calls == []  # the controller only
    return result


@pytest.mark.parametrize('args, message', [
    ({'kind': 'rollouts', 'report': FAILED}, 'value of kind must be one of: rollout, audit, inventory'),
    ({'kind': 'rollout', 'report': 'failed'}, 'report must be a dictionary (the summary a *_summary filter returns)'),
    ({'kind': 'rollout', 'report': FAILED, 'notify_on': ['always']}, 'notify_on must be one or more of'),
    ({'kind': 'rollout', 'report': FAILED, 'email': {'host': 'smtp.example.hk', 'sender': 'a@example.hk', 'to': []}},
     'email.to lists no recipient'),
    ({'kind': 'rollout', 'report': FAILED, 'webhook': {'url': 'ftp://hooks.example.hk/T0KEN123456'}},
     'webhook ftp://hooks.example.hk: the URL must start with https:// or http://'),
])
def test_bad_input_fails_naming_the_option(args, message):
    try:
        result = _run(args)
    except AnsibleActionFail as exc:
        text = str(exc)
    else:
        assert result.get('failed'), result
        text = result['msg']
    assert message in text
    assert 'T0KEN123456' not in text


def test_no_channel_is_reported_not_failed():
    result = _run({'kind': 'rollout', 'report': FAILED})
    assert not result.get('failed') and result['skipped'] == 'no channel: set email, webhook or both'
    assert result['outcome'] == 'failure' and result['notified'] is False
