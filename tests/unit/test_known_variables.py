# -*- coding: utf-8 -*-
"""Every hkpost_* variable a playbook reads from the user is one hkpost_run_check knows (issue 22).

hkpost_run_check warns about a host variable nothing reads; it learns the names from the roles'
argument_specs and the two tables of using_the_collection.rst. A playbook reading a name that is in neither
would have its users warned about a variable that works: this test makes the tables follow the playbooks.
"""

from __future__ import annotations

import os

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils._known_variables import known_variables
from tests.support import handoffs

PLAYBOOKS = [p for p in handoffs.playbook_files() if not os.path.basename(p).startswith('demo')]


def _reads_from_user(path):
    walker = handoffs.Walker()
    walker.walk_playbook(path)
    files = sorted(walker.playbook_files | walker.task_files)
    defined, read = set(), set()
    for name in files:
        tree = handoffs.load_yaml(name)
        defined |= handoffs.defined_names(tree)
        read |= handoffs.read_names(tree)
    return {n for n in read - defined if n.startswith('hkpost_')}


@pytest.mark.parametrize('path', PLAYBOOKS, ids=[handoffs.rel(p) for p in PLAYBOOKS])
def test_every_variable_a_playbook_reads_is_known(path):
    created = set()
    for role in os.listdir(os.path.join(handoffs.ROOT, 'roles')):
        created |= handoffs.role_creates(role)
    unknown = sorted(_reads_from_user(path) - known_variables() - created)
    assert not unknown, ('%s reads %s, which hkpost_run_check would report as unknown: add each to the table '
                         '"Variables of one playbook" in using_the_collection.rst (or to its role\'s '
                         'argument_specs)' % (handoffs.rel(path), unknown))


def test_a_name_missing_from_the_tables_fails(tmp_path):
    playbook = tmp_path / 'p.yml'
    playbook.write_text('- hosts: all\n  tasks:\n    - debug: {msg: "{{ hkpost_not_in_any_table | default(1) }}"}\n')
    assert _reads_from_user(str(playbook)) - known_variables() == {'hkpost_not_in_any_table'}
