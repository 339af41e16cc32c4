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
