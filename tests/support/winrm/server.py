# -*- coding: utf-8 -*-
"""Listeners, TLS and the HTTP exchange of the WinRM service, one loopback address per simulated host.

Each host gets its own address in 127.0.0.0/8 (Linux routes the whole block to ``lo``) and an
ephemeral port, so ``ansible_host``/``ansible_port`` differ per host as on a real fleet. One
acceptor thread watches every listening socket; each TCP connection is served by its own thread
with HTTP/1.1 keep-alive, because NTLM authenticates the connection, not the request.

Windows behaviours reproduced here: 401 with ``WWW-Authenticate: Negotiate`` (and ``Basic
realm="WSMAN"`` when basic is enabled); HTTP 500 with a SOAP fault for WS-Man errors; HTTP 413
with no body for a request larger than ``MaxEnvelopeSizekb`` (what ansible.windows issue 391
reports as "Bad HTTP response returned from the server. Code: 413").
"""

from __future__ import annotations

import base64
import collections
import http.server
import selectors
import socket
import ssl
import threading

from tests.support.winrm import auth, soap
from tests.support.winrm.shells import DropConnection, HostShells


class HostConfig:
    """How one simulated host behaves on the wire."""

    def __init__(self, refused=False, drop_after=None, delay_s=0.0, max_envelope_kb=500):
        self.refused = refused                  # nothing listens: connection refused
        self.drop_after = drop_after            # executions served before the host vanishes mid-run
        self.delay_s = delay_s                  # how long each command runs (beyond OperationTimeout -> faults)
        self.max_envelope_kb = max_envelope_kb  # WSMan:\localhost\MaxEnvelopeSizekb (500 since WinRM 3.0)

    @classmethod
    def from_dict(cls, data):
        return cls(**(data or {}))


class Stats:
    """Per-host counters: HTTP requests, bytes each way, WS-Man actions, executions, timeouts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.hosts = collections.defaultdict(lambda: {
            'requests': 0, 'bytes_received': 0, 'bytes_sent': 0, 'actions': collections.Counter(),
            'executions': collections.Counter(), 'layouts': collections.Counter(), 'operation_timeouts': 0,
            'auth_failures': 0, 'oversized': 0, 'dropped': 0})

    def count_http(self, host, received, sent):
        with self.lock:
            h = self.hosts[host]
            h['requests'] += 1
            h['bytes_received'] += received
            h['bytes_sent'] += sent

    def _bump(self, host, key, sub=None):
        with self.lock:
            if sub is None:
                self.hosts[host][key] += 1
            else:
                self.hosts[host][key][sub] += 1

    def count_action(self, host, action):
        self._bump(host, 'actions', action)

    def count_execution(self, host, module, layout):
        self._bump(host, 'executions', module)
        self._bump(host, 'layouts', layout)

    def count_timeout(self, host):
        self._bump(host, 'operation_timeouts')

    def count(self, host, key):
        self._bump(host, key)

    def as_dict(self):
        with self.lock:
            return {name: {k: dict(v) if isinstance(v, collections.Counter) else v for k, v in h.items()}
                    for name, h in self.hosts.items()}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'Microsoft-HTTPAPI/2.0'
    sys_version = ''

    def log_message(self, *args):  # the endpoint's own log is its stats and errors
        pass

    def setup(self):
        super().setup()
        self.ntlm = None

    def _reply(self, status, body=b'', headers=(), received=0):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        sent = len(body) + sum(len(n) + len(v) + 4 for n, v in headers) + 80
        self.server.stats.count_http(self.server.host, received, sent)

    def do_POST(self):  # noqa: N802  (http.server's naming)
        srv = self.server
        length = int(self.headers.get('Content-Length', 0))
        body = self.rfile.read(length)
        received = length + len(str(self.headers)) + len(self.requestline) + 2
        if self.path.rstrip('/').lower() != '/wsman':
            return self._reply(404, received=received)
        if length > srv.config.max_envelope_kb * 1024:
            srv.stats.count(srv.host, 'oversized')
            return self._reply(413, received=received)
        try:
            sealed = self._authenticate(received)
        except auth.AuthFailed:
            srv.stats.count(srv.host, 'auth_failures')
            self.ntlm = None
            self.close_connection = True
            return self._reply(401, headers=self._challenges(), received=received)
        if sealed is None:
            return None   # a 401 challenge was sent
        if self.ntlm is not None and self.headers.get('Content-Type', '').startswith('multipart/encrypted'):
            body = self.ntlm.unseal(body)
        elif self.ntlm is not None and not srv.tls and body:
            # WinRM refuses unencrypted traffic over http unless AllowUnencrypted is set; pywinrm seals it.
            srv.errors.append('%s: NTLM over http sent an unsealed body' % srv.host)
            return self._reply(400, received=received)
        if not body:
            return self._reply(200, received=received)   # pywinrm's empty POST that sets up sealing
        try:
            req = soap.Request(body)
        except Exception as e:  # pylint: disable=broad-except
            srv.errors.append('%s: unparsable envelope: %s' % (srv.host, e))
            return self._reply(400, received=received)
        try:
            status, answer = srv.shells.handle(req, 'http%s://%s:%d/wsman' % ('s' if srv.tls else '', *self.server.address))
        except DropConnection:
            srv.stats.count(srv.host, 'dropped')
            srv.endpoint.take_down(srv.host)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        headers = [('Content-Type', 'application/soap+xml;charset=UTF-8')]
        if self.ntlm is not None and not srv.tls:
            answer = self.ntlm.seal(answer)
            headers = [('Content-Type', auth.ENCRYPTED_TYPE)]
        return self._reply(status, answer, headers, received)

    def _challenges(self, token=None):
        srv = self.server
        headers = []
        if 'ntlm' in srv.transports:
            headers.append(('WWW-Authenticate', 'Negotiate' + (' ' + token if token else '')))
        if 'basic' in srv.transports and not token:
            headers.append(('WWW-Authenticate', 'Basic realm="WSMAN"'))
        return headers

    def _authenticate(self, received):
        """True when the request may be served, None when a 401 challenge went out."""
        srv = self.server
        header = self.headers.get('Authorization')
        if header and header.lower().startswith('basic') and 'basic' in srv.transports:
            return auth.check_basic(header, srv.username, srv.password)
        if self.ntlm is not None and self.ntlm.complete and not header:
            return True
        if header and header.split(' ')[0].lower() in ('negotiate', 'ntlm') and 'ntlm' in srv.transports:
            if self.ntlm is None or self.ntlm.complete:
                self.ntlm = auth.NtlmSession(srv.channel_bindings)
            out = self.ntlm.step(header)
            if self.ntlm.complete:
                return True
            self._reply(401, headers=self._challenges(base64.b64encode(out).decode()), received=received)
            return None
        self._reply(401, headers=self._challenges(), received=received)
        return None


class _HostServer:
    """What a handler sees as ``self.server``: one host's listener and settings."""

    def __init__(self, endpoint, host, config, sock):
        self.endpoint = endpoint
        self.host = host
        self.config = config
        self.socket = sock
        self.address = sock.getsockname()[:2]
        self.tls = endpoint.ssl_context is not None
        self.transports = endpoint.transports
        self.username = endpoint.username
        self.password = endpoint.password
        self.channel_bindings = endpoint.channel_bindings
        self.stats = endpoint.stats
        self.errors = endpoint.errors
        self.shells = HostShells(host, endpoint.store, config, endpoint.stats, endpoint.errors)


def host_address(index):
    """The loopback address of the index-th simulated host: 127.88.0.1, 127.88.0.2, ... (254 per /24)."""
    return '127.88.%d.%d' % (index // 254, index % 254 + 1)


class Endpoint:
    def __init__(self, store, hosts, transports=('ntlm',), username='ansible', password='', ssl_context=None,
                 cert_der=None):
        self.store = store
        self.transports = tuple(transports)
        self.username = username
        self.password = password
        self.ssl_context = ssl_context
        self.channel_bindings = auth.tls_server_end_point(cert_der) if cert_der else None
        self.stats = Stats()
        self.errors = []
        self.servers = {}
        self.addresses = {}
        self.selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self.selector.register(self._wake_r, selectors.EVENT_READ, None)
        for index, (name, config) in enumerate(sorted(hosts.items())):
            self._listen(index, name, config)
        self.thread = threading.Thread(target=self._accept_loop, name='winrm-accept', daemon=True)

    def _listen(self, index, name, config):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host_address(index), 0))
        self.addresses[name] = sock.getsockname()[:2]
        if config.refused:
            sock.close()   # the port stays unused: connecting to it is refused
            return
        sock.listen(128)
        sock.setblocking(False)
        server = _HostServer(self, name, config, sock)
        self.servers[name] = server
        self.selector.register(sock, selectors.EVENT_READ, server)

    def start(self):
        self.thread.start()
        return self

    def take_down(self, name):
        """The host vanished: its listener closes, later connections are refused."""
        server = self.servers.pop(name, None)
        if server is not None:
            self._wake_w.send(b'd')
            server.down = True

    def _accept_loop(self):
        while not self._stop.is_set():
            for key, _events in self.selector.select(timeout=1.0):
                server = key.data
                if server is None:
                    self._wake_r.recv(64)
                    self._close_downed()
                    continue
                try:
                    conn, peer = server.socket.accept()
                except (BlockingIOError, OSError):
                    continue
                threading.Thread(target=self._serve, args=(server, conn, peer), daemon=True).start()

    def _close_downed(self):
        for key in list(self.selector.get_map().values()):
            server = key.data
            if server is not None and getattr(server, 'down', False):
                self.selector.unregister(server.socket)
                server.socket.close()

    def _serve(self, server, conn, peer):
        conn.setblocking(True)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            if self.ssl_context is not None:
                conn = self.ssl_context.wrap_socket(conn, server_side=True)
            _Handler(conn, peer, server)
        except (OSError, ssl.SSLError):
            pass
        except Exception as e:  # pylint: disable=broad-except
            self.errors.append('%s: connection handler crashed: %r' % (server.host, e))
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def stop(self):
        self._stop.set()
        self._wake_w.send(b's')
        self.thread.join(5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
