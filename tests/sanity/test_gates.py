# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The quality gates, run by `make test`: ansible-test sanity (no ignore file) and ansible-lint (production).

Both run through hack/sanity.sh, the same command a developer runs by hand; see that script for how
ansible-test is run without containers. The first sanity run builds ansible-test's per-test
virtualenvs under .cache/ (about two minutes); later runs reuse them (under a minute).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
SCRIPT = os.path.join(ROOT, 'hack', 'sanity.sh')


def _run(what):
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.run(['bash', SCRIPT, what], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1800, check=False)
    # The findings are at the end of the output; keep the assertion message readable.
    lines = [line for line in (proc.stdout + proc.stderr).splitlines()
             if line.startswith(('ERROR', 'FATAL')) or ': ' in line and '[' in line]
    return proc.returncode, '\n'.join(lines[-200:]) or (proc.stdout + proc.stderr)[-8000:]


def test_ansible_test_sanity_passes_without_ignore_file():
    assert not [name for name in os.listdir(os.path.join(ROOT, 'tests', 'sanity')) if name.startswith('ignore')], \
        'tests/sanity/ignore-*.txt must not exist: fix sanity findings instead of ignoring them'
    assert shutil.which('ansible-test', path=BIN), 'ansible-test not in %s (pip install -r tests/requirements.txt)' % BIN
    code, findings = _run('sanity')
    assert code == 0, 'ansible-test sanity failed (reproduce with hack/sanity.sh sanity):\n' + findings


def test_ansible_lint_production_profile_passes():
    assert shutil.which('ansible-lint', path=BIN), 'ansible-lint not in %s (pip install -r tests/requirements.txt)' % BIN
    code, findings = _run('lint')
    assert code == 0, 'ansible-lint --profile production failed (reproduce with hack/sanity.sh lint):\n' + findings
