# -*- coding: utf-8 -*-
"""hkpost_renewal_report's decisions, rule by rule (issue 21, mutation survivors): what is required, where the
request sheet is written, which hosts the sheet table lists, and the closing line of each phase - a dry run says
nothing was done, a real run says what is next - and that it runs from the controller whatever the host."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_renewal_report import ActionModule
from tests.support.action_harness import run_action
from tests.unit.plugins.action.test_hkpost_renewal_report import CSR_WEB1, CSR_WEB2, INSTALLED

DRY_REQUEST = 'Dry run: nothing was requested; run again without --check.'
DRY_INSTALL = 'Dry run: nothing was installed; run again without --check.'
DRY_ACME = 'Dry run: nothing was ordered; run again without --check.'


def _run(args, check_mode=False, shell_family='sh'):
    return run_action(ActionModule, args, check_mode=check_mode, shell_family=shell_family,
                      action_name='hkpost.ecert.hkpost_renewal_report')


def test_report_is_required():
    with pytest.raises(AnsibleActionFail, match='missing required arguments: report'):
        _run({'hosts': []})


def test_it_runs_from_the_controller_whatever_the_hosts_shell():
    for shell in ('sh', 'powershell'):
        assert _run({'report': 'acme', 'hosts': []}, shell_family=shell)['changed'] is False
    assert ActionModule._requires_connection is False  # Ansible's TaskExecutor opens no connection for it


def test_the_request_sheet_goes_where_sheet_says(tmp_path):
    sheet = tmp_path / 'elsewhere' / 'sheet.csv'
    result = _run({'report': 'request', 'output_dir': str(tmp_path / 'out'), 'sheet': str(sheet), 'hosts': ['web1'],
                   'results': [{'selected': ['www.example.hk'], 'csr': CSR_WEB1}]})
    assert result['files'] == [str(sheet)] and sheet.exists()
    assert not (tmp_path / 'out' / 'csr' / 'submission.csv').exists()


@pytest.mark.parametrize('check_mode', [False, True])
def test_the_request_phase_ends_with_the_next_step_or_the_dry_run(tmp_path, check_mode):
    result = _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1'],
                   'results': [{'selected': ['www.example.hk'], 'csr': CSR_WEB1}]}, check_mode=check_mode)
    assert (result['lines'][-1] == DRY_REQUEST) is check_mode
    assert result['lines'][-1].startswith('Next: submit at the Hongkong Post portal') is not check_mode


@pytest.mark.parametrize('check_mode', [False, True])
def test_the_install_phase_says_a_dry_run_installed_nothing(tmp_path, check_mode):
    result = _run({'report': 'install', 'output_dir': str(tmp_path), 'hosts': ['web1'],
                   'results': [{'issued': [{'common_name': 'www.example.hk'}], 'install': INSTALLED}]},
                  check_mode=check_mode)
    assert (DRY_INSTALL in result['lines']) is check_mode


def test_the_acme_phase_says_dry_run_only_in_check_mode():
    result = _run({'report': 'acme', 'hosts': ['web1'], 'results': [{'ordered': ['www.example.hk']}]})
    assert DRY_ACME not in result['lines']


def test_without_active_hosts_every_host_counts_as_having_run(tmp_path):
    sheet = tmp_path / 'csr' / 'submission.csv'
    args = {'report': 'sheet', 'sheet': str(sheet), 'hosts': ['web1', 'web2'], 'results': [CSR_WEB1, CSR_WEB2]}
    assert not any('FAILED' in line for line in _run(args)['lines'])
    narrowed = _run(dict(args, active_hosts=['web2']))['lines']
    assert [line.split()[0] for line in narrowed if 'FAILED or unreachable' in line] == ['web1']


def test_the_rollout_names_its_csv_file_last(tmp_path):
    result = _run({'report': 'rollout', 'output_dir': str(tmp_path), 'hosts': ['web1'],
                   'results': [{'platform': 'iis', 'chain': {'changed': False}, 'install': INSTALLED}]})
    assert result['lines'][-1] == 'files: %s and .json' % (tmp_path / 'reports' / 'install.csv')
