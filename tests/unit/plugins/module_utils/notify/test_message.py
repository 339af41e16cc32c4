# -*- coding: utf-8 -*-
"""The notification message and payloads: outcome per kind, the to-renew list, limits, and what is never read."""

from __future__ import annotations

import json

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import MAX_LINES, build, plain_text, subject
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._payloads import payload
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._redact import scrub, url_endpoint, url_secrets


def _inventory(expired=0, hosts_read=3):
    return {
        'summary': {'hosts': 3, 'hosts_read': hosts_read, 'leaf_certificates': 4, 'expiring': 1, 'expired': expired,
                    'stale': 2, 'old_generation': 0, 'audited': False, 'stale_by_reason': {'expired': 1}},
        'certificates': [
            {'common_name': 'ca.example.hk', 'is_ca': True, 'status': 'expired', 'days_left': -3, 'hosts': ['h1']},
            {'common_name': 'soon.example.hk', 'is_ca': False, 'status': 'expiring', 'days_left': 9,
             'not_after': '2026-12-16', 'hosts': ['web02', 'web01'], 'consumers': [{'password': 'x'}]},
            {'common_name': 'fine.example.hk', 'is_ca': False, 'status': 'valid', 'days_left': 200, 'hosts': ['h1']},
        ],
        'forecast': {'totals': {'renewals': 14, 'portal_sessions': 6, 'busiest_week': '2027-W10',
                                'busiest_week_due': 4}},
    }


def test_inventory_success_lists_expiring_leaves_and_the_forecast():
    message = build('inventory', _inventory())
    assert message['outcome'] == 'success'
    assert [c['common_name'] for c in message['to_renew']] == ['soon.example.hk']
    assert message['to_renew'][0]['hosts'] == ['web02', 'web01']
    assert 'next 52 weeks: 14 renewals, 6 portal sessions, busiest week 2027-W10 (4 due)' in message['lines']
    text = plain_text(message)
    assert '- soon.example.hk - expiring, expires in 9 days (2026-12-16); hosts: web02, web01' in text
    assert 'password' not in json.dumps(message)  # consumers are not read at all


@pytest.mark.parametrize('inventory', [_inventory(expired=1), _inventory(hosts_read=2)])
def test_inventory_fails_on_an_expired_certificate_or_an_unread_host(inventory):
    assert build('inventory', inventory)['outcome'] == 'failure'


def test_audit_report_may_be_the_to_renew_file_itself():
    entry = {'common_name': 'a.example.hk', 'status': 'expired', 'days_left': -2, 'hosts': ['web01'],
             'endpoints': [{'address': '192.0.2.1'}]}
    renew = {'generated': 'x', 'certificates': [entry]}
    message = build('audit', renew)
    assert message['outcome'] == 'failure' and message['to_renew_total'] == 1
    assert 'a.example.hk - expired, expired 2 days ago; hosts: web01' in plain_text(message)
    assert '192.0.2.1' not in json.dumps(message)


def test_renewal_summary_failed_hosts_with_their_detail_and_overrides():
    rows = [{'host': 'web01', 'status': 'ok'}, {'host': 'web02', 'status': 'failed', 'detail': 'portal refused the CSR'}]
    summary = {'rows': rows, 'counts': {'ok': 1, 'failed': 1}, 'failed': ['web02']}
    renew = [{'common_name': 'x.example.hk', 'status': 'expiring', 'days_left': 5}]
    message = build('rollout', summary, title='Renewal: install', to_renew=renew)
    assert message['outcome'] == 'failure' and message['lines'] == ['web02: failed - portal refused the CSR']
    assert subject(message) == '[hkpost.ecert] FAILURE: Renewal: install - 2 hosts: ok 1, failed 1, 1 to renew'
    assert build('rollout', summary, outcome='success')['outcome'] == 'success'


def test_long_lists_are_cut_and_say_how_many_more():
    rows = [{'host': 'web%03d' % i, 'status': 'failed', 'error': 'x' * 500} for i in range(120)]
    message = build('rollout', {'rows': rows, 'counts': {'failed': 120}})
    assert len(message['lines']) == MAX_LINES and message['lines_total'] == 120
    assert '- ... and 70 more (see the report)' in plain_text(message)
    assert max(len(line) for line in message['lines']) < 260  # a cell is cut, not the whole table


def test_slack_payload_stays_within_block_kit_limits():
    renew = [{'common_name': 'host-%03d.%s.example.hk' % (i, 'a' * 60), 'status': 'expiring', 'days_left': i,
              'hosts': ['web%03d' % i]} for i in range(200)]
    message = build('audit', {'summary': {'total': 200, 'by_verdict': {'ok': 0, 'warning': 200, 'critical': 0,
                                                                       'error': 0}}}, title='T' * 300, to_renew=renew)
    slack = payload(message, 'slack')
    assert len(slack['blocks'][0]['text']['text']) == 150 and len(slack['blocks']) <= 50
    for block in slack['blocks']:
        assert len(block.get('text', {}).get('text', '')) <= 3000
        assert len(block.get('fields', [])) <= 10
    assert slack['text'].startswith('[hkpost.ecert] SUCCESS: ' + 'T' * 200)


def test_slack_mrkdwn_control_characters_are_escaped():
    message = build('rollout', {'rows': [{'host': '<!channel> & co', 'status': 'failed'}], 'counts': {}})
    section = [b for b in payload(message, 'slack')['blocks'] if 'Details' in b.get('text', {}).get('text', '')][0]
    assert '&lt;!channel&gt; &amp; co: failed' in section['text']['text']


def test_teams_payload_is_one_adaptive_card():
    card = payload(build('inventory', _inventory(expired=1)), 'teams')
    assert card['type'] == 'message' and len(card['attachments']) == 1
    content = card['attachments'][0]['content']
    assert content['$schema'] == 'http://adaptivecards.io/schemas/adaptive-card.json'
    assert content['body'][0]['color'] == 'Attention'
    facts = [f for b in content['body'] if b['type'] == 'FactSet' for f in b['facts']]
    assert {'title': 'expired', 'value': '1'} in facts


@pytest.mark.parametrize('url, endpoint', [
    ('https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX', 'https://hooks.slack.com'),
    ('https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01'
     '&sig=SIGNATURE123', 'https://prod-00.westeurope.logic.azure.com:443'),
    ('http://[::1]:8080/hook/secret-path', 'http://[::1]:8080'),
    ('not a url', 'the webhook URL (no scheme or host)'),
])
def test_webhooks_are_named_without_their_token(url, endpoint):
    assert url_endpoint(url) == endpoint
    masked = scrub('posting to %s failed' % url, url_secrets(url))
    assert masked == 'posting to ******** failed'
    if 'sig=' in url:  # one query value quoted alone is masked too
        assert scrub('bad signature sig=SIGNATURE123', url_secrets(url)) == 'bad signature sig=********'


def test_a_report_of_the_wrong_type_is_refused_naming_what_is_expected():
    with pytest.raises(HkpostError, match='report must be a dictionary .the registered hkpost_served_chain result.'):
        build('audit', ['not', 'a', 'report'])
