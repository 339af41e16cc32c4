# -*- coding: utf-8 -*-
"""A fake Windows host at the ``ansible.windows.win_powershell`` boundary.

It holds the state a real host would (certificate stores with their DER bytes, CRLs, pending
requests, IIS sites, ...). Each win_powershell task is run by ``boundary.run``, the emulator of
win_powershell's contract (argument checks, check mode, SecureString/PSCredential for sensitive
parameters, PowerShell parameter binding, error records); the payload itself, identified by its
first line (``# hkpost.ecert payload: NAME``), is modelled by the handler each area registers with
``@handles('NAME')``. A handler receives ``(host, params)``: ``params`` holds the script's
parameters as the script would see them (``params.whatif``, ``params.bound``, and
``params.session`` for its streams, ``$ErrorActionPreference`` and ``$Ansible``).
"""

from __future__ import annotations

import copy
import json
import re

from tests.support.windows import boundary, script_facts
from tests.support.windows.boundary import HostFailure, WIN_POWERSHELL  # noqa: F401  (handlers import them here)

_HANDLERS = {}
_HEADER = re.compile(r'^# hkpost\.ecert payload: (\w+)', re.M)


def require_functions(host, *names):
    """Windows' answer to a script that calls a function it does not define: CommandNotFoundException.

    A payload's functions come from its preludes (plugins/payloads/_preludes/), which _win_payload.load_payload
    composes into the script; a script sent without them stops at the first call.
    """
    defined = script_facts.defined_functions(host.script)
    called = {c.name.lower() for c in script_facts.calls(host.script)}
    for name in names:
        if name.lower() in called and name.lower() not in defined:
            raise HostFailure("The term '%s' is not recognized as the name of a cmdlet, function, script file, or "
                              "operable program. Check the spelling of the name, or if a path was included, verify "
                              "that the path is correct and try again." % name,
                              exception_type='System.Management.Automation.CommandNotFoundException',
                              category='ObjectNotFound', fqid='CommandNotFoundException')


class UnknownPayload(AssertionError):
    """A script the fake host has no model of: refused before anything runs, naming what came."""


def payload_name(script):
    """The payload ``script`` is (its ``# hkpost.ecert payload: NAME`` header), if a handler models it."""
    header = _HEADER.search(script or '')
    if not header:
        text = ' '.join((script or '').split())
        raise UnknownPayload('win_powershell script without the "# hkpost.ecert payload: NAME" header, which this '
                             'fake host needs to know what it models: %r' % (text[:300] + ('...' if len(text) > 300 else '')))
    if header.group(1) not in _HANDLERS:
        raise UnknownPayload('payload %s has no handler on this fake host (a module of tests/support/windows/ '
                             'registers one with @handles(%r))' % (header.group(1), header.group(1)))
    return header.group(1)


def handles(name):
    def register(func):
        _HANDLERS[name] = func
        return func
    return register


class FakeWindowsHost:
    # Store entries are dicts: 'der' (base64 DER, as the payloads send it), 'has_private_key',
    # 'friendly_name', and 'key' (the private key object) where the host holds one.
    def __init__(self, os_build=20348):
        self.os_build = os_build
        self.stores = {name: [] for name in ('CA', 'Root', 'Disallowed', 'My', 'WebHosting', 'REQUEST')}
        self.crls = {'CA': []}
        self.calls = []          # (payload name, bound parameters) for every script that ran
        self.fail_on = {}        # payload name -> message: the script throws it (a terminating error)
        self.state = {}          # free-form state for other areas (IIS sites, DNS zones, ...)
        self.script = ''         # the script being run, as sent: the payload with its preludes composed in
        self.results = []        # every win_powershell result returned, as the controller got it

    # -- the boundary -------------------------------------------------------------------------
    def execute_module(self, module_name=None, module_args=None, task_vars=None, **_kwargs):
        if module_name != WIN_POWERSHELL:
            raise UnknownPayload('only win_powershell is ever sent to a Windows host, got %s' % module_name)
        # What crosses the wire is JSON: the caller may send JSON-able data only.
        module_args = json.loads(json.dumps(module_args))
        name = payload_name(module_args.get('script'))
        # The script text, for handlers whose answer depends on how the payload calls a cmdlet
        # (tests/support/windows/script_facts.py). It is what win_powershell received - composed by
        # _win_payload.load_payload - so a block a prelude supplies is read here like the payload's own.
        self.script = module_args.get('script') or ''

        def script(params, session):
            params.session = session
            self.calls.append((name, copy.deepcopy(dict(params))))
            if name in self.fail_on:
                raise HostFailure(self.fail_on[name])
            return _HANDLERS[name](self, params)

        result = boundary.run(module_args, script, _kwargs.get('pass_vars'))
        self.results.append(result)
        return copy.deepcopy(result)

    def call_names(self):
        return [name for name, _params in self.calls]


def internal_args(check_mode=False, diff=False, no_log=False, module_name=WIN_POWERSHELL):
    """The ``_ansible_*`` keys ActionBase._update_module_args adds to every module's arguments
    (ansible-core plugins/action/__init__.py), for harnesses that replace ``_execute_module``."""
    return {'_ansible_check_mode': bool(check_mode), '_ansible_diff': bool(diff), '_ansible_no_log': bool(no_log),
            '_ansible_module_name': module_name, '_ansible_verbosity': 0}
