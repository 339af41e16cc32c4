# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one of the collection's PowerShell payloads on a Windows host and read its JSON answer.

The contract every payload in ``plugins/payloads/`` keeps:

* data in: a ``param()`` block filled from ``parameters`` (and ``sensitive_parameters`` for
  secrets) by ``ansible.windows.win_powershell``; no file contents or secrets are ever spliced into
  script text. win_powershell (>= 2.4.0) delivers a sensitive value as a ``SecureString`` and a
  ``{'username', 'password'}`` pair as a ``PSCredential``, so the payload declares its secret
  parameters ``[SecureString]`` / ``[PSCredential]`` - a ``[string]`` would receive the text
  ``System.Security.SecureString``. Data that is not secret (an already encrypted PFX) goes in
  ``parameters``: a SecureString holds at most 65,536 characters;
* JSON out: the payload's last output is one JSON string (``ConvertTo-Json -Compress``), parsed here;
* read payloads declare ``SupportsShouldProcess`` so win_powershell runs them in check mode too;
  write payloads are simply never sent in check mode - the action plugin decides that;
* the first line names the payload (``# hkpost.ecert payload: NAME``), which is how the tests'
  fake host knows which contract to answer;
* payloads live in one folder per lifecycle phase (``payloads/request/``, ``dcv/``, ``chain/``,
  ``install/``); a payload's name is unique across the folders;
* a block several payloads need word for word (the Exchange session, the IIS binding read) is kept once,
  as a *prelude* in ``payloads/_preludes/NAME.ps1``. win_powershell sends one script and a payload cannot
  import a module of ours, so the script is composed here: a payload names each prelude it uses on a line
  of its own, ``# hkpost.ecert prelude: NAME``, at the place the prelude's statements are to run, and
  ``load_payload`` puts the prelude's text after that line. The line must come after ``param()``
  (PowerShell requires ``[CmdletBinding()] param()`` to be the script's first statement), so a prelude
  only reads the parameters the payload declared. A prelude holding a here-string (whose end must start its
  line) is declared at the start of a line. What is composed is exactly what the host runs.
"""

from __future__ import annotations

import json
import os
import re

PAYLOAD_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'payloads')
PRELUDE_DIR = os.path.join(PAYLOAD_DIR, '_preludes')
WIN_POWERSHELL = 'ansible.windows.win_powershell'
# A payload's declaration of a prelude: a whole line, indented as the statements around it.
_PRELUDE_LINE = re.compile(r'^([ \t]*)# hkpost\.ecert prelude: (\w+)[ \t]*$', re.M)
# Every payload writes its parameter block as `param(` at the start of a line, closed by `)` on the same
# line when it is empty, else by a `)` alone at the start of a line.
# A here-string's opening: @' or @" ending its line.
_HERE_STRING = re.compile(r'@[\'"][ \t]*$', re.M)
_PARAM_BLOCK = re.compile(r'^param\([ \t]*\)|^param\(.*?^\)', re.M | re.S)


class PayloadError(Exception):
    """The payload failed on the host, or did not answer with the JSON its contract promises.

    It carries a message only, never the module result: that result's ``invocation.module_args``
    holds every argument sent (and win_powershell's error records may quote them).
    """

    def __init__(self, name, message):
        super().__init__('%s: %s' % (name, message))
        self.name = name


def _payload_index():
    index = {}
    for phase in sorted(os.listdir(PAYLOAD_DIR)):
        folder = os.path.join(PAYLOAD_DIR, phase)
        # _preludes/ holds parts of payloads, never a payload of its own.
        if os.path.isdir(folder) and not phase.startswith('_'):
            for filename in os.listdir(folder):
                if filename.endswith('.ps1'):
                    index[filename[:-4]] = os.path.join(folder, filename)
    return index


def payload_path(name):
    """The file of payload ``name``, whichever phase folder holds it."""
    try:
        return _payload_index()[name]
    except KeyError:
        raise PayloadError(name, 'no such payload in %s (a packaging error: reinstall the collection)' % PAYLOAD_DIR)


def payload_names():
    """Every payload's name, sorted."""
    return sorted(_payload_index())


def _prelude_text(name, prelude):
    path = os.path.join(PRELUDE_DIR, prelude + '.ps1')
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except FileNotFoundError:
        raise PayloadError(name, 'it declares prelude %s, which is not in %s (a packaging error: reinstall the '
                                 'collection)' % (prelude, PRELUDE_DIR))
    if _PRELUDE_LINE.search(text):
        raise PayloadError(name, 'prelude %s declares a prelude itself; preludes do not nest' % prelude)
    return text


def compose(name, text):
    """Payload ``name``'s file text with each prelude it declares put after its declaration line.

    The prelude's lines take the declaration's indentation (a prelude uses no here-strings, whose end
    must stay at the start of a line) and are followed by a line saying where the prelude ends.
    """
    declared = list(_PRELUDE_LINE.finditer(text))
    if not declared:
        return text
    param = _PARAM_BLOCK.search(text)
    seen, parts, done = set(), [], 0
    for line in declared:
        indent, prelude = line.group(1), line.group(2)
        if param is None or line.start() < param.end():
            raise PayloadError(name, 'prelude %s is declared before the end of its param() block; PowerShell '
                                     'requires param() to come first, so the declaration must follow it' % prelude)
        if prelude in seen:
            raise PayloadError(name, 'prelude %s is declared twice' % prelude)
        seen.add(prelude)
        if indent and _HERE_STRING.search(_prelude_text(name, prelude)):
            raise PayloadError(name, 'prelude %s holds a here-string, whose end must start its line; declare it at the '
                                     'start of a line' % prelude)
        body = ''.join(indent + row if row.strip() else row
                       for row in _prelude_text(name, prelude).rstrip('\n').splitlines(True))
        parts += [text[done:line.end()], '\n', body, '\n%s# hkpost.ecert prelude %s ends' % (indent, prelude)]
        done = line.end()
    parts.append(text[done:])
    return ''.join(parts)


def load_payload(name):
    """The script the host runs for payload ``name``: its file, with the preludes it declares composed in."""
    with open(payload_path(name), encoding='utf-8') as f:
        return compose(name, f.read())


def _error_text(result, secrets=()):
    messages = [result.get('msg') or '']
    for record in result.get('error') or []:
        if isinstance(record, dict):
            messages.append(record.get('output') or record.get('exception', {}).get('message') or '')
        else:
            messages.append(str(record))
    text = '; '.join(m.strip() for m in messages if m and m.strip()) or 'the payload failed without a message'
    # As Ansible.Basic masks no_log values in what it returns; error text is the script's own.
    return _mask(text, secrets)


def _mask(text, secrets):
    for secret in secrets:
        text = text.replace(secret, '********')
    return text


def masked(text, sensitive_parameters):
    """``text`` from a payload's answer with the secrets it was sent masked, as in a PayloadError's message.

    For the free text an answer carries (an exception message a payload caught and reported, such as
    retire_read's Exchange error): never the answer's data, whose bytes a short secret could occur in.
    """
    if not isinstance(text, str):
        return text
    return _mask(text, _sensitive_entries(sensitive_parameters)[1])


def _sensitive_entries(sensitive_parameters):
    """win_powershell's sensitive_parameters: a string is ``value`` (a SecureString on the host),
    a ``{'username', 'password'}`` dict is a PSCredential."""
    entries, secrets = [], []
    for key, value in (sensitive_parameters or {}).items():
        if isinstance(value, dict):
            entries.append({'name': key, 'username': value['username'], 'password': value['password']})
            secrets.append(value['password'])
        else:
            entries.append({'name': key, 'value': value})
            secrets.append(value)
    return entries, [s for s in secrets if s]


def run_payload(action, task_vars, name, parameters=None, sensitive_parameters=None):
    """Execute payload ``name`` through the task's own connection; return its decoded JSON answer."""
    module_args = {'script': load_payload(name), 'parameters': parameters or {}, 'error_action': 'stop'}
    entries, secrets = _sensitive_entries(sensitive_parameters)
    if entries:
        module_args['sensitive_parameters'] = entries
    result = action._execute_module(module_name=WIN_POWERSHELL, module_args=module_args, task_vars=task_vars)
    if result.get('failed') or result.get('unreachable'):
        raise PayloadError(name, _error_text(result, secrets))
    output = result.get('output') or []
    if not output:
        raise PayloadError(name, 'the payload returned no output (expected one JSON document)')
    try:
        answer = json.loads(output[-1])
    except (TypeError, ValueError) as e:
        raise PayloadError(name, 'the payload output is not JSON (%s)' % e)
    if not isinstance(answer, dict):
        raise PayloadError(name, 'the payload output is JSON but not an object')
    return answer
