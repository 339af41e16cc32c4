# -*- coding: utf-8 -*-
"""Virtualenvs of other ansible-core versions for the WinRM version matrix, cached in .venv-matrix/.

Each holds ansible-core at one version plus the controller requirements (requirements.txt);
ansible.windows still comes from the main .venv (fleet.run_playbook adds it to the collection path).
A venv is built once and reused; the "newest" one is upgraded when its stamp is a week old.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

from tests.support.winrm.fleet import ROOT

CACHE = os.path.join(ROOT, '.venv-matrix')
_OFFLINE = re.compile(r'(Could not find a version that satisfies|No matching distribution|Failed to establish a new '
                      r'connection|Temporary failure in name resolution|Network is unreachable|ConnectionError|'
                      r'Max retries exceeded)', re.I)
WEEK = 7 * 24 * 3600


class RegistryUnreachable(Exception):
    """PyPI could not be reached: the matrix cannot be built here."""


def ensure_venv(name, core_spec, upgrade_after=None):
    """Return the bin dir of ``.venv-matrix/NAME`` with ``core_spec`` installed (building it if needed)."""
    path = os.path.join(CACHE, name)
    stamp = os.path.join(path, '.hkpost-matrix.json')
    requirements = os.path.join(ROOT, 'requirements.txt')
    wanted = {'spec': core_spec, 'requirements': open(requirements, encoding='utf-8').read()}
    if os.path.exists(stamp):
        with open(stamp, encoding='utf-8') as f:
            have = json.load(f)
        fresh = upgrade_after is None or time.time() - have.get('built', 0) < upgrade_after
        if have.get('spec') == wanted['spec'] and have.get('requirements') == wanted['requirements'] and fresh:
            return os.path.join(path, 'bin')
    if not os.path.exists(os.path.join(path, 'bin', 'python')):
        subprocess.run([sys.executable, '-m', 'venv', path], check=True, capture_output=True)
    proc = subprocess.run([os.path.join(path, 'bin', 'python'), '-m', 'pip', 'install', '--quiet',
                           '--disable-pip-version-check', '--upgrade', '-r', requirements, core_spec],
                          capture_output=True, text=True, timeout=1200, check=False)
    if proc.returncode != 0:
        if _OFFLINE.search(proc.stderr + proc.stdout):
            raise RegistryUnreachable(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'pip failed')
        raise RuntimeError('pip install %s into %s failed:\n%s' % (core_spec, path, proc.stderr[-3000:]))
    with open(stamp, 'w', encoding='utf-8') as f:
        json.dump(dict(wanted, built=time.time()), f)
    return os.path.join(path, 'bin')


def core_version(bin_dir):
    out = subprocess.run([os.path.join(bin_dir, 'python'), '-c',
                          'from ansible.release import __version__; print(__version__)'],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()
