# -*- coding: utf-8 -*-
"""The STARTTLS dialogues on answers no local peer gives: Exchange's IMAP greeting carries no capability list
(Dovecot's always does, tests/integration covers that path), refusals, and servers that are not mail servers.

The server's lines are fed to a real asyncio.StreamReader; what the dialogue wrote is recorded."""

from __future__ import annotations

import asyncio

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._starttls import imap, pop3, smtp
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_errors import FetchError


class _Writer:
    def __init__(self):
        self.sent = b''

    def write(self, data):
        self.sent += data


def _run(dialogue, server_lines, ehlo='[192.0.2.5]'):
    async def go():
        reader = asyncio.StreamReader()
        reader.feed_data(b''.join(line + b'\r\n' for line in server_lines))
        reader.feed_eof()
        writer = _Writer()
        try:
            await dialogue(reader, writer, ehlo)
            return None, writer.sent
        except FetchError as exc:
            return exc, writer.sent
    return asyncio.run(go())


def test_imap_asks_for_capabilities_when_the_greeting_has_none():
    # Exchange 2010-2019 greeting and CAPABILITY answer (Microsoft's IMAP4 service).
    error, sent = _run(imap, [b'* OK The Microsoft Exchange IMAP4 service is ready.',
                              b'* CAPABILITY IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI AUTH=PLAIN STARTTLS UIDPLUS',
                              b'a1 OK CAPABILITY completed.', b'a2 OK Begin TLS negotiation now.'])
    assert error is None and sent == b'a1 CAPABILITY\r\na2 STARTTLS\r\n'


def test_imap_without_starttls_capability():
    error, sent = _run(imap, [b'* OK ready', b'* CAPABILITY IMAP4rev1 AUTH=PLAIN', b'a1 OK done'])
    assert error.code == 'no_starttls' and sent == b'a1 CAPABILITY\r\n'
    error, _sent = _run(imap, [b'* PREAUTH logged in'])
    assert error.code == 'no_starttls' and 'PREAUTH' in error.cause


def test_smtp_multiline_ehlo_and_refusals():
    lines = [b'220-mail.example.hk ESMTP', b'220 welcome', b'250-mail.example.hk Hello [192.0.2.5]',
             b'250-SIZE 37748736', b'250-STARTTLS', b'250 8BITMIME', b'220 2.0.0 SMTP server ready']
    error, sent = _run(smtp, lines)
    assert error is None and sent == b'EHLO [192.0.2.5]\r\nSTARTTLS\r\n'
    error, _sent = _run(smtp, lines[:-1] + [b'454 4.7.0 TLS not available due to local problem'])
    assert error.code == 'no_starttls' and '454' in error.cause
    error, _sent = _run(smtp, [b'554 5.7.1 no service for you'])
    assert error.code == 'tls_error' and 'refused the session: 554' in error.cause


@pytest.mark.parametrize('dialogue, lines, cause', [
    (smtp, [b'+OK POP3 ready'], 'not an SMTP server'),
    (pop3, [b'220 mail ESMTP'], 'not a POP3 server'),
    (imap, [b'+OK POP3 ready'], 'refused the session'),
    (smtp, [], 'closed the connection before agreeing to STARTTLS'),
])
def test_other_protocols_are_named_not_crashed(dialogue, lines, cause):
    error, _sent = _run(dialogue, lines)
    assert error.code == 'tls_error' and cause in error.cause


def test_pop3_stls_refused_and_bytes_after_go_ahead():
    error, _sent = _run(pop3, [b'+OK ready', b'-ERR Command not permitted'])
    assert error.code == 'no_starttls' and 'STLS' in error.cause
    # Anything the server sends after its go-ahead, before our ClientHello, is refused (STARTTLS injection).
    error, _sent = _run(pop3, [b'+OK ready', b'+OK Begin TLS', b'+OK injected'])
    assert error.code == 'tls_error' and 'after agreeing to STARTTLS' in error.cause


# ---- issue 22: hostile greetings are findings, never tracebacks -------------------------------------

@pytest.mark.parametrize('dialogue', [smtp, imap, pop3])
def test_a_greeting_without_a_line_end_within_the_limit_is_a_finding(dialogue):
    async def go():
        reader = asyncio.StreamReader(limit=1024)
        reader.feed_data(b'2' * 5000)   # 700 KB in the field; any size past the reader's limit
        reader.feed_eof()
        with pytest.raises(FetchError) as caught:
            await dialogue(reader, _Writer(), '[192.0.2.5]')
        return caught.value
    error = asyncio.run(go())
    assert error.code == 'tls_error' and 'more than 1024 bytes without a line end' in error.cause
