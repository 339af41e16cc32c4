# -*- coding: utf-8 -*-
"""hkpost_fleet_report's options, rule by rule (issue 21, mutation survivors): what is required, the defaults the
written reports carry, the audit an inventory may be given (or not), which files are named in the result, and that
it runs from the controller whatever the host."""

from __future__ import annotations

import json
import os

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_fleet_report import ActionModule
from tests.support.action_harness import run_action
from tests.support.inventory_fleet import read_fleet, sample_hosts
# the three-endpoint audit the fleet report's own tests read (one fixture, not a copy)
from tests.unit.plugins.action.test_hkpost_fleet_report import audit  # noqa: F401  # pylint: disable=unused-import


def report(args, shell_family='powershell'):
    return run_action(ActionModule, args, task_vars={'inventory_hostname': 'localhost'}, shell_family=shell_family,
                      action_name='hkpost.ecert.hkpost_fleet_report')


@pytest.fixture(scope='module')
def results(pki):
    hosts, _certs = sample_hosts(pki)
    return {r['host']: r for r in read_fleet(hosts)}


@pytest.mark.parametrize('args, missing', [
    ({'dest': '.', 'results': {}}, 'missing required arguments: kind'),
    ({'kind': 'chain', 'results': {}}, 'missing required arguments: dest'),
])
def test_kind_and_dest_are_required(args, missing, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnsibleActionFail, match=missing):
        report(args)
    assert os.listdir(tmp_path) == []


def test_inventory_defaults_reach_the_written_reports(results, pki, tmp_path):
    report({'kind': 'inventory', 'results': results, 'dest': str(tmp_path), 'today': pki.now.date().isoformat()})
    model = json.loads((tmp_path / 'certificate-inventory.json').read_text())
    assert (model['warn_days'], model['pending_days']) == (30, 30)
    assert json.loads((tmp_path / 'renewal-forecast.json').read_text())['batch'] == 0


def test_audit_to_renew_file_says_the_default_warning_window(audit, tmp_path):
    report({'kind': 'audit', 'audit': audit, 'dest': str(tmp_path)})
    assert json.loads((tmp_path / 'fleet-to-renew.json').read_text())['warn_days'] == 30


@pytest.mark.parametrize('given, audited', [('', False), (None, False), ('result', True)])
def test_an_inventory_audit_may_be_empty_or_the_served_chain_result_itself(given, audited, results, audit, pki,
                                                                           tmp_path):
    report({'kind': 'inventory', 'results': results, 'audit': audit if given == 'result' else given,
            'dest': str(tmp_path), 'today': pki.now.date().isoformat()})
    assert json.loads((tmp_path / 'certificate-inventory.json').read_text())['summary']['audited'] is audited


def test_only_the_json_and_html_reports_are_named_in_the_result(audit, tmp_path):
    result = report({'kind': 'audit', 'audit': audit, 'dest': str(tmp_path)})
    assert sorted(k for k in result if k.endswith('_file')) == ['html_file', 'json_file']
    assert len(result['files']) == 4 and sorted(result['changed_files']) == sorted(result['files'])


def test_it_runs_from_the_controller_whatever_the_hosts_shell(audit, tmp_path):
    for shell in ('sh', 'powershell'):
        assert report({'kind': 'audit', 'audit': audit, 'dest': str(tmp_path / shell)}, shell)['files']
    assert ActionModule._requires_connection is False  # Ansible's TaskExecutor opens no connection for it


# --- what the audit's counts and lines say (issue 21, fourth round: _report_files survivors) -------------------

def test_an_audit_that_is_not_a_result_is_refused_in_words(tmp_path):
    with pytest.raises(AnsibleActionFail, match=r'audit: expects the result of hkpost\.ecert\.hkpost_served_chain'):
        report({'kind': 'audit', 'audit': 'fleet.json', 'dest': str(tmp_path)})
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize('summary', [None, {'total': 3}], ids=['no summary', 'summary without counts'])
def test_an_audit_without_its_counts_is_still_reported_with_its_endpoints_counted(summary, audit, tmp_path):
    given = {'endpoints': audit['endpoints']}
    if summary is not None:
        given['summary'] = summary
    result = report({'kind': 'audit', 'audit': given, 'dest': str(tmp_path)})
    assert len(result['files']) == 4
    assert result['summary']['total'] == 3 and result['lines'][0].startswith('3 endpoints: ')
    assert result['summary']['by_code'] == {} and result['lines'][1] == 'findings: {}'


@pytest.mark.parametrize('by_verdict, line, at_or_above', [
    ({'critical': 1}, '1 endpoints: 0 ok, 0 warning, 1 critical, 0 could not be audited',
     {'error': 0, 'critical': 1, 'warning': 1}),
    ({'error': 1}, '1 endpoints: 0 ok, 0 warning, 0 critical, 1 could not be audited',
     {'error': 1, 'critical': 1, 'warning': 1}),
])
def test_verdicts_a_summary_leaves_out_count_as_none(by_verdict, line, at_or_above, audit, tmp_path):
    given = {'endpoints': audit['endpoints'][1:2], 'summary': {'total': 1, 'by_verdict': by_verdict, 'by_code': {}}}
    result = report({'kind': 'audit', 'audit': given, 'dest': str(tmp_path)})
    assert result['lines'][0] == line and result['at_or_above'] == at_or_above


def test_the_findings_are_counted_by_code_and_printed_in_name_order(audit, tmp_path):
    by_code = {'leaf-expiring': 1, 'chain-incomplete': 2}   # the order hkpost_served_chain met them
    given = dict(audit, summary=dict(audit['summary'], by_code=by_code))
    result = report({'kind': 'audit', 'audit': given, 'dest': str(tmp_path)})
    assert result['summary']['by_code'] == by_code
    assert result['lines'][1] == 'findings: {"chain-incomplete": 2, "leaf-expiring": 1}'


# --- the inventory's day and its lines ------------------------------------------------------------------------

def test_the_inventory_counts_expiry_from_the_day_given(results, pki, tmp_path):
    result = report({'kind': 'inventory', 'results': results, 'dest': str(tmp_path), 'today': '2999-01-01'})
    summary = result['summary']
    assert summary['leaf_certificates'] >= 1 and summary['expired'] == summary['leaf_certificates']
    assert summary['expiring'] == 0


def test_the_inventory_lists_what_to_clean_up_in_name_order(results, pki, tmp_path):
    result = report({'kind': 'inventory', 'results': results, 'dest': str(tmp_path), 'today': pki.now.date().isoformat()})
    line = result['lines'][1]
    assert line.startswith('to clean up: ')
    reasons = list(json.loads(line[len('to clean up: '):]))
    assert reasons == sorted(result['summary']['stale_by_reason']) and len(reasons) > 1


# --- the chain migration: entries, errors, the hosts of the run, the CSV ---------------------------------------

@pytest.mark.parametrize('entry', [None, {}, {'result': None, 'error': ''}, 'later'],
                         ids=['null', 'empty', 'empty error', 'not a dict'])
def test_a_host_without_a_result_or_an_error_is_not_run(entry, tmp_path):
    result = report({'kind': 'chain', 'dest': str(tmp_path), 'results': {'web1': entry}})
    assert [(r['host'], r['status']) for r in result['summary']['rows']] == [('web1', 'not run')]
    assert result['counts']['not run'] == 1


def test_an_error_without_a_result_is_the_hosts_failure(tmp_path):
    result = report({'kind': 'chain', 'dest': str(tmp_path),
                     'results': {'web1': {'result': None, 'error': 'WinRM: connection timed out'}}})
    row = result['summary']['rows'][0]
    assert (row['status'], row['error']) == ('failed', 'WinRM: connection timed out')


def test_the_hosts_of_the_run_replace_their_earlier_rows_even_without_a_result(tmp_path):
    both = {'web1': {'result': {'changed': False, 'plan': []}, 'error': None},
            'web2': {'result': {'changed': False, 'plan': []}, 'error': None}}
    report({'kind': 'chain', 'dest': str(tmp_path), 'results': both})
    report({'kind': 'chain', 'dest': str(tmp_path), 'hosts': ['web1', 'web2'], 'results': {'web1': both['web1']}})
    assert [r['host'] for r in json.loads((tmp_path / 'chain_migration.json').read_text())] == ['web1']
    # hosts left out (--limit) keep theirs
    report({'kind': 'chain', 'dest': str(tmp_path), 'results': both})
    report({'kind': 'chain', 'dest': str(tmp_path), 'hosts': ['web1'], 'results': {'web1': both['web1']}})
    assert [r['host'] for r in json.loads((tmp_path / 'chain_migration.json').read_text())] == ['web1', 'web2']


def test_the_chain_csv_has_a_header_and_a_row_per_host(tmp_path):
    report({'kind': 'chain', 'dest': str(tmp_path), 'results': {
        'web1': {'result': {'changed': False, 'plan': []}, 'error': None}, 'web2': None}})
    lines = (tmp_path / 'chain_migration.csv').read_text().splitlines()
    assert lines[0].startswith('host,status,') and [line.split(',')[:2] for line in lines[1:]] == [
        ['web1', 'already right'], ['web2', 'not run']]
