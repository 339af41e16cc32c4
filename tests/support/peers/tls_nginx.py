# -*- coding: utf-8 -*-
"""A real nginx on 127.0.0.1 sending chosen chains: one free port per endpoint, each with its own
certificate file (leaf first, then exactly the certificates given, in that order) and ``ssl_protocols``.

nginx sends ``ssl_certificate``'s extra certificates as they are in the file ("the primary certificate
comes first, then the intermediate certificates", nginx ngx_http_ssl_module docs). The process runs in
the foreground, single process, and is stopped by its own pid.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time

from tests.support.peers.bind_server import free_port
from tests.support.peers.processes import stop_process

NGINX = '/usr/sbin/nginx'


class NginxTLS:
    """``endpoints``: list of dicts with ``chain`` (PEMs, leaf first), ``key`` (PEM), ``protocols`` ('TLSv1.3'),
    ``address`` (default 127.0.0.1; any 127.0.0.0/8 address is local on Linux, so tests get distinct servers)."""

    def __init__(self, directory, endpoints):
        self.directory = str(directory)
        self.endpoints = endpoints
        self.ports = [free_port() for _e in endpoints]
        self.process = self.log = None

    def _config(self):
        blocks = []
        for index, (endpoint, port) in enumerate(zip(self.endpoints, self.ports)):
            cert = os.path.join(self.directory, 'chain%d.pem' % index)
            key = os.path.join(self.directory, 'key%d.pem' % index)
            with open(cert, 'w') as handle:
                handle.write(''.join(endpoint['chain']))
            with open(key, 'w') as handle:
                handle.write(endpoint['key'])
            os.chmod(key, 0o600)
            protocols = endpoint.get('protocols', 'TLSv1.2 TLSv1.3')
            address = endpoint.get('address', '127.0.0.1')
            blocks.append('    server { listen %s:%d ssl; ssl_certificate %s; ssl_certificate_key %s; '
                          'ssl_protocols %s; return 204; }' % (address, port, cert, key, protocols))
        d = self.directory
        return '\n'.join([
            'daemon off;', 'master_process off;', 'pid %s/nginx.pid;' % d, 'error_log %s/error.log info;' % d,
            'events { worker_connections 256; }',
            'http {',
            '    access_log off; ssl_session_cache off; ssl_session_tickets off;',
            '    client_body_temp_path %s/cb; proxy_temp_path %s/px; fastcgi_temp_path %s/fc; uwsgi_temp_path %s/uw; '
            'scgi_temp_path %s/sc;' % (d, d, d, d, d),
        ] + blocks + ['}', ''])

    def start(self, timeout=20):
        conf = os.path.join(self.directory, 'nginx.conf')
        with open(conf, 'w') as handle:
            handle.write(self._config())
        self.log = open(os.path.join(self.directory, 'nginx.out'), 'w')
        self.process = subprocess.Popen([NGINX, '-p', self.directory, '-e', os.path.join(self.directory, 'error.log'),
                                         '-c', conf], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        pending = [(e.get('address', '127.0.0.1'), port) for e, port in zip(self.endpoints, self.ports)]
        while pending:
            if self.process.poll() is not None:
                with open(os.path.join(self.directory, 'error.log')) as handle:
                    raise RuntimeError('nginx exited: %s' % handle.read()[-2000:])
            try:
                socket.create_connection(pending[0], timeout=0.5).close()
                pending.pop(0)
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError('nginx did not listen on %s' % pending)
                time.sleep(0.1)
        return self

    def stop(self):
        stop_process(self.process, self.log)
