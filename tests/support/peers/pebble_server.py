# -*- coding: utf-8 -*-
"""A real ACME server: Pebble 2.4 (Debian package ``pebble``) on 127.0.0.1, free high ports.

Its validation authority resolves every name through the test's real BIND (``-dnsserver``) - the dns-01
TXT records and the A records http-01 connects to - and fetches http-01 tokens on ``http_port`` (Pebble's
``httpPort``), where the test's web server for the simulated IIS sites listens. Its TLS certificate is
made here (the Debian package ships none); ``ca_file`` is what the controller trusts for it.

    pebble = PebbleServer(tmp / 'pebble', dns_port=bind.port, http_port=web.port).start()
    pebble.directory_url, pebble.ca_file, pebble.eab   # {'kid', 'hmac'} when started with eab=True
    pebble.restart()   # a new Pebble on the same ports: every account, order and authorization is gone
"""

from __future__ import annotations

import base64
import json
import os
import socket
import ssl
import subprocess
import time
import urllib.request

from tests.support.peers.bind_server import free_port
from tests.support.peers.processes import stop_process
from tests.support.peers.web_server import self_signed

PEBBLE = '/usr/bin/pebble'
EAB_KID = 'hkpost-test-kid'


class PebbleServer:
    def __init__(self, directory, dns_port, http_port, eab=False, env=None, blocked=()):
        self.directory = str(directory)
        os.makedirs(self.directory, exist_ok=True)
        self.dns_port = dns_port
        self.http_port = http_port
        self.port = free_port()
        self.management_port = free_port()
        self.eab = ({'kid': EAB_KID, 'hmac': base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')}
                    if eab else None)
        # No artificial sleeps, no rejected nonces, no authorization reuse: every order is validated by
        # the CA, so a challenge it cannot see fails every time.
        self.env = dict(os.environ, PEBBLE_VA_NOSLEEP='1', PEBBLE_WFE_NONCEREJECT='0', PEBBLE_AUTHZREUSE='0',
                        **(env or {}))
        self.ca_file, self.key_file = self_signed(self.directory, ['localhost'])
        # Names the CA's policy refuses (Pebble's domainBlocklist): the order is rejected (rejectedIdentifier).
        self.blocked = list(blocked)
        self.process = None
        self.starts = 0

    @property
    def directory_url(self):
        return 'https://localhost:%d/dir' % self.port

    def _config(self):
        config = {'listenAddress': '127.0.0.1:%d' % self.port,
                  'managementListenAddress': '127.0.0.1:%d' % self.management_port,
                  'certificate': self.ca_file, 'privateKey': self.key_file,
                  'httpPort': self.http_port, 'tlsPort': free_port(), 'ocspResponderURL': '',
                  'externalAccountBindingRequired': bool(self.eab)}
        if self.blocked:
            config['domainBlocklist'] = self.blocked
        if self.eab:
            config['externalAccountMACKeys'] = {self.eab['kid']: self.eab['hmac']}
        path = os.path.join(self.directory, 'pebble-config.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump({'pebble': config}, f)
        return path

    def start(self, timeout=20):
        self.starts += 1
        self.log = open(os.path.join(self.directory, 'pebble-%d.log' % self.starts), 'w')
        self.process = subprocess.Popen([PEBBLE, '-config', self._config(), '-dnsserver', '127.0.0.1:%d' % self.dns_port,
                                         '-strict'], stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        context = ssl.create_default_context(cafile=self.ca_file)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('pebble exited: %s' % open(self.log.name).read()[-2000:])
            try:
                urllib.request.urlopen(self.directory_url, context=context, timeout=1).read()
                return self
            except (OSError, socket.timeout):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError('pebble did not answer on %s' % self.directory_url)

    def stop(self):
        stop_process(self.process, getattr(self, 'log', None))
        self.process = None

    def restart(self):
        self.stop()
        return self.start()

    def issuer_pem(self):
        """Pebble's root of this start (it makes a new hierarchy on every start), from its management port."""
        context = ssl.create_default_context(cafile=self.ca_file)
        url = 'https://localhost:%d/roots/0' % self.management_port
        return urllib.request.urlopen(url, context=context, timeout=5).read().decode()

    def log_text(self):
        with open(self.log.name, encoding='utf-8', errors='replace') as f:
            return f.read()
