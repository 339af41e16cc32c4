# -*- coding: utf-8 -*-
"""exchange_cert: a check run closes its Exchange session, and unknown services are never "unused" (issue 10).

The fake Exchange endpoint models Remove-PSSession as the ShouldProcess cmdlet it is: under the
-WhatIf win_powershell passes to a SupportsShouldProcess script in check mode, it closes nothing
unless the call says -WhatIf:$false (tests/support/windows/exchange.py).
"""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.action.exchange_cert import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import reported_services
from tests.support.action_harness import run_action
from tests.support.windows import retire as fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.exchange import add_certificate, add_pending, exchange_state
from tests.support.windows.host import FakeWindowsHost


def run(host, args, check_mode=False):
    # The harness adds the _ansible_* arguments (check mode among them) as ActionBase._execute_module does.
    return run_action(ActionModule, args, host=host, check_mode=check_mode,
                      task_vars={'inventory_hostname': 'ex1.example.hk'})


@pytest.fixture
def host():
    fake = FakeWindowsHost(os_build=14393)
    exchange_state(fake)
    return fake


def test_check_mode_read_closes_its_exchange_session(pki, host):
    leaf = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'])
    add_pending(host, leaf.key, 'mail.example.hk')
    for _run in range(3):
        assert run(host, {'content': leaf.pem, 'services': ['IIS']}, check_mode=True)['changed']
    assert [n for n, _p in host.calls] == ['exchange_read'] * 3
    assert exchange_state(host).get('leaked_sessions', []) == []


def test_unknown_status_and_services_are_never_removed(pki, host):
    leaf = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'])
    old = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'],
                         not_before=pki.now - datetime.timedelta(days=150))
    # Serialized data signing + expired Auth certificate: only RawData comes back for the old one.
    add_certificate(host, old.cert, old.key, services=None, status=None)
    add_pending(host, leaf.key, 'mail.example.hk')
    args = {'content': leaf.pem, 'services': ['IIS', 'SMTP'], 'remove_superseded': True, 'backup': False}
    predicted = run(host, args, check_mode=True)
    assert predicted['removed'] == [] and predicted['superseded'] == []
    assert 'unknown is never removed' in predicted['kept'][0]['reason']
    result = run(host, args)
    assert result['removed'] == []
    assert old.thumbprint in {c['thumbprint'] for c in exchange_state(host)['certificates']}
    assert 'retire_apply' not in [n for n, _p in host.calls]


@pytest.mark.parametrize('raw, expected', [
    ({'status': 'Valid', 'services': 'IMAP, POP, IIS, SMTP'}, ['IIS', 'IMAP', 'POP', 'SMTP']),
    ({'status': 'Valid', 'services': 'None'}, []),
    ({'status': None, 'services': None}, None),
    ({'status': '', 'services': ''}, None),       # what [string]$null gives
    ({'status': 'Valid', 'services': ''}, None),
])
def test_reported_services(raw, expected):
    assert reported_services(raw) == expected
