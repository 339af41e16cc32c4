# -*- coding: utf-8 -*-
"""What the request phase costs a host with 3 certificates, counted on the simulated host (issue 12).

Real ansible-playbook runs request.yml (the csr role) and renew.yml --tags request over WinRM (tests.support.winrm);
every payload a host runs is one win_powershell module execution (one WinRM round-trip set), recorded by the fake
host. Target: a rerun
on a host that is already right costs at most 2 executions per phase - the csr role reads the host's pending
requests once, not once per certificate.
"""

from __future__ import annotations

import itertools
import os

from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm.fleet import ROOT, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

PASSWORD = 'Round-Trips-7c41-secret'
NAMES = ('a.example.hk', 'b.example.hk', 'c.example.hk')


def fleet(tmp_path, names=NAMES):
    state = tmp_path / 'hosts'
    state.mkdir()
    save_host(str(state), 'web3', FakeWindowsHost(os_build=20348))
    inventory = {'all': {
        'vars': {'hkpost_csr_organization': 'Example Ltd', 'hkpost_output_dir': str(tmp_path / 'out'),
                 'hkpost_backup_password': PASSWORD},
        'children': {'ecert_servers': {
            'vars': {'hkpost_platform': 'iis'},
            'hosts': {'web3': {'hkpost_certificates': [{'common_name': n} for n in names]}}}}}}
    return state, inventory


RUNS = itertools.count()


def playbook_run(state, inventory, playbook, *args):
    """ansible-playbook over the loopback WinRM endpoint, started outside the checkout: (returncode, output)."""
    work = state.parent / ('winrm-%d' % next(RUNS))
    proc, _report = run_over_winrm(state, work, inventory, os.path.join(ROOT, 'playbooks', playbook), *args,
                                   cwd=state.parent, timeout=600)
    return proc.returncode, proc.stdout + proc.stderr


def run(state, inventory, playbook, *args):
    """The payloads web3 ran during one ansible-playbook run, and the run's output."""
    before = len(load_host(str(state), 'web3').calls)
    rc, out = playbook_run(state, inventory, playbook, *args)
    assert rc == 0, out[-3000:]
    return load_host(str(state), 'web3').call_names()[before:], out


def recap(out):
    return next(line for line in out.splitlines() if line.startswith('web3 ') and 'ok=' in line)


def test_request_yml_reads_the_pending_requests_once_first_run_and_rerun(tmp_path):
    state, inventory = fleet(tmp_path)
    calls, out = run(state, inventory, 'request.yml', '--check', '--diff')
    assert calls == ['csr_pending_read'], out[-3000:]
    assert load_host(str(state), 'web3').stores['REQUEST'] == []

    calls, out = run(state, inventory, 'request.yml')
    # one read, then one execution that makes the three requests (issue 21: 2 whatever the number of certificates)
    assert calls == ['csr_pending_read', 'csr_create_many'], out[-3000:]
    host = load_host(str(state), 'web3')
    assert len(host.stores['REQUEST']) == 3
    assert sorted(p.name for p in (tmp_path / 'out' / 'csr' / 'web3').iterdir()) == [n + '.csr' for n in NAMES]

    for check in (['--check', '--diff'], []):
        calls, out = run(state, inventory, 'request.yml', *check)
        assert calls == ['csr_pending_read'] and len(calls) <= 2, out[-3000:]
        assert 'changed=0' in recap(out), recap(out)
    thumbprints = [e['thumbprint'] for e in host.stores['REQUEST']]
    assert [e['thumbprint'] for e in load_host(str(state), 'web3').stores['REQUEST']] == thumbprints


def test_renew_request_phase_rerun_costs_at_most_two_executions(tmp_path):
    state, inventory = fleet(tmp_path)
    first, out = run(state, inventory, 'renew.yml', '--tags', 'request')
    assert first[:2] == ['csr_pending_read', 'csr_create_many'] and first.count('csr_pending_read') == 1, first
    rerun, out = run(state, inventory, 'renew.yml', '--tags', 'request')
    assert len(rerun) <= 2, rerun
    assert rerun == ['csr_pending_read'], rerun   # the pending keys' backups exist: nothing to export again
    assert 'changed=0' in recap(out), recap(out)
    assert len(load_host(str(state), 'web3').stores['REQUEST']) == 3


def test_backup_of_pending_keys_finds_them_with_one_read(tmp_path):
    state, inventory = fleet(tmp_path)
    run(state, inventory, 'request.yml')
    calls, out = run(state, inventory, 'backup.yml', '-e', 'hkpost_backup_pending=true')
    assert calls.count('csr_pending_read') == 1, calls
    assert len(list((tmp_path / 'out' / 'backup' / 'web3').glob('*.pfx'))) == 3, out[-3000:]


def test_a_certificate_listed_twice_is_refused_before_the_host_is_contacted(tmp_path):
    # One listing is read before any request is made: a repeated entry would otherwise get a second key.
    state, inventory = fleet(tmp_path, names=['a.example.hk', 'b.example.hk', 'A.example.hk'])
    rc, out = playbook_run(state, inventory, 'request.yml')
    assert rc != 0
    assert 'names a certificate more than once' in out, out[-3000:]
    assert load_host(str(state), 'web3').calls == []
