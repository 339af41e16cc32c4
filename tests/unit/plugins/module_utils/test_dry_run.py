# -*- coding: utf-8 -*-
"""Dry runs and partial runs leave the controller's records true (issue 22, "Say what happened, and only that")."""

from __future__ import annotations

import json

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._dry_run import check_path, keep_rows_of_other_hosts
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.chain import _summary as chain
from ansible_collections.hkpost.ecert.plugins.module_utils.install import _summary as install


@pytest.mark.parametrize('path, check_mode, expected', [
    ('/out/reports/install.csv', False, '/out/reports/install.csv'),
    ('/out/reports/install.csv', True, '/out/reports/install.check.csv'),
    ('/out/csr/submission.csv', True, '/out/csr/submission.check.csv'),
    ('/out/reports/chain_migration.json', True, '/out/reports/chain_migration.check.json'),
    ('/out/reports/renewal', True, '/out/reports/renewal.check'),
])
def test_a_dry_run_writes_beside_the_real_file(path, check_mode, expected):
    assert check_path(path, check_mode) == expected


def test_a_partial_run_keeps_the_other_hosts_rows_and_replaces_its_own():
    before = json.dumps([{'host': 'web1', 'status': 'installed', 'error': ''},
                         {'host': 'web2', 'status': 'failed', 'error': 'x'},
                         {'host': 'web3', 'status': 'installed'}])   # an older version's row: fields missing
    summary = {'rows': [{'host': 'web2', 'status': 'installed', 'error': ''}], 'table': ['t'], 'counts': {'installed': 1}}
    merged = keep_rows_of_other_hosts(summary, before, ['web2'])
    assert merged['rows'] == [{'host': 'web1', 'status': 'installed', 'error': ''},
                              {'host': 'web2', 'status': 'installed', 'error': ''}]
    assert merged['table'] == ['t'] and merged['counts'] == {'installed': 1}   # the printed summary is this run's
    assert summary['rows'] == [{'host': 'web2', 'status': 'installed', 'error': ''}]   # not changed in place
    # renewal.json's shape, a dict with hosts
    assert [r['host'] for r in keep_rows_of_other_hosts(summary, json.dumps({'hosts': json.loads(before)}), ['web2'])['rows']] \
        == ['web1', 'web2']
    assert keep_rows_of_other_hosts(summary, '', ['web2'])['rows'] == summary['rows']
    with pytest.raises(HkpostError, match='not JSON'):
        keep_rows_of_other_hosts(summary, '{broken', ['web2'])


def test_check_mode_summaries_say_would():
    facts = {'web1': {'hkpost_chain_result': {'changed': True},
                      'hkpost_install_result': {'changed': True, 'certificates': [{'thumbprint': 'AB'}]}},
             'web2': {'hkpost_chain_result': {'changed': False},
                      'hkpost_install_result': {'changed': False, 'certificates': [{'thumbprint': 'CD'}]}}}
    dry = install.summarize(facts, check_mode=True)
    assert [r['status'] for r in dry['rows']] == ['would install', 'already installed']
    assert dry['table'][-1].startswith('dry run, nothing was changed - hosts that would install: 1, already installed: 1, nothing issued: 0')
    assert dry['counts']['installed'] == 1   # AWX's set_stats keys stay the same
    real = install.summarize(facts)
    assert [r['status'] for r in real['rows']] == ['installed', 'already installed']
    assert real['table'][-1].startswith('hosts installed: 1, already installed: 1, nothing issued: 0')

    results = {'web1': ({'changed': True}, None), 'web2': ({'changed': False}, None)}
    dry = chain.summarize(results, check_mode=True)
    assert [r['status'] for r in dry['rows']] == ['would migrate', 'already right']
    assert 'hosts that would migrate: 1, already right: 1' in dry['table'][-1]
    assert 'hosts changed: 1, already right: 1' in chain.summarize(results)['table'][-1]
