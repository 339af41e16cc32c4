# -*- coding: utf-8 -*-
"""No role or playbook decides Windows from an inventory variable (issue 20).

The csr role took ``ansible_shell_type | default('sh')``: an inventory written as the docs show it sets only
``ansible_connection: winrm``, so every Windows host went down the POSIX path. Windows is decided from the
connection - in the action plugins from the connection's shell family, and in roles from what such a plugin
answered (``hkpost_csr`` ``platform``). This reads every expression of the collection's YAML (conditions and
templates) and refuses one that reads a variable standing for the platform.
"""

from __future__ import annotations

import glob
import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
YAML = [p for pattern in ('roles/**/*.yml', 'playbooks/**/*.yml', 'extensions/molecule/**/*.yml')
        for p in glob.glob(os.path.join(ROOT, pattern), recursive=True)]
# Variables that stand for the platform: the shell and connection an inventory may or may not set, and facts
# that a play with gather_facts: false (every play here) does not have.
PLATFORM_VARIABLE = re.compile(r'\b(ansible_shell_type|ansible_connection|ansible_os_family|ansible_system|'
                               r'ansible_distribution|ansible_facts\b.{0,3}(os_family|system|distribution))\b')
CONDITIONS = ('when', 'that', 'failed_when', 'changed_when', 'until', 'loop', 'with_items')


def expressions(node, key=None):
    """Every templated string and condition in a YAML document, as (key, text)."""
    if isinstance(node, dict):
        for k, value in node.items():
            yield from expressions(value, k)
    elif isinstance(node, list):
        for item in node:
            yield from expressions(item, key)
    elif isinstance(node, str) and ('{{' in node or '{%' in node or key in CONDITIONS):
        yield key, node


def platform_reads(path):
    with open(path, encoding='utf-8') as handle:
        documents = list(yaml.safe_load_all(handle))
    return [(key, text) for document in documents for key, text in expressions(document)
            if PLATFORM_VARIABLE.search(text)]


def test_the_yaml_is_found():
    assert os.path.join(ROOT, 'roles', 'csr', 'tasks', 'main.yml') in YAML and len(YAML) > 20


def test_no_role_or_playbook_decides_the_platform_from_a_variable():
    found = {os.path.relpath(path, ROOT): reads for path in YAML for reads in [platform_reads(path)] if reads}
    assert not found, ('decided from an inventory variable instead of the connection (use the platform an '
                       'hkpost action plugin returns, e.g. hkpost_csr list_pending: true): %s' % found)


def test_the_check_sees_the_old_csr_role():
    old = "- name: x\n  ansible.builtin.file:\n    path: /k\n  when:\n    - ansible_shell_type | default('sh') not in ['powershell', 'cmd']\n"
    assert [key for document in [yaml.safe_load(old)] for key, text in expressions(document)
            if PLATFORM_VARIABLE.search(text)] == ['when']
