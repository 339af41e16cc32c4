# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Molecule scenarios under extensions/molecule, run as a developer would: `cd extensions && molecule test -s NAME`.

default: csr and dcv roles converged on localhost against a real nginx, with the idempotence step
(about 20 seconds). winrm: the Windows roles through a renewal (request phase, the lab PKI as the portal, install
phase, each converged twice) from the built tarball, over WinRM to the loopback fleet (about 90 seconds).
windows: the same plays on a lab host (MOLECULE_WINDOWS_*); without one it must skip cleanly.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
LAB_VARIABLES = ('MOLECULE_WINDOWS_HOST', 'MOLECULE_WINDOWS_USER', 'MOLECULE_WINDOWS_PASSWORD', 'MOLECULE_WINDOWS_TRANSPORT')


def molecule(scenario, env=None):
    full_env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get('PATH', ''), NO_COLOR='1', ANSIBLE_NOCOLOR='1')
    full_env.pop('ANSIBLE_CONFIG', None)  # molecule sets its own configuration for the scenario
    full_env.update(env or {})
    molecule_bin = os.path.join(BIN, 'molecule')
    if not os.path.exists(molecule_bin):
        pytest.fail('molecule not installed in %s (pip install -r tests/requirements.txt)' % BIN)
    proc = subprocess.run([molecule_bin, 'test', '-s', scenario], cwd=os.path.join(ROOT, 'extensions'), env=full_env,
                          capture_output=True, text=True, timeout=900, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_default_scenario_converges_idempotently():
    code, output = molecule('default')
    assert code == 0, output[-6000:]
    # Each step ran, the idempotence step included (a second converge with changed=0).
    for step in ('converge', 'idempotence', 'verify'):
        assert '%s > %s: Executed: Successful' % ('default', step) in output or \
            '[default > %s] Executed: Successful' % step in output, (step, output[-4000:])


def test_winrm_scenario_renews_over_winrm_idempotently():
    code, output = molecule('winrm')
    assert code == 0, output[-8000:]
    steps = re.findall(r'\[winrm > (\w+)\] Executed: Successful', output)
    # a converge and its idempotence for each phase, the portal between them, then verify
    assert [s for s in steps if s in ('converge', 'idempotence', 'side_effect', 'verify')] == [
        'converge', 'idempotence', 'side_effect', 'converge', 'idempotence', 'verify'], steps
    recaps = re.findall(r'^web1\s+: ok=\d+\s+changed=(\d+)', output, re.M)
    # prepare, converge, idempotence, converge, idempotence, verify: each phase changes the host, its rerun nothing
    assert len(recaps) == 6, output[-8000:]
    assert int(recaps[1]) > 0 and recaps[2] == '0' and int(recaps[3]) > 0 and recaps[4] == '0', recaps
    # the install phase did complete, bind and back up (the iis role's one hkpost_install task), then retire
    for task in ('Complete, bind, check, back up and retire', 'Retire what the new certificate replaced'):
        assert re.search(r'TASK \[[^]]*%s[^]]*\][^\n]*\nchanged: \[web1\]' % task, output), task


def test_windows_scenario_skips_cleanly_without_a_lab():
    code, output = molecule('windows', env={name: '' for name in LAB_VARIABLES})
    assert code == 0, output[-6000:]
    assert 'SKIPPED: the windows scenario needs a Windows lab host' in output
    assert 'skipping: no hosts matched' in output


@pytest.mark.skipif(not os.environ.get('MOLECULE_WINDOWS_HOST'),
                    reason='no Windows lab: set MOLECULE_WINDOWS_HOST, _USER, _PASSWORD, _TRANSPORT '
                           '(docs/docsite/rst/quality_gates.rst)')
def test_windows_scenario_against_the_lab():
    code, output = molecule('windows')
    assert code == 0, output[-6000:]
    assert 'SKIPPED' not in output
