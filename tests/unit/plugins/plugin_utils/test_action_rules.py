# -*- coding: utf-8 -*-
"""What every hkpost.ecert action plugin does the same way (plugins/plugin_utils/_action.py): refuse a host that is
not Windows unless the plugin runs on the controller, run in check mode, refuse async, turn the core's and the host's
errors into the task's failure, and map a PFX export's answer to bytes per certificate."""

from __future__ import annotations

import base64

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError
from tests.support.action_harness import make_action


class _WindowsAction(HkpostAction):
    ARGUMENT_SPEC = {'fail': {'type': 'str'}}

    def run_hkpost(self, args, task_vars, result):
        result['ran'] = True
        result['check_mode'] = self._task.check_mode
        if args['fail'] == 'core':
            raise HkpostError('the certificate is not an e-Cert')
        if args['fail'] == 'host':
            raise PayloadError('pfx_state', 'Access is denied.')


class _ControllerAction(_WindowsAction):
    WINDOWS_ONLY = False


def _run(action_cls, shell_family='powershell', check_mode=False, fail=None, async_val=0):
    plugin = make_action(action_cls, {'fail': fail}, shell_family=shell_family, check_mode=check_mode,
                         action_name='hkpost.ecert.demo')
    plugin._task.async_val = async_val
    return plugin.run(task_vars={'inventory_hostname': 'web1'})


def test_a_windows_action_refuses_a_host_without_a_powershell_shell():
    assert _run(_WindowsAction)['ran']
    with pytest.raises(AnsibleActionFail) as failure:
        _run(_WindowsAction, shell_family='sh')
    assert failure.value.message == ('hkpost.ecert.demo runs on Windows hosts (shell family powershell); web1 has shell '
                                     'sh. Set ansible_connection=winrm or psrp for this host.')


@pytest.mark.parametrize('shell_family', ['sh', 'powershell'])
def test_a_controller_action_runs_whatever_the_hosts_shell(shell_family):
    assert _run(_ControllerAction, shell_family=shell_family)['ran']


def test_every_action_runs_in_check_mode():
    result = _run(_WindowsAction, check_mode=True)
    assert result['ran'] and result['check_mode'] and not result.get('skipped')


def test_async_is_refused():
    with pytest.raises(AnsibleActionFail, match='does not support async'):
        _run(_WindowsAction, async_val=60)


def test_a_core_error_fails_the_task_with_its_message():
    with pytest.raises(AnsibleActionFail) as failure:
        _run(_WindowsAction, fail='core')
    assert failure.value.message == 'the certificate is not an e-Cert'


def test_a_host_error_fails_the_task_naming_the_payload_and_keeps_the_result_so_far():
    with pytest.raises(AnsibleActionFail) as failure:
        _run(_WindowsAction, fail='host')
    assert failure.value.message == 'the host refused or failed pfx_state: Access is denied.'
    assert failure.value.result['ran']


PFX_A, PFX_B = b'0\x82\x01 pfx A', b'0\x82\x02 pfx B'


@pytest.mark.parametrize('answer, expected', [
    ({'exports': [{'thumbprint': 'AA', 'pfx': base64.b64encode(PFX_A).decode()},
                  {'thumbprint': 'BB', 'pfx': base64.b64encode(PFX_B).decode()}]}, {'AA': PFX_A, 'BB': PFX_B}),
    # what the host did not answer for, or answered without a PFX, is empty: the caller's read-back refuses it
    ({'exports': [{'thumbprint': 'AA', 'pfx': base64.b64encode(PFX_A).decode()}, {'thumbprint': 'BB', 'pfx': None}]},
     {'AA': PFX_A, 'BB': b''}),
    ({'exports': [{'thumbprint': 'BB'}, 'not an export']}, {'AA': b'', 'BB': b''}),
    ({'exports': None}, {'AA': b'', 'BB': b''}),
    ({}, {'AA': b'', 'BB': b''}),
])
def test_a_pfx_export_maps_each_certificate_to_its_bytes(answer, expected):
    plugin = make_action(_WindowsAction, {})
    sent = []
    plugin.payload = lambda task_vars, name, parameters=None, sensitive_parameters=None: (
        sent.append((name, parameters, sensitive_parameters)) or answer)
    assert plugin.export_pfx({}, [('My', 'AA'), ('WebHosting', 'BB')], 'AES256-SHA256', True, 'pfx-Secret') == expected
    assert sent == [('pfx_export_many', {'Items': [{'store': 'My', 'thumbprint': 'AA'},
                                                   {'store': 'WebHosting', 'thumbprint': 'BB'}],
                                         'Encryption': 'AES256-SHA256', 'IncludeChain': True},
                     {'Password': 'pfx-Secret'})]
