# -*- coding: utf-8 -*-
"""The rules of _tls_standard (the full ``ssl`` handshake), one by one (issue 21).

The handshakes are real: an asyncio TLS server of Python's ``ssl`` on 127.0.0.1 serving the test PKI's leaf and
intermediate. Where a Python version decides the path (``get_unverified_chain`` is public from 3.13, on
``_sslobj`` before), the object handed in is shaped after CPython's Lib/ssl.py of that version: 3.13's
``SSLObject.get_unverified_chain()`` returns DER ``bytes`` (or ``None`` with no peer certificate), 3.10-3.12's
``_sslobj.get_unverified_chain()`` returns ``_ssl.Certificate`` objects with ``public_bytes(format)``.
"""

from __future__ import annotations

import asyncio
import ssl

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit import _tls_standard
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_errors import FetchError


class _Reason(Exception):
    """An ssl.SSLError as OpenSSL fills it: ``reason`` is the library's reason code (or None)."""

    def __init__(self, reason, text='[SSL] handshake failed (_ssl.c:1006)\nsecond line'):
        super().__init__(text)
        self.reason = reason


@pytest.mark.parametrize('reason, cause', [
    ('WRONG_VERSION_NUMBER', 'bytes that are not TLS'),
    ('TLSV1_ALERT_PROTOCOL_VERSION', 'refused the TLS handshake with alert protocol_version'),
    ('SSLV3_ALERT_HANDSHAKE_FAILURE', 'refused the TLS handshake with alert handshake_failure'),
    ('TLSV13_ALERT_CERTIFICATE_REQUIRED', 'refused the TLS handshake with alert certificate_required'),
    ('UNSUPPORTED_PROTOCOL', 'no TLS version or cipher in common with the server (UNSUPPORTED_PROTOCOL)'),
    ('NO_PROTOCOLS_AVAILABLE', 'no TLS version or cipher in common'),
    ('NO_SUITABLE_SIGNATURE_ALGORITHM', 'no TLS version or cipher in common'),
    ('CERTIFICATE_VERIFY_FAILED', 'TLS handshake failed: CERTIFICATE_VERIFY_FAILED'),
    ('XTLSV1_ALERT_X', 'TLS handshake failed: XTLSV1_ALERT_X'),
])
def test_each_openssl_reason_is_named_for_the_operator(reason, cause):
    text = _tls_standard._cause(_Reason(reason))
    assert cause in text and ('handshake failed' in text) == cause.startswith('TLS handshake failed')


@pytest.mark.parametrize('reason', [None, ''])
def test_without_a_reason_the_first_line_of_the_error_is_shown(reason):
    assert _tls_standard._cause(_Reason(reason)) == 'TLS handshake failed: [SSL] handshake failed (_ssl.c:1006)'


class _Py313Object:
    """3.13+: the public getter, DER bytes or None."""

    def __init__(self, chain):
        self._chain = chain

    def get_unverified_chain(self):
        return self._chain


class _Certificate:
    def __init__(self, der):
        self._der = der

    def public_bytes(self, fmt):
        assert fmt == ssl._ssl.ENCODING_DER  # pylint: disable=protected-access
        return self._der


class _SslObj:
    def __init__(self, chain):
        self._chain = chain

    def get_unverified_chain(self):
        return self._chain


class _Py311Object:
    """3.10-3.12: no public getter; _sslobj's returns Certificate objects, or None."""

    def __init__(self, chain):
        self._sslobj = _SslObj(chain)


def test_the_public_getter_is_used_when_python_has_it():
    assert _tls_standard.unverified_chain(_Py313Object([b'leaf', b'inter'])) == [b'leaf', b'inter']


def test_before_3_13_the_chain_comes_from_sslobj_as_der():
    chain = [_Certificate(b'leaf'), _Certificate(b'inter')]
    assert _tls_standard.unverified_chain(_Py311Object(chain)) == [b'leaf', b'inter']


@pytest.mark.parametrize('obj', [_Py313Object(None), _Py311Object(None)])
def test_no_peer_certificate_is_an_empty_chain(obj):
    assert _tls_standard.unverified_chain(obj) == []


def test_client_context_reaches_old_servers_and_verifies_nothing():
    ctx = _tls_standard.client_context()
    assert ctx.verify_mode == ssl.CERT_NONE and ctx.check_hostname is False
    assert ctx.minimum_version == ssl.TLSVersion.MINIMUM_SUPPORTED


def _server_context(tmp_path, pki, **versions):
    leaf = pki.leaves['standard']
    (tmp_path / 'chain.pem').write_text(leaf.pem + pki.ssl_new.pem)
    (tmp_path / 'key.pem').write_text(leaf.key_pem)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(tmp_path / 'chain.pem'), str(tmp_path / 'key.pem'))
    for attr, value in versions.items():
        setattr(ctx, attr, value)
    return ctx


def _handshake_with(serve, server_name='www.example.hk'):
    """Run a loopback server (``serve(reader, writer)``) and the module's handshake against it."""

    async def main():
        server = await asyncio.start_server(serve, '127.0.0.1', 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection('127.0.0.1', port)
        try:
            return await asyncio.wait_for(_tls_standard.handshake(_tls_standard.client_context(), reader, writer,
                                                                  server_name), 10)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    return asyncio.run(main())


def _tls_server(ctx):
    async def serve(reader, writer):
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(incoming, outgoing, server_side=True)
        while True:
            try:
                tls.do_handshake()
                done = True
            except ssl.SSLWantReadError:
                done = False
            except ssl.SSLError:
                done = True
            writer.write(outgoing.read())
            await writer.drain()
            if done:
                break
            data = await reader.read(65536)
            if not data:
                break
            incoming.write(data)
        await asyncio.sleep(0.2)
        writer.close()
    return serve


def test_the_chain_is_returned_as_the_server_sent_it_with_the_version(tmp_path, pki):
    result = _handshake_with(_tls_server(_server_context(tmp_path, pki)))
    assert result['certificates'] == [pki.leaves['standard'].der, pki.ssl_new.der]
    assert result['tls_version'] == 'TLSv1.3' and result['chain_read_over'] == 'TLSv1.3'


def test_a_tls_1_2_server_is_read_over_tls_1_2(tmp_path, pki):
    ctx = _server_context(tmp_path, pki, maximum_version=ssl.TLSVersion.TLSv1_2)
    result = _handshake_with(_tls_server(ctx))
    assert result['certificates'][0] == pki.leaves['standard'].der
    assert result['tls_version'] == result['chain_read_over'] == 'TLSv1.2'


def test_a_server_closing_during_the_handshake_is_a_finding_not_a_hang():
    async def serve(reader, writer):
        await reader.read(5)   # the start of the ClientHello, then hang up
        writer.close()
    with pytest.raises(FetchError, match='closed the connection during the TLS handshake') as info:
        _handshake_with(serve)
    assert info.value.code == 'tls_error'


def test_a_server_answering_in_clear_text_is_named():
    async def serve(reader, writer):
        await reader.read(5)
        writer.write(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')
        await writer.drain()
        await asyncio.sleep(0.2)
        writer.close()
    with pytest.raises(FetchError, match='bytes that are not TLS'):
        _handshake_with(serve)


def test_a_server_sending_no_certificate_is_a_finding():
    # An anonymous (ADH) cipher suite: OpenSSL completes the handshake with no Certificate message.
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers('aNULL:@SECLEVEL=0')
    with pytest.raises(FetchError, match='sent no certificate'):
        _handshake_with(_tls_server(ctx))
