# -*- coding: utf-8 -*-
"""A composed payload's commands and named parameters, checked against Microsoft's cmdlet reference.

Windows runs what ``load_payload`` composes; the fake host only answers from a Python handler, so a
command that does not exist (a prose line that lost its ``#`` runs as the command ``functions``), a
misspelt parameter or two parameters of different parameter sets would pass every emulated test and
fail on the first real host. ``problems(script)`` reads the script's parse tree (script_facts) and
holds each call against:

* the script's own functions (and their declared parameters);
* the catalogue ``powershell_reference.json`` - Windows PowerShell 5.1's core modules, the Windows
  Server modules PKI / DnsServer / WebAdministration, and the on-premises Exchange cmdlets, generated
  from Microsoft's documentation repositories by ``hack/refresh_powershell_reference.py``. An
  Exchange cmdlet counts only where the script imports it from its implicit-remoting session
  (``Import-PSSession -CommandName``), which is the only place it exists on the managed host;
* ``native_tools.json``: the Windows executables a payload may run, each with its reason.

A command run through a variable (``& $FilePath``) must be a parameter of the function around it,
and every call of that function must name a declared native tool there as a literal.
"""

from __future__ import annotations

import functools
import json
import os
import re

from tests.support.windows import script_facts

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOGUE = os.path.join(HERE, 'powershell_reference.json')
NATIVE_TOOLS = os.path.join(HERE, 'native_tools.json')
EXCHANGE_MODULE = 'ExchangePowerShell'
# The Exchange versions the collection promises (docs/docsite/rst/windows_connection.rst): a parameter
# the reference gives to fewer of them fails on the others.
EXCHANGE_VERSIONS = ('Exchange Server 2010', 'Exchange Server 2013', 'Exchange Server 2016',
                     'Exchange Server 2019', 'Exchange Server SE')
_STRING = re.compile(r"""^(?:'([^']*)'|"([^"$`]*)")$""")


@functools.lru_cache(maxsize=1)
def catalogue():
    with open(CATALOGUE, encoding='utf-8') as f:
        return json.load(f)


@functools.lru_cache(maxsize=1)
def native_tools():
    """Lower-case tool name (no ``.exe``) -> why a payload may run it."""
    with open(NATIVE_TOOLS, encoding='utf-8') as f:
        return {k.lower(): v for k, v in json.load(f)['tools'].items()}


class Command:
    """One cmdlet of the catalogue."""

    def __init__(self, module, name, entry, common):
        self.module, self.name, self.entry = module, name, entry
        self._names = {}
        for parameter, spec in entry['parameters'].items():
            self._names[parameter.lower()] = parameter
            for alias in spec.get('aliases', []):
                self._names.setdefault(alias.lower(), parameter)
        if entry['common_parameters']:
            for parameter, aliases in common.items():
                for key in [parameter] + aliases:
                    self._names.setdefault(key.lower(), parameter)
        self._common = set(common) if entry['common_parameters'] else set()

    def parameter(self, written):
        """The parameter ``-written`` names (its name or an alias), or None."""
        return self._names.get(written.lower())

    def abbreviates(self, written):
        """The parameters ``-written`` is a prefix of (PowerShell accepts a unique prefix)."""
        return sorted({p for key, p in self._names.items() if key.startswith(written.lower())})

    def sets(self, parameter):
        """The parameter sets ``parameter`` belongs to (common parameters: every set)."""
        if parameter in self._common:
            return set(self.entry['sets'])
        return set(self.entry['parameters'][parameter].get('sets', self.entry['sets']))

    def spec(self, parameter):
        return self.entry['parameters'].get(parameter, {})


@functools.lru_cache(maxsize=1)
def commands():
    """Lower-case command name or alias -> Command."""
    data = catalogue()
    common = {**data['common_parameters']['common']}
    index = {}
    for module, content in data['modules'].items():
        for name, entry in content['commands'].items():
            command = Command(module, name, entry, common)
            index.setdefault(name.lower(), command)
            for alias in entry['aliases']:
                index.setdefault(alias.lower(), command)
    return index


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _literal(text):
    """The value of a string literal without expansions, or None."""
    found = _STRING.match(text.strip())
    return None if found is None else (found.group(1) if found.group(1) is not None else found.group(2))


def _strings(node):
    """The literal words of an argument: quoted strings and bare words (``-CommandName A, 'B'``)."""
    words = [_literal(n.text.decode()) for n in _walk(node) if n.type == 'string_literal']
    words += [n.text.decode() for n in _walk(node) if n.type == 'generic_token']
    return [w for w in words if w]


def _functions(script):
    """Lower-case function name -> (its parameter names, lower case; does it take common parameters?)."""
    found = {}
    for node in _walk(script_facts._tree(script).root_node):
        if node.type != 'function_statement':
            continue
        name = next(c for c in node.children if c.type == 'function_name').text.decode().lower()
        # Its own parameters: `function F($a)` or its body's param() - not those of nested script blocks.
        lists = [c for c in node.children if c.type == 'function_parameter_declaration']
        body = next((c for c in node.children if c.type == 'script_block'), None)
        block = next((c for c in body.children if c.type == 'param_block'), None) if body is not None else None
        if block is not None:
            lists.append(block)
        parameters = {v.text.decode()[1:].lower() for part in lists for p in _walk(part)
                      if p.type == 'script_parameter' for v in p.children if v.type == 'variable'}
        # [CmdletBinding()] or a [Parameter()] attribute makes an advanced function: common parameters too.
        advanced = block is not None and (b'CmdletBinding' in block.text or b'Parameter(' in block.text)
        found[name] = (parameters, advanced)
    return found


def _splat_keys(script, variable):
    """The keys a script puts in hashtable ``$variable`` (literal, ``.Key =`` or ``['Key'] =``), or None."""
    keys, seen = set(), False
    for node in _walk(script_facts._tree(script).root_node):
        if node.type != 'assignment_expression':
            continue
        left = node.children[0]
        target = next((n for n in _walk(left) if n.type in ('variable', 'member_access', 'element_access')), None)
        if target is None:
            continue
        if target.type == 'variable' and target.text.decode().lower() == '$' + variable:
            hashes = [n for n in _walk(node.children[-1]) if n.type == 'hash_literal_expression']
            if not hashes:
                return None         # assigned something this reading cannot follow
            seen = True
            for entry in (n for n in _walk(hashes[0]) if n.type == 'hash_entry' and n.parent.parent == hashes[0]):
                key = entry.children[0].text.decode()
                keys.add(_literal(key) if _literal(key) is not None else key)
        elif target.type in ('member_access', 'element_access'):
            owner = target.children[0]
            if owner.type == 'variable' and owner.text.decode().lower() == '$' + variable:
                if target.type == 'member_access':
                    keys.add(target.children[-1].text.decode())
                else:
                    key = _literal(target.children[2].text.decode())
                    if key is None:
                        return None
                    keys.add(key)
    return keys if seen else None


def exchange_imports(script):
    """Lower-case names of the cmdlets the script imports from an implicit-remoting session."""
    found = set()
    for call in script_facts.calls(script, 'Import-PSSession'):
        for child in _walk(call.node):
            if child.type == 'command_parameter' and child.text.decode().lstrip('-').rstrip(':').lower() in (
                    'commandname', 'name'):
                argument = child.next_named_sibling
                while argument is not None and argument.type == 'command_argument_sep':
                    argument = argument.next_named_sibling
                if argument is not None:
                    found.update(v.lower() for v in _strings(argument))
    return found


def _named(call, script):
    """(written parameter, where) pairs of a call, splatted hashtables read from the script."""
    # As written (script_facts keeps parameter names in lower case), for messages a reader can find.
    written = {n.text.decode().lstrip('-').rstrip(':').lower(): n.text.decode().lstrip('-').rstrip(':')
               for n in _walk(call.node) if n.type == 'command_parameter'}
    found = [(p, '-%s' % written.get(p, p)) for p in call.parameters]
    unreadable = []
    for argument in call.arguments:
        if argument.startswith('@') and re.match(r'^@\w+$', argument):
            keys = _splat_keys(script, argument[1:].lower())
            if keys is None:
                unreadable.append(argument)
            else:
                found += [(k, '%s key %s' % (argument, k)) for k in sorted(keys)]
    return found, unreadable


def _check_cmdlet(call, command, script, say):
    named, unreadable = _named(call, script)
    for splat in unreadable:
        say('%s %s: the script never builds it as a hashtable here, so its parameters cannot be checked'
            % (command.name, splat))
    if command.entry.get('since'):
        say('%s is not in the reference of Windows Server 2016 (first in %s)' % (command.name, command.entry['since']))
    resolved = []
    for written, where in named:
        parameter = command.parameter(written)
        if parameter is None:
            longer = command.abbreviates(written)
            if len(longer) == 1:
                say('%s %s abbreviates -%s: write the name in full (a later version may add a parameter '
                    'with the same prefix)' % (command.name, where, longer[0]))
            else:
                say('%s has no parameter %s%s (module %s)'
                    % (command.name, where, ' (ambiguous: %s)' % ', '.join(longer) if longer else '', command.module))
            continue
        resolved.append(parameter)
        where = '-' + parameter if where.startswith('-') else where
        spec = command.spec(parameter)
        if spec.get('since'):
            say('%s %s is not in the reference of Windows Server 2016 (first in %s)'
                % (command.name, where, spec['since']))
        missing = [v for v in EXCHANGE_VERSIONS if command.module == EXCHANGE_MODULE
                   and v not in spec.get('applicable', command.entry.get('applicable', EXCHANGE_VERSIONS))]
        if missing:
            say('%s %s does not apply to %s' % (command.name, where, ', '.join(missing)))
    if resolved and command.entry['sets']:
        common = set(command.entry['sets'])
        for parameter in resolved:
            common &= command.sets(parameter)
        if not common:
            say('%s: no parameter set takes %s together (%s)' % (
                command.name, ', '.join('-' + p for p in resolved),
                '; '.join('-%s: %s' % (p, ', '.join(sorted(command.sets(p)))) for p in resolved)))


def _check_function_call(call, declared, say):
    parameters, advanced = declared
    common = {k.lower() for k, v in catalogue()['common_parameters']['common'].items()}
    common |= {a.lower() for v in catalogue()['common_parameters']['common'].values() for a in v}
    for written in call.parameters:
        if written not in parameters and not (advanced and written in common):
            say('function %s has no parameter -%s' % (call.name, written))


def _check_dynamic(call, functions, script, say):
    """``& $Variable``: the variable is a parameter of the enclosing function, and every caller of that
    function passes a declared native tool there as a literal."""
    variable = call.name.lstrip('$').lower()
    owner = call.function
    if owner is None or variable not in functions.get(owner.lower(), (set(), False))[0]:
        say('& %s runs a command the script does not name; run it through a function whose callers name '
            'a declared native tool' % call.name)
        return
    callers = script_facts.calls(script, owner)
    if not callers:
        say('& %s: function %s is never called, so what it runs is unknown' % (call.name, owner))
    tools = native_tools()
    for caller in callers:
        value = caller.value(variable)
        tool = _literal(value) if isinstance(value, str) else None
        if tool is None or re.sub(r'\.exe$', '', tool.lower()) not in tools:
            say('%s (line %d) passes -%s %s, not a declared native tool (%s)'
                % (owner, caller.line, variable, value, ', '.join(sorted(tools))))


def problems(script):
    """What Windows would refuse in ``script``: one message per defect, each with its line."""
    found = []
    functions = _functions(script)
    imported = exchange_imports(script)
    index = commands()
    for call in script_facts.calls(script):
        def say(message, call=call):
            found.append('line %d: %s' % (call.line, message))
        name = call.name
        if call.node.children[0].type == 'command_invokation_operator' and name.startswith('$'):
            _check_dynamic(call, functions, script, say)
            continue
        if _literal(name) is not None:                # & 'certreq.exe'
            name = _literal(name)
        qualifier, _sep, bare = name.lower().rpartition('\\')   # Module\Name: that module's command
        if bare in functions:
            _check_function_call(call, functions[bare], say)
            continue
        tool = re.sub(r'\.exe$', '', bare)
        if tool in native_tools():
            continue
        command = index.get(bare)
        if command is None:
            say('%s is not a function of this script, a Windows PowerShell 5.1 cmdlet or alias of the '
                'reference, nor a declared native tool' % name)
            continue
        if command.module == EXCHANGE_MODULE and command.name.lower() not in imported:
            say('%s is an Exchange cmdlet the script does not import from its session '
                '(Import-PSSession -CommandName)' % command.name)
            continue
        if qualifier and qualifier != command.module.lower():
            say('%s is not in module %s but in %s' % (command.name, name.rpartition('\\')[0], command.module))
        _check_cmdlet(call, command, script, say)
        if command.name == 'Import-Module':
            _check_import_module(call, say)
    return found


def aliases_used(script):
    """``(line, alias, cmdlet)`` for each command the script runs by an alias of the reference.

    PSScriptAnalyzer's PSAvoidUsingCmdletAliases: an alias can be redefined or missing on a host, and a
    prose line that lost its ``#`` often starts with one ("where ...", "echo ...", "set ...") - run as
    that cmdlet, it may even succeed and write text into the payload's output.
    """
    functions = _functions(script)
    found = []
    for call in script_facts.calls(script):
        name = call.name.lower()
        command = commands().get(name)
        if command is not None and name not in functions and name != command.name.lower():
            found.append((call.line, call.name, command.name))
    return found


def _check_import_module(call, say):
    """A module imported by literal name is one of the reference's (a misspelt name fails on the host)."""
    names = [a for a in call.arguments if not a.startswith(('$', '@', '('))]
    if isinstance(call.value('Name'), str):
        names.append(call.value('Name'))
    modules = {m.lower() for m in catalogue()['modules']}
    for written in names:
        for name in (_literal(n) if _literal(n) is not None else n for n in written.split(',')):
            if name.strip().lower() not in modules:
                say('Import-Module %s: not a module of the reference (%s)' % (name.strip(), ', '.join(sorted(modules))))
