# -*- coding: utf-8 -*-
"""What the endpoint does not emulate is refused at once, naming what it got (issue 20).

A play that takes the POSIX path against a Windows host sends shell text (python interpreter
discovery, ``raw``) as a WinRS command with no stdin, and POSIX modules (AnsiballZ) as stdin of
ansible's PowerShell bootstrap. The endpoint used to wait for stdin that never came, answering
OperationTimeout faults the client retries without end (929 s seen). Each task here carries a task
``timeout``: a hang fails the task as "Timed out after 120 second(s)", not with the message the test
looks for - no timer in the test itself.
"""

from __future__ import annotations

import pytest
import yaml

from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm.fleet import EndpointError, WinrmFleet
from tests.support.winrm.hoststate import save_host

# Each task fails on its own (ignore_errors), so one ansible-playbook run shows every refusal.
PLAY = r"""
- hosts: windows
  gather_facts: false
  ignore_errors: true
  tasks:
    - name: a POSIX module (python interpreter discovery first)
      ansible.builtin.file: {path: /tmp/hkpost-x, state: touch}
      timeout: 120
    - name: raw POSIX shell text
      ansible.builtin.raw: echo ~
      timeout: 120
    - name: facts (ansible.windows.setup, not emulated)
      ansible.builtin.setup:
      timeout: 120
    - name: a payload with no handler
      ansible.windows.win_powershell:
        script: |
          # hkpost.ecert payload: no_such_payload
          'x'
      timeout: 120
    - name: a script that is no payload
      ansible.windows.win_powershell:
        script: Get-Date
      timeout: 120
"""

# The interpreter discovery ansible runs before a POSIX module (shell text, no stdin): ansible keeps
# its answer to itself (it falls back to /usr/bin/python3), so only the endpoint's errors show it.
DISCOVERY = "not a module execution (a command that reads no stdin): PowerShell -EncodedCommand of \"echo FOUND; command -v"
REFUSALS = [
    'a POSIX module (ansible.modules.file, #!/usr/bin/python3) sent to a Windows host',
    "not a module execution (a command that reads no stdin): PowerShell -EncodedCommand of 'echo ~'",
    'the WinRM test endpoint emulates win_ping and win_powershell only; ansible.windows.setup was sent',
    'payload no_such_payload has no handler on this fake host',
    'win_powershell script without the "# hkpost.ecert payload: NAME" header',
]


def test_unemulated_executions_are_refused_at_once(tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    save_host(str(state), 'win', FakeWindowsHost())
    (tmp_path / 'play.yml').write_text(PLAY)
    # A generous client: 30 s per Receive, 40 s read timeout; a hang would retry until the task timeout.
    fleet = WinrmFleet(state, tmp_path / 'winrm', operation_timeout=30)
    with pytest.raises(EndpointError) as endpoint_errors:
        with fleet:
            # As users write it: the docs' inventory example (the connection only, no ansible_shell_type).
            inventory = tmp_path / 'inventory.yml'
            inventory.write_text(yaml.safe_dump(fleet.winrm_inventory({'windows': {'hosts': {'win': {}}}})))
            proc = fleet.run_playbook(tmp_path / 'play.yml', inventory, cwd=tmp_path, timeout=900)
    out = proc.stdout + proc.stderr
    # the task timeout's message: 2.19+ "Timed out after 120 second(s)", 2.16-2.18 "... expected time frame"
    assert 'Timed out after' not in out and 'expected time frame' not in out, out[-4000:]
    # ansible shows the endpoint's stderr (module_stderr / stderr) folded over lines; unfold it.
    flat = ' '.join(out.replace("''", "'").split())
    for refusal in REFUSALS:
        assert refusal in flat, (refusal, out[-6000:])
        assert refusal in str(endpoint_errors.value)
    assert DISCOVERY in str(endpoint_errors.value)
    assert 'ignored=5' in flat, out[-2000:]
    stats = fleet.report['stats']['win']
    assert stats['operation_timeouts'] == 0, stats
