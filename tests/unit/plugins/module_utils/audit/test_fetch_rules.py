# -*- coding: utf-8 -*-
"""The fetcher's rules one by one (issue 21), each against a real peer on 127.0.0.1: Python ``ssl`` servers
(OpenSSL) sending the test PKI's chain, the rude peers of tests/support/peers/tls_servers.py (silent, closing,
resetting, plain HTTP) and a relay that passes the server's bytes on in small pieces (a slow link).

What a caller of ``fetch_many`` / ``fetch_chain`` sees: the chain and the two versions, or ``error`` and
``cause``; which endpoints pay a second connection; the order results arrive in."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fetch import (
    FetchOptions, _address_literal, fetch_chain, fetch_many)
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls12_memory import Tls12Memory
from tests.support.peers import tls_servers

TLS12, TLS13 = ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3


def _chain(pki):
    leaf = pki.leaves['standard']
    return [leaf.pem, pki.ssl_new.pem], leaf.key_pem


@pytest.fixture
def servers(pki):
    """Started peers, stopped after the test: ``servers(kind, **options)``."""
    started = []

    def start(kind, **options):
        if kind == 'tls':
            server = tls_servers.tls_endpoint(*_chain(pki), **options)
        elif kind == 'refusing':
            server = tls_servers.refusing_endpoint(*_chain(pki), **options)
        else:
            server = getattr(tls_servers, kind + '_endpoint')(**options)
        started.append(server)
        return server
    yield start
    for server in started:
        server.stop()


def _endpoint(port, host='127.0.0.1', **more):
    return dict({'host': host, 'port': port, 'server_name': 'www.example.hk', 'starttls': None}, **more)


def fetch(endpoints, concurrency=1, **options):
    """The results in the order they arrived, as (index, result)."""
    arrived = []
    fetch_many(endpoints, FetchOptions(**dict({'timeout': 3}, **options)), concurrency,
               lambda index, _endpoint, result: arrived.append((index, result)))
    return arrived


def only(endpoint, **options):
    return fetch([endpoint], **options)[0][1]


# -- the chain and the versions ---------------------------------------------------------------------------

def test_a_tls12_only_server_reports_tls12_not_tls13(servers, pki):
    server = servers('tls', maximum=TLS12)
    result = only(_endpoint(server.port))
    assert (result['tls_version'], result['chain_read_over']) == ('TLSv1.2', 'TLSv1.2')
    assert result['certificates'][1] == pki.ssl_new.der


def test_a_flight_arriving_in_many_pieces_is_read_whole(servers, pki):
    # A slow link: the ServerHello and Certificate reach the reader over dozens of reads.
    server = servers('tls', maximum=TLS12)
    relay = tls_servers.piecewise_relay(server.port)
    try:
        result = only(_endpoint(relay.port))
    finally:
        relay.stop()
    assert result['chain_read_over'] == 'TLSv1.2'
    assert result['certificates'] == [pki.leaves['standard'].der, pki.ssl_new.der]


def test_fetch_chain_without_a_memory_tries_tls12_first(servers):
    # fetch_chain's contract: without a Tls12Memory every endpoint tries the TLS 1.2 reader first.
    server = servers('tls')
    result = asyncio.run(fetch_chain(_endpoint(server.port), FetchOptions(timeout=3)))
    assert (result['tls_version'], result['chain_read_over']) == ('TLSv1.3', 'TLSv1.2')
    assert server.accepted == 1


def test_defaults_need_no_options_and_no_callback(servers):
    server = servers('tls')
    assert fetch_many([_endpoint(server.port)]) is None
    assert server.accepted == 1


# -- failures: the cause, and whether a second connection is tried ------------------------------------------

def test_a_server_that_hangs_up_is_named_not_timed_out(servers):
    # It reads the hello and closes (FIN), twice: the reader's end of file is a refusal, so the full handshake is
    # tried; the cause names the last failure and what the TLS 1.2 offer got.
    server = servers('refusing', reset=False)
    started = time.monotonic()
    result = only(_endpoint(server.port), timeout=5)
    assert result == {'error': 'tls_error', 'cause': (
        'the server closed the connection during the TLS handshake, before sending its certificate; offered TLS '
        '1.2 alone, the server closed the connection without answering the TLS ClientHello (not TLS, or it '
        'rejected the client)')}
    assert server.accepted == 2 and time.monotonic() - started < 4


def test_a_failure_that_is_no_tls12_refusal_is_not_retried(servers):
    http = servers('http')
    result = only(_endpoint(http.port))
    assert result['error'] == 'tls_error' and result['cause'].startswith('the server answered in plain HTTP')
    assert 'offered TLS 1.2 alone' not in result['cause']


def test_the_same_failure_twice_is_named_once(servers):
    server = servers('refusing')
    result = only(_endpoint(server.port))
    assert result == {'error': 'tls_error', 'cause': 'connection reset by the server'}
    assert server.accepted == 2


def test_a_reset_on_the_tls12_hello_gets_the_full_handshake(servers, pki):
    # Schannel with TLS 1.2 disabled resets the connection instead of sending an alert.
    server = servers('refusing', refusals=1)
    result = only(_endpoint(server.port))
    assert 'error' not in result, result
    assert result['chain_read_over'] == 'TLSv1.3' and result['certificates'][1] == pki.ssl_new.der
    assert server.accepted == 2


@pytest.mark.parametrize('starttls, what', [(None, 'TLS'), ('smtp', 'SMTP')])
def test_a_silent_server_times_out_naming_what_was_awaited(servers, starttls, what):
    silent = servers('silent')
    result = only(_endpoint(silent.port, starttls=starttls), timeout=0.5)
    assert result['error'] == 'tls_error'
    assert result['cause'].startswith('connected, but no %s answer within 0.5s' % what)


def test_unreachable_causes(servers):
    port = tls_servers.free_port_nobody_listens()
    results = dict(fetch([_endpoint(port), _endpoint(443, host='no-such-host.invalid')]))
    assert results[0] == {'error': 'unreachable', 'cause': 'connection refused (nothing listens on that port)'}
    assert results[1]['error'] == 'unreachable' and results[1]['cause'].startswith('the name does not resolve (')


# -- what one address teaches the others (handshake: auto) ---------------------------------------------------

def test_a_tls13_only_server_is_learned_by_address_not_by_name(servers):
    # localhost and 127.0.0.1 are one server: the second name pays no refused TLS 1.2 attempt.
    server = servers('tls', minimum=TLS13)
    results = fetch([_endpoint(server.port), _endpoint(server.port, host='localhost')])
    assert [r['chain_read_over'] for _i, r in results] == ['TLSv1.3', 'TLSv1.3']
    assert server.accepted == 3  # the probe's refused attempt and its full handshake, then one full handshake


def test_a_failure_that_is_no_refusal_teaches_the_address_nothing(servers):
    # Plain HTTP on one port of the address, TLS 1.2 on another: the second is still read over TLS 1.2.
    http, tls = servers('http'), servers('tls')
    results = dict(fetch([_endpoint(http.port), _endpoint(tls.port)]))
    assert results[0]['error'] == 'tls_error'
    assert results[1]['chain_read_over'] == 'TLSv1.2'


def test_a_reset_of_the_full_handshake_is_final(servers):
    # The address is learned TLS 1.3-only, so the next endpoint gets the full handshake at once; a reset there is
    # no TLS 1.2 refusal to work around: one connection, not two.
    tls13, resetting = servers('tls', minimum=TLS13), servers('refusing')
    results = dict(fetch([_endpoint(tls13.port), _endpoint(resetting.port)]))
    assert results[0]['chain_read_over'] == 'TLSv1.3'
    assert results[1] == {'error': 'tls_error', 'cause': 'connection reset by the server'}
    assert resetting.accepted == 1


def test_an_address_that_answered_over_tls12_is_probed_once(servers):
    server = servers('tls')
    memory = Tls12Memory()
    options = FetchOptions(timeout=3)

    async def three():
        return [await fetch_chain(_endpoint(server.port), options, memory) for _i in range(3)]
    results = asyncio.run(three())
    assert [r['chain_read_over'] for r in results] == ['TLSv1.2'] * 3
    assert memory.probes_run == 1


def test_full_mode_makes_one_connection_per_endpoint(servers):
    server = servers('tls')
    results = fetch([_endpoint(server.port)] * 2, handshake='full')
    assert [r['chain_read_over'] for _i, r in results] == ['TLSv1.3', 'TLSv1.3']
    assert server.accepted == 2


# -- concurrency, and a resolver that hangs ------------------------------------------------------------------

def test_concurrency_one_fetches_one_endpoint_at_a_time(servers):
    silent, tls = servers('silent'), servers('tls')
    results = fetch([_endpoint(silent.port), _endpoint(tls.port)], concurrency=1, timeout=0.5)
    assert [index for index, _r in results] == [0, 1]


def test_a_stuck_resolver_does_not_hold_the_caller(monkeypatch):
    # The OS resolver hanging (getaddrinfo blocks in its thread): the endpoint is unreachable after its
    # timeout and fetch_many returns without waiting for the resolver thread.
    release = threading.Event()
    real = socket.getaddrinfo

    def stuck(host, *args, **kwargs):
        if host == 'stuck.example.hk':
            release.wait(10)
        return real(host, *args, **kwargs)
    monkeypatch.setattr(socket, 'getaddrinfo', stuck)
    try:
        started = time.monotonic()
        results = fetch([_endpoint(443, host='stuck.example.hk')], timeout=0.5)
        elapsed = time.monotonic() - started
    finally:
        release.set()
    assert results[0][1]['error'] == 'unreachable' and 'no TCP connection within 0.5s' in results[0][1]['cause']
    assert elapsed < 3


# -- the EHLO address literal (RFC 5321 4.1.4) ------------------------------------------------------------

@pytest.mark.parametrize('family, address, literal', [
    (socket.AF_INET, '127.0.0.1', '[127.0.0.1]'),
    (socket.AF_INET6, '::1', '[IPv6:::1]'),
])
def test_the_address_literal_is_the_local_address_of_the_connection(family, address, literal):
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.bind((address, 0))
    listener.listen(1)

    async def greet():
        _reader, writer = await asyncio.open_connection(address, listener.getsockname()[1])
        try:
            return _address_literal(writer)
        finally:
            writer.transport.abort()
    try:
        assert asyncio.run(greet()) == literal
    finally:
        listener.close()
