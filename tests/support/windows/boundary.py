# -*- coding: utf-8 -*-
"""``ansible.windows.win_powershell`` as the fake Windows host runs it: an emulator of its contract.

It models the oldest release this collection accepts, the floor ``galaxy.yml`` declares
(``win_powershell_floor.VERSION``, 2.4.0): every rule below is read from that release's
``plugins/modules/win_powershell.ps1`` ("ps1 line N" below: ``win_powershell_floor.REFERENCE``, the file at
commit ``win_powershell_floor.COMMIT``), and from ansible-core's ``module_utils/csharp/Ansible.Basic.cs``
("Basic"), which parses the module's arguments. Where a newer release differs (the virtualenv carries
3.3.0) the emulator still answers as 2.4.0 does; docs/docsite/rst/windows_internals.rst lists the
differences. Only the script itself is not run: a handler in
``tests/support/windows/<area>.py`` models what the payload does on a host, and receives exactly
what the script would - parameters bound by PowerShell's rules (``powershell.bind``), sensitive
parameters as ``SecureString``/``PSCredential`` objects, ``-WhatIf`` in check mode.
"""

from __future__ import annotations

from tests.support.windows import script_facts
from tests.support.windows.powershell import (BindingError, PSCredential, SecureString, bind, convert_to_json,
                                              parse_script)

WIN_POWERSHELL = 'ansible.windows.win_powershell'

# ps1 lines 11-40: the module's argument spec (type, default, choices). `script` is required (ps1 line 37);
# `path` and `remote_src` came in 3.1.0, so 2.4.0 refuses them as unsupported parameters.
_OPTIONS = {
    'arguments': ('list', None), 'chdir': ('str', None), 'creates': ('str', None), 'depth': ('int', 2),
    'error_action': ('str', 'continue'), 'executable': ('str', None), 'parameters': ('dict', None),
    'sensitive_parameters': ('list', None), 'removes': ('str', None), 'script': ('str', None),
}
_REQUIRED = ('script',)
_ERROR_ACTIONS = {'silently_continue': 'SilentlyContinue', 'continue': 'Continue', 'stop': 'Stop'}  # ps1 lines 639-644
_SENSITIVE_OPTIONS = ('name', 'username', 'password', 'value')
# Basic: passVars, the _ansible_* keys a module accepts; they are removed from Params.
_PASS_VARS = ('check_mode', 'debug', 'diff', 'keep_remote_files', 'ignore_unknown_opts', 'module_name', 'no_log',
              'remote_tmp', 'selinux_special_fs', 'shell_executable', 'socket', 'syslog_facility',
              'target_log_info', 'tracebacks_for', 'tmpdir', 'verbosity', 'version')
NO_LOG_PLACEHOLDER = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
_PREFERENCES = {'stop': 'Stop', 'continue': 'Continue', 'silentlycontinue': 'SilentlyContinue', 'ignore': 'Ignore'}


class HostFailure(Exception):
    """A terminating error inside the script (``throw``, or a cmdlet error under ``-ErrorAction Stop``).

    ``output`` is what the script had written to its output stream before it stopped.
    """

    def __init__(self, message, output=None, exception_type='System.Management.Automation.RuntimeException',
                 category='OperationStopped', fqid=None):
        super().__init__(message)
        self.output = output
        self.exception_type = exception_type
        self.category = category
        self.fqid = fqid or message


class _ModuleFail(Exception):
    pass


def error_record(message, exception_type, category, fqid):
    """One entry of the ``error`` return value, in the shape of ps1 lines 843-869."""
    short = exception_type.rsplit('.', 1)[-1]
    return {
        'output': '%s\r\n    + CategoryInfo          : %s: (:) [], %s\r\n    + FullyQualifiedErrorId : %s\r\n'
                  % (message, category, short, fqid),
        'error_details': None,
        'exception': {'message': message, 'type': exception_type, 'help_link': None, 'source': None,
                      'hresult': -2146233087, 'inner_exception': None},
        'target_object': None,
        'category_info': {'category': category, 'category_id': 0, 'activity': '', 'reason': short,
                          'target_name': '', 'target_type': ''},
        'fully_qualified_error_id': fqid,
        'script_stack_trace': 'at <ScriptBlock>, <No file>',
        'pipeline_iteration_info': [],
    }


class ScriptRun:
    """The runspace a handler runs in: its streams, ``$ErrorActionPreference`` and ``$Ansible``."""

    def __init__(self, error_action, check_mode):
        self.error_action = error_action      # the script's $ErrorActionPreference
        self.check_mode = check_mode          # $Ansible.CheckMode (ps1 line 630)
        self.output = []
        self.errors = []
        self.warnings = []
        self.verbose = []
        self.host_out = ''
        self.changed = None                   # $Ansible.Changed when the handler decides it
        self.failed = False                   # $Ansible.Failed
        self.result = {}                      # $Ansible.Result
        self.whatif = False                   # -WhatIf as bound (ps1 line 760: check mode)

    def should_process(self):
        """``$PSCmdlet.ShouldProcess(...)``, and whether a ShouldProcess cmdlet (Remove-Item,
        Remove-PSSession, ...) called without ``-WhatIf:$false`` acts: never under -WhatIf."""
        return not self.whatif

    def write_error(self, message, error_action=None, category='NotSpecified',
                    exception_type='Microsoft.PowerShell.Commands.WriteErrorException', fqid=None):
        """A non-terminating error: a cmdlet's error record, under ``-ErrorAction`` or the preference."""
        action = error_action or self.error_action
        if action == 'Stop':
            # Under Stop the record becomes an ActionPreferenceStopException, a RuntimeException the
            # module catches (ps1 lines 786-796).
            raise HostFailure(message, exception_type='System.Management.Automation.ActionPreferenceStopException',
                              category=category, fqid=fqid or 'ActionPreferenceStop')
        if action == 'Continue':
            self.errors.append(error_record(message, exception_type, category, fqid or short_fqid(exception_type)))
        # SilentlyContinue and Ignore: nothing reaches the error stream.


def secure_string_to_bstr(value):
    """``[Runtime.InteropServices.Marshal]::PtrToStringBSTR(SecureStringToBSTR($value))`` in a payload."""
    if isinstance(value, SecureString):
        return value.reveal()
    if value is None:
        raise HostFailure('Exception calling "SecureStringToBSTR" with "1" argument(s): "Value cannot be null.\r\n'
                          'Parameter name: s"', exception_type='System.Management.Automation.MethodInvocationException')
    # PowerShell converts a method argument to the parameter type; text does not become a SecureString.
    raise HostFailure('Cannot convert argument "s", with value: "%s", for "SecureStringToBSTR" to type '
                      '"System.Security.SecureString".' % value,
                      exception_type='System.Management.Automation.MethodException')


def secure_string_argument(value, cmdlet, parameter):
    """The SecureString a cmdlet's [SecureString] parameter gets: the cmdlet binder refuses text."""
    if isinstance(value, SecureString):
        return value.reveal()
    raise HostFailure("%s : Cannot bind parameter '%s'. Cannot convert the \"%s\" value of type \"%s\" to type "
                      "\"System.Security.SecureString\"." % (cmdlet, parameter, value, type(value).__name__),
                      exception_type='System.Management.Automation.ParameterBindingException',
                      category='InvalidArgument', fqid='CannotConvertArgumentNoMessage,%s' % cmdlet)


def short_fqid(exception_type):
    return exception_type.rsplit('.', 1)[-1]


def _parse_bool(value):
    # Basic ParseBool: BOOLEANS_TRUE / BOOLEANS_FALSE.
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('y', 'yes', 'on', '1', 'true', 't', '1.0'):
        return True
    if text in ('n', 'no', 'off', '0', 'false', 'f', '0.0'):
        return False
    raise _ModuleFail("The value '%s' is not a valid boolean." % text)


def _validate(module_args, pass_vars=None):
    """Basic's CheckArguments for the win_powershell spec; returns (Params, internal vars, no_log values).

    ``pass_vars`` is the passVars list of the Ansible.Basic.cs the controller shipped (it travels with every
    module; ansible-core 2.16-2.18 also pass ``string_conversion_action``); default: this venv's 2.19+ list.
    """
    params, internal = {}, {}
    legal = set(_OPTIONS) | {'_ansible_' + k for k in (pass_vars or _PASS_VARS)}
    unsupported = [k for k in module_args if k.lower() not in {x.lower() for x in legal}]
    for key, value in module_args.items():
        if key.startswith('_ansible_') and key in legal:
            internal[key[len('_ansible_'):]] = value
        elif key not in unsupported:
            params[key] = value
    name = internal.get('module_name') or 'undefined win module'
    if unsupported:
        raise _ModuleFail('Unsupported parameters for (%s) module: %s. Supported parameters include: %s'
                          % (name, ', '.join(unsupported), ', '.join(sorted(_OPTIONS))))
    # Basic CheckRequiredArguments: a required option is missing when its key is absent (ps1 line 37).
    missing = [k for k in _REQUIRED if k not in params]
    if missing:
        raise _ModuleFail('missing required arguments: %s' % ', '.join(missing))
    for key, (kind, default) in _OPTIONS.items():
        value = params.get(key)
        if value is None:
            params[key] = default
            continue
        if kind == 'int':
            try:
                params[key] = int(value)
            except (TypeError, ValueError):
                raise _ModuleFail('argument for %s is of type %s and we were unable to convert to int' % (key, type(value)))
        elif kind == 'bool':
            params[key] = _parse_bool(value)
        elif kind == 'str':
            params[key] = value if isinstance(value, str) else str(value)
        elif kind == 'dict' and not isinstance(value, dict):
            raise _ModuleFail('argument for %s is of type %s and we were unable to convert to dict' % (key, type(value)))
        elif kind == 'list' and not isinstance(value, list):
            params[key] = [value]
    if params['error_action'] not in _ERROR_ACTIONS:
        raise _ModuleFail('value of error_action must be one of: %s, got: %s'
                          % (', '.join(_ERROR_ACTIONS), params['error_action']))
    no_log = set()
    entries = []
    for entry in params['sensitive_parameters'] or []:                            # ps1 lines 20-35
        if not isinstance(entry, dict):
            raise _ModuleFail('sensitive_parameters: elements must be dictionaries')
        bad = [k for k in entry if k not in _SENSITIVE_OPTIONS]
        if bad:
            raise _ModuleFail('Unsupported parameters for (%s) module: %s found in sensitive_parameters. Supported '
                              'parameters include: %s' % (name, ', '.join(bad), ', '.join(_SENSITIVE_OPTIONS)))
        entry = {k: (None if entry.get(k) is None else str(entry[k])) for k in _SENSITIVE_OPTIONS}
        if entry['name'] is None:
            raise _ModuleFail('missing required arguments: name found in sensitive_parameters')
        for other in ('username', 'password'):
            if entry['value'] is not None and entry[other] is not None:
                raise _ModuleFail('parameters are mutually exclusive: value, %s found in sensitive_parameters' % other)
        if entry['username'] is None and entry['value'] is None:
            raise _ModuleFail('one of the following is required: username, value found in sensitive_parameters')
        if (entry['username'] is None) != (entry['password'] is None):
            raise _ModuleFail('parameters are required together: username, password found in sensitive_parameters')
        # Basic SetNoLogValues: password and value are no_log = $true (ps1 lines 26-27).
        no_log.update(v for v in (entry['password'], entry['value']) if v)
        entries.append(entry)
    if params['sensitive_parameters'] is not None:
        params['sensitive_parameters'] = entries
    return params, internal, no_log


def remove_no_log_values(value, no_log):
    """Basic RemoveNoLogValues: a no_log value is replaced, inside strings too."""
    if isinstance(value, dict):
        return {k: remove_no_log_values(v, no_log) for k, v in value.items()}
    if isinstance(value, list):
        return [remove_no_log_values(v, no_log) for v in value]
    if value is None:
        return None
    text = ('True' if value else 'False') if isinstance(value, bool) else str(value)
    if text in no_log:
        return NO_LOG_PLACEHOLDER
    for secret in no_log:
        if secret in text:
            if isinstance(value, (bool, int, float)):
                return NO_LOG_PLACEHOLDER
            text = text.replace(secret, '********')
            value = text
    return value


def _sensitive_value(entry):
    # ps1 lines 736-756: username -> PSCredential (password, or an empty SecureString);
    # value -> ConvertTo-SecureString -AsPlainText -Force; neither (an empty value) -> empty SecureString.
    if entry['username']:
        return PSCredential(entry['username'], SecureString(entry['password'] or ''))
    return SecureString(entry['value'] or '')


def _statement_literal(script, variable):
    """The value a top-level ``$Variable = <constant>`` statement of the script sets, if any."""
    found = None
    for statement in script.top_level:
        head, sep, tail = statement.partition('=')
        if sep and head.strip().lower() == variable.lower():
            found = tail.strip().strip("'\"").lower()
    return found


def output_depth(script):
    """The ``-Depth`` of the script's final ``ConvertTo-Json`` (its answer), 2 when not given."""
    found = script_facts.calls(script, 'ConvertTo-Json')
    value = found[-1].value('Depth') if found else None
    return int(value) if isinstance(value, str) and value.isdigit() else 2


def run(module_args, handler, pass_vars=None):
    """Run a win_powershell task; ``handler(params, run)`` models the script and returns its answer.

    ``pass_vars``: see ``_validate`` (the WinRM test endpoint reads them from the shipped Ansible.Basic.cs).
    """
    try:
        params, internal, no_log = _validate(module_args, pass_vars)
    except _ModuleFail as e:
        return {'failed': True, 'msg': str(e)}
    check_mode = _parse_bool(internal.get('check_mode', False))
    # Basic line 279-281: invocation is Params with no_log values removed (the _ansible_ keys are gone).
    invocation = {'module_args': remove_no_log_values(params, no_log)}
    result = {'changed': False, 'invocation': invocation, 'result': {}, 'host_out': '', 'host_err': '',
              'output': [], 'error': [], 'warning': [], 'verbose': [], 'debug': [], 'information': []}  # ps1 lines 43-51
    if params['script'] is None:
        # `script: null` passes the required check (the key is there) and reaches [ScriptBlock]::Create
        # (ps1 lines 534-542); what 5.1 does with it is not modelled, and no payload sends it.
        raise NotImplementedError('win_powershell with script: null is not emulated')
    # ps1 lines 534-542 parse the script with [ScriptBlock]::Create (a ParseException leaves no AST and
    # the SupportsShouldProcess regex decides, ps1 lines 544-557); parse_script reads the same attribute.
    script = parse_script(params['script'])
    if check_mode and not script.supports_should_process:
        # ps1 lines 559-563: the script is not run at all.
        return dict(result, changed=True, msg='skipped, running in check mode')

    # ps1 lines 730-761: parameters, then sensitive_parameters, then Confirm/WhatIf last.
    arguments = dict(params['parameters'] or {})
    try:
        for entry in params['sensitive_parameters'] or []:
            arguments[entry['name']] = _sensitive_value(entry)
    except ValueError as e:
        # ConvertTo-SecureString runs in the module itself: a value over SecureString's capacity
        # fails the module before any script starts.
        return {'failed': True, 'msg': 'Unhandled exception while executing module: %s' % e,
                'invocation': invocation}
    if script.supports_should_process:
        arguments['Confirm'] = False
        arguments['WhatIf'] = check_mode

    # ps1 lines 639-644, then the script's own top-level `$ErrorActionPreference = '...'` statement.
    error_action = _PREFERENCES.get(_statement_literal(script, '$ErrorActionPreference'),
                                    _ERROR_ACTIONS[params['error_action']])
    session = ScriptRun(error_action, check_mode)
    failed = False
    try:
        bound = bind(script, arguments)
        session.whatif = bound.whatif
        answer = handler(bound, session)
        if answer is not None:
            # The payload's last statement: ConvertTo-Json -Compress, one string on the output stream,
            # written as Windows PowerShell 5.1 writes it: containers deeper than the payload's -Depth
            # (2 when it gives none) become text, strings with NoteProperties become objects.
            session.output.append(convert_to_json(answer, output_depth(params['script'])))
    except BindingError as e:
        # A ParameterBindingException is a RuntimeException: caught, failed (ps1 lines 786-796).
        failed = True
        session.errors.append(error_record(str(e), e.exception_type, e.category, e.fqid))
    except HostFailure as e:
        failed = True
        if e.output is not None:
            session.output.append(e.output)
        session.errors.append(error_record(str(e), e.exception_type, e.category, e.fqid))
    changed = session.changed
    if changed is None:
        # $Ansible.Changed starts $true (ps1 line 634); a top-level `$Ansible.Changed = $false` in the
        # script sets it. A computed value is the handler's to set (session.changed).
        changed = {'$true': True, '$false': False}.get(_statement_literal(script, '$Ansible.Changed'))
    # ps1 lines 825-829, 841, 843-869 and 871-886 (the script ran in process: $Ansible read
    # with GetVariable, ps1 line 799).
    result.update(changed=True if changed is None else bool(changed), failed=failed or session.failed,
                  result=session.result, host_out=session.host_out, output=list(session.output),
                  error=list(session.errors), warning=list(session.warnings), verbose=list(session.verbose))
    return result
