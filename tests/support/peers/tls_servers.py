# -*- coding: utf-8 -*-
"""Real TLS servers on 127.0.0.1 that send exactly the chain they are given, plus the rude peers.

Each endpoint is a Python ``ssl`` server (OpenSSL underneath) on its own free port. OpenSSL sends the
certificate file's extra certificates as they are, in file order, and builds nothing itself (the
server context has no trust store), so a test controls precisely what goes on the wire: a missing
intermediate, the wrong order, the root included.

Also here: a plain-HTTP server, a server that accepts and never answers, and a TLS-1.3-only server,
for the bad-input cases.
"""

from __future__ import annotations

import http.server
import os
import socket
import ssl
import struct
import tempfile
import threading
import time


class _Listener:
    """Accept loop on a free 127.0.0.1 port, one short-lived thread per connection."""

    def __init__(self, handle):
        self._handle = handle
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self._stopped = threading.Event()
        self._held = []
        self.accepted = 0  # TCP connections accepted: how many attempts the client paid
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stopped.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            self._handle(self, conn)
        except (OSError, ssl.SSLError):
            pass  # clients drop the connection after the certificate: expected

    def hold(self, conn):
        self._held.append(conn)

    def stop(self):
        self._stopped.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        for conn in self._held:
            conn.close()


def tls_context(chain_pems, key_pem, minimum=None, maximum=None, allow_weak=False):
    """A server context sending ``chain_pems`` (leaf first, then as given) with ``key_pem``.

    ``allow_weak`` lowers OpenSSL's security level so that a 1024-bit test key can be served at all.
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if allow_weak:
        ctx.set_ciphers('DEFAULT:@SECLEVEL=0')
    if minimum:
        ctx.minimum_version = minimum
    if maximum:
        ctx.maximum_version = maximum
    fd, path = tempfile.mkstemp(suffix='.pem')
    try:
        with os.fdopen(fd, 'w') as handle:
            handle.write(''.join(chain_pems) + key_pem)
        ctx.load_cert_chain(path)
    finally:
        os.unlink(path)
    return ctx


def tls_endpoint(chain_pems, key_pem, **versions):
    """A TLS server on a free port; returns the listener (``.port``, ``.stop()``)."""
    ctx = tls_context(chain_pems, key_pem, **versions)

    def handle(_listener, conn):
        conn.settimeout(10)
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.recv(1)  # the auditor drops the connection after the certificate
    return _Listener(handle)


def silent_endpoint():
    """Accepts TCP connections and never says a word."""
    def handle(listener, conn):
        listener.hold(conn)
    return _Listener(handle)


def closing_endpoint():
    """Accepts TCP connections and closes them at once."""
    def handle(_listener, conn):
        conn.close()
    return _Listener(handle)


def _reset(conn):
    """Close with SO_LINGER 0: the kernel sends a TCP RST, the client reads ECONNRESET."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    conn.close()


def refusing_endpoint(chain_pems=None, key_pem=None, refusals=None, reset=True):
    """Reads the ClientHello and hangs up: with a TCP reset (``reset``), as Schannel (IIS) does with TLS 1.2
    disabled, or with a plain close (FIN).

    The first ``refusals`` connections (all if None) are refused; later ones get a TLS server sending
    ``chain_pems``, so a test can see the client's second attempt succeed.
    """
    ctx = tls_context(chain_pems, key_pem) if chain_pems else None

    def handle(listener, conn):
        conn.settimeout(10)
        if refusals is None or listener.accepted <= refusals:
            conn.recv(16384)
            if reset:
                _reset(conn)
            else:
                conn.close()
            return
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.recv(1)
    return _Listener(handle)


def piecewise_relay(port, piece=64):
    """A TCP relay to ``127.0.0.1:port`` that passes the server's bytes on ``piece`` bytes at a time: a slow
    link, where the server's flight reaches the client over many reads."""
    def handle(listener, conn):
        upstream = socket.create_connection(('127.0.0.1', port), timeout=10)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.hold(upstream)

        def forward():
            try:
                while True:
                    data = conn.recv(16384)
                    if not data:
                        return
                    upstream.sendall(data)
            except OSError:
                pass
        threading.Thread(target=forward, daemon=True).start()
        while True:
            data = upstream.recv(16384)
            if not data:
                return
            for start in range(0, len(data), piece):
                conn.sendall(data[start:start + piece])
                time.sleep(0.002)
    return _Listener(handle)


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'hello')


def http_endpoint():
    """A plain HTTP server (Python's http.server) on a free port: ``.port``, ``.stop()``."""
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Handle:
        port = server.server_address[1]

        @staticmethod
        def stop():
            server.shutdown()
            server.server_close()
    return Handle


def free_port_nobody_listens():
    """A port that was free a moment ago; connections to it are refused."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
