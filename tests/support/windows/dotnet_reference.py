# -*- coding: utf-8 -*-
"""Check the .NET a payload names against .NET Framework 4.8 as Microsoft documents it.

Windows PowerShell 5.1 runs on .NET Framework 4.8. The catalogue
``tests/support/powershell_reference/dotnet.json`` is data extracted by ``hack/refresh_dotnet_reference.py``
from Microsoft's own repositories - dotnet-api-docs for .NET types and members, PowerShell-Docs'
about_Type_Accelerators (5.1) for ``[int]``, ``[pscredential]``..., iis-docs for the IIS assembly
Microsoft.Web.Administration - and records for each type the repository, commit and path it was read from.
It holds every type the payloads name (and their base types), so a typo in a member, a type that does not
exist, or a member .NET Framework 4.8 lacks (a .NET Core addition) fails a test instead of a host. For the
methods the payloads call it also keeps each overload's parameter types, so a string literal given where
every overload of that arity takes an enum (``$store.Open('ReadWrite')``: OpenFlags) is checked by value name,
and the instance methods called on a variable the script only ever sets to a new object of one type.

How PowerShell 5.1 resolves a type name (what ``candidates`` follows): an accelerator first, then the name
as written, then the name with ``System.`` put in front (so ``[Convert]`` is ``System.Convert``), then each
``using namespace``; a generic ``List[int]`` is ``List`1``; an attribute ``[X()]`` is also ``XAttribute``.
"""

from __future__ import annotations

import functools
import json
import os

from tests.support.windows import ps_dotnet

CATALOGUE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         'powershell_reference', 'dotnet.json')
CATALOGUE_NAME = 'tests/support/powershell_reference/dotnet.json'
REFRESH = 'hack/refresh_dotnet_reference.py'


@functools.lru_cache(maxsize=4)
def load(path=CATALOGUE):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def candidates(ref, namespaces=(), accelerators=None):
    """The full type names (lower case) PowerShell 5.1 tries for TypeRef ``ref``, in its order."""
    name = ref.name.lower()
    suffix = '`%d' % ref.arity if ref.arity else ''
    names = [name]
    if ref.usage == 'attribute' and not name.endswith('attribute'):
        names.append(name + 'attribute')
    found = []
    for each in names:
        if accelerators and not suffix and each in accelerators:
            found.append(accelerators[each].lower())
        found.append(each + suffix)
        found.append('system.' + each + suffix)
        found.extend('%s.%s%s' % (ns.lower(), each, suffix) for ns in namespaces)
    return list(dict.fromkeys(found))


class Finding:
    """One name the reference does not back: where, what and why."""

    def __init__(self, line, what, why):
        self.line, self.what, self.why = line, what, why

    def __str__(self):
        return 'line %d: %s: %s' % (self.line, self.what, self.why)


class Checker:
    """The catalogue's answers for one script (its using-namespaces, own types and loaded assemblies)."""

    def __init__(self, script, catalogue=None):
        self.catalogue = catalogue or load()
        self.types = self.catalogue['types']
        self.accelerators = self.catalogue['accelerators']['map']
        self.namespaces = ps_dotnet.using_namespaces(script)
        self.defined = ps_dotnet.defined_types(script)
        self.assemblies = ps_dotnet.loaded_assemblies(script)
        self.script = script

    def resolve(self, ref):
        """(full name, catalogue entry) for ``ref``; ('script', None) for a type the script compiles;
        (None, None) when no candidate is catalogued."""
        if ref.name.lower() in self.defined:
            return 'script', None
        for name in candidates(ref, self.namespaces, self.accelerators):
            if name in self.types:
                return name, self.types[name]
        return None, None

    def _type_finding(self, ref):
        full, entry = self.resolve(ref)
        if full == 'script':
            return None
        if entry is None:
            tried = candidates(ref, self.namespaces, self.accelerators)
            absent = [n for n in tried if n in self.catalogue.get('absent', {})]
            if absent:
                return Finding(ref.line, '[%s]' % ref.name, 'no such type in %s (looked for %s)' % (
                    self.catalogue['sources']['dotnet-api-docs']['repo'],
                    ', '.join(self.catalogue['absent'][n] for n in absent)))
            return Finding(ref.line, '[%s]' % ref.name, 'not in the .NET Framework 4.8 reference %s (tried %s); '
                           'a real type the payloads start using is added by running %s' % (
                               CATALOGUE_NAME, ', '.join(tried), REFRESH))
        if entry.get('in_framework') is False:
            return Finding(ref.line, '[%s]' % ref.name, '%s is documented for .NET but not for .NET Framework 4.8 '
                           '(%s)' % (entry['name'], entry['path']))
        needs = entry.get('assembly_load')
        if needs and needs.lower() not in self.assemblies:
            return Finding(ref.line, '[%s]' % ref.name, '%s lives in %s.dll, which this script never loads '
                           '(Add-Type -Path ...%s.dll)' % (entry['name'], needs, needs))
        return None

    def _members(self, full):
        """The names of ``full``'s members in 4.8 with its bases' (static, instance), the names documented but
        outside 4.8, whether it has constructors; None when the reference lists no members for it."""
        static, instance, outside, constructors, seen = set(), set(), set(), False, set()
        entry = self.types.get(full)
        first = True
        while entry is not None and full not in seen:
            seen.add(full)
            if entry.get('members') is None:
                return None
            static.update(m.lower() for m in entry['members']['static'])
            instance.update(m.lower() for m in entry['members'].get('instance', ()))
            outside.update(m.lower() for m in entry['members']['outside_framework'])
            if first:
                constructors = entry['members']['constructors']
            first = False
            full = (entry.get('base') or '').lower()
            entry = self.types.get(full)
        return {'static': static, 'instance': instance, 'outside': outside - static - instance,
                'constructors': constructors}

    def _overloads(self, full, member):
        """The parameter type lists of ``member`` (``new``: the constructors) on ``full`` or the nearest base
        declaring it, as the catalogue keeps them for the members the payloads call; None when not kept."""
        member = '.ctor' if member.lower() == 'new' else member.lower()
        entry, seen = self.types.get(full), set()
        while entry is not None and entry.get('members') is not None and full not in seen:
            seen.add(full)
            declared = {m.lower(): o for m, o in entry['members'].get('overloads', {}).items()}
            if member in declared:
                return declared[member]
            if member == '.ctor':
                return None
            full = (entry.get('base') or '').lower()
            entry = self.types.get(full)
        return None

    def _instance_finding(self, call):
        full, entry = self.resolve(call.ref)
        members = self._members(full) if entry is not None else None
        if members is None:
            return None     # the type is reported, or (Microsoft.Web.Administration) has no member list
        name = call.member.lower()
        # ForEach() and Where() are members PowerShell gives every object (about_Intrinsic_Members).
        if name in members['instance'] or name in ('foreach', 'where'):
            return None
        what = '%s.%s() (%s)' % (call.target, call.member, call.ref.name)
        if name in members['outside']:
            return Finding(call.line, what, '%s.%s is documented for .NET but not for .NET Framework 4.8 (%s)' % (
                entry['name'], call.member, entry['path']))
        return Finding(call.line, what, '%s has no instance method %s in .NET Framework 4.8 (%s)' % (
            entry['name'], call.member, entry['path']))

    def _argument_findings(self, call):
        """String literals passed where every overload of that arity takes one enum: checked by value name."""
        full, entry = self.resolve(call.ref)
        overloads = self._overloads(full, call.member) if entry is not None else None
        matching = [o for o in overloads or () if len(o) == len(call.arguments)]
        found = []
        for i, text in enumerate(call.arguments):
            if text is None or not matching:
                continue
            parameter = {o[i].lower() for o in matching}
            enum = self.types.get(parameter.pop()) if len(parameter) == 1 else None
            if enum is None or enum.get('kind') != 'enum':
                continue
            values = {m.lower() for m in enum['members']['static']}
            for value in (v.strip() for v in text.split(',')):
                if value.lower() not in values:
                    found.append(Finding(call.line, "%s%s%s(... '%s' ...)" % (
                        call.target, '.' if call.on == 'instance' else '::', call.member, text),
                        "argument %d is a %s, which has no value %s in .NET Framework 4.8 (%s)" % (
                        i + 1, enum['name'], value, enum['path'])))
        return found

    def _member_finding(self, ref, member, line, what=None):
        full, entry = self.resolve(ref)
        if full == 'script' or entry is None:
            return None     # the type itself is reported (or is the script's own)
        if ref.name.endswith('[]') or getattr(ref, 'array', False):
            return None
        members = self._members(full)
        what = what or '[%s]::%s' % (ref.name, member)
        if members is None:
            return Finding(line, what, 'the reference for %s (%s) lists no members to check it against' % (
                entry['name'], entry['path']))
        static, outside, constructors = members['static'], members['outside'], members['constructors']
        if member.lower() == 'new':
            # `[T]::new(...)` (PowerShell 5.0+) calls a public constructor.
            return None if constructors else Finding(line, what, '%s has no public constructor in .NET Framework '
                                                     '4.8' % entry['name'])
        if member.lower() in static:
            return None
        if member.lower() in outside:
            return Finding(line, what, '%s.%s is documented for .NET but not for .NET Framework 4.8 (%s)' % (
                entry['name'], member, entry['path']))
        return Finding(line, what, '%s has no static member %s in .NET Framework 4.8 (%s)' % (
            entry['name'], member, entry['path']))

    def findings(self):
        found = []
        for ref in ps_dotnet.referenced_types(self.script):
            found.append(self._type_finding(ref))
        for ref, member, line in ps_dotnet.static_members(self.script):
            if ref.array:
                continue    # `[byte[]]::new(n)`: an array type, built by the runtime for any element type
            found.append(self._member_finding(ref, member, line))
        for ref, text, line in ps_dotnet.string_casts(self.script):
            full, entry = self.resolve(ref)
            if entry is None or entry.get('kind') != 'enum' or ref.array:
                continue
            # PowerShell converts 'A, B' to an enum by its value names (flags joined with commas).
            for value in (v.strip() for v in text.split(',')):
                found.append(self._member_finding(ref, value, line, "[%s]'%s' (value %s)" % (ref.name, text, value)))
        for call in ps_dotnet.member_calls(self.script):
            if call.on == 'instance':
                found.append(self._instance_finding(call))
            if not call.ref.array:
                found.extend(self._argument_findings(call))
        return [f for f in found if f is not None]


def findings(script, catalogue=None):
    """Every .NET name in ``script`` the reference does not back, as Finding objects."""
    return Checker(script, catalogue).findings()
