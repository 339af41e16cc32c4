# -*- coding: utf-8 -*-
"""Run real ansible-playbook from this checkout and read its results through the json callback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def run_playbook(playbook, *args, extra_vars=None, check=False, inventory=None, env=None, timeout=600):
    """Return (returncode, parsed json callback output, stderr)."""
    cmd = [os.path.join(BIN, 'ansible-playbook'), str(playbook)]
    if inventory:
        cmd += ['-i', str(inventory)]
    if extra_vars:
        cmd += ['-e', json.dumps(extra_vars)]
    if check:
        cmd.append('--check')
    cmd += list(args)
    full_env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_STDOUT_CALLBACK='json',
                    ANSIBLE_NOCOLOR='1', PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    full_env.update(env or {})
    proc = subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout, check=False)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = {'raw_stdout': proc.stdout}
    return proc.returncode, data, proc.stderr


def task_results(data, task_name):
    """Every host's result dict for the task called ``task_name`` (all plays)."""
    found = {}
    for play in data.get('plays', []):
        for task in play['tasks']:
            if task['task']['name'] == task_name:
                found.update(task['hosts'])
    return found


def stats(data):
    return data.get('stats', {})
