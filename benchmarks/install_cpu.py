#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Benchmark: controller CPU per host of renew.yml --tags install, this checkout against an older one, same load.

    git worktree add /tmp/hkpost-before bd88e3b && ln -s "$PWD/.venv" /tmp/hkpost-before/.venv
    .venv/bin/python benchmarks/install_cpu.py /tmp/hkpost-before [rounds]

CPU time on a shared machine moves with the load (the same commit measured 2.07 s per host on a quiet machine and
3.3 s at load 7), so a figure recorded months ago is no baseline. This runs both checkouts' own
benchmarks/renewal.py set-up (its two IIS hosts only - the one with 1 certificate and the one with 3; the
Exchange host came later) round after round, alternating, and prints each round's CPU per host: ansible-playbook
starting and parsing the playbook (``--tags nonesuch``: nothing runs), the first install, the rerun, and the
install beyond the start. Issue 21's target: the install's CPU halved. Prints only; asserts nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Run inside each checkout's own interpreter path, so each measures its own playbooks, roles and plugins.
ROUND = r'''
import os, sys, tempfile
ROOT = sys.argv[1]
sys.path.insert(0, os.path.join(ROOT, 'benchmarks'))
sys.path.insert(0, ROOT)
import renewal as R
from tests.support.winrm.fleet import run_over_winrm
R.HOSTS.pop('mail', None)
PLAYBOOK = os.path.join(ROOT, 'playbooks', 'renew.yml')
def phase(tmp, state, inventory, tag):
    proc, _ = run_over_winrm(state, os.path.join(tmp, 'w%d' % next(R.RUNS)), inventory, PLAYBOOK, '--tags', tag, cwd=tmp)
    if proc.returncode:
        raise SystemExit(proc.stdout[-2000:])
    return proc.cpu_s / len(R.HOSTS)
pki = R.build_pki()
with tempfile.TemporaryDirectory() as tmp:
    state, inventory = R.setup(tmp, pki)
    start = phase(tmp, state, inventory, 'nonesuch')
    phase(tmp, state, inventory, 'request')
    R.portal(pki, tmp)
    first = phase(tmp, state, inventory, 'install')
    rerun = phase(tmp, state, inventory, 'install')
    print('%.2f %.2f %.2f %.2f' % (start, first, rerun, first - start))
'''


def measure(root):
    python = os.path.join(root, '.venv', 'bin', 'python')
    out = subprocess.run([python, '-c', ROUND, root], cwd=root, capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()[-4:]]


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    before = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    print('Controller CPU per host (s), renew.yml --tags install, two IIS hosts (1 and 3 certificates)')
    print('  %-36s %8s %8s %8s %14s' % ('checkout', 'start', 'install', 'rerun', 'install-start'))
    for _round in range(rounds):
        for label, root in (('this (%s)' % os.path.basename(HERE), HERE), ('before (%s)' % before, before)):
            print('  %-36s %8.2f %8.2f %8.2f %14.2f' % ((label[:36],) + tuple(measure(root))))
    print('load average now: %.1f %.1f %.1f' % os.getloadavg())


if __name__ == '__main__':
    main()
