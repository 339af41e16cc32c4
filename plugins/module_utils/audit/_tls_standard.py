# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A full TLS handshake with Python's ``ssl`` (any version up to TLS 1.3), returning the chain as sent.

The chain comes from OpenSSL's record of the peer's Certificate message, not from a verified path:
``SSLObject.get_unverified_chain()`` is public from Python 3.13 and is ``_sslobj.get_unverified_chain()``
on 3.10-3.12 - the same two calls community.crypto's ``get_certificate`` makes for its
``get_certificate_chain`` option. Nothing is verified (``CERT_NONE``, no trust store): judging the
chain is ``_served_chain``'s job, and a verifying client would repair the chain it reports.

The handshake runs over an ``asyncio`` stream pair through ``MemoryBIO`` buffers, so it shares the
connection a STARTTLS dialogue has just prepared, and the caller's event loop.
"""

from __future__ import annotations

import ssl

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_errors import FetchError

_DER = getattr(ssl, '_ssl').ENCODING_DER  # not re-exported by ssl before 3.13


def client_context():
    """Reach as far as any server an auditor may meet: TLS 1.0-1.3, every cipher OpenSSL still has."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    ctx.set_ciphers('ALL:@SECLEVEL=0')  # a weak key is a finding to report, not a reason to hang up
    return ctx


def unverified_chain(ssl_object):
    """DER certificates in the order the server sent them (3.13+: public; 3.10-3.12: ``_sslobj``)."""
    getter = getattr(ssl_object, 'get_unverified_chain', None)
    chain = getter() if getter is not None else ssl_object._sslobj.get_unverified_chain()
    return [c if isinstance(c, bytes) else c.public_bytes(_DER) for c in chain or ()]


def _cause(exc):
    reason = getattr(exc, 'reason', None) or ''
    if reason == 'WRONG_VERSION_NUMBER':
        return 'the server answered with bytes that are not TLS (wrong port, or TLS not enabled on it)'
    if reason.startswith(('TLSV1_ALERT_', 'SSLV3_ALERT_', 'TLSV13_ALERT_')):
        alert = reason.split('_ALERT_', 1)[1].lower()
        return 'the server refused the TLS handshake with alert %s' % alert
    if reason in ('UNSUPPORTED_PROTOCOL', 'NO_PROTOCOLS_AVAILABLE', 'NO_SUITABLE_SIGNATURE_ALGORITHM'):
        return 'no TLS version or cipher in common with the server (%s)' % reason
    return 'TLS handshake failed: %s' % (reason or str(exc).splitlines()[0])


async def handshake(context, reader, writer, server_name):
    """``{'certificates', 'tls_version', 'chain_read_over'}`` after a complete handshake, else FetchError."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_side=False, server_hostname=server_name)
    while True:
        try:
            tls.do_handshake()
            done = True
        except ssl.SSLWantReadError:
            done = False
        except ssl.SSLError as exc:
            raise FetchError('tls_error', _cause(exc))
        pending = outgoing.read()
        if pending:
            writer.write(pending)
        if done:
            break
        data = await reader.read(65536)
        if not data:
            raise FetchError('tls_error', 'the server closed the connection during the TLS handshake, before '
                                          'sending its certificate')
        incoming.write(data)
    certificates = unverified_chain(tls)
    if not certificates:
        raise FetchError('tls_error', 'the server sent no certificate (anonymous or PSK cipher suite)')
    version = tls.version()
    return {'certificates': certificates, 'tls_version': version, 'chain_read_over': version}
