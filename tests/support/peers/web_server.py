# -*- coding: utf-8 -*-
"""A real nginx on 127.0.0.1 (HTTP and HTTPS on free high ports) serving DCV web roots.

Virtual hosts are chosen by the Host header / SNI like on a production server: each test name gets
its own ``server`` block, either serving a web root or answering with a fixed redirect. The process
runs in the foreground (single process, current user) and is stopped by its own pid.

    web = dcv_web(directory, {'good.example.test': b'HKP-code', 'missing.example.test': None,
                              'moved.example.test': {'redirect': 'https://good.example.test' + FILEAUTH_PATH}})
    _http.check_name('good.example.test', 'HKP-code', web.resolve, web.port_map)
    web.stop()
"""

from __future__ import annotations

import datetime
import os
import subprocess
import time
import socket

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.peers.bind_server import free_port
from tests.support.peers.processes import stop_process

NGINX = '/usr/sbin/nginx'
FILEAUTH_PATH = '/.well-known/pki-validation/fileauth.txt'


def self_signed(directory, names):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = os.path.join(directory, 'tls.crt'), os.path.join(directory, 'tls.key')
    with open(cert_path, 'wb') as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, 'wb') as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_path, key_path


class NginxServer:
    """``sites`` maps a host name to ``{'root': path}`` or ``{'redirect': 'URL'}`` (optionally 'status')."""

    def __init__(self, directory, sites):
        self.directory = str(directory)
        self.sites = sites
        self.http_port = free_port()
        self.https_port = free_port()
        self.process = None

    @property
    def port_map(self):
        return {80: self.http_port, 443: self.https_port}

    def _config(self):
        cert, key = self_signed(self.directory, list(self.sites) or ['localhost'])
        blocks = []
        for name, site in self.sites.items():
            if 'redirect' in site:
                body = 'location / { return %d %s; }' % (site.get('status', 301), site['redirect'])
            else:
                body = 'root %s; location / { try_files $uri =404; }' % site['root']
            blocks.append('''
    server {
        listen 127.0.0.1:%(http)d;
        listen 127.0.0.1:%(https)d ssl;
        server_name %(name)s;
        ssl_certificate %(cert)s;
        ssl_certificate_key %(key)s;
        %(body)s
    }''' % dict(http=self.http_port, https=self.https_port, name=name, cert=cert, key=key, body=body))
        d = self.directory
        return '''
daemon off;
master_process off;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log info;
events { worker_connections 64; }
http {
    access_log %(d)s/access.log;
    client_body_temp_path %(d)s/client_body;
    proxy_temp_path %(d)s/proxy;
    fastcgi_temp_path %(d)s/fastcgi;
    uwsgi_temp_path %(d)s/uwsgi;
    scgi_temp_path %(d)s/scgi;
    types { text/plain txt; text/html html; }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:%(http)d default_server;
        listen 127.0.0.1:%(https)d ssl default_server;
        server_name _;
        ssl_certificate %(cert)s;
        ssl_certificate_key %(key)s;
        return 404;
    }
%(blocks)s
}
''' % dict(d=d, http=self.http_port, https=self.https_port, blocks=''.join(blocks),
           cert=os.path.join(d, 'tls.crt'), key=os.path.join(d, 'tls.key'))

    def start(self, timeout=20):
        conf = os.path.join(self.directory, 'nginx.conf')
        text = self._config()
        with open(conf, 'w') as f:
            f.write(text)
        self.log = open(os.path.join(self.directory, 'nginx.out'), 'w')
        self.process = subprocess.Popen([NGINX, '-p', self.directory, '-e', os.path.join(self.directory, 'error.log'),
                                         '-c', conf], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('nginx exited: %s' % open(os.path.join(self.directory, 'error.log')).read()[-2000:])
            try:
                for port in (self.http_port, self.https_port):
                    socket.create_connection(('127.0.0.1', port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError('nginx did not listen on %d/%d' % (self.http_port, self.https_port))

    def stop(self):
        stop_process(self.process, getattr(self, 'log', None))


def fileauth_root(base, name, body):
    """A web root ``base/name`` serving ``body`` (bytes) at FILEAUTH_PATH; ``None``: the folder without the file."""
    root = os.path.join(str(base), name)
    os.makedirs(os.path.join(root, '.well-known', 'pki-validation'))
    if body is not None:
        with open(os.path.join(root, FILEAUTH_PATH.lstrip('/')), 'wb') as f:
            f.write(body)
    return root


def dcv_web(directory, sites):
    """A started NginxServer for DCV file checks, with ``resolve`` (every name at 127.0.0.1) for _http's calls.

    ``sites`` maps a host name to the bytes its fileauth.txt holds, ``None`` (no file: 404), or an
    NginxServer site dict (``{'redirect': URL, 'status': 302}``).
    """
    spec = {name: site if isinstance(site, dict) else {'root': fileauth_root(directory, name, site)}
            for name, site in sites.items()}
    server = NginxServer(directory, spec).start()
    server.resolve = {name: '127.0.0.1' for name in sites}
    return server
