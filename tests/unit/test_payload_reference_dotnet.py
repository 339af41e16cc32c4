# -*- coding: utf-8 -*-
"""Every .NET type and static member a composed payload names exists in .NET Framework 4.8 (issue 20).

Windows PowerShell 5.1 resolves ``[Convert]::ToBase64String``, ``[X509KeyStorageFlags]'MachineKeySet,
PersistKeySet'`` or ``New-Object -TypeName X`` only when the line runs; the fake host never runs it. The
reference is data from Microsoft's repositories (tests/support/powershell_reference/dotnet.json, written by
hack/refresh_dotnet_reference.py); the tests below also plant the defects it exists to catch.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import re

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import load_payload, payload_names
from tests.support.windows import dotnet_reference

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAYLOADS = payload_names()


def _planted(name, old, new):
    text = load_payload(name)
    assert old in text, 'the payload %s no longer says %r: plant the defect elsewhere' % (name, old)
    return text.replace(old, new, 1)


def _messages(script, catalogue=None):
    return [str(f) for f in dotnet_reference.findings(script, catalogue)]


@pytest.mark.parametrize('name', PAYLOADS)
def test_every_dotnet_name_in_the_payload_is_in_the_framework_reference(name):
    assert _messages(load_payload(name)) == []


def test_the_catalogue_says_where_each_type_was_read():
    catalogue = dotnet_reference.load()
    sources = catalogue['sources']
    for key in ('dotnet-api-docs', 'PowerShell-Docs', 'iis-docs'):
        assert re.fullmatch(r'[\w.-]+/[\w.-]+', sources[key]['repo']) and re.fullmatch(r'[0-9a-f]{40}',
                                                                                       sources[key]['commit'])
    for full, entry in catalogue['types'].items():
        assert entry['source'] in sources and entry['path'] and re.fullmatch(r'[0-9a-f]{40}', entry['commit'])
        if entry['source'] == 'dotnet-api-docs':
            # The file dotnet-api-docs keeps a type in: xml/<Namespace>/<Name>.xml (List`1 for List<T>).
            namespace, _sep, short = full.rpartition('.')
            assert entry['path'].lower() == 'xml/%s/%s.xml' % (namespace, short), full
    assert catalogue['accelerators']['map']['pscredential'] == 'System.Management.Automation.PSCredential'


def test_a_typo_in_a_static_method_is_caught():
    script = _planted('csr_create', '[Convert]::ToBase64String(', '[Convert]::ToBase64Strng(')
    found = _messages(script)
    assert len(found) == 1 and '[Convert]::ToBase64Strng' in found[0] and 'no static member' in found[0], found


def test_a_typo_in_an_enum_flag_string_is_caught():
    """The flags pfx_import needs (without PersistKeySet Windows deletes the imported key) are checked by name."""
    script = _planted('pfx_import', "'MachineKeySet, PersistKeySet'", "'MachineKeySet, PersistKeySett'")
    found = _messages(script)
    assert len(found) == 1 and 'PersistKeySett' in found[0], found


def test_a_typo_in_an_enum_value_is_caught():
    script = _planted('pfx_import', 'X509KeyStorageFlags]::Exportable', 'X509KeyStorageFlags]::Exportabel')
    assert any('Exportabel' in m for m in _messages(script))


def test_a_type_that_does_not_exist_is_caught():
    script = _planted('chain_apply', '[System.Security.Cryptography.X509Certificates.X509Store]::new(',
                      '[System.Security.Cryptography.X509Certificates.X509CertStore]::new(')
    found = _messages(script)
    assert len(found) == 1 and 'X509CertStore' in found[0] and 'not in the .NET Framework 4.8 reference' in found[0], found


def test_a_new_object_type_that_does_not_exist_is_caught():
    script = _planted('dcv_iis_write', 'System.Text.UTF8Encoding', 'System.Text.Utf8Encoder')
    assert any('Utf8Encoder' in m for m in _messages(script))


def test_a_member_added_after_net_framework_4_8_is_caught():
    """Convert.TryFromBase64String is .NET Core 2.1+: documented, but not in .NET Framework 4.8."""
    script = _planted('complete_request', '[Convert]::FromBase64String(', '[Convert]::TryFromBase64String(')
    found = _messages(script)
    assert len(found) == 1 and 'not for .NET Framework 4.8' in found[0], found


def test_a_type_outside_net_framework_is_caught():
    catalogue = copy.deepcopy(dotnet_reference.load())
    catalogue['types']['system.bitconverter']['in_framework'] = False
    found = _messages(load_payload('iis_bindings_read'), catalogue)
    assert found and all('not for .NET Framework 4.8' in m for m in found), found


def test_an_iis_type_needs_its_assembly_loaded():
    script = _planted('iis_apply', "Add-Type -Path (Join-Path $env:windir 'System32\\inetsrv\\Microsoft.Web."
                                   "Administration.dll')", '')
    found = _messages(script)
    assert len(found) == 1 and 'never loads' in found[0], found


def test_a_typo_in_a_method_of_an_object_the_script_built_is_caught():
    script = _planted('retire_apply', '$store.Open(', '$store.Opne(')
    found = _messages(script)
    assert len(found) == 1 and '$store.Opne()' in found[0] and 'no instance method Opne' in found[0], found


def test_a_typo_in_an_enum_value_passed_as_a_string_is_caught():
    """X509Store.Open takes OpenFlags; PowerShell converts 'ReadOnly, OpenExistingOnly' by value name at run time."""
    script = _planted('chain_read', "'ReadOnly, OpenExistingOnly'", "'ReadOnly, OpenExistingOnlyy'")
    found = _messages(script)
    assert len(found) == 1 and 'OpenFlags, which has no value OpenExistingOnlyy' in found[0], found
    script = _planted('retire_apply', "-ArgumentList $removal.store, 'LocalMachine'",
                      "-ArgumentList $removal.store, 'LocalMachin'")
    found = _messages(script)
    assert len(found) == 1 and 'StoreLocation, which has no value LocalMachin' in found[0], found


def test_types_the_script_compiles_itself_are_its_own():
    assert _messages(load_payload('chain_read')) == []
    script = _planted('chain_read', 'public static class HkpostCrlReader', 'public static class HkpostCrlReadr')
    assert any('HkpostCrlReader' in m for m in _messages(script))


def _refresh_module():
    spec = importlib.util.spec_from_file_location('refresh_dotnet_reference',
                                                  os.path.join(ROOT, 'hack', 'refresh_dotnet_reference.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _OneFile:
    """A repository holding one type file, for the refresh script's reader."""

    def __init__(self, text):
        self.text = text

    def show(self, path):
        return self.text

    def last_commit(self, path):
        return '0' * 40


# Shaped as dotnet-api-docs' mdoc XML (X509KeyStorageFlags.xml, Convert.xml): availability is the assemblies
# named in each AssemblyInfo. mscorlib 4.0.0.0 is .NET Framework 4.x; System.Runtime.Extensions and
# netstandard are .NET Core / .NET Standard.
_XML = '''<Type Name="Sample" FullName="System.Sample">
  <TypeSignature Language="C#" Value="public static class Sample" />
  <AssemblyInfo><AssemblyName>System.Runtime.Extensions</AssemblyName><AssemblyVersion>4.2.1.0</AssemblyVersion></AssemblyInfo>
  <AssemblyInfo><AssemblyName>mscorlib</AssemblyName><AssemblyVersion>4.0.0.0</AssemblyVersion></AssemblyInfo>
  <Base><BaseTypeName>System.Object</BaseTypeName></Base>
  <Members>
    <Member MemberName="Old">
      <MemberSignature Language="C#" Value="public static string Old (byte[] inArray);" />
      <MemberType>Method</MemberType>
      <AssemblyInfo><AssemblyName>mscorlib</AssemblyName><AssemblyVersion>2.0.0.0</AssemblyVersion><AssemblyVersion>4.0.0.0</AssemblyVersion></AssemblyInfo>
      <Parameters><Parameter Name="inArray" Type="System.Byte[]" /></Parameters>
    </Member>
    <Member MemberName="CoreOnly">
      <MemberSignature Language="C#" Value="public static bool CoreOnly (string s);" />
      <MemberType>Method</MemberType>
      <AssemblyInfo><AssemblyName>System.Runtime.Extensions</AssemblyName><AssemblyVersion>4.2.1.0</AssemblyVersion></AssemblyInfo>
      <AssemblyInfo><AssemblyName>netstandard</AssemblyName><AssemblyVersion>2.1.0.0</AssemblyVersion></AssemblyInfo>
    </Member>
    <Member MemberName="Only35">
      <MemberSignature Language="C#" Value="public static void Only35 ();" />
      <MemberType>Method</MemberType>
      <AssemblyInfo><AssemblyName>mscorlib</AssemblyName><AssemblyVersion>2.0.0.0</AssemblyVersion></AssemblyInfo>
    </Member>
    <Member MemberName="Length">
      <MemberSignature Language="C#" Value="public int Length { get; }" />
      <MemberType>Property</MemberType>
    </Member>
  </Members>
</Type>'''


def test_the_refresh_script_reads_framework_availability_from_assembly_info():
    refresh = _refresh_module()
    entry = refresh.read_type(_OneFile(_XML), 'xml/System/Sample.xml', {'mscorlib', 'System', 'System.Core'})
    assert entry['in_framework'] is True and entry['kind'] == 'class' and entry['base'] == 'System.Object'
    assert entry['members'] == {'static': ['Old'], 'instance': ['Length'], 'outside_framework': ['CoreOnly', 'Only35'],
                                'constructors': False, 'overloads': {'Old': [['System.Byte[]']]}}


# How PowerShell 5.1 resolves a name, on catalogued types: accelerator, as written, System. + name,
# using namespace, generic arity; each line is valid 5.1 and must not be reported.
@pytest.mark.parametrize('script', [
    '[guid]::NewGuid()',                                                   # accelerator, any case
    '[GUID]::newguid()',                                                   # member names are case-insensitive too
    '[IO.File]::ReadAllBytes($p)',                                         # System. put in front
    'using namespace System.Security.Cryptography.X509Certificates\n$f = [X509KeyStorageFlags]::PersistKeySet',
    '$list = [System.Collections.Generic.List[string]]::new()',            # List`1, argument resolved too
    '$x = New-Object System.Security.Cryptography.X509Certificates.X509Store',   # positional type name
    '$o = New-Object -ComObject Shell.Application',                        # COM, not .NET
    '$e = [Text.UTF8Encoding]::UTF8',                                      # a static property of the base class
    '$b = [byte[]]::new(4)',                                               # an array type's constructor
    '$h = [ordered]@{ a = 1 }',                                            # hash table syntax, not a type
    # methods of an object the script built: its type's, its bases' (GetType), PowerShell's own (ForEach)
    "$s = [Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')\n$s.Open('ReadOnly')\n"
    "$s.Dispose()\n$null = $s.GetType()\n$s.ForEach({ $_ })",
    # a variable also set to something else is of no known type
    "$s = New-Object System.Text.UTF8Encoding\n$s = Get-Item C:\\x\n$s.Anything()",
])
def test_names_resolve_as_powershell_5_1_resolves_them(script):
    assert _messages(script) == []


@pytest.mark.parametrize('script,name', [
    ('using namespace System.Security.Cryptography.X509Certificates\n$f = [X509KeyStorageFlags]::PersistKeySett',
     'PersistKeySett'),
    ('$list = [System.Collections.Generic.List[strng]]::new()', '[strng]'),
    ('$x = New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Stor', 'X509Stor'),
    ('[System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::new()', 'no public constructor'),
])
def test_defects_reached_through_each_resolution_rule_are_caught(script, name):
    found = _messages(script)
    assert len(found) == 1 and name in found[0], found
