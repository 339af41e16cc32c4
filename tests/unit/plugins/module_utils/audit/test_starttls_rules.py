# -*- coding: utf-8 -*-
"""The STARTTLS dialogues' rules, one per test (issue 21, mutation survivors): what makes a reply a reply of that
protocol, where the SMTP keywords and IMAP capabilities are read from, when a dialogue gives up, and that nothing
the server sends after its go-ahead is kept - for SMTP (RFC 3207), IMAP (RFC 3501 6.2.1) and POP3 (RFC 2595 4)."""

from __future__ import annotations

import asyncio

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._starttls import DEFAULT_PORTS, imap, pop3, smtp
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_errors import FetchError


class _Writer:
    def __init__(self):
        self.sent = b''

    def write(self, data):
        self.sent += data


def _run(dialogue, server_lines, raw=b''):
    async def go():
        reader = asyncio.StreamReader()
        reader.feed_data(b''.join(line + b'\r\n' for line in server_lines) + raw)
        reader.feed_eof()
        writer = _Writer()
        try:
            await dialogue(reader, writer, 'audit.example.hk')
            return None, writer.sent
        except FetchError as exc:
            return exc, writer.sent
    return asyncio.run(go())


EHLO = [b'220 mail.example.hk ESMTP', b'250-mail.example.hk Hello', b'250 STARTTLS']


@pytest.mark.parametrize('reply', [b'22', b'2x0 ready', b'220Xready', b'abc ready'])
def test_a_line_that_is_not_code_and_separator_is_not_smtp(reply):
    error, sent = _run(smtp, [reply])
    assert error.code == 'tls_error' and error.cause.startswith('not an SMTP server') and sent == b''


def test_a_bare_reply_code_is_an_smtp_reply():
    error, sent = _run(smtp, [b'220', b'250-mail.example.hk', b'250 STARTTLS', b'220'])
    assert error is None and sent == b'EHLO audit.example.hk\r\nSTARTTLS\r\n'


def test_smtp_starttls_is_read_from_the_ehlo_keywords_in_any_case_not_from_its_greeting_line():
    error, _sent = _run(smtp, [b'220 ready', b'250-STARTTLS.example.hk greets you', b'250 SIZE 1000'])
    assert error.code == 'no_starttls' and 'does not offer STARTTLS' in error.cause
    error, _sent = _run(smtp, [b'220 ready', b'250-mail.example.hk', b'250 starttls', b'220 go'])
    assert error is None
    # The first EHLO line is the server's domain (RFC 5321 4.1.1.1), even for a host called "starttls": a
    # single-line answer has no keywords at all.
    error, _sent = _run(smtp, [b'220 ready', b'250 starttls'])
    assert error.code == 'no_starttls'


def test_smtp_refusals_name_the_step_refused():
    error, _sent = _run(smtp, [b'220 ready', b'550 go away'])
    assert error.code == 'tls_error' and error.cause == 'the SMTP server refused EHLO audit.example.hk: 550 go away'
    error, _sent = _run(smtp, EHLO + [b'454 4.7.0 TLS not available'])
    assert error.code == 'no_starttls' and error.cause.endswith('refused it: 454 4.7.0 TLS not available')


def test_smtp_reply_lines_are_capped_at_two_hundred():
    error, _sent = _run(smtp, [b'220-x'] * 199 + [b'220 ready', b'250-x', b'250 STARTTLS', b'220 go'])
    assert error is None
    error, _sent = _run(smtp, [b'220-x'] * 200 + [b'220 ready'])
    assert error.code == 'tls_error' and error.cause == 'the SMTP server sent more than 200 reply lines'


@pytest.mark.parametrize('dialogue, lines', [
    (smtp, EHLO + [b'220 go', b'injected']),
    (imap, [b'* OK [CAPABILITY IMAP4rev1 STARTTLS] ready', b'a2 OK go', b'injected']),
])
def test_bytes_after_the_go_ahead_are_refused_never_kept(dialogue, lines):
    error, _sent = _run(dialogue, lines)
    assert error.code == 'tls_error' and 'after agreeing to STARTTLS' in error.cause


def test_a_last_line_without_a_line_end_is_an_over_long_line():
    error, _sent = _run(pop3, [], raw=b'+OK ready')
    assert error.code == 'tls_error' and error.cause == 'the POP3 server sent an over-long line (9 bytes) instead ' \
                                                        'of a reply'


def test_long_server_text_is_cut_at_eighty_characters_in_a_message():
    error, _sent = _run(smtp, [b'554 ' + b'n' * 76])
    assert error.cause.endswith('554 ' + 'n' * 76) and not error.cause.endswith('...')
    error, _sent = _run(smtp, [b'554 ' + b'n' * 77])
    assert error.cause.endswith('554 ' + 'n' * 76 + '...')


def test_imap_capabilities_in_the_greeting_save_the_capability_command():
    error, sent = _run(imap, [b'* OK [CAPABILITY IMAP4rev1 starttls LOGINDISABLED] Dovecot ready.', b'a2 OK go'])
    assert error is None and sent == b'a2 STARTTLS\r\n'
    # A capability code without its closing bracket still lists what it lists.
    error, sent = _run(imap, [b'* OK [CAPABILITY IMAP4rev1 STARTTLS', b'a2 OK go'])
    assert error is None and sent == b'a2 STARTTLS\r\n'


def test_imap_capabilities_survive_other_untagged_lines_before_the_tagged_reply():
    error, sent = _run(imap, [b'* OK ready', b'* CAPABILITY IMAP4rev1 STARTTLS', b'* OK still here',
                              b'a1 OK done', b'a2 OK go'])
    assert error is None and sent == b'a1 CAPABILITY\r\na2 STARTTLS\r\n'


def test_imap_a_tagged_refusal_of_starttls_is_no_starttls_and_a_stranger_line_is_not_imap():
    error, _sent = _run(imap, [b'* OK [CAPABILITY STARTTLS] ready', b'a2 NO not now'])
    assert error.code == 'no_starttls' and error.cause.endswith('refused it: a2 NO not now')
    error, _sent = _run(imap, [b'* OK ready', b'a10 OK done'])
    assert error.code == 'tls_error' and error.cause.startswith('not an IMAP server')


def test_imap_gives_up_after_two_hundred_untagged_lines():
    error, _sent = _run(imap, [b'* OK ready'] + [b'* OK more'] * 200 + [b'a1 OK done'])
    assert error.code == 'tls_error' and error.cause == 'the IMAP server sent more than 200 lines without answering'


def test_pop3_refusals_and_strange_answers_are_told_apart():
    error, _sent = _run(pop3, [b'-ERR too busy'])
    assert error.code == 'tls_error' and error.cause == 'the POP3 server refused the session: -ERR too busy'
    error, _sent = _run(pop3, [b'+OK ready', b'* what'])
    assert error.code == 'tls_error' and error.cause.startswith('the POP3 server answered STLS with')
    error, sent = _run(pop3, [b'+OK ready', b'+OK Begin TLS'])
    assert error is None and sent == b'STLS\r\n'


# ---- second mutation round: the order of the dialogue, against a server that answers only what it was asked ----

class _Server:
    """A mail server that sends its greeting, then one scripted answer per command it receives - nothing before."""

    def __init__(self, reader, greeting, answers):
        self.reader, self.answers, self.sent = reader, list(answers), b''
        reader.feed_data(b''.join(line + b'\r\n' for line in greeting))

    def write(self, data):
        self.sent += data
        if self.answers:
            self.reader.feed_data(b''.join(line + b'\r\n' for line in self.answers.pop(0)))


def _dialogue(dialogue, greeting, answers):
    async def go():
        reader = asyncio.StreamReader()
        server = _Server(reader, greeting, answers)
        await asyncio.wait_for(dialogue(reader, server, 'audit.example.hk'), 2)
        return server.sent
    return asyncio.run(go())


def test_each_command_is_sent_before_its_answer_is_awaited():
    assert _dialogue(smtp, [b'220 ready'], [[b'250-mail', b'250 STARTTLS'], [b'220 go']]) == \
        b'EHLO audit.example.hk\r\nSTARTTLS\r\n'
    assert _dialogue(imap, [b'* OK ready'], [[b'* CAPABILITY IMAP4rev1 STARTTLS', b'a1 OK'], [b'a2 OK go']]) == \
        b'a1 CAPABILITY\r\na2 STARTTLS\r\n'
    assert _dialogue(pop3, [b'+OK ready'], [[b'+OK go']]) == b'STLS\r\n'


@pytest.mark.parametrize('dialogue, lines, sent', [
    (smtp, [b'554 no service'], b''),
    (smtp, [b'220 ready', b'250-mail', b'250 SIZE 1000'], b'EHLO audit.example.hk\r\n'),
    (pop3, [b'-ERR busy'], b''),
    (imap, [b'* OK ready', b'* CAPABILITY IMAP4rev1', b'a1 OK'], b'a1 CAPABILITY\r\n'),
])
def test_nothing_more_is_sent_to_a_server_that_refused_or_offers_no_tls(dialogue, lines, sent):
    error, written = _run(dialogue, lines)
    assert error is not None and written == sent


@pytest.mark.parametrize('dialogue, lines, code, cause', [
    (smtp, EHLO + [b'454 TLS not available', b'421 closing'], 'no_starttls', 'offered STARTTLS but refused it'),
    (imap, [b'* OK [CAPABILITY STARTTLS] ready', b'a2 NO not now', b'* BYE'], 'no_starttls', 'refused it'),
    (pop3, [b'+OK ready', b'* what', b'more'], 'tls_error', 'answered STLS with'),
])
def test_a_refusal_is_reported_as_such_even_with_more_bytes_waiting(dialogue, lines, code, cause):
    error, _sent = _run(dialogue, lines)
    assert error.code == code and cause in error.cause


def test_a_bare_code_ended_by_a_bare_line_feed_is_an_smtp_reply():
    error, _sent = _run(smtp, [], raw=b'220\n250-mail\n250 STARTTLS\n220\n')
    assert error is None


def test_the_first_capability_of_a_capability_line_counts():
    error, _sent = _run(imap, [b'* OK ready', b'* CAPABILITY STARTTLS IMAP4rev1', b'a1 OK', b'a2 OK go'])
    assert error is None


def test_a_capability_answer_without_capabilities_means_no_starttls():
    error, sent = _run(imap, [b'* OK ready', b'a1 OK nothing to say'])
    assert error.code == 'no_starttls' and sent == b'a1 CAPABILITY\r\n'


def test_the_ports_that_speak_a_mail_protocol_before_tls_are_25_587_143_and_110():
    # RFC 3207 (SMTP 25, submission 587, RFC 6409), RFC 2595 (IMAP 143, POP3 110); 465/993/995 are implicit TLS.
    assert DEFAULT_PORTS == {25: 'smtp', 587: 'smtp', 143: 'imap', 110: 'pop3'}
