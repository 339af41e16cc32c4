# -*- coding: utf-8 -*-
"""hkpost_renewal_report's decisions, rule by rule (issue 21, mutation survivors): what is required, where the
request sheet is written, which hosts the sheet table lists, and the closing line of each phase - a dry run says
nothing was done, a real run says what is next - and that it runs from the controller whatever the host."""

from __future__ import annotations

import csv
import io
import json

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_renewal_report import ActionModule
from tests.support.action_harness import run_action
from tests.unit.plugins.action.test_hkpost_renewal_report import CSR_WEB1, CSR_WEB2, INSTALLED, SERVES

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


def _sheet(path):
    return list(csv.DictReader(io.StringIO(path.read_text())))


# --- the submission sheet and its table (issue 21, fourth round: report/_renewal_report survivors) --------------

def test_outside_a_dry_run_the_sheet_lists_only_requests_with_a_key(tmp_path):
    sheet = tmp_path / 'submission.csv'
    no_key = dict(CSR_WEB2[0], public_key_sha256=None)
    _run({'report': 'sheet', 'sheet': str(sheet), 'hosts': ['web1', 'web2'], 'results': [CSR_WEB1, [no_key]]})
    assert [r['host'] for r in _sheet(sheet)] == ['web1']


def test_the_sheet_names_each_name_of_a_request_once(tmp_path):
    sheet = tmp_path / 'submission.csv'
    sans = dict(CSR_WEB1[0], item={'subject_alt_names': ['www.example.hk', 'shop.example.hk', 'shop.example.hk']})
    bare = dict(CSR_WEB2[0], item=None)
    _run({'report': 'sheet', 'sheet': str(sheet), 'hosts': ['web1', 'web2'], 'results': [[sans], [bare]]})
    assert [(r['host'], r['names']) for r in _sheet(sheet)] == [
        ('web1', 'www.example.hk shop.example.hk'), ('web2', 'api.example.hk')]


def test_the_sheet_table_shows_the_keys_first_16_characters_and_the_csr_file(tmp_path):
    key = '0123456789abcdef' + 'F' * 48
    lines = _run({'report': 'sheet', 'sheet': str(tmp_path / 'submission.csv'), 'hosts': ['web1'],
                  'results': [[dict(CSR_WEB1[0], public_key_sha256=key)]]})['lines']
    assert lines[1].split() == ['web1', 'www.example.hk', 'standard', '0123456789abcdef...', 'www.example.hk.csr']
    assert not any(line.startswith('Dry run') for line in lines)


def test_a_dry_runs_sheet_table_says_check_mode_and_that_nothing_was_made(tmp_path):
    would = dict(CSR_WEB1[0], public_key_sha256=None, csr_path=None)
    lines = _run({'report': 'sheet', 'sheet': str(tmp_path / 'submission.csv'), 'hosts': ['web1'],
                  'results': [[would]]}, check_mode=True)['lines']
    assert lines[1].split() == ['web1', 'www.example.hk', 'standard', '(check', 'mode)...']
    assert lines[-1] == 'Dry run: no key or CSR was made, and the sheet itself was left as it was.'


# --- the request phase ----------------------------------------------------------------------------------------

def test_a_host_with_nothing_selected_is_skipped_and_says_nothing_to_renew(tmp_path):
    result = _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1', 'web2'],
                   'results': [{'selected': []}, {'selected': ['api.example.hk'], 'csr': CSR_WEB2}]})
    rows = {r['host']: (r['status'], r['detail']) for r in result['summary']['rows']}
    assert rows == {'web1': ('skipped', 'nothing to renew'), 'web2': ('ok', 'already pending api.example.hk')}


def test_a_host_that_ran_with_nothing_to_request_leaves_no_rows_in_the_sheet(tmp_path):
    _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1'],
          'results': [{'selected': ['www.example.hk'], 'csr': CSR_WEB1}]})
    _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1'], 'results': [{'selected': []}]})
    assert _sheet(tmp_path / 'csr' / 'submission.csv') == []


# --- the install phase and the ACME issuance --------------------------------------------------------------------

def test_the_install_phase_reads_hosts_that_recorded_nothing_or_little(tmp_path):
    result = _run({'report': 'install', 'output_dir': str(tmp_path), 'hosts': ['web1', 'web2', 'web3', 'web4'],
                   'results': [False, {}, {'issued': [{'common_name': 'www.example.hk'}], 'install': 'done'},
                               {'issued': [], 'serves': SERVES}]})
    rows = {r['host']: r for r in result['summary']['rows']}
    assert rows['web1']['status'] == 'failed'
    assert rows['web2']['status'] == 'skipped' and rows['web4']['status'] == 'skipped'
    assert rows['web3']['detail'] == 'already installed www.example.hk'
    assert [e['inventory_name'] for e in result['endpoints']] == ['web1']   # web4's SERVES names web1


def test_renewal_json_lists_no_intake_findings_and_nothing_waiting_without_an_intake(tmp_path):
    _run({'report': 'install', 'output_dir': str(tmp_path), 'hosts': ['web1'],
          'results': [{'issued': [{'common_name': 'www.example.hk'}], 'install': INSTALLED}]})
    written = json.loads((tmp_path / 'reports' / 'renewal.json').read_text())
    assert (written['intake_findings'], written['waiting']) == ([], [])


def test_an_acme_record_without_orders_is_skipped():
    result = _run({'report': 'acme', 'hosts': ['web1'], 'results': [{}]})
    assert [(r['status'], r['detail']) for r in result['summary']['rows']] == [('skipped', 'nothing to order')]
