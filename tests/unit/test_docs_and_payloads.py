# -*- coding: utf-8 -*-
"""Every module documents itself to ansible-doc; every PowerShell payload parses and keeps the contract."""

import glob
import json
import os
import re
import subprocess
import sys

import pytest
import tree_sitter
import tree_sitter_powershell
import yaml

from ansible_collections.hkpost.ecert.plugins.plugin_utils import _win_payload
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import load_payload, payload_names

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
MODULES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, 'plugins/modules/*.py'))
                 if not os.path.basename(p).startswith('_'))
FILTERS = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(ROOT, 'plugins/filter/*.yml')))
PAYLOADS = payload_names()
PRELUDES = sorted(glob.glob(os.path.join(ROOT, 'plugins/payloads/_preludes/*.ps1')))
ACTIONS = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, 'plugins/action/*.py'))
                 if not os.path.basename(p).startswith('_'))


def ansible_doc(*args):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1')
    return subprocess.run([os.path.join(BIN, 'ansible-doc'), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_every_module_and_filter_renders_in_ansible_doc():
    names = ['hkpost.ecert.' + m for m in MODULES]
    proc = ansible_doc('--json', *names)
    assert proc.returncode == 0, proc.stderr
    docs = json.loads(proc.stdout)
    for name in names:
        doc = docs[name]['doc']
        assert doc['short_description'], name
        assert 'check_mode' in doc.get('attributes', {}), '%s does not state check_mode support' % name
        assert docs[name]['examples'].strip(), name
        assert docs[name]['return'], name
    if FILTERS:
        proc = ansible_doc('-t', 'filter', '--json', *['hkpost.ecert.' + f for f in FILTERS])
        assert proc.returncode == 0, proc.stderr
        assert all(json.loads(proc.stdout)['hkpost.ecert.' + f]['doc']['description'] for f in FILTERS)


def test_every_action_plugin_has_its_documentation_file():
    assert set(ACTIONS) <= set(MODULES), 'action plugins without plugins/modules/NAME.py: %s' % (set(ACTIONS) - set(MODULES))


@pytest.mark.parametrize('module', MODULES)
def test_examples_are_valid_yaml_tasks(module):
    source = open(os.path.join(ROOT, 'plugins/modules', module + '.py'), encoding='utf-8').read()
    examples = yaml.safe_load(source.split("EXAMPLES = r'''")[1].split("'''")[0])
    assert isinstance(examples, list) and examples
    for task in examples:
        assert 'name' in task, task
        actions = [k for k in task if '.' in k]
        assert actions, 'no FQCN action in example task %r' % task.get('name')


_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))


def _error_nodes(node, found):
    if node.type == 'ERROR' or node.is_missing:
        found.append((node.start_point, node.text[:60]))
    for child in node.children:
        _error_nodes(child, found)
    return found


def test_there_are_payloads():
    assert PAYLOADS and PRELUDES
    # A phase folder holds payloads only; _preludes/ holds the shared blocks, never a payload.
    files = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(ROOT, 'plugins/payloads/[!_]*/*.ps1')))
    assert files == PAYLOADS


@pytest.mark.parametrize('name', PAYLOADS)
def test_payload_parses_without_error_nodes(name):
    """The script as win_powershell receives it - the payload with its preludes composed in."""
    tree = _PARSER.parse(load_payload(name).encode('utf-8'))
    assert _error_nodes(tree.root_node, []) == []
    assert not tree.root_node.has_error
    # [CmdletBinding()] param() is the script's first statement, as PowerShell requires: whatever a
    # prelude adds comes after it (a param_block is only recognised there).
    assert [c.type for c in tree.root_node.children if c.type != 'comment'][:1] == ['param_block']


@pytest.mark.parametrize('path', PRELUDES, ids=os.path.basename)
def test_prelude_parses_on_its_own(path):
    """A prelude is complete statements (no half of a try block), so it reads as PowerShell by itself."""
    text = open(path, encoding='utf-8').read()
    assert text.startswith('# hkpost.ecert prelude file: %s\n' % os.path.basename(path)[:-4])
    tree = _PARSER.parse(text.encode('utf-8'))
    assert _error_nodes(tree.root_node, []) == [] and not tree.root_node.has_error
    assert not _children_of_type(tree.root_node, 'param_block'), 'parameters belong to the payload'
    # Lines are indented to the declaration when composed: a here-string's end would no longer be at column 0. A
    # prelude that holds one (chain_stores' C# source) ends it at column 0 here, and composing refuses to indent it
    # (_win_payload.compose; tests/unit/plugins/plugin_utils/test_win_payload.py).
    assert not re.search(r"^[ \t]+['\"]@", text, re.M)
    if '@"' in text or "@'" in text:
        assert re.search(r"^['\"]@", text, re.M), 'a here-string ends at the start of a line'
        assert _win_payload._HERE_STRING.search(text), 'composing recognises this here-string'  # pylint: disable=protected-access


def _children_of_type(node, kind):
    return [c for c in node.children if c.type == kind]


@pytest.mark.parametrize('name', PAYLOADS)
def test_payload_keeps_the_contract(name):
    text = load_payload(name)
    assert text.startswith('# hkpost.ecert payload: %s\n' % name)
    assert re.search(r'^param\(', text, re.M), 'data comes in through a param() block'
    assert "$ErrorActionPreference = 'Stop'" in text
    assert 'ConvertTo-Json' in text, 'the answer goes out as JSON'
    # Data stays data: nothing the caller sends is ever evaluated as code.
    assert not re.search(r'Invoke-Expression|\biex\b|\[scriptblock\]::Create|AddScript', text, re.I)
    if '_read' in name:
        assert '[CmdletBinding(SupportsShouldProcess)]' in text, 'read payloads must run in check mode'
        assert '$Ansible.Changed = $false' in text


# C(...), V(...), I(...) and friends end at the first ")": "C(http(s)://x/)" renders as "http(s" followed by
# a stray "://x/)". Markup must not contain parentheses; quote such text instead.
_NESTED_MARKUP = re.compile(r'\b[BCIMOPUVE]\([^()]*\(')
_DOC_SOURCES = sorted(glob.glob(os.path.join(ROOT, 'plugins/modules/*.py')) + glob.glob(os.path.join(ROOT, 'plugins/filter/*.yml'))
                      + glob.glob(os.path.join(ROOT, 'plugins/lookup/*.py'))
                      + glob.glob(os.path.join(ROOT, 'roles/*/meta/argument_specs.yml')))


def test_nested_markup_detector_can_fail():
    assert _NESTED_MARKUP.search('the endpoint C(http(s)://SERVER/PowerShell/)')
    assert not _NESTED_MARKUP.search('C(http://SERVER/PowerShell/) or V(x) (a note)')


@pytest.mark.parametrize('path', _DOC_SOURCES, ids=lambda p: os.path.relpath(p, ROOT))
def test_documentation_markup_has_no_nested_parentheses(path):
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    if path.endswith('.py'):  # only the documentation strings, not the code
        text = ''.join(re.findall(r"^(?:DOCUMENTATION|EXAMPLES|RETURN) = r?'''(.*?)'''", text, re.S | re.M))
    bad = [m.group(0) for m in _NESTED_MARKUP.finditer(text)]
    assert not bad, 'markup with a "(" inside renders wrongly in ansible-doc: %s' % bad
