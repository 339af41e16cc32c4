# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fetch the certificate chain many endpoints send, exactly as sent, from one asyncio loop.

Per endpoint: TCP connect, the STARTTLS dialogue when the endpoint speaks SMTP, IMAP or POP3 first
(``_starttls``), then the chain:

- ``handshake='auto'`` (default): the TLS 1.2 reader (``_tls_fetch``), which reads the Certificate
  message in clear and stops there; a server that refuses TLS 1.2 gets a second connection and a full
  TLS 1.3 handshake with Python's ``ssl`` (``_tls_standard``). Why two paths and not one: the
  standard-library handshake alone does not reach the speed the audit needs (see ``_tls_fetch``).
  The refusal is remembered per server address (``_tls12_memory``): the other endpoints of a TLS
  1.3-only address get the full handshake on their first connection, so ``auto`` is no slower than
  ``full`` there.
- ``handshake='full'``: every endpoint gets a full handshake with Python's ``ssl`` at the highest version
  both sides speak - the chain exactly as a current client receives it, at about half the speed.

Failures are data, not exceptions: every endpoint ends as ``{'certificates': [DER, ...],
'tls_version', 'chain_read_over'}`` or ``{'error': 'unreachable'|'tls_error'|'no_starttls', 'cause'}``.
``tls_version`` is the version a current client gets: TLS 1.3 when a full handshake negotiated it or
the server signalled it in its TLS 1.2 answer (RFC 8446 4.1.3); ``chain_read_over`` the version of the
handshake the chain was actually read from. Timeouts bound the TCP connect and everything after it
separately, so nothing can hang.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._starttls import DIALOGUES
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls12_memory import FULL, READER, Tls12Memory
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_errors import FetchError, oserror_cause
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_fetch import (
    MAX_FLIGHT_BYTES, ServerFlight, client_hello, sni_name)
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_standard import client_context, handshake

HANDSHAKES = ('auto', 'full')


class FetchOptions:
    """What every endpoint of one audit shares: timeout, handshake mode, EHLO name, the ssl context."""

    def __init__(self, timeout=5.0, handshake='auto', ehlo_name=None):
        self.timeout = timeout
        self.handshake = handshake
        self.ehlo_name = ehlo_name
        self.context = client_context()  # one context for all: building it per endpoint costs more than a hello


async def _open(host, port, timeout):
    try:
        return await asyncio.wait_for(asyncio.open_connection(host, port, limit=MAX_FLIGHT_BYTES), timeout)
    except asyncio.TimeoutError:
        raise FetchError('unreachable', 'no TCP connection within %gs (filtered, or the host is down)' % timeout)
    except OSError as exc:
        raise FetchError('unreachable', oserror_cause(exc))


def _address_literal(writer):
    """RFC 5321 4.1.4: a client without a name it can vouch for greets with its address literal."""
    address = (writer.get_extra_info('sockname') or ('127.0.0.1',))[0]
    return '[IPv6:%s]' % address if ':' in address else '[%s]' % address


async def _read_tls12(reader, writer, server_name):
    flight = ServerFlight()
    writer.write(client_hello(server_name))
    while True:
        data = await reader.read(65536)
        if not data:
            flight.eof()
        certificates = flight.feed(data)
        if certificates is not None:
            return {'certificates': certificates, 'chain_read_over': flight.version,
                    'tls_version': 'TLSv1.3' if flight.offers_tls13 else flight.version}


def _address(writer, endpoint):
    """The key of ``Tls12Memory``: the peer's IP (names sharing one server share it) and the dialogue."""
    peer = writer.get_extra_info('peername') or (endpoint['host'],)
    return peer[0], endpoint.get('starttls') or 'none'


def probe_wait(timeout):
    """How long an endpoint waits for its address's probe before going on alone: a probe answers within a round
    trip or two, and one that hangs (a silent server) must not make its neighbours time out with it."""
    return min(1.0, timeout / 2.0)


async def _session(reader, writer, endpoint, options, plan):
    starttls = endpoint.get('starttls')
    if starttls:
        await DIALOGUES[starttls](reader, writer, options.ehlo_name or _address_literal(writer))
    if plan == FULL:
        return await handshake(options.context, reader, writer, sni_name(endpoint['server_name']))
    return await _read_tls12(reader, writer, endpoint['server_name'])


async def _attempt(endpoint, options, full, memory=None):
    reader, writer = await _open(endpoint['host'], endpoint['port'], options.timeout)
    plan, address, probing, refused = (FULL if full else READER), None, False, None
    try:
        if memory is not None and not full:
            # Decided after connect (the peer's IP is the key) and outside the session's timeout: the wait for
            # a probe is bounded on its own (probe_wait) and must not eat this endpoint's time.
            address = _address(writer, endpoint)
            plan, probing = await memory.plan(address, probe_wait(options.timeout))
        try:
            result = await asyncio.wait_for(_session(reader, writer, endpoint, options, plan), options.timeout)
        except FetchError as exc:
            refused = True if exc.refused_tls12 and plan == READER else None
            raise
        refused = False if plan == READER else None
        return result
    except asyncio.TimeoutError:
        what = '%s answer' % endpoint['starttls'].upper() if endpoint.get('starttls') else 'TLS answer'
        raise FetchError('tls_error', 'connected, but no %s within %gs (the server accepts and never answers, or '
                                      'speaks a protocol that waits for the client)' % (what, options.timeout))
    except OSError as exc:
        raise FetchError('tls_error', oserror_cause(exc),
                         refused_tls12=isinstance(exc, ConnectionResetError) and plan == READER)
    finally:
        if probing:
            memory.learned(address, refused, probing)  # also on timeout or cancellation: waiters must go on
        # abort(): no graceful close to wait for; the server learns at once and no socket lingers.
        writer.transport.abort()


async def fetch_chain(endpoint, options, memory=None):
    """One endpoint (host, port, server_name, starttls): the chain and versions, or error and cause.

    ``memory``: a ``Tls12Memory`` shared by the endpoints of one run (``auto`` only); without it every
    endpoint tries TLS 1.2 first.
    """
    full = options.handshake == 'full'
    try:
        return await _attempt(endpoint, options, full, memory)
    except FetchError as exc:
        if full or not exc.refused_tls12:
            return {'error': exc.code, 'cause': exc.cause}
        first = exc.cause
    try:
        return await _attempt(endpoint, options, True)
    except FetchError as exc:
        cause = exc.cause if exc.cause == first else '%s; offered TLS 1.2 alone, %s' % (exc.cause, first)
        return {'error': exc.code, 'cause': cause}


async def _fetch_all(endpoints, options, concurrency, on_result):
    queue = iter(enumerate(endpoints))
    memory = Tls12Memory() if options.handshake == 'auto' else None

    async def worker():
        for index, endpoint in queue:
            result = await fetch_chain(endpoint, options, memory)
            # The caller analyses and drops the raw bytes here, so memory stays flat in the endpoint count.
            on_result(index, endpoint, result)

    await asyncio.gather(*(worker() for _worker in range(max(1, min(concurrency, len(endpoints))))))


def fetch_many(endpoints, options=None, concurrency=200, on_result=None):
    """Fetch every endpoint (dicts with host, port, server_name, starttls), at most ``concurrency`` at once.

    ``on_result(index, endpoint, result)`` is called as each completes (in completion order). The
    loop has its own resolver thread pool, shut down without waiting, so a resolver stuck past the
    timeout cannot hold the caller.
    """
    if not endpoints:
        return
    options = options or FetchOptions()
    loop = asyncio.new_event_loop()
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=min(32, max(4, concurrency // 8)),
                                                     thread_name_prefix='hkpost-resolve')
    loop.set_default_executor(executor)
    try:
        loop.run_until_complete(_fetch_all(endpoints, options, concurrency, on_result or (lambda *a: None)))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        loop.close()
