# -*- coding: utf-8 -*-
"""The fleet summary of an install rollout, from the one hkpost_install result each host registered."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.install._summary import summarize, to_csv_rows

IIS_RESULT = {'changed': True, 'platform': 'iis', 'certificates': [{'thumbprint': 'AB12'}],
              'bindings': [{'site': 'Default Web Site', 'host': 'www.example.hk', 'port': 443, 'changed': True}],
              'services': [], 'backups': [{'thumbprint': 'AB12', 'path': '/out/backup/web1/AB12.pfx'},
                                          {'thumbprint': 'OLD1', 'path': '/out/backup/web1/OLD1.pfx'}],
              'retired': [{'thumbprint': 'OLD1'}], 'kept': []}
EXCHANGE_RESULT = {'changed': False, 'platform': 'exchange', 'certificates': [{'thumbprint': 'CD34'}], 'bindings': [],
                   'services': [{'thumbprint': 'CD34', 'after': ['IIS', 'SMTP']}], 'backups': [], 'retired': [],
                   'kept': [{'thumbprint': 'OLD2', 'reason': 'grace period'}]}


def test_rows_for_iis_exchange_failed_unreachable_and_not_reached():
    facts = {
        'web1': {'hkpost_platform': 'iis', 'hkpost_chain_result': {'changed': False}, 'hkpost_install_result': IIS_RESULT},
        'ex1': {'hkpost_platform': 'exchange', 'hkpost_chain_result': {'changed': True},
                'hkpost_install_result': EXCHANGE_RESULT},
        'web2': {'hkpost_chain_result': {'changed': False}, 'hkpost_install_error': 'no pending request matches'},
        'web3': {'hkpost_chain_result': {'unreachable': True}, 'hkpost_install_error': 'unreachable: timed out'},
        'web4': {},
    }
    summary = summarize(facts)
    rows = {r['host']: r for r in summary['rows']}
    assert {h: r['status'] for h, r in rows.items()} == {
        'web1': 'installed', 'ex1': 'installed', 'web2': 'failed', 'web3': 'unreachable', 'web4': 'not run'}
    assert rows['web1']['thumbprints'] == ['AB12'] and rows['web1']['targets'] == ['Default Web Site www.example.hk:443']
    assert rows['web1']['backups'] == ['/out/backup/web1/AB12.pfx', '/out/backup/web1/OLD1.pfx']
    assert rows['web1']['retired'] == ['OLD1'] and rows['web1']['chain'] == 'already right'
    assert rows['ex1']['targets'] == ['IIS', 'SMTP'] and rows['ex1']['chain'] == 'changed'
    assert rows['ex1']['platform'] == 'exchange' and rows['ex1']['kept'] == ['OLD2: grace period']
    assert rows['web2']['error'] == 'no pending request matches'
    assert rows['web3']['chain'] == 'failed'
    assert 'retired OLD1' in [line for line in summary['table'] if line.startswith('web1')][0]
    header, *lines = to_csv_rows(summary)
    assert header[:3] == ['host', 'platform', 'status'] and header[-2:] == ['retired', 'kept'] and len(lines) == 5


def test_a_rerun_with_nothing_to_do_is_already_installed():
    facts = {'web1': {'hkpost_chain_result': {'changed': False},
                      'hkpost_install_result': dict(IIS_RESULT, changed=False, retired=[])}}
    row = summarize(facts)['rows'][0]
    assert row['status'] == 'already installed' and row['thumbprints'] == ['AB12']


def test_a_host_with_nothing_issued_yet_is_unchanged_with_no_certificate():
    facts = {'web1': {'hkpost_chain_result': {'changed': False}, 'hkpost_install_result': {'skipped': True,
                                                                                           'changed': False}}}
    row = summarize(facts)['rows'][0]
    assert row['status'] == 'nothing issued' and row['thumbprints'] == [] and row['targets'] == []


def test_the_platform_comes_from_the_result_before_the_inventory():
    facts = {'ex1': {'hkpost_chain_result': {'changed': False}, 'hkpost_install_result': EXCHANGE_RESULT}}
    assert summarize(facts)['rows'][0]['platform'] == 'exchange'
