# -*- coding: utf-8 -*-
"""playbooks/migrate_intermediate.yml through real ansible-playbook, against simulated Windows hosts."""

import csv
import json
import os
import subprocess
import sys

import yaml

from tests.support.windows.chain import put, thumbprints
from tests.support.windows.host import FakeWindowsHost
from tests.support.simulated_fleet import ROOT, load_host, save_host


def fleet(pki, tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    hosts = {}
    fresh = FakeWindowsHost()
    old_only = FakeWindowsHost()
    put(old_only, 'CA', pki.ssl_old.cert)
    put(old_only, 'My', pki.leaves['under_old'].cert, key=pki.leaves['under_old'].key)
    right = FakeWindowsHost()
    put(right, 'CA', pki.ssl_new.cert)
    put(right, 'Root', pki.root.cert)
    broken = FakeWindowsHost()
    put(broken, 'CA', pki.ssl_old.cert)
    broken.state['chain_fail_at'] = ('remove_cert', 'CA')
    for name, host in (('win-fresh', fresh), ('win-old', old_only), ('win-right', right), ('win-broken', broken)):
        save_host(str(state), name, host)
        hosts[name] = {}
    (tmp_path / 'root.pem').write_text(pki.root.pem)
    (tmp_path / 'ssl.pem').write_text(pki.ssl_new.pem)
    inventory = {'windows': {'hosts': hosts, 'vars': {
        'ansible_connection': 'local', 'ansible_shell_type': 'powershell',
        'hkpost_chain_root_certificate_file': str(tmp_path / 'root.pem'),
        'hkpost_chain_ssl_intermediate_file': str(tmp_path / 'ssl.pem')}}}
    (tmp_path / 'inventory.yml').write_text(yaml.safe_dump(inventory))
    return state


def run(tmp_path, state, *args):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), PWD=str(tmp_path), ANSIBLE_NOCOLOR='1')
    return subprocess.run([sys.executable, '-m', 'tests.support.simulated_fleet', str(state),
                           os.path.join(ROOT, 'playbooks/migrate_intermediate.yml'),
                           '-i', str(tmp_path / 'inventory.yml'),
                           '-e', 'hkpost_chain_max_fail_percentage=50', '-e', 'hkpost_chain_serial=2',
                           *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def read_summary(tmp_path):
    rows = list(csv.DictReader(open(tmp_path / 'reports' / 'chain_migration.csv')))
    return {r['host']: r for r in rows}, json.load(open(tmp_path / 'reports' / 'chain_migration.json'))


def test_rolling_migration_and_fleet_summary(pki, tmp_path):
    state = fleet(pki, tmp_path)
    proc = run(tmp_path, state)
    assert proc.returncode == 2, proc.stdout + proc.stderr   # one host failed, as it should
    rows, data = read_summary(tmp_path)
    assert {h: r['status'] for h, r in rows.items()} == {
        'win-fresh': 'changed', 'win-old': 'changed', 'win-right': 'already right', 'win-broken': 'failed'}
    assert 'Access is denied' in rows['win-broken']['error']
    assert rows['win-old']['leaves_to_reissue'] == pki.leaves['under_old'].cert.subject.rfc4514_string()
    assert [r['host'] for r in data] == sorted(rows)
    assert 'hosts changed: 2, already right: 1, failed: 1, not run: 0, leaves to re-issue: 1' in proc.stdout
    old = load_host(str(state), 'win-old')
    assert thumbprints(old, 'CA') == [pki.ssl_new.thumbprint]
    broken = load_host(str(state), 'win-broken')
    assert sorted(thumbprints(broken, 'CA')) == sorted([pki.ssl_old.thumbprint, pki.ssl_new.thumbprint])

    # the fixed host and the rest: second run, nothing to do except the broken one's removal
    broken.state.pop('chain_fail_at')
    save_host(str(state), 'win-broken', broken)
    proc = run(tmp_path, state)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows, _data = read_summary(tmp_path)
    assert {h: r['status'] for h, r in rows.items()} == {
        'win-fresh': 'already right', 'win-old': 'already right', 'win-right': 'already right',
        'win-broken': 'changed'}
    proc = run(tmp_path, state)
    assert 'hosts changed: 0, already right: 4' in proc.stdout


def test_check_mode_changes_no_host(pki, tmp_path):
    state = fleet(pki, tmp_path)
    before = thumbprints(load_host(str(state), 'win-old'), 'CA')
    proc = run(tmp_path, state, '--check', '--diff')
    rows, _data = read_summary(tmp_path)
    assert rows['win-old']['status'] == 'changed'
    assert thumbprints(load_host(str(state), 'win-old'), 'CA') == before
    assert load_host(str(state), 'win-old').call_names() == ['chain_read']
    assert pki.ssl_old.thumbprint in proc.stdout   # the diff shows what would go
