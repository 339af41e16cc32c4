# -*- coding: utf-8 -*-
"""The fleet summary of a chain migration: statuses, and what a host really applied."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.chain._summary import summarize, to_csv_rows

STEPS = [{'op': 'add_cert', 'thumbprint': 'AA', 'store': 'CA'}, {'op': 'add_cert', 'thumbprint': 'BB', 'store': 'Root'},
         {'op': 'remove_cert', 'thumbprint': 'CC', 'store': 'CA'}]


def test_a_host_that_applied_two_of_three_steps_says_which():
    partial = {'failed': True, 'changed': True, 'plan': STEPS, 'applied': STEPS[:2], 'not_applied': STEPS[2:],
               'msg': 'the chain write stopped at step 3', 'removed': ['CC'], 'added': ['AA', 'BB']}
    summary = summarize({'web1': (partial, 'the chain write stopped at step 3')})
    row = summary['rows'][0]
    assert row['status'] == 'failed' and row['planned'] == 3
    assert row['applied'] == ['add_cert AA CA', 'add_cert BB Root']
    assert '2/3' in summary['table'][1]
    header, csv_row = to_csv_rows(summary)
    assert csv_row[header.index('applied_steps')] == 'add_cert AA CA | add_cert BB Root'


def test_unreachable_not_run_check_mode_and_success_are_told_apart():
    summary = summarize({
        'dark': ({'unreachable': True, 'msg': 'timed out'}, 'unreachable: timed out'),
        'later': (None, None),
        'dry': ({'changed': True, 'plan': STEPS}, None),            # check mode: planned, nothing applied
        'done': ({'changed': True, 'plan': STEPS, 'applied': STEPS}, None),
        'right': ({'changed': False, 'plan': []}, None)})
    rows = {r['host']: r for r in summary['rows']}
    assert {h: r['status'] for h, r in rows.items()} == {
        'dark': 'unreachable', 'later': 'not run', 'dry': 'changed', 'done': 'changed', 'right': 'already right'}
    assert 'not reached' in rows['later']['error'] and rows['dark']['error'] == 'unreachable: timed out'
    assert (len(rows['dry']['applied']), len(rows['done']['applied'])) == (0, 3)
    assert summary['counts']['unreachable'] == 1 and summary['counts']['not run'] == 1
