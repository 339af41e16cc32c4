# -*- coding: utf-8 -*-
"""The pending request as a first-class object, through real ansible-playbook on simulated Windows hosts:
request.yml records each pending request's thumbprint in the sheet, and backup.yml backs up every pending key
of the fleet before submission with no thumbprint typed."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import yaml
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.simulated_fleet import ROOT, load_host, save_host
from tests.support.windows.host import FakeWindowsHost

PASSWORD = 'Pending-Backup-5d1e-secret'


def run(state, inventory, playbook, *args):
    # Started outside the checkout, as from the user's project.
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1', PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, '-m', 'tests.support.simulated_install', str(state),
                           os.path.join(ROOT, 'playbooks', playbook), '-i', str(inventory), *args],
                          cwd=str(state.parent), env=env, capture_output=True, text=True, timeout=600, check=False)
    assert PASSWORD not in proc.stdout + proc.stderr
    return proc.returncode, proc.stdout + proc.stderr


def test_request_then_back_up_every_pending_key(tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    for name in ('web1', 'web2'):
        save_host(str(state), name, FakeWindowsHost(os_build=20348))
    certificates = {
        'web1': [{'common_name': 'www.example.hk'},
                 {'common_name': 'shop.example.hk', 'subject_alt_names': ['pay.example.hk'],
                  'iis_bindings': [{'site': 'Shop', 'host_header': 'shop.example.hk'}]}],
        'web2': [{'common_name': '*.example.hk', 'certificate_type': 'wildcard'}]}
    inventory = tmp_path / 'inventory.yml'
    inventory.write_text(yaml.safe_dump({'all': {
        'vars': {'hkpost_csr_organization': 'Example Ltd', 'hkpost_csr_output_dir': str(tmp_path / 'csr'),
                 'hkpost_backup_dir': str(tmp_path / 'backup'), 'hkpost_backup_password': PASSWORD},
        'children': {'ecert_servers': {
            'vars': {'ansible_connection': 'local', 'ansible_shell_type': 'powershell'},
            'hosts': {h: {'hkpost_certificates': c} for h, c in certificates.items()}}}}}))

    rc, out = run(state, inventory, 'request.yml')
    assert rc == 0, out[-3000:]
    with open(tmp_path / 'csr' / 'submission.csv', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    assert sorted((r['host'], r['common_name']) for r in rows) == [
        ('web1', 'shop.example.hk'), ('web1', 'www.example.hk'), ('web2', '*.example.hk')]
    shop = next(r for r in rows if r['common_name'] == 'shop.example.hk')
    assert shop['names'] == 'shop.example.hk pay.example.hk'
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
