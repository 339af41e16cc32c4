# -*- coding: utf-8 -*-
"""hkpost_notify's decisions, rule by rule (issue 21): which outcome is sent, on which channels, in check mode, and
that every text leaving - to a channel or in the result - has the secrets it was given masked.

The two senders (_email.send, _webhook.send, each tested against real servers elsewhere) are replaced by recorders:
what is decided here is whether and with what they are called."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.notify import _notify
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._tls import NotifyError

PASSWORD = 'SmtpPassw0rd!'
TOKEN = 'T0KEN123456789'
URL = 'https://hooks.example.hk/services/' + TOKEN
FAILED = {'rows': [{'host': 'web01', 'status': 'failed', 'error': 'login refused for ' + PASSWORD}],
          'counts': {'failed': 1}}
FINE = {'rows': [{'host': 'web01', 'status': 'installed'}], 'counts': {'installed': 1}}
EMAIL = {'host': 'smtp.example.hk', 'port': 587, 'password': PASSWORD}
WEBHOOK = {'url': URL, 'format': 'slack'}


class _Calls(list):
    recorder = None


@pytest.fixture
def sent(monkeypatch):
    calls = _Calls()

    def recorder(name, fail=None):
        def send(message, options):
            calls.append((name, message, options))
            if fail:
                raise fail
            return name + ' endpoint'
        return send

    monkeypatch.setattr(_notify._email, 'send', recorder('email'))
    monkeypatch.setattr(_notify._webhook, 'send', recorder('webhook'))
    calls.recorder = recorder
    return calls


def _args(**kw):
    args = {'kind': 'rollout', 'report': FAILED}
    args.update(kw)
    return args


def test_secrets_are_the_password_and_the_url_parts():
    assert _notify.secrets_of({'host': 'smtp.example.hk'}, {'format': 'slack'}) == []
    assert _notify.secrets_of(None, None) == []
    assert PASSWORD in _notify.secrets_of(EMAIL, None)
    assert URL in _notify.secrets_of(None, WEBHOOK) and TOKEN in _notify.secrets_of(None, WEBHOOK)


def test_each_channel_given_is_sent_to_outside_check_mode(sent):
    result = _notify.notify(_args(email=EMAIL, webhook=WEBHOOK))
    assert [c[0] for c in sent] == ['email', 'webhook'] and [c[2] for c in sent] == [EMAIL, WEBHOOK]
    assert result['sent'] == ['email endpoint', 'webhook endpoint'] and result['notified'] is True
    assert result['skipped'] is None and result['errors'] == []


@pytest.mark.parametrize('channel', ['email', 'webhook'])
def test_one_channel_alone_is_sent_to(sent, channel):
    result = _notify.notify(_args(**{channel: {'email': EMAIL, 'webhook': WEBHOOK}[channel]}))
    assert [c[0] for c in sent] == [channel] and result['notified'] is True


def test_check_mode_sends_nothing(sent):
    result = _notify.notify(_args(email=EMAIL), check_mode=True)
    assert sent == [] and result['skipped'] == 'check mode: nothing sent' and result['notified'] is False


@pytest.mark.parametrize('report, notify_on, skipped', [
    (FINE, None, 'the outcome is success; notify_on is '),
    (FINE, ['failure'], 'the outcome is success; notify_on is failure'),
    (FAILED, ['success'], 'the outcome is failure; notify_on is success'),
])
def test_an_outcome_not_in_notify_on_is_skipped(sent, report, notify_on, skipped):
    result = _notify.notify(_args(report=report, notify_on=notify_on, email=EMAIL))
    assert sent == [] and result['skipped'] == skipped and result['notified'] is False


@pytest.mark.parametrize('report, notify_on', [(FAILED, None), (FINE, ['success']), (FAILED, ['failure', 'success'])])
def test_an_outcome_in_notify_on_is_sent_failure_by_default(sent, report, notify_on):
    assert _notify.notify(_args(report=report, notify_on=notify_on, email=EMAIL))['notified'] is True


@pytest.mark.parametrize('outcome, expected', [(None, 'failure'), ('auto', 'failure'), ('success', 'success')])
def test_outcome_auto_follows_the_report_and_a_given_one_wins(sent, outcome, expected):
    result = _notify.notify(_args(outcome=outcome, notify_on=['failure', 'success'], email=EMAIL))
    assert result['outcome'] == expected and sent[0][1]['outcome'] == expected


def test_a_failing_channel_does_not_silence_the_other_and_its_error_is_masked(sent, monkeypatch):
    monkeypatch.setattr(_notify._email, 'send', sent.recorder('email', NotifyError('auth failed for ' + PASSWORD)))
    monkeypatch.setattr(_notify._webhook, 'send', sent.recorder('webhook', RuntimeError('POST ' + URL)))
    result = _notify.notify(_args(email=EMAIL, webhook=WEBHOOK))
    assert [c[0] for c in sent] == ['email', 'webhook'] and result['notified'] is False
    assert result['errors'] == ['auth failed for ********', 'RuntimeError: POST ********']


def test_what_a_channel_receives_has_the_secrets_masked_and_numbers_kept(sent):
    to_renew = [{'common_name': 'www.example.hk', 'status': 'expired', 'days_left': -2,
                 'hosts': ['web01 ' + PASSWORD]}]
    result = _notify.notify(_args(email=EMAIL, webhook=WEBHOOK, to_renew=to_renew, link=URL))
    message = sent[0][1]
    assert sent[1][1] == message
    assert PASSWORD not in repr(message) and TOKEN not in repr(message)
    assert message['lines'] == ['web01: failed - login refused for ********']
    assert message['to_renew'][0]['hosts'] == ['web01 ********'] and message['to_renew'][0]['days_left'] == -2
    assert message['to_renew_total'] == 1 and message['link'] == '********'
    assert PASSWORD not in result['text'] and PASSWORD not in result['subject']


def test_without_secrets_the_message_is_sent_as_built(sent):
    _notify.notify(_args(webhook={'url': 'https://h.example.hk/', 'format': 'slack'}))
    assert sent[0][1]['lines'] == ['web01: failed - login refused for ' + PASSWORD]
