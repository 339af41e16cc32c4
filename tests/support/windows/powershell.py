# -*- coding: utf-8 -*-
"""What Windows PowerShell 5.1 does with a script's ``param()`` block when win_powershell calls it.

win_powershell hands the payload to ``$ps.AddScript($script)`` and its parameters to
``$ps.AddParameters($parameters)`` (win_powershell.ps1 lines 726 and 763-764; ansible.windows 2.4.0, the
release boundary.py models), so the PowerShell parameter binder decides what the script sees. This module
reads the ``param()`` block with tree-sitter-powershell and binds values the way that binder does. Each rule names where it
comes from in PowerShell's source (github.com/PowerShell/PowerShell, the same logic Windows
PowerShell 5.1 ships, marked by its "NTRAID"/"V1 compatibility" comments):

* ``ParameterBinderBase.BindParameter``: argument transformation (the declared type), then
  validation attributes, then the Mandatory null/empty checks;
* ``ArgumentTypeConverterAttribute.Transform``: a script's ``[type]`` is converted with
  ``LanguagePrimitives.ConvertTo``; ``[bool]``/``[switch]`` accept only booleans and numbers
  (``CheckBoolValue``); an array bound to ``[string]`` fails under cmdlet binding;
* ``ParameterBinderBase.HandleNullParameterForSpecialTypes``: ``$null`` to ``[bool]`` is an error,
  ``$null`` to ``[switch]`` is present;
* an unbound parameter keeps its default, or PowerShell's: ``''`` for ``[string]``, ``0`` for
  ``[int]``, ``$false`` for ``[bool]``/``[switch]``, ``$null`` otherwise (``BindParameter``'s
  comment "the powershell default value for a class type is null, for the string type is
  string.empty").
"""

from __future__ import annotations

import json
import math
import re

import tree_sitter
import tree_sitter_powershell

_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))


class SecureString:
    """System.Security.SecureString: the text is held, never shown.

    ``str()`` is what PowerShell's ``[string]`` conversion gives for it - the type name
    (``LanguagePrimitives.ConvertTo`` falls back to ``Object.ToString()``) - which is exactly
    what a ``[string]`` parameter receives when a sensitive parameter is bound to it.
    """

    MAX_LENGTH = 65536  # SecureString's documented capacity; AppendChar throws beyond it.

    def __init__(self, text=''):
        if len(text) > self.MAX_LENGTH:
            raise ValueError('Length cannot be greater than 65536 characters.\r\nParameter name: length')
        self._text = text

    def __str__(self):
        return 'System.Security.SecureString'

    def __repr__(self):
        return '<SecureString length=%d>' % len(self._text)

    @property
    def length(self):
        return len(self._text)

    def reveal(self):
        """What code that legitimately decrypts it (a cmdlet taking a SecureString, or
        Marshal.SecureStringToBSTR in a payload) gets back."""
        return self._text


class PSCredential:
    """System.Management.Automation.PSCredential (UserName, Password as a SecureString)."""

    def __init__(self, username, password):
        self.username = username
        self.password = password

    def __str__(self):
        return 'System.Management.Automation.PSCredential'

    def __repr__(self):
        return '<PSCredential %s>' % self.username

    def network_password(self):
        """``$cred.GetNetworkCredential().Password``."""
        return self.password.reveal()


class Hashtable(dict):
    """A PowerShell hashtable: keys compare case-insensitively; ToString() is the type name."""

    def __str__(self):
        return 'System.Collections.Hashtable'


class BindingError(Exception):
    """A ParameterBindingException: terminating, raised before the script's first line runs."""

    def __init__(self, message, fqid, exception_type='System.Management.Automation.ParameterBindingException',
                 category='InvalidArgument'):
        super().__init__(message)
        self.fqid = fqid
        self.exception_type = exception_type
        self.category = category


_TYPES = {
    'string': 'string', 'system.string': 'string',
    'int': 'int', 'int32': 'int', 'system.int32': 'int', 'long': 'long', 'int64': 'long', 'system.int64': 'long',
    'bool': 'bool', 'boolean': 'bool', 'system.boolean': 'bool',
    'switch': 'switch', 'switchparameter': 'switch', 'system.management.automation.switchparameter': 'switch',
    'securestring': 'securestring', 'system.security.securestring': 'securestring',
    'pscredential': 'pscredential', 'system.management.automation.pscredential': 'pscredential',
    'hashtable': 'hashtable', 'system.collections.hashtable': 'hashtable',
    'object': 'object', 'system.object': 'object', 'psobject': 'object',
}
_RANGES = {'int': (-2 ** 31, 2 ** 31 - 1), 'long': (-2 ** 63, 2 ** 63 - 1)}
_NET_NAMES = {'string': 'System.String', 'int': 'System.Int32', 'long': 'System.Int64', 'bool': 'System.Boolean',
              'switch': 'System.Management.Automation.SwitchParameter',
              'securestring': 'System.Security.SecureString',
              'pscredential': 'System.Management.Automation.PSCredential',
              'hashtable': 'System.Collections.Hashtable', 'object': 'System.Object'}

# Common parameters every cmdlet-binding script has (CommonParameters in PowerShell 5.1);
# WhatIf/Confirm only with SupportsShouldProcess.
COMMON = ('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ErrorVariable',
          'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable')
SHOULD_PROCESS = ('WhatIf', 'Confirm')


class Parameter:
    def __init__(self, name, type_name, is_array, mandatory, default, has_default, validate_set, allow):
        self.name = name
        self.type = type_name
        self.is_array = is_array
        self.mandatory = mandatory
        self.default = default
        self.has_default = has_default
        self.validate_set = validate_set
        self.allow = allow        # {'null', 'empty_string', 'empty_collection'}

    @property
    def net_type(self):
        return _NET_NAMES[self.type] + ('[]' if self.is_array else '')


class Script:
    """What the binder and win_powershell learn from a script's text."""

    def __init__(self, parameters, cmdlet_binding, uses_cmdlet_binding, supports_should_process, top_level):
        self.parameters = parameters                  # declared order
        self.cmdlet_binding = cmdlet_binding
        self.uses_cmdlet_binding = uses_cmdlet_binding  # [CmdletBinding()] or any [Parameter()]
        self.supports_should_process = supports_should_process
        self.top_level = top_level                    # the script's top-level statements, as text


def _text(node):
    return node.text.decode('utf-8')


def _children(node, kind):
    return [c for c in node.children if c.type == kind]


def _find(node, kind):
    if node.type == kind:
        return node
    for child in node.children:
        found = _find(child, kind)
        if found is not None:
            return found
    return None


_SINGLE = re.compile(r"^'((?:[^']|'')*)'$", re.S)
_DOUBLE = re.compile(r'^"([^"`$]*)"$', re.S)


def literal(text):
    """The value of a constant expression in a default or an attribute argument."""
    text = text.strip()
    low = text.lower()
    if low in ('$true', '$false'):
        return low == '$true'
    if low == '$null':
        return None
    match = _SINGLE.match(text)
    if match:
        return match.group(1).replace("''", "'")
    match = _DOUBLE.match(text)
    if match:
        return match.group(1)
    if re.match(r'^-?\d+$', text):
        return int(text)
    match = re.match(r'^@\((.*)\)$', text, re.S) or re.match(r'^\((.*)\)$', text, re.S)
    if match:
        inner = match.group(1).strip()
        if not inner:
            return []
        return [literal(part) for part in _split_commas(inner)]
    if ',' in text:
        return [literal(part) for part in _split_commas(text)]
    raise NotImplementedError('the emulated binder cannot evaluate the expression %r; extend '
                              'tests/support/windows/powershell.literal() for it' % text)


def _split_commas(text):
    parts, depth, quote, current = [], 0, None, ''
    for ch in text:
        if quote:
            current += ch
            if ch == quote:
                quote = None
            continue
        if ch in '\'"':
            quote = ch
        elif ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        elif ch == ',' and depth == 0:
            parts.append(current)
            current = ''
            continue
        current += ch
    parts.append(current)
    return [p for p in (p.strip() for p in parts) if p]


def _attribute(node):
    """(name, [(argument name or None, value text or None)]) of an [Attr(...)] node; type literals give None."""
    if _children(node, 'type_literal'):
        return None
    name = _text(_children(node, 'attribute_name')[0]).split('.')[-1].lower()
    arguments = []
    for args in _children(node, 'attribute_arguments'):
        for arg in _children(args, 'attribute_argument'):
            names = _children(arg, 'simple_name')
            values = [c for c in arg.children if c.type not in ('simple_name', '=')]
            arguments.append((_text(names[0]).lower() if names else None, _text(values[0]) if values else None))
    return name, arguments


def _type_of(node):
    spec = _find(node, 'type_spec')
    raw = _text(spec).replace(' ', '')
    is_array = raw.endswith('[]')
    base = raw[:-2] if is_array else raw
    kind = _TYPES.get(base.lower())
    if kind is None:
        raise NotImplementedError('the emulated binder does not know the type [%s]; extend '
                                  'tests/support/windows/powershell._TYPES for it' % raw)
    return kind, is_array


def parse_script(script):
    tree = _PARSER.parse(script.encode('utf-8'))
    root = tree.root_node
    block = _children(root, 'param_block')
    parameters, cmdlet_binding, should_process, any_parameter_attr = [], False, False, False
    if block:
        block = block[0]
        for attr_list in _children(block, 'attribute_list'):
            for attr in _children(attr_list, 'attribute'):
                parsed = _attribute(attr)
                if parsed and parsed[0] == 'cmdletbinding':
                    cmdlet_binding = True
                    # win_powershell.ps1 lines 544-557: SupportsShouldProcess named with no value
                    # (ExpressionOmitted) or = $true.
                    should_process = any(n == 'supportsshouldprocess' and (v is None or v.lower() == '$true')
                                         for n, v in parsed[1])
        for plist in _children(block, 'parameter_list'):
            for node in _children(plist, 'script_parameter'):
                param, has_parameter_attr = _parameter(node)
                parameters.append(param)
                any_parameter_attr = any_parameter_attr or has_parameter_attr
    statements = _children(root, 'statement_list')
    top_level = [_text(c) for c in statements[0].children] if statements else []
    return Script(parameters, cmdlet_binding, cmdlet_binding or any_parameter_attr, should_process, top_level)


def _parameter(node):
    """One script_parameter node: (Parameter, whether it carries [Parameter()] - which makes the
    script use cmdlet binding, like [CmdletBinding()] does)."""
    name = _text(_children(node, 'variable')[0])[1:]
    type_name, is_array, mandatory, validate_set, allow, has_parameter_attr = 'object', False, False, None, set(), False
    for attr_list in _children(node, 'attribute_list'):
        for attr in _children(attr_list, 'attribute'):
            parsed = _attribute(attr)
            if parsed is None:
                type_name, is_array = _type_of(attr)
                continue
            attr_name, arguments = parsed
            if attr_name == 'parameter':
                has_parameter_attr = True
                for arg_name, value in arguments:
                    if arg_name == 'mandatory':
                        mandatory = value is None or bool(literal(value))
            elif attr_name == 'validateset':
                validate_set = [literal(v) for _n, v in arguments]
            elif attr_name in ('allownull', 'allowemptystring', 'allowemptycollection'):
                allow.add({'allownull': 'null', 'allowemptystring': 'empty_string',
                           'allowemptycollection': 'empty_collection'}[attr_name])
            else:
                raise NotImplementedError('the emulated binder does not know [%s()] on $%s' % (attr_name, name))
    default_nodes = _children(node, 'script_parameter_default')
    has_default = bool(default_nodes)
    default = literal(_text(default_nodes[0])[1:]) if has_default else None
    return Parameter(name, type_name, is_array, mandatory, default, has_default, validate_set, allow), has_parameter_attr


# -- conversion (LanguagePrimitives.ConvertTo as the binder uses it) ----------------------------

def _type_name(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'System.Boolean'
    if isinstance(value, int):
        return 'System.Int32'
    if isinstance(value, float):
        return 'System.Double'
    if isinstance(value, str):
        return 'System.String'
    if isinstance(value, (list, tuple)):
        return 'System.Object[]'
    if isinstance(value, dict):
        return 'System.Collections.Hashtable'
    return str(value)


def _cannot_convert(value, target):
    shown = '' if value is None else _display(value)
    return 'Cannot convert the "%s" value of type "%s" to type "%s".' % (shown, _type_name(value), target)


def _display(value):
    if isinstance(value, bool):
        return 'True' if value else 'False'
    if isinstance(value, (list, tuple)):
        return 'System.Object[]'
    return str(value)


def to_string(value):
    """``[string]$value`` (LanguagePrimitives.ConvertTo(value, string), invariant culture)."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'True' if value else 'False'
    if isinstance(value, float):
        return repr(value).rstrip('0').rstrip('.') if value != int(value) else str(int(value))
    if isinstance(value, (list, tuple)):
        # $OFS (a space) joins the elements when an array becomes a string.
        return ' '.join(to_string(v) for v in value)
    if isinstance(value, dict):
        return 'System.Collections.Hashtable'
    return str(value)


def _to_integer(value, kind):
    target = _NET_NAMES[kind]
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(round(value))  # .NET rounds to even, as Python's round() does
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        try:
            number = int(text, 16) if text.lower().startswith('0x') else int(text)
        except ValueError:
            try:
                as_float = float(text)
            except ValueError:
                raise ValueError('Cannot convert value "%s" to type "%s". Error: "Input string was not in a correct '
                                 'format."' % (value, target))
            if math.isinf(as_float) or math.isnan(as_float):
                raise ValueError('Cannot convert value "%s" to type "%s".' % (value, target))
            number = int(round(as_float))
    else:
        raise ValueError(_cannot_convert(value, target))
    low, high = _RANGES[kind]
    if not low <= number <= high:
        raise ValueError('Cannot convert value "%s" to type "%s". Error: "Value was either too large or too small '
                         'for an %s."' % (value, target, target.split('.')[-1]))
    return number


def _check_bool(value, kind):
    # ArgumentTypeConverterAttribute.CheckBoolValue: only booleans and numbers; $null only for [switch].
    if value is None:
        if kind == 'bool':
            raise ValueError('Cannot convert value "" to type "System.Boolean". Boolean parameters accept only '
                             'Boolean values and numbers, such as $True, $False, 1 or 0.')
        return
    if not isinstance(value, (bool, int, float)):
        raise ValueError('Cannot convert value "%s" to type "%s". Boolean parameters accept only Boolean values and '
                         'numbers, such as $True, $False, 1 or 0.' % (_type_name(value), _NET_NAMES[kind]))


def convert(value, kind, binding=False, cmdlet_binding=True, parameter=None):
    """``LanguagePrimitives.ConvertTo(value, kind)``; with ``binding``, the binder's stricter rules too."""
    if kind == 'string':
        if binding and cmdlet_binding and isinstance(value, (list, tuple)):
            # Transform(): "Don't allow conversion from array to string in script w/ cmdlet binding."
            raise ValueError('Cannot convert value to type System.String.')
        return to_string(value)
    if kind in ('int', 'long'):
        if isinstance(value, (SecureString, PSCredential, dict, list, tuple)):
            raise ValueError(_cannot_convert(value, _NET_NAMES[kind]))
        return _to_integer(value, kind)
    if kind in ('bool', 'switch'):
        if binding:
            _check_bool(value, kind)
            if value is None:          # HandleNullParameterForSpecialTypes: a null switch is present
                return True
            return bool(value)
        if isinstance(value, str):
            return value != ''
        if isinstance(value, (list, tuple)):
            return bool(value)
        return bool(value)
    if kind == 'securestring':
        if value is None or isinstance(value, SecureString):
            return value
        raise ValueError(_cannot_convert(value, 'System.Security.SecureString'))
    if kind == 'pscredential':
        if value is None or isinstance(value, PSCredential):
            return value
        # A string would need the CredentialAttribute prompt, which win_powershell's host refuses
        # (win_powershell.ps1 lines 166-175: PromptForCredential throws in NonInteractive mode).
        raise ValueError(_cannot_convert(value, 'System.Management.Automation.PSCredential'))
    if kind == 'hashtable':
        if value is None:
            return None
        if isinstance(value, dict):
            return Hashtable(value)
        raise ValueError(_cannot_convert(value, 'System.Collections.Hashtable'))
    return value  # [object] and untyped: as is


def convert_parameter(param, value, cmdlet_binding):
    """The argument transformation of one parameter; raises ValueError with PowerShell's inner message."""
    if param.is_array:
        if value is None:
            return None
        items = list(value) if isinstance(value, (list, tuple)) else [value]
        return [convert(v, param.type) for v in items]
    return convert(value, param.type, binding=True, cmdlet_binding=cmdlet_binding)


def default_value(param):
    """The value an unbound parameter has inside the script."""
    if param.has_default:
        value = param.default
        if param.is_array:
            if value is None:
                return None
            return [convert(v, param.type) for v in (value if isinstance(value, list) else [value])]
        return convert(value, param.type)
    if param.is_array:
        return None
    return {'string': '', 'int': 0, 'long': 0, 'bool': False, 'switch': False}.get(param.type)


# -- binding ----------------------------------------------------------------------------------

class BoundParameters(dict):
    """The variables the script's parameters hold when its first line runs.

    Keys are the declared names (as the script spells them); every declared parameter is present,
    bound or not, with the value the script would see. ``bound`` is ``$PSBoundParameters`` (common
    parameters such as WhatIf included); ``args`` is ``$args`` (unbound named arguments of a script
    without cmdlet binding).
    """

    def __init__(self, values, bound, args):
        super().__init__(values)
        self.bound = bound
        self.args = args

    @property
    def whatif(self):
        """``-WhatIf`` as bound: every ShouldProcess cmdlet in the script then does nothing."""
        return bool(self.bound.get('WhatIf'))


def _resolve(name, candidates):
    """PowerShell's named-parameter lookup: case-insensitive, an unambiguous prefix is enough."""
    exact = [c for c in candidates if c.lower() == name.lower()]
    if exact:
        return exact[0]
    prefixed = [c for c in candidates if c.lower().startswith(name.lower())]
    if len(prefixed) > 1:
        raise BindingError("Parameter cannot be processed because the parameter name '%s' is ambiguous. Possible "
                           "matches include: %s." % (name, ' '.join('-' + c for c in prefixed)), 'AmbiguousParameter')
    return prefixed[0] if prefixed else None


def _check_mandatory_value(param, value):
    # ParameterBinderBase.ValidateNullOrEmptyArgument, for mandatory parameters only.
    if value is None and 'null' not in param.allow:
        raise BindingError("Cannot bind argument to parameter '%s' because it is null." % param.name,
                           'ParameterArgumentValidationErrorNullNotAllowed',
                           'System.Management.Automation.ParameterBindingValidationException', 'InvalidData')
    if param.type == 'string' and not param.is_array and value == '' and 'empty_string' not in param.allow:
        raise BindingError("Cannot bind argument to parameter '%s' because it is an empty string." % param.name,
                           'ParameterArgumentValidationErrorEmptyStringNotAllowed',
                           'System.Management.Automation.ParameterBindingValidationException', 'InvalidData')
    if param.is_array and value == [] and 'empty_collection' not in param.allow:
        raise BindingError("Cannot bind argument to parameter '%s' because it is an empty array." % param.name,
                           'ParameterArgumentValidationErrorEmptyArrayNotAllowed',
                           'System.Management.Automation.ParameterBindingValidationException', 'InvalidData')


def _validate_set(param, value):
    allowed = [str(v).lower() for v in param.validate_set]
    for item in (value if isinstance(value, list) else [value]):
        if to_string(item).lower() not in allowed:
            raise BindingError(
                "Cannot validate argument on parameter '%s'. The argument \"%s\" does not belong to the set \"%s\" "
                "specified by the ValidateSet attribute. Supply an argument that is in the set and then try the "
                "command again." % (param.name, to_string(item), ','.join(str(v) for v in param.validate_set)),
                'ParameterArgumentValidationError',
                'System.Management.Automation.ParameterBindingValidationException', 'InvalidData')


def bind(script, arguments):
    """Bind ``arguments`` (name -> value, as AddParameters passes them) to ``script``'s param() block."""
    declared = {p.name: p for p in script.parameters}
    candidates = list(declared)
    if script.uses_cmdlet_binding:
        candidates += list(COMMON) + (list(SHOULD_PROCESS) if script.supports_should_process else [])
    values, bound, extra = {}, {}, []
    for name, value in arguments.items():
        target = _resolve(name, candidates)
        if target is None:
            if script.uses_cmdlet_binding:
                raise BindingError("A parameter cannot be found that matches parameter name '%s'." % name,
                                   'NamedParameterNotFound')
            extra.extend(['-%s:' % name, value])  # a simple script collects it in $args
            continue
        if target in bound:
            raise BindingError("Cannot bind parameter because parameter '%s' is specified more than once." % target,
                               'ParameterAlreadyBound')
        param = declared.get(target)
        if param is None:  # a common parameter
            bound[target] = convert(value, 'switch', binding=True) if target in ('WhatIf', 'Confirm', 'Verbose',
                                                                                 'Debug') else value
            continue
        try:
            converted = convert_parameter(param, value, script.uses_cmdlet_binding)
        except ValueError as e:
            raise BindingError("Cannot process argument transformation on parameter '%s'. %s" % (param.name, e),
                               'ParameterArgumentTransformationError',
                               'System.Management.Automation.ParameterBindingArgumentTransformationException',
                               'InvalidData')
        if param.validate_set is not None and converted is not None:
            _validate_set(param, converted)
        if param.mandatory:
            _check_mandatory_value(param, converted)
        values[param.name] = converted
        bound[param.name] = converted
    missing = [p.name for p in script.parameters if p.mandatory and p.name not in bound]
    if missing:
        # The binder would prompt for them; win_powershell's host refuses every prompt
        # (win_powershell.ps1 lines 156-159), so the script never starts.
        raise BindingError('Cannot process command because of one or more missing mandatory parameters: %s.'
                           % ' '.join(missing), 'MissingMandatoryParameter')
    for param in script.parameters:
        if param.name not in values:
            values[param.name] = default_value(param)
    return BoundParameters(values, bound, extra)


# -- ConvertTo-Json as Windows PowerShell 5.1 writes it ---------------------------------------
# Read from PowerShell's JsonObject.ConvertToJson / ProcessValue / AddPsProperties (the 5.1 logic;
# Microsoft.PowerShell.Commands.Utility, JsonObject.cs): the root is at depth 0, a dictionary's
# values, an array's items and an object's extended properties are one level deeper; a container
# deeper than -Depth (2 when not given) is written as LanguagePrimitives.ConvertTo<string>() of it -
# "System.Collections.Hashtable" for a hashtable, the items joined by $OFS (a space) for an array -
# with only a warning. A string that carries NoteProperties (Get-Content adds PSPath, PSParentPath,
# PSChildName, PSDrive, PSProvider and ReadCount: PowerShell issue #6458) is written as an object
# {"value": <the text>, <each note property>}; PowerShell 7 changed that, Windows PowerShell 5.1 did not.

class NotedString(str):
    """A System.String wrapped in a PSObject that carries NoteProperties (``notes``, in order)."""

    def __new__(cls, text, notes):
        obj = super().__new__(cls, text)
        obj.notes = dict(notes)
        return obj


def get_content_string(text, path):
    """What ``Get-Content -LiteralPath PATH -Raw`` hands back on a FileSystem path: the text with the
    provider's NoteProperties (GetContentCommand / CoreCommandBase.WriteContentObject)."""
    parent, _sep, child = path.rpartition('\\')
    provider = {'ImplementingType': 'Microsoft.PowerShell.Commands.FileSystemProvider', 'HelpFile':
                'System.Management.Automation.dll-Help.xml', 'Name': 'FileSystem', 'PSSnapIn': 'Microsoft.PowerShell.Core',
                'ModuleName': 'Microsoft.PowerShell.Core', 'Module': None, 'Description': '',
                'Capabilities': 52, 'Home': 'C:\\Users\\Administrator', 'Drives': ['C']}
    drive = {'CurrentLocation': '', 'Name': path[:1], 'Provider': provider, 'Root': path[:3],
             'Description': '', 'MaximumSize': None, 'Credential': {'UserName': None, 'Password': None},
             'DisplayRoot': None}
    prefix = 'Microsoft.PowerShell.Core\\FileSystem::'
    return NotedString(text, (('PSPath', prefix + path), ('PSParentPath', prefix + parent), ('PSChildName', child),
                              ('PSDrive', drive), ('PSProvider', provider), ('ReadCount', 1)))


def remote_string(text, computer_name, runspace_id='6a1f0b9e-6f0e-4b6f-9a3e-0c5c7f2d1e11'):
    """A string a remote command returned (implicit remoting included): deserialized, then given the
    NoteProperties PowerShell remoting adds to every output object - PSComputerName, RunspaceId,
    PSShowComputerName (RemotingEncoder / ObjectRecordHelper in System.Management.Automation)."""
    return NotedString(text, (('PSComputerName', computer_name), ('RunspaceId', runspace_id),
                              ('PSShowComputerName', False)))


def _json_value(value, depth, max_depth):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        notes = getattr(value, 'notes', None)
        if not notes:
            return str(value)
        # AddPsProperties: the base value becomes "value", then every extended property, one level down.
        wrapped = {'value': str(value)}
        for key, item in notes.items():
            wrapped[key] = _json_value(item, depth + 1, max_depth)
        return wrapped
    if depth > max_depth:
        return to_string(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v, depth + 1, max_depth) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v, depth + 1, max_depth) for v in value]
    return str(value)


def convert_to_json(value, depth=2):
    """``ConvertTo-Json -Compress -Depth depth -InputObject value`` in Windows PowerShell 5.1."""
    return json.dumps(_json_value(value, 0, depth), separators=(',', ':'))
