# -*- coding: utf-8 -*-
"""playbooks/audit.yml with hkpost_notify_email and hkpost_notify_webhook set: the notification is sent before
hkpost_audit_fail_on ends the run, arrives in the real mailbox and at the real webhook, and ansible-playbook's
output at -v holds neither the SMTP password nor the webhook token."""

from __future__ import annotations

import json
import uuid

import pytest
import yaml

from tests.integration.notify.test_notify_delivery import IMAP_PASSWORD, SMTP_PASSWORD, TOKEN, _mailbox, _subject
from tests.integration.served_chain.test_audit_playbook import _playbook
from tests.support.peers import mail_servers, tls_servers
from tests.support.peers.mail_delivery import MailDelivery
from tests.support.peers.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.skipif(mail_servers.available() is not None, reason=str(mail_servers.available()))


@pytest.fixture
def peers(pki):
    leaf = pki.leaves['standard']
    mail = MailDelivery([leaf.pem, pki.ssl_new.pem], leaf.key_pem,
                        {'notifier': SMTP_PASSWORD, 'ops@example.hk': IMAP_PASSWORD}).start()
    hook = WebhookReceiver().start()
    bare = tls_servers.tls_endpoint([leaf.pem], leaf.key_pem)  # no intermediate: critical
    yield mail, hook, bare
    bare.stop()
    hook.stop()
    mail.stop()


def test_audit_playbook_notifies_then_fails(peers, pki, tmp_path):
    mail, hook, bare = peers
    (tmp_path / 'trust.pem').write_text(pki.root.pem)
    title = 'audit-playbook-%s' % uuid.uuid4().hex[:8]
    (tmp_path / 'vault.yml').write_text(yaml.safe_dump({
        'hkpost_notify_email': {'host': '127.0.0.1', 'port': mail.submission_port, 'username': 'notifier',
                                'password': SMTP_PASSWORD, 'sender': 'hkpost@example.hk', 'to': ['ops@example.hk'],
                                'validate_certs': False},
        'hkpost_notify_webhook': {'url': hook.url('/ok/%s' % TOKEN), 'format': 'generic'},
        'hkpost_audit_endpoints': [{'host': '127.0.0.1', 'port': bare.port, 'server_name': 'www.example.hk'}],
        'hkpost_audit_title': title}))
    (tmp_path / 'inventory.yml').write_text('all: {}\n')
    run = _playbook('-v', '-i', str(tmp_path / 'inventory.yml'), 'playbooks/audit.yml', '-e', '@%s' % (tmp_path / 'vault.yml'),
                    '-e', 'hkpost_audit_group=', '-e', 'hkpost_audit_trust=%s' % (tmp_path / 'trust.pem'),
                    '-e', 'hkpost_audit_report_dir=%s' % (tmp_path / 'reports'), '-e', 'hkpost_audit_fail_on=critical')
    output = run.stdout + run.stderr
    assert run.returncode != 0 and "endpoints at or above 'critical'" in run.stdout, output
    assert SMTP_PASSWORD not in output and TOKEN not in output
    assert len(hook.received) == 1 and hook.received[0]['path'] == '/ok/%s' % TOKEN
    payload = hook.received[0]['json']
    assert payload['outcome'] == 'failure' and payload['facts']['critical'] == '1'
    assert payload['link'] == '%s/fleet.html' % (tmp_path / 'reports')
    message = _mailbox(mail, title)
    assert _subject(message).startswith('[hkpost.ecert] FAILURE: %s - 1 endpoints: 0 ok, 0 warning, 1 critical' % title)
    assert 'missing_intermediate: 1' in message.get_content()
    assert SMTP_PASSWORD not in json.dumps(payload) and TOKEN not in message.as_string()


def test_audit_playbook_without_notify_settings_sends_nothing(peers, pki, tmp_path):
    _mail, hook, bare = peers
    (tmp_path / 'trust.pem').write_text(pki.root.pem)
    (tmp_path / 'inventory.yml').write_text('all: {}\n')
    run = _playbook('-i', str(tmp_path / 'inventory.yml'), 'playbooks/audit.yml', '-e', 'hkpost_audit_group=',
                    '-e', json.dumps({'hkpost_audit_endpoints': [{'host': '127.0.0.1', 'port': bare.port}]}),
                    '-e', 'hkpost_audit_trust=%s' % (tmp_path / 'trust.pem'),
                    '-e', 'hkpost_audit_report_dir=%s' % (tmp_path / 'reports'))
    assert run.returncode == 0, run.stdout + run.stderr
    assert hook.received == [] and 'Send the notification' in run.stdout  # listed, and skipped
