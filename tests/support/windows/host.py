# -*- coding: utf-8 -*-
"""A fake Windows host at the ``ansible.windows.win_powershell`` boundary.

It holds the state a real host would (certificate stores with their DER bytes, CRLs, pending
requests, IIS sites, ...) and answers each payload's JSON contract from that state. Payloads
are identified by their first line (``# hkpost.ecert payload: NAME``); each area registers its
contract handlers with ``@handles('NAME')`` in its own ``fake_*.py`` module.

Before answering, the fake checks what a real host would reject: every payload parameter must
be a name in the script's ``param()`` block, so a drift between the Python caller and the .ps1
file fails the test instead of failing on a customer's server.
"""

from __future__ import annotations

import copy
import json
import re

WIN_POWERSHELL = 'ansible.windows.win_powershell'
_HANDLERS = {}
_HEADER = re.compile(r'^# hkpost\.ecert payload: (\w+)', re.M)


class HostFailure(Exception):
    """Raise from a handler to make win_powershell report a failed script (a terminating error)."""

    def __init__(self, message, output=None):
        super().__init__(message)
        self.output = output


def handles(name):
    def register(func):
        _HANDLERS[name] = func
        return func
    return register


def declared_parameters(script):
    match = re.search(r'\bparam\s*\(', script, re.I)
    if not match:
        return set()
    depth, i = 1, match.end()
    while depth and i < len(script):
        depth += {'(': 1, ')': -1}.get(script[i], 0)
        i += 1
    block = script[match.end():i - 1]
    # Parameter names are the $Names that start a declaration, after their [attributes]/[types].
    return {m.group(1) for m in re.finditer(r'(?:^|[\s,\]])\$(\w+)\s*(?:=|,|$)', block, re.M)}


class FakeWindowsHost:
    # Store entries are dicts: 'der' (base64 DER, as the payloads send it), 'has_private_key',
    # 'friendly_name', and 'key' (the private key object) where the host holds one.
    def __init__(self, os_build=20348):
        self.os_build = os_build
        self.stores = {name: [] for name in ('CA', 'Root', 'Disallowed', 'My', 'WebHosting', 'REQUEST')}
        self.crls = {'CA': []}
        self.calls = []          # (payload name, parameters) in the order they arrived
        self.fail_on = {}        # payload name -> message, to simulate a host-side failure
        self.state = {}          # free-form state for other areas (IIS sites, DNS zones, ...)
        self.script = ''         # the text of the payload being run
        self.whatif = False      # whether it runs under -WhatIf (check mode)

    # -- the boundary -------------------------------------------------------------------------
    def execute_module(self, module_name=None, module_args=None, task_vars=None, **_kwargs):
        assert module_name == WIN_POWERSHELL, 'only win_powershell is ever sent to a Windows host, got %s' % module_name
        script = module_args['script']
        header = _HEADER.search(script)
        assert header, 'payload without its "# hkpost.ecert payload: NAME" header'
        name = header.group(1)
        # The script text, for handlers whose answer depends on how the payload calls a cmdlet
        # (tests/support/windows/script_facts.py).
        self.script = script
        # win_powershell binds -WhatIf:$true in check mode to a script that declares
        # SupportsShouldProcess (win_powershell.ps1: `if ($supportsShouldProcess) { ... WhatIf = $module.CheckMode }`);
        # a script without it is not run in check mode at all.
        self.whatif = bool(module_args.get('_ansible_check_mode')) and 'SupportsShouldProcess' in script
        params = dict(module_args.get('parameters') or {})
        for item in module_args.get('sensitive_parameters') or []:
            params[item['name']] = item['value']
        unknown = set(params) - declared_parameters(script)
        assert not unknown, 'payload %s called with parameters its param() block does not declare: %s' % (name, unknown)
        # What crosses the wire is JSON: make sure the caller sent JSON-able data only.
        params = json.loads(json.dumps(params))
        self.calls.append((name, copy.deepcopy(params)))
        if name in self.fail_on:
            return {'failed': True, 'msg': self.fail_on[name], 'output': [], 'error': []}
        try:
            answer = _HANDLERS[name](self, params)
        except HostFailure as e:
            return {'failed': True, 'msg': str(e), 'output': [e.output] if e.output else [], 'error': []}
        return {'changed': True, 'output': [json.dumps(answer)], 'error': [], 'host_out': '', 'host_err': ''}

    def call_names(self):
        return [name for name, _params in self.calls]
