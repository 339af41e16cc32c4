# -*- coding: utf-8 -*-
"""The e-mail sender's rules (issue 21, mutation survivors): the mail it composes, the SMTP conversation it holds
(TLS before AUTH, login only with a user, the password never printed) and how each failure is named.

smtplib's client is replaced by a recorder here; tests/integration/notify/test_notify_delivery.py sends through a
real Postfix/Dovecot."""

from __future__ import annotations

import email
import email.policy
import smtplib
import socket
import ssl

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.notify import _email
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import build
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._tls import NotifyError

MESSAGE = build('rollout', {'rows': [{'host': 'web01', 'status': 'failed'}], 'counts': {'failed': 1}})
OPTIONS = {'host': 'smtp.example.hk', 'port': 587, 'security': 'starttls', 'username': 'notifier',
           'password': 'Passw0rd!', 'sender': 'ecert@example.hk', 'to': ['ops@example.hk', 'sec@example.hk'],
           'timeout': 7.0, 'validate_certs': True, 'ca_file': None}


class _Server:
    """What the client did, in order, and the exception a step raises."""

    def __init__(self):
        self.calls = []
        self.fail = {}

    def client(self, kind):
        server = self

        class Client:
            def __init__(self, host, port, timeout=None, context=None):
                server.step(kind, host, port, timeout, isinstance(context, ssl.SSLContext))

            def __enter__(self):
                return self

            def __exit__(self, *_exc):
                server.calls.append(('quit',))

            def ehlo(self):
                server.step('ehlo')

            def starttls(self, context=None):
                server.step('starttls', isinstance(context, ssl.SSLContext))

            def login(self, user, password):
                server.step('login', user, password)

            def send_message(self, mail, from_addr=None, to_addrs=None):
                server.step('send', from_addr, to_addrs)
                server.mail = mail

        return Client

    def step(self, name, *args):
        self.calls.append((name,) + args)
        if name in self.fail:
            raise self.fail[name]


@pytest.fixture
def server(monkeypatch):
    recorder = _Server()
    monkeypatch.setattr(smtplib, 'SMTP', recorder.client('smtp'))
    monkeypatch.setattr(smtplib, 'SMTP_SSL', recorder.client('smtp_ssl'))
    return recorder


def test_starttls_submission_says_hello_again_inside_tls_then_logs_in_then_sends(server):
    assert _email.send(MESSAGE, OPTIONS) == 'SMTP server smtp.example.hk:587'
    assert server.calls == [('smtp', 'smtp.example.hk', 587, 7.0, False), ('ehlo',), ('starttls', True), ('ehlo',),
                            ('login', 'notifier', 'Passw0rd!'), ('send', 'ecert@example.hk', OPTIONS['to']), ('quit',)]


def test_implicit_tls_submission_verifies_from_the_first_byte_and_never_starttls(server):
    _email.send(MESSAGE, dict(OPTIONS, security='tls', port=465))
    assert server.calls[:3] == [('smtp_ssl', 'smtp.example.hk', 465, 7.0, True), ('ehlo',), ('login', 'notifier',
                                                                                             'Passw0rd!')]
    assert not any(call[0] == 'starttls' for call in server.calls)


def test_without_a_user_there_is_no_login_and_without_a_password_an_empty_one(server):
    _email.send(MESSAGE, dict(OPTIONS, username=None))
    assert [call[0] for call in server.calls] == ['smtp', 'ehlo', 'starttls', 'ehlo', 'send', 'quit']
    server.calls.clear()
    _email.send(MESSAGE, dict(OPTIONS, password=None))
    assert ('login', 'notifier', '') in server.calls


def test_the_mail_names_subject_sender_recipients_and_outcome(server):
    _email.send(MESSAGE, OPTIONS)
    mail = email.message_from_bytes(bytes(server.mail), policy=email.policy.default)
    assert mail['Subject'] == '[hkpost.ecert] FAILURE: Certificate rollout - 1 hosts: failed 1'
    assert mail['From'] == 'ecert@example.hk' and mail['To'] == 'ops@example.hk, sec@example.hk'
    assert mail['X-Hkpost-Outcome'] == 'failure'
    assert mail['Message-ID'].endswith('@example.hk>')
    assert mail['Date'].endswith(' -0000')  # UTC, whatever the controller's zone
    assert mail.get_content() == 'Certificate rollout: FAILURE\n1 hosts: failed 1\n\nDetails:\n- web01: failed\n\n' \
                                 '-- hkpost.ecert\n'


def test_an_empty_sender_still_gets_a_message_id_with_a_domain():
    mail = _email.compose(MESSAGE, '', ['ops@example.hk'])
    local, _at, domain = mail['Message-ID'].strip('<>').rpartition('@')
    assert local and domain  # the controller's own name (make_msgid's default), never an empty domain


@pytest.mark.parametrize('sender', ['PKI team <pki@example.hk>', '"Ops, HK" <ops@example.hk>'])
def test_a_sender_with_a_display_name_gives_its_address_domain_to_the_message_id(sender):
    assert _email.compose(MESSAGE, sender, ['ops@example.hk'])['Message-ID'].endswith('@example.hk>')


def test_a_sender_without_an_address_does_not_become_the_message_id_domain():
    message_id = _email.compose(MESSAGE, 'notifier', ['ops@example.hk'])['Message-ID']
    assert not message_id.endswith('@notifier>')
    assert message_id.strip('<>').rpartition('@')[2]  # make_msgid's default: the controller's name


def _cert_error():
    error = ssl.SSLCertVerificationError(1, 'verify failed')
    error.verify_message = 'self-signed certificate'
    return error


def _ssl_error(reason):
    error = ssl.SSLError(1, '[SSL] wrong version number')
    error.reason = reason
    return error


@pytest.mark.parametrize('step, exc, why', [
    ('send', smtplib.SMTPRecipientsRefused({'ops@example.hk': (550, b'no such user'), 'sec@example.hk': (551, 'moved')}),
     'refused the recipients (ops@example.hk: 550 no such user; sec@example.hk: 551 moved)'),
    ('send', smtplib.SMTPResponseException(554, b'spam'), 'answered 554 spam'),
    ('send', smtplib.SMTPAuthenticationError(530, 'auth first'), 'refused the login (530 auth first)'),
    ('starttls', smtplib.SMTPNotSupportedError('STARTTLS extension not supported by server.'),
     'does not offer STARTTLS'),
    ('login', smtplib.SMTPNotSupportedError('SMTP AUTH extension not supported by server.'),
     'does not offer AUTH over TLS (SMTP AUTH extension not supported by server.)'),
    ('starttls', _cert_error(), 'sent a certificate that does not verify (self-signed certificate); set ca_file to its CA'),
    ('starttls', _ssl_error('WRONG_VERSION_NUMBER'), 'TLS failed (WRONG_VERSION_NUMBER)'),
    ('starttls', _ssl_error(None), 'TLS failed ([SSL] wrong version number)'),
    ('smtp', ConnectionRefusedError(111, 'refused'), 'refused the connection (nothing listens there, or the server is down)'),
    ('ehlo', socket.timeout('timed out'), 'did not answer within 7s'),
    ('smtp', socket.gaierror(-2, 'Name or service not known'), 'does not resolve (Name or service not known)'),
    ('ehlo', smtplib.SMTPServerDisconnected('Connection unexpectedly closed'),
     'closed the connection (Connection unexpectedly closed)'),
    ('smtp', OSError(101, 'Network is unreachable'), 'OSError: [Errno 101] Network is unreachable'),
])
def test_each_failure_is_named_after_the_server(server, step, exc, why):
    server.fail[step] = exc
    with pytest.raises(NotifyError) as raised:
        _email.send(MESSAGE, OPTIONS)
    assert str(raised.value) == 'SMTP server smtp.example.hk:587 ' + why


def test_a_refused_login_names_the_user_and_never_the_password(server):
    server.fail['login'] = smtplib.SMTPAuthenticationError(535, b'5.7.8 Authentication failed')
    with pytest.raises(NotifyError) as raised:
        _email.send(MESSAGE, OPTIONS)
    assert str(raised.value) == "SMTP server smtp.example.hk:587 refused the login of user 'notifier' (535)"
    assert server.calls[-1] == ('quit',) and not any(call[0] == 'send' for call in server.calls)


def test_a_sender_address_with_nothing_after_the_at_never_gives_an_empty_message_id_domain():
    message_id = _email.compose(MESSAGE, '"pki@"', ['ops@example.hk'])['Message-ID']
    assert not message_id.endswith('@>') and message_id.strip('<>').rpartition('@')[2]
