# -*- coding: utf-8 -*-
"""Issue 22, "Secrets stay masked because a test says so": every place a secret is declared or passed on is held to
one rule, kept as data in tests/support/secret_rule.py (name patterns, description markers, exclusions with reasons).

* Module options: every option whose name or description marks it as a secret is ``no_log`` in the
  ``ARGUMENT_SPEC`` its action plugin validates with, and its DOCUMENTATION says "Never logged" (DOCUMENTATION
  has no ``no_log`` key: validate-modules refuses one). Suboptions too.
* Role variables: every secret option in ``roles/*/meta/argument_specs.yml`` is ``no_log: true`` there.
* Tasks: every template in roles/*/tasks, roles/*/defaults and playbooks/*.yml that reads a secret (a name the
  rule matches, a role variable whose items hold one, or a variable defined from either) does so where nothing
  prints it: in a task with ``no_log: true``; as the whole value of a module option that is ``no_log`` in that
  module's validated spec; in a condition (evaluated, never shown); or in a variable definition (the variable is
  then tainted and checked wherever it is read). A loop, a label, a task name, a message, debug or set_fact
  would show it at -v, and AWX keeps job events.
  Passing a secret to a no_log option needs no task-level no_log: the action plugins never echo their arguments
  (tests/integration/winrm/test_secrets_at_vvvv.py shows it at -vvvv), while ``no_log: true`` on such a task
  would hide every failure message of an install.

The run-time half - each secret-taking module failing at -vvvv, its output searched - is
tests/integration/winrm/test_secrets_at_vvvv.py.
"""

from __future__ import annotations

import glob
import os
import re

import pytest
import yaml

from tests.support.secret_rule import (MODULES, NOT_SECRET, ROLES, ROOT, SECRET_NAME, is_secret_name, is_secret_option,
                                       lookup, module_documentation, secret_module_options, text_of, validated_spec,
                                       walk_options)

# The secrets the rule must find (issue 22 names the first three): a rule edited into finding nothing fails here.
KNOWN_SECRET_OPTIONS = {('hkpost_retire', 'backup_password'), ('hkpost_pfx', 'password'), ('exchange_cert', 'password'),
                        ('hkpost_install', 'backup_password'), ('hkpost_retire', 'password'),
                        ('hkpost_dcv_token', 'verification_code'), ('hkpost_dcv_token', 'tsig_key_secret')}
KNOWN_SECRET_ROLE_OPTIONS = {('dcv', 'hkpost_dcv_tsig_key_secret'),
                             ('dcv', 'hkpost_dcv_certificates.verification_code'),
                             ('exchange', 'hkpost_exchange_password'), ('exchange', 'hkpost_exchange_backup_password'),
                             ('iis', 'hkpost_iis_backup_password')}
# Where a template may read a secret because its value is evaluated and never shown.
CONDITIONS = {'when', 'failed_when', 'changed_when', 'until', 'that'}


# -- module options -------------------------------------------------------------------------------

def module_problems(documentation, spec):
    """What is wrong with one module's secrets: the union of what its documentation and its spec call secret."""
    problems, found = [], set()
    for source in (documentation, spec):
        for path, name, option in walk_options(source):
            if is_secret_option(name, option) or is_secret_option(name, lookup(documentation, path)):
                found.add(path)
    for path in sorted(found):
        validated, documented = lookup(spec, path), lookup(documentation, path)
        if validated is None or not validated.get('no_log'):
            problems.append('%s is a secret but not no_log in the ARGUMENT_SPEC the action plugin validates' % path)
        if documented is None or not re.search(r'never logged', text_of(documented.get('description')), re.I):
            problems.append('%s is a secret but its documentation does not say "Never logged"' % path)
    return found, problems


@pytest.mark.parametrize('module', MODULES)
def test_every_secret_module_option_is_no_log_and_documented_so(module):
    _found, problems = module_problems(module_documentation(module), validated_spec(module))
    assert not problems, '%s:\n  %s' % (module, '\n  '.join(problems))


def test_the_rule_finds_the_known_module_secrets():
    found = secret_module_options()
    assert found == {(m, p) for m in MODULES for p in module_problems(module_documentation(m), validated_spec(m))[0]}
    assert KNOWN_SECRET_OPTIONS <= found, KNOWN_SECRET_OPTIONS - found


def test_the_module_check_can_fail():
    documentation = {'password': {'description': 'PFX password. Never logged.'},
                     'pin': {'description': 'The PIN.'}, 'code': {'description': 'Never logged.'},
                     'items': {'suboptions': {'eab_hmac_key': {'description': 'EAB key. Never logged.'}}},
                     'privatekey_path': {'description': 'Path.'}}
    spec = {'password': {'type': 'str'}, 'pin': {'type': 'str', 'no_log': True}, 'code': {'type': 'str'},
            'items': {'type': 'list', 'options': {'eab_hmac_key': {'type': 'str'}}},
            'privatekey_path': {'type': 'path'}}
    found, problems = module_problems(documentation, spec)
    assert found == {'password', 'pin', 'code', 'items.eab_hmac_key'}
    assert problems == [
        'code is a secret but not no_log in the ARGUMENT_SPEC the action plugin validates',
        'items.eab_hmac_key is a secret but not no_log in the ARGUMENT_SPEC the action plugin validates',
        'password is a secret but not no_log in the ARGUMENT_SPEC the action plugin validates',
        'pin is a secret but its documentation does not say "Never logged"']


# -- role variables -------------------------------------------------------------------------------

def role_options(role):
    with open(os.path.join(ROOT, 'roles', role, 'meta', 'argument_specs.yml'), encoding='utf-8') as f:
        specs = yaml.safe_load(f)['argument_specs']
    for entry in specs.values():
        yield from walk_options((entry or {}).get('options'))


def role_secrets(role):
    return {path for path, name, option in role_options(role) if is_secret_option(name, option)}


@pytest.mark.parametrize('role', ROLES)
def test_every_secret_role_variable_is_no_log(role):
    wrong = sorted(path for path, name, option in role_options(role)
                   if is_secret_option(name, option) and option.get('no_log') is not True)
    assert not wrong, 'roles/%s/meta/argument_specs.yml: secrets without no_log: true: %s' % (role, wrong)


def test_the_rule_finds_the_known_role_secrets():
    found = {(role, path) for role in ROLES for path in role_secrets(role)}
    assert KNOWN_SECRET_ROLE_OPTIONS <= found, KNOWN_SECRET_ROLE_OPTIONS - found


def secret_carriers():
    """Role variables whose items hold a secret (hkpost_dcv_certificates: each item's verification_code):
    reading the variable reads the secrets."""
    return {path.split('.')[0] for role in ROLES for path in role_secrets(role) if '.' in path}


# -- tasks: where secrets are read ----------------------------------------------------------------

_TEMPLATE = re.compile(r'\{\{.*?\}\}|\{%.*?%\}', re.S)
_WHOLE_TEMPLATE = re.compile(r'\s*\{\{(?:(?!\}\}).)*\}\}\s*', re.S)
_NAME = re.compile(r'[A-Za-z_]\w*')
_PLAY_TASK_LISTS = ('pre_tasks', 'tasks', 'post_tasks', 'handlers')
_BLOCK_LISTS = ('block', 'rescue', 'always')


def secrets_read(text, tainted, whole_expression=False):
    """The secret names a string reads: in its templates, or anywhere when the string is an expression."""
    parts = [text] if whole_expression else _TEMPLATE.findall(text)
    return sorted({n for part in parts for n in _NAME.findall(part) if is_secret_name(n) or n in tainted})


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (str(key),))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _module_of(task):
    """The module key of a task: its FQCN (the collection writes every action so; test_examples checks that)."""
    return next((k for k in task if isinstance(k, str) and '.' in k), None)


def _no_log_spec(module):
    if module and module.startswith('hkpost.ecert.'):
        try:
            return validated_spec(module.split('.')[-1])
        except ImportError:
            return {}
    return {}


def _allowed(path, text, no_log, module):
    if no_log:
        return True
    if path[0] in CONDITIONS or path[:2] == (module, 'that'):
        return True
    if len(path) == 2 and path[0] == 'vars':
        # Defining a variable shows nothing; the variable is tainted (tainted_names) and checked where it is read.
        return True
    if len(path) == 2 and path[0] == module and _WHOLE_TEMPLATE.fullmatch(text):
        return bool((_no_log_spec(module).get(path[1]) or {}).get('no_log'))
    return False


def _tasks(tasks, inherited_no_log=False):
    """(task, no_log in force) for every task, blocks opened."""
    for task in tasks or []:
        if not isinstance(task, dict):
            continue
        no_log = inherited_no_log or task.get('no_log') is True
        for key in _BLOCK_LISTS:
            yield from _tasks(task.get(key), no_log)
        yield {k: v for k, v in task.items() if k not in _BLOCK_LISTS}, no_log


def _play_tasks(plays):
    for play in plays or []:
        if not isinstance(play, dict) or 'import_playbook' in play:
            continue
        if 'hosts' not in play:  # a task file (playbooks/audit_tasks.yml)
            yield from _tasks([play])
            continue
        no_log = play.get('no_log') is True
        for key in _PLAY_TASK_LISTS:
            yield from _tasks(play.get(key), no_log)
        # Role parameters and play vars are variable definitions, like a task's vars.
        for role in play.get('roles') or []:
            if isinstance(role, dict):
                yield {'vars': {k: v for k, v in role.items() if k != 'role'}}, no_log
        yield {'vars': play.get('vars') or {}}, no_log


def task_problems(tasks, where, tainted):
    problems = []
    for task, no_log in tasks:
        module = _module_of(task)
        for path, text in _strings(task):
            # Bare expressions: conditions, and debug's var (which prints what it evaluates).
            expression = path[0] in CONDITIONS or path[:2] in ((module, 'that'), ('ansible.builtin.debug', 'var'))
            for name in secrets_read(text, tainted, whole_expression=expression):
                if not _allowed(path, text, no_log, module):
                    problems.append('%s, task %r: %s reads %s where it can be shown (no no_log: true on the task, '
                                    'and not the whole value of a no_log option)'
                                    % (where, task.get('name'), '.'.join(map(str, path)), name))
    return problems


def _load(path):
    with open(path, encoding='utf-8') as f:
        return yaml.safe_load(f)


TASK_FILES = sorted(glob.glob(os.path.join(ROOT, 'roles/*/tasks/*.yml'))
                    + glob.glob(os.path.join(ROOT, 'roles/*/handlers/*.yml')))
PLAYBOOKS = sorted(glob.glob(os.path.join(ROOT, 'playbooks/*.yml')))
TEMPLATES = sorted(glob.glob(os.path.join(ROOT, 'roles/*/templates/*'))
                   + glob.glob(os.path.join(ROOT, 'playbooks/templates/*')))
DEFAULTS = sorted(glob.glob(os.path.join(ROOT, 'roles/*/defaults/main.yml')))


def _all_tasks():
    for path in TASK_FILES:
        yield from _tasks(_load(path))
    for path in PLAYBOOKS:
        yield from _play_tasks(_load(path))
    for path in DEFAULTS:
        yield {'vars': _load(path) or {}}, False


def tainted_names(tasks, base):
    """``base`` and every variable defined (vars, role parameters, defaults) from one that is tainted, to a fixpoint:
    ``dcv_certificates: "{{ hkpost_dcv_certificates }}"`` carries the codes under another name."""
    definitions = [(name, value) for task, _no_log in tasks for name, value in (task.get('vars') or {}).items()]
    tainted = set(base)
    while True:
        more = {name for name, value in definitions if name not in tainted
                and any(secrets_read(text, tainted) for _path, text in _strings(value))}
        if not more:
            return tainted
        tainted |= more


def _rel(path):
    return os.path.relpath(path, ROOT)


@pytest.fixture(scope='module')
def tainted():
    return tainted_names(list(_all_tasks()), secret_carriers())


@pytest.mark.parametrize('path', TASK_FILES, ids=_rel)
def test_role_tasks_read_secrets_only_where_nothing_shows_them(path, tainted):
    problems = task_problems(_tasks(_load(path)), _rel(path), tainted)
    assert not problems, '\n'.join(problems)


@pytest.mark.parametrize('path', PLAYBOOKS, ids=_rel)
def test_playbooks_read_secrets_only_where_nothing_shows_them(path, tainted):
    problems = task_problems(_play_tasks(_load(path)), _rel(path), tainted)
    assert not problems, '\n'.join(problems)


@pytest.mark.parametrize('path', TEMPLATES, ids=_rel)
def test_templates_never_read_a_secret(path, tainted):
    """A template's output is a file or a message: a secret read there is written or printed."""
    with open(path, encoding='utf-8') as f:
        found = secrets_read(f.read(), tainted)
    assert not found, '%s reads %s' % (_rel(path), found)


def test_the_task_check_can_fail(monkeypatch):
    # The module specs of this example, not the collection's: the check is tested apart from the specs it reads.
    specs = {'hkpost_pfx': {'password': {'no_log': True}, 'friendly_name': {}},
             'hkpost_dcv_token': {'verification_code': {'no_log': True}}}
    monkeypatch.setitem(globals(), 'validated_spec', specs.__getitem__)
    tasks = [
        {'name': 'fine', 'hkpost.ecert.hkpost_pfx': {'password': '{{ hkpost_backup_password }}', 'thumbprint': 'x'},
         'when': 'hkpost_backup_password | length > 0'},
        {'name': 'partial', 'hkpost.ecert.hkpost_pfx': {'password': 'pre-{{ hkpost_backup_password }}'}},
        {'name': 'not no_log', 'hkpost.ecert.hkpost_pfx': {'friendly_name': '{{ hkpost_backup_password }}'}},
        {'name': 'shown', 'ansible.builtin.debug': {'msg': 'code {{ item.verification_code }}'}},
        {'name': 'loop', 'hkpost.ecert.hkpost_dcv_token': {'verification_code': '{{ item.verification_code }}'},
         'loop': '{{ hkpost_dcv_certificates }}'},
        {'name': 'hidden', 'no_log': True, 'ansible.builtin.set_fact': {'x': '{{ hkpost_dcv_tsig_key_secret }}'}},
        {'block': [{'name': 'in a block', 'ansible.builtin.set_fact': {'x': '{{ hkpost_exchange_password }}'}}],
         'rescue': [{'name': 'rescued', 'ansible.builtin.fail': {'msg': '{{ hkpost_exchange_password }}'}}]},
        {'name': 'renamed', 'ansible.builtin.include_role': {'name': 'hkpost.ecert.dcv'},
         'vars': {'certs': '{{ hkpost_dcv_certificates }}', 'again': '{{ certs }}'}},
        {'name': 'read renamed', 'ansible.builtin.debug': {'var': 'again', 'msg': '{{ again | length }}'}},
        {'name': 'a key name', 'ansible.builtin.debug': {'msg': '{{ hkpost_dcv_tsig_key_name }}'}},
    ]
    tainted = tainted_names(list(_tasks(tasks)), {'hkpost_dcv_certificates'})
    assert tainted == {'hkpost_dcv_certificates', 'certs', 'again'}
    problems = task_problems(_tasks(tasks), 'demo.yml', tainted)
    assert [p.split(': ')[0] for p in problems] == [
        "demo.yml, task 'partial'", "demo.yml, task 'not no_log'", "demo.yml, task 'shown'", "demo.yml, task 'loop'",
        "demo.yml, task 'in a block'", "demo.yml, task 'rescued'", "demo.yml, task 'read renamed'",
        "demo.yml, task 'read renamed'"]
    assert 'loop reads hkpost_dcv_certificates' in problems[3]
    assert 'debug.var reads again' in problems[6] and 'debug.msg reads again' in problems[7]


def test_every_exclusion_is_still_needed():
    """An exclusion stays only while something the rule would match uses that name."""
    names = set()
    for module in MODULES:
        names |= {n for _p, n, _o in walk_options(module_documentation(module))}
    for role in ROLES:
        names |= {p.split('.')[-1] for p, _n, _o in role_options(role)}
    stale = sorted(n for n in NOT_SECRET if n not in names or not SECRET_NAME.search(n))
    assert not stale, 'exclusions nothing needs: %s' % stale
