# -*- coding: utf-8 -*-
"""Syntax newer than Windows PowerShell 5.1 in a script, read from its parse tree (tree-sitter-powershell).

The payloads run under ansible.windows.win_powershell in Windows PowerShell 5.1 (powershell.exe), not
PowerShell 7 (pwsh). 5.1 rejects the whole script at parse time when one line uses PowerShell 7 syntax,
so nothing of it runs - and the fake host, which never parses a payload, would not notice.

What is PowerShell 7 only, from Microsoft's PowerShell-Docs (reference/<version>/Microsoft.PowerShell.Core/
About/): about_Operators of 7.x documents, and that of 5.1 does not, the pipeline chain operators ``&&`` and
``||`` (about_Pipeline_Chain_Operators: "Beginning in PowerShell 7, PowerShell implements the && and ||
operators"), the ternary operator ``? <if-true> : <if-false>``, the null-coalescing operators ``??`` and
``??=``, the null-conditional operators ``?.`` and ``?[]`` ("moved from experimental to mainstream in
PowerShell 7.1") and the background operator ``&`` at the end of a pipeline; about_Functions (7.4):
"PowerShell 7.3 adds a ``clean`` block". Variables too: about_Automatic_Variables and about_Preference_Variables
of 7.x document ``$PSStyle``, ``$IsWindows``, ``$PSNativeCommandUseErrorActionPreference``... that 5.1 lacks
(the list is data: tests/support/powershell_reference/ps7_variables.json, hack/refresh_ps7_variables.py).

How the grammar shows them (tree-sitter-powershell follows PowerShell 7 in part): ``&&``/``||`` parse as a
``pipeline_chain_tail`` node; ``??``, ``??=``, ``?.``, ``?[``, the ternary ``?``, a trailing ``&`` and a
``clean { }`` block do not parse and come out as ``ERROR`` nodes. Both are looked for, and a leaf token is
also judged by its text, so a grammar that learns these operators later still has them reported. Any other
``ERROR`` is reported too: a script that this grammar cannot parse is one no check here has read. Two
5.1 forms the grammar does not read are reported with it (write them otherwise): a variable name ending in
``?`` (``$done?``, read as a ternary) and an array of a generic type (``[List[int][]]``).
"""

from __future__ import annotations

import functools
import json
import os
import re

from tests.support.windows import script_facts

VARIABLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         'powershell_reference', 'ps7_variables.json')
# $PSStyle, ${PSStyle}, $global:PSStyle, $env:X (not a PowerShell variable: skipped by its scope).
_VARIABLE = re.compile(r'^\$\{?(?:(global|script|local|private):)?([\w?]+)\}?$', re.I)

_DOCS = 'PowerShell-Docs reference/7.x/Microsoft.PowerShell.Core/About/'
_CHAIN = 'pipeline chain operator %s (PowerShell 7.0+; ' + _DOCS + 'about_Pipeline_Chain_Operators.md)'
_OPERATOR = {
    '??': 'null-coalescing operator ?? (PowerShell 7.0+; %sabout_Operators.md)' % _DOCS,
    '??=': 'null-coalescing assignment operator ??= (PowerShell 7.0+; %sabout_Operators.md)' % _DOCS,
    '?.': 'null-conditional member access ?. (PowerShell 7.1+; %sabout_Operators.md)' % _DOCS,
    '?[': 'null-conditional index ?[] (PowerShell 7.1+; %sabout_Operators.md)' % _DOCS,
    '?': 'ternary operator ? : (PowerShell 7.0+; %sabout_Operators.md)' % _DOCS,
    'clean': 'clean { } block (PowerShell 7.3+; %sabout_Functions.md)' % _DOCS,
    '&': 'background operator & (PowerShell 6.0+; %sabout_Operators.md)' % _DOCS,
}


class Finding:
    def __init__(self, line, what):
        self.line, self.what = line, what

    def __str__(self):
        return 'line %d: %s' % (self.line, self.what)

    def __repr__(self):
        return 'Finding(%d, %r)' % (self.line, self.what)


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _leaves(node):
    return [n for n in _walk(node) if not n.children]


def _inside_error(node):
    parent = node.parent
    while parent is not None:
        if parent.type == 'ERROR':
            return True
        parent = parent.parent
    return False


def _classify(leaves, i):
    """The PowerShell 7 construct leaf ``i`` starts, or None."""
    text = leaves[i].text.decode().strip()
    following = leaves[i + 1].text.decode().strip() if i + 1 < len(leaves) else ''
    if text in ('&&', '||'):
        return _CHAIN % text
    if text == '??' and following.startswith('='):
        return _OPERATOR['??=']
    if text in ('??', '??='):
        return _OPERATOR[text]
    if text == '?' and (following.startswith('.') or following.startswith('[')):
        return _OPERATOR['?' + following[0]]
    if text == '?' and _inside_error(leaves[i]):
        return _OPERATOR['?']
    if text == 'clean' and i + 1 < len(leaves) and (leaves[i].parent.type == 'block_name' or _inside_error(leaves[i])):
        return _OPERATOR['clean']
    if text == '&' and leaves[i].parent is not None and leaves[i].parent.type == 'ERROR':
        return _OPERATOR['&']
    return None


@functools.lru_cache(maxsize=1)
def ps7_variables():
    """Variables PowerShell-Docs documents for 7.x and not for 5.1 (hack/refresh_ps7_variables.py)."""
    with open(VARIABLES, encoding='utf-8') as f:
        return json.load(f)['variables']


def _variable_finding(node):
    match = _VARIABLE.match(node.text.decode())
    entry = ps7_variables().get(match.group(2).lower()) if match else None
    if entry is None:
        return None
    return Finding(node.start_point[0] + 1, '$%s exists only in PowerShell 7 (documented in PowerShell-Docs %s, '
                   'not for 5.1): in 5.1 it reads as $null and setting it changes nothing' % (
                       entry['name'], entry['path']))


def findings(script):
    """Every construct of ``script`` that Windows PowerShell 5.1 cannot parse, as Finding objects."""
    root = script_facts._tree(script).root_node
    found, lines = [], set()
    leaves = _leaves(root)
    for i, leaf in enumerate(leaves):
        what = _classify(leaves, i)
        if what is not None:
            found.append(Finding(leaf.start_point[0] + 1, what))
            lines.add(leaf.start_point[0] + 1)
    for node in _walk(root):
        # A chain operator the grammar only assumed (MISSING, e.g. after a trailing `&`) is left to the
        # parse-error report below.
        if node.type == 'pipeline_chain_tail' and node.text.strip() and node.start_point[0] + 1 not in lines:
            found.append(Finding(node.start_point[0] + 1, _CHAIN % node.text.decode().strip()))
            lines.add(node.start_point[0] + 1)
    for node in _walk(root):
        if node.type == 'variable':
            finding = _variable_finding(node)
            if finding is not None:
                found.append(finding)
    for node in _walk(root):
        if (node.type == 'ERROR' or node.is_missing) and node.start_point[0] + 1 not in lines:
            found.append(Finding(node.start_point[0] + 1, 'does not parse (%r): not Windows PowerShell 5.1 syntax '
                                 'that tree-sitter-powershell reads' % node.text.decode()[:60]))
            lines.add(node.start_point[0] + 1)
    return sorted(found, key=lambda f: f.line)
