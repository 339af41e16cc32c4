#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Regenerate tests/support/powershell_reference/dotnet.json: the .NET the payloads name, as Microsoft documents it.

The checks in tests/unit/test_payload_reference_dotnet.py read that file offline; this script writes it from
git copies of Microsoft's repositories (the ``fetch`` tool of a session brings them as bare git dirs):

* dotnet-api-docs - ``xml/<Namespace>/<Type>.xml`` per type (ECMA XML written by mdoc). Availability in a
  framework is expressed there by ``<AssemblyInfo>`` blocks (assembly name and versions) on the type and on
  each member, and by ``FrameworkAlternate="moniker;..."`` on an element that differs between frameworks;
  ``xml/_moniker2Assembly.json`` maps each moniker to its assemblies. A type or member is taken to be in
  .NET Framework 4.8 when one of its AssemblyInfo blocks (whose FrameworkAlternate, if any, names
  netframework-4.8) names an assembly of netframework-4.8 at version 4.0.0.0 - the version every .NET
  Framework 4.x assembly carries (mscorlib, System, System.Core ...); .NET Core and .NET Standard
  contracts (System.Runtime, System.Security.Cryptography.X509Certificates ...) are other assemblies or
  other versions. .NET Framework 4.x only ever adds API, and netframework-4.8 is the newest moniker of the
  snapshot used (no 4.8.1), so "in a 4.0.0.0 Framework assembly" is "in 4.8" (with a newer snapshot, the few
  APIs 4.8.1 added would pass too: its assemblies are also 4.0.0.0). The per-framework lists
  (``xml/FrameworksIndex/netframework-4.8.xml``) would say it directly, but they are over 4 MiB and are
  not in the snapshots the fetch tool brings.
* PowerShell-Docs - reference/5.1/.../about_Type_Accelerators.md: ``[int]``, ``[pscredential]``...
* iis-docs - Microsoft.Web.Administration (IIS's own assembly, not .NET Framework) has no API reference
  in a repository within reach; its types are taken from the C# samples iis-docs publishes under
  ``using Microsoft.Web.Administration;`` (type presence only: the payloads use no static member of it).

Only what the payloads name is extracted: every composed payload (plugins/plugin_utils/_win_payload.py's
load_payload) is parsed, each type name resolved the way PowerShell 5.1 does
(tests/support/windows/dotnet_reference.py: candidates), and each type found is stored with its base types,
its static and instance member names in 4.8, names documented but outside 4.8, whether it has a public
constructor, and the parameter types of each overload of the methods the payloads call (with the enums those
take, catalogued too, so a string passed for one is checked by value name);
a name that no repository has is stored under "absent" with the paths looked at.

Usage (the repositories as OWNER/NAME=GIT_DIR; the snapshot of dotnet-api-docs used last is recorded in the
file's "sources"):

    hack/refresh_dotnet_reference.py \\
        --dotnet-api-docs witheej/dotnet-api-docs=/work/.mirror/witheej+dotnet-api-docs/repo \\
        --note "a fork of dotnet/dotnet-api-docs: its pull request #3177 (8adb892, 2019-09-16) plus one typo fix; \\
                dotnet/dotnet-api-docs itself (1.9 GB) is over the fetch tool's 500 MB" \\
        --powershell-docs MicrosoftDocs/PowerShell-Docs=/work/.mirror/MicrosoftDocs+PowerShell-Docs/repo \\
        --iis-docs MicrosoftDocs/iis-docs=/work/.mirror/MicrosoftDocs+iis-docs/repo
"""

import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, 'tests', 'support', 'powershell_reference', 'dotnet.json')
FRAMEWORK = 'netframework-4.8'
FRAMEWORK_VERSION = '4.0.0.0'
ACCELERATORS = 'reference/5.1/Microsoft.PowerShell.Core/About/about_Type_Accelerators.md'
# A row of the accelerator table: | name | [Full.Name](xref:Full.Name) |
_ACCELERATOR_ROW = re.compile(r'^\|\s*(\w+)\s*\|\s*\[([\w.`]+)\]\(xref:[^)]*\)\s*\|', re.M)
_KIND = re.compile(r'\b(enum|class|struct|interface|delegate)\b')
# Types PowerShell itself defines (System.Management.Automation...) are documented by their accelerator.
_POWERSHELL_NAMESPACES = ('system.management.automation.', 'microsoft.management.infrastructure.')
_IIS_NAMESPACE = 'microsoft.web.administration.'


def _bootstrap():
    """Import the collection from this checkout the way tests/conftest.py does."""
    sys.path.insert(0, ROOT)
    sys.path.insert(0, os.path.join(ROOT, 'collections'))
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    _AnsibleCollectionFinder(paths=[os.path.join(ROOT, 'collections')])._install()


class Repo:
    """A bare git dir read at HEAD."""

    def __init__(self, spec):
        self.name, _sep, self.git_dir = spec.partition('=')
        if not self.git_dir:
            raise SystemExit('give a repository as OWNER/NAME=GIT_DIR, not %r' % spec)
        self.commit = self._git('rev-parse', 'HEAD').strip()
        self._last = {}

    def _git(self, *args):
        return subprocess.run(['git', '--git-dir', self.git_dir] + list(args), check=True,
                              stdout=subprocess.PIPE).stdout.decode('utf-8-sig')

    def files(self, under):
        return self._git('ls-tree', '-r', '--name-only', 'HEAD', '--', under).splitlines()

    def show(self, path):
        return self._git('show', 'HEAD:' + path)

    def grep(self, pattern, *paths):
        found = subprocess.run(['git', '--git-dir', self.git_dir, 'grep', '-l', '-E', pattern, 'HEAD', '--'] +
                               list(paths), stdout=subprocess.PIPE, check=False).stdout.decode()
        return sorted(line.split(':', 1)[1] for line in found.splitlines())

    def last_commit(self, path):
        """The commit that last changed ``path``: what a reader opens to see the text used."""
        if path not in self._last:
            self._last[path] = self._git('log', '-1', '--format=%H', 'HEAD', '--', path).strip() or self.commit
        return self._last[path]


def _in_framework(element, assemblies):
    """Whether ``element``'s AssemblyInfo puts it in .NET Framework 4.8 (None: it has no AssemblyInfo)."""
    infos = element.findall('AssemblyInfo')
    if not infos:
        return None
    for info in infos:
        alternate = info.get('FrameworkAlternate')
        if alternate is not None and FRAMEWORK not in alternate.split(';'):
            continue
        name = info.findtext('AssemblyName')
        if name in assemblies and FRAMEWORK_VERSION in [v.text for v in info.findall('AssemblyVersion')]:
            return True
    return False


def _csharp(element, tag):
    for signature in element.findall(tag):
        if signature.get('Language') == 'C#':
            return signature.get('Value')
    return ''


def read_type(repo, path, assemblies):
    """The catalogue entry for the type documented at ``path``."""
    root = ET.fromstring(repo.show(path))
    signature = _csharp(root, 'TypeSignature')
    kind = _KIND.search(signature)
    kind = kind.group(1) if kind else 'unknown'
    type_in = _in_framework(root, assemblies)
    static, instance, outside, constructors, overloads = set(), set(), set(), False, {}
    for member in root.iter('Member'):
        name = member.get('MemberName')
        member_in = _in_framework(member, assemblies)
        member_in = type_in if member_in is None else member_in
        csharp = _csharp(member, 'MemberSignature')
        if member_in and member.findtext('MemberType') in ('Method', 'Constructor'):
            # Parameter types of each overload: a string literal argument where every overload of that arity
            # takes an enum is converted by value name (X509Store.Open('ReadWrite')).
            types = [p.get('Type', '').rstrip('&') for p in member.findall('Parameters/Parameter')]
            overloads.setdefault(name, []).append(types)
        if name == '.ctor':
            constructors = constructors or bool(member_in)
            continue
        is_static = kind == 'enum' or re.search(r'\b(static|const)\b', csharp) is not None
        if not member_in:
            outside.add(name)
        else:
            (static if is_static else instance).add(name)
    base = root.findtext('Base/BaseTypeName')
    return {
        'name': root.get('FullName'),
        'source': 'dotnet-api-docs',
        'path': path,
        'commit': repo.last_commit(path),
        'kind': kind,
        'in_framework': bool(type_in),
        'base': base,
        'members': {
            'static': sorted(static),
            'instance': sorted(instance),
            'outside_framework': sorted(outside - static - instance),
            'constructors': constructors,
            # Kept only for the members the payloads call (see main).
            'overloads': overloads,
        },
    }


def accelerators(repo):
    text = repo.show(ACCELERATORS)
    return {name.lower(): full for name, full in _ACCELERATOR_ROW.findall(text)}


def iis_type(repo, full):
    """The entry for a Microsoft.Web.Administration type found in iis-docs' C# samples, or None."""
    short = full.rsplit('.', 1)[1]
    for path in repo.grep(r'using Microsoft\.Web\.Administration;', '*.cs'):
        text = repo.show(path)
        # The catalogue's keys are lower case; the sample spells the type as C# requires.
        match = re.search(r'^.*\b(%s)\b.*$' % re.escape(short), text, re.M | re.I)
        if match is not None:
            line = match.group(0).strip()
            return {
                'name': 'Microsoft.Web.Administration.' + match.group(1),
                'source': 'iis-docs',
                'path': path,
                'commit': repo.last_commit(path),
                'kind': 'class',
                'in_framework': None,
                'assembly_load': 'Microsoft.Web.Administration',
                'evidence': line,
                'members': None,
            }
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--dotnet-api-docs', required=True)
    parser.add_argument('--powershell-docs', required=True)
    parser.add_argument('--iis-docs', required=True)
    parser.add_argument('--note', default='', help='what the dotnet-api-docs copy is (a fork, a date...)')
    parser.add_argument('--output', default=OUTPUT)
    args = parser.parse_args()
    _bootstrap()
    from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import load_payload, payload_names
    from tests.support.windows import dotnet_reference, ps_dotnet

    dotnet, psdocs, iis = Repo(args.dotnet_api_docs), Repo(args.powershell_docs), Repo(args.iis_docs)
    assemblies = set(json.loads(dotnet.show('xml/_moniker2Assembly.json'))[FRAMEWORK])
    index = {}
    for path in dotnet.files('xml'):
        parts = path.split('/')
        if len(parts) == 3 and parts[2].endswith('.xml') and not parts[1].startswith(('_', 'FrameworksIndex')):
            index[(parts[1] + '.' + parts[2][:-4]).lower()] = path
    accelerator_map = accelerators(psdocs)

    types, absent = {}, {}

    def add(full):
        """Catalogue ``full`` (lower case) and its base types; True when a repository documents it."""
        if full in types:
            return True
        if full in index:
            entry = read_type(dotnet, index[full], assemblies)
            types[full] = entry
            if entry['base']:
                add(entry['base'].lower())
            return True
        if full.startswith(_POWERSHELL_NAMESPACES) and full in {v.lower() for v in accelerator_map.values()}:
            types[full] = {'name': next(v for v in accelerator_map.values() if v.lower() == full),
                           'source': 'PowerShell-Docs', 'path': ACCELERATORS, 'commit': psdocs.last_commit(ACCELERATORS),
                           'kind': 'unknown', 'in_framework': None, 'members': None}
            return True
        if full.startswith(_IIS_NAMESPACE):
            entry = iis_type(iis, full)
            if entry is not None:
                types[full] = entry
                return True
        return False

    for name in payload_names():
        script = load_payload(name)
        defined = ps_dotnet.defined_types(script)
        namespaces = ps_dotnet.using_namespaces(script)
        for ref in ps_dotnet.referenced_types(script):
            if ref.name.lower() in defined:
                continue
            tried = dotnet_reference.candidates(ref, namespaces, accelerator_map)
            if not any(add(full) for full in tried):
                for full in tried:
                    namespace, _sep, short = full.rpartition('.')
                    absent[full] = '%s: xml/%s/%s.xml' % (name, namespace, short)

    # Overloads are kept for the members the payloads call, with the enums their parameters take.
    called = {}
    for name in payload_names():
        script = load_payload(name)
        checker = dotnet_reference.Checker(script, {'types': types, 'accelerators': {'map': accelerator_map}})
        for call in ps_dotnet.member_calls(script):
            full, entry = checker.resolve(call.ref)
            while entry is not None and entry.get('members') is not None:
                member = '.ctor' if call.member.lower() == 'new' else call.member.lower()
                declared = {m.lower(): m for m in entry['members']['overloads']}
                if member in declared:
                    called.setdefault(full, set()).add(declared[member])
                    break
                if member == '.ctor':
                    break
                full = (entry.get('base') or '').lower()
                entry = types.get(full)
    for full, entry in list(types.items()):
        if entry.get('members') is None:
            continue
        for member, overloads in entry['members']['overloads'].items():
            if member in called.get(full, ()):
                for parameter in {p.lower() for overload in overloads for p in overload}:
                    if parameter in index and read_type(dotnet, index[parameter], assemblies)['kind'] == 'enum':
                        add(parameter)
    for full, entry in types.items():
        if entry.get('members') is not None:
            entry['members']['overloads'] = {m: o for m, o in sorted(entry['members']['overloads'].items())
                                             if m in called.get(full, ())}

    catalogue = {
        'about': 'The .NET types the composed payloads name, read from Microsoft repositories by '
                 'hack/refresh_dotnet_reference.py; checked by tests/unit/test_payload_reference_dotnet.py.',
        'framework': FRAMEWORK,
        'sources': {
            'dotnet-api-docs': {'repo': dotnet.name, 'commit': dotnet.commit, 'note': args.note,
                                'framework_assemblies': 'xml/_moniker2Assembly.json [%s], at version %s' % (
                                    FRAMEWORK, FRAMEWORK_VERSION)},
            'PowerShell-Docs': {'repo': psdocs.name, 'commit': psdocs.commit},
            'iis-docs': {'repo': iis.name, 'commit': iis.commit},
        },
        'accelerators': {'source': 'PowerShell-Docs', 'path': ACCELERATORS, 'commit': psdocs.last_commit(ACCELERATORS),
                         'map': dict(sorted(accelerator_map.items()))},
        'types': dict(sorted(types.items())),
        'absent': dict(sorted(absent.items())),
    }
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, 'w', encoding='utf-8') as f:
        json.dump(catalogue, f, indent=1, sort_keys=False)
        f.write('\n')
    print('%d types, %d absent names -> %s' % (len(types), len(absent), os.path.relpath(args.output)))


if __name__ == '__main__':
    main()
