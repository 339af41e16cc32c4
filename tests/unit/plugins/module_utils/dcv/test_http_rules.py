# -*- coding: utf-8 -*-
"""dcv._http rules left open by the issue 21 mutation run: the Host header on https's default port, and the words
a check's problem uses for a name that does not resolve, a server that never answers and one that speaks no HTTP."""

from __future__ import annotations

import http.client
import socket
import threading

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _http
from tests.unit.plugins.module_utils.dcv.test_http import echo  # noqa: F401  # pylint: disable=unused-import

RESOLVE = {'lab.example.test': '127.0.0.1'}


def test_https_on_port_443_sends_the_host_header_without_a_port(echo, monkeypatch):  # noqa: F811
    # The TLS layer is replaced by plain HTTP to the echo server (it answers with the Host header it got): what is
    # checked is the header the CA's request carries, "Host: name" on the scheme's default port (RFC 9110 7.2).
    monkeypatch.setattr(_http, '_SNIHTTPSConnection',
                        lambda address, port, host, context, timeout: http.client.HTTPConnection(address, port,
                                                                                                 timeout=timeout))
    seen = _http.fetch('https://echo.example.test/host', echo.resolve, {443: echo.port}, timeout=5)
    assert seen['problem'] is None and seen['body'] == b'echo.example.test'


def test_a_name_that_does_not_resolve_is_named_with_the_resolvers_words(monkeypatch):
    def getaddrinfo(*_a, **_k):
        raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')
    monkeypatch.setattr(_http.socket, 'getaddrinfo', getaddrinfo)
    seen = _http.fetch('http://gone.example.test/x', {}, {}, timeout=1)
    assert seen['problem'].endswith('gone.example.test does not resolve (Name or service not known)')


def _server(reply):
    """A TCP server on 127.0.0.1 that sends ``reply`` (None: never answers) to each connection."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(4)
    held = []

    def serve():
        while True:
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            held.append(conn)
            if reply is not None:
                conn.recv(4096)
                conn.sendall(reply)
                conn.close()
    threading.Thread(target=serve, daemon=True).start()
    return listener, held


def test_a_server_that_never_answers_is_a_timeout():
    listener, held = _server(None)
    try:
        seen = _http.fetch('http://lab.example.test/x', RESOLVE, {80: listener.getsockname()[1]}, timeout=0.5)
    finally:
        listener.close()
        for conn in held:
            conn.close()
    assert seen['problem'].endswith(': timed out')


def test_a_server_that_speaks_no_http_is_a_problem_not_a_crash():
    listener, _held = _server(b'SSH-2.0-OpenSSH_9.6\r\n')
    try:
        seen = _http.fetch('http://lab.example.test/x', RESOLVE, {80: listener.getsockname()[1]}, timeout=2)
    finally:
        listener.close()
    assert seen['problem'].startswith('cannot fetch http://lab.example.test:80 (127.0.0.1, lab port ')
    assert 'SSH-2.0-OpenSSH_9.6' in seen['problem']
