# -*- coding: utf-8 -*-
"""The portal mode of renew.yml loads without community.crypto: only the acme role's entry points use it, included (never imported) for a host in ACME mode.

ansible-playbook resolves every static task's module when it loads a playbook, so one community.crypto task
written straight into renew_acme.yml would stop every portal user's renew.yml who has not installed it.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.installed import installed_windows_collection

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def _syntax_check(tmp_path, playbook):
    # A collections path with hkpost.ecert and ansible.windows only, and nothing from the virtualenv.
    tree = tmp_path / 'ansible_collections'
    (tree / 'hkpost').mkdir(parents=True)
    (tree / 'ansible').mkdir()
    os.symlink(ROOT, tree / 'hkpost' / 'ecert')
    os.symlink(installed_windows_collection(), tree / 'ansible' / 'windows')
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='False',
               ANSIBLE_CONFIG=os.devnull + '.none', ANSIBLE_NOCOLOR='1')
    return subprocess.run([os.path.join(BIN, 'ansible-playbook'), '--syntax-check', '-i', 'localhost,', playbook],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120, check=False)


def test_renew_loads_without_community_crypto(tmp_path):
    proc = _syntax_check(tmp_path, os.path.join(ROOT, 'playbooks', 'renew.yml'))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_acme_tasks_do_need_it(tmp_path):
    # The control: loaded statically, the ACME tasks fail exactly as renew.yml would if they were not included.
    play = tmp_path / 'static.yml'
    play.write_text('- hosts: localhost\n  gather_facts: false\n  tasks:\n'
                    '    - ansible.builtin.import_tasks: %s\n' % os.path.join(ROOT, 'roles', 'acme', 'tasks', 'order.yml'))
    proc = _syntax_check(tmp_path, str(play))
    assert proc.returncode != 0 and 'community.crypto' in proc.stdout + proc.stderr, proc.stdout + proc.stderr
