# -*- coding: utf-8 -*-
"""A real TLS server on 127.0.0.1 standing in for an IIS site after binding: it serves a given chain."""

from __future__ import annotations

import socket
import ssl
import threading


class ServedSite:
    """Serves ``chain_pem`` with ``key_pem`` on a free port until ``stop()``; each connection only shakes hands."""

    def __init__(self, tmp_path, chain_pem, key_pem):
        (tmp_path / 'site-chain.pem').write_text(chain_pem)
        (tmp_path / 'site-key.pem').write_text(key_pem)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(tmp_path / 'site-chain.pem'), str(tmp_path / 'site-key.pem'))
        self.sock = socket.create_server(('127.0.0.1', 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

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
