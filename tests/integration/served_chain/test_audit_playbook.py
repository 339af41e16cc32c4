# -*- coding: utf-8 -*-
"""playbooks/audit.yml and playbooks/demo_audit.yml run by ansible-playbook against real TLS servers."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest

from tests.support.peers import mail_servers, tls_servers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _playbook(*args, cwd=ROOT):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    return subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')] + list(args),
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def servers(pki):
    multi = pki.leaves['multi_domain']
    good = tls_servers.tls_endpoint([multi.pem, pki.ssl_new.pem], multi.key_pem)
    bare = tls_servers.tls_endpoint([pki.leaves['standard'].pem], pki.leaves['standard'].key_pem)
    yield good, bare
    good.stop()
    bare.stop()


def test_audit_playbook_from_inventory_and_list_file(servers, pki, tmp_path):
    good, bare = servers
    (tmp_path / 'trust.pem').write_text(pki.root.pem)
    (tmp_path / 'inventory.yml').write_text(
        'ecert_servers:\n  hosts:\n'
        '    web1:\n      ansible_host: 127.0.0.1\n      hkpost_served_port: %d\n'
        '      hkpost_served_names: [www.example.hk, shop.example.hk, nope.example.hk]\n' % good.port)
    (tmp_path / 'endpoints.txt').write_text('# list file\n127.0.0.1:%d www.example.hk\n' % bare.port)
    reports = tmp_path / 'reports'
    run = _playbook('-i', str(tmp_path / 'inventory.yml'), 'playbooks/audit.yml',
                    '-e', 'hkpost_audit_endpoints_file=%s' % (tmp_path / 'endpoints.txt'),
                    '-e', 'hkpost_audit_trust=%s' % (tmp_path / 'trust.pem'),
                    '-e', 'hkpost_audit_report_dir=%s' % reports)
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads((reports / 'fleet.json').read_text())
    assert [(e['server_name'], e['verdict']) for e in data['endpoints']] == [
        ('www.example.hk', 'ok'), ('shop.example.hk', 'ok'), ('nope.example.hk', 'critical'),
        ('www.example.hk', 'critical')]
    assert [f['code'] for f in data['endpoints'][3]['findings']] == ['missing_intermediate']
    assert data['summary']['by_verdict'] == {'ok': 2, 'warning': 0, 'critical': 2, 'error': 0}
    rows = list(csv.DictReader((reports / 'fleet.csv').open()))
    assert sorted(r['codes'] for r in rows[:2]) == ['missing_intermediate', 'name_mismatch']  # worst first
    assert [r['codes'] for r in rows[2:]] == ['ok', 'ok']
    assert {(r['host'], r['address']) for r in rows} == {('web1', '127.0.0.1'), ('127.0.0.1', '127.0.0.1')}
    assert json.loads((reports / 'fleet-to-renew.json').read_text())['certificates'] == []
    page = (reports / 'fleet.html').read_text()
    assert 'id="count-critical" style="color:#c53030">2<' in page
    assert '4 endpoints: 2 ok, 0 warning, 2 critical' in ' '.join(run.stdout.split())

    failing = _playbook('-i', str(tmp_path / 'inventory.yml'), 'playbooks/audit.yml',
                        '-e', 'hkpost_audit_trust=%s' % (tmp_path / 'trust.pem'),
                        '-e', 'hkpost_audit_report_dir=%s' % reports, '-e', 'hkpost_audit_fail_on=critical')
    assert failing.returncode != 0 and "endpoints at or above 'critical'" in failing.stdout


def test_audit_playbook_without_endpoints_says_how_to_give_them(tmp_path):
    run = _playbook('-i', 'localhost,', 'playbooks/audit.yml', '-e', 'hkpost_audit_report_dir=%s' % tmp_path)
    assert run.returncode != 0 and 'No endpoints' in run.stdout


def test_demo_audit_starts_audits_and_stops_the_lab(tmp_path):
    lab = tmp_path / 'lab'
    run = _playbook('playbooks/demo_audit.yml', '-e', 'hkpost_demo_lab_dir=%s' % lab,
                    '-e', 'hkpost_audit_report_dir=%s' % (tmp_path / 'reports'))
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads((tmp_path / 'reports' / 'fleet.json').read_text())
    assert data['summary']['total'] == 6 and data['summary']['by_verdict']['ok'] == 1
    assert str(tmp_path / 'reports' / 'fleet.html') in run.stdout
    assert not (lab / 'lab.json').exists()  # stopped
    assert _processes_mentioning(str(lab)) == []  # the lab server process is gone


def _processes_mentioning(text):
    found = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as handle:
                if text.encode() in handle.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


@pytest.mark.skipif(mail_servers.available() is not None, reason=str(mail_servers.available()))
def test_audit_playbook_exchange_host_mail_endpoints_and_to_renew(pki, tmp_path):
    """An Exchange host in the default group: its SMTP (Postfix, STARTTLS) and HTTPS endpoints, one expiring."""
    expiring = pki.leaves['expiring']
    web = tls_servers.tls_endpoint([expiring.pem, pki.ssl_new.pem], expiring.key_pem)
    postfix = mail_servers.Postfix([{'chain': [expiring.pem, pki.ssl_new.pem], 'key': expiring.key_pem},
                                    {'chain': [expiring.pem], 'key': expiring.key_pem, 'starttls': False}]).start()
    try:
        (tmp_path / 'trust.pem').write_text(pki.root.pem)
        (tmp_path / 'inventory.yml').write_text(
            'ecert_servers:\n  hosts:\n'
            '    exch01:\n      ansible_host: 127.0.0.1\n      hkpost_platform: exchange\n'
            '      hkpost_served_names: [soon.example.hk]\n'
            '      hkpost_served_ports: [%d, {port: %d, starttls: smtp}, {port: %d, starttls: smtp}]\n'
            % (web.port, postfix.ports[0], postfix.ports[1]))
        project = tmp_path / 'project'
        project.mkdir()
        run = _playbook('-i', str(tmp_path / 'inventory.yml'), os.path.join(ROOT, 'playbooks', 'audit.yml'),
                        '-e', 'hkpost_audit_trust=%s' % (tmp_path / 'trust.pem'), '-e', 'hkpost_audit_ehlo_name=audit.example.hk',
                        cwd=str(project))
    finally:
        web.stop()
        postfix.stop()
    assert run.returncode == 0, run.stdout + run.stderr
    reports = project / 'hkpost-output' / 'reports'  # hkpost_output_dir's default, where the playbook was started
    data = json.loads((reports / 'fleet.json').read_text())
    got = [(e['inventory_name'], e['port'], e['starttls'], sorted(f['code'] for f in e['findings']))
           for e in data['endpoints']]
    assert got == [('exch01', web.port, None, ['expiring']), ('exch01', postfix.ports[0], 'smtp', ['expiring']),
                   ('exch01', postfix.ports[1], 'smtp', ['no_starttls'])]
    renew = json.loads((reports / 'fleet-to-renew.json').read_text())
    assert [(c['common_name'], c['status'], c['hosts']) for c in renew['certificates']] == [
        ('soon.example.hk', 'expiring', ['exch01'])]
    assert sorted(e['port'] for e in renew['certificates'][0]['endpoints']) == sorted([web.port, postfix.ports[0]])
    assert list(renew['hosts']) == ['exch01']
    assert 'to renew: 1 certificates' in ' '.join(run.stdout.split())
