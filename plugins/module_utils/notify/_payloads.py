# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JSON a webhook receives, per ``format``, each a documented shape:

- ``slack``: an incoming-webhook message, ``text`` (the notification fallback) plus ``blocks`` (Block Kit:
  ``header`` with plain text of at most 150 characters, ``section`` with mrkdwn of at most 3,000 - Slack's
  documented limits, "Reference: blocks", api.slack.com);
- ``teams``: a Teams message with one Adaptive Card attachment (``type: message``, ``attachments[0].contentType
  application/vnd.microsoft.card.adaptive``, card version 1.4) - what Microsoft documents for incoming webhooks
  and Workflows ("Create Incoming Webhooks", "Send Adaptive Cards using an Incoming Webhook", learn.microsoft.com);
  the retired Office 365 connectors' MessageCard is not sent;
- ``generic``: the message itself as data (``source``, ``kind``, ``title``, ``outcome``, ``headline``, ``facts``,
  ``to_renew`` ...) with ``text``, for anything else that reads JSON.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import plain_text, renew_line, subject

FORMATS = ('slack', 'teams', 'generic')
_SLACK_SECTION = 3000
_SLACK_HEADER = 150


def _cut(text, limit):
    return text if len(text) <= limit else text[:limit - 1] + '\u2026'


def _mrkdwn_escape(text):
    # Slack: &, < and > are control characters in mrkdwn ("Formatting text for app surfaces").
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def _bullets(items):
    return '\n'.join('\u2022 ' + _mrkdwn_escape(item) for item in items)


def _renew_lines(message):
    lines = [renew_line(item) for item in message['to_renew']]
    if message['to_renew_total'] > len(lines):
        lines.append('... and %d more' % (message['to_renew_total'] - len(lines)))
    return lines


def slack(message):
    icon = ':red_circle:' if message['outcome'] == 'failure' else ':large_green_circle:'
    header = _cut('%s: %s' % (message['title'], message['outcome'].upper()), _SLACK_HEADER)
    headline = _cut('%s %s' % (icon, _mrkdwn_escape(message['headline'])), _SLACK_SECTION)
    blocks = [
        {'type': 'header', 'text': {'type': 'plain_text', 'text': header}},
        {'type': 'section', 'text': {'type': 'mrkdwn', 'text': headline}},
    ]
    if message['facts']:
        blocks.append({'type': 'section', 'fields': [
            {'type': 'mrkdwn', 'text': _cut('*%s*\n%s' % (_mrkdwn_escape(n), _mrkdwn_escape(v)), 2000)}
            for n, v in message['facts'][:10]]})  # Slack: at most 10 fields per section
    if message['to_renew_total']:
        blocks.append({'type': 'section', 'text': {'type': 'mrkdwn', 'text': _cut(
            '*To renew (%d)*\n%s' % (message['to_renew_total'], _bullets(_renew_lines(message))), _SLACK_SECTION)}})
    if message['lines']:
        blocks.append({'type': 'section', 'text': {'type': 'mrkdwn', 'text': _cut(
            '*Details*\n%s' % _bullets(message['lines']), _SLACK_SECTION)}})
    if message['link']:
        blocks.append({'type': 'context', 'elements': [{'type': 'mrkdwn', 'text': _cut(
            'Report: %s' % _mrkdwn_escape(message['link']), _SLACK_SECTION)}]})
    return {'text': subject(message), 'blocks': blocks}


def teams(message):
    body = [
        {'type': 'TextBlock', 'size': 'Medium', 'weight': 'Bolder', 'wrap': True,
         'color': 'Attention' if message['outcome'] == 'failure' else 'Good',
         'text': '%s: %s' % (message['title'], message['outcome'].upper())},
        {'type': 'TextBlock', 'wrap': True, 'text': message['headline']},
    ]
    if message['facts']:
        body.append({'type': 'FactSet', 'facts': [{'title': n, 'value': v} for n, v in message['facts']]})
    if message['to_renew_total']:
        body.append({'type': 'TextBlock', 'weight': 'Bolder', 'wrap': True,
                     'text': 'To renew (%d)' % message['to_renew_total']})
        body.append({'type': 'TextBlock', 'wrap': True, 'text': '\n'.join('- ' + line for line in _renew_lines(message))})
    if message['lines']:
        body.append({'type': 'TextBlock', 'weight': 'Bolder', 'text': 'Details'})
        body.append({'type': 'TextBlock', 'wrap': True, 'text': '\n'.join('- ' + line for line in message['lines'])})
    if message['link']:
        body.append({'type': 'TextBlock', 'wrap': True, 'isSubtle': True, 'text': 'Report: %s' % message['link']})
    card = {'$schema': 'http://adaptivecards.io/schemas/adaptive-card.json', 'type': 'AdaptiveCard', 'version': '1.4',
            'body': body}
    return {'type': 'message', 'summary': subject(message), 'attachments': [
        {'contentType': 'application/vnd.microsoft.card.adaptive', 'contentUrl': None, 'content': card}]}


def generic(message):
    data = {'source': 'hkpost.ecert', 'subject': subject(message), 'text': plain_text(message)}
    data.update({k: message[k] for k in ('kind', 'title', 'outcome', 'headline', 'lines', 'lines_total', 'to_renew',
                                         'to_renew_total', 'link')})
    data['facts'] = dict(message['facts'])
    return data


BUILDERS = {'slack': slack, 'teams': teams, 'generic': generic}


def payload(message, fmt):
    return BUILDERS[fmt](message)
