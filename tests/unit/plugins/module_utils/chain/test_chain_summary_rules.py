# -*- coding: utf-8 -*-
"""The chain migration's fleet summary (chain._summary): rules the mutation run (issue 21) found unpinned, one test
per rule."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.chain._summary import host_row, summarize, to_csv_rows

STEP = {'op': 'add_cert', 'thumbprint': 'AA', 'store': 'CA'}
LEAVES = [{'subject': 'CN=b.example.hk', 'issued_under': 'old'}, {'subject': 'CN=a.example.hk', 'issued_under': 'old'},
          {'subject': 'CN=a.example.hk', 'issued_under': 'old'}, {'subject': 'CN=c.example.hk', 'issued_under': 'new'},
          {'subject': 'CN=d.example.hk'}]


def test_leaves_to_reissue_are_those_issued_under_the_old_chain_once_each_sorted():
    row = host_row('web1', {'changed': True, 'leaves': LEAVES})
    assert row['reissue'] == ['CN=a.example.hk', 'CN=b.example.hk']


def test_a_step_missing_a_field_shows_a_question_mark():
    row = host_row('web1', {'changed': True, 'plan': [STEP], 'applied': [STEP, {}]})
    assert row['applied'] == ['add_cert AA CA', '? ? ?']


def test_an_error_alone_fails_the_host_and_is_its_note():
    row = host_row('web1', None, 'ssh: connection refused')
    assert row['status'] == 'failed' and row['error'] == 'ssh: connection refused' and row['planned'] == 0
    assert row['applied'] == [] and row['removed'] == 0 and row['added'] == 0


def test_a_failed_result_without_an_error_gives_its_msg_and_a_success_none():
    assert host_row('web1', {'failed': True, 'msg': 'store locked'})['error'] == 'store locked'
    assert host_row('web1', {'failed': True})['error'] == ''
    assert host_row('web1', {'changed': True, 'msg': 'all good'})['error'] == ''


def test_an_unreachable_host_is_unreachable_even_when_failed():
    assert host_row('web1', {'unreachable': True, 'failed': True, 'msg': 'x'}, 'timed out')['status'] == 'unreachable'


def test_counts_and_the_closing_line_count_every_status_and_leaf():
    summary = summarize({'w1': ({'changed': True, 'leaves': LEAVES, 'removed': ['X'], 'added': ['Y', 'Z']}, None),
                         'w2': ({'changed': False}, None), 'w3': ({'changed': False}, None),
                         'w4': (None, 'boom'), 'w5': (None, None)})
    assert summary['counts'] == {'changed': 1, 'already right': 2, 'failed': 1, 'unreachable': 0, 'not run': 1,
                                 'leaves to re-issue': 2}
    assert summary['table'][-1] == ('hosts changed: 1, already right: 2, failed: 1, unreachable: 0, not run: 1, '
                                    'leaves to re-issue: 2')
    row = summary['table'][1]
    assert row.split()[:6] == ['w1', 'changed', '1', '2', '0/0', '2'] and row.endswith('CN=a.example.hk; CN=b.example.hk')


def test_a_dry_run_words_changed_as_would_migrate_and_says_nothing_changed():
    summary = summarize({'w1': ({'changed': True}, None), 'w2': ({'changed': False}, None)}, check_mode=True)
    assert [r['status'] for r in summary['rows']] == ['would migrate', 'already right']
    assert summary['counts']['changed'] == 1
    assert summary['table'][-1].startswith('dry run, nothing was changed - hosts that would migrate: 1, already right: 1')


def test_table_cuts_a_long_host_name_at_28_and_a_note_at_100_characters():
    host = 'h' * 40
    summary = summarize({host: (None, 'e' * 150)})
    line = summary['table'][1]
    assert line.startswith('h' * 28 + ' ') and line.endswith('  ' + 'e' * 100)


def test_csv_rows_join_lists_with_bars():
    summary = summarize({'w1': ({'changed': True, 'plan': [STEP, STEP], 'applied': [STEP], 'leaves': LEAVES,
                                 'warnings': ['one', 'two']}, None)})
    header, row = to_csv_rows(summary)
    assert dict(zip(header, row)) == {'host': 'w1', 'status': 'changed', 'removed': 0, 'added': 0, 'planned_steps': 2,
                                      'applied_steps': 'add_cert AA CA', 'leaves_to_reissue':
                                      'CN=a.example.hk | CN=b.example.hk', 'warnings': 'one | two', 'error': ''}


def test_a_host_not_run_counts_nothing_removed_added_or_planned():
    row = host_row('web1', None)
    assert (row['removed'], row['added'], row['planned'], row['applied']) == (0, 0, 0, [])


def test_applied_given_as_none_is_nothing_applied():
    assert host_row('web1', {'changed': True, 'applied': None})['applied'] == []
