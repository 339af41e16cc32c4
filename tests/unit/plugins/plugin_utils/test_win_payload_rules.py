# -*- coding: utf-8 -*-
"""What run_payload makes of win_powershell's result, and which files are payloads (plugins/plugin_utils/_win_payload.py).

win_powershell's result is read as the real module returns it (ansible.windows 3.3.0, plugins/modules/win_powershell.ps1
and ansible-core's unreachable result, which has ``msg`` and no ``error``); the task's ``msg`` is
PayloadError's text (plugins/plugin_utils/_action.py), so it is asserted word for word.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils import _win_payload
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import (
    PayloadError, masked, payload_names, payload_path, run_payload)


class _Answering:
    """An action whose win_powershell run returns ``result``."""

    def __init__(self, result):
        self.result = result
        self.sent = None

    def _execute_module(self, module_name=None, module_args=None, task_vars=None):
        self.sent = module_args
        return self.result


def _failure(result, sensitive=None):
    with pytest.raises(PayloadError) as failure:
        run_payload(_Answering(result), {}, 'pfx_state', {'Store': 'My'}, sensitive)
    return str(failure.value)


def test_an_unreachable_host_fails_with_the_connections_message():
    # ansible-core's unreachable result: no 'failed', no 'error', no 'output'
    assert _failure({'unreachable': True, 'msg': 'ntlm: the specified credentials were rejected by the server'}) == \
        'pfx_state: ntlm: the specified credentials were rejected by the server'


def test_a_failure_without_error_records_reports_its_message():
    assert _failure({'failed': True, 'msg': 'Unsupported parameters for (win_powershell) module: path'}) == \
        'pfx_state: Unsupported parameters for (win_powershell) module: path'


def test_a_failure_with_no_message_at_all_says_so():
    assert _failure({'failed': True, 'msg': '', 'error': [{'output': '  '}]}) == \
        'pfx_state: the payload failed without a message'


def test_error_records_are_reported_as_their_text_blank_ones_left_out():
    result = {'failed': True, 'msg': '',
              'error': [{'output': 'Import-PfxCertificate : The PFX password is incorrect.'},
                        {'output': '', 'exception': {'message': 'Access is denied.'}},
                        {'output': ' \r\n'}, '   ', 'a record that is only text']}
    assert _failure(result) == ('pfx_state: Import-PfxCertificate : The PFX password is incorrect.; Access is denied.; '
                                'a record that is only text')


@pytest.mark.parametrize('output, expected', [
    ([], 'returned no output'),
    (None, 'returned no output'),
    (['WARNING: not JSON'], 'output is not JSON'),
    (['[1, 2]'], 'JSON but not an object'),
    (['"text"'], 'JSON but not an object'),
])
def test_an_answer_that_is_not_one_json_object_is_refused(output, expected):
    assert expected in _failure({'changed': False, 'failed': False, 'output': output, 'error': []})


def test_the_answer_is_the_last_output():
    answer = run_payload(_Answering({'changed': False, 'output': ['{"first": 1}', '{"last": 2}']}), {}, 'pfx_state')
    assert answer == {'last': 2}


def test_masked_masks_the_secrets_of_free_text_and_leaves_other_values_alone():
    sensitive = {'Password': 'pfx-Secret-1', 'Credential': {'username': 'EX\\svc', 'password': 'cred-Secret-2'}}
    assert masked('refused pfx-Secret-1 and cred-Secret-2', sensitive) == 'refused ******** and ********'
    assert masked(None, sensitive) is None
    assert masked({'error': 'pfx-Secret-1'}, sensitive) == {'error': 'pfx-Secret-1'}
    assert masked('nothing was sent', None) == 'nothing was sent'


def test_a_secret_goes_as_a_value_and_a_username_password_pair_as_a_credential():
    action = _Answering({'changed': False, 'output': [json.dumps({'ok': True})]})
    run_payload(action, {}, 'pfx_state', {'Store': 'My'},
                {'Password': 'pfx-Secret-1', 'Credential': {'username': 'EX\\svc', 'password': 'cred-Secret-2'}})
    assert action.sent['sensitive_parameters'] == [
        {'name': 'Password', 'value': 'pfx-Secret-1'},
        {'name': 'Credential', 'username': 'EX\\svc', 'password': 'cred-Secret-2'}]
    assert action.sent['parameters'] == {'Store': 'My'} and action.sent['error_action'] == 'stop'


def test_only_ps1_files_in_phase_folders_are_payloads(tmp_path, monkeypatch):
    """An editor's backup or a README beside the payloads, a file at the top of payloads/ and the _preludes
    folder are no payloads."""
    for folder, name in [('request', 'csr_read.ps1'), ('request', 'csr_read.ps1.orig'), ('request', 'README.md'),
                         ('install', 'pfx_state.ps1'), ('_preludes', 'exchange_session.ps1')]:
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name).write_text('# hkpost.ecert payload: %s\n' % name)
    (tmp_path / 'NOTES.txt').write_text('not a phase folder')
    monkeypatch.setattr(_win_payload, 'PAYLOAD_DIR', str(tmp_path))
    assert payload_names() == ['csr_read', 'pfx_state']
    assert payload_path('pfx_state') == str(tmp_path / 'install' / 'pfx_state.ps1')
