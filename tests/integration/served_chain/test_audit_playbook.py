# -*- coding: utf-8 -*-
"""playbooks/audit.yml and playbooks/demo_audit.yml run by ansible-playbook against real TLS servers."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest

from tests.support.peers import tls_servers

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
    assert [r['codes'] for r in rows] == ['ok', 'ok', 'name_mismatch', 'missing_intermediate']
    page = (reports / 'fleet.html').read_text()
    assert 'id="count-critical" style="color:#c53030">2<' in page
    assert '4 endpoints: 2 ok, 0 warning, 2 critical' in ' '.join(run.stdout.split())

    failing = _playbook('-i', str(tmp_path / 'inventory.yml'), 'playbooks/audit.yml',
                        '-e', 'hkpost_audit_trust=%s' % (tmp_path / 'trust.pem'),
                        '-e', 'hkpost_audit_report_dir=%s' % reports, '-e', 'hkpost_audit_fail_on=critical')
    assert failing.returncode != 0 and "endpoints at or above 'critical'" in failing.stdout


def test_audit_playbook_without_endpoints_says_how_to_give_them(tmp_path):
    (tmp_path / 'inventory.yml').write_text('all: {}\n')   # no ecert_servers: nothing to audit
    run = _playbook('-i', str(tmp_path / 'inventory.yml'), 'playbooks/audit.yml',
                    '-e', 'hkpost_audit_report_dir=%s' % tmp_path)
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
