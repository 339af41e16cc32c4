# -*- coding: utf-8 -*-
"""What a payload's PowerShell text actually does, read from its parse tree (tree-sitter-powershell).

The fake host cannot run PowerShell, but some host behaviour depends on *how* the script calls a
cmdlet, not on the parameters it was given: ``Get-DnsServerResourceRecord`` without ``-Node``
returns a whole subtree, ``-ErrorAction SilentlyContinue`` swallows access denied, a
``Remove-PSSession`` under ``-WhatIf`` does nothing. Handlers ask these questions of the script
that was sent, so a payload that calls the cmdlet the wrong way gets the answer Windows would give;
the static tests in ``tests/unit/test_payload_patterns.py`` ask them of every payload file.
"""

from __future__ import annotations

import functools

import tree_sitter
import tree_sitter_powershell

_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
_SKIP = ('command_argument_sep', 'comment')
# Windows tools the payloads may run; a bare name like `certreq` is an .exe on the PATH too.
NATIVE_TOOLS = ('certutil', 'certreq', 'netsh', 'appcmd')


class Call:
    """One command invocation: its name, its named parameters and where it sits in the script."""

    def __init__(self, node):
        self.node = node
        name = next(c for c in node.children if c.type in ('command_name', 'command_name_expr'))
        self.name = name.text.decode()
        self.invoked_with_call_operator = any(c.type == 'command_invokation_operator' for c in node.children)
        self.parameters = {}     # lower-case parameter name -> argument text, or True for a bare switch
        self.parameter_nodes = {}  # lower-case parameter name -> the argument's parse node (when it has one)
        self.arguments = []      # positional arguments, as text
        self.argument_nodes = []
        self.redirections = []
        elements = next((c for c in node.children if c.type == 'command_elements'), None)
        children = list(elements.children) if elements is not None else []
        i = 0
        while i < len(children):
            child = children[i]
            if child.type == 'command_parameter':
                key = child.text.decode().lstrip('-').rstrip(':').lower()
                # `-Name:value` keeps the value after a ':' separator; `-Name value` takes the next
                # element unless that is another parameter (then this one is a switch).
                j = i + 1
                colon = j < len(children) and children[j].type == 'command_argument_sep' and children[j].text == b':'
                while j < len(children) and children[j].type in _SKIP:
                    j += 1
                if j < len(children) and children[j].type not in ('command_parameter', 'redirection') and (
                        colon or not child.text.endswith(b':')):
                    self.parameters[key] = children[j].text.decode()
                    self.parameter_nodes[key] = children[j]
                    i = j
                else:
                    self.parameters[key] = True
            elif child.type == 'redirection':
                self.redirections.append(child.text.decode())
            elif child.type not in _SKIP:
                self.arguments.append(child.text.decode())
                self.argument_nodes.append(child)
            i += 1

    def has(self, parameter):
        return parameter.lower() in self.parameters

    def value(self, parameter):
        return self.parameters.get(parameter.lower())

    def enclosing(self, kind):
        """The nearest ancestor node of ``kind`` (e.g. 'try_statement', 'function_statement')."""
        node = self.node.parent
        while node is not None:
            if node.type == kind:
                return node
            node = node.parent
        return None

    @property
    def function(self):
        """The name of the function this call is inside, or None at script level."""
        node = self.enclosing('function_statement')
        if node is None:
            return None
        name = next((c for c in node.children if c.type == 'function_name'), None)
        return name.text.decode() if name is not None else None

    @property
    def in_try(self):
        return self.enclosing('try_statement') is not None

    @property
    def is_native(self):
        """An executable run by name (``certutil.exe``, ``& certreq.exe``), not a cmdlet or function."""
        return self.name.lower().endswith('.exe') or self.name.lower() in NATIVE_TOOLS

    @property
    def line(self):
        return self.node.start_point[0] + 1


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


@functools.lru_cache(maxsize=64)
def _tree(script):
    return _PARSER.parse(script.encode('utf-8'))


def calls(script, name=None):
    """Every command invocation in ``script`` (optionally only those named ``name``, any case)."""
    found = [Call(n) for n in _walk(_tree(script).root_node) if n.type == 'command'
             and any(c.type in ('command_name', 'command_name_expr') for c in n.children)]
    if name is not None:
        found = [c for c in found if c.name.lower() == name.lower()]
    return found


def defined_functions(script):
    """The names (lower case) of the functions the script defines (``function Name ... { }``)."""
    found = set()
    for node in _walk(_tree(script).root_node):
        if node.type == 'function_statement':
            name = next((c for c in node.children if c.type == 'function_name'), None)
            if name is not None:
                found.add(name.text.decode().lower())
    return found


def assigned_variables(script):
    """The variables (lower case, with ``$``) the script assigns anywhere (``$x = ...``)."""
    found = set()
    for node in _walk(_tree(script).root_node):
        if node.type == 'left_assignment_expression':
            variable = next((c for c in _walk(node) if c.type == 'variable'), None)
            if variable is not None and variable.parent.type != 'member_access':
                found.add(variable.text.decode().lower())
    return found


def member_assignments(script, member):
    """Statements assigning ``<expr>.member = ...`` (e.g. an in-place ``$binding.CertificateHash = ...``)."""
    found = []
    for node in _walk(_tree(script).root_node):
        if node.type != 'left_assignment_expression':
            continue
        for inner in _walk(node):
            if inner.type == 'member_access':
                names = [c for c in inner.children if c.type == 'member_name']
                if names and names[-1].text.decode().lower() == member.lower():
                    found.append(node)
                    break
    return found


def swallows_errors(call):
    """True when the call's own ``-ErrorAction`` hides its errors (SilentlyContinue / Ignore)."""
    action = call.value('ErrorAction') or call.value('EA')
    return isinstance(action, str) and action.strip('\'"').lower() in ('silentlycontinue', 'ignore')


def whatif_off(call):
    """True when the call carries ``-WhatIf:$false``: it acts even when the script runs under -WhatIf."""
    return isinstance(call.value('WhatIf'), str) and call.value('WhatIf').lower() == '$false'


def _assigned_variable(left):
    """``$x`` for a left side ``$x.Member`` (None when the object is not a plain variable)."""
    for inner in _walk(left):
        if inner.type == 'member_access':
            var = next((c for c in inner.children if c.type == 'variable'), None)
            return var.text.decode().lower() if var is not None else None
    return None


def in_place_member_changes(script, member):
    """Assignments of ``member`` on objects the script did not create with ``CreateElement``.

    win-acme IISClient.UpdateBinding replaces a binding element instead of changing its
    certificateHash (its issue #371); a new element from ``Bindings.CreateElement`` may be filled in.
    """
    created = set()
    for node in _walk(_tree(script).root_node):
        if node.type == 'assignment_expression' and b'CreateElement(' in node.text:
            left = next(c for c in node.children if c.type == 'left_assignment_expression')
            created.add(left.text.decode().strip().lower())
    return [n for n in member_assignments(script, member) if _assigned_variable(n) not in created]


def member_reads(script, member):
    """Every ``<expr>.member`` in the script, as (node, inside a try block?) pairs."""
    found = []
    for node in _walk(_tree(script).root_node):
        if node.type == 'member_access':
            names = [c for c in node.children if c.type == 'member_name']
            if names and names[-1].text.decode().lower() == member.lower():
                parent, in_try = node.parent, False
                while parent is not None:
                    if parent.type == 'try_statement':
                        in_try = True
                        break
                    parent = parent.parent
                found.append((node, in_try))
    return found


def guarded_by_test_path(call):
    """True when the call sits inside an ``if`` whose condition runs Test-Path (a missing path is skipped)."""
    node = call.node.parent
    while node is not None:
        if node.type == 'if_statement':
            condition = next((c for c in node.children if c.type == 'pipeline'), None)
            if condition is not None and b'Test-Path' in condition.text:
                return True
        node = node.parent
    return False


def _inside(node, kind):
    parent = node.parent
    while parent is not None:
        if parent.type == kind:
            return True
        parent = parent.parent
    return False


def _guarded(node):
    parent = node.parent
    while parent is not None:
        if parent.type == 'if_statement':
            condition = next((c for c in parent.children if c.type == 'pipeline'), None)
            if condition is not None and b'Test-Path' in condition.text:
                return True
        parent = parent.parent
    return False


def method_calls(script, method):
    """Every ``<expr>.Method(...)`` call: (node, inside a try block?, inside an ``if (Test-Path ...)``?)."""
    found = []
    for node in _walk(_tree(script).root_node):
        if node.type == 'invokation_expression':
            names = [c for c in node.children if c.type == 'member_name']
            if names and names[-1].text.decode().lower() == method.lower():
                found.append((node, _inside(node, 'try_statement'), _guarded(node)))
    return found


# -- how a payload calls Windows: the facts the handlers model (issue 20, "What a handler assumes, the
# script must say"). Each returns what the script SAYS, so a handler can answer as Windows does when a
# flag, a parameter or an argument is missing.

def _unquote(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in '\'"':
        return text[1:-1]
    return text


def tree(script):
    """The script's parse tree (cached)."""
    return _tree(script)


def string_literals(node):
    """The texts of every string literal under ``node``, unquoted, in order."""
    return [_unquote(n.text.decode()) for n in _walk(node) if n.type == 'string_literal']


def _hashtable_keys(node):
    """{lower-case key: value text} of the first hash literal under ``node``."""
    keys = {}
    for entry in _walk(node):
        if entry.type == 'hash_entry':
            name = next((c for c in _walk(entry) if c.type in ('simple_name', 'string_literal')), None)
            value = next((c for c in entry.children if c.type == 'pipeline'), None)
            if name is not None:
                keys[_unquote(name.text.decode()).lower()] = value.text.decode() if value is not None else True
    return keys


def splatted(script, variable):
    """The parameters a splat ``@variable`` carries: the keys of its ``$variable = @{...}`` literal and of
    every later ``$variable.Key = value`` (lower-case key -> value text)."""
    name = '$' + variable.lstrip('@$').lower()
    found = {}
    for node in _walk(_tree(script).root_node):
        if node.type != 'assignment_expression':
            continue
        left = next(c for c in node.children if c.type == 'left_assignment_expression')
        right = node.children[-1]
        target = left.text.decode().strip().lower()
        if target == name and b'@{' in right.text:
            found.update(_hashtable_keys(right))
        elif target.startswith(name + '.'):
            found[target[len(name) + 1:]] = right.text.decode()
    return found


def effective_parameters(script, call):
    """The named parameters a call binds: its own, plus those of every hashtable it splats (``@args``)."""
    bound = {}
    for argument in call.arguments:
        if argument.startswith('@') and not argument.startswith(('@(', '@{', "@'", '@"')):
            bound.update(splatted(script, argument))
    bound.update(call.parameters)
    return bound


def binds(script, call, parameter):
    """True when ``call`` binds ``parameter``, directly or through a splat."""
    return parameter.lower() in effective_parameters(script, call)


def is_false(value):
    """True for an argument text that is ``$false`` (``-Confirm:$false``)."""
    return isinstance(value, str) and value.strip().lower() == '$false'


def native_invocations(script, tool):
    """Each run of native ``tool`` (certreq, certutil...) as its list of literal arguments (variables kept as
    ``$name``): ``& tool.exe a b`` as well as the payloads' ``Invoke-NativeCommand -FilePath 'tool.exe'
    -ArgumentList @('a', 'b')``."""
    runs = []
    tool = tool.lower()
    for call in calls(script):
        if call.is_native and call.name.lower().split('.')[0] == tool:
            runs.append([_unquote(a) for a in call.arguments])
        elif call.name.lower() == 'invoke-nativecommand':
            path = call.value('FilePath') or (call.arguments[0] if call.arguments else '')
            if isinstance(path, str) and _unquote(path).lower().split('.')[0] == tool:
                node = call.parameter_nodes.get('argumentlist')
                runs.append(_array_items(node) if node is not None else [])
    return runs


def _array_items(node):
    """The items of ``@('a', $b)`` / ``'a', $b``: string literals unquoted, anything else as written."""
    items = []
    for inner in _walk(node):
        if inner.type == 'array_literal_expression' and any(c.type == ',' for c in inner.children):
            return [_unquote(c.text.decode()) for c in inner.children if c.type != ',']
    for inner in _walk(node):
        if inner.type in ('string_literal', 'variable'):
            items.append(_unquote(inner.text.decode()))
            break
    return items


def enum_values(script, enum):
    """Every value of the .NET enum type ``enum`` (its last name, e.g. 'X509KeyStorageFlags') the script
    names: ``[...X509KeyStorageFlags]'A, B'`` casts and ``[...X509KeyStorageFlags]::A`` members."""
    found = []
    for node in _walk(_tree(script).root_node):
        if node.type != 'type_literal' or not node.text.decode().rstrip(']').lower().endswith(enum.lower()):
            continue
        parent = node.parent
        if parent.type == 'member_access':
            member = next((c for c in parent.children if c.type == 'member_name'), None)
            if member is not None:
                found.append(member.text.decode())
        elif parent.type == 'cast_expression':
            for text in string_literals(parent):
                found.extend(part.strip() for part in text.split(',') if part.strip())
    return found


def _method_arguments(node):
    arguments = next((c for c in node.children if c.type == 'argument_list'), None)
    if arguments is None:
        return []
    expressions = next((c for c in arguments.children if c.type == 'argument_expression_list'), None)
    if expressions is None:
        return []
    return [_unquote(c.text.decode()) for c in expressions.children if c.type == 'argument_expression']


def method_arguments(script, method):
    """The argument texts (string literals unquoted) of every ``<expr>.Method(...)`` / ``[T]::Method(...)``."""
    found = []
    for node in _walk(_tree(script).root_node):
        if node.type == 'invokation_expression':
            names = [c for c in node.children if c.type == 'member_name']
            if names and names[-1].text.decode().lower() == method.lower():
                found.append(_method_arguments(node))
    return found


def new_objects(script, type_name):
    """The constructor arguments of every ``[...Type]::new(...)`` and ``New-Object -TypeName ...Type
    -ArgumentList ...`` of ``type_name`` (its last name, e.g. 'X509Store')."""
    found = []
    for node in _walk(_tree(script).root_node):
        if node.type == 'invokation_expression':
            names = [c for c in node.children if c.type == 'member_name']
            kind = next((c for c in node.children if c.type == 'type_literal'), None)
            if kind is not None and names and names[-1].text.decode().lower() == 'new' and \
                    kind.text.decode().strip('[]').lower().split('.')[-1] == type_name.lower():
                found.append(_method_arguments(node))
    for call in calls(script, 'New-Object'):
        kind = call.value('TypeName') or (call.arguments[0] if call.arguments else '')
        if isinstance(kind, str) and _unquote(kind).lower().split('.')[-1] == type_name.lower():
            node = call.parameter_nodes.get('argumentlist')
            found.append(_array_items(node) if node is not None else [])
    return found


def imported_commands(script):
    """The command names (lower case) the script's ``Import-PSSession -CommandName`` calls import."""
    names = set()
    for call in calls(script, 'Import-PSSession'):
        node = call.parameter_nodes.get('commandname')
        if node is None:
            continue
        literals = string_literals(node) or [node.text.decode()]
        names.update(_unquote(n).lower() for n in literals)
    return names


def without_functions(script, names):
    """``script`` with the definitions of the functions ``names`` (any case) cut out: what a handler reads when it
    models one function of a payload that defines several doing the same kind of thing (iis_apply's step
    functions), so that one function's flags are not taken for another's."""
    wanted = {n.lower() for n in names}
    cuts = []
    for node in _walk(_tree(script).root_node):
        if node.type == 'function_statement':
            name = next((c for c in node.children if c.type == 'function_name'), None)
            if name is not None and name.text.decode().lower() in wanted:
                cuts.append((node.start_byte, node.end_byte))
    data = script.encode('utf-8')
    for start, end in sorted(cuts, reverse=True):
        data = data[:start] + data[end:]
    return data.decode('utf-8')


def switch_dispatch(script, variable):
    """``{label: command}`` of every ``switch (<variable>...) { 'label' { Command ... } }`` clause: which command
    the script runs for each value (iis_apply's step kinds)."""
    found = {}
    for node in _walk(_tree(script).root_node):
        if node.type != 'switch_statement' or variable.lower() not in node.text.decode().lower().split('{', 1)[0]:
            continue
        for clause in _walk(node):
            if clause.type != 'switch_clause':
                continue
            condition = next((c for c in clause.children if c.type == 'switch_clause_condition'), None)
            if condition is None:
                continue
            label = _unquote(condition.text.decode())
            command = next((c for c in _walk(clause) if c.type == 'command'), None)
            if command is not None:
                found[label] = Call(command).name
    return found
