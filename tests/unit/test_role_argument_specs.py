# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift check: every role's defaults/main.yml and meta/argument_specs.yml say the same thing.

Generic over roles/*: a new role is checked without touching this file. For each role:
every default is documented with the same value and a type matching the value; every documented
option with a default has it in defaults/main.yml; documented options without a default are
required; every variable starts with the role's prefix (``<role>_`` or ``hkpost_<role>_``, the
convention ansible-lint's var-naming[no-role-prefix] cannot express); and every prefixed variable
the role's tasks and templates read is documented (register / set_fact names excepted).

The collection-wide variables (the table "Variables of the whole collection" of using_the_collection.rst:
hkpost_output_dir, hkpost_platform, hkpost_certificates...) are set by the user for every playbook, not by a
role: an entry point that reads one documents it (so ``ansible-doc -t role`` shows what its playbook takes),
without the role's prefix and without a role default.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from tests.support import handoffs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES_DIR = os.path.join(ROOT, 'roles')
ROLES = sorted(name for name in os.listdir(ROLES_DIR) if os.path.isdir(os.path.join(ROLES_DIR, name)))

# Which Python values each argument_spec type accepts. A templated string ("{{ playbook_dir }}/csr")
# is a valid default for any type: Ansible renders it before validating.
_TYPES = {
    'str': (str,), 'path': (str,), 'bool': (bool,), 'int': (int,), 'float': (int, float),
    'list': (list,), 'dict': (dict,), 'raw': (object,), 'jsonarg': (str, dict, list),
    'bytes': (str, int), 'bits': (str, int),
}


def _load(role, *parts):
    path = os.path.join(ROLES_DIR, role, *parts)
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle) or {}


def _options(role):
    """{name: spec} over every entry point (main, and any other the role declares)."""
    specs = (_load(role, 'meta', 'argument_specs.yml') or {}).get('argument_specs') or {}
    merged = {}
    for entry in specs.values():
        for name, spec in ((entry or {}).get('options') or {}).items():
            merged.setdefault(name, spec or {})
    return merged


def _prefixes(role):
    return ('%s_' % role, 'hkpost_%s_' % role)


def _role_texts(role):
    for sub in ('tasks', 'handlers', 'templates', 'vars'):
        folder = os.path.join(ROLES_DIR, role, sub)
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                with open(os.path.join(dirpath, name), encoding='utf-8') as handle:
                    yield handle.read()


def _defined_in_role(role):
    """Names the role's tasks create (register, set_fact, loop_var): results, not inputs."""
    names = set()
    for text in _role_texts(role):
        names.update(re.findall(r'^\s*(?:register|loop_var):\s*([A-Za-z_]\w*)', text, re.M))
        for indent, block in re.findall(r'^( *)(?:\S*set_fact|vars):\s*\n((?:\1 +\S.*\n?)+)', text, re.M):
            names.update(re.findall(r'^%s  ([A-Za-z_]\w*):' % indent, block, re.M))
    return names


# Set by the user for the whole collection; an entry point documents those it reads (issue 21).
GLOBALS = handoffs.documented_globals()


def _created_by_any_role():
    """Results another role registers for the play (hkpost_install_result, by the iis and exchange roles)."""
    names = set()
    for role in ROLES:
        names |= _defined_in_role(role)
    return names


def test_roles_found():
    assert ROLES, 'no roles under %s' % ROLES_DIR


@pytest.mark.parametrize('role', ROLES)
def test_role_has_defaults_and_specs(role):
    assert _load(role, 'meta', 'argument_specs.yml') is not None, \
        'roles/%s has no meta/argument_specs.yml: document every variable there' % role
    assert _load(role, 'defaults', 'main.yml') is not None, 'roles/%s has no defaults/main.yml' % role


@pytest.mark.parametrize('role', ROLES)
def test_every_default_documented_with_same_value_and_type(role):
    defaults = _load(role, 'defaults', 'main.yml') or {}
    options = _options(role)
    problems = []
    for name, value in defaults.items():
        spec = options.get(name)
        if spec is None:
            problems.append('%s is in defaults/main.yml but not in meta/argument_specs.yml' % name)
            continue
        if 'type' not in spec:
            problems.append('%s has no type in meta/argument_specs.yml' % name)
        elif spec['type'] not in _TYPES:
            problems.append('%s has unknown type %r' % (name, spec['type']))
        elif not (isinstance(value, str) and '{{' in value):
            accepted = _TYPES[spec['type']]
            if not isinstance(value, accepted) or (spec['type'] in ('int', 'float') and isinstance(value, bool)):
                problems.append('%s: default %r is not a %s' % (name, value, spec['type']))
        if 'default' not in spec:
            problems.append('%s: defaults/main.yml has %r but meta/argument_specs.yml states no default'
                            % (name, value))
        elif spec['default'] != value:
            problems.append('%s: defaults/main.yml has %r, meta/argument_specs.yml says %r'
                            % (name, value, spec['default']))
        if spec.get('elements') and isinstance(value, list) and spec['elements'] in _TYPES:
            wrong = [item for item in value if not isinstance(item, _TYPES[spec['elements']])]
            if wrong:
                problems.append('%s: items %r are not %s' % (name, wrong, spec['elements']))
    assert not problems, 'roles/%s drift:\n  %s' % (role, '\n  '.join(problems))


@pytest.mark.parametrize('role', ROLES)
def test_every_documented_option_has_default_or_is_required(role):
    defaults = _load(role, 'defaults', 'main.yml') or {}
    problems = []
    for name, spec in _options(role).items():
        if 'type' not in spec:
            problems.append('%s has no type' % name)
        if name in defaults or name in GLOBALS:
            continue
        if 'default' in spec:
            problems.append('%s: meta/argument_specs.yml says default %r, defaults/main.yml does not set it'
                            % (name, spec['default']))
        elif not spec.get('required'):
            problems.append('%s is documented but neither required nor set in defaults/main.yml' % name)
    assert not problems, 'roles/%s drift:\n  %s' % (role, '\n  '.join(problems))


@pytest.mark.parametrize('role', ROLES)
def test_variables_carry_the_role_prefix(role):
    names = set(_load(role, 'defaults', 'main.yml') or {}) | set(_options(role))
    wrong = sorted(name for name in names if not name.startswith(_prefixes(role)) and name not in GLOBALS)
    assert not wrong, 'roles/%s: variables without the %s or %s prefix: %s' % ((role,) + _prefixes(role) + (wrong,))


@pytest.mark.parametrize('role', ROLES)
def test_no_undocumented_variable_is_read(role):
    documented = set(_options(role)) | set(_load(role, 'defaults', 'main.yml') or {})
    created = _defined_in_role(role) | _created_by_any_role()
    # not after a dot: hkpost.ecert.iis_binding is a module, not a variable
    # and not a mapping key: csr_path: is a module option, {'acme_directory': ...} a key of a Jinja dictionary
    pattern = re.compile(r'(?<![.\w])((?:hkpost_)?%s_\w+)(?!\w|[\'"]?\s*:(?!:))' % re.escape(role))
    read = set()
    for text in _role_texts(role):
        read.update(pattern.findall(text))
    undocumented = sorted(read - documented - created)
    assert not undocumented, ('roles/%s reads variables that meta/argument_specs.yml does not document: %s'
                              % (role, undocumented))


def test_the_check_catches_drift(tmp_path, monkeypatch):
    """The checks above must be able to fail: a role with a changed default and an extra variable."""
    role = tmp_path / 'roles' / 'demo'
    (role / 'defaults').mkdir(parents=True)
    (role / 'meta').mkdir()
    (role / 'tasks').mkdir()
    (role / 'defaults' / 'main.yml').write_text('demo_port: 443\ndemo_extra: x\n')
    (role / 'meta' / 'argument_specs.yml').write_text(
        'argument_specs:\n  main:\n    options:\n      demo_port:\n        type: int\n        default: 80\n')
    (role / 'tasks' / 'main.yml').write_text('- ansible.builtin.debug:\n    msg: "{{ demo_hidden }}"\n')
    monkeypatch.setitem(globals(), 'ROLES_DIR', str(tmp_path / 'roles'))
    with pytest.raises(AssertionError, match="demo_port: defaults/main.yml has 443"):
        test_every_default_documented_with_same_value_and_type('demo')
    with pytest.raises(AssertionError, match='demo_extra is in defaults/main.yml but not'):
        test_every_default_documented_with_same_value_and_type('demo')
    with pytest.raises(AssertionError, match='demo_hidden'):
        test_no_undocumented_variable_is_read('demo')
