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
from tests.support.winrm.fleet import ROOT, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

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
    inventory = {'ecert_servers': {'hosts': hosts, 'vars': {
        'hkpost_chain_root_certificate_file': str(tmp_path / 'root.pem'),
        'hkpost_chain_ssl_intermediate_file': str(tmp_path / 'ssl.pem')}}}
    return state, inventory


def run(tmp_path, fleet_, *args, scheme='https', transport='ntlm', serial=2, max_fail=50, every_host_reached=True):
    state, inventory = fleet_
    proc, report = run_over_winrm(state, tmp_path / ('winrm-%d' % next(_RUNS)), inventory,
                                  os.path.join(ROOT, 'playbooks/migrate_intermediate.yml'),
                                  '-e', 'hkpost_output_dir=%s' % (tmp_path / 'out'),
                                  '-e', 'hkpost_chain_max_fail_percentage=%d' % max_fail,
                                  '-e', 'hkpost_chain_serial=%d' % serial, *args,
                                  scheme=scheme, transport=transport, cwd=tmp_path, timeout=300)
    executions = {name: h['executions'] for name, h in report['stats'].items()}
    if every_host_reached:
        # every host was reached over WinRM: one module execution per chain_read/chain_apply, nothing else
        assert set(executions) == set(inventory['ecert_servers']['hosts']), executions
    assert all(set(e) <= {'ansible.windows.win_powershell'} for e in executions.values()), executions
    return proc


def read_summary(tmp_path, name='chain_migration'):
    reports = tmp_path / 'out' / 'reports'
    rows = list(csv.DictReader(open(reports / (name + '.csv'))))
    return {r['host']: r for r in rows}, json.load(open(reports / (name + '.json')))


def flat(output):
    """The output with its line wrapping undone: the table is printed as a list of lines, which the yaml
    result format of this repository's ansible.cfg folds at 80 columns."""
    return ' '.join(output.split())


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
    assert 'hosts changed: 2, already right: 1, failed: 1, unreachable: 0, not run: 0, leaves to re-issue: 1' in flat(proc.stdout)
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
    assert 'hosts changed: 0, already right: 4' in flat(proc.stdout)


def test_check_mode_changes_no_host(pki, tmp_path):
    fleet_ = fleet(pki, tmp_path)
    state = fleet_[0]
    before = thumbprints(load_host(str(state), 'win-old'), 'CA')
    proc = run(tmp_path, fleet_, '--check', '--diff', scheme='http', transport='ntlm')
    rows, _data = read_summary(tmp_path, 'chain_migration.check')
    assert rows['win-old']['status'] == 'would migrate'   # a prediction, worded as one
    assert thumbprints(load_host(str(state), 'win-old'), 'CA') == before
    assert load_host(str(state), 'win-old').call_names() == ['chain_read']
    assert pki.ssl_old.thumbprint in proc.stdout   # the diff shows what would go
    # one batch of every host in a dry run: win-broken's failure is in its write, which a dry run does not make
    assert 'dry run, nothing was changed - hosts that would migrate: 3, already right: 1' in flat(proc.stdout)
    assert not (tmp_path / 'out' / 'reports' / 'chain_migration.csv').exists()   # no record of a migration


def test_a_dry_run_or_a_limited_run_leaves_the_reports_of_the_real_run(pki, tmp_path):
    """Issue 22: --check writes chain_migration.check.*, never over the real reports; --limit rewrites the rows
    of its hosts only."""
    fleet_ = fleet(pki, tmp_path)
    run(tmp_path, fleet_)
    reports = tmp_path / 'out' / 'reports'
    real = {name: (reports / name).read_text() for name in ('chain_migration.csv', 'chain_migration.json')}
    run(tmp_path, fleet_, '--check', every_host_reached=False)
    assert {name: (reports / name).read_text() for name in real} == real
    assert (reports / 'chain_migration.check.csv').exists()

    run(tmp_path, fleet_, '--limit', 'win-fresh', every_host_reached=False)
    rows, data = read_summary(tmp_path)
    assert {h: r['status'] for h, r in rows.items()} == {
        'win-fresh': 'already right', 'win-old': 'changed', 'win-right': 'already right', 'win-broken': 'failed'}
    assert [r['host'] for r in data] == sorted(rows)


def test_summary_after_a_stopped_rollout_shows_what_the_failed_host_applied(pki, tmp_path):
    """One host per batch, no failure allowed: the broken host stops the rollout; the summary is still written
    (ansible-core skips later plays) and says which of its steps the broken host applied before failing."""
    fleet_ = fleet(pki, tmp_path)
    state = fleet_[0]
    proc = run(tmp_path, fleet_, serial=1, max_fail=0, every_host_reached=False)
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
    order = sorted(fleet_[1]['ecert_servers']['hosts'])  # the order the written inventory (yaml.safe_dump) gives ansible
    after = order[order.index('win-broken') + 1:]
    for name in after:
        assert statuses[name] == 'not run' and 'not reached' in rows[name]['error']
        assert load_host(str(state), name).call_names() == []


def test_summary_when_every_host_is_unreachable(pki, tmp_path):
    fleet_ = fleet(pki, tmp_path)
    state = fleet_[0]
    for name in ('win-fresh', 'win-old', 'win-right', 'win-broken'):
        host = load_host(str(state), name)
        host.state['unreachable'] = True
        save_host(str(state), name, host)
    proc = run(tmp_path, fleet_, every_host_reached=False)   # batches of 2: the first batch is all unreachable, the rollout stops there
    assert proc.returncode != 0
    rows, _data = read_summary(tmp_path)
    order = sorted(fleet_[1]['ecert_servers']['hosts'])  # the order the written inventory (yaml.safe_dump) gives ansible
    assert {h: r['status'] for h, r in rows.items()} == {
        order[0]: 'unreachable', order[1]: 'unreachable', order[2]: 'not run', order[3]: 'not run'}
    assert all('refused' in rows[h]['error'].lower() for h in order[:2]), rows  # nothing listens, as the endpoint simulates
    assert 'unreachable: 2, not run: 2' in flat(proc.stdout)


def test_a_host_error_is_printed_by_the_task_that_failed_only(pki, tmp_path):
    """Issue 22: the chain role's rescue fails the host again (so it counts), in short - the error itself is
    printed once, by the task that failed (ansible-core shows it as [ERROR] and as the result), and in the table."""
    fleet_ = fleet(pki, tmp_path)
    proc = run(tmp_path, fleet_)
    output = proc.stdout + proc.stderr
    assert output.count('Access is denied') == 2, output[-6000:]
    assert 'win-broken: the chain step failed; its error is above and in the summary.' in flat(output)
    rows, _data = read_summary(tmp_path)
    assert 'Access is denied' in rows['win-broken']['error']   # the summary keeps the words


def test_a_dry_run_reports_every_reachable_host_when_one_password_is_wrong(pki, tmp_path):
    """Issue 22: one batch of one host at a time, no failure allowed - a real rollout stops at the host whose password
    is wrong; a dry run goes on and reports every other host."""
    state, inventory = fleet(pki, tmp_path)
    proc, _report = run_over_winrm(state, tmp_path / 'winrm-password', inventory,
                                   os.path.join(ROOT, 'playbooks/migrate_intermediate.yml'), '--check',
                                   '-e', 'hkpost_output_dir=%s' % (tmp_path / 'out'),
                                   '-e', 'hkpost_chain_max_fail_percentage=0', '-e', 'hkpost_chain_serial=1',
                                   passwords={'win-broken': 'Not-The-Password-1'}, cwd=tmp_path, timeout=300)
    assert proc.returncode != 0   # the host that refused the password fails the run
    rows, _data = read_summary(tmp_path, 'chain_migration.check')
    assert {h: r['status'] for h, r in rows.items()} == {
        'win-broken': 'unreachable', 'win-fresh': 'would migrate', 'win-old': 'would migrate',
        'win-right': 'already right'}
