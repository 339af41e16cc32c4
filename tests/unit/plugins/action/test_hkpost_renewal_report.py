# -*- coding: utf-8 -*-
"""hkpost_renewal_report on the controller: typed per-host results in, the sheet, summaries and reports out.

What it replaces were filters that read hostvars (issue 21); the rules they kept stay (issue 22): a dry run writes
``*.check.*`` and leaves the real file as it was, a run on part of the fleet keeps the other hosts' rows, and a host
that recorded nothing is in the summary as failed (or not run).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_renewal_report import ActionModule
from tests.support.action_harness import run_action

CSR_WEB1 = [{'common_name_ascii': 'www.example.hk', 'certificate_type': 'standard', 'public_key_sha256': 'A' * 64,
             'thumbprint': 'P1', 'csr_path': '/out/csr/web1/www.example.hk.csr', 'changed': True,
             'item': {'common_name': 'www.example.hk', 'subject_alt_names': ['shop.example.hk']}}]
CSR_WEB2 = [{'common_name_ascii': 'api.example.hk', 'certificate_type': 'standard', 'public_key_sha256': 'B' * 64,
             'thumbprint': 'P2', 'csr_path': '/out/csr/web2/api.example.hk.csr', 'changed': False, 'item': {}}]
INSTALLED = {'changed': True, 'platform': 'iis', 'certificates': [{'thumbprint': 'N1'}],
             'bindings': [{'site': 'Default Web Site', 'host': 'www.example.hk', 'port': 443}], 'services': [],
             'backups': [], 'retired': [{'thumbprint': 'OLD1'}], 'kept': []}
SERVES = {'inventory_hostname': 'web1', 'ansible_host': '192.0.2.1', 'hkpost_platform': 'iis',
          'hkpost_certificates': [{'common_name': 'www.example.hk',
                                   'iis_bindings': [{'site': 'Default Web Site', 'host_header': 'www.example.hk'}]}]}


def _run(args, check_mode=False):
    return run_action(ActionModule, args, check_mode=check_mode, shell_family='sh',
                      action_name='hkpost.ecert.hkpost_renewal_report')


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text())))


def test_select_takes_what_the_list_names_for_the_host():
    certificates = [{'common_name': 'www.example.hk'}, {'common_name': 'api.example.hk'}]
    result = _run({'report': 'select', 'host': 'web1', 'certificates': certificates,
                   'renew_list': json.dumps([{'host': 'web1', 'common_name': 'api.example.hk'},
                                             {'host': 'web2', 'common_name': 'www.example.hk'}])})
    assert result['certificates'] == [{'common_name': 'api.example.hk'}] and result['changed'] is False
    assert _run({'report': 'select', 'host': 'web1', 'certificates': certificates})['certificates'] == certificates


def test_request_phase_writes_the_sheet_and_words_the_summary(tmp_path):
    result = _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1', 'web2', 'web3'],
                   'results': [{'selected': ['www.example.hk'], 'csr': CSR_WEB1, 'backups': ['/b/P1.pfx']},
                               {'selected': ['api.example.hk'], 'csr': CSR_WEB2, 'backups': []},
                               False]})
    rows = {r['host']: r for r in result['summary']['rows']}
    assert rows['web1']['detail'] == 'requested www.example.hk' and rows['web1']['backups'] == ['/b/P1.pfx']
    assert rows['web2']['detail'] == 'already pending api.example.hk'
    assert rows['web3']['status'] == 'failed' and result['summary']['failed'] == ['web3']
    sheet = tmp_path / 'csr' / 'submission.csv'
    assert result['files'] == [str(sheet)]
    assert [(r['host'], r['common_name'], r['names']) for r in _rows(sheet)] == [
        ('web1', 'www.example.hk', 'www.example.hk shop.example.hk'), ('web2', 'api.example.hk', 'api.example.hk')]
    assert any(line.startswith('Next: submit at the Hongkong Post portal') for line in result['lines'])


def test_a_dry_run_writes_the_check_sheet_and_keeps_the_real_one(tmp_path):
    sheet = tmp_path / 'csr' / 'submission.csv'
    _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1', 'web2'],
          'results': [{'selected': ['www.example.hk'], 'csr': CSR_WEB1}, {'selected': ['a'], 'csr': CSR_WEB2}]})
    before = sheet.read_text()
    would = [dict(CSR_WEB1[0], public_key_sha256=None, thumbprint=None)]
    result = _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1'],
                   'results': [{'selected': ['www.example.hk'], 'csr': would}]}, check_mode=True)
    assert sheet.read_text() == before
    check = tmp_path / 'csr' / 'submission.check.csv'
    assert result['files'] == [str(check)]
    # the dry run's own host is predicted; the host it did not run on keeps its row
    assert [(r['host'], r['public_key_sha256']) for r in _rows(check)] == [('web1', '(check mode)'), ('web2', 'B' * 64)]
    assert result['summary']['rows'][0]['detail'] == 'would request www.example.hk'


def test_a_failed_host_keeps_its_earlier_rows(tmp_path):
    _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1', 'web2'],
          'results': [{'selected': ['x'], 'csr': CSR_WEB1}, {'selected': ['y'], 'csr': CSR_WEB2}]})
    result = _run({'report': 'request', 'output_dir': str(tmp_path), 'hosts': ['web1', 'web2'],
                   'results': [{'error': 'Back up each pending key: wrong password'}, {'selected': ['y'], 'csr': CSR_WEB2}]})
    assert [r['host'] for r in _rows(tmp_path / 'csr' / 'submission.csv')] == ['web1', 'web2']
    assert result['summary']['failed'] == ['web1']
    assert 'wrong password' in result['summary']['rows'][0]['detail']


def test_sheet_of_request_yml_lists_what_to_paste_and_who_failed(tmp_path):
    sheet = tmp_path / 'csr' / 'submission.csv'
    result = _run({'report': 'sheet', 'sheet': str(sheet), 'hosts': ['web1', 'web2'], 'active_hosts': ['web1'],
                   'results': [CSR_WEB1, False]})
    assert [r['host'] for r in _rows(sheet)] == ['web1']
    assert result['lines'][1].split()[:2] == ['web1', 'www.example.hk']
    assert 'web2               FAILED or unreachable: no CSR (see the errors above)' in result['lines']
    assert result['lines'][-1] == 'Sheet: %s' % sheet


def test_install_phase_reports_keeps_other_hosts_and_gives_the_endpoints(tmp_path):
    report = tmp_path / 'reports' / 'renewal.json'
    report.parent.mkdir()
    report.write_text(json.dumps({'hosts': [{'host': 'web9', 'status': 'ok', 'detail': 'earlier',
                                             'installed': [], 'retired': [], 'kept': []}]}))
    intake = {'findings': [{'message': 'x.cer matches no pending request'}],
              'waiting': [{'host': 'web2', 'common_name': 'api.example.hk'}]}
    result = _run({'report': 'install', 'output_dir': str(tmp_path), 'hosts': ['web1', 'web2', 'web3'], 'intake': intake,
                   'results': [{'issued': [{'common_name': 'www.example.hk', 'thumbprint': 'N1'}], 'install': INSTALLED,
                                'serves': SERVES},
                               {'issued': [], 'install': {},
                                'serves': dict(SERVES, inventory_hostname='web2', hkpost_certificates=[])},
                               {'error': 'The Hongkong Post chain: access denied'}]})
    rows = {r['host']: r for r in result['summary']['rows']}
    assert rows['web1']['detail'] == 'installed www.example.hk; retired OLD1'
    assert rows['web2']['status'] == 'waiting' and rows['web3']['status'] == 'failed'
    written = json.loads(report.read_text())
    assert [r['host'] for r in written['hosts']] == ['web1', 'web2', 'web3', 'web9']
    assert written['waiting'] == intake['waiting'] and written['intake_findings'] == intake['findings']
    assert result['endpoints'] == [{'host': '192.0.2.1', 'port': 443, 'server_name': 'www.example.hk',
                                    'inventory_name': 'web1'}]
    assert 'intake: x.cer matches no pending request' in result['lines']


def test_install_phase_in_check_mode_writes_renewal_check_json(tmp_path):
    result = _run({'report': 'install', 'output_dir': str(tmp_path), 'hosts': ['web1'],
                   'results': [{'issued': [{'common_name': 'www.example.hk'}], 'install': INSTALLED}]}, check_mode=True)
    assert result['files'] == [str(tmp_path / 'reports' / 'renewal.check.json')]
    assert not (tmp_path / 'reports' / 'renewal.json').exists()
    assert result['summary']['rows'][0]['detail'].startswith('would install www.example.hk')


def test_rollout_writes_csv_and_json_and_says_not_run(tmp_path):
    result = _run({'report': 'rollout', 'output_dir': str(tmp_path), 'hosts': ['web1', 'web2'],
                   'results': [{'platform': 'iis', 'chain': {'changed': False}, 'install': INSTALLED, 'error': ''},
                               False]})
    rows = {r['host']: r for r in result['summary']['rows']}
    assert rows['web1']['status'] == 'installed' and rows['web2']['status'] == 'not run'
    assert result['files'] == [str(tmp_path / 'reports' / 'install.csv'), str(tmp_path / 'reports' / 'install.json')]
    assert [r['status'] for r in _rows(tmp_path / 'reports' / 'install.csv')] == ['installed', 'not run']
    dry = _run({'report': 'rollout', 'output_dir': str(tmp_path), 'hosts': ['web1'],
                'results': [{'platform': 'iis', 'chain': {'changed': False}, 'install': INSTALLED}]}, check_mode=True)
    assert dry['files'][0].endswith('install.check.csv')
    assert [r['status'] for r in json.loads((tmp_path / 'reports' / 'install.check.json').read_text())] == \
        ['would install', 'not run']  # web2's row kept from the real report


@pytest.mark.parametrize('args, message', [
    ({'report': 'rollout', 'output_dir': '/tmp/x', 'hosts': ['web1', 'web2'], 'results': [False]},
     r'results has 1 entries for 2 hosts: pass one result per host'),
    ({'report': 'install', 'output_dir': '/tmp/x', 'hosts': ['web1'], 'results': ['installed']},
     r'the result of host web1 is str, not what its role entry point records'),
    ({'report': 'select', 'certificates': []}, r'report is select but all of the following are missing: host'),
    ({'report': 'request', 'hosts': []}, r'missing: output_dir'),
])
def test_wrong_input_is_refused_in_words(args, message):
    with pytest.raises(AnsibleActionFail, match=message):
        _run(args)


def test_an_unreadable_serves_is_named(tmp_path):
    with pytest.raises(AnsibleActionFail, match='host web1: hkpost_certificates must be a list of certificate entries'):
        _run({'report': 'install', 'output_dir': str(tmp_path), 'hosts': ['web1'],
              'results': [{'issued': [], 'serves': dict(SERVES, hkpost_certificates=5)}]})


# --- renew.yml in ACME mode (the acme role): what to order, why the CA refused, the fleet summary ------------

ACME_SHEET = ('host,common_name,certificate_type,public_key_sha256,csr_file,names,pending_thumbprint\n'
              'web1,*.example.hk,wildcard,%s,/out/csr/web1/_wildcard_.example.hk.csr,*.example.hk,AA\n'
              'web1,www.example.hk,standard,%s,/out/csr/web1/www.example.hk.csr,www.example.hk,BB\n'
              'web2,a.example.hk,standard,%s,/out/csr/web2/a.example.hk.csr,a.example.hk,CC\n') % ('a' * 64, 'b' * 64, 'c' * 64)


def test_pending_orders_are_the_hosts_requests_without_a_chain_in_the_intake(tmp_path):
    (tmp_path / 'csr').mkdir()
    (tmp_path / 'csr' / 'submission.csv').write_text(ACME_SHEET)
    first = _run({'report': 'pending_orders', 'output_dir': str(tmp_path), 'host': 'web1'})
    intake = tmp_path / 'intake'
    assert [(o['common_name'], o['dest']) for o in first['orders']] == [
        ('*.example.hk', str(intake / ('acme-web1-_wildcard_.example.hk-%s.pem' % ('a' * 16)))),
        ('www.example.hk', str(intake / ('acme-web1-www.example.hk-%s.pem' % ('b' * 16))))]
    assert first['changed'] is False and not intake.exists()   # reads, writes nothing
    # the intake folder is the run's memory: a rerun orders only what is not issued yet
    intake.mkdir()
    (intake / ('acme-web1-_wildcard_.example.hk-%s.pem' % ('a' * 16))).write_text('chain')
    again = _run({'report': 'pending_orders', 'output_dir': str(tmp_path), 'host': 'web1'})
    assert [o['common_name'] for o in again['orders']] == ['www.example.hk']
    # no sheet yet (the request phase never ran): nothing to order
    assert _run({'report': 'pending_orders', 'output_dir': str(tmp_path / 'none'), 'host': 'web1'})['orders'] == []


def test_a_sheet_that_is_not_the_request_phases_is_refused_in_words(tmp_path):
    (tmp_path / 'csr').mkdir()
    (tmp_path / 'csr' / 'submission.csv').write_text('host,common_name\nweb1,www.example.hk\n')
    with pytest.raises(AnsibleActionFail, match='the submission sheet lacks public_key_sha256, csr_file'):
        _run({'report': 'pending_orders', 'output_dir': str(tmp_path), 'host': 'web1'})
    with pytest.raises(AnsibleActionFail, match='report is pending_orders but all of the following are missing: host'):
        _run({'report': 'pending_orders', 'output_dir': str(tmp_path)})


def test_order_problems_say_what_the_ca_said_per_name_and_challenge():
    invalid = {'order': {'status': 'invalid'}, 'authorizations_by_identifier': {
        'dns:www.example.hk': {'status': 'invalid', 'challenges': [
            {'type': 'dns-01', 'status': 'invalid',
             'error': {'type': 'urn:ietf:params:acme:error:unauthorized', 'detail': 'no TXT record'}}]}}}
    result = _run({'report': 'order_problems', 'results': [invalid, {'failed': True, 'msg': 'gone'}]})
    assert result['problems'] == ['www.example.hk (dns-01): urn:ietf:params:acme:error:unauthorized - no TXT record']


def test_the_acme_summary_from_each_hosts_record():
    hosts = ['web1', 'web2', 'web3', 'web4']
    results = [{'ordered': ['www.example.hk']}, {'ordered': []}, {'error': 'Finalize: the CA did not issue'}, False]
    result = _run({'report': 'acme', 'hosts': hosts, 'results': results})
    rows = {row['host']: (row['status'], row['detail']) for row in result['summary']['rows']}
    assert rows == {'web1': ('ok', 'issued www.example.hk'), 'web2': ('skipped', 'nothing to order'),
                    'web3': ('failed', 'Finalize: the CA did not issue'),
                    'web4': ('failed', 'no result recorded (unreachable?)')}
    assert result['summary']['failed'] == ['web3', 'web4'] and result['lines'][0].startswith('HOST')
    dry = _run({'report': 'acme', 'hosts': ['web1'], 'results': [{'ordered': ['www.example.hk']}]}, check_mode=True)
    assert dry['summary']['rows'][0]['detail'] == 'would order www.example.hk'
    assert dry['lines'][-1] == 'Dry run: nothing was ordered; run again without --check.' and dry['files'] == []
