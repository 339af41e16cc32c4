# -*- coding: utf-8 -*-
"""A real HTTP server on 127.0.0.1 (``http.server`` in a thread) that records every webhook POST it receives.

The path decides the answer, so one server covers every case: ``/ok/...`` 200, ``/fail/...`` 500, ``/slow/...``
answers after ``slow_seconds`` (longer than the sender's timeout), ``/redirect/...`` 302 to ``/ok/``. Each
request is kept as ``{'path', 'headers', 'body' (bytes), 'json'}`` in ``received``.
"""

from __future__ import annotations

import http.server
import json
import threading
import time


class WebhookReceiver:
    def __init__(self, slow_seconds=3.0):
        self.received = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                try:
                    parsed = json.loads(body.decode('utf-8'))
                except ValueError:
                    parsed = None
                receiver.received.append({'path': self.path, 'headers': dict(self.headers), 'body': body,
                                          'json': parsed})
                kind = self.path.split('/')[1]
                if kind == 'slow':
                    time.sleep(slow_seconds)
                if kind == 'redirect':
                    self.send_response(302)
                    self.send_header('Location', '/ok/redirected')
                    self.end_headers()
                    return
                self.send_response(500 if kind == 'fail' else 200)
                self.send_header('Content-Type', 'text/plain')
                self.end_headers()
                self.wfile.write(b'ok' if kind != 'fail' else b'boom')

            def log_message(self, *_args):
                pass

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path):
        return 'http://127.0.0.1:%d%s' % (self.port, path)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
