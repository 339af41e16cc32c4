# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plain-text dialogue that comes before TLS on a mail port: SMTP, IMAP and POP3 STARTTLS.

Each function reads the server's greeting, asks for TLS and returns once the server has agreed, so
the caller starts the TLS handshake on the same connection. A server that does not offer TLS is
not an error of the audit: it raises ``FetchError('no_starttls', ...)``, which becomes that
endpoint's finding. Anything else unexpected (a refusal greeting, another protocol) is a
``tls_error`` naming what the server said.

- SMTP, RFC 3207: 220 greeting, ``EHLO <name>``, STARTTLS must be among the EHLO keywords, then
  ``STARTTLS`` answered by 220.
- IMAP, RFC 2595 section 3 / RFC 3501 6.2.1: ``* OK`` greeting; the STARTTLS capability is read from
  the greeting's ``[CAPABILITY ...]`` code when the server sends one (Dovecot does, so one round trip
  is saved) or asked with ``CAPABILITY``; then ``STARTTLS`` answered by a tagged OK.
- POP3, RFC 2595 section 4: ``+OK`` greeting, ``STLS`` answered by ``+OK``; ``-ERR`` means no TLS.

Nothing the server sent after its "go ahead" may be kept: bytes already waiting then are a
protocol violation (the STARTTLS command-injection class of bugs), reported, never fed to TLS.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_errors import FetchError

PROTOCOLS = ('smtp', 'imap', 'pop3')
# The ports where each protocol upgrades with STARTTLS; an endpoint on one of them without an explicit
# ``starttls`` speaks that protocol first (465, 993 and 995 are implicit TLS and need nothing).
DEFAULT_PORTS = {25: 'smtp', 587: 'smtp', 143: 'imap', 110: 'pop3'}
_MAX_LINES = 200


def _show(line):
    text = line.decode('utf-8', 'replace').strip()
    return text[:80] + ('...' if len(text) > 80 else '')


async def _line(reader, protocol):
    try:
        line = await reader.readline()
    except ValueError:
        # asyncio raises ValueError (from LimitOverrunError) when no line end comes within the stream's limit
        # (the connection's, 512 KiB): a server streaming bytes without a line end is not speaking the protocol.
        raise FetchError('tls_error', 'the %s server sent more than %d bytes without a line end instead of a reply'
                         % (protocol.upper(), getattr(reader, '_limit', 2 ** 16)))
    if not line:
        raise FetchError('tls_error', 'the %s server closed the connection before agreeing to STARTTLS'
                         % protocol.upper())
    if not line.endswith(b'\n'):
        raise FetchError('tls_error', 'the %s server sent an over-long line (%d bytes) instead of a reply'
                         % (protocol.upper(), len(line)))
    return line


def _nothing_pending(reader, protocol):
    if getattr(reader, '_buffer', b''):  # asyncio.StreamReader keeps unread bytes there
        raise FetchError('tls_error', 'the %s server sent data after agreeing to STARTTLS, before the TLS handshake '
                                      '(a protocol violation; the bytes were not used)' % protocol.upper())


async def _smtp_reply(reader):
    lines = []
    while len(lines) < _MAX_LINES:
        line = await _line(reader, 'smtp')
        if len(line) < 4 or not line[:3].isdigit() or line[3:4] not in (b' ', b'-', b'\r', b'\n'):
            raise FetchError('tls_error', 'not an SMTP server: it answered %r' % _show(line))
        lines.append(line)
        if line[3:4] != b'-':
            return int(line[:3]), lines
    raise FetchError('tls_error', 'the SMTP server sent more than %d reply lines' % _MAX_LINES)


async def smtp(reader, writer, ehlo_name):
    code, lines = await _smtp_reply(reader)
    if code != 220:
        raise FetchError('tls_error', 'the SMTP server refused the session: %s' % _show(lines[-1]))
    writer.write(b'EHLO %s\r\n' % ehlo_name.encode('ascii'))
    code, lines = await _smtp_reply(reader)
    if code != 250:
        raise FetchError('tls_error', 'the SMTP server refused EHLO %s: %s' % (ehlo_name, _show(lines[-1])))
    keywords = {line[4:].split(b' ', 1)[0].strip().upper() for line in lines[1:]}
    if b'STARTTLS' not in keywords:
        raise FetchError('no_starttls', 'the SMTP server does not offer STARTTLS after EHLO, so mail to it travels '
                                        'unencrypted and its certificate is never used')
    writer.write(b'STARTTLS\r\n')
    code, lines = await _smtp_reply(reader)
    if code != 220:
        raise FetchError('no_starttls', 'the SMTP server offered STARTTLS but refused it: %s' % _show(lines[-1]))
    _nothing_pending(reader, 'smtp')


def _imap_capabilities(line):
    """Capabilities from ``* CAPABILITY ...`` or a ``[CAPABILITY ...]`` response code, upper case."""
    text = line.decode('ascii', 'replace').strip()
    if text.upper().startswith('* CAPABILITY '):
        return set(text[13:].upper().split())
    start = text.upper().find('[CAPABILITY ')
    if start >= 0:
        end = text.find(']', start)
        return set(text[start + 12:end if end > 0 else None].upper().split())
    return None


async def _imap_tagged(reader, tag):
    """Lines up to the tagged reply; returns (status, capabilities seen in untagged lines, last line)."""
    capabilities = None
    for _count in range(_MAX_LINES):
        line = await _line(reader, 'imap')
        if line.startswith(tag + b' '):
            status = line[len(tag) + 1:].split(b' ', 1)[0].upper()
            return status, capabilities, line
        if line.startswith(b'* '):
            capabilities = _imap_capabilities(line) or capabilities
            continue
        raise FetchError('tls_error', 'not an IMAP server: it answered %r' % _show(line))
    raise FetchError('tls_error', 'the IMAP server sent more than %d lines without answering' % _MAX_LINES)


async def imap(reader, writer, _ehlo_name=None):
    greeting = await _line(reader, 'imap')
    head = greeting.upper()
    if head.startswith(b'* PREAUTH'):
        raise FetchError('no_starttls', 'the IMAP server pre-authenticates the session (PREAUTH), after which '
                                        'STARTTLS is not allowed (RFC 3501 6.2.1)')
    if not head.startswith(b'* OK'):
        raise FetchError('tls_error', 'the IMAP server refused the session: %s' % _show(greeting))
    capabilities = _imap_capabilities(greeting)
    if capabilities is None:
        writer.write(b'a1 CAPABILITY\r\n')
        _status, capabilities, _last = await _imap_tagged(reader, b'a1')
    if 'STARTTLS' not in (capabilities or ()):
        raise FetchError('no_starttls', 'the IMAP server does not list STARTTLS among its capabilities, so '
                                        'mailbox logins travel unencrypted on this port')
    writer.write(b'a2 STARTTLS\r\n')
    status, _caps, last = await _imap_tagged(reader, b'a2')
    if status != b'OK':
        raise FetchError('no_starttls', 'the IMAP server listed STARTTLS but refused it: %s' % _show(last))
    _nothing_pending(reader, 'imap')


async def pop3(reader, writer, _ehlo_name=None):
    greeting = await _line(reader, 'pop3')
    if not greeting.startswith(b'+OK'):
        if greeting.startswith(b'-ERR'):
            raise FetchError('tls_error', 'the POP3 server refused the session: %s' % _show(greeting))
        raise FetchError('tls_error', 'not a POP3 server: it answered %r' % _show(greeting))
    writer.write(b'STLS\r\n')
    answer = await _line(reader, 'pop3')
    if answer.startswith(b'-ERR'):
        raise FetchError('no_starttls', 'the POP3 server refuses STLS (%s), so mailbox logins travel unencrypted '
                                        'on this port' % _show(answer))
    if not answer.startswith(b'+OK'):
        raise FetchError('tls_error', 'the POP3 server answered STLS with %r' % _show(answer))
    _nothing_pending(reader, 'pop3')


DIALOGUES = {'smtp': smtp, 'imap': imap, 'pop3': pop3}
