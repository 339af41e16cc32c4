# -*- coding: utf-8 -*-
"""Argument errors name the module the user wrote, never the action plugin's Python path."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule as CsrAction
from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule as PfxAction
from tests.support.action_harness import make_action


@pytest.mark.parametrize('action_cls, name, args, expected', [
    (CsrAction, 'hkpost.ecert.hkpost_csr', {'common_name': 'www.example.hk', 'organization': 'Example Ltd', 'colour': 'blue'}, 'colour'),
    (CsrAction, 'hkpost_csr', {}, 'common_name'),
    (PfxAction, 'hkpost.ecert.hkpost_pfx', {'state': 'sideways', 'password': 'x'}, 'state'),
])
def test_argument_errors_name_the_module(action_cls, name, args, expected):
    plugin = make_action(action_cls, args, action_name=name)
    # what ansible-core's plugin loader sets, and what ActionBase.validate_argument_spec printed
    plugin._load_name = action_cls.__module__
    with pytest.raises(AnsibleActionFail) as failure:
        plugin.run(task_vars={'inventory_hostname': 'win1'})
    message = failure.value.message
    assert message.startswith(name + ': '), message
    assert expected in message and 'ansible_collections' not in message, message
