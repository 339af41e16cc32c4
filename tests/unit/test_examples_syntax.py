# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every plugin's EXAMPLES runs as written: valid YAML, accepted by ``ansible-playbook --syntax-check``
(task keywords, module names resolvable, Jinja syntax) and, for this collection's modules, only options
the module documents, with every required option given.

EXAMPLES are task lists (put under ``hosts: all``) or whole plays (used as they are).
"""

from __future__ import annotations

import ast
import glob
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
PREFIX = 'hkpost.ecert.'
# Task keywords that are not module options (anything else next to the module is a typo).
TASK_KEYWORDS = {
    'name', 'register', 'when', 'loop', 'loop_control', 'vars', 'tags', 'delegate_to', 'run_once',
    'become', 'become_user', 'changed_when', 'failed_when', 'ignore_errors', 'no_log', 'until', 'retries',
    'delay', 'notify', 'check_mode', 'diff', 'environment', 'with_items', 'with_dict', 'throttle', 'args',
    'any_errors_fatal', 'module_defaults', 'timeout', 'connection', 'collections', 'debugger',
    'delegate_facts', 'ignore_unreachable', 'listen', 'local_action', 'poll', 'async', 'port', 'remote_user',
}


def _plugin_docs():
    """[(relative path, EXAMPLES text, DOCUMENTATION dict)] for modules, lookups and YAML-documented filters."""
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', '*', '*.py'))):
        with open(path, encoding='utf-8') as handle:
            tree = ast.parse(handle.read())
        values = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if node.targets[0].id in ('DOCUMENTATION', 'EXAMPLES') and isinstance(node.value, ast.Constant):
                    values[node.targets[0].id] = node.value.value
        if values.get('EXAMPLES'):
            found.append((os.path.relpath(path, ROOT), values['EXAMPLES'], yaml.safe_load(values.get('DOCUMENTATION') or '{}')))
    for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', 'filter', '*.yml'))):
        with open(path, encoding='utf-8') as handle:
            data = yaml.safe_load(handle) or {}
        if data.get('EXAMPLES'):
            found.append((os.path.relpath(path, ROOT), data['EXAMPLES'], data.get('DOCUMENTATION') or {}))
    return found


PLUGINS = _plugin_docs()


def _with_fragments(doc):
    """The module's options with those of the collection's doc fragments it extends (hkpost.ecert.NAME)."""
    options = dict((doc or {}).get('options') or {})
    for fragment in (doc or {}).get('extends_documentation_fragment') or []:
        if not fragment.startswith(PREFIX):
            continue
        with open(os.path.join(ROOT, 'plugins', 'doc_fragments', fragment[len(PREFIX):] + '.py'), encoding='utf-8') as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION':
                options.update(yaml.safe_load(node.value.value).get('options') or {})
    return options


MODULE_OPTIONS = {
    os.path.splitext(os.path.basename(rel))[0]: _with_fragments(doc)
    for rel, _examples, doc in PLUGINS if rel.startswith('plugins/modules/')
}


def _plays(examples):
    data = yaml.safe_load(examples)
    assert isinstance(data, list) and data, 'EXAMPLES must be a YAML list of tasks or plays'
    if all(isinstance(item, dict) and ('hosts' in item or 'import_playbook' in item) for item in data):
        return data
    return [{'name': 'EXAMPLES', 'hosts': 'all', 'gather_facts': False, 'tasks': data}]


def _tasks(items):
    for task in items or []:
        if not isinstance(task, dict):
            continue
        yield task
        for key in ('block', 'rescue', 'always'):
            yield from _tasks(task.get(key))


def test_plugins_with_examples_found():
    assert any(rel.startswith('plugins/modules/') for rel, _e, _d in PLUGINS)


@pytest.mark.parametrize('rel,examples', [(rel, ex) for rel, ex, _doc in PLUGINS], ids=[rel for rel, _e, _d in PLUGINS])
def test_examples_pass_syntax_check(rel, examples, tmp_path):
    playbook = tmp_path / 'examples.yml'
    playbook.write_text(yaml.safe_dump(_plays(examples), sort_keys=False))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
               PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '--syntax-check', '-i', 'localhost,', str(playbook)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, '%s EXAMPLES fail ansible-playbook --syntax-check:\n%s%s' % (rel, proc.stdout, proc.stderr)


@pytest.mark.parametrize('rel,examples', [(rel, ex) for rel, ex, _doc in PLUGINS], ids=[rel for rel, _e, _d in PLUGINS])
def test_examples_use_documented_options(rel, examples):
    problems = []
    for play in _plays(examples):
        for task in _tasks(list(play.get('tasks') or []) + list(play.get('pre_tasks') or []) + list(play.get('post_tasks') or [])):
            for key, args in task.items():
                if not key.startswith(PREFIX) or key[len(PREFIX):] not in MODULE_OPTIONS:
                    continue
                options = MODULE_OPTIONS[key[len(PREFIX):]]
                known = set(options)
                for spec in options.values():
                    known.update((spec or {}).get('aliases') or [])
                given = set(args or {}) if isinstance(args, dict) else set()
                for unknown in sorted(given - known):
                    problems.append('%s: task %r passes %s, which %s does not document' % (rel, task.get('name'), unknown, key))
                for option, spec in options.items():
                    if (spec or {}).get('required') and option not in given:
                        problems.append('%s: task %r omits required option %s of %s' % (rel, task.get('name'), option, key))
    assert not problems, '\n'.join(problems)


def test_option_check_can_fail():
    """A wrong option name in an example is reported, not ignored."""
    module = next(iter(MODULE_OPTIONS))
    bad = yaml.safe_dump([{'name': 'typo', PREFIX + module: {'no_such_option_x': 1}}])
    with pytest.raises(AssertionError, match='no_such_option_x'):
        test_examples_use_documented_options('synthetic', bad)
