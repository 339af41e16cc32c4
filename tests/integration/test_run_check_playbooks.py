# -*- coding: utf-8 -*-
"""Silence is not success (issue 22): real ansible-playbook runs of the lifecycle playbooks whose hosts say nothing.

ansible-core warns "Could not match supplied host pattern" and exits 0 when a play matches no host; a misspelt
hkpost_certificates is simply no variable. Each playbook's first play (playbooks/run_check.yml) refuses the
first and reports the second before any host is contacted - here no host is reachable at all, so a run that
got past the check would fail differently.
"""

from __future__ import annotations

import json

import pytest
import yaml

from tests.support.playbook import ROOT, run_playbook, task_results

CHECK = 'hkpost.ecert.run_check : The host pattern selects hosts, each has what the playbook needs, no hkpost_ variable is misspelt'
# Unreachable on purpose: nothing may be attempted on a host before the check has passed.
NOWHERE = {'ansible_host': '192.0.2.1', 'ansible_connection': 'winrm', 'ansible_port': 9,
           'ansible_winrm_connection_timeout': 1, 'ansible_password': 'x', 'ansible_user': 'x'}
CERTS = [{'common_name': 'www.example.com.hk', 'iis_bindings': [{'site': 'Default Web Site'}]}]


def _inventory(tmp_path, groups):
    path = tmp_path / 'inventory.yml'
    path.write_text(yaml.safe_dump(groups))
    return path


def _run(tmp_path, playbook, groups, *args):
    rc, data, stderr = run_playbook('%s/playbooks/%s.yml' % (ROOT, playbook), *args,
                                    extra_vars={'hkpost_output_dir': str(tmp_path / 'out')},
                                    inventory=_inventory(tmp_path, groups))
    checked = task_results(data, CHECK)
    assert len(checked) == 1, json.dumps(data)[:3000] + stderr   # the check ran, once, on the controller
    return rc, data, next(iter(checked.values()))


def _hosts_contacted(data):
    return {host for play in data.get('plays', [])[1:] for task in play['tasks'] for host in task['hosts']}


@pytest.mark.parametrize('playbook', ['request', 'install', 'migrate_intermediate', 'renew'])
def test_an_empty_group_fails_naming_it(tmp_path, playbook):
    rc, data, result = _run(tmp_path, playbook, {'ecert_servers': {'hosts': {}}, 'other': {'hosts': {'db01': NOWHERE}}})
    assert rc != 0
    assert "'ecert_servers', which matches no host" in result['msg']
    assert _hosts_contacted(data) == set()
    assert not (tmp_path / 'out').exists()   # no report that reads like a run happened


@pytest.mark.parametrize('tags', ['request', 'install', 'dcv'])
def test_renew_checks_its_hosts_whatever_phase_runs(tmp_path, tags):
    groups = {'ecert_servers': {'hosts': {'web01': dict(NOWHERE, hkpost_certificates=CERTS)}}}
    rc, data, result = _run(tmp_path, 'renew', groups, '--tags', tags, '-e', 'hkpost_hosts=web01,wbe01')
    assert rc != 0
    assert "names 'wbe01', which matches no host" in result['msg']
    assert _hosts_contacted(data) == set()


def test_a_misspelt_host_in_the_pattern_fails_before_the_others_run(tmp_path):
    groups = {'ecert_servers': {'hosts': {'web01': dict(NOWHERE, hkpost_certificates=CERTS)}}}
    rc, data, result = _run(tmp_path, 'install', groups, '-e', 'hkpost_hosts=web01,wbe01')
    assert rc != 0
    assert "names 'wbe01', which matches no host" in result['msg']
    assert _hosts_contacted(data) == set()


def test_a_limit_outside_the_group_fails(tmp_path):
    groups = {'ecert_servers': {'hosts': {'web01': dict(NOWHERE, hkpost_certificates=CERTS)}},
              'other': {'hosts': {'db01': NOWHERE}}}
    rc, _data, result = _run(tmp_path, 'request', groups, '--limit', 'db01')
    assert rc != 0
    assert "within --limit 'db01' selects no host" in result['msg']


def test_a_misspelt_part_of_the_limit_fails(tmp_path):
    groups = {'ecert_servers': {'hosts': {'web01': dict(NOWHERE, hkpost_certificates=CERTS)}}}
    rc, data, result = _run(tmp_path, 'install', groups, '--limit', 'web01,wbe01')
    assert rc != 0   # ansible-core alone warns and runs on web01
    assert "--limit 'web01,wbe01' names 'wbe01'" in result['msg']
    assert _hosts_contacted(data) == set()


def test_a_retry_file_in_the_limit_is_read_as_ansible_core_reads_it(tmp_path):
    # ansible-core takes every part of --limit that starts with "@" as a file (InventoryManager.subset)
    groups = {'ecert_servers': {'hosts': {'web01': dict(NOWHERE, hkpost_certificates=CERTS),
                                          'web02': dict(NOWHERE, hkpost_certificates=CERTS)}}}
    retry = tmp_path / 'install.retry'
    retry.write_text('web02\n')
    _rc, _data, result = _run(tmp_path, 'migrate_intermediate', groups, '--check', '--limit', 'web01,@%s' % retry)
    assert not result.get('failed'), result
    assert result['hosts'] == ['web01', 'web02']

    rc, _data, result = _run(tmp_path, 'migrate_intermediate', groups, '--check', '--limit', '@%s,wbe01' % retry)
    assert rc != 0
    assert "--limit '@%s,wbe01' names 'wbe01'" % retry in result['msg']


def test_a_misspelt_certificates_list_fails_request_and_is_a_warning_for_the_migration(tmp_path):
    groups = {'ecert_servers': {'hosts': {'web01': dict(NOWHERE, hkpost_certificate=CERTS)}}}
    rc, data, result = _run(tmp_path, 'request', groups)
    assert rc != 0
    assert "web01 has no hkpost_certificates" in result['msg']
    assert "did you mean 'hkpost_certificates'" in result['msg']
    assert _hosts_contacted(data) == set()

    rc, data, result = _run(tmp_path, 'migrate_intermediate', groups, '--check')
    assert not result.get('failed'), result
    assert any("hkpost_certificate set for web01 has no effect" in w and "Did you mean 'hkpost_certificates'" in w
               for w in result['warnings']), result


def test_the_audit_refuses_a_limit_that_would_skip_it(tmp_path):
    groups = {'ecert_servers': {'hosts': {'web01': NOWHERE}}}
    rc, data, _stderr = run_playbook('%s/playbooks/audit.yml' % ROOT, '--limit', 'web01',
                                     extra_vars={'hkpost_output_dir': str(tmp_path / 'out')},
                                     inventory=_inventory(tmp_path, groups))
    assert rc != 0   # ansible-core alone: the play on localhost is skipped, rc 0, no report
    # the audit role's entry point controller (Ansible names a role's task after the role)
    result = next(iter(task_results(data, 'hkpost.ecert.audit : Refuse a --limit that leaves the controller out').values()))
    assert "--limit 'web01' leaves out localhost" in result['msg'] and 'hkpost_audit_group' in result['msg']
    assert not (tmp_path / 'out').exists()
