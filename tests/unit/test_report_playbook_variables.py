# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report and maintenance playbooks are thin plays of role entry points that document what they read (issue 21).

For audit, certificate_inventory, migrate_intermediate, backup, restore, demo and demo_audit: every ``hkpost_*``
variable the playbook reads from the user - in the playbook or in the role entry points it calls - is an option of
an ``argument_specs`` entry point of a role the playbook calls, so ``ansible-doc -t role`` shows it and Ansible
validates it. Also fine: the collection-wide variables (using_the_collection.rst, "Variables of the whole
collection"), what the roles create (register, set_fact), and the settings of another role of the collection that a
called entry point names in its description (the certificate inventory reads Exchange through the exchange role's
remoting settings). run_check.yml and notify_tasks.yml belong to the lifecycle playbooks' own check
(tests/unit/test_known_variables.py) and are not followed here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.support import handoffs

PLAYBOOKS = ['audit.yml', 'certificate_inventory.yml', 'migrate_intermediate.yml', 'backup.yml', 'restore.yml',
             'demo.yml', 'demo_audit.yml']
NOT_FOLLOWED = {'run_check.yml', 'notify_tasks.yml'}
# A variable each playbook reads from the user, which `ansible-doc -t role` must list for the role it names.
DOCUMENTED_BY = {
    'audit.yml': ('audit', 'hkpost_audit_fail_on'),
    'certificate_inventory.yml': ('inventory', 'hkpost_inventory_audit_file'),
    'migrate_intermediate.yml': ('chain', 'hkpost_chain_serial'),
    'backup.yml': ('backup', 'hkpost_backup_pending'),
    'restore.yml': ('restore', 'hkpost_restore_files'),
    'demo.yml': ('demo', 'hkpost_demo_shipped'),
    'demo_audit.yml': ('demo', 'hkpost_demo_lab_dir'),
}


def _entry_points(role, roles_dir):
    path = os.path.join(roles_dir, role, 'meta', 'argument_specs.yml')
    if not os.path.exists(path):
        return {}
    return (handoffs.load_yaml(path) or {}).get('argument_specs') or {}


class _Walk:
    """The files a playbook runs - itself, the tasks files it includes, the role entry points it calls and theirs."""

    def __init__(self, roles_dir):
        self.roles_dir = roles_dir
        self.files = []
        self.entries = []  # (role, entry point) called, nested calls included

    def playbook(self, path):
        self.files.append(path)
        for play in handoffs.load_yaml(path) or []:
            if any(key in play for key in handoffs.PLAYBOOK_ACTIONS):
                continue  # an imported playbook is checked as a playbook of its own
            for section in handoffs.PLAY_SECTIONS:
                self.tasks(play.get(section) or [], os.path.dirname(path))

    def tasks(self, tasks, folder):
        for task in tasks:
            if not isinstance(task, dict):
                continue
            if any(key in task for key in handoffs.BLOCK_SECTIONS):
                for section in handoffs.BLOCK_SECTIONS:
                    self.tasks(task.get(section) or [], folder)
                continue
            action, args = handoffs._action(task)  # pylint: disable=protected-access
            if action in handoffs.ROLE_ACTIONS:
                self.role(handoffs.local_role(args.get('name') or args.get('role', '')), args.get('tasks_from', 'main'))
            elif action in handoffs.TASKS_ACTIONS:
                target = args.get('file') or args.get('_raw_params')
                if target and '{{' not in target and os.path.basename(target) not in NOT_FOLLOWED:
                    self.tasks_file(os.path.normpath(os.path.join(folder, target)))

    def tasks_file(self, path):
        if path in self.files or not os.path.exists(path):
            return
        self.files.append(path)
        self.tasks(handoffs.load_yaml(path) or [], os.path.dirname(path))

    def role(self, role, entry):
        if role is None or (role, entry) in self.entries:
            return
        self.entries.append((role, entry))
        self.tasks_file(os.path.join(self.roles_dir, role, 'tasks', entry + '.yml'))


def undeclared(path, roles_dir=None):
    """hkpost_* names the playbook reads from the user that no called entry point declares, and the entries."""
    roles_dir = roles_dir or os.path.join(handoffs.ROOT, 'roles')
    walk = _Walk(roles_dir)
    walk.playbook(path)
    read, defined = set(), set()
    for name in walk.files:
        tree = handoffs.load_yaml(name)
        read |= handoffs.read_names(tree)
        defined |= handoffs.defined_names(tree)
    allowed = handoffs.documented_globals() | defined
    for role, entry in walk.entries:
        allowed |= handoffs.role_creates(role, roles_dir)
        spec = _entry_points(role, roles_dir).get(entry) or {}
        allowed |= set(spec.get('options') or {})
        # The defaults of the entry point's options are read too ("{{ hkpost_output_dir }}/reports").
        defaults_path = os.path.join(roles_dir, role, 'defaults', 'main.yml')
        defaults = handoffs.load_yaml(defaults_path) or {} if os.path.exists(defaults_path) else {}
        read |= handoffs.read_names([defaults[n] for n in spec.get('options') or {} if n in defaults])
        # Settings of another role the entry point says it uses (its description names hkpost.ecert.<role>).
        text = ' '.join(spec.get('description') or []) if isinstance(spec.get('description'), list) \
            else str(spec.get('description') or '')
        for other in os.listdir(roles_dir):
            if 'hkpost.ecert.%s ' % other in text + ' ' or 'hkpost.ecert.%s)' % other in text:
                for other_spec in _entry_points(other, roles_dir).values():
                    allowed |= set((other_spec or {}).get('options') or {})
    return sorted(n for n in read if n.startswith('hkpost_') and n not in allowed), walk.entries


@pytest.mark.parametrize('name', PLAYBOOKS)
def test_every_variable_the_playbook_reads_is_an_entry_point_option(name):
    missing, entries = undeclared(os.path.join(handoffs.ROOT, 'playbooks', name))
    assert entries, 'playbooks/%s calls no role entry point of this collection' % name
    assert not missing, ('playbooks/%s reads %s, which no argument_specs entry point it calls (%s) declares: add each '
                         'as an option, so that ansible-doc -t role shows it and Ansible validates it'
                         % (name, missing, ', '.join('%s/%s' % e for e in entries)))


@pytest.mark.parametrize('name', PLAYBOOKS)
def test_the_playbook_header_names_its_role(name):
    role, _variable = DOCUMENTED_BY[name]
    with open(os.path.join(handoffs.ROOT, 'playbooks', name), encoding='utf-8') as handle:
        header = ''.join(line for line in handle if line.startswith('#'))
    assert 'hkpost.ecert.%s' % role in header, 'playbooks/%s: the header does not name hkpost.ecert.%s' % (name, role)


def test_a_playbook_reading_an_undeclared_variable_fails(tmp_path):
    """Plant the defect: the role declares hkpost_demo_a; the playbook also reads hkpost_demo_b."""
    role = tmp_path / 'roles' / 'demo'
    (role / 'meta').mkdir(parents=True)
    (role / 'tasks').mkdir()
    (role / 'meta' / 'argument_specs.yml').write_text(
        'argument_specs:\n  run:\n    options:\n      hkpost_demo_a:\n        type: str\n')
    (role / 'tasks' / 'run.yml').write_text('- ansible.builtin.debug:\n    msg: "{{ hkpost_demo_a }}"\n'
                                            '  register: hkpost_demo_out\n')
    playbook = tmp_path / 'play.yml'
    playbook.write_text('- hosts: localhost\n  tasks:\n'
                        '    - ansible.builtin.include_role: {name: hkpost.ecert.demo, tasks_from: run}\n'
                        '    - ansible.builtin.debug: {msg: "{{ hkpost_demo_out }} {{ hkpost_output_dir }}"}\n'
                        '      when: hkpost_demo_b | bool\n')
    roles_dir = str(tmp_path / 'roles')
    assert undeclared(str(playbook), roles_dir) == (['hkpost_demo_b'], [('demo', 'run')])
    # a main entry point that does not declare what its tasks read is caught the same way
    (role / 'tasks' / 'run.yml').write_text('- ansible.builtin.debug:\n    msg: "{{ hkpost_demo_c }}"\n')
    assert undeclared(str(playbook), roles_dir)[0] == ['hkpost_demo_b', 'hkpost_demo_c', 'hkpost_demo_out']


def _ansible_doc(role):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(handoffs.ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_COLLECTIONS_PATH=os.path.join(handoffs.ROOT, 'collections'), PAGER='cat')
    return subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-doc'), '-t', 'role',
                           'hkpost.ecert.%s' % role], cwd=handoffs.ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize('role', sorted({role for role, _variable in DOCUMENTED_BY.values()}))
def test_ansible_doc_renders_the_role_and_lists_what_its_playbooks_read(role):
    proc = _ansible_doc(role)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r'ROLE: \W?hkpost\.ecert\.%s\b' % role, proc.stdout), proc.stdout[:500]
    for _name, (documented_by, variable) in DOCUMENTED_BY.items():
        if documented_by == role:
            assert variable in proc.stdout, '%s not listed by ansible-doc -t role hkpost.ecert.%s' % (variable, role)
