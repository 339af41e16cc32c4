# -*- coding: utf-8 -*-
"""The webhook payloads, rule by rule (issue 21, mutation survivors): what each format carries for a failure with
every section and for a quiet success, Slack's size limits, and the "... and N more" of a cut to-renew list."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import MAX_LINES, build, plain_text
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._payloads import payload

FULL = build('rollout', {'rows': [{'host': 'web01', 'status': 'failed', 'error': 'a<b'}], 'counts': {'failed': 1}},
             to_renew=[{'common_name': 'x.example.hk', 'status': 'expiring', 'days_left': 3}], link='https://ci/1?a&b')
QUIET = build('rollout', {})
SUBJECT = '[hkpost.ecert] FAILURE: Certificate rollout - 1 hosts: failed 1, 1 to renew'


def test_slack_failure_carries_every_section_escaped():
    assert payload(FULL, 'slack') == {'text': SUBJECT, 'blocks': [
        {'type': 'header', 'text': {'type': 'plain_text', 'text': 'Certificate rollout: FAILURE'}},
        {'type': 'section', 'text': {'type': 'mrkdwn', 'text': ':red_circle: 1 hosts: failed 1'}},
        {'type': 'section', 'fields': [{'type': 'mrkdwn', 'text': '*failed*\n1'}]},
        {'type': 'section', 'text': {'type': 'mrkdwn', 'text': '*To renew (1)*\n\u2022 x.example.hk - expiring, expires in 3 days'}},
        {'type': 'section', 'text': {'type': 'mrkdwn', 'text': '*Details*\n\u2022 web01: failed - a&lt;b'}},
        {'type': 'context', 'elements': [{'type': 'mrkdwn', 'text': 'Report: https://ci/1?a&amp;b'}]},
    ]}


def test_slack_success_is_green_with_only_header_and_headline():
    assert payload(QUIET, 'slack')['blocks'] == [
        {'type': 'header', 'text': {'type': 'plain_text', 'text': 'Certificate rollout: SUCCESS'}},
        {'type': 'section', 'text': {'type': 'mrkdwn', 'text': ':large_green_circle: 0 hosts: none'}}]


def test_slack_header_of_exactly_150_characters_is_kept_whole_and_one_more_is_cut():
    kept = payload(build('rollout', {}, title='T' * 141), 'slack')['blocks'][0]['text']['text']
    assert kept == 'T' * 141 + ': SUCCESS'
    cut = payload(build('rollout', {}, title='T' * 142), 'slack')['blocks'][0]['text']['text']
    assert cut == 'T' * 142 + ': SUCCE' + '\u2026' and len(cut) == 150


def test_slack_shows_at_most_ten_facts():
    counts = {'status%02d' % i: 1 for i in range(12)}
    fields = payload(build('rollout', {'counts': counts}), 'slack')['blocks'][2]['fields']
    assert [f['text'] for f in fields] == ['*status%02d*\n1' % i for i in range(10)]


def test_a_cut_to_renew_list_says_how_many_more_in_every_chat_format():
    renew = [{'common_name': 'c%d' % i, 'status': 'expiring', 'days_left': 1} for i in range(MAX_LINES + 2)]
    message = build('rollout', {}, to_renew=renew)
    slack = payload(message, 'slack')['blocks'][2]['text']['text']
    assert slack.startswith('*To renew (52)*\n') and slack.endswith('\n\u2022 ... and 2 more')
    teams = payload(message, 'teams')['attachments'][0]['content']['body'][3]['text']
    assert teams.endswith('- c49 - expiring, expires in 1 days\n- ... and 2 more')
    exact = payload(build('rollout', {}, to_renew=renew[:MAX_LINES]), 'teams')['attachments'][0]['content']['body']
    assert 'more' not in exact[3]['text']


def test_teams_failure_is_one_adaptive_card_with_every_section():
    card = {'$schema': 'http://adaptivecards.io/schemas/adaptive-card.json', 'type': 'AdaptiveCard', 'version': '1.4',
            'body': [
                {'type': 'TextBlock', 'size': 'Medium', 'weight': 'Bolder', 'wrap': True, 'color': 'Attention',
                 'text': 'Certificate rollout: FAILURE'},
                {'type': 'TextBlock', 'wrap': True, 'text': '1 hosts: failed 1'},
                {'type': 'FactSet', 'facts': [{'title': 'failed', 'value': '1'}]},
                {'type': 'TextBlock', 'weight': 'Bolder', 'wrap': True, 'text': 'To renew (1)'},
                {'type': 'TextBlock', 'wrap': True, 'text': '- x.example.hk - expiring, expires in 3 days'},
                {'type': 'TextBlock', 'weight': 'Bolder', 'text': 'Details'},
                {'type': 'TextBlock', 'wrap': True, 'text': '- web01: failed - a<b'},
                {'type': 'TextBlock', 'wrap': True, 'isSubtle': True, 'text': 'Report: https://ci/1?a&b'}]}
    assert payload(FULL, 'teams') == {'type': 'message', 'summary': SUBJECT, 'attachments': [
        {'contentType': 'application/vnd.microsoft.card.adaptive', 'contentUrl': None, 'content': card}]}


def test_teams_success_is_good_with_only_title_and_headline():
    assert payload(QUIET, 'teams')['attachments'][0]['content']['body'] == [
        {'type': 'TextBlock', 'size': 'Medium', 'weight': 'Bolder', 'wrap': True, 'color': 'Good',
         'text': 'Certificate rollout: SUCCESS'},
        {'type': 'TextBlock', 'wrap': True, 'text': '0 hosts: none'}]


def test_generic_is_the_message_as_data_with_its_text():
    assert payload(FULL, 'generic') == {
        'source': 'hkpost.ecert', 'subject': SUBJECT, 'text': plain_text(FULL), 'kind': 'rollout',
        'title': 'Certificate rollout', 'outcome': 'failure', 'headline': '1 hosts: failed 1',
        'lines': ['web01: failed - a<b'], 'lines_total': 1, 'to_renew': FULL['to_renew'], 'to_renew_total': 1,
        'link': 'https://ci/1?a&b', 'facts': {'failed': '1'}}
