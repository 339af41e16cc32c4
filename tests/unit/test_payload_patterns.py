# -*- coding: utf-8 -*-
"""Static checks over the parsed payloads (tree-sitter-powershell): the Windows patterns issue 10 found broken.

Each rule is a way a payload once broke on a real host while every fake-host test passed; the
fake host models the same rules from the script text (tests/support/windows/script_facts.py), and
these checks keep every payload - present and future - inside them.
"""

from __future__ import annotations

import os
import re

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import load_payload, payload_names
from tests.support.windows import script_facts

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Every rule is checked on the script as the host runs it: the payload with its preludes composed in.
PAYLOADS = payload_names()

# Cmdlets that support ShouldProcess (their syntax in Microsoft's reference lists -WhatIf): under
# the -WhatIf win_powershell binds to a SupportsShouldProcess script in check mode they do nothing.
SHOULD_PROCESS = {
    'remove-pssession', 'disconnect-pssession', 'remove-item', 'new-item', 'set-item', 'copy-item', 'move-item',
    'rename-item', 'clear-item', 'set-content', 'add-content', 'clear-content', 'out-file', 'export-csv',
    'set-itemproperty', 'new-itemproperty', 'remove-itemproperty', 'new-variable', 'set-variable',
    'remove-variable', 'stop-process', 'start-service', 'stop-service', 'restart-service', 'remove-module',
    'export-pfxcertificate', 'import-pfxcertificate', 'add-dnsserverresourcerecord',
    'remove-dnsserverresourcerecord', 'set-dnsserverresourcerecord', 'set-webconfigurationproperty',
    'add-webconfigurationproperty', 'remove-webconfigurationproperty', 'new-webbinding', 'remove-webbinding',
    'set-acl', 'remove-job',
}


def _file(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def _text(name):
    return load_payload(name)


def _is_read_payload(text):
    return '[CmdletBinding(SupportsShouldProcess)]' in text


@pytest.mark.parametrize('name', PAYLOADS)
def test_dns_records_are_read_at_the_node_and_errors_are_not_swallowed(name):
    """community.windows win_dns_record always passes -Node; without it '@' returns the whole zone."""
    for call in script_facts.calls(_text(name), 'Get-DnsServerResourceRecord'):
        assert call.has('Node'), 'line %d: Get-DnsServerResourceRecord without -Node' % call.line
        assert not script_facts.swallows_errors(call), 'line %d: errors (access denied, no zone) hidden' % call.line


@pytest.mark.parametrize('name', PAYLOADS)
def test_only_temporary_file_cleanup_may_silence_errors(name):
    for call in script_facts.calls(_text(name)):
        if script_facts.swallows_errors(call):
            assert call.name.lower() == 'remove-item', \
                'line %d: %s -ErrorAction %s hides a failure the operator must see' % (
                    call.line, call.name, call.value('ErrorAction'))


@pytest.mark.parametrize('name', PAYLOADS)
def test_should_process_cmdlets_in_read_payloads_act_under_whatif(name):
    """A read payload runs in check mode with -WhatIf; its cleanup (Remove-PSSession...) must still act."""
    text = _text(name)
    if not _is_read_payload(text):
        return
    for call in script_facts.calls(text):
        if call.name.lower() in SHOULD_PROCESS:
            assert script_facts.whatif_off(call), 'line %d: %s in a check-mode payload needs -WhatIf:$false' % (
                call.line, call.name)


@pytest.mark.parametrize('name', PAYLOADS)
def test_native_tools_run_through_the_capture_helper(name):
    """Under 'Stop', Windows PowerShell 5.1 turns a native tool's first stderr line into a terminating error."""
    text = _text(name)
    direct = [c for c in script_facts.calls(text) if c.is_native]
    assert not direct, 'line %d: %s runs directly; use Invoke-NativeCommand' % (direct[0].line, direct[0].name) \
        if direct else ''
    helper = re.search(r'function Invoke-NativeCommand \{(.*?)\n\}', text, re.S)
    if script_facts.calls(text, 'Invoke-NativeCommand'):
        assert helper, 'Invoke-NativeCommand is called but not defined in the payload'
    if helper:
        assert "$ErrorActionPreference = 'Continue'" in helper.group(1)
        assert '$LASTEXITCODE' in helper.group(1) and '2>&1' in helper.group(1)


@pytest.mark.parametrize('name', PAYLOADS)
def test_iis_bindings_are_replaced_never_changed_in_place_and_committed_once(name):
    """win-acme IISClient.UpdateBinding: replace the binding element (issue #371)."""
    text = _text(name)
    for member in ('CertificateHash', 'CertificateStoreName'):
        assert not script_facts.in_place_member_changes(text, member), \
            '%s changed on an existing binding element' % member
    # One commit per write: per payload, or - iis_apply, whose steps each write once - per step function, so a step
    # is wholly committed or not at all and the controller knows what to put back.
    functions = script_facts.defined_functions(text)
    top = script_facts.without_functions(text, functions).count('CommitChanges()')
    assert top <= 1, 'one commit per payload'
    for function in functions:
        alone = script_facts.without_functions(text, functions - {function})
        assert alone.count('CommitChanges()') - top <= 1, 'one commit in %s' % function


@pytest.mark.parametrize('name', PAYLOADS)
def test_read_payloads_survive_a_missing_request_store(name):
    text = _text(name)
    if not _is_read_payload(text):
        return
    for call in script_facts.calls(text, 'Get-ChildItem'):
        if 'REQUEST' in ' '.join(str(v) for v in call.parameters.values()) + ' '.join(call.arguments):
            assert script_facts.guarded_by_test_path(call), 'line %d: LocalMachine\\REQUEST may not exist' % call.line


def test_crl_store_open_failure_is_an_error():
    # the CRL reader of chain_read and retire_read: the chain_stores prelude
    text = _file(os.path.join(ROOT, 'plugins/payloads/_preludes/chain_stores.ps1'))
    block = text[text.index('CertOpenStore(new IntPtr'):]
    block = block[:block.index('CertEnumCRLsInStore')]
    assert 'throw new System.ComponentModel.Win32Exception' in block
    assert 'return result' not in block


# Cmdlets whose output objects carry NoteProperties that Windows PowerShell 5.1's ConvertTo-Json
# writes out: a Get-Content string becomes {"value": ..., "PSPath": ..., "PSDrive": ...} (PowerShell
# issue #6458), a Get-Date DateTime {"value": ..., "DisplayHint": ..., "DateTime": ...}.
_DECORATED = {'get-content': 'read files with [System.IO.File]::ReadAllText / ReadAllBytes',
              'get-date': 'format the date (Get-Date -Format ...) before it reaches the answer'}


def _decorated_reads(text):
    found = []
    for call in script_facts.calls(text):
        name = call.name.lower()
        if name == 'get-date' and (call.has('Format') or call.has('UFormat')):
            continue
        if name in _DECORATED:
            found.append('line %d: %s - %s' % (call.line, call.name, _DECORATED[name]))
    return found


@pytest.mark.parametrize('name', PAYLOADS)
def test_answers_hold_no_values_windows_powershell_writes_as_objects(name):
    assert not _decorated_reads(_text(name))


@pytest.mark.parametrize('name', PAYLOADS)
def test_one_json_answer_with_an_explicit_depth(name):
    """ConvertTo-Json's default -Depth is 2 and deeper data silently becomes "System.Collections.Hashtable"."""
    found = script_facts.calls(_text(name), 'ConvertTo-Json')
    assert len(found) == 1, 'one JSON document out, written once'
    assert found[0].function is None, 'the answer is written at script level, as the last statement'
    assert isinstance(found[0].value('Depth'), str) and found[0].value('Depth').isdigit(), 'ConvertTo-Json needs -Depth'


def test_rules_catch_the_defects_they_were_written_for():
    """The checks above must fail on the patterns they forbid (so they cannot pass vacuously)."""
    dns = 'Get-DnsServerResourceRecord -ZoneName $z -Name $n -RRType Txt -ErrorAction SilentlyContinue'
    call = script_facts.calls(dns)[0]
    assert not call.has('Node') and script_facts.swallows_errors(call)
    assert not script_facts.whatif_off(script_facts.calls('Remove-PSSession -Session $s')[0])
    assert script_facts.whatif_off(script_facts.calls('Remove-PSSession -Session $s -WhatIf:$false')[0])
    assert script_facts.calls('$o = & certutil.exe -addstore CA $f 2>&1')[0].is_native
    assert script_facts.in_place_member_changes('$b = $s.Bindings | Select-Object -First 1\n$b.CertificateHash = $h', 'CertificateHash')
    assert not script_facts.in_place_member_changes("$n = $s.Bindings.CreateElement('binding')\n$n.CertificateHash = $h",
                                                    'CertificateHash')
    unguarded = script_facts.calls("$p = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\REQUEST')", 'Get-ChildItem')[0]
    assert not script_facts.guarded_by_test_path(unguarded)
    assert _decorated_reads('$csr = Get-Content -LiteralPath $p -Raw') and _decorated_reads('$d = Get-Date')
    assert not _decorated_reads("$csr = [System.IO.File]::ReadAllText($p)\n$d = Get-Date -Format 'yyyyMMdd'")


def test_every_payload_has_its_anchor_in_the_windows_internals_page():
    page = _file(os.path.join(ROOT, 'docs/docsite/rst/windows_internals.rst'))
    rows = re.findall(r'^   \* - ``(\w+)``$', page, re.M)
    names = sorted(PAYLOADS)
    assert sorted(rows) == names, 'windows_internals.rst rows differ from plugins/payloads: %s' % sorted(
        set(rows) ^ set(names))
    for block in page.split('\n   * - ')[2:]:   # [1] is the header row
        assert 'https://' in block, 'each anchor names the page or implementation it follows: %s' % block[:40]
