# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hand-written TLS 1.2 reader: the chain a server sends, read from its first flight in clear.

Kept beside the standard-library handshake (``_tls_standard``) for one measured reason: speed. A full
handshake with Python's ``ssl`` (OpenSSL 3.0 here) costs the client about 1.2 ms of CPU per endpoint to
process the server's flight, and the audit then reaches ~550 endpoints/s at N=1,000 on the 2-core
benchmark machine, against ~1,000/s for this reader, which does no key exchange at all
(``benchmarks/served_chain.py`` prints both; the README has the figures).

It speaks just enough TLS: a TLS 1.2 ClientHello, then the server's first flight is read until its
Certificate message, which TLS 1.2 sends in clear, and the connection is dropped. A server that
would rather speak TLS 1.3 still answers a TLS 1.2-only offer, and says so: RFC 8446 4.1.3 makes it
end ServerHello.random with ``DOWNGRD\\x01``, which this reader reports as TLS 1.3 support. A server
that refuses TLS 1.2 altogether raises a ``FetchError`` marked ``refused_tls12``; the caller then
makes a full handshake with ``ssl`` instead (``_fetch``).
"""

from __future__ import annotations

import ipaddress
import os
import struct

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_errors import FetchError

# Offered so that any server that speaks TLS 1.0-1.2 picks something. Static RSA comes first: the reader
# drops the connection before any key exchange, and with static RSA the server's first flight needs no
# signature (an ECDHE or DHE ServerKeyExchange costs the server a private-key operation per audit). A
# server that honours the client's order (OpenSSL's default, nginx's ssl_prefer_server_ciphers off) is
# audited almost for free; one that imposes its own order (Schannel) picks ECDHE and is audited the same.
# Then ECDHE (ECDSA/RSA) and DHE, so servers without static RSA still answer. Weak choices cost nothing
# here (no data is ever exchanged); they only widen reach.
_CIPHER_SUITES = (
    0x009C, 0x009D, 0x003C, 0x003D, 0x002F, 0x0035, 0x000A,
    0xC02B, 0xC02C, 0xC02F, 0xC030, 0xCCA9, 0xCCA8, 0xC023, 0xC024, 0xC027, 0xC028,
    0xC009, 0xC00A, 0xC013, 0xC014, 0x009E, 0x009F, 0x0067, 0x006B, 0x0033, 0x0039,
    0x00FF,  # TLS_EMPTY_RENEGOTIATION_INFO_SCSV: some servers refuse clients without it
)
_GROUPS = (0x001D, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101)
_SIGNATURE_ALGORITHMS = (0x0804, 0x0805, 0x0806, 0x0403, 0x0503, 0x0603, 0x0401, 0x0501, 0x0601,
                         0x0201, 0x0203)

_ALERTS = {
    0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 40: 'handshake_failure',
    42: 'bad_certificate', 43: 'unsupported_certificate', 47: 'illegal_parameter', 48: 'unknown_ca',
    50: 'decode_error', 51: 'decrypt_error', 70: 'protocol_version', 71: 'insufficient_security',
    80: 'internal_error', 86: 'inappropriate_fallback', 90: 'user_canceled', 109: 'missing_extension',
    110: 'unsupported_extension', 112: 'unrecognized_name', 120: 'no_application_protocol',
}
_VERSIONS = {0x0300: 'SSLv3', 0x0301: 'TLSv1.0', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2'}
# RFC 8446 4.1.3: a TLS 1.3 server answering a client that offered at most TLS 1.2 ends its random with this.
DOWNGRADE_FROM_TLS13 = b'DOWNGRD\x01'

# A server flight larger than this is not a certificate chain anyone should accept.
MAX_FLIGHT_BYTES = 512 * 1024
_MAX_RECORD = 2 ** 14 + 2048


def _vec(data, length_bytes):
    return len(data).to_bytes(length_bytes, 'big') + data


def _u16s(values):
    return b''.join(struct.pack('>H', v) for v in values)


def sni_name(server_name):
    """The SNI host name as sent on the wire: A-labels, no trailing dot; ``None`` for IP literals."""
    name = (server_name or '').rstrip('.')
    if not name:
        return None
    try:
        ipaddress.ip_address(name)
        return None  # RFC 6066: literal addresses are not sent in SNI
    except ValueError:
        pass
    return a_label(name)


def a_label(name):
    """A DNS name in ASCII (IDNA 2008 A-labels, lower case); ``*.`` wildcards and ASCII names pass unchanged."""
    name = name.rstrip('.')
    if name.isascii():
        return name.lower()
    try:
        import idna  # controller requirement; the standard codec (IDNA 2003) is the fallback
        return idna.encode(name, uts46=True).decode('ascii').lower()
    except ImportError:
        return name.encode('idna').decode('ascii').lower()
    except Exception:  # idna.IDNAError and friends: the name then fails to resolve or match on its own
        return name.lower()


def client_hello(server_name):
    """A TLS 1.2 ClientHello record offering broad ciphers, with SNI when ``server_name`` is a name."""
    extensions = b''
    sni = sni_name(server_name)
    if sni:
        entry = b'\x00' + _vec(sni.encode('ascii'), 2)
        extensions += struct.pack('>H', 0) + _vec(_vec(entry, 2), 2)
    extensions += struct.pack('>H', 10) + _vec(_vec(_u16s(_GROUPS), 2), 2)
    extensions += struct.pack('>H', 11) + _vec(_vec(b'\x00', 1), 2)
    extensions += struct.pack('>H', 13) + _vec(_vec(_u16s(_SIGNATURE_ALGORITHMS), 2), 2)
    extensions += struct.pack('>H', 23) + _vec(b'', 2)  # extended_master_secret
    body = (b'\x03\x03' + os.urandom(32) + _vec(b'', 1) + _vec(_u16s(_CIPHER_SUITES), 2)
            + _vec(b'\x00', 1) + _vec(extensions, 2))
    handshake = b'\x01' + _vec(body, 3)
    return b'\x16\x03\x01' + _vec(handshake, 2)


def _not_tls(data):
    head = bytes(data[:16])
    if head.startswith((b'HTTP/', b'<')):
        return FetchError('tls_error', 'the server answered in plain HTTP, not TLS (wrong port, or TLS not '
                                       'enabled on it)')
    if head[:3] in (b'SSH', b'220', b'+OK', b'* O'):
        return FetchError('tls_error', 'the server speaks another protocol (%r...), not TLS' % head[:12])
    return FetchError('tls_error', 'the server answered with bytes that are not TLS (%s...)' % head[:8].hex())


class ServerFlight:
    """Incremental reader of a server's first flight; ``feed`` returns the certificates once they are in."""

    def __init__(self):
        self._records = bytearray()
        self._handshake = bytearray()
        self._seen = 0
        self.version = None
        self.cipher = None
        self.offers_tls13 = False

    def feed(self, data):
        self._seen += len(data)
        if self._seen > MAX_FLIGHT_BYTES:
            raise FetchError('tls_error', 'the server sent more than %d bytes without a complete certificate '
                                          'message' % MAX_FLIGHT_BYTES)
        self._records += data
        while len(self._records) >= 5:
            ctype, major, length = self._records[0], self._records[1], struct.unpack('>H', self._records[3:5])[0]
            if ctype not in (20, 21, 22, 23) or major != 3 or length > _MAX_RECORD:
                raise _not_tls(self._records)
            if len(self._records) < 5 + length:
                break
            fragment = bytes(self._records[5:5 + length])
            del self._records[:5 + length]
            if ctype == 21:
                self._alert(fragment)
            elif ctype == 22:
                self._handshake += fragment
                certificates = self._messages()
                if certificates is not None:
                    return certificates
            else:
                raise FetchError('tls_error', 'the server sent an unexpected TLS record (type %d) before its '
                                              'certificate' % ctype)
        return None

    def eof(self):
        if self._seen == 0:
            raise FetchError('tls_error', 'the server closed the connection without answering the TLS '
                                          'ClientHello (not TLS, or it rejected the client)', refused_tls12=True)
        raise FetchError('tls_error', 'the server closed the connection during the TLS handshake, before '
                                      'sending its certificate', refused_tls12=True)

    def _alert(self, fragment):
        if len(fragment) < 2:
            raise FetchError('tls_error', 'the server sent a truncated TLS alert')
        name = _ALERTS.get(fragment[1], 'alert %d' % fragment[1])
        if fragment[1] in (40, 70, 71):  # handshake_failure, protocol_version, insufficient_security
            raise FetchError('tls_error', 'the server refused a TLS 1.2 handshake with alert %s' % name,
                             refused_tls12=True)
        if fragment[1] == 112:
            raise FetchError('tls_error', 'TLS alert unrecognized_name: the server has no certificate for this '
                                          'server name (SNI)')
        raise FetchError('tls_error', 'the server refused the TLS handshake with alert %s' % name)

    def _messages(self):
        while len(self._handshake) >= 4:
            mtype = self._handshake[0]
            length = int.from_bytes(self._handshake[1:4], 'big')
            if len(self._handshake) < 4 + length:
                return None
            body = bytes(self._handshake[4:4 + length])
            del self._handshake[:4 + length]
            if mtype == 2:
                self._server_hello(body)
            elif mtype == 11:
                if self.version is None:
                    raise FetchError('tls_error', 'the server sent its certificate before its ServerHello')
                return parse_certificate_message(body)
            elif mtype == 14:
                raise FetchError('tls_error', 'the server sent no certificate (anonymous or PSK cipher suite)')
        return None

    def _server_hello(self, body):
        if len(body) < 38:
            raise FetchError('tls_error', 'the server sent a truncated ServerHello')
        version = struct.unpack('>H', body[0:2])[0]
        sid_len = body[34]
        if len(body) < 35 + sid_len + 2:
            raise FetchError('tls_error', 'the server sent a truncated ServerHello')
        self.cipher = struct.unpack('>H', body[35 + sid_len:37 + sid_len])[0]
        self.version = _VERSIONS.get(version, '0x%04X' % version)
        self.offers_tls13 = body[26:34] == DOWNGRADE_FROM_TLS13


def parse_certificate_message(body):
    """The DER certificates of a TLS 1.0-1.2 Certificate message, in the order sent."""
    if len(body) < 3:
        raise FetchError('tls_error', 'the server sent a truncated certificate message')
    total = int.from_bytes(body[0:3], 'big')
    if total != len(body) - 3:
        raise FetchError('tls_error', 'the server sent a malformed certificate message (length mismatch)')
    certificates, offset = [], 3
    while offset < len(body):
        if offset + 3 > len(body):
            raise FetchError('tls_error', 'the server sent a malformed certificate message')
        size = int.from_bytes(body[offset:offset + 3], 'big')
        offset += 3
        if size == 0 or offset + size > len(body):
            raise FetchError('tls_error', 'the server sent a malformed certificate message')
        certificates.append(body[offset:offset + size])
        offset += size
    if not certificates:
        raise FetchError('tls_error', 'the server sent an empty certificate list')
    return certificates
