# -*- coding: utf-8 -*-
"""The csr role on an IIS host and an Exchange server, as renew.yml's request phase runs it (issue 21): every
missing key and CSR of a host, with every pending key backed up, in at most 2 executions per host whatever the number
of certificates - the read, then one execution that makes and backs up - and a rerun 1 (the read).

Real ansible-playbook over the loopback WinRM endpoint (tests.support.winrm), started outside the checkout; every
payload a host runs is one win_powershell execution, recorded by the simulated host. The playbook is the real
playbooks/renew.yml, run with --tags request.
"""

from __future__ import annotations

import csv
import itertools
import os

from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.windows.exchange import add_account, exchange_state
from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm.fleet import run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

# The real renew.yml, its request phase (--tags request): the role entry point renew:request calls the csr role.
PLAYBOOK = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
                        'playbooks', 'renew.yml')
PASSWORD = 'Csr-Role-Batch-3e81-secret'
EXCHANGE_USER, EXCHANGE_PASSWORD = 'CORP\\svc-exchange', 'Exch-Session-5a7d'
WEB = ['a.example.hk', 'b.example.hk', 'c.example.hk']
MAIL = ['mail.example.hk', 'imap.example.hk']
RUNS = itertools.count()


def fleet(tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    save_host(str(state), 'web3', FakeWindowsHost(os_build=20348))
    ex1 = FakeWindowsHost(os_build=14393)
    exchange_state(ex1, 'Version 15.1 (Build 2507.6)')
    add_account(ex1, EXCHANGE_USER, EXCHANGE_PASSWORD)
    save_host(str(state), 'ex1', ex1)
    inventory = {'all': {
        'vars': {'hkpost_csr_organization': 'Example Ltd', 'hkpost_output_dir': str(tmp_path / 'out'),
                 'hkpost_backup_password': PASSWORD},
        'children': {'ecert_servers': {'hosts': {
            'web3': {'hkpost_platform': 'iis', 'hkpost_certificates': [{'common_name': n} for n in WEB]},
            'ex1': {'hkpost_platform': 'exchange', 'hkpost_exchange_server': 'ex1.corp.example.hk',
                    'hkpost_exchange_username': EXCHANGE_USER, 'hkpost_exchange_password': EXCHANGE_PASSWORD,
                    'hkpost_certificates': [{'common_name': MAIL[0], 'subject_alt_names': ['www.mail.example.hk'],
                                             'exchange_services': ['IIS', 'SMTP']},
                                            {'common_name': MAIL[1], 'exchange_services': ['IMAP', 'POP']}]}}}}}}
    return state, inventory


def run(state, inventory, *args):
    """{host: payloads it ran} during one ansible-playbook run, and the run's output."""
    before = {name: len(load_host(str(state), name).calls) for name in ('web3', 'ex1')}
    proc, _report = run_over_winrm(state, state.parent / ('winrm-%d' % next(RUNS)), inventory, PLAYBOOK, '--tags', 'request', *args,
                                   scheme='http', transport='ntlm', cwd=str(state.parent), timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert PASSWORD not in out and EXCHANGE_PASSWORD not in out
    return {name: load_host(str(state), name).call_names()[before[name]:] for name in before}, out


def recap(out, host):
    return next(line for line in out.splitlines() if line.startswith(host + ' ') and 'ok=' in line)


def test_iis_and_exchange_request_phase_first_run_two_executions_rerun_one(tmp_path):
    state, inventory = fleet(tmp_path)
    calls, out = run(state, inventory, '--check', '--diff')
    assert calls == {'web3': ['csr_pending_read'], 'ex1': ['exchange_read']}, out[-3000:]
    assert load_host(str(state), 'web3').stores['REQUEST'] == [] and load_host(str(state), 'ex1').stores['REQUEST'] == []

    calls, out = run(state, inventory)
    assert calls == {'web3': ['csr_pending_read', 'csr_create_many'],
                     'ex1': ['exchange_read', 'exchange_request_many']}, out[-3000:]
    with open(tmp_path / 'out' / 'csr' / 'submission.csv', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    assert sorted((r['host'], r['common_name']) for r in rows) == sorted(
        [('web3', n) for n in WEB] + [('ex1', n) for n in MAIL])
    assert next(r for r in rows if r['common_name'] == MAIL[0])['names'] == 'mail.example.hk www.mail.example.hk'
    for row in rows:
        host = load_host(str(state), row['host'])
        pending = {e['thumbprint']: e for e in host.stores['REQUEST']}
        assert spki_sha256(pending[row['pending_thumbprint']]['key'].public_key()) == row['public_key_sha256']
        pfx = tmp_path / 'out' / 'backup' / row['host'] / ('%s.pfx' % row['pending_thumbprint'])
        key, _cert, _chain = pkcs12.load_key_and_certificates(pfx.read_bytes(), PASSWORD.encode())
        assert spki_sha256(key.public_key()) == row['public_key_sha256']
        assert os.path.isfile(row['csr_file'])
    # the Exchange requests are Exchange's own, with the one friendly name of the csr role
    pending = [c for c in exchange_state(load_host(str(state), 'ex1'))['certificates'] if c['status'] == 'PendingRequest']
    assert len(pending) == 2

    for check in (['--check', '--diff'], []):
        calls, out = run(state, inventory, *check)
        assert calls == {'web3': ['csr_pending_read'], 'ex1': ['exchange_read']}, out[-3000:]
        assert 'changed=0' in recap(out, 'web3') and 'changed=0' in recap(out, 'ex1'), out[-3000:]
    assert len(load_host(str(state), 'web3').stores['REQUEST']) == 3
    assert len(load_host(str(state), 'ex1').stores['REQUEST']) == 2
