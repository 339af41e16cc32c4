# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/docsite/rst/your_own_project.rst agrees with the pages that repeat it (issue 22), and its reader is strict.

The page itself is run by tests/acceptance/test_your_own_project.py; these checks are the fast part: its inventory
is windows_connection.rst's example (which the test fleets connect with), and README's and
using_the_collection.rst's install commands and ansible.cfg are the page's, so that the three cannot drift apart.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from tests.support import project_page
from tests.support.winrm.doc_inventory import code_block_after

ROOT = project_page.ROOT
RST = os.path.join(ROOT, 'docs', 'docsite', 'rst')
INVENTORY_MARKER = '.. hkpost-inventory-example: winrm'


def _read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def _commands(lines):
    """Shell commands of ``lines``: prompt and trailing comment removed, ``a && b`` as two commands."""
    found = []
    for line in lines:
        line = re.sub(r'^\$ ', '', line.strip())
        line = re.sub(r'\s+#\s.*$', '', line).strip()
        if line and not line.startswith('#'):
            found.extend(part.strip() for part in line.split(' && '))
    return found


def _page_commands():
    return set(_commands(c for s in project_page.steps() if s.kind == 'commands' for c in s.body))


def _files():
    return {s.name: s.body for s in project_page.steps() if s.kind == 'file'}


def test_both_pages_print_the_same_inventory():
    connection = code_block_after(_read(os.path.join(RST, 'windows_connection.rst')), INVENTORY_MARKER)
    project = code_block_after(_read(project_page.PAGE), INVENTORY_MARKER)
    assert project == connection
    assert _files()['inventory.yml'] == project, 'the project\'s inventory.yml is not the marked example'
    assert list(yaml.safe_load(project)) == ['ecert_servers']


def test_readme_installs_as_the_page_does():
    readme = _read(os.path.join(ROOT, 'README.md'))
    using_it = readme[readme.index('## Using it'):readme.index('Then, from your own project')]
    blocks = re.findall(r'```(\w+)\n(.*?)```', using_it, re.S)
    shell = _commands(line for language, body in blocks if language == 'sh' for line in body.splitlines())
    assert 'pip install -r requirements.txt' in shell and len(shell) >= 5, shell
    assert set(shell) <= _page_commands(), sorted(set(shell) - _page_commands())
    # the shell-independent part: ansible.cfg as the page writes it (comments aside)
    ini, = [body for language, body in blocks if language == 'ini']
    settings = [line for line in ini.splitlines() if line.strip() and not line.startswith('#')]
    page = _files()['ansible.cfg'].splitlines()
    assert settings == [line for line in page if line.strip() and not line.startswith('#')]
    assert 'your_own_project.rst' in using_it


def test_using_the_collection_installs_as_the_page_does():
    text = _read(os.path.join(RST, 'using_the_collection.rst'))
    install = text[text.index('Install\n-------'):text.index('One host group, one output directory')]
    shell = _commands(line for line in install.splitlines() if line.strip().startswith('$ '))
    assert 'ansible-galaxy collection install -p ./collections ~/hkpost-ecert-build/hkpost-ecert-0.1.0.tar.gz' in shell
    assert set(shell) <= _page_commands(), sorted(set(shell) - _page_commands())
    assert ':ref:`ansible_collections.hkpost.ecert.docsite.your_own_project`' in install


def test_the_page_names_the_tarball_it_builds():
    version = yaml.safe_load(_read(os.path.join(ROOT, 'galaxy.yml')))['version']
    assert 'hkpost-ecert-%s.tar.gz' % version in ' '.join(_page_commands())


def test_every_secret_of_the_page_is_in_the_vault():
    """The WinRM password and the PFX password are vault variables; the Exchange password too where shown."""
    files = _files()
    vault = yaml.safe_load(files['group_vars/ecert_servers/vault.yml'])
    assert set(vault) == {'vault_svc_ecert_password', 'hkpost_backup_password'}
    assert 'vault_svc_ecert_password' in files['inventory.yml']
    assert not any('password' in str(k) for k in yaml.safe_load(files['group_vars/ecert_servers/main.yml']))
    assert 'hkpost_exchange_password: "{{ vault_exchange_password }}"' in _read(project_page.PAGE)


def test_the_awx_wrapper_imports_the_collection_playbook():
    wrapper = yaml.safe_load(_files()['playbooks/renew.yml'])
    assert [play['ansible.builtin.import_playbook'] for play in wrapper] == ['hkpost.ecert.renew']


@pytest.mark.parametrize('page, message', [
    ('.. hkpost-project-file: a.yml\n\nSome words.\n\n.. code-block:: yaml\n\n   a: 1\n', 'between the marker'),
    ('.. hkpost-project-commands: x\n\n.. code-block:: console\n\n   $ true\n   output\n', 'lines only'),
    ('.. hkpost-project-commands: x\n\n.. code-block:: sh\n\n   $ true\n', 'a console block'),
    ('.. hkpost-project-file: a.yml\n\nno block at all\n', 'between the marker'),
    ('.. hkpost-project-file: a.yml\n', 'no code-block'),
])
def test_the_reader_refuses_a_loose_page(tmp_path, page, message):
    (tmp_path / 'page.rst').write_text(page)
    with pytest.raises(AssertionError, match=message):
        project_page.steps(str(tmp_path / 'page.rst'))


def test_the_reader_reads_files_and_commands_in_order(tmp_path):
    (tmp_path / 'page.rst').write_text(
        'Title\n=====\n\n.. hkpost-project-commands: first\n\n.. code-block:: console\n\n   $ echo one\n'
        '   $ echo two  # why\n\nText.\n\n.. hkpost-project-file: dir/a.yml\n\n.. code-block:: yaml\n\n'
        '   a:\n     b: 1\n\nAfter.\n')
    steps = project_page.steps(str(tmp_path / 'page.rst'))
    assert [(s.kind, s.name, s.body) for s in steps] == [
        ('commands', 'first', ['echo one', 'echo two  # why']), ('file', 'dir/a.yml', 'a:\n  b: 1\n')]
