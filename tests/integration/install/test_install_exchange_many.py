# -*- coding: utf-8 -*-
"""install.yml on an Exchange server with two certificates: the summary names both, with both backups.

The exchange role installs one certificate per include_tasks iteration; a register inside that loop keeps
only the last certificate, which once made the install summary show one thumbprint, one set of services and
one backup for a host that got two. Runs the real ansible-playbook over the loopback WinRM endpoint.
"""

from __future__ import annotations

import json
import os

from tests.support.windows.exchange import add_account, add_pending
from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm.fleet import ROOT, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

PASSWORD = 'Pfx-Backup-5d0c2b91-secret'
# The Exchange session's own account: over this NTLM connection the second hop needs one (issue 20).
EXCHANGE_USER, EXCHANGE_PASSWORD = 'CORP\\svc-exchange', 'Exch-Session-71c4'


def test_two_certificates_on_one_exchange_server_are_both_in_the_summary(pki, tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    mail = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'])
    imap = pki.issue_leaf('imap.example.hk', sans=['imap.example.hk'])
    ex1 = FakeWindowsHost(os_build=14393)
    add_pending(ex1, mail.key, 'mail.example.hk')
    add_pending(ex1, imap.key, 'imap.example.hk')
    ex1.state['exchange']['version'] = 'Version 15.1 (Build 2507.6)'
    add_account(ex1, EXCHANGE_USER, EXCHANGE_PASSWORD)
    save_host(str(state), 'ex1', ex1)
    (tmp_path / 'root.pem').write_text(pki.root.pem)
    (tmp_path / 'ssl.pem').write_text(pki.ssl_new.pem)
    (tmp_path / 'mail.pem').write_text(mail.pem)
    (tmp_path / 'imap.pem').write_text(imap.pem)
    backups = tmp_path / 'backups'
    inventory = {'all': {'vars': {
        'hkpost_chain_root_certificate_file': str(tmp_path / 'root.pem'),
        'hkpost_chain_ssl_intermediate_file': str(tmp_path / 'ssl.pem'),
        'hkpost_output_dir': str(tmp_path / 'out')},
        'children': {'ecert_servers': {'hosts': {'ex1': {
            'hkpost_platform': 'exchange', 'hkpost_exchange_verify': False,
            'hkpost_exchange_server': 'ex1.corp.example.hk', 'hkpost_exchange_username': EXCHANGE_USER,
            'hkpost_exchange_password': EXCHANGE_PASSWORD,
            'hkpost_exchange_backup_dir': str(backups), 'hkpost_exchange_backup_password': PASSWORD,
            'hkpost_certificates': [
                {'common_name': 'mail.example.hk', 'certificate_file': str(tmp_path / 'mail.pem'),
                 'exchange_services': ['IIS', 'SMTP']},
                {'common_name': 'imap.example.hk', 'certificate_file': str(tmp_path / 'imap.pem'),
                 'exchange_services': ['IMAP', 'POP']}]}}}}}}

    proc = run_over_winrm(state, tmp_path / 'winrm', inventory, os.path.join(ROOT, 'playbooks', 'install.yml'),
                          scheme='http', transport='ntlm', cwd=str(tmp_path), timeout=600)[0]
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]

    host = load_host(str(state), 'ex1')
    services = {c['thumbprint']: sorted(c['services']) for c in host.state['exchange']['certificates']}
    assert services == {mail.thumbprint: ['IIS', 'SMTP'], imap.thumbprint: ['IMAP', 'POP']}
    pfx = {name: backups / 'ex1' / ('%s.pfx' % leaf.thumbprint) for name, leaf in (('mail', mail), ('imap', imap))}
    assert all(path.is_file() for path in pfx.values())

    row = json.loads((tmp_path / 'out' / 'reports' / 'install.json').read_text())[0]
    assert row['host'] == 'ex1' and row['status'] == 'installed'
    assert row['thumbprints'] == sorted([mail.thumbprint, imap.thumbprint])
    assert sorted(row['targets']) == ['IIS', 'IMAP', 'POP', 'SMTP']
    assert sorted(row['backups']) == sorted(str(p) for p in pfx.values())
