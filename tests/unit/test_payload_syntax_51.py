# -*- coding: utf-8 -*-
"""No composed payload uses syntax newer than Windows PowerShell 5.1 (issue 20).

win_powershell runs the payloads in powershell.exe (5.1). One PowerShell 7 construct - a ``&&`` - and 5.1
refuses the whole script before its first line runs, on every host, while the fake host (which never
parses a payload) answers as if it had run. tests/support/windows/ps_syntax.py says where each construct is
documented as PowerShell 7 only.
"""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import load_payload, payload_names
from tests.support.windows import ps_syntax

PAYLOADS = payload_names()


@pytest.mark.parametrize('name', PAYLOADS)
def test_the_payload_is_windows_powershell_5_1_syntax(name):
    assert [str(f) for f in ps_syntax.findings(load_payload(name))] == []


def test_a_planted_pipeline_chain_operator_is_caught():
    text = load_payload('csr_create')
    old = "$ErrorActionPreference = 'Stop'"
    assert old in text
    found = ps_syntax.findings(text.replace(old, old + '\nTest-Path $RequestDir && Write-Verbose found', 1))
    assert len(found) == 1 and 'pipeline chain operator &&' in found[0].what, found


# Each construct as PowerShell 7 writes it, and what the check must call it.
PS7 = [
    ('certutil -ping || throw "no CA"', 'pipeline chain operator ||'),
    ('$port = $Port ? $Port : 443', 'ternary operator'),
    ('$name = $FriendlyName ?? $Thumbprint', 'null-coalescing operator ??'),
    ('$FriendlyName ??= $Thumbprint', 'null-coalescing assignment operator ??='),
    ('$hash = ${binding}?.CertificateHash', 'null-conditional member access ?.'),
    ('$first = ${bindings}?[0]', 'null-conditional index ?[]'),
    ('function Read-Store { process { $_ } clean { $store.Close() } }', 'clean { } block'),
    ('Start-Sleep 5 &', 'background operator &'),
]


@pytest.mark.parametrize('line,construct', PS7, ids=[c for _line, c in PS7])
def test_each_powershell_7_construct_is_named(line, construct):
    text = load_payload('pfx_state')
    old = "$ErrorActionPreference = 'Stop'"
    assert old in text
    found = ps_syntax.findings(text.replace(old, old + '\n' + line, 1))
    assert found and construct in found[0].what, found
    assert found[0].line == text[:text.index(old)].count('\n') + 2


@pytest.mark.parametrize('line', [
    '$text = "a && b ?? c ? d : e"',                     # inside a string
    'Write-Verbose go  # A && B, or $x ?? $y in 7',     # a comment
    '& certreq.exe -accept $file',                      # the call operator
    '$ok = $a -and $b -or -not $c',                     # 5.1's logical operators
    '$value = if ($a) { 1 } else { 2 }',                # 5.1's way to write a ternary
])
def test_windows_powershell_5_1_forms_are_not_reported(line):
    assert ps_syntax.findings(line) == []


@pytest.mark.parametrize('line,variable', [
    ('if ($IsWindows) { $store = "LocalMachine" }', '$IsWindows'),
    ('$PSNativeCommandUseErrorActionPreference = $true', '$PSNativeCommandUseErrorActionPreference'),
    ('Write-Verbose "$($PSStyle.Bold)done"', '$PSStyle'),
])
def test_a_powershell_7_variable_is_caught(line, variable):
    """5.1 has no such variable: reading it gives $null, setting it (to stop on a native tool's failure) does nothing."""
    found = ps_syntax.findings(line)
    assert len(found) == 1 and found[0].what.startswith(variable + ' exists only in PowerShell 7'), found


def test_the_powershell_7_variables_come_from_the_docs():
    variables = ps_syntax.ps7_variables()
    assert {'psstyle', 'iswindows', 'psnativecommanduseerroractionpreference'} <= set(variables)
    # 5.1 documents these, so they must not be in the list.
    assert not {'erroractionpreference', 'psversiontable', 'lastexitcode'} & set(variables)
    assert all(v['path'].startswith('reference/7.') for v in variables.values())


def test_text_the_grammar_cannot_parse_is_reported():
    found = ps_syntax.findings("$a = (1 + \n")
    assert found and 'does not parse' in found[0].what, found
