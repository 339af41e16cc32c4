# -*- coding: utf-8 -*-
"""_win_payload masks the sensitive parameters it sent in the error text it raises (issue 22).

Ansible.Basic masks no_log values in win_powershell's ``msg`` and ``invocation`` only; an ``error`` record is the
script's own text and may quote a value (a cmdlet naming the argument it refused). PayloadError's message becomes
the task's ``msg`` (HkpostAction.run), so this is the one place such a record is cleaned. The same path at -vvvv
over WinRM: tests/integration/winrm/test_secrets_at_vvvv.py.
"""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError, run_payload

VALUE = 'Masking-Value-6a0f2c'
PASSWORD = 'Masking-Credential-91be47'


class _Failing:
    """An action whose win_powershell run fails with records quoting whatever it was sent."""

    def __init__(self):
        self.sent = None

    def _execute_module(self, module_name=None, module_args=None, task_vars=None):
        self.sent = module_args
        quoted = ' '.join(e.get('value') or e.get('password') for e in module_args['sensitive_parameters'])
        return {'failed': True, 'msg': 'Unhandled exception while executing script: refused %s' % quoted,
                'error': [{'output': 'Export-PfxCertificate : password %s refused; again: %s' % (quoted, quoted)},
                          {'exception': {'message': 'New-PSSession: %s' % quoted}},
                          'a record that is only text: %s' % quoted]}


def test_value_and_credential_passwords_are_masked_everywhere_in_the_error_text():
    action = _Failing()
    with pytest.raises(PayloadError) as failure:
        run_payload(action, {}, 'pfx_state', {'Store': 'My'},
                    {'Password': VALUE, 'Credential': {'username': 'EX\\svc', 'password': PASSWORD}})
    text = str(failure.value)
    assert VALUE not in text and PASSWORD not in text
    assert text.count('********') == 10  # five quotations of two secrets
    # The secrets did go to the host: the masking is of what came back, not of what was sent.
    assert {e['name'] for e in action.sent['sensitive_parameters']} == {'Password', 'Credential'}
