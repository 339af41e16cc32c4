# -*- coding: utf-8 -*-
"""_win_payload masks the sensitive parameters it sent in the error text it raises, and in the free text of an
answer a caller shows (issue 22).

Ansible.Basic masks no_log values in win_powershell's ``msg`` and ``invocation`` only; an ``error`` record is the
script's own text and may quote a value (a cmdlet naming the argument it refused). PayloadError's message becomes
the task's ``msg`` (HkpostAction.run), so this is the one place such a record is cleaned. The same path at -vvvv
over WinRM: tests/integration/winrm/test_secrets_at_vvvv.py.
"""

from __future__ import annotations

import json

import pytest
from ansible.utils.display import Display

from ansible_collections.hkpost.ecert.plugins.action.hkpost_retire import ActionModule as Retire
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError, run_payload
from tests.support.action_harness import run_action

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


class _ExchangeErrorHost:
    """retire_read answering, its Exchange session having failed with a message that quotes the credential's
    password (the payload catches the failure and reports the message in its answer, not as an error record)."""

    def execute_module(self, module_name, module_args, task_vars=None):
        password = module_args['sensitive_parameters'][0]['password']
        answer = {'os_build': 20348, 'stores': {'My': [], 'WebHosting': [], 'CA': [], 'Root': []},
                  'iis': {'present': False, 'sites': [], 'sslcert': {'ipport': [], 'hostnameport': []}},
                  'exchange': {'present': True, 'known': False, 'certificates': [],
                               'error': 'New-PSSession: logon refused for password "%s"' % password}}
        return {'changed': False, 'failed': False, 'output': [json.dumps(answer)], 'error': []}


def test_an_exchange_error_in_retire_reads_answer_is_masked(monkeypatch):
    warnings = []
    monkeypatch.setattr(Display, 'warning', lambda self, msg, *a, **kw: warnings.append(msg))
    result = run_action(Retire, {'exchange': True, 'server': 'ex1.corp.example.hk', 'username': 'EX\\svc',
                                 'password': PASSWORD},
                        host=_ExchangeErrorHost(), task_vars={'inventory_hostname': 'ex1'})
    assert result['exchange_error'] == 'New-PSSession: logon refused for password "********"'
    assert warnings and all(PASSWORD not in w for w in warnings) and '"********"' in warnings[0]
    assert PASSWORD not in json.dumps(result)
