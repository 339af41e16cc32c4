# -*- coding: utf-8 -*-
"""The pending request as a first-class object, through real ansible-playbook over WinRM on simulated Windows
hosts (tests.support.winrm): request.yml records each pending request's thumbprint in the sheet, and backup.yml
backs up every pending key of the fleet before submission with no thumbprint typed."""

from __future__ import annotations

import csv
import itertools
import os

from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.windows.exchange import add_account, exchange_state
from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm.fleet import ROOT, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

PASSWORD = 'Pending-Backup-5d1e-secret'
EXCHANGE_USER, EXCHANGE_PASSWORD = 'CORP\\svc-exchange', 'Pending-Exch-2b9f'


RUNS = itertools.count()


def run(state, inventory, playbook, *args):
    # Over the loopback WinRM endpoint, started outside the checkout, as from the user's project.
    work = state.parent / ('winrm-%d' % next(RUNS))
    proc, _report = run_over_winrm(state, work, inventory, os.path.join(ROOT, 'playbooks', playbook), *args,
                                   cwd=state.parent, timeout=600)
    assert PASSWORD not in proc.stdout + proc.stderr
    return proc.returncode, proc.stdout + proc.stderr


def test_request_then_back_up_every_pending_key(tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    for name in ('web1', 'web2'):
        save_host(str(state), name, FakeWindowsHost(os_build=20348))
    certificates = {
        'web1': [{'common_name': 'www.example.hk'},
                 {'common_name': 'shop.example.hk', 'subject_alt_names': ['www.shop.example.hk'],
                  'iis_bindings': [{'site': 'Shop', 'host_header': 'shop.example.hk'}]}],
        'web2': [{'common_name': '*.example.hk', 'certificate_type': 'wildcard'}]}
    inventory = {'all': {
        'vars': {'hkpost_csr_organization': 'Example Ltd', 'hkpost_csr_output_dir': str(tmp_path / 'csr'),
                 'hkpost_backup_dir': str(tmp_path / 'backup'), 'hkpost_backup_password': PASSWORD},
        'children': {'ecert_servers': {
            'hosts': {h: {'hkpost_certificates': c} for h, c in certificates.items()}}}}}

    rc, out = run(state, inventory, 'request.yml')
    assert rc == 0, out[-3000:]
    with open(tmp_path / 'csr' / 'submission.csv', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    assert sorted((r['host'], r['common_name']) for r in rows) == [
        ('web1', 'shop.example.hk'), ('web1', 'www.example.hk'), ('web2', '*.example.hk')]
    shop = next(r for r in rows if r['common_name'] == 'shop.example.hk')
    assert shop['names'] == 'shop.example.hk www.shop.example.hk'
    hosts = {name: load_host(str(state), name) for name in ('web1', 'web2')}
    for row in rows:
        pending = {e['thumbprint']: e for e in hosts[row['host']].stores['REQUEST']}
        assert row['pending_thumbprint'] in pending
        assert spki_sha256(pending[row['pending_thumbprint']]['key'].public_key()) == row['public_key_sha256']

    rc, out = run(state, inventory, 'backup.yml', '-e', 'hkpost_backup_pending=true')
    assert rc == 0, out[-3000:]
    for row in rows:
        pfx = tmp_path / 'backup' / row['host'] / ('%s.pfx' % row['pending_thumbprint'])
        key, cert, _chain = pkcs12.load_key_and_certificates(pfx.read_bytes(), PASSWORD.encode())
        assert spki_sha256(key.public_key()) == row['public_key_sha256']
    # Nothing was created on the hosts by finding the requests.
    assert {n: len(load_host(str(state), n).stores['REQUEST']) for n in hosts} == {'web1': 2, 'web2': 1}
    rc, out = run(state, inventory, 'backup.yml', '-e', 'hkpost_backup_pending=true')
    assert rc == 0 and 'changed=0' in out, out[-3000:]


def test_back_up_every_pending_key_of_an_exchange_server(tmp_path):
    # An Exchange server's pending requests are Exchange's (Get-ExchangeCertificate, status PendingRequest): the csr
    # role's pending entry point finds them as the request phase does (exchange_read, then hkpost_csr state present's
    # Exchange planner in check mode), not by certreq's saved CSRs, which an Exchange request never leaves.
    state = tmp_path / 'hosts'
    state.mkdir()
    ex1 = FakeWindowsHost(os_build=14393)
    exchange_state(ex1, 'Version 15.1 (Build 2507.6)')
    add_account(ex1, EXCHANGE_USER, EXCHANGE_PASSWORD)
    save_host(str(state), 'ex1', ex1)
    inventory = {'all': {
        'vars': {'hkpost_csr_organization': 'Example Ltd', 'hkpost_output_dir': str(tmp_path / 'out'),
                 'hkpost_backup_password': PASSWORD},
        'children': {'ecert_servers': {'hosts': {'ex1': {
            'hkpost_platform': 'exchange', 'hkpost_exchange_server': 'ex1.corp.example.hk',
            'hkpost_exchange_username': EXCHANGE_USER, 'hkpost_exchange_password': EXCHANGE_PASSWORD,
            'hkpost_certificates': [{'common_name': 'mail.example.hk', 'subject_alt_names': ['www.mail.example.hk'],
                                     'exchange_services': ['IIS', 'SMTP']},
                                    {'common_name': 'imap.example.hk', 'exchange_services': ['IMAP']}]}}}}}}

    rc, out = run(state, inventory, 'request.yml')
    assert rc == 0, out[-3000:]
    with open(tmp_path / 'out' / 'csr' / 'submission.csv', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    assert sorted(r['common_name'] for r in rows) == ['imap.example.hk', 'mail.example.hk']
    assert not (tmp_path / 'out' / 'backup').exists()   # request.yml backs up nothing by default

    before = len(load_host(str(state), 'ex1').calls)
    rc, out = run(state, inventory, 'backup.yml', '-e', 'hkpost_backup_pending=true')
    assert rc == 0, out[-3000:]
    assert EXCHANGE_PASSWORD not in out
    for row in rows:
        pfx = tmp_path / 'out' / 'backup' / 'ex1' / ('%s.pfx' % row['pending_thumbprint'])
        assert pfx.is_file(), out[-3000:]
        key, _cert, _chain = pkcs12.load_key_and_certificates(pfx.read_bytes(), PASSWORD.encode())
        assert spki_sha256(key.public_key()) == row['public_key_sha256']
    # one read of the server's requests, through Exchange, for all of its certificates
    calls = load_host(str(state), 'ex1').call_names()[before:]
    assert calls.count('exchange_read') == 1 and 'csr_pending_read' not in calls, calls
    # Nothing was created on the server by finding the requests.
    host = load_host(str(state), 'ex1')
    assert len(host.stores['REQUEST']) == 2
    assert len([c for c in exchange_state(host)['certificates'] if c['status'] == 'PendingRequest']) == 2
