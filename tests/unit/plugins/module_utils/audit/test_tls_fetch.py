# -*- coding: utf-8 -*-
"""The hand-made TLS reader: ClientHello bytes and the parsing of a server's first flight."""

from __future__ import annotations

import struct

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_fetch import (
    MAX_FLIGHT_BYTES, FetchError, ServerFlight, client_hello, parse_certificate_message, sni_name)


def _record(ctype, payload):
    return bytes([ctype, 3, 3]) + struct.pack('>H', len(payload)) + payload


def _handshake(mtype, body):
    return bytes([mtype]) + len(body).to_bytes(3, 'big') + body


def _server_hello(random=b'\x00' * 32):
    return _handshake(2, b'\x03\x03' + random + b'\x00' + b'\xc0\x2f' + b'\x00')


def _certificate(*ders):
    body = b''.join(len(d).to_bytes(3, 'big') + d for d in ders)
    return _handshake(11, len(body).to_bytes(3, 'big') + body)


def test_client_hello_carries_sni_in_a_labels():
    hello = client_hello('香港郵政.hk')
    assert hello[0] == 0x16 and hello[5] == 1
    assert b'xn--5bvv2rbn4a0hh.hk' in hello
    assert struct.unpack('>H', hello[3:5])[0] == len(hello) - 5
    assert sni_name('192.0.2.1') is None and sni_name('WWW.Example.HK.') == 'www.example.hk'
    assert b'192.0.2.1' not in client_hello('192.0.2.1')


def test_flight_split_across_records_and_reads():
    flight = _server_hello() + _certificate(b'leaf-der', b'inter-der')
    # One handshake stream cut into two records, fed one byte at a time.
    data = _record(22, flight[:50]) + _record(22, flight[50:])
    parser = ServerFlight()
    results = [parser.feed(data[i:i + 1]) for i in range(len(data))]
    assert results[-1] == [b'leaf-der', b'inter-der'] and all(r is None for r in results[:-1])
    assert parser.version == 'TLSv1.2' and parser.cipher == 0xC02F


@pytest.mark.parametrize('data, message', [
    (b'HTTP/1.1 400 Bad Request\r\n\r\n', 'plain HTTP'),
    (b'SSH-2.0-OpenSSH_9.2\r\n', 'another protocol'),
    (_record(21, b'\x02\x28'), 'alert handshake_failure'),
    (_record(21, b'\x02\x46'), 'refused a TLS 1.2 handshake with alert protocol_version'),
    (_record(21, b'\x02\x70'), 'unrecognized_name'),
    (_record(22, _server_hello() + _handshake(14, b'')), 'no certificate'),
    (_record(22, _certificate(b'x')), 'before its ServerHello'),
    (_record(23, b'xx'), 'unexpected TLS record'),
])
def test_flight_errors(data, message):
    with pytest.raises(FetchError, match=message) as info:
        ServerFlight().feed(data)
    assert info.value.code == 'tls_error'


def test_flight_size_is_bounded():
    # A well-formed but endless handshake message: refused once the flight passes the bound.
    parser = ServerFlight()
    parser.feed(_record(22, _server_hello() + b'\x0c' + (2 ** 24 - 1).to_bytes(3, 'big')))
    with pytest.raises(FetchError, match='more than'):
        for _chunk in range(MAX_FLIGHT_BYTES // 16000 + 2):
            assert parser.feed(_record(22, b'\x00' * 16000)) is None


def test_eof_messages():
    with pytest.raises(FetchError, match='without answering'):
        ServerFlight().eof()
    parser = ServerFlight()
    parser.feed(b'\x16\x03')
    with pytest.raises(FetchError, match='during the TLS handshake'):
        parser.eof()


@pytest.mark.parametrize('body', [b'', b'\x00\x00\x05\x00\x00\x09abc', b'\x00\x00\x00',
                                  b'\x00\x00\x03\x00\x00\x00'])
def test_malformed_certificate_messages(body):
    with pytest.raises(FetchError):
        parse_certificate_message(body)


@pytest.mark.parametrize('random, offers_tls13', [
    (b'\x11' * 24 + b'DOWNGRD\x01', True),   # RFC 8446 4.1.3: a TLS 1.3 server answering a TLS 1.2 offer
    (b'\x11' * 24 + b'DOWNGRD\x00', False),  # the TLS 1.1-and-below sentinel says nothing about TLS 1.3
    (b'\x11' * 32, False),
])
def test_downgrade_sentinel_reveals_tls13_support(random, offers_tls13):
    parser = ServerFlight()
    assert parser.feed(_record(22, _server_hello(random) + _certificate(b'leaf'))) == [b'leaf']
    assert parser.version == 'TLSv1.2' and parser.offers_tls13 is offers_tls13


@pytest.mark.parametrize('alert, retried', [(40, True), (70, True), (71, True), (112, False), (48, False)])
def test_only_refusals_of_tls12_are_retried_with_a_full_handshake(alert, retried):
    with pytest.raises(FetchError) as info:
        ServerFlight().feed(_record(21, bytes([2, alert])))
    assert info.value.refused_tls12 is retried
