# -*- coding: utf-8 -*-
"""Every composed payload's commands and parameters, checked against Microsoft's published reference.

The fake host answers a payload from a Python handler and never judges a line of its body, so a
command Windows does not have passed every test: issue 20's ``functions for a payload ...`` (a prose
line of the iis_bindings prelude without its ``#``) stopped every IIS read on a real host. The
catalogue (tests/support/windows/powershell_reference.json) is generated from Microsoft's documentation
repositories by hack/refresh_powershell_reference.py; the checker is tests/support/windows/ps_reference.py.
"""

from __future__ import annotations

import os
import re

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils import _win_payload
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import load_payload, payload_names
from tests.support.windows import ps_reference

HERE = os.path.dirname(os.path.abspath(__file__))
# The prelude as commit 05d46c9 shipped it, byte for byte:
# `git show 05d46c9:plugins/payloads/_preludes/iis_bindings.ps1`.
OLD_IIS_PRELUDE = os.path.join(HERE, 'fixtures', 'iis_bindings_prelude_05d46c9.ps1.txt')


@pytest.mark.parametrize('name', payload_names())
def test_every_command_and_parameter_is_in_the_reference(name):
    found = ps_reference.problems(load_payload(name))
    assert not found, '%s, as composed for the host:\n%s' % (name, '\n'.join(found))


@pytest.mark.parametrize('name', payload_names())
def test_cmdlets_are_called_by_their_names_not_aliases(name):
    found = ps_reference.aliases_used(load_payload(name))
    assert not found, '\n'.join('line %d: %s is an alias; write %s' % f for f in found)


def test_an_alias_or_a_prose_word_that_is_one_is_found():
    script = "# a comment line\nwhere the prelude ends\nGet-Item -LiteralPath C:\\ | % { $_ }\n"
    assert ps_reference.aliases_used(script) == [(2, 'where', 'Where-Object'), (3, '%', 'ForEach-Object')]


def test_the_catalogue_says_where_each_module_came_from():
    data = ps_reference.catalogue()
    sources = [data['common_parameters']] + list(data['modules'].values())
    for source in sources:
        assert source['repository'].startswith('MicrosoftDocs/')
        assert re.fullmatch(r'[0-9a-f]{40}', source['commit'])
        assert source['path']
    # The modules the payloads use, each from the repository Microsoft documents it in.
    repositories = {m: v['repository'] for m, v in data['modules'].items()}
    assert repositories['Microsoft.PowerShell.Management'] == 'MicrosoftDocs/PowerShell-Docs'
    assert repositories['WebAdministration'] == repositories['pki'] == repositories['DnsServer'] == \
        'MicrosoftDocs/windows-powershell-docs'
    assert repositories['ExchangePowerShell'] == 'MicrosoftDocs/office-docs-powershell'


def test_every_native_tool_is_declared_with_its_reason():
    for tool, reason in ps_reference.native_tools().items():
        assert len(reason) > 40, tool


def _compose_with_prelude(monkeypatch, tmp_path, name, prelude, text):
    """Payload ``name`` composed as load_payload does, with prelude ``prelude`` replaced by ``text``."""
    for other in os.listdir(_win_payload.PRELUDE_DIR):
        with open(os.path.join(_win_payload.PRELUDE_DIR, other), encoding='utf-8') as f:
            (tmp_path / other).write_text(f.read(), encoding='utf-8')
    (tmp_path / (prelude + '.ps1')).write_text(text, encoding='utf-8')
    monkeypatch.setattr(_win_payload, 'PRELUDE_DIR', str(tmp_path))
    return load_payload(name)


@pytest.mark.parametrize('name', ['iis_bindings_read', 'retire_read'])
def test_the_old_iis_prelude_fails(monkeypatch, tmp_path, name):
    with open(OLD_IIS_PRELUDE, encoding='utf-8') as f:
        old = f.read()
    found = ps_reference.problems(_compose_with_prelude(monkeypatch, tmp_path, name, 'iis_bindings', old))
    assert any(re.search(r'line \d+: functions is not a function of this script', p) for p in found), found


def _mutated(name, old, new):
    script = load_payload(name)
    assert old in script, (name, old)
    return script.replace(old, new, 1)


@pytest.mark.parametrize('name, old, new, expected', [
    # An unknown parameter, written on the call and in a splatted hashtable.
    ('csr_create', '-Recurse -Force', '-Recurse -Forse', r'Remove-Item has no parameter -Forse'),
    ('pfx_export_many', 'ChainOption =', 'ChainOptions =', r'Export-PfxCertificate has no parameter @exportArgs key '
                                                           r'ChainOptions'),
    # Two parameters no parameter set takes together: Exchange's -Identity excludes -Server.
    ('exchange_enable', 'Enable-ExchangeCertificate -Server $Server', 'Enable-ExchangeCertificate -Identity $Server '
                                                                      '-Server $Server',
     r'Enable-ExchangeCertificate: no parameter set takes -Identity, -Server'),
    ('csr_pending_read', 'Get-ChildItem -LiteralPath $dir', 'Get-ChildItem -Path $dir -LiteralPath $dir',
     r'Get-ChildItem: no parameter set takes -Path, -LiteralPath'),
    # -Identity does not exist on Exchange 2010, which the collection supports.
    ('exchange_enable', 'Enable-ExchangeCertificate -Server $Server -Thumbprint $Thumbprint',
     'Enable-ExchangeCertificate -Identity $Thumbprint', r'-Identity does not apply to Exchange Server 2010'),
    # A prefix PowerShell would accept, and one it would not (ambiguous).
    ('exchange_enable', '-Force |', '-Forc |', r'-Forc abbreviates -Force'),
    ('csr_pending_read', "-Filter '*.csr'", "-Fil '*.csr'", r'Get-ChildItem has no parameter -Fil '),
    # An Exchange cmdlet the session does not import does not exist on the managed host.
    ('exchange_enable', "'Enable-ExchangeCertificate')", "'Get-ExchangeCertificate')",
     r'Enable-ExchangeCertificate is an Exchange cmdlet the script does not import'),
    # A native tool no one declared, run through the payload's Invoke-NativeCommand.
    ('csr_create', "-FilePath 'certreq.exe'", "-FilePath 'openssl.exe'", r"passes -filepath 'openssl.exe', not a "
     r"declared native tool"),
    # A module-qualified name must name the cmdlet's own module.
    ('pfx_state', '| ConvertTo-Json -Compress', '| Microsoft.PowerShell.Management\\ConvertTo-Json -Compress',
     r'ConvertTo-Json is not in module Microsoft.PowerShell.Management but in Microsoft.PowerShell.Utility'),
    # A module that does not exist (misspelt).
    ('dcv_iis_read', 'Import-Module WebAdministration', 'Import-Module WebAdminstration',
     r'Import-Module WebAdminstration: not a module of the reference'),
    # A function of the script called with a parameter it does not declare.
    ('csr_create', "Invoke-NativeCommand -FilePath", "Invoke-NativeCommand -Path", r'function Invoke-NativeCommand '
                                                                                   r'has no parameter -path'),
])
def test_the_check_catches(name, old, new, expected):
    found = ps_reference.problems(_mutated(name, old, new))
    assert any(re.search(expected, p, re.I) for p in found), found


def test_a_native_tool_named_in_quotes_counts_as_that_tool():
    assert ps_reference.problems("& 'certutil.exe' -store My\n& 'openssl.exe' version\n") == [
        'line 2: openssl.exe is not a function of this script, a Windows PowerShell 5.1 cmdlet or alias of the '
        'reference, nor a declared native tool']


def test_a_pipeline_command_the_reference_lacks_fails():
    # Valid PowerShell 7 and a real cmdlet of 7, but not of Windows PowerShell 5.1.
    assert ps_reference.problems("$x = @{} | ConvertTo-Json | Test-Json\n") == [
        'line 1: Test-Json is not a function of this script, a Windows PowerShell 5.1 cmdlet or alias of the '
        'reference, nor a declared native tool']
