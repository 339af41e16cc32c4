# -*- coding: utf-8 -*-
"""The migration over WinRM under the oldest ansible-core meta/runtime.yml allows and the newest this Python installs.

Each version runs in its own virtualenv (.venv-matrix/, built on first use from PyPI); the test
skips only when PyPI cannot be reached. The endpoint also proves which module packaging each
version sent: 2.16-2.18 (exec wrapper + \\0\\0\\0\\0 + JSON) or 2.19+ (bootstrap JSON + manifest).
"""

from __future__ import annotations

import csv
import os

import pytest
import yaml

from tests.support.winrm.fleet import ROOT, recap, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host
from tests.support.windows.chain import put, thumbprints
from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm import matrix


def _floor():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml'), encoding='utf-8') as f:
        floor = yaml.safe_load(f)['requires_ansible'].lstrip('>=').strip()
    return '.'.join(floor.split('.')[:2])


FLOOR = _floor()
VERSIONS = [
    pytest.param('ansible-core-%s' % FLOOR, 'ansible-core==%s.*' % FLOOR, None, id='floor-%s' % FLOOR),
    pytest.param('ansible-core-newest', 'ansible-core', matrix.WEEK, id='newest'),
]


@pytest.mark.parametrize('name, spec, upgrade_after', VERSIONS)
def test_migration_over_winrm(pki, tmp_path, name, spec, upgrade_after):
    try:
        bin_dir = matrix.ensure_venv(name, spec, upgrade_after)
    except matrix.RegistryUnreachable as e:
        pytest.skip('PyPI is unreachable, cannot build the %s virtualenv: %s' % (spec, e))
    version = matrix.core_version(bin_dir)
    if upgrade_after is None:
        assert version.startswith(FLOOR + '.'), version
    state = tmp_path / 'hosts'
    state.mkdir()
    old = FakeWindowsHost()
    put(old, 'CA', pki.ssl_old.cert)
    right = FakeWindowsHost()
    put(right, 'CA', pki.ssl_new.cert)
    put(right, 'Root', pki.root.cert)
    save_host(str(state), 'win-old', old)
    save_host(str(state), 'win-right', right)
    (tmp_path / 'root.pem').write_text(pki.root.pem)
    (tmp_path / 'ssl.pem').write_text(pki.ssl_new.pem)
    inventory = {'ecert_servers': {'hosts': {'win-old': {}, 'win-right': {}}, 'vars': {
        'hkpost_chain_root_certificate_file': str(tmp_path / 'root.pem'),
        'hkpost_chain_ssl_intermediate_file': str(tmp_path / 'ssl.pem')}}}
    playbook = os.path.join(ROOT, 'playbooks', 'migrate_intermediate.yml')
    layout = '2.16-2.18' if tuple(int(p) for p in version.split('.')[:2]) < (2, 19) else '2.19+'

    for run, transport, scheme in ((0, 'ntlm', 'http'), (1, 'basic', 'https')):
        proc, report = run_over_winrm(state, tmp_path / ('winrm-%d' % run), inventory, playbook, scheme=scheme,
                                      transport=transport, bin_dir=bin_dir, cwd=tmp_path, timeout=600)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0, out[-4000:]
        assert {h: s['layouts'] for h, s in report['stats'].items()} == {
            'win-old': {layout: 2 - run}, 'win-right': {layout: 1}}, (version, report['stats'])
        rows = {r['host']: r['status'] for r in csv.DictReader(open(tmp_path / 'hkpost-output' / 'reports' / 'chain_migration.csv'))}
        if run == 0:
            assert rows == {'win-old': 'changed', 'win-right': 'already right'}
            assert recap(out, 'win-old')['changed'] >= 1
        else:
            assert rows == {'win-old': 'already right', 'win-right': 'already right'}
    assert thumbprints(load_host(str(state), 'win-old'), 'CA') == [pki.ssl_new.thumbprint]
