# -*- coding: utf-8 -*-
"""hkpost_notify delivers: the e-mail goes through a real Postfix (STARTTLS, then SASL AUTH checked by Dovecot) and is
read back from Dovecot over IMAP; the webhook JSON is received by a real HTTP server on loopback. The report is a
real audit of real TLS servers (one sending an expiring leaf, one without its intermediate). Failures name the
endpoint and never the password or the webhook token; planted secrets never reach a message."""

from __future__ import annotations

import email
import email.policy
import imaplib
import json
import time
import uuid

import pytest

from ansible_collections.hkpost.ecert.plugins.action.hkpost_notify import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
from tests.support.action_harness import make_action
from tests.support.peers import mail_servers, tls_servers
from tests.support.peers.mail_delivery import MailDelivery
from tests.support.peers.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.skipif(mail_servers.available() is not None, reason=str(mail_servers.available()))

SMTP_PASSWORD = 'Smtp-Pa55-' + uuid.uuid4().hex[:8]
TOKEN = 'T0KEN' + uuid.uuid4().hex  # where Slack and Teams put theirs: in the URL path
IMAP_PASSWORD = 'imap-pass'


@pytest.fixture(scope='module')
def mail(pki):
    leaf = pki.leaves['standard']
    system = MailDelivery([leaf.pem, pki.ssl_new.pem], leaf.key_pem,
                          {'notifier': SMTP_PASSWORD, 'ops@example.hk': IMAP_PASSWORD}).start()
    yield system
    system.stop()


@pytest.fixture(scope='module')
def hook():
    receiver = WebhookReceiver(slow_seconds=3).start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope='module')
def audit(pki, tmp_path_factory):
    expiring, standard = pki.leaves['expiring'], pki.leaves['standard']
    servers = [tls_servers.tls_endpoint([expiring.pem, pki.ssl_new.pem], expiring.key_pem),
               tls_servers.tls_endpoint([standard.pem], standard.key_pem)]
    trust = tmp_path_factory.mktemp('trust') / 'root.pem'
    trust.write_text(pki.root.pem)
    try:
        result = audit_endpoints([
            {'host': '127.0.0.1', 'port': servers[0].port, 'server_name': 'soon.example.hk', 'inventory_name': 'web01'},
            {'host': '127.0.0.1', 'port': servers[1].port, 'server_name': 'www.example.hk', 'inventory_name': 'web02'},
        ], trust=str(trust), timeout=5)
    finally:
        for server in servers:
            server.stop()
    assert result['summary']['by_verdict']['critical'] == 1 and result['summary']['by_verdict']['warning'] == 1
    return result


def _email(mail, **extra):
    options = {'host': '127.0.0.1', 'port': mail.submission_port, 'username': 'notifier', 'password': SMTP_PASSWORD,
               'sender': 'hkpost-notify@example.hk', 'to': ['ops@example.hk'], 'timeout': 10,
               'validate_certs': False}  # the test server's certificate names www.example.hk, not 127.0.0.1
    options.update(extra)
    return options


def _run(args, check_mode=False):
    plugin = make_action(ActionModule, args, shell_family='sh', check_mode=check_mode,
                         action_name='hkpost.ecert.hkpost_notify')
    return plugin.run(task_vars={'inventory_hostname': 'localhost'})


def _mailbox(mail, title, timeout=30):
    """The message whose subject has ``title``, read back from Dovecot over IMAP (delivery is asynchronous)."""
    deadline = time.monotonic() + timeout
    while True:
        imap = imaplib.IMAP4('127.0.0.1', mail.imap_port)
        try:
            imap.login('ops@example.hk', IMAP_PASSWORD)
            imap.select('INBOX')
            _typ, found = imap.search(None, 'SUBJECT', '"%s"' % title)
            if found[0]:
                _typ, data = imap.fetch(found[0].split()[-1], '(RFC822)')
                return email.message_from_bytes(data[0][1], policy=email.policy.default)
        finally:
            imap.logout()
        if time.monotonic() > deadline:
            raise AssertionError('no message %r in the mailbox; Postfix log:\n%s' % (title, mail.postfix_log()[-3000:]))
        time.sleep(0.2)


def _subject(message):
    return ' '.join(str(message['Subject']).split())  # unfolded: a long subject is folded over lines (RFC 5322)


def _no_secret(*texts):
    for text in texts:
        assert SMTP_PASSWORD not in text and TOKEN not in text, text


def test_audit_failure_arrives_by_mail_through_starttls_and_auth(mail, audit):
    title = 'audit-%s' % uuid.uuid4().hex[:8]
    result = _run({'kind': 'audit', 'report': audit, 'title': title, 'email': _email(mail),
                   'link': '/srv/reports/fleet.html'})
    assert result.get('failed') is not True, result
    assert result['outcome'] == 'failure' and result['sent'] == ['SMTP server 127.0.0.1:%d' % mail.submission_port]
    message = _mailbox(mail, title)
    assert _subject(message).startswith('[hkpost.ecert] FAILURE: %s - 2 endpoints:' % title)
    assert '1 to renew' in _subject(message)
    assert message['To'] == 'ops@example.hk' and message['X-Hkpost-Outcome'] == 'failure'
    # Postfix writes "with ESMTPSA" only for a client that was in TLS (S) and authenticated (A): RFC 3848.
    assert 'with ESMTPSA' in message['Received']
    body = message.get_content()
    assert 'To renew (1):' in body
    assert '- soon.example.hk - expiring, expires in ' in body and 'hosts: web01' in body
    assert 'missing_intermediate: 1' in body and 'Report: /srv/reports/fleet.html' in body
    _no_secret(message.as_string(), json.dumps(result))


def test_implicit_tls_submission_arrives_too(mail):
    title = 'smtps-%s' % uuid.uuid4().hex[:8]
    result = _run({'kind': 'rollout', 'report': {'rows': [{'host': 'web01', 'status': 'failed', 'error': 'boom'}]},
                   'title': title, 'email': _email(mail, port=mail.smtps_port, security='tls')})
    assert result['sent'] == ['SMTP server 127.0.0.1:%d' % mail.smtps_port], result
    message = _mailbox(mail, title)
    assert 'with ESMTPSA' in message['Received'] and 'web01: failed - boom' in message.get_content()


def test_success_is_sent_only_when_asked(mail, hook):
    summary = {'rows': [{'host': 'web01', 'status': 'installed'}, {'host': 'web02', 'status': 'unchanged'}],
               'counts': {'installed': 1, 'unchanged': 1, 'failed': 0, 'unreachable': 0, 'not run': 0}}
    title = 'rollout-%s' % uuid.uuid4().hex[:8]
    quiet = _run({'kind': 'rollout', 'report': summary, 'title': title, 'email': _email(mail),
                  'webhook': {'url': hook.url('/ok/%s' % TOKEN)}})
    assert quiet['outcome'] == 'success' and quiet['sent'] == [] and 'notify_on is failure' in quiet['skipped']
    before = len(hook.received)
    sent = _run({'kind': 'rollout', 'report': summary, 'title': title, 'email': _email(mail),
                 'webhook': {'url': hook.url('/ok/%s' % TOKEN)}, 'notify_on': ['failure', 'success']})
    assert sent['notified'] and len(sent['sent']) == 2 and sent['errors'] == []
    assert sent['sent'][1] == 'webhook http://127.0.0.1:%d' % hook.port
    message = _mailbox(mail, title)
    assert _subject(message) == '[hkpost.ecert] SUCCESS: %s - 2 hosts: installed 1, unchanged 1' % title
    generic = hook.received[before]['json']
    assert hook.received[before]['path'] == '/ok/%s' % TOKEN  # the token went where it belongs, and only there
    assert generic['outcome'] == 'success' and generic['kind'] == 'rollout' and generic['facts']['installed'] == '1'
    _no_secret(message.as_string(), hook.received[before]['body'].decode(), json.dumps(sent))


@pytest.mark.parametrize('fmt', ['slack', 'teams', 'generic'])
def test_webhook_payloads_carry_the_to_renew_list(hook, audit, fmt):
    before = len(hook.received)
    result = _run({'kind': 'audit', 'report': audit, 'webhook': {'url': hook.url('/ok/%s' % TOKEN), 'format': fmt}})
    assert result['notified'], result
    got = hook.received[before]
    assert got['headers']['Content-Type'] == 'application/json; charset=utf-8'
    payload = got['json']
    if fmt == 'slack':
        assert payload['text'].startswith('[hkpost.ecert] FAILURE: TLS chain audit')
        header = {'type': 'plain_text', 'text': 'TLS chain audit: FAILURE'}
        assert payload['blocks'][0] == {'type': 'header', 'text': header}
        renew = [b for b in payload['blocks'] if b['type'] == 'section' and 'To renew' in b.get('text', {}).get('text', '')]
        assert len(renew) == 1 and 'soon.example.hk' in renew[0]['text']['text']
        assert all(len(b.get('text', {}).get('text', '')) <= 3000 for b in payload['blocks'])
    elif fmt == 'teams':
        assert payload['type'] == 'message'
        card = payload['attachments'][0]
        assert card['contentType'] == 'application/vnd.microsoft.card.adaptive'
        assert card['content']['type'] == 'AdaptiveCard' and card['content']['version'] == '1.4'
        texts = [b.get('text', '') for b in card['content']['body']]
        assert texts[0] == 'TLS chain audit: FAILURE' and any('soon.example.hk' in t for t in texts)
        facts = [b for b in card['content']['body'] if b['type'] == 'FactSet'][0]['facts']
        assert {'title': 'critical', 'value': '1'} in facts
    else:
        assert payload['to_renew_total'] == 1 and payload['to_renew'][0]['common_name'] == 'soon.example.hk'
        assert payload['to_renew'][0]['hosts'] == ['web01'] and payload['to_renew'][0]['status'] == 'expiring'
        assert payload['facts']['critical'] == '1'
    _no_secret(got['body'].decode(), json.dumps(result))


def test_planted_secrets_never_reach_a_message(mail, hook):
    # A host variable that leaked into a row, and a secret inside a field the message does read (a row's error).
    summary = {'rows': [{'host': 'web01', 'status': 'failed', 'error': 'login as svc with %s failed' % SMTP_PASSWORD,
                         'ansible_password': SMTP_PASSWORD, 'hostvars': {'token': TOKEN}},
                        {'host': 'web02', 'status': 'installed', 'password': TOKEN}],
               'counts': {'installed': 1, 'failed': 1}, 'webhook': hook.url('/ok/%s' % TOKEN)}
    title = 'planted-%s' % uuid.uuid4().hex[:8]
    before = len(hook.received)
    result = _run({'kind': 'rollout', 'report': summary, 'title': title, 'email': _email(mail),
                   'webhook': {'url': hook.url('/ok/%s' % TOKEN), 'format': 'slack'}})
    assert result['outcome'] == 'failure' and len(result['sent']) == 2, result
    message = _mailbox(mail, title)
    body = message.get_content()
    assert 'web01: failed - login as svc with ******** failed' in body
    _no_secret(message.as_string(), hook.received[before]['body'].decode(), json.dumps(result))


def test_refused_login_names_the_server_and_user_never_the_password(mail):
    wrong = 'Wrong-' + SMTP_PASSWORD
    with pytest.raises(Exception) as raised:
        raise_if_failed(_run({'kind': 'rollout', 'report': {'rows': [], 'counts': {}}, 'outcome': 'failure',
                              'email': _email(mail, password=wrong)}))
    text = str(raised.value)
    assert "SMTP server 127.0.0.1:%d refused the login of user 'notifier' (535)" % mail.submission_port in text
    assert wrong not in text and SMTP_PASSWORD not in text


def test_server_down_and_webhook_500_and_timeout_fail_or_warn(hook):
    down = tls_servers.free_port_nobody_listens()
    args = {'kind': 'rollout', 'report': {'rows': [{'host': 'web01', 'status': 'unreachable'}]},
            'email': {'host': '127.0.0.1', 'port': down, 'password': SMTP_PASSWORD, 'username': 'notifier',
                      'sender': 'a@example.hk', 'to': ['ops@example.hk'], 'timeout': 2},
            'webhook': {'url': hook.url('/fail/%s' % TOKEN)}}
    failed = _run(args)
    assert failed['failed'] is True and failed['sent'] == []
    assert failed['errors'] == [
        'SMTP server 127.0.0.1:%d refused the connection (nothing listens there, or the server is down)' % down,
        'webhook http://127.0.0.1:%d answered HTTP 500 Internal Server Error' % hook.port]
    assert failed['msg'].startswith('notification not delivered: SMTP server 127.0.0.1:%d' % down)
    args['webhook'] = {'url': hook.url('/slow/%s' % TOKEN), 'timeout': 1}
    args['errors'] = 'warn'
    warned = _run(args)
    assert not warned.get('failed') and len(warned['warnings']) == 1
    assert 'webhook http://127.0.0.1:%d did not answer within 1s' % hook.port in warned['warnings'][0]
    _no_secret(json.dumps(failed), json.dumps(warned))


def test_the_server_certificate_is_verified_by_default(mail, pki, tmp_path):
    ca = tmp_path / 'root.pem'
    ca.write_text(pki.root.pem)
    result = _run({'kind': 'rollout', 'report': {'rows': [{'host': 'web01', 'status': 'failed'}]}, 'errors': 'warn',
                   'email': _email(mail, validate_certs=True, ca_file=str(ca))})
    assert result['sent'] == [] and len(result['errors']) == 1
    assert result['errors'][0].startswith('SMTP server 127.0.0.1:%d sent a certificate that does not verify (' %
                                          mail.submission_port)
    assert "IP address mismatch" in result['errors'][0]


def test_check_mode_sends_nothing(hook):
    before = len(hook.received)
    result = _run({'kind': 'rollout', 'report': {'rows': [{'host': 'web01', 'status': 'failed'}]},
                   'webhook': {'url': hook.url('/ok/%s' % TOKEN)}}, check_mode=True)
    assert result['skipped'] == 'check mode: nothing sent' and len(hook.received) == before
    assert result['text'].startswith('Certificate rollout: FAILURE\n1 hosts: ')


def raise_if_failed(result):
    if result.get('failed'):
        raise RuntimeError(result['msg'])
    return result
