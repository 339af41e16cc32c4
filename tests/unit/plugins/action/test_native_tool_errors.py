# -*- coding: utf-8 -*-
"""certreq failing on the host: the error names the exit code and everything the tool said (issue 10).

Under $ErrorActionPreference = 'Stop', Windows PowerShell 5.1 turns the first stderr line of
`& certreq.exe ... 2>&1` into a terminating NativeCommandError; tests/support/windows/native.py
reports a failure the way the payload's script would, from how the script runs the tool.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_complete_request import ActionModule as Complete
from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule as Csr
from tests.support.action_harness import run_action
from tests.support.windows import request as _request_handlers  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import pending_entry
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.native import fail_native

KEYSET = ['Certificate Request Processor: Keyset does not exist 0x80090016 (-2146893802 NTE_BAD_KEYSET)',
          'request.inf: the private key of the pending request could not be opened']


def test_csr_create_failure_names_exit_code_and_whole_message():
    host = FakeWindowsHost()
    fail_native(host, 'certreq', -2146893802, KEYSET)
    with pytest.raises(AnsibleActionFail) as e:
        run_action(Csr, {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited'},
                   host=host, action_name='hkpost.ecert.hkpost_csr')
    assert 'exit -2146893802' in str(e.value)
    assert 'could not be opened' in str(e.value)


def test_complete_request_failure_names_exit_code_and_whole_message(pki):
    host = FakeWindowsHost()
    host.stores['REQUEST'].append(pending_entry(pki.leaves['standard'].key, 'www.example.hk', 'request www'))
    fail_native(host, 'certreq', -2147024891, ['Certificate Request Processor: Access is denied. 0x80070005',
                                               '(WIN32: 5 ERROR_ACCESS_DENIED)'])
    with pytest.raises(AnsibleActionFail) as e:
        run_action(Complete, {'content': pki.leaves['standard'].pem}, host=host)
    assert 'exit -2147024891' in str(e.value) and 'ERROR_ACCESS_DENIED' in str(e.value)
    assert host.stores['My'] == []
