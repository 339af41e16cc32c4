# -*- coding: utf-8 -*-
"""The rules of one notification message (issue 21, mutation survivors): when a run is a failure, which rows and
certificates a message names, how long each text may be, and how the plain text reads."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import (
    MAX_LINES, build, plain_text, renew_line, renew_list, subject)


# --- rollout -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('summary', [
    {'rows': [{'host': 'web01', 'status': 'ok'}], 'counts': {'ok': 1, 'failed': 1}},
    {'rows': [{'host': 'web01', 'status': 'ok'}], 'counts': {'ok': 1, 'unreachable': 2}},
    {'rows': [{'host': 'web01', 'status': 'ok'}], 'counts': {'ok': 1}, 'failed': ['web02']},
    {'rows': [{'host': 'web01', 'status': 'unreachable'}], 'counts': {}},
], ids=['failed-count', 'unreachable-count', 'failed-list', 'unreachable-row'])
def test_rollout_is_a_failure_on_any_failed_or_unreachable_host(summary):
    assert build('rollout', summary)['outcome'] == 'failure'


def test_rollout_with_every_host_ok_is_a_success_listing_every_host():
    summary = {'rows': [{'host': 'web01', 'status': 'ok'}, {'host': 'web02', 'status': 'changed', 'detail': 'bound'},
                        'not a row'],
               'counts': {'ok': 1, 'changed': 1, 'failed': 0, 'note': 'x'}, 'failed': []}
    message = build('rollout', summary)
    assert message['outcome'] == 'success'
    assert message['lines'] == ['web01: ok', 'web02: changed - bound']
    assert message['headline'] == '2 hosts: ok 1, changed 1'  # a zero count is left out of the headline
    assert message['facts'] == [['ok', '1'], ['changed', '1'], ['failed', '0']]  # a count that is no number: dropped


def test_rollout_lines_name_only_the_failed_hosts_with_their_error():
    rows = [{'host': 'web01', 'status': 'ok', 'detail': 'fine'},
            {'host': 'web02', 'status': 'failed', 'error': 'WinRM refused', 'detail': 'ignored'},
            {'host': 'web03', 'status': 'unreachable'}]
    message = build('rollout', {'rows': rows, 'counts': {'ok': 1, 'failed': 1, 'unreachable': 1}})
    assert message['lines'] == ['web02: failed - WinRM refused', 'web03: unreachable']


def test_rollout_without_rows_or_counts_says_none():
    message = build('rollout', {})
    assert message['headline'] == '0 hosts: none' and message['outcome'] == 'success'
    assert message['lines'] == [] and message['facts'] == []


# --- audit ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('verdicts, outcome', [
    ({'ok': 3, 'warning': 1}, 'success'), ({'ok': 3, 'critical': 1}, 'failure'), ({'ok': 3, 'error': 1}, 'failure'),
    ({'ok': 3, 'critical': 0, 'error': 0}, 'success'),
])
def test_audit_fails_on_a_critical_or_unauditable_endpoint(verdicts, outcome):
    assert build('audit', {'summary': {'by_verdict': verdicts}})['outcome'] == outcome


def test_audit_headline_facts_and_finding_codes():
    summary = {'by_verdict': {'ok': 2, 'critical': 1, 'odd': 'x'}, 'by_code': {'ZZ_LAST': 1, 'AA_FIRST': 2, 'BAD': 'x'}}
    message = build('audit', {'summary': summary})
    assert message['headline'] == '3 endpoints: 2 ok, 1 critical'  # the total defaults to the sum of the verdicts
    assert message['facts'] == [['ok', '2'], ['critical', '1']]
    assert message['lines'] == ['AA_FIRST: 2', 'ZZ_LAST: 1']  # sorted; a count that is no number is dropped
    assert build('audit', {'summary': dict(summary, total=7)})['headline'].startswith('7 endpoints: ')


def test_audit_to_renew_comes_from_the_endpoints_only_when_there_are_endpoints():
    assert build('audit', {'summary': {'by_verdict': {'ok': 1}}})['to_renew_total'] == 0
    assert build('audit', {'summary': {'by_verdict': {'ok': 1}}, 'endpoints': []})['to_renew_total'] == 0


@pytest.mark.parametrize('certificates, outcome', [([], 'success'), ([{'common_name': 'a', 'status': 'expiring'}], 'failure')])
def test_the_to_renew_file_fails_only_when_something_is_to_renew(certificates, outcome):
    message = build('audit', {'certificates': certificates})
    assert message['outcome'] == outcome
    assert message['headline'] == '%d certificates to renew' % len(certificates)


# --- inventory -----------------------------------------------------------------------------------------------------

def test_inventory_with_every_host_read_and_nothing_expired_is_a_success():
    summary = {'hosts': 2, 'hosts_read': 2, 'leaf_certificates': 5, 'expiring': 0, 'expired': 0, 'audited': True}
    message = build('inventory', {'summary': summary})
    assert message['outcome'] == 'success'
    assert message['headline'] == '2 of 2 hosts read; 5 leaf certificates, 0 expiring, 0 expired'
    # a boolean is no count; names are shown with spaces, in a fixed order
    assert message['facts'] == [['hosts', '2'], ['hosts read', '2'], ['leaf certificates', '5'], ['expiring', '0'],
                                ['expired', '0']]
    assert message['lines'] == []  # no forecast, no forecast line


def test_inventory_of_nothing_reads_zero_of_zero_hosts():
    message = build('inventory', {})
    assert message['outcome'] == 'success'
    assert message['headline'] == '0 of 0 hosts read; 0 leaf certificates, 0 expiring, 0 expired'


def test_inventory_to_renew_is_the_expired_and_expiring_leaves_only():
    certificates = [{'common_name': 'ca', 'is_ca': True, 'status': 'expired'},
                    {'common_name': 'gone', 'status': 'expired'}, {'common_name': 'soon', 'status': 'expiring'},
                    {'common_name': 'fine', 'status': 'valid'}, 'not a certificate']
    message = build('inventory', {'certificates': certificates})
    assert [c['common_name'] for c in message['to_renew']] == ['gone', 'soon']


def test_inventory_forecast_line_without_a_busiest_week_shows_a_dash():
    message = build('inventory', {'forecast': {'totals': {'renewals': 0, 'portal_sessions': 0}}})
    assert message['lines'] == ['next 52 weeks: 0 renewals, 0 portal sessions, busiest week - ( due)']


# --- build ---------------------------------------------------------------------------------------------------------

def test_an_unknown_kind_is_refused_naming_the_kinds():
    with pytest.raises(HkpostError, match='kind must be one of rollout, audit, inventory'):
        build('fleet', {})


def test_title_defaults_per_kind_and_texts_are_cut():
    assert build('audit', {})['title'] == 'TLS chain audit'
    assert build('inventory', {})['title'] == 'Certificate inventory'
    message = build('rollout', {'counts': {'k' * 100: 1}}, title='t' * 300, link='https://x/' + 'l' * 600)
    assert message['title'] == 't' * 200 and len(message['link']) == 500
    assert message['facts'] == [['k' * 40, '1']]
    assert build('rollout', {}, link='')['link'] is None


def test_an_explicit_outcome_and_to_renew_win_over_the_report():
    message = build('rollout', {'counts': {'failed': 1}}, outcome='success', to_renew={'certificates': [{'common_name': 'x'}]})
    assert message['outcome'] == 'success' and message['to_renew_total'] == 1
    assert build('rollout', {}, to_renew=[])['to_renew_total'] == 0


def test_exactly_max_lines_are_all_kept_and_no_more_is_said():
    rows = [{'host': 'h%d' % i, 'status': 'ok'} for i in range(MAX_LINES)]
    message = build('rollout', {'rows': rows})
    assert len(message['lines']) == MAX_LINES == message['lines_total']
    assert 'more (see the report)' not in plain_text(message)


def test_to_renew_is_cut_at_max_lines_and_the_text_says_how_many_more():
    renew = [{'common_name': 'c%d' % i, 'status': 'expiring', 'days_left': 3} for i in range(MAX_LINES + 2)]
    message = build('rollout', {}, to_renew=renew)
    assert len(message['to_renew']) == MAX_LINES and message['to_renew_total'] == MAX_LINES + 2
    assert '- ... and 2 more (see the to-renew file)' in plain_text(message)
    exact = build('rollout', {}, to_renew=renew[:MAX_LINES])
    assert 'more (see the to-renew file)' not in plain_text(exact)


# --- to-renew entries ------------------------------------------------------------------------------------------------

def test_renew_entries_keep_only_named_fields_and_printable_hosts():
    entry = {'common_name': 'n' * 300, 'status': 's' * 30, 'days_left': 4, 'sha256': 'ab', 'password': 'x',
             'hosts': ['web01', 7, None, {'h': 1}, 'w' * 150]}
    (item,) = renew_list({'certificates': [entry, 'junk', None]})
    assert set(item) == {'common_name', 'status', 'days_left', 'not_after', 'sha256', 'hosts'}
    assert item['common_name'] == 'n' * 200 and item['status'] == 's' * 20
    assert item['hosts'] == ['web01', '7', 'w' * 100]
    assert renew_list(None) == [] and renew_list({}) == []
    assert renew_list([{'common_name': None}])[0]['common_name'] == ''


@pytest.mark.parametrize('days, text', [(-2, 'expired 2 days ago'), (0, 'expires in 0 days'), (5, 'expires in 5 days'),
                                        (None, 'expiry unknown'), ('5', 'expiry unknown')])
def test_renew_line_says_when(days, text):
    item = {'common_name': 'a', 'status': 'expiring', 'days_left': days, 'not_after': None, 'hosts': []}
    assert renew_line(item) == 'a - expiring, %s' % text


def test_renew_line_without_name_or_status():
    item = {'common_name': '', 'status': '', 'days_left': 1, 'not_after': '2027-01-01', 'hosts': ['h1', 'h2']}
    assert renew_line(item) == '(no name) - renew, expires in 1 days (2027-01-01); hosts: h1, h2'


# --- subject and text ------------------------------------------------------------------------------------------------

def test_subject_names_the_to_renew_count_only_when_there_is_one():
    assert subject(build('rollout', {})) == '[hkpost.ecert] SUCCESS: Certificate rollout - 0 hosts: none'
    message = build('rollout', {}, to_renew=[{'common_name': 'x'}])
    assert subject(message).endswith(' - 0 hosts: none, 1 to renew')


def test_plain_text_of_an_empty_run_is_title_headline_and_signature():
    assert plain_text(build('rollout', {})) == 'Certificate rollout: SUCCESS\n0 hosts: none\n\n-- hkpost.ecert\n'


def test_plain_text_sections_in_order_with_the_link():
    message = build('rollout', {'rows': [{'host': 'web01', 'status': 'failed', 'error': 'boom'}]},
                    to_renew=[{'common_name': 'x', 'status': 'expired', 'days_left': -1}], link='https://ci/1')
    assert plain_text(message) == (
        'Certificate rollout: FAILURE\n1 hosts: none\n\n'
        'To renew (1):\n- x - expired, expired 1 days ago\n\n'
        'Details:\n- web01: failed - boom\n\n'
        'Report: https://ci/1\n-- hkpost.ecert\n')


# --- second pass: cell limits, the audit's two shapes, counts that are not numbers -----------------------------------

def test_rollout_line_cells_are_cut_host_at_100_and_status_at_20():
    message = build('rollout', {'rows': [{'host': 'h' * 150, 'status': 's' * 30}]})
    assert message['lines'] == ['%s: %s' % ('h' * 100, 's' * 20)]


def test_audit_without_a_summary_or_with_both_is_the_audit_result_not_the_to_renew_file():
    assert build('audit', {})['headline'] == '0 endpoints: '
    both = build('audit', {'summary': {'total': 2, 'by_verdict': {'ok': 2}}, 'certificates': [{'common_name': 'x'}]})
    assert both['headline'] == '2 endpoints: 2 ok' and both['to_renew_total'] == 0


def test_audit_verdict_and_code_names_are_cut():
    message = build('audit', {'summary': {'by_verdict': {'v' * 30: 1}, 'by_code': {'C' * 50: 1}}})
    assert message['facts'] == [['v' * 20, '1']] and message['lines'] == ['C' * 40 + ': 1']


def test_audit_result_lists_the_expiring_leaves_its_endpoints_serve():
    leaf = {'sha256': 'aa' * 32, 'subject_cn': 'www.example.hk', 'not_after': '2027-01-01', 'is_ca': False}
    endpoint = {'inventory_name': 'web01', 'host': '192.0.2.1', 'port': 443, 'days_left': 9, 'served': [leaf],
                'findings': [{'code': 'expiring', 'certificate': leaf['sha256']}]}
    message = build('audit', {'summary': {'by_verdict': {'warning': 1}}, 'endpoints': [endpoint]})
    assert message['outcome'] == 'success'  # expiring is a warning, not a failure: the list says what to renew
    assert [(c['common_name'], c['status'], c['hosts']) for c in message['to_renew']] == [
        ('www.example.hk', 'expiring', ['web01'])]


@pytest.mark.parametrize('summary, outcome', [
    ({'hosts': 1}, 'failure'),  # no host read of one
    ({'hosts': 1, 'hosts_read': 1, 'expired': True}, 'success'),  # a boolean is no count
    ({'hosts': '3', 'hosts_read': 2}, 'success'),  # nor is a string
])
def test_inventory_outcome_counts_only_numbers(summary, outcome):
    message = build('inventory', {'summary': summary})
    assert message['outcome'] == outcome
    assert all(value.isdigit() for _name, value in message['facts'])


def test_inventory_forecast_cells_are_cut_at_12():
    totals = {'renewals': '1' * 20, 'portal_sessions': '2' * 20, 'busiest_week': 'W' * 20, 'busiest_week_due': '3' * 20}
    (line,) = build('inventory', {'forecast': {'totals': totals}})['lines']
    assert line == 'next 52 weeks: %s renewals, %s portal sessions, busiest week %s (%s due)' % (
        '1' * 12, '2' * 12, 'W' * 12, '3' * 12)


def test_fact_names_and_values_are_cut_at_60():
    message = build('audit', {'summary': {'by_verdict': {'ok': 10 ** 70}}})
    assert message['facts'] == [['ok', '1' + '0' * 59]]
    assert build('rollout', {}, title='t')['facts'] == []


def test_plain_text_says_how_many_more_before_the_blank_line_closing_a_section():
    renew = [{'common_name': 'c%d' % i, 'days_left': 1} for i in range(MAX_LINES + 1)]
    rows = [{'host': 'h%d' % i, 'status': 'ok'} for i in range(MAX_LINES + 1)]
    text = plain_text(build('rollout', {'rows': rows}, to_renew=renew))
    assert '- c49 - renew, expires in 1 days\n- ... and 1 more (see the to-renew file)\n\nDetails:\n' in text
    assert text.endswith('- h49: ok\n- ... and 1 more (see the report)\n\n-- hkpost.ecert\n')
