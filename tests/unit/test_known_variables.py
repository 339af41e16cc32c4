# -*- coding: utf-8 -*-
"""Every hkpost_* variable a playbook reads from the user is an option of a role entry point it calls (issues 21, 22).

A playbook is a thin sequence of role entry points; what it takes is documented in those roles'
meta/argument_specs.yml, where ``ansible-doc -t role`` shows it and Ansible validates it. So for each playbook:
the hkpost_* names read by the playbook, the task files it includes and the role entry points it reaches (the
ones it calls, and the ones those call) - less what they define and what the roles set for the play - must be
options of those entry points. hkpost_run_check learns the same names (plugin_utils/_known_variables.py), so a
variable that works is never reported as misspelt.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils._known_variables import known_variables
from tests.support import handoffs

PLAYBOOKS = [p for p in handoffs.playbook_files()
             if not os.path.basename(p).startswith('demo') and handoffs.rel(p).startswith('playbooks/')]
BIN = os.path.dirname(sys.executable)


def reach(path, root=handoffs.ROOT):
    """(files read, {(role, entry point)}) of a playbook: its own files, and every entry point it reaches."""
    walker = handoffs.Walker()
    walker.walk_playbook(path)
    entries, done = set(), 0
    while done < len(walker.role_handoffs):
        handoff = walker.role_handoffs[done]
        done += 1
        role = handoff.role.split('.')[-1] if handoff.role.startswith(handoffs.COLLECTION + '.') else handoff.role
        tasks = os.path.join(root, 'roles', role, 'tasks', handoff.entry + '.yml')
        if (role, handoff.entry) in entries or not os.path.exists(tasks):
            continue
        entries.add((role, handoff.entry))
        walker.task_files.add(tasks)
        walker.walk_tasks_file(tasks)
    return sorted(walker.playbook_files | walker.task_files), entries


def _entry_points(role, root):
    path = os.path.join(root, 'roles', role, 'meta', 'argument_specs.yml')
    return ((handoffs.load_yaml(path) or {}).get('argument_specs') or {}) if os.path.exists(path) else {}


def referred_roles(entries, root=handoffs.ROOT):
    """Roles an entry point's description sends the reader to (``hkpost.ecert.exchange``: the inventory reads
    Exchange with the exchange role's remoting settings, which ``ansible-doc -t role hkpost.ecert.exchange``
    documents)."""
    roles, referred = os.listdir(os.path.join(root, 'roles')), set()
    for role, entry in entries:
        description = (_entry_points(role, root).get(entry) or {}).get('description') or ''
        text = ' '.join(description) if isinstance(description, list) else str(description)
        referred |= {other for other in roles
                     if other != role and re.search(r'\bhkpost\.ecert\.%s\b(?![._\w])' % re.escape(other), text)}
    return referred


def entry_options(entries, root=handoffs.ROOT):
    """The options of the entry points, and those of every entry point of a role they refer to."""
    options = set()
    for role, entry in entries:
        options.update((_entry_points(role, root).get(entry) or {}).get('options') or {})
    for other in referred_roles(entries, root):
        for other_spec in _entry_points(other, root).values():
            options.update((other_spec or {}).get('options') or {})
    return options


def reads_from_user(files, root=handoffs.ROOT):
    defined, read = set(), set()
    for name in files:
        tree = handoffs.load_yaml(name)
        defined |= handoffs.defined_names(tree)
        read |= handoffs.read_names(tree)
    created = set()
    for role in os.listdir(os.path.join(root, 'roles')):
        created |= handoffs.role_creates(role, os.path.join(root, 'roles'))
    return {n for n in read - defined - created if n.startswith('hkpost_')}


def unoptioned(path, root=handoffs.ROOT):
    files, entries = reach(path, root)
    return sorted(reads_from_user(files, root) - entry_options(entries, root)), entries


@pytest.mark.parametrize('path', PLAYBOOKS, ids=[handoffs.rel(p) for p in PLAYBOOKS])
def test_every_variable_a_playbook_reads_is_an_option_of_an_entry_point_it_calls(path):
    missing, entries = unoptioned(path)
    assert not missing, (
        '%s reads %s, which no role entry point it calls (%s) has as an option: add each to the '
        'meta/argument_specs.yml of the entry point that reads it (ansible-doc -t role shows it, Ansible validates it)'
        % (handoffs.rel(path), missing, ', '.join('%s:%s' % e for e in sorted(entries)) or 'none'))


def test_every_entry_point_option_is_known_to_run_check():
    every = set()
    for role in os.listdir(os.path.join(handoffs.ROOT, 'roles')):
        every |= handoffs.role_declares(role)
    assert every <= known_variables()
    assert {'hkpost_renew_list_file', 'hkpost_install_serial', 'hkpost_run_check_certificates',
            'hkpost_notify_email'} <= known_variables()


def test_a_variable_no_entry_point_documents_fails(tmp_path):
    """The rule can fail: a playbook reading a name its role's entry point does not have as an option."""
    role = tmp_path / 'roles' / 'demo'
    (role / 'tasks').mkdir(parents=True)
    (role / 'meta').mkdir()
    (role / 'tasks' / 'go.yml').write_text(
        '- ansible.builtin.debug:\n    msg: "{{ hkpost_demo_documented }} {{ hkpost_demo_forgotten }}"\n')
    (role / 'meta' / 'argument_specs.yml').write_text(
        'argument_specs:\n  go:\n    options:\n      hkpost_demo_documented: {type: str, required: true}\n')
    (tmp_path / 'playbooks').mkdir()
    playbook = tmp_path / 'playbooks' / 'p.yml'
    playbook.write_text('- hosts: all\n  tasks:\n    - ansible.builtin.include_role:\n        name: hkpost.ecert.demo\n'
                        '        tasks_from: go\n')
    missing, entries = unoptioned(str(playbook), root=str(tmp_path))
    assert entries == {('demo', 'go')}
    assert missing == ['hkpost_demo_forgotten']


def test_the_walk_reaches_the_entry_points_of_renew():
    _files, entries = reach(os.path.join(handoffs.ROOT, 'playbooks', 'renew.yml'))
    assert {('renew', 'request'), ('renew', 'request_report'), ('renew', 'install'), ('renew', 'install_report'),
            ('run_check', 'main'), ('csr', 'main'), ('iis', 'main'), ('exchange', 'main'), ('dcv', 'main'),
            ('notify', 'main'), ('acme', 'account'), ('acme', 'order'), ('acme', 'report')} <= entries


@functools.lru_cache(maxsize=None)
def _ansible_doc_role(role):
    # the checkout's collections path (collections/ansible_collections/hkpost/ecert links to the checkout)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(handoffs.ROOT, 'collections'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_CONFIG=os.path.join(handoffs.ROOT, 'ansible.cfg'))
    proc = subprocess.run([os.path.join(BIN, 'ansible-doc'), '-t', 'role', '--json', 'hkpost.ecert.%s' % role],
                          cwd=handoffs.ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)['hkpost.ecert.%s' % role]


@pytest.mark.parametrize('role, entry, variable', [
    ('renew', 'request', 'hkpost_renew_list_file'),
    ('renew', 'install', 'hkpost_renew_retire'),
    ('renew', 'csr', 'hkpost_output_dir'),
    ('install', 'main', 'hkpost_install_serial'),
    ('run_check', 'main', 'hkpost_hosts'),
    ('notify', 'main', 'hkpost_notify_webhook'),
    ('acme', 'account', 'hkpost_acme_eab_hmac'),
    ('acme', 'order', 'hkpost_acme_challenge'),
])
def test_ansible_doc_renders_the_role_and_lists_what_the_playbook_reads(role, entry, variable):
    doc = _ansible_doc_role(role)
    entry_doc = doc['entry_points'][entry]
    assert entry_doc['short_description']
    assert variable in entry_doc['options'], sorted(entry_doc['options'])
    assert entry_doc['options'][variable]['description']


@pytest.mark.parametrize('path', PLAYBOOKS, ids=[handoffs.rel(p) for p in PLAYBOOKS])
def test_ansible_doc_shows_every_variable_the_playbook_reads(path):
    """What a user reads in ``ansible-doc -t role`` for the entry points a playbook calls covers all it reads."""
    files, entries = reach(path)
    shown = set()
    for role, entry in entries:
        shown.update((_ansible_doc_role(role).get('entry_points', {}).get(entry) or {}).get('options') or {})
    for other in referred_roles(entries):
        for entry_doc in _ansible_doc_role(other).get('entry_points', {}).values():
            shown.update((entry_doc or {}).get('options') or {})
    missing = sorted(reads_from_user(files) - shown)
    assert not missing, '%s reads %s, which ansible-doc -t role does not show' % (handoffs.rel(path), missing)
