# -*- coding: utf-8 -*-
"""Run a decoded module call and print its result the way the exec wrapper does.

Ansible.Basic (ansible/module_utils/csharp/Ansible.Basic.cs) ends every module with
``ExitJson`` -> one JSON document on stdout, exit code 0, or ``FailJson`` -> ``failed: true`` and
``msg`` added, exit code 1. ``GetFormattedResults`` adds ``invocation.module_args`` (the params
with every ``no_log`` value replaced by ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``) when the module
did not set it. ansible's ``ActionBase._parse_returned_data`` then reads that JSON from stdout.
"""

from __future__ import annotations

import copy
import json

WIN_PING = 'ansible.windows.win_ping'
WIN_POWERSHELL = 'ansible.windows.win_powershell'
NO_LOG = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


class UnknownModule(Exception):
    """A module this endpoint does not emulate: fail the run loudly."""


def _public(args):
    # Ansible.Basic consumes the _ansible_* options itself; they are not module params.
    return {k: v for k, v in args.items() if not k.startswith('_ansible_')}


def _invocation(name, args):
    params = copy.deepcopy(_public(args))
    if name == WIN_POWERSHELL:
        # win_powershell.ps1 lines 26-27 (ansible.windows 2.4.0): sensitive_parameters value and password are no_log
        for item in params.get('sensitive_parameters') or []:
            for key in ('value', 'password'):
                if item.get(key) is not None:
                    item[key] = NO_LOG
    return {'module_args': params}


def run(call, host_name, load_and_execute):
    """Return (stdout bytes, stderr bytes, exit code) for ``call`` on ``host_name``.

    ``load_and_execute(host_name, module_name, module_args, pass_vars)`` runs the module on the simulated host.
    """
    if call.name == WIN_PING:
        # ansible.windows win_ping.ps1: data defaults to "pong"; "crash" throws.
        data = call.args.get('data', 'pong')
        if data == 'crash':
            result = {'failed': True, 'msg': 'Unhandled exception while executing module: boom'}
        else:
            result = {'changed': False, 'ping': data, 'invocation': {'module_args': {'data': data}}}
    elif call.name == WIN_POWERSHELL:
        result = load_and_execute(host_name, call.name, call.args, call.pass_vars)
    else:
        raise UnknownModule('the WinRM test endpoint emulates win_ping and win_powershell only; %s was sent to %s'
                            % (call.name, host_name))
    result = dict(result)
    if 'invocation' not in result:
        result['invocation'] = _invocation(call.name, call.args)
    rc = 1 if result.get('failed') else 0
    return (json.dumps(result) + '\r\n').encode('utf-8'), b'', rc
