#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Regenerate tests/support/windows/powershell_reference.json from Microsoft's own cmdlet reference.

The payloads' commands and parameters are checked (tests/unit/test_payload_reference_commands.py)
against this catalogue, which is data taken from the published reference, never typed by hand:

* Windows PowerShell 5.1 core modules: MicrosoftDocs/PowerShell-Docs, reference/5.1/<module>/,
  with the common parameters from about_CommonParameters.md and the aliases each cmdlet page lists
  (its front matter ``aliases:`` and its NOTES "Windows PowerShell includes the following aliases");
* the Windows Server modules (PKI, DnsServer, WebAdministration): MicrosoftDocs/windows-powershell-docs,
  docset/winserver{2016,2019,2022,2025}-ps/<module>/ - the union over the versions the collection
  supports, each parameter or command missing from the oldest one marked with the first that has it;
* Exchange: MicrosoftDocs/office-docs-powershell, exchange/exchange-ps/ExchangePowerShell/, only the
  cmdlets of on-premises Exchange Server, each parameter with the Exchange versions it applies to.

Usage: bring the three repositories as bare git directories under one folder, named OWNER+NAME/repo
(``git clone --bare https://github.com/MicrosoftDocs/PowerShell-Docs ROOT/MicrosoftDocs+PowerShell-Docs/repo``,
and the same for the other two; /work/.mirror/ is where the session's ``fetch`` tool puts them), then
``python hack/refresh_powershell_reference.py [--mirror-root ROOT]``. Each module
in the output records the repository, commit and path it was read from. Pages are parsed from their
markdown: ``## SYNTAX`` (one ``### Set`` block per parameter set) and ``## PARAMETERS`` (``### -Name``
with a yaml block giving ``Parameter Sets`` and ``Aliases``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, 'tests', 'support', 'windows', 'powershell_reference.json')

POWERSHELL_DOCS = 'MicrosoftDocs/PowerShell-Docs'
WINDOWS_DOCS = 'MicrosoftDocs/windows-powershell-docs'
EXCHANGE_DOCS = 'MicrosoftDocs/office-docs-powershell'

# The modules a payload may use: what Windows PowerShell 5.1 loads or autoloads everywhere, and the
# Windows Server role modules of the features the collection manages (certificates, IIS, DNS).
CORE_MODULES = ('Microsoft.PowerShell.Core', 'Microsoft.PowerShell.Management', 'Microsoft.PowerShell.Utility',
                'Microsoft.PowerShell.Security', 'CimCmdlets', 'Microsoft.WSMan.Management')
WINDOWS_MODULES = ('pki', 'DnsServer', 'WebAdministration')
# Oldest first: the collection supports Windows Server 2016 to 2025 (docs/docsite/rst/windows_internals.rst).
WINDOWS_DOCSETS = ('winserver2016-ps', 'winserver2019-ps', 'winserver2022-ps', 'winserver2025-ps')
EXCHANGE_PATH = 'exchange/exchange-ps/ExchangePowerShell'

_PARAMETER = re.compile(r'-(\w+)')
_YAML_BLOCK = re.compile(r'^```ya?ml[ \t]*\n(.*?)^```', re.M | re.S)
_CODE_BLOCK = re.compile(r'^```[^\n]*\n(.*?)^```', re.M | re.S)
_ALIAS_ITEM = re.compile(r'^\s*[-*]\s+`([^`]+)`\s*$')
_POWERSHELL_6_OR_LATER = re.compile(r'(added|introduced) in\s+PowerShell\s+(6|7)', re.I)
_APPLICABLE = re.compile(r'^>\s*Applicable:\s*(.+)$', re.M)


class Mirror:
    """A bare git directory of one repository, read at its HEAD."""

    def __init__(self, root, repository):
        self.repository = repository
        self.git_dir = os.path.join(root, repository.replace('/', '+'), 'repo')
        if not os.path.isdir(self.git_dir):
            sys.exit('%s is not fetched: no %s' % (repository, self.git_dir))
        self.commit = self._git('rev-parse', 'HEAD').strip()

    def _git(self, *args):
        return subprocess.run(['git', '--git-dir', self.git_dir] + list(args), check=True,
                              stdout=subprocess.PIPE).stdout.decode('utf-8')

    def files(self, path):
        return [p for p in self._git('ls-tree', '-r', '--name-only', self.commit, path + '/').splitlines()
                if p.endswith('.md')]

    def read(self, path):
        return self._git('show', '%s:%s' % (self.commit, path))


def _sections(text, level):
    """``[(heading, body)]`` of the markdown headings of exactly ``level`` '#'s, in order.

    Lines inside code fences are body text: a ``# comment`` in an example is not a heading.
    """
    marker = '#' * level + ' '
    found, heading, body, fenced = [], None, [], False
    for line in text.splitlines():
        if line.lstrip().startswith('```'):
            fenced = not fenced
        if not fenced and line.startswith(marker):
            if heading is not None:
                found.append((heading, '\n'.join(body)))
            heading, body = line[len(marker):].strip(), []
        elif heading is not None:
            if not fenced and level > 1 and re.match(r'^#{1,%d} ' % (level - 1), line):
                found.append((heading, '\n'.join(body)))
                heading, body = None, []
            else:
                body.append(line)
    if heading is not None:
        found.append((heading, '\n'.join(body)))
    return found


def _front_matter(text):
    """The page's front matter as ``{key: text or [items]}``, read by line: it is not always valid
    YAML (``aliases: [- %]`` starts a plain scalar with a reserved indicator)."""
    if not text.startswith('---'):
        return {}
    found, key = {}, None
    for line in text[3:text.find('\n---', 3)].splitlines():
        item = re.match(r'^\s+-\s+(.+?)\s*$', line)
        field = re.match(r'^([\w ]+):\s*(.*?)\s*$', line)
        if item and key is not None:
            found[key] = (found[key] if isinstance(found[key], list) else []) + [item.group(1).strip('\'"')]
        elif field:
            key = field.group(1)
            found[key] = field.group(2)
    return found


def _fields(block):
    """A parameter's yaml block as text fields, read by line: a YAML parser would turn the set name
    ``on`` (Set-PSDebug) into ``True``."""
    return dict(re.findall(r'^([\w ]+):[ \t]*(.*?)[ \t]*$', block, re.M))


def _names(value):
    return [v.strip() for v in str(value or '').split(',') if v.strip() and v.strip() != 'None']


def _set_name(heading):
    """The parameter set a SYNTAX heading names: 5.1's provider pages split one set by provider
    ("Path (Default) - FileSystem provider"), each showing that provider's dynamic parameters."""
    heading = re.sub(r'\s+-\s+[\w ]+ providers?\s*$', '', heading)
    return re.sub(r'\s*\(Default\)\s*$', '', heading).strip()


def parse_page(text):
    """One cmdlet page: its name, aliases, parameter sets and parameters (with aliases)."""
    front = _front_matter(text)
    top = dict(_sections(text, 2))
    name = str(front.get('title') or '').strip()
    if not name or 'SYNTAX' not in top or 'PARAMETERS' not in top:
        return None
    aliases = list(front.get('aliases') or [])
    for line in top.get('NOTES', '').splitlines():
        item = _ALIAS_ITEM.match(line)
        if item and 'includes the following alias' in top.get('NOTES', ''):
            aliases.append(item.group(1))
    # SYNTAX: one ### block per set; a page with a single set may have no ### heading.
    sets, common = {}, False
    blocks = _sections(top['SYNTAX'], 3) or [('__AllParameterSets', top['SYNTAX'])]
    for heading, body in blocks:
        code = _CODE_BLOCK.search(body)
        if not code:
            continue
        set_name = _set_name(heading)
        common = common or '<CommonParameters>' in code.group(1)
        words = code.group(1).split(None, 1)
        sets.setdefault(set_name, set()).update(_PARAMETER.findall(words[1] if len(words) > 1 else ''))
    parameters, membership, applicable = {}, {}, {}
    for heading, body in _sections(top['PARAMETERS'], 3):
        if not heading.startswith('-'):
            continue            # "### CommonParameters"
        parameter = heading[1:].strip()
        parameters.setdefault(parameter, [])
        for block in _YAML_BLOCK.findall(body):
            fields = _fields(block)
            for alias in _names(fields.get('Aliases')):
                if alias not in parameters[parameter]:
                    parameters[parameter].append(alias)
            membership.setdefault(parameter, set()).update(_names(fields.get('Parameter Sets')))
        found = _APPLICABLE.search(body)
        if found:
            applicable[parameter] = _names(found.group(1))
    # A parameter belongs to a set where the syntax shows it or its yaml names the set ("(All)": every set).
    # Doc slips seen: "(All))"; a page with one syntax block whose yaml names another set ("Default").
    by_lower = {s.lower(): s for s in sets}
    only = next(iter(sets)) if len(sets) == 1 else None
    for parameter, names in membership.items():
        for set_name in names:
            if set_name.startswith('(All') or only is not None:
                for members in sets.values():
                    members.add(parameter)
            else:
                sets.setdefault(by_lower.get(set_name.lower(), set_name), set()).add(parameter)
    for members in sets.values():
        for parameter in members:
            # A parameter the syntax shows but the PARAMETERS section forgot (a doc slip) still exists.
            if parameter.lower() not in {p.lower() for p in parameters}:
                parameters[parameter] = []
    return name, Page(front, aliases, common, sets, parameters, applicable)


class Page:
    """What one cmdlet page says, before it is written in the catalogue's compact form."""

    def __init__(self, front, aliases, common, sets, parameters, applicable):
        self.front, self.aliases, self.common, self.sets = front, set(aliases), common, sets
        self.parameters, self.applicable, self.since = parameters, applicable, {}

    def merge(self, later, version):
        """Add what a later version's page has; what is new is marked with that version."""
        for parameter, aliases in later.parameters.items():
            if parameter not in self.parameters:
                self.parameters[parameter] = aliases
                self.since[parameter] = version
        for set_name, members in later.sets.items():
            self.sets.setdefault(set_name, set()).update(members)
        self.aliases |= later.aliases
        self.common = self.common or later.common

    def entry(self):
        return _entry(self.front, self.aliases, self.common, self.sets, self.parameters, self.applicable,
                      self.since)


def _entry(front, aliases, common, sets, parameters, applicable, since):
    """The compact catalogue form of one command.

    ``sets``: its parameter set names; ``parameters``: name -> ``{"aliases": [...], "sets": [...],
    "applicable": [...], "since": VERSION}``, each key left out when empty, "sets" left out when the
    parameter is in every set, "applicable" when it applies wherever the command does and "since" when
    the oldest version documented has it.
    """
    entry = {'aliases': sorted(set(aliases), key=str.lower), 'common_parameters': common,
             'sets': sorted(sets), 'parameters': {}}
    if front.get('applicable'):
        entry['applicable'] = _names(front['applicable'])
    for parameter in sorted(parameters, key=str.lower):
        where = sorted(s for s, members in sets.items() if parameter.lower() in {m.lower() for m in members})
        spec = {}
        if parameters[parameter]:
            spec['aliases'] = parameters[parameter]
        if where != entry['sets']:
            spec['sets'] = where
        if applicable.get(parameter) and applicable[parameter] != entry.get('applicable'):
            spec['applicable'] = applicable[parameter]
        if parameter in since:
            spec['since'] = since[parameter]
        entry['parameters'][parameter] = spec
    return entry


def common_parameters(mirror):
    """Common and risk mitigation parameters of Windows PowerShell 5.1, with their aliases."""
    path = 'reference/5.1/Microsoft.PowerShell.Core/About/about_CommonParameters.md'
    text = mirror.read(path)
    found = {}
    for chapter, body in _sections(text, 2):
        group = {'Common parameters': 'common', 'Risk management parameters': 'risk_mitigation'}.get(chapter)
        if group is None:
            continue
        for heading, section in _sections(body, 3):
            if not heading.startswith('-') or _POWERSHELL_6_OR_LATER.search(section):
                continue
            block = _YAML_BLOCK.search(section)
            fields = _fields(block.group(1)) if block else {}
            found.setdefault(group, {})[heading[1:]] = _names(fields.get('Aliases'))
    return {'repository': mirror.repository, 'commit': mirror.commit, 'path': path, **found}


def core_modules(mirror):
    modules = {}
    for module in CORE_MODULES:
        path = 'reference/5.1/' + module
        commands = {}
        for page in mirror.files(path):
            if '/About/' in page:
                continue
            parsed = parse_page(mirror.read(page))
            if parsed:
                commands[parsed[0]] = parsed[1].entry()
        modules[module] = {'repository': mirror.repository, 'commit': mirror.commit, 'path': path,
                           'commands': dict(sorted(commands.items()))}
    return modules


def windows_modules(mirror):
    modules = {}
    for module in WINDOWS_MODULES:
        pages, since = {}, {}
        for docset in WINDOWS_DOCSETS:
            for path in mirror.files('docset/%s/%s' % (docset, module)):
                parsed = parse_page(mirror.read(path))
                if not parsed:
                    continue
                name, page = parsed
                if name in pages:
                    pages[name].merge(page, docset)
                else:
                    pages[name] = page
                    if docset != WINDOWS_DOCSETS[0]:
                        since[name] = docset
        commands = {}
        for name in sorted(pages):
            commands[name] = pages[name].entry()
            if name in since:
                commands[name]['since'] = since[name]
        modules[module] = {'repository': mirror.repository, 'commit': mirror.commit,
                           'path': ['docset/%s/%s' % (d, module) for d in WINDOWS_DOCSETS], 'commands': commands}
    return modules


def exchange_module(mirror):
    commands = {}
    for page in mirror.files(EXCHANGE_PATH):
        parsed = parse_page(mirror.read(page))
        # Exchange Online-only cmdlets are not in an on-premises server's session.
        entry = parsed[1].entry() if parsed else {}
        if any(a.startswith('Exchange Server') for a in entry.get('applicable', [])):
            commands[parsed[0]] = entry
    return {'ExchangePowerShell': {'repository': mirror.repository, 'commit': mirror.commit, 'path': EXCHANGE_PATH,
                                   'commands': dict(sorted(commands.items()))}}


def _dump(catalogue):
    """JSON with one command per line: small, and a refresh's diff shows which commands changed."""
    def one(value):
        return json.dumps(value, separators=(',', ':'), ensure_ascii=False)
    lines = ['{', '"about":%s,' % one(catalogue['about']),
             '"common_parameters":%s,' % one(catalogue['common_parameters']),
             '"modules":{']
    for m, (module, data) in enumerate(catalogue['modules'].items()):
        head = {k: v for k, v in data.items() if k != 'commands'}
        lines.append('%s:%s"commands":{' % (one(module), one(head)[:-1] + ','))
        names = list(data['commands'])
        for i, name in enumerate(names):
            lines.append('%s:%s%s' % (one(name), one(data['commands'][name]), ',' if i < len(names) - 1 else ''))
        lines.append('}}' + (',' if m < len(catalogue['modules']) - 1 else ''))
    lines.append('}}')
    return '\n'.join(lines) + '\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--mirror-root', default='/work/.mirror',
                        help='the folder holding OWNER+NAME/repo bare git directories')
    parser.add_argument('--output', default=OUTPUT)
    args = parser.parse_args()
    docs = Mirror(args.mirror_root, POWERSHELL_DOCS)
    catalogue = {
        'about': 'Generated by hack/refresh_powershell_reference.py from Microsoft\'s published cmdlet reference; '
                 'do not edit by hand.',
        'common_parameters': common_parameters(docs),
        'modules': {},
    }
    catalogue['modules'].update(core_modules(docs))
    catalogue['modules'].update(windows_modules(Mirror(args.mirror_root, WINDOWS_DOCS)))
    catalogue['modules'].update(exchange_module(Mirror(args.mirror_root, EXCHANGE_DOCS)))
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write(_dump(catalogue))
    counts = {m: len(v['commands']) for m, v in catalogue['modules'].items()}
    print('wrote %s (%d bytes): %s' % (args.output, os.path.getsize(args.output), counts))


if __name__ == '__main__':
    main()
