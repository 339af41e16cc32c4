# -*- coding: utf-8 -*-
"""hkpost_fleet_report: the report files of an audit, an inventory and a chain migration, from handed-over results.

The module replaced six filters (fleet_report_html/csv/json, certificate_inventory_reports, chain_summary,
chain_summary_csv); the renderers are tested on their own (module_utils/audit, inventory, chain). Here: which
files are written where, check mode (a report of changes beside the real one, a report of reads under its own
name), rows of hosts outside the run kept, the counts a playbook acts on, and bad input refused in words.
"""

from __future__ import annotations

import json
import os

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_fleet_report import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import (
    ChainJudge, TrustAnchors, failed, summarise)
from tests.support.action_harness import run_action
from tests.support.inventory_fleet import read_fleet, sample_hosts

STEPS = [{'op': 'add_cert', 'thumbprint': 'AA', 'store': 'CA'}, {'op': 'remove_cert', 'thumbprint': 'CC', 'store': 'CA'}]


def report(args, check_mode=False):
    return run_action(ActionModule, args, task_vars={'inventory_hostname': 'localhost'}, check_mode=check_mode,
                      action_name='hkpost.ecert.hkpost_fleet_report')


@pytest.fixture(scope='module')
def audit(pki):
    judge = ChainJudge(TrustAnchors([pki.root.cert], 'test roots'), now=pki.now)
    endpoints = [
        dict({'host': 'a.example.hk', 'port': 443, 'server_name': 'www.example.hk', 'inventory_name': 'web1'},
             **judge.judge([pki.leaves['standard'].der, pki.ssl_new.der], 'www.example.hk')),
        dict({'host': 'b.example.hk', 'port': 443, 'server_name': 'b.example.hk'}, **failed('unreachable', 'refused')),
        dict({'host': 'c.example.hk', 'port': 443, 'server_name': 'old.example.hk', 'inventory_name': 'web2'},
             **judge.judge([pki.leaves['expired'].der, pki.ssl_new.der], 'old.example.hk')),
    ]
    return {'endpoints': endpoints, 'summary': summarise(endpoints), 'trust': 'test roots', 'changed': False}


def test_audit_writes_four_files_and_the_counts_a_run_fails_on(audit, tmp_path):
    result = report({'kind': 'audit', 'audit': audit, 'dest': str(tmp_path / 'reports'), 'title': 'Lab'})
    assert sorted(os.listdir(tmp_path / 'reports')) == ['fleet-to-renew.json', 'fleet.csv', 'fleet.html', 'fleet.json']
    assert result['changed'] and result['html_file'] == str(tmp_path / 'reports' / 'fleet.html')
    assert result['json_file'] == str(tmp_path / 'reports' / 'fleet.json')
    assert json.loads((tmp_path / 'reports' / 'fleet.json').read_text())['summary'] == audit['summary']
    assert '<title>Lab</title>' in (tmp_path / 'reports' / 'fleet.html').read_text()
    by_verdict = audit['summary']['by_verdict']
    assert by_verdict['error'] == 1 and by_verdict['critical'] == 1
    assert result['at_or_above'] == {'error': 1, 'critical': 2, 'warning': 2 + by_verdict['warning']}
    renew = json.loads((tmp_path / 'reports' / 'fleet-to-renew.json').read_text())
    assert result['to_renew'] == len(renew['certificates']) == 1 and list(renew['hosts']) == ['web2']
    assert result['lines'][0] == '3 endpoints: 1 ok, 0 warning, 1 critical, 1 could not be audited'
    assert 'to renew: 1 certificates, listed in %s' % (tmp_path / 'reports' / 'fleet-to-renew.json') in result['lines']
    # Unchanged content is not rewritten; a report of what was read keeps its name in check mode.
    again = report({'kind': 'audit', 'audit': audit, 'dest': str(tmp_path / 'reports'), 'title': 'Lab'},
                   check_mode=True)
    assert sorted(os.listdir(tmp_path / 'reports')) == ['fleet-to-renew.json', 'fleet.csv', 'fleet.html', 'fleet.json']
    assert again['files'] == result['files']


def test_audit_name_gives_the_files_their_name(audit, tmp_path):
    result = report({'kind': 'audit', 'audit': audit, 'dest': str(tmp_path), 'name': 'renewal-audit'})
    assert sorted(os.path.basename(f) for f in result['files']) == [
        'renewal-audit-to-renew.json', 'renewal-audit.csv', 'renewal-audit.html', 'renewal-audit.json']


def test_chain_check_mode_writes_beside_the_real_report_and_keeps_other_hosts(tmp_path):
    real = {'web1': {'result': {'changed': True, 'plan': STEPS, 'applied': STEPS}, 'error': None},
            'web2': {'result': {'changed': False, 'plan': []}, 'error': None}}
    first = report({'kind': 'chain', 'results': real, 'dest': str(tmp_path)})
    assert sorted(os.listdir(tmp_path)) == ['chain_migration.csv', 'chain_migration.json']
    assert first['counts']['changed'] == 1 and first['counts']['already right'] == 1
    assert first['lines'][-1] == 'files: %s and .json' % (tmp_path / 'chain_migration.csv')
    # A dry run of web1 alone (--limit): written as chain_migration.check.*, web2's row kept from the real report,
    # and the real report left as it was.
    before = (tmp_path / 'chain_migration.json').read_text()
    dry = report({'kind': 'chain', 'hosts': ['web1'], 'dest': str(tmp_path),
                  'results': {'web1': {'result': {'changed': True, 'plan': STEPS}, 'error': None}}}, check_mode=True)
    assert sorted(os.listdir(tmp_path)) == ['chain_migration.check.csv', 'chain_migration.check.json',
                                            'chain_migration.csv', 'chain_migration.json']
    assert (tmp_path / 'chain_migration.json').read_text() == before
    rows = {r['host']: r for r in json.loads((tmp_path / 'chain_migration.check.json').read_text())}
    assert set(rows) == {'web1', 'web2'} and rows['web2']['status'] == 'already right'
    assert dry['json_file'] == str(tmp_path / 'chain_migration.check.json')
    assert dry['lines'][-1] == 'files: %s and .json' % (tmp_path / 'chain_migration.check.csv')
    assert 'dry run, nothing was changed' in dry['lines'][-2]


def test_chain_a_host_without_a_record_is_not_run_and_a_failure_keeps_its_error(tmp_path):
    result = report({'kind': 'chain', 'dest': str(tmp_path), 'results': {
        'later': {}, 'broken': {'result': {'failed': True, 'msg': 'Access is denied'}, 'error': 'Access is denied'}}})
    rows = {r['host']: r for r in result['summary']['rows']}
    assert rows['later']['status'] == 'not run' and rows['broken']['status'] == 'failed'
    assert rows['broken']['error'] == 'Access is denied'


def test_inventory_from_results_by_host_and_an_audit_file(pki, tmp_path):
    hosts, _certs = sample_hosts(pki)
    results = {r['host']: r for r in read_fleet(hosts)}
    results['down1'] = {'unreachable': True, 'msg': 'timed out'}
    audit_file = tmp_path / 'fleet.json'
    audit_file.write_text(json.dumps({'endpoints': [], 'summary': {'total': 0}}))
    result = report({'kind': 'inventory', 'results': results, 'audit': str(audit_file), 'dest': str(tmp_path / 'r'),
                     'today': pki.now.date().isoformat(), 'batch': 2}, check_mode=True)
    assert sorted(os.listdir(tmp_path / 'r')) == ['certificate-inventory.csv', 'certificate-inventory.html',
                                                  'certificate-inventory.json', 'renewal-forecast.json']
    model = json.loads((tmp_path / 'r' / 'certificate-inventory.json').read_text())
    assert result['summary'] == model['summary'] and model['summary']['hosts_read'] == 3
    assert {h['host']: h['read'] for h in model['hosts']}['down1'] is False
    assert result['forecast']['renewals'] >= 1 and 'portal sessions' in result['lines'][2]
    assert json.loads((tmp_path / 'r' / 'renewal-forecast.json').read_text())['batch'] == 2


@pytest.mark.parametrize('args, message', [
    ({'kind': 'audit', 'dest': '.'}, r'kind is audit but all of the following are missing: audit'),
    ({'kind': 'chain', 'dest': '.'}, r'kind is chain but all of the following are missing: results'),
    ({'kind': 'audit', 'dest': '.', 'audit': {'changed': False}},
     r'audit: expects the result of hkpost\.ecert\.hkpost_served_chain \(a dict with "endpoints"\), got'),
    ({'kind': 'audit', 'dest': '.', 'audit': {'endpoints': []}, 'warn_days': 'soon'}, r"warn_days.*int"),
    ({'kind': 'inventory', 'dest': '.', 'results': {}, 'audit': '/nonexistent/fleet.json'},
     r'audit: /nonexistent/fleet\.json does not exist on the controller'),
    ({'kind': 'inventory', 'dest': '.', 'results': {}, 'subscriptions': {'www.example.hk': 'March'}},
     r'the subscription end of www\.example\.hk must be a date'),
    ({'kind': 'report', 'dest': '.', 'results': {}}, r'value of kind must be one of: audit, inventory, chain'),
])
def test_bad_input_is_refused_in_words(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnsibleActionFail, match=message):
        report(args)
    assert os.listdir(tmp_path) == []  # nothing written


def test_a_file_in_the_way_of_dest_is_refused(audit, tmp_path):
    (tmp_path / 'reports').write_text('not a folder')
    with pytest.raises(AnsibleActionFail, match=r'dest: .*reports is a file on the controller, not a directory'):
        report({'kind': 'audit', 'audit': audit, 'dest': str(tmp_path / 'reports')})
