# -*- coding: utf-8 -*-
"""The .NET a PowerShell script names, read from its parse tree (tree-sitter-powershell).

What Windows PowerShell 5.1 resolves against .NET when it runs a payload: type literals (``[Convert]``,
``[byte[]]``, ``[System.Collections.Generic.List[int]]``), static member access (``[Convert]::ToByte``,
``[X509KeyStorageFlags]::PersistKeySet``, ``[X509Store]::new``), casts of a string to a type (an enum's flag
names: ``[X509KeyStorageFlags]'MachineKeySet, PersistKeySet'``) and ``New-Object [-TypeName] X``. A typo in
any of these is found only when the line runs on a host - often in an error path no test reaches - so
``tests/support/windows/dotnet_reference.py`` checks them against Microsoft's published reference.

The script also says where names come from besides .NET Framework: ``using namespace`` lines, C# types it
compiles itself (``Add-Type -TypeDefinition``) and assemblies it loads (``Add-Type -Path ...dll``).
"""

from __future__ import annotations

import re

from tests.support.windows import script_facts

# `using namespace X` must be the script's first statements (about_Using); the tree-sitter grammar reads
# the line as a command named `using`, so the text is read directly.
_USING = re.compile(r'^[ \t]*using[ \t]+namespace[ \t]+([\w.]+)[ \t]*;?[ \t]*$', re.M | re.I)
# The C# types an Add-Type -TypeDefinition declares (nested ones included: PowerShell cannot name those
# without `+`, and naming one that way is still a name the script made).
_CSHARP_TYPE = re.compile(r'\b(?:class|struct|enum|interface)\s+([A-Za-z_]\w*)')


class TypeRef:
    """A type the script names: ``name`` as written (without array brackets; ``array`` says they were
    there), the ``generic`` arguments' TypeRefs, how it is used (``literal``, ``cast``, ``parameter-type``,
    ``attribute``, ``new-object``) and its line."""

    def __init__(self, name, line, usage, generic=(), array=False):
        self.name, self.line, self.usage, self.generic, self.array = name, line, usage, tuple(generic), array

    @property
    def arity(self):
        return len(self.generic)

    def __repr__(self):
        return 'TypeRef(%r, line %d, %s)' % (self.name, self.line, self.usage)


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _line(node):
    return node.start_point[0] + 1


def _type_name(spec):
    """The TypeRef of a ``type_spec`` node: arrays read as their element type, generics keep arguments.

    The grammar puts a generic's ``generic_type_arguments`` beside its ``generic_type_name`` in the
    ``type_spec``, and an array's element type inside ``array_type_name``.
    """
    node, array = spec, False
    while node.type in ('type_spec', 'array_type_name'):
        array = array or node.type == 'array_type_name'
        if node.type == 'type_spec' and any(c.type == 'generic_type_name' for c in node.children):
            base = next(c for c in node.children if c.type == 'generic_type_name')
            name = next(c for c in base.children if c.type == 'type_name')
            arguments = next(c for c in node.children if c.type == 'generic_type_arguments')
            generic = [_type_name(c) for c in arguments.children if c.type == 'type_spec']
            return TypeRef(name.text.decode(), _line(spec), 'literal', generic, array)
        node = next(c for c in node.children if c.type in ('type_name', 'array_type_name', 'type_spec',
                                                           'generic_type_name'))
    return TypeRef(node.text.decode(), _line(spec), 'literal', (), array)


def _usage(literal):
    parent = literal.parent
    if parent is not None and parent.type == 'cast_expression':
        return 'cast'
    if parent is not None and parent.type == 'attribute':
        return 'parameter-type'
    return 'literal'


def type_literals(script):
    """Every ``[Type]`` in the script (casts, ``-is``/``-as`` operands, parameter types, static access),
    generic arguments included, and every attribute name (``[CmdletBinding()]`` names a .NET type too)."""
    found = []
    for node in _walk(script_facts._tree(script).root_node):
        if node.type == 'type_literal':
            spec = next(c for c in node.children if c.type == 'type_spec')
            ref = _type_name(spec)
            if ref.name.lower() == 'ordered' and node.parent.type == 'cast_expression' and any(
                    _value(c).type == 'hash_literal_expression' for c in node.parent.children):
                # `[ordered]@{...}` is hash table syntax (about_Hash_Tables, PowerShell 3.0+), not a .NET type.
                continue
            ref.usage = _usage(node)
            found.append(ref)
            pending = list(ref.generic)
            while pending:
                inner = pending.pop()
                found.append(inner)
                pending.extend(inner.generic)
        elif node.type == 'attribute_name':
            spec = next(c for c in node.children if c.type == 'type_spec')
            ref = _type_name(spec)
            ref.usage = 'attribute'
            found.append(ref)
    return found


def _type_from_text(text, line, usage):
    """A TypeRef for a type name given as text (``X``, ``X[]``, ``Ns.List[int]``, ``Dictionary[string,int]``)."""
    array = text.endswith('[]')
    text = text[:-2] if array else text
    generic = re.match(r'^([\w.`]+)\[(.+)\]$', text)
    if generic:
        arguments = [_type_from_text(a.strip().strip('[]'), line, usage) for a in generic.group(2).split(',')]
        return TypeRef(generic.group(1), line, usage, arguments, array)
    return TypeRef(text, line, usage, (), array)


def new_object_types(script):
    """The type names ``New-Object`` is given (``-TypeName X`` or the first positional argument);
    ``-ComObject`` creates a COM object, not a .NET type, and is left out."""
    found = []
    for call in script_facts.calls(script, 'New-Object'):
        if call.has('ComObject'):
            continue
        name = call.value('TypeName')
        if not isinstance(name, str):
            name = call.arguments[0] if call.arguments else None
        if isinstance(name, str):
            found.append(_type_from_text(name.strip('\'"'), call.line, 'new-object'))
    return found


def static_members(script):
    """Every ``[Type]::Member`` in the script as (TypeRef, member name, line); ``::new`` is a constructor."""
    found = []
    for node in _walk(script_facts._tree(script).root_node):
        if node.type not in ('member_access', 'invokation_expression'):
            continue
        children = node.children
        for i, child in enumerate(children[:-2]):
            if child.type == 'type_literal' and children[i + 1].type == '::' and children[i + 2].type == 'member_name':
                spec = next(c for c in child.children if c.type == 'type_spec')
                found.append((_type_name(spec), children[i + 2].text.decode(), _line(node)))
    return found


def string_casts(script):
    """Every ``[Type]'text'`` (a string literal cast to a type) as (TypeRef, text, line): for an enum the
    text is a comma-separated list of its value names, which PowerShell resolves only at run time."""
    found = []
    for node in _walk(script_facts._tree(script).root_node):
        if node.type != 'cast_expression':
            continue
        literal = next((c for c in node.children if c.type == 'type_literal'), None)
        operand = next((c for c in node.children if c.type == 'unary_expression'), None)
        if literal is None or operand is None:
            continue
        strings = [c for c in operand.children if c.type == 'string_literal']
        if len(strings) == 1 and len(operand.children) == 1:
            text = strings[0].text.decode()
            if text[:1] in ('"', "'") and '$' not in text:
                spec = next(c for c in literal.children if c.type == 'type_spec')
                found.append((_type_name(spec), text[1:-1], _line(node)))
    return found


def using_namespaces(script):
    """The namespaces named by ``using namespace`` lines, in order."""
    return _USING.findall(script)


def defined_types(script):
    """Lower-case names of the types the script compiles itself with ``Add-Type -TypeDefinition``."""
    found = set()
    for call in script_facts.calls(script, 'Add-Type'):
        source = call.value('TypeDefinition') or call.value('MemberDefinition')
        if isinstance(source, str):
            found.update(name.lower() for name in _CSHARP_TYPE.findall(source))
            namespace = call.value('Namespace')
            name = call.value('Name')
            if isinstance(name, str):
                # -MemberDefinition makes the type Namespace.Name; without -Namespace that is
                # Microsoft.PowerShell.Commands.AddType.AutoGeneratedTypes (Add-Type's help).
                namespace = namespace.strip('\'"') if isinstance(namespace, str) else \
                    'Microsoft.PowerShell.Commands.AddType.AutoGeneratedTypes'
                found.add(('%s.%s' % (namespace, name.strip('\'"'))).lower())
    return found


def loaded_assemblies(script):
    """Lower-case file names (without ``.dll``) or names of the assemblies the script loads with
    ``Add-Type -Path`` / ``-LiteralPath`` / ``-AssemblyName``."""
    found = set()
    for call in script_facts.calls(script, 'Add-Type'):
        for parameter in ('Path', 'LiteralPath', 'AssemblyName'):
            value = call.value(parameter)
            if isinstance(value, str):
                for name in re.findall(r'([\w.]+?)(?:\.dll)?[\'")]*$', value.strip(), re.I):
                    found.add(name.lower())
    return found


def referenced_types(script):
    """Every TypeRef the script resolves against .NET: literals, attributes, New-Object names (with the
    arguments of a generic named as text)."""
    found = type_literals(script)
    pending = new_object_types(script)
    while pending:
        ref = pending.pop()
        found.append(ref)
        pending.extend(ref.generic)
    return found


class MemberCall:
    """A call of a .NET method or constructor whose target type is known from the script text: ``[T]::M(...)``,
    ``[T]::new(...)``, ``New-Object T -ArgumentList ...`` or ``$v.M(...)`` on a variable the script only ever
    sets to a new T. ``arguments`` holds, per argument, the text of a constant string literal or None."""

    def __init__(self, ref, member, arguments, line, on, target=None):
        self.ref, self.member, self.arguments, self.line, self.on = ref, member, list(arguments), line, on
        self.target = target or '[%s]' % ref.name     # what the call is made on, as the script writes it

    def __repr__(self):
        return 'MemberCall([%s], %s, %r, line %d)' % (self.ref.name, self.member, self.arguments, self.line)


def _value(node):
    """The node an expression reduces to once its single-child wrappers are taken off."""
    while len(node.children) == 1:
        node = node.children[0]
    return node


def _literal(node):
    """The text of a constant string literal (``'x'``, or ``"x"`` with nothing to expand), else None."""
    node = _value(node)
    if node.type == 'string_literal':
        node = _value(node)
    text = node.text.decode()
    if node.type == 'verbatim_string_characters' or (node.type == 'expandable_string_literal' and '$' not in text
                                                     and '`' not in text):
        return text[1:-1]
    return None


def _argument_list(node):
    expressions = next((c for c in node.children if c.type == 'argument_expression_list'), None)
    if expressions is None:
        return []
    return [_literal(c) for c in expressions.children if c.type == 'argument_expression']


def _new_object_arguments(command):
    """New-Object's constructor arguments: ``-ArgumentList a, 'b'`` or a positional ``(a, 'b')``."""
    elements = next((c for c in command.children if c.type == 'command_elements'), None)
    children = [c for c in elements.children if c.type not in ('command_argument_sep', 'comment')] if elements else []
    for i, child in enumerate(children):
        if child.type == 'argument_list':
            return _argument_list(child)
        if child.type == 'command_parameter' and child.text.decode().lstrip('-').rstrip(':').lower() in (
                'argumentlist', 'args') and i + 1 < len(children):
            value = _value(children[i + 1])
            if value.type == 'array_literal_expression':
                return [_literal(c) for c in value.children if c.type != ',']
            return [_literal(value)]
    return None


def _constructed(node):
    """The TypeRef a right-hand side constructs (``[T]::new(...)`` or ``New-Object T``), else None."""
    value = _value(node)
    children = value.children
    if (value.type == 'invokation_expression' and len(children) >= 3 and children[0].type == 'type_literal'
            and children[1].type == '::' and children[2].text.decode().lower() == 'new'):
        return _type_name(next(c for c in children[0].children if c.type == 'type_spec'))
    if value.type == 'command' and value.children[0].text.decode().lower() == 'new-object':
        call = script_facts.Call(value)
        if not call.has('ComObject'):
            name = call.value('TypeName')
            name = name if isinstance(name, str) else (call.arguments[0] if call.arguments else None)
            if isinstance(name, str):
                return _type_from_text(name.strip('\'"'), call.line, 'new-object')
    return None


def constructed_variables(script):
    """Lower-case variable names the script only ever assigns a new object of one type, mapped to its
    TypeRef; a variable also set any other way (a loop variable, a parameter, another value) is left out."""
    kinds, other = {}, set()
    for node in _walk(script_facts._tree(script).root_node):
        if node.type == 'assignment_expression':
            left = next(c for c in node.children if c.type == 'left_assignment_expression')
            name = left.text.decode().strip().lower()
            operator = next((c for c in node.children if c.type == 'assignement_operator'), None)
            ref = _constructed(node.children[-1]) if operator is not None and operator.text == b'=' else None
            if ref is None or ref.array or ref.generic:
                other.add(name)
            elif kinds.setdefault(name, ref).name.lower() != ref.name.lower():
                other.add(name)
        elif node.type in ('foreach_statement', 'script_parameter', 'for_statement'):
            other.update(c.text.decode().lower() for c in node.children if c.type == 'variable')
    return {name: ref for name, ref in kinds.items() if name not in other and re.fullmatch(r'\$\w+', name)}


def member_calls(script):
    """Every MemberCall of the script (static, constructor, New-Object, instance on a constructed variable)."""
    found = []
    typed = constructed_variables(script)
    for node in _walk(script_facts._tree(script).root_node):
        children = node.children
        if node.type == 'invokation_expression' and len(children) >= 4 and children[-1].type == 'argument_list':
            member = children[-2].text.decode() if children[-2].type == 'member_name' else None
            if children[0].type == 'type_literal' and children[1].type == '::' and member:
                ref = _type_name(next(c for c in children[0].children if c.type == 'type_spec'))
                found.append(MemberCall(ref, member, _argument_list(children[-1]), _line(node), 'static'))
            elif children[0].type == 'variable' and children[1].type == '.' and member and \
                    children[0].text.decode().lower() in typed:
                ref = typed[children[0].text.decode().lower()]
                found.append(MemberCall(ref, member, _argument_list(children[-1]), _line(node), 'instance',
                                        children[0].text.decode()))
        elif node.type == 'command' and children and children[0].type == 'command_name' and \
                children[0].text.decode().lower() == 'new-object':
            ref = _constructed(node)
            arguments = _new_object_arguments(node)
            if ref is not None and arguments is not None:
                found.append(MemberCall(ref, 'new', arguments, _line(node), 'new-object'))
    return found
