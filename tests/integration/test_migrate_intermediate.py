# -*- coding: utf-8 -*-
"""playbooks/migrate_intermediate.yml through real ansible-playbook over WinRM, against simulated Windows hosts.

Every run goes through the loopback WinRM endpoint (tests.support.winrm): pywinrm, NTLM or basic,
https or http, Ansible's PowerShell packaging and result parsing are all real.
"""

import csv
import itertools
import json
import os

import pytest

from tests.support.windows.chain import put, thumbprints
from tests.support.windows.host import FakeWindowsHost
from tests.support.simulated_fleet import ROOT, load_host, save_host
from tests.support.winrm.fleet import run_over_winrm

_RUNS = itertools.count()


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
        'hkpost_chain_root_certificate_file': str(tmp_path / 'root.pem'),
        'hkpost_chain_ssl_intermediate_file': str(tmp_path / 'ssl.pem')}}}
    return state, inventory


def run(tmp_path, fleet_, *args, scheme='https', transport='ntlm'):
    state, inventory = fleet_
    proc, report = run_over_winrm(state, tmp_path / ('winrm-%d' % next(_RUNS)), inventory,
                                  os.path.join(ROOT, 'playbooks/migrate_intermediate.yml'),
                                  '-e', 'hkpost_chain_max_fail_percentage=50', '-e', 'hkpost_chain_serial=2', *args,
                                  scheme=scheme, transport=transport, cwd=tmp_path, timeout=300)
    # every host was reached over WinRM: one module execution per chain_read/chain_apply, nothing else
    executions = {name: h['executions'] for name, h in report['stats'].items()}
    assert set(executions) == set(inventory['windows']['hosts']), executions
    assert all(set(e) == {'ansible.windows.win_powershell'} for e in executions.values()), executions
    return proc


def read_summary(tmp_path):
    rows = list(csv.DictReader(open(tmp_path / 'reports' / 'chain_migration.csv')))
    return {r['host']: r for r in rows}, json.load(open(tmp_path / 'reports' / 'chain_migration.json'))


@pytest.mark.parametrize('scheme,transport', [('https', 'ntlm'), ('http', 'basic')])
def test_rolling_migration_and_fleet_summary(pki, tmp_path, scheme, transport):
    fleet_ = fleet(pki, tmp_path)
    state = fleet_[0]
    proc = run(tmp_path, fleet_, scheme=scheme, transport=transport)
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
    proc = run(tmp_path, fleet_, scheme=scheme, transport=transport)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows, _data = read_summary(tmp_path)
    assert {h: r['status'] for h, r in rows.items()} == {
        'win-fresh': 'already right', 'win-old': 'already right', 'win-right': 'already right',
        'win-broken': 'changed'}
    proc = run(tmp_path, fleet_, scheme=scheme, transport=transport)
    assert 'hosts changed: 0, already right: 4' in proc.stdout


def test_check_mode_changes_no_host(pki, tmp_path):
    fleet_ = fleet(pki, tmp_path)
    state = fleet_[0]
    before = thumbprints(load_host(str(state), 'win-old'), 'CA')
    proc = run(tmp_path, fleet_, '--check', '--diff', scheme='http', transport='ntlm')
    rows, _data = read_summary(tmp_path)
    assert rows['win-old']['status'] == 'changed'
    assert thumbprints(load_host(str(state), 'win-old'), 'CA') == before
    assert load_host(str(state), 'win-old').call_names() == ['chain_read']
    assert pki.ssl_old.thumbprint in proc.stdout   # the diff shows what would go
