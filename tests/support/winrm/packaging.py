# -*- coding: utf-8 -*-
"""Decode what ansible-core pipes into ``PowerShell -EncodedCommand <bootstrap_wrapper.ps1>``.

Two formats exist, told apart by structure (never by version number):

* ansible-core 2.19 and later (``executor/powershell/module_manifest.py`` ``_get_bootstrap_input``):
  a bootstrap JSON ``{"name": "exec_wrapper", "script": ..., "params": ...}``, the separator
  ``\\n\\0\\0\\0\\0\\n``, then the exec manifest JSON ``{"scripts": {NAME: {"script": base64, "path": ...}},
  "actions": [{"name": "module_wrapper.ps1", "params": {"Script": NAME, "Variables":
  [{"Name": "complex_args", "Value": ARGS}], ...}}]}``.
* ansible-core 2.16-2.18 (``_create_powershell_wrapper``): the exec wrapper's text, ``\\0\\0\\0\\0``, then
  a JSON manifest with ``module_entry`` (base64 module source), ``actions`` (``module_powershell_wrapper``)
  and ``module_args`` whose ``_ansible_module_name`` names the module.

Anything else - become, async, coverage wrappers, an unknown layout - raises UnknownPackaging,
so a change in ansible-core shows up as a failing test instead of a silently wrong answer. A command
line that is not ``PowerShell -EncodedCommand``, or an encoded script that is not a bootstrap wrapper
(those read ``$input``; ansible's raw commands and the POSIX shell text of a play on the wrong path do
not), is refused as soon as it arrives (``reads_stdin``): such a command never gets stdin, and a host
waiting for it would only answer when the client gives up.
"""

from __future__ import annotations

import base64
import json
import re

NEW_SEPARATOR = b'\n\0\0\0\0\n'
OLD_SEPARATOR = b'\0\0\0\0'
_MODULE_PATH = re.compile(r'^ansible_collections\.(\w+)\.(\w+)\.plugins\.modules\.(\w+)\.ps1$')
# ansible.builtin redirects the win_* names to ansible.windows (lib/ansible/config/ansible_builtin_runtime.yml).
_SHORT_NAMES = {'win_ping': 'ansible.windows.win_ping', 'win_powershell': 'ansible.windows.win_powershell'}


class UnknownPackaging(Exception):
    """stdin is not a module packaging this endpoint understands."""


# Both bootstrap wrappers (2.19+ ``foreach ($in in $input)``, 2.16-2.18 ``$input | Out-String``) read the
# command's stdin through PowerShell's automatic $input; of the rest ansible sends over WinRM only put_file's
# script reads stdin, and through $input too.
_READS_INPUT = re.compile(r'\$input\b', re.I)
_EXCERPT = 300
# The module an AnsiballZ wrapper runs: 2.19+ ``module_fqn='ansible.modules.file'``, 2.16-2.18
# ``runpy.run_module(mod_name='ansible.modules.file', ...)``.
_POSIX_MODULE = re.compile(rb'(?:module_fqn|mod_name)\s*=\s*[\'"]([\w.]+)[\'"]')

_PASS_VARS_BLOCK = re.compile(r'passVars\s*=\s*new Dictionary<string,\s*string>\(\)\s*\{(.*?)\};', re.S)


class ModuleCall:
    def __init__(self, name, args, source, layout, basic=None):
        self.name = name          # FQCN
        self.args = args          # what the module sees as its params (internal _ansible_* keys included)
        self.source = source      # the module's PowerShell text
        self.layout = layout      # '2.19+' or '2.16-2.18'
        # The _ansible_* options the shipped Ansible.Basic.cs accepts (its passVars): the controller sends
        # Ansible.Basic with every module, so a 2.16 controller's module accepts 2.16's list (which has
        # string_conversion_action) and a 2.19 one accepts 2.19's.
        self.pass_vars = pass_vars(basic) if basic else None

    def __repr__(self):
        return 'ModuleCall(%s, %s)' % (self.name, self.layout)


def decode_command(command, arguments):
    """The script a WinRS Command runs: ansible's ``PowerShell ... -EncodedCommand <UTF-16LE base64>``."""
    parts = arguments.split()
    if command.lower() != 'powershell' or '-EncodedCommand' not in parts:
        raise UnknownPackaging('not an encoded PowerShell command: %s' % excerpt(('%s %s' % (command, arguments)).strip()))
    encoded = parts[parts.index('-EncodedCommand') + 1]
    script = base64.b64decode(encoded).decode('utf-16-le')
    # ansible-core 2.16-2.18 wrap the bootstrap wrapper once more: the encoded script is itself one line
    # "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand <bootstrap>".
    inner = script.strip().split()
    if '\n' not in script.strip() and inner and inner[0].lower() == 'powershell' and '-EncodedCommand' in inner:
        return decode_command(inner[0], ' '.join(inner[1:]))
    return script


def reads_stdin(script):
    """Refuse (UnknownPackaging) a decoded command script that is not one of ansible's bootstrap wrappers.

    Windows runs a WinRS command when it is created; only a script reading ``$input`` then waits for the
    client's stdin. Anything else this endpoint does not emulate: answered at once, naming the script.
    """
    if not _READS_INPUT.search(script):
        raise UnknownPackaging('not a module execution (a command that reads no stdin): PowerShell -EncodedCommand '
                               'of %s' % excerpt(script))
    return script


def excerpt(text):
    """``text`` as an error message quotes it: one line, at most _EXCERPT characters."""
    if isinstance(text, bytes):
        text = text.decode('utf-8', 'replace')
    text = ' '.join(text.split())
    return repr(text if len(text) <= _EXCERPT else text[:_EXCERPT] + '...')


def decode_stdin(data):
    if data.startswith(b'{') and NEW_SEPARATOR in data:
        return _decode_manifest(data)
    if OLD_SEPARATOR in data:
        return _decode_legacy(data)
    if data.startswith(b'#!'):
        # A module for a POSIX host (AnsiballZ, a script module) piped into PowerShell: the play took the
        # POSIX path against a Windows host.
        shebang = data.split(b'\n', 1)[0].decode('utf-8', 'replace')
        module = _POSIX_MODULE.search(data)
        raise UnknownPackaging('a POSIX module (%s, %s) sent to a Windows host: this host runs PowerShell modules only'
                               % (module.group(1).decode() if module else 'not AnsiballZ', shebang))
    raise UnknownPackaging('stdin has neither the 2.19+ bootstrap separator nor the 2.16-2.18 one (%d bytes: %s)'
                           % (len(data), excerpt(data)))


def pass_vars(basic_source):
    block = _PASS_VARS_BLOCK.search(basic_source)
    if not block:
        raise UnknownPackaging('Ansible.Basic.cs without its passVars dictionary')
    return tuple(re.findall(r'\{\s*"(\w+)"\s*,', block.group(1)))


def _decode_manifest(data):
    bootstrap_raw, manifest_raw = data.split(NEW_SEPARATOR, 1)
    bootstrap = json.loads(bootstrap_raw)
    if bootstrap.get('name') != 'exec_wrapper':
        raise UnknownPackaging('bootstrap runs %r, not exec_wrapper' % bootstrap.get('name'))
    manifest = json.loads(manifest_raw)
    names = [action['name'] for action in manifest['actions']]
    if names != ['module_wrapper.ps1']:
        raise UnknownPackaging('exec manifest actions %s: only a plain module_wrapper.ps1 run is emulated '
                               '(no become, async or coverage)' % names)
    params = manifest['actions'][0]['params']
    variables = {v['Name']: v['Value'] for v in params.get('Variables') or []}
    if 'complex_args' not in variables or not params.get('ForModule'):
        raise UnknownPackaging('module_wrapper.ps1 action without complex_args: a script, not a module')
    args = variables['complex_args']
    script_name = params['Script']
    source = base64.b64decode(manifest['scripts'][script_name]['script']).decode('utf-8-sig')
    match = _MODULE_PATH.match(script_name)
    name = '%s.%s.%s' % match.groups() if match else _fqcn(args.get('_ansible_module_name'))
    basic = manifest['scripts'].get('Ansible.Basic.cs')
    basic = base64.b64decode(basic['script']).decode('utf-8-sig') if basic else None
    return ModuleCall(name, args, source, '2.19+', basic)


def _decode_legacy(data):
    wrapper, manifest_raw = data.split(OLD_SEPARATOR, 1)
    if b'json_raw' not in wrapper:
        raise UnknownPackaging('2.16-2.18 layout without the exec wrapper that reads $json_raw')
    manifest = json.loads(manifest_raw)
    if manifest.get('actions') != ['module_powershell_wrapper']:
        raise UnknownPackaging('exec manifest actions %s: only module_powershell_wrapper is emulated '
                               '(no become, async or coverage)' % manifest.get('actions'))
    args = manifest['module_args']
    source = base64.b64decode(manifest['module_entry']).decode('utf-8-sig')
    basic = (manifest.get('csharp_utils') or {}).get('Ansible.Basic')
    basic = base64.b64decode(basic).decode('utf-8-sig') if basic else None
    return ModuleCall(_fqcn(args.get('_ansible_module_name')), args, source, '2.16-2.18', basic)


def _fqcn(name):
    if not name:
        raise UnknownPackaging('module arguments without _ansible_module_name')
    return _SHORT_NAMES.get(name, name)
