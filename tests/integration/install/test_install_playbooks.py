# -*- coding: utf-8 -*-
"""install.yml, backup.yml and restore.yml through real ansible-playbook -vvv over WinRM against simulated hosts.

The Windows side is the fake host behind the loopback WinRM endpoint (tests.support.winrm, https
with basic authentication here; the migration tests cover NTLM and http); the served-chain check after
binding talks to a real TLS server on 127.0.0.1. Every run's -vvv output is searched for the PFX
password and for private-key markers: none may appear.
"""

from __future__ import annotations

import itertools
import json
import os

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.support.windows import pfx as fake_pfx
from tests.support.windows.exchange import add_account
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.lab import install_lab
from tests.support.peers.served_site import ServedSite
from tests.support.winrm.fleet import ROOT, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

PASSWORD = 'Pfx-Backup-9f3c1e77-secret'
# The Exchange session's own account: over this NTLM/basic connection the second hop needs one (issue 20).
EXCHANGE_USER, EXCHANGE_PASSWORD = 'CORP\\svc-exchange', 'Exch-Session-2b7e'
SECRET_MARKERS = (PASSWORD, EXCHANGE_PASSWORD, 'PRIVATE KEY', 'BEGIN RSA', 'PfxBase64')


@pytest.fixture
def lab(pki, tmp_path):
    # web1 (IIS) and ex1 (Exchange 2010) of tests.support.windows.lab, and web2, an empty server to restore on
    installed = install_lab(pki, tmp_path / 'hosts', tmp_path, extra_hosts={'web2': FakeWindowsHost(os_build=17763)})
    www = installed.www
    site = ServedSite(tmp_path, www.pem + pki.ssl_new.pem, www.key_pem)
    backups = tmp_path / 'backups'
    hosts = installed.host_vars(site.port)
    hosts['web1'].update(hkpost_iis_verify_address='127.0.0.1', hkpost_iis_backup_dir=str(backups),
                         hkpost_iis_backup_password=PASSWORD)
    hosts['ex1'].update(hkpost_exchange_backup_dir=str(backups), hkpost_exchange_backup_password=PASSWORD,
                        hkpost_exchange_server='ex1.corp.example.hk', hkpost_exchange_username=EXCHANGE_USER,
                        hkpost_exchange_password=EXCHANGE_PASSWORD)
    ex1 = load_host(str(installed.state), 'ex1')
    add_account(ex1, EXCHANGE_USER, EXCHANGE_PASSWORD)
    save_host(str(installed.state), 'ex1', ex1)
    inventory = {'all': {'vars': dict(
        installed.chain_vars(), hkpost_backup_dir=str(backups), hkpost_backup_password=PASSWORD,
        hkpost_output_dir=str(tmp_path / 'out')),
        'children': {
            'ecert_servers': {'hosts': hosts},
            'restore_target': {'hosts': {'web2': {}}}}}}
    yield {'state': installed.state, 'tmp': tmp_path, 'www': www, 'mail': installed.mail, 'backups': backups,
           'inventory': inventory, 'runs': itertools.count()}
    site.stop()


def run(lab, playbook, *args):
    work = lab['tmp'] / ('winrm-%d' % next(lab['runs']))
    proc, lab['report'] = run_over_winrm(lab['state'], work, lab['inventory'], os.path.join(ROOT, 'playbooks', playbook),
                                         '-vvv', *args, scheme='https', transport='basic', cwd=ROOT, timeout=600)
    output = proc.stdout + proc.stderr
    assert 'task path:' in output  # really -vvv: task paths, results, module details are printed
    for marker in SECRET_MARKERS:
        assert marker not in output, '%s leaked into the -vvv output of %s' % (marker, playbook)
    return proc.returncode, output


def recap(output, host):
    line = next(line for line in output.splitlines() if line.startswith(host + ' ') and 'ok=' in line)
    return dict(part.split('=') for part in line.split(':', 1)[1].split())


def test_install_backup_restore_without_secrets(lab):
    rc, out = run(lab, 'install.yml')
    assert rc == 0, out[-4000:]
    # the real winrm connection plugin carried every execution to both servers
    assert 'ESTABLISH WINRM CONNECTION' in out
    assert {h: set(s['executions']) for h, s in lab['report']['stats'].items()} == {
        'web1': {'ansible.windows.win_powershell'}, 'ex1': {'ansible.windows.win_powershell'}}
    web1 = load_host(str(lab['state']), 'web1')
    assert [e['thumbprint'] for e in web1.stores['My']] == [lab['www'].thumbprint]
    assert web1.state['iis']['sslcert']['hostnameport']['www.example.hk:%d' % recap_port(web1)]['thumbprint'] == \
        lab['www'].thumbprint
    ex1 = load_host(str(lab['state']), 'ex1')
    installed = [c for c in ex1.state['exchange']['certificates'] if c['thumbprint'] == lab['mail'].thumbprint]
    assert installed and installed[0]['services'] == ['IIS', 'SMTP']
    ex1_sessions = ex1.state['exchange']['sessions']
    assert ex1_sessions[0] == {'uri': 'http://ex1.corp.example.hk/PowerShell/', 'auth': 'Kerberos',
                               'user': EXCHANGE_USER}

    web_pfx = lab['backups'] / 'web1' / ('%s.pfx' % lab['www'].thumbprint)
    ex_pfx = lab['backups'] / 'ex1' / ('%s.pfx' % lab['mail'].thumbprint)
    assert fake_pfx.AES_OID_DER in web_pfx.read_bytes()          # build 20348: AES-256
    assert fake_pfx.AES_OID_DER not in ex_pfx.read_bytes()       # build 7601 (Exchange 2010): 3DES
    for path in (web_pfx, ex_pfx):
        pkcs12.load_key_and_certificates(path.read_bytes(), PASSWORD.encode())
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(path.read_bytes(), b'wrong')

    rows = {r['host']: r for r in json.loads((lab['tmp'] / 'out' / 'reports' / 'install.json').read_text())}
    assert rows['web1']['status'] == 'installed' and rows['web1']['thumbprints'] == [lab['www'].thumbprint]
    assert rows['web1']['backups'] == [str(web_pfx)]
    assert rows['ex1']['status'] == 'installed' and rows['ex1']['targets'] == ['IIS', 'SMTP']

    rc, out = run(lab, 'install.yml')
    assert rc == 0, out[-4000:]
    assert recap(out, 'web1')['changed'] == '0' and recap(out, 'ex1')['changed'] == '0', out[-3000:]
    rows = {r['host']: r for r in json.loads((lab['tmp'] / 'out' / 'reports' / 'install.json').read_text())}
    assert {r['status'] for r in rows.values()} == {'already installed'}   # a rerun says what it found

    backup_vars = '{"hkpost_backup_certificates": [{"thumbprint": "%s"}]}' % lab['www'].thumbprint
    rc, out = run(lab, 'backup.yml', '-e', 'hkpost_hosts=web1', '-e', backup_vars)
    assert rc == 0 and recap(out, 'web1')['changed'] == '0', out[-3000:]

    rc, out = run(lab, 'restore.yml', '-e', 'hkpost_hosts=web2',
                  '-e', '{"hkpost_restore_files": ["%s"]}' % web_pfx)
    assert rc == 0, out[-4000:]
    web2 = load_host(str(lab['state']), 'web2')
    assert web2.stores['My'][0]['thumbprint'] == lab['www'].thumbprint
    assert web2.stores['My'][0]['key_storage'] == 'machine' and web2.stores['My'][0]['exportable'] is True


def test_wrong_password_restore_fails_clearly_without_echoing_it(lab):
    rc, out = run(lab, 'install.yml', '--limit', 'web1')
    assert rc == 0, out[-4000:]
    web_pfx = lab['backups'] / 'web1' / ('%s.pfx' % lab['www'].thumbprint)
    rc, out = run(lab, 'restore.yml', '-e', 'hkpost_hosts=web2', '-e', 'hkpost_backup_password=Wrong-Pass-77',
                  '-e', '{"hkpost_restore_files": ["%s"]}' % web_pfx)
    assert rc != 0
    assert 'password is wrong' in out and 'Wrong-Pass-77' not in out
    assert load_host(str(lab['state']), 'web2').stores['My'] == []


def recap_port(host):
    binding = [b for b in host.state['iis']['sites'][0]['bindings'] if b['protocol'] == 'https'][0]
    return int(binding['binding_information'].split(':')[1])


def test_check_mode_changes_no_host(lab):
    before = {name: load_host(str(lab['state']), name) for name in ('web1', 'ex1')}
    rc, out = run(lab, 'install.yml', '--check')
    assert rc == 0, out[-4000:]
    # the controller's record is left alone too: the prediction goes beside it, worded as one (issue 22)
    reports = lab['tmp'] / 'out' / 'reports'
    assert not (reports / 'install.json').exists() and not (reports / 'install.csv').exists()
    rows = {r['host']: r for r in json.loads((reports / 'install.check.json').read_text())}
    assert {h: r['status'] for h, r in rows.items()} == {'web1': 'would install', 'ex1': 'would install'}
    assert 'hosts that would install: 2' in ' '.join(out.split())
    for name, host in before.items():
        after = load_host(str(lab['state']), name)
        assert strip_keys(after.stores) == strip_keys(host.stores)
        assert after.state.get('iis') == host.state.get('iis')
        assert [c['thumbprint'] for c in after.state.get('exchange', {}).get('certificates', [])] == \
            [c['thumbprint'] for c in host.state.get('exchange', {}).get('certificates', [])]
        writes = [n for n, _p in after.calls if n in ('complete_request', 'iis_apply', 'exchange_enable', 'retire_apply',
                                                      'pfx_export_many', 'chain_apply')]
        assert writes == []
    assert not lab['backups'].exists()


def strip_keys(stores):
    """Store contents without the key objects (which do not compare equal across pickling)."""
    return {name: [{k: v for k, v in e.items() if k != 'key'} for e in entries] for name, entries in stores.items()}


def test_a_dry_run_reports_every_reachable_host_when_one_password_is_wrong(lab):
    """Issue 22: ex1 (the first host of the rolling install: the written inventory is sorted) refuses the password;
    the dry run still goes on to web1 and reports both, instead of stopping the rollout at ex1 as a real run does."""
    work = lab['tmp'] / 'winrm-wrong-password'
    proc, _report = run_over_winrm(lab['state'], work, lab['inventory'], os.path.join(ROOT, 'playbooks', 'install.yml'),
                                   '--check', scheme='https', transport='basic', cwd=ROOT, timeout=600,
                                   passwords={'ex1': 'Not-The-Password-1'})
    assert proc.returncode != 0   # ex1 failed, and the run says so
    rows = {r['host']: r for r in json.loads((lab['tmp'] / 'out' / 'reports' / 'install.check.json').read_text())}
    assert rows['web1']['status'] == 'would install', rows
    assert rows['ex1']['status'] == 'unreachable', rows
