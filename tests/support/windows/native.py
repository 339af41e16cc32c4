# -*- coding: utf-8 -*-
"""A native tool (certreq, certutil) failing on the fake host, reported the way the payload's script would.

Windows PowerShell 5.1 with ``$ErrorActionPreference = 'Stop'`` turns the first stderr line of
``& tool.exe ... 2>&1`` into a terminating NativeCommandError (the merged stderr records go through
the error-action check): the script stops there, before it can read ``$LASTEXITCODE``, so all the
operator sees is ``tool.exe : <first line>``. A payload that runs the tool through its
``Invoke-NativeCommand`` helper ('Continue' in that scope, every line kept) reports the exit code
and the whole message in its own throw.

Tests arm a failure with ``fail_native(host, 'certreq', exit_code, [stderr lines])``.
"""

from __future__ import annotations

from tests.support.windows import script_facts
from tests.support.windows.host import HostFailure


def fail_native(host, tool, exit_code, stderr):
    host.state.setdefault('native_failures', {})[tool.lower()] = (exit_code, list(stderr))


def check_native(host, tool, what):
    """Raise what the payload reports when ``tool`` was armed to fail; return quietly otherwise."""
    armed = host.state.get('native_failures', {}).get(tool.lower())
    if armed is None:
        return
    exit_code, stderr = armed
    direct = [c for c in script_facts.calls(host.script) if c.is_native and c.name.lower().split('.')[0] == tool.lower()
              and '2>&1' in c.redirections]
    if direct and stderr:
        error = HostFailure('%s : %s' % (direct[0].name, stderr[0]))
        error.exception_type = 'System.Management.Automation.RemoteException'
        error.fqid = 'NativeCommandError'
        raise error
    raise HostFailure('%s failed (exit %d): %s' % (what, exit_code, '\n'.join(stderr).strip()))
