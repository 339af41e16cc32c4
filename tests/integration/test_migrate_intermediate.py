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
    inventory = {'ecert_servers': {'hosts': hosts, 'vars': {
        'ansible_connection': 'local', 'ansible_shell_type': 'powershell',
        'hkpost_chain_root_certificate_file': str(tmp_path / 'root.pem'),
        'hkpost_chain_ssl_intermediate_file': str(tmp_path / 'ssl.pem')}}}
    (tmp_path / 'inventory.yml').write_text(yaml.safe_dump(inventory))
    return state


def run(tmp_path, state, *args, serial=2, max_fail=50):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1')
    return subprocess.run([sys.executable, '-m', 'tests.support.simulated_fleet', str(state),
                           os.path.join(ROOT, 'playbooks/migrate_intermediate.yml'),
                           '-i', str(tmp_path / 'inventory.yml'), '-e', 'hkpost_output_dir=%s' % (tmp_path / 'out'),
                           '-e', 'hkpost_chain_max_fail_percentage=%d' % max_fail, '-e', 'hkpost_chain_serial=%d' % serial,
                           *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def read_summary(tmp_path):
    reports = tmp_path / 'out' / 'reports'
    rows = list(csv.DictReader(open(reports / 'chain_migration.csv')))
    return {r['host']: r for r in rows}, json.load(open(reports / 'chain_migration.json'))


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
    assert 'hosts changed: 2, already right: 1, failed: 1, unreachable: 0, not run: 0, leaves to re-issue: 1' in proc.stdout
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


def test_summary_after_a_stopped_rollout_shows_what_the_failed_host_applied(pki, tmp_path):
    """One host per batch, no failure allowed: the broken host stops the rollout; the summary is still written
    (ansible-core skips later plays) and says which of its steps the broken host applied before failing."""
    state = fleet(pki, tmp_path)
    proc = run(tmp_path, state, serial=1, max_fail=0)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    rows, _data = read_summary(tmp_path)
    statuses = {h: r['status'] for h, r in rows.items()}
    assert statuses['win-broken'] == 'failed'
    broken = rows['win-broken']
    planned = int(broken['planned_steps'])
    applied = [s for s in broken['applied_steps'].split(' | ') if s]
    assert 0 < len(applied) < planned, broken            # part of the plan went in before the failure
    host = load_host(str(state), 'win-broken')
    for step in applied:                                  # and what the summary says went in, did
        op, thumbprint, store = step.split()
        assert (thumbprint in thumbprints(host, store)) == (op.startswith('add')), step
    # every host after the broken one was never touched, and the summary says so
    order = list(yaml.safe_load((tmp_path / 'inventory.yml').read_text())['ecert_servers']['hosts'])
    after = order[order.index('win-broken') + 1:]
    for name in after:
        assert statuses[name] == 'not run' and 'not reached' in rows[name]['error']
        assert load_host(str(state), name).call_names() == []


def test_summary_when_every_host_is_unreachable(pki, tmp_path):
    state = fleet(pki, tmp_path)
    for name in ('win-fresh', 'win-old', 'win-right', 'win-broken'):
        host = load_host(str(state), name)
        host.state['unreachable'] = True
        save_host(str(state), name, host)
    proc = run(tmp_path, state)   # batches of 2: the first batch is all unreachable, the rollout stops there
    assert proc.returncode != 0
    rows, _data = read_summary(tmp_path)
    order = list(yaml.safe_load((tmp_path / 'inventory.yml').read_text())['ecert_servers']['hosts'])
    assert {h: r['status'] for h, r in rows.items()} == {
        order[0]: 'unreachable', order[1]: 'unreachable', order[2]: 'not run', order[3]: 'not run'}
    assert all('timed out' in rows[h]['error'] for h in order[:2])
    assert 'unreachable: 2, not run: 2' in proc.stdout
