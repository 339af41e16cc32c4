# -*- coding: utf-8 -*-
"""Failing as Windows fails: what an unchanged ansible-playbook reports for each WinRM failure.

Each test runs real ansible-playbook over the loopback endpoint with one healthy host beside the
misbehaving one, and checks both what ansible reported and what the endpoint saw on the wire.
"""

from __future__ import annotations

import pytest

from tests.support.winrm.hoststate import save_host
from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm.fleet import EndpointError, recap, run_over_winrm

PING_TWICE = """
- hosts: windows
  gather_facts: false
  tasks:
    - name: first ping
      ansible.windows.win_ping:
    - name: second ping
      ansible.windows.win_ping:
"""


def _run(tmp_path, names, playbook=PING_TWICE, **kwargs):
    state = tmp_path / 'hosts'
    state.mkdir()
    for name in names:
        save_host(str(state), name, FakeWindowsHost())
    (tmp_path / 'play.yml').write_text(playbook)
    inventory = {'windows': {'hosts': {name: {} for name in names}}}
    proc, report = run_over_winrm(state, tmp_path / 'winrm', inventory, tmp_path / 'play.yml', cwd=tmp_path,
                                  timeout=300, **kwargs)
    return proc, proc.stdout + proc.stderr, report['stats']


@pytest.mark.parametrize('scheme,transport', [('https', 'ntlm'), ('http', 'ntlm'), ('http', 'basic')])
def test_wrong_password_is_unreachable(tmp_path, scheme, transport):
    proc, out, stats = _run(tmp_path, ['good', 'badpass'], scheme=scheme, transport=transport,
                            passwords={'badpass': 'Not-The-Password-1'})
    assert proc.returncode == 4, out   # 4: some hosts unreachable
    assert recap(out, 'badpass')['unreachable'] == 1 and recap(out, 'badpass')['ok'] == 0
    assert recap(out, 'good') == dict(recap(out, 'good'), ok=2, unreachable=0, failed=0)
    assert 'the specified credentials were rejected by the server' in out
    assert 'Not-The-Password-1' not in out
    assert stats['badpass']['auth_failures'] >= 1 and not stats['badpass']['executions']
    assert stats['good']['executions'] == {'ansible.windows.win_ping': 2}


def test_connection_refused_is_unreachable(tmp_path):
    proc, out, stats = _run(tmp_path, ['good', 'off'], hosts={'off': {'refused': True}})
    assert proc.returncode == 4, out
    assert recap(out, 'off')['unreachable'] == 1
    assert 'refused' in out.lower()
    assert 'off' not in stats and stats['good']['executions'] == {'ansible.windows.win_ping': 2}


def test_host_dropping_mid_run_stops_only_that_host(tmp_path):
    proc, out, stats = _run(tmp_path, ['good', 'flaky'], hosts={'flaky': {'drop_after': 1}})
    assert proc.returncode != 0, out
    flaky = recap(out, 'flaky')
    assert flaky['ok'] == 1 and flaky['failed'] + flaky['unreachable'] == 1, out[-3000:]
    assert stats['flaky']['dropped'] == 1 and stats['flaky']['executions'] == {'ansible.windows.win_ping': 1}
    assert recap(out, 'good')['ok'] == 2


def test_operation_timeout_is_received_again(tmp_path):
    # Each command runs 2.5 s; with a 1 s OperationTimeout the service answers fault 2150858793
    # twice before the output is there, and the client simply asks again.
    proc, out, stats = _run(tmp_path, ['slow'], hosts={'slow': {'delay_s': 2.5}}, operation_timeout=1)
    assert proc.returncode == 0, out
    assert recap(out, 'slow')['ok'] == 2
    assert stats['slow']['operation_timeouts'] >= 4
    assert stats['slow']['actions']['Receive'] == stats['slow']['operation_timeouts'] + 2


def test_request_over_max_envelope_size_fails_the_task(tmp_path):
    # WinRM 2.0 (Server 2008 R2, Exchange 2010 hosts) defaulted MaxEnvelopeSizekb to 150; ansible sends
    # stdin in 200,000-byte chunks (~270 KB envelopes), which that service answers with HTTP 413.
    proc, out, stats = _run(tmp_path, ['good', 'old'], hosts={'old': {'max_envelope_kb': 150}}, operation_timeout=1)
    assert proc.returncode == 2, out
    assert recap(out, 'old')['failed'] == 1
    assert '413' in out
    assert stats['old']['oversized'] >= 1 and not stats['old']['executions']
    assert stats['good']['executions'] == {'ansible.windows.win_ping': 2}


def test_unknown_module_fails_loudly(tmp_path):
    play = PING_TWICE.replace('ansible.windows.win_ping:', 'ansible.windows.win_file: {path: C:\\\\x, state: absent}')
    with pytest.raises(EndpointError, match='win_file'):
        _run(tmp_path, ['host'], playbook=play)
