# -*- coding: utf-8 -*-
"""A real TLS server standing in for an IIS site after binding: it serves a given chain.

It listens on 127.0.0.1 or on the simulated host's own loopback address (the one its WinRM endpoint
answers on, tests.support.winrm.server.host_address), so that the check after binding and the audit,
which connect to ``ansible_host``, reach it as they would reach the server.
"""

from __future__ import annotations

import socket
import ssl
import threading


class ServedSite:
    """Serves ``chain_pem`` with ``key_pem`` on a free port of ``address`` (or on ``port``: servers that share
    one binding port, each on its host's address) until ``stop()``; each connection only shakes hands.
    ``serve()`` changes what it serves, as a new binding does."""

    def __init__(self, tmp_path, chain_pem, key_pem, address='127.0.0.1', port=0):
        self.directory = tmp_path
        self.serve(chain_pem, key_pem)
        self.sock = socket.create_server((address, port))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def serve(self, chain_pem, key_pem):
        """Serve ``chain_pem`` (leaf first) with ``key_pem`` from the next connection on."""
        (self.directory / 'site-chain.pem').write_text(chain_pem)
        (self.directory / 'site-key.pem').write_text(key_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.directory / 'site-chain.pem'), str(self.directory / 'site-key.pem'))
        self.context = context

    def _serve(self):
        while self.running:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    tls.settimeout(2)
                    try:
                        tls.recv(1)
                    except OSError:
                        pass
            except (OSError, ssl.SSLError):
                conn.close()

    def stop(self):
        self.running = False
        self.thread.join(5)
        self.sock.close()
