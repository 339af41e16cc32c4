# -*- coding: utf-8 -*-
"""A real HTTP server on 127.0.0.1 serving the simulated hosts' IIS web roots, for an ACME CA's http-01 fetch.

The simulated IIS keeps its files in each host's pickle (tests.support.windows.acme); this server answers
``GET /.well-known/<dir>/<file>`` for a Host header the way IIS would: the site of that host whose binding
answers the name (the collection's own rule, dcv._iis.sites_for, as the payload's caller uses it), its
physical path, the file there - read from the pickle at request time, so what a run writes is what the CA sees.

    web = IisWeb(state_dir, {'www.example.test': 'web1'}).start()   # web.port: Pebble's httpPort
"""

from __future__ import annotations

import http.server
import pickle
import threading
import time

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _iis
from tests.support.winrm.hoststate import load_host
from tests.support.windows import acme


def _host(state_dir, name):
    # The endpoint rewrites the pickle after every execution: a read may meet a half-written file.
    for _attempt in range(20):
        try:
            return load_host(state_dir, name)
        except (EOFError, pickle.UnpicklingError):
            time.sleep(0.05)
    return load_host(state_dir, name)


class IisWeb:
    def __init__(self, state_dir, names):
        self.state_dir = str(state_dir)
        self.names = dict(names)   # DNS name -> simulated host
        self.fetches = []          # (host header, path, status)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                status, body = outer.answer(self.headers.get('Host', ''), self.path)
                outer.fetches.append((self.headers.get('Host', '').split(':')[0], self.path, status))
                self.send_response(status)
                self.send_header('Content-Type', 'text/plain')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.port = self.server.server_address[1]

    def answer(self, host_header, path):
        name = host_header.split(':')[0].lower().rstrip('.')
        if name not in self.names or not path.startswith('/.well-known/'):
            return 404, b''
        host = _host(self.state_dir, self.names[name])
        read = acme.acme_iis_read(host, {})
        try:
            sites, _reason = _iis.sites_for(name, read['sites'])
        except Exception:  # no site answers the name: IIS's 404
            return 404, b''
        directory = sites[0]['physical_path_expanded'].rstrip('\\') + path.replace('/', '\\')
        content = acme.files(host).get(directory.lower())
        return (200, content) if content is not None else (404, b'')

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
