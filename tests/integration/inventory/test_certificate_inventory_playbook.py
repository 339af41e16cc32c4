# -*- coding: utf-8 -*-
"""playbooks/certificate_inventory.yml by real ansible-playbook over WinRM (tests.support.winrm) on the sample fleet.

One execution per host, the reports written under hkpost_output_dir/reports, joined with an audit's fleet.json,
a host that cannot be reached listed as not read, nothing changed on any host.
"""

from __future__ import annotations

import csv
import json
import os

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import render_json
from tests.support.inventory_fleet import audit_of, sample_hosts
from tests.support.peers.tls_servers import free_port_nobody_listens
from tests.support.winrm.fleet import ROOT, recap, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host


def test_inventory_playbook_over_winrm(pki, tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    hosts, certs = sample_hosts(pki)
    for name, host in hosts.items():
        save_host(str(state), name, host)
    before = {name: {s: [e['thumbprint'] for e in entries] for s, entries in host.stores.items()}
              for name, host in hosts.items()}
    audit = tmp_path / 'fleet.json'
    audit.write_text(render_json(audit_of([('web1', 443, 'www.example.hk', certs['www'])])))
    inventory = {'all': {'children': {'ecert_servers': {
        'hosts': {'web1': {}, 'web2': {}, 'gw1': {}},
        # Not a host the endpoint serves (a group of its own: the docs' group holds the simulated hosts): nothing
        # listens there, so it is unreachable.
        'children': {'retired_servers': {'hosts': {
            'down1': {'ansible_host': '127.0.0.1', 'ansible_port': free_port_nobody_listens(),
                      'ansible_connection': 'winrm', 'ansible_user': 'x', 'ansible_password': 'y',
                      'ansible_winrm_transport': 'ntlm', 'ansible_winrm_scheme': 'http'}}}}}}}}
    proc, report = run_over_winrm(state, tmp_path / 'winrm', inventory,
                                  os.path.join(ROOT, 'playbooks', 'certificate_inventory.yml'),
                                  '-e', 'hkpost_output_dir=%s' % (tmp_path / 'out'),
                                  '-e', 'hkpost_inventory_audit_file=%s' % audit,
                                  '-e', 'hkpost_inventory_today=%s' % pki.now.date().isoformat(),
                                  cwd=tmp_path, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 4, out[-3000:]           # 4: a host was unreachable; the report is still written
    assert recap(proc.stdout, 'down1')['unreachable'] == 1
    for name in hosts:
        assert recap(proc.stdout, name)['changed'] == 0 and recap(proc.stdout, name)['failed'] == 0
        # One execution per host, whatever it holds and uses.
        assert report['stats'][name]['executions'] == {'ansible.windows.win_powershell': 1}, report['stats'][name]
        after = load_host(str(state), name)
        assert {s: [e['thumbprint'] for e in entries] for s, entries in after.stores.items()} == before[name]

    reports = tmp_path / 'out' / 'reports'
    assert sorted(os.listdir(reports)) == ['certificate-inventory.csv', 'certificate-inventory.html',
                                           'certificate-inventory.json', 'renewal-forecast.json']
    model = json.loads((reports / 'certificate-inventory.json').read_text())
    assert model['today'] == pki.now.date().isoformat()
    assert {h['host']: h['read'] for h in model['hosts']} == {'down1': False, 'gw1': True, 'web1': True, 'web2': True}
    assert model['summary']['stale_by_reason'] == {'expired': 1, 'superseded': 1, 'orphaned_key': 1,
                                                   'old_pending_request': 1}
    www = next(c for c in model['certificates'] if c['thumbprint'] == certs['www'].thumbprint)
    assert www['served'] == 'served' and www['served_on'] == ['web1']
    rows = list(csv.DictReader((reports / 'certificate-inventory.csv').open(encoding='utf-8')))
    assert {r['host'] for r in rows} == {'web1', 'web2', 'gw1'}
    sql = next(r for r in rows if r['thumbprint'] == certs['shop'].thumbprint)
    assert 'sql: SQL Server instance MSSQLSERVER' in sql['consumers'] and sql['generation'] == 'old'
    forecast = json.loads((reports / 'renewal-forecast.json').read_text())
    assert len(forecast['weeks']) == 52 and forecast['totals']['renewals'] >= 5
    page = (reports / 'certificate-inventory.html').read_text(encoding='utf-8')
    assert 'id="forecast-plot"' in page and 'down1' in page
    assert 'to clean up' in out and 'portal sessions' in out

    # --check: the read runs the same (a SupportsShouldProcess payload under -WhatIf) and the report is written.
    for name in os.listdir(reports):
        os.unlink(reports / name)
    proc, report = run_over_winrm(state, tmp_path / 'winrm-check', inventory,
                                  os.path.join(ROOT, 'playbooks', 'certificate_inventory.yml'), '--check',
                                  '-e', 'hkpost_output_dir=%s' % (tmp_path / 'out'), cwd=tmp_path, timeout=600)
    assert proc.returncode == 4, (proc.stdout + proc.stderr)[-3000:]
    assert all(report['stats'][name]['executions'] == {'ansible.windows.win_powershell': 1} for name in hosts)
    model = json.loads((reports / 'certificate-inventory.json').read_text())
    assert model['summary']['hosts_read'] == 3 and model['summary']['audited'] is False
