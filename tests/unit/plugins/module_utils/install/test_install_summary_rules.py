# -*- coding: utf-8 -*-
"""The install summary's rules, one per test (issue 21, mutation survivors): which status a host gets, what its
row lists, how the table and the counts read, and that a dry run predicts."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.install._summary import host_row, summarize, to_csv_rows

CHAIN = {'changed': False}


def row(facts):
    return host_row('web1', facts)


def test_an_error_without_a_chain_result_is_a_failure_not_a_host_not_reached():
    assert row({'hkpost_install_error': 'boom'})['status'] == 'failed'
    not_reached = row({'hkpost_install_error': ''})
    assert not_reached['status'] == 'not run' and not_reached['changed'] is False


def test_an_error_variable_set_to_null_is_no_error():
    assert row({'hkpost_chain_result': CHAIN, 'hkpost_install_error': None})['error'] == ''


def test_a_failed_chain_is_reported_as_failed_and_a_changed_chain_changes_the_host():
    assert row({'hkpost_chain_result': {'failed': True}})['chain'] == 'failed'
    changed = row({'hkpost_chain_result': {'changed': True}, 'hkpost_install_result': {'skipped': True}})
    assert changed['chain'] == 'changed' and changed['changed'] is True and changed['status'] == 'installed'
    assert row({'hkpost_chain_result': 'not a result', 'hkpost_install_result': {}})['chain'] == ''


def test_a_result_that_is_not_a_mapping_counts_as_nothing_issued():
    assert row({'hkpost_chain_result': CHAIN, 'hkpost_install_result': 'skipped'})['status'] == 'nothing issued'


def test_a_changed_result_without_certificates_is_still_installed():
    assert row({'hkpost_chain_result': CHAIN, 'hkpost_install_result': {'changed': True}})['status'] == 'installed'


def test_the_platform_falls_back_to_the_inventory_then_iis():
    assert row({'hkpost_chain_result': CHAIN, 'hkpost_platform': 'exchange'})['platform'] == 'exchange'
    assert row({'hkpost_chain_result': CHAIN})['platform'] == 'iis'
    assert row({})['platform'] == 'iis'


def test_a_row_lists_each_thumbprint_once_sorted_and_only_backups_with_a_path():
    result = {'changed': False, 'certificates': [{'thumbprint': 'BB'}, {'thumbprint': 'AA'}, {'thumbprint': 'BB'},
                                                 {'thumbprint': ''}],
              'backups': [{'path': '/b/AA.pfx'}, {'path': ''}, {}],
              'bindings': [{'host': None, 'port': 8443}, {'site': 'Web', 'host': 'www.example.hk'}],
              'services': [{'after': None}, {'after': ['SMTP']}]}
    found = row({'hkpost_chain_result': CHAIN, 'hkpost_install_result': result})
    assert found['thumbprints'] == ['AA', 'BB'] and found['backups'] == ['/b/AA.pfx']
    assert found['targets'] == ['? :8443', 'Web www.example.hk:443', 'SMTP']
    assert found['status'] == 'already installed' and found['changed'] is False


def test_counts_and_table_say_what_happened_and_a_dry_run_says_would():
    facts = {'web-with-a-very-long-host-name-01': {'hkpost_chain_result': CHAIN,
                                                   'hkpost_install_result': {'changed': True,
                                                                             'certificates': [{'thumbprint': 'AA'}]}},
             'web2': {'hkpost_chain_result': CHAIN, 'hkpost_install_error': 'x' * 200},
             'web3': {}}
    summary = summarize(facts)
    assert summary['counts'] == {'installed': 1, 'already installed': 0, 'nothing issued': 0, 'failed': 1,
                                 'unreachable': 0, 'not run': 1}
    header, first, second, third, last = summary['table']
    assert header.startswith('HOST ') and first.startswith('web-with-a-very-long-hos iis       installed ')
    assert first.split()[-1] == 'AA' and '; retired' not in first   # its thumbprint; nothing retired, not said
    assert second.endswith(' -' + ' ' * 42 + 'x' * 120) and 'x' * 121 not in second and third.startswith('web3 ')
    assert last == ('hosts installed: 1, already installed: 0, nothing issued: 0, failed: 1, unreachable: 0, '
                    'not run: 1')
    dry = summarize(facts, check_mode=True)
    assert [r['status'] for r in dry['rows']] == ['would install', 'failed', 'not run']
    assert dry['counts'] == summary['counts']
    assert dry['table'][-1].startswith('dry run, nothing was changed - hosts that would install: 1, ')
    assert ' would install ' in dry['table'][1]


def test_csv_rows_join_lists_with_bars():
    summary = {'rows': [dict(host='web1', platform='iis', status='installed', chain='changed', thumbprints=['A', 'B'],
                             targets=['t1', 't2'], backups=['b'], error='', retired=['R'], kept=['K: why'])]}
    assert to_csv_rows(summary)[1] == ['web1', 'iis', 'installed', 'changed', 'A | B', 't1 | t2', 'b', '', 'R',
                                       'K: why']
