# -*- coding: utf-8 -*-
"""The fleet summary of an install rollout, from what the roles registered on each host."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.install._summary import summarize, to_csv_rows


def test_rows_for_iis_exchange_failed_unreachable_and_not_reached():
    facts = {
        'web1': {'hkpost_platform': 'iis', 'hkpost_chain_result': {'changed': False},
                 'hkpost_iis_completed': {'changed': True, 'thumbprint': 'AB12'},
                 'hkpost_iis_bound': {'results': [{'changed': True, 'item': {'site': 'Default Web Site',
                                                                             'host_header': 'www.example.hk'}}]},
                 'hkpost_iis_backup_result': {'changed': True, 'path': '/out/backup/web1/AB12.pfx'}},
        'ex1': {'hkpost_platform': 'exchange', 'hkpost_chain_result': {'changed': True},
                'hkpost_exchange_result': {'changed': False, 'thumbprint': 'CD34', 'services': ['IIS', 'SMTP']}},
        'web2': {'hkpost_chain_result': {'changed': False}, 'hkpost_install_error': 'no pending request matches'},
        'web3': {'hkpost_chain_result': {'unreachable': True}, 'hkpost_install_error': 'unreachable: timed out'},
        'web4': {},
    }
    summary = summarize(facts)
    rows = {r['host']: r for r in summary['rows']}
    assert {h: r['status'] for h, r in rows.items()} == {
        'web1': 'installed', 'ex1': 'installed', 'web2': 'failed', 'web3': 'unreachable', 'web4': 'not run'}
    assert rows['web1']['thumbprints'] == ['AB12'] and rows['web1']['targets'] == ['Default Web Site www.example.hk:443']
    assert rows['web1']['backups'] == ['/out/backup/web1/AB12.pfx'] and rows['web1']['chain'] == 'already right'
    assert rows['ex1']['targets'] == ['IIS', 'SMTP'] and rows['ex1']['chain'] == 'changed'
    assert rows['web2']['error'] == 'no pending request matches'
    assert rows['web3']['chain'] == 'failed'
    header, *lines = to_csv_rows(summary)
    assert header[:3] == ['host', 'platform', 'status'] and len(lines) == 5


def test_a_rerun_with_nothing_to_do_is_already_installed_and_loop_results_are_read():
    facts = {'web1': {'hkpost_chain_result': {'changed': False},
                      'hkpost_iis_completed': {'results': [{'changed': False, 'thumbprint': 'AB12'},
                                                           {'skipped': True}]}}}
    row = summarize(facts)['rows'][0]
    assert row['status'] == 'already installed' and row['thumbprints'] == ['AB12']


def test_exchange_lists_kept_per_certificate_win_over_the_last_registered_result():
    facts = {'ex1': {'hkpost_platform': 'exchange', 'hkpost_chain_result': {'changed': False},
                     'hkpost_exchange_result': {'changed': True, 'thumbprint': 'BB', 'services': ['IMAP']},
                     'hkpost_exchange_installed': [{'changed': False, 'thumbprint': 'AA', 'services': ['IIS']},
                                                   {'changed': True, 'thumbprint': 'BB', 'services': ['IMAP']}],
                     'hkpost_exchange_backup_result': {'path': '/b/BB.pfx'},
                     'hkpost_exchange_backups': [{'path': '/b/AA.pfx'}, {'skipped': True}, {'path': '/b/BB.pfx'}]}}
    row = summarize(facts)['rows'][0]
    assert row['thumbprints'] == ['AA', 'BB'] and row['targets'] == ['IIS', 'IMAP']
    assert row['backups'] == ['/b/AA.pfx', '/b/BB.pfx'] and row['status'] == 'installed'
