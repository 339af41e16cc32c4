# -*- coding: utf-8 -*-
"""The emulated win_powershell boundary (tests/support/windows/boundary.py, powershell.py) keeps the
rules of the real module and of PowerShell's binder, so a payload that would break on a host breaks here."""

from __future__ import annotations

import json

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import load_payload, payload_names
from tests.support.windows import boundary
from tests.support.windows.powershell import (Hashtable, PSCredential, SecureString, convert_to_json,
                                              get_content_string, parse_script, remote_string)

PAYLOADS = payload_names()   # as the host receives them: preludes composed in

ADVANCED = """[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$Name,
    [string]$Token,
    [SecureString]$Secret,
    [PSCredential]$Credential,
    [int]$Count = 3,
    [bool]$Flag = $true,
    [switch]$Force,
    [string[]]$Names,
    [hashtable]$Options,
    [ValidateSet('present', 'absent')][string]$State = 'present',
    [object]$Anything,
    [string]$Empty
)
"""


def call(script, parameters=None, sensitive=None, check_mode=False, error_action='stop', handler=None):
    seen = {}

    def script_handler(params, session):
        seen['params'], seen['session'] = params, session
        return handler(params, session) if handler else {'ok': True}
    args = {'script': script, 'parameters': parameters or {}, 'error_action': error_action,
            '_ansible_check_mode': check_mode, '_ansible_module_name': boundary.WIN_POWERSHELL}
    if sensitive:
        args['sensitive_parameters'] = sensitive
    return boundary.run(json.loads(json.dumps(args)), script_handler), seen.get('params'), seen.get('session')


def fqids(result):
    return [e['fully_qualified_error_id'] for e in result['error']]


def test_an_undeclared_parameter_is_refused_before_the_script_runs():
    result, params, _s = call(ADVANCED, {'Name': 'a', 'Thumbprint': 'x'})
    assert result['failed'] is True and params is None
    assert fqids(result) == ['NamedParameterNotFound']
    assert "matches parameter name 'Thumbprint'" in result['error'][0]['exception']['message']
    assert result['output'] == []


def test_a_script_without_cmdlet_binding_collects_unknown_names_in_args():
    result, params, _s = call('param([string]$Name)\n', {'Name': 'a', 'Other': 1})
    assert result['failed'] is False and params['Name'] == 'a' and params.args == ['-Other:', 1]


def test_a_missing_mandatory_parameter_is_refused():
    result, params, _s = call(ADVANCED, {'Count': 1})
    assert result['failed'] is True and params is None
    assert fqids(result) == ['MissingMandatoryParameter']
    assert 'missing mandatory parameters: Name' in result['error'][0]['exception']['message']
    result, params, _s = call(ADVANCED, {'Name': ''})
    assert result['failed'] and fqids(result) == ['ParameterArgumentValidationErrorEmptyStringNotAllowed']


def test_a_string_parameter_given_a_sensitive_value_receives_the_type_name():
    result, params, _s = call(ADVANCED, {'Name': 'a'}, sensitive=[
        {'name': 'Token', 'value': 'hunter2'}, {'name': 'Secret', 'value': 'hunter3'},
        {'name': 'Credential', 'username': 'EX\\svc', 'password': 'hunter4'}])
    assert result['failed'] is False
    assert params['Token'] == 'System.Security.SecureString'
    assert isinstance(params['Secret'], SecureString) and params['Secret'].reveal() == 'hunter3'
    assert isinstance(params['Credential'], PSCredential)
    assert params['Credential'].username == 'EX\\svc' and params['Credential'].network_password() == 'hunter4'
    # win_powershell's invocation (Ansible.Basic) masks every no_log value.
    assert not {'hunter2', 'hunter3', 'hunter4'} & set(json.dumps(result).split('"'))
    assert 'hunter' not in json.dumps(result)


def test_a_secure_string_parameter_cannot_be_fed_from_plain_parameters():
    result, params, _s = call(ADVANCED, {'Name': 'a', 'Secret': 'plain'})
    assert result['failed'] and params is None
    assert fqids(result) == ['ParameterArgumentTransformationError']
    result, params, _s = call(ADVANCED, {'Name': 'a', 'Credential': 'EX\\svc'})
    assert result['failed'] and fqids(result) == ['ParameterArgumentTransformationError']


def test_conversions_follow_the_powershell_binder():
    result, params, _s = call(ADVANCED, {'Name': 5, 'Count': '7', 'Flag': 0, 'Force': True, 'Names': 'one',
                                         'Options': {'a': {'b': [1, 2]}}, 'State': 'ABSENT', 'Anything': [1, 'x']})
    assert result['failed'] is False
    assert params['Name'] == '5' and params['Count'] == 7 and params['Flag'] is False and params['Force'] is True
    assert params['Names'] == ['one'] and params['State'] == 'ABSENT' and params['Anything'] == [1, 'x']
    assert isinstance(params['Options'], Hashtable) and params['Options']['a'] == {'b': [1, 2]}
    # Unbound: the script's default, else PowerShell's ('' for [string], $null for a class type).
    defaults, _p, _s = call(ADVANCED, {'Name': 'a'})
    assert _p['Count'] == 3 and _p['Flag'] is True and _p['Force'] is False and _p['Empty'] == ''
    assert _p['Names'] is None and _p['Secret'] is None and _p['State'] == 'present'
    assert set(_p.bound) == {'Name'}


@pytest.mark.parametrize('parameters,fqid', [
    ({'Flag': 'true'}, 'ParameterArgumentTransformationError'),   # [bool] takes booleans and numbers only
    ({'Flag': None}, 'ParameterArgumentTransformationError'),
    ({'Count': 'many'}, 'ParameterArgumentTransformationError'),
    ({'Name': ['a', 'b']}, 'ParameterArgumentTransformationError'),  # no array to [string] with cmdlet binding
    ({'Options': 'a=b'}, 'ParameterArgumentTransformationError'),
    ({'State': 'gone'}, 'ParameterArgumentValidationError'),
    ({'NAME': 'x'}, 'ParameterAlreadyBound'),        # names are case-insensitive
    ({'Na': 'x'}, 'AmbiguousParameter'),             # a prefix must be unambiguous (Name, Names)
])
def test_bad_values_are_binding_errors(parameters, fqid):
    result, params, _s = call(ADVANCED, dict({'Name': 'a'}, **parameters))
    assert result['failed'] is True and params is None and fqids(result) == [fqid]


def test_check_mode_skips_a_script_without_should_process():
    result, params, _s = call(ADVANCED, {'Name': 'a'}, check_mode=True)
    assert params is None
    assert result['changed'] is True and result['msg'] == 'skipped, running in check mode'
    assert result['output'] == [] and 'failed' not in result


def test_check_mode_runs_a_should_process_script_with_whatif():
    script = '[CmdletBinding(SupportsShouldProcess)]\nparam([string]$Name)\n$Ansible.Changed = $false\n'
    result, params, session = call(script, {'Name': 'a'}, check_mode=True)
    assert params.whatif is True and params.bound['Confirm'] is False and session.check_mode is True
    assert result['changed'] is False and json.loads(result['output'][-1]) == {'ok': True}
    _r, params, _s = call(script, {'Name': 'a'})
    assert params.whatif is False and params.bound['WhatIf'] is False
    assert parse_script('[CmdletBinding(SupportsShouldProcess = $false)]\nparam()\n').supports_should_process is False


def test_terminating_and_non_terminating_errors():
    def writes_error(_params, session):
        session.output.append('before')
        session.write_error('not found')
        return {'after': True}
    script = 'param([string]$Name)\n'
    result, _p, _s = call(script, error_action='continue', handler=writes_error)
    assert result['failed'] is False and len(result['error']) == 1 and json.loads(result['output'][-1])['after']
    result, _p, _s = call(script, error_action='silently_continue', handler=writes_error)
    assert result['failed'] is False and result['error'] == []
    result, _p, _s = call(script, error_action='stop', handler=writes_error)
    assert result['failed'] is True and result['output'] == ['before']
    assert result['error'][0]['exception']['type'].endswith('ActionPreferenceStopException')
    # A script's own top-level $ErrorActionPreference wins over the module's error_action.
    result, _p, _s = call("param([string]$Name)\n$ErrorActionPreference = 'Stop'\n", error_action='continue',
                          handler=writes_error)
    assert result['failed'] is True

    def throws(_params, _session):
        raise boundary.HostFailure('boom', output='partial')
    result, _p, _s = call(script, error_action='continue', handler=throws)
    assert result['failed'] is True and result['output'] == ['partial']
    assert result['error'][0]['exception']['message'] == 'boom'
    assert set(result) >= {'changed', 'failed', 'result', 'host_out', 'host_err', 'output', 'error', 'warning',
                           'verbose', 'debug', 'information', 'invocation'}


def test_module_arguments_are_checked_like_ansible_basic():
    result = boundary.run({'script': 'param()', 'bogus': 1}, lambda p, s: None)
    assert result['failed'] and result['msg'].startswith('Unsupported parameters for (undefined win module) module: bogus')
    result = boundary.run({'script': 'param()', 'sensitive_parameters': [
        {'name': 'X', 'value': 'a', 'username': 'u'}]}, lambda p, s: None)
    assert result['failed'] and 'mutually exclusive' in result['msg']
    result = boundary.run({'script': 'param([SecureString]$X)', 'sensitive_parameters': [
        {'name': 'X', 'value': 'a' * 65537}]}, lambda p, s: None)
    assert result['failed'] and '65536' in result['msg']


@pytest.mark.parametrize('name', PAYLOADS)
def test_every_payload_param_block_is_understood_by_the_emulated_binder(name):
    script = parse_script(load_payload(name))
    # [CmdletBinding()] makes the script refuse a parameter it does not declare (an empty param() included).
    assert script.uses_cmdlet_binding, 'payloads refuse unknown parameters'
    for param in script.parameters:
        assert param.type != 'string' or not any(word in param.name.lower() for word in ('password', 'secret')), \
            '%s: a secret must be [SecureString] or [PSCredential], not [string]' % param.name


# -- the answer as Windows PowerShell 5.1's ConvertTo-Json writes it ----------------------------

def test_convert_to_json_truncates_below_its_depth_like_windows_powershell():
    nested = {'a': {'b': {'c': {'d': 1}}, 'list': [[1, 2], [{'x': 1}]]}}
    # Root at depth 0; a container deeper than -Depth becomes its [string] form.
    truncated = {'a': {'b': {'c': 'System.Collections.Hashtable'}, 'list': ['1 2', 'System.Collections.Hashtable']}}
    assert json.loads(convert_to_json(nested)) == truncated
    assert json.loads(convert_to_json(nested, depth=5)) == nested
    assert json.loads(convert_to_json({'s': 'text', 'n': None, 'e': []}, depth=0)) == {'s': 'text', 'n': None, 'e': ''}


def test_a_get_content_string_is_written_as_an_object_by_convert_to_json():
    text = get_content_string('-----BEGIN CERTIFICATE REQUEST-----', 'C:\\Temp\\request.csr')
    answer = json.loads(convert_to_json({'csr': text}, depth=3))
    assert answer['csr']['value'] == text
    assert answer['csr']['PSPath'] == 'Microsoft.PowerShell.Core\\FileSystem::C:\\Temp\\request.csr'
    assert answer['csr']['PSChildName'] == 'request.csr'
    assert json.loads(convert_to_json({'csr': str(text)})) == {'csr': text}


def test_the_answer_is_serialized_at_the_depth_the_script_asks_for():
    deep = {'sites': [{'files': {'web_config': {'exists': True}}}]}
    shallow = "param([string]$A)\n@{ sites = @() } | ConvertTo-Json -Compress -Depth 2\n"
    result, _p, _s = call(shallow, handler=lambda params, session: deep)
    assert json.loads(result['output'][-1]) == {'sites': [{'files': 'System.Collections.Hashtable'}]}
    enough = shallow.replace('-Depth 2', '-Depth 4')
    result, _p, _s = call(enough, handler=lambda params, session: deep)
    assert json.loads(result['output'][-1]) == deep
    default = shallow.replace(' -Depth 2', '')
    assert boundary.output_depth(default) == 2


def test_a_string_from_a_remote_command_is_written_as_an_object_by_convert_to_json():
    text = remote_string('MIIC...', 'EX01')
    answer = json.loads(convert_to_json({'csr': text}, depth=3))
    assert answer['csr'] == {'value': 'MIIC...', 'PSComputerName': 'EX01', 'RunspaceId': text.notes['RunspaceId'],
                             'PSShowComputerName': False}
