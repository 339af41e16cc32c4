# -*- coding: utf-8 -*-
"""A real BIND 9 (``/usr/sbin/named``) on 127.0.0.1, a free high port, with one dynamic zone and a TSIG key.

Everything lives in the test's tmp directory; named runs in the foreground as the current user and
is killed (by its own pid) when the fixture ends. Tests talk to it with real DNS messages.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import time

import dns.message
import dns.query
import dns.rdatatype

from tests.support.peers.processes import stop_process

NAMED = '/usr/sbin/named'
KEY_NAME = 'dcv-key'


def free_port(kind=socket.SOCK_STREAM):
    """A port free for both TCP and UDP on 127.0.0.1 (DNS listens on both)."""
    for _attempt in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(('127.0.0.1', 0))
            port = tcp.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                    udp.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    raise RuntimeError('no free port')


def named_options(directory, port):
    """The options every test named runs with: loopback only, on ``port``, no recursion, no validation."""
    return '''
options {
    directory "%(dir)s";
    pid-file "%(dir)s/named.pid";
    session-keyfile "%(dir)s/session.key";
    managed-keys-directory "%(dir)s";
    listen-on port %(port)d { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
};
controls { };
logging { channel default_stderr { stderr; severity info; }; category default { default_stderr; }; };
''' % {'dir': directory, 'port': port}


def start_named(directory, conf, probe_zone, port, timeout=20):
    """Start named on ``conf`` and wait until it answers ``probe_zone``'s SOA; returns (process, log file)."""
    log = open(os.path.join(directory, 'named.log'), 'w')
    process = subprocess.Popen([NAMED, '-g', '-4', '-n', '1', '-c', conf], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError('named exited: %s' % open(log.name).read()[-2000:])
        try:
            dns.query.udp(dns.message.make_query(probe_zone, dns.rdatatype.SOA), '127.0.0.1', port=port, timeout=0.5)
            return process, log
        except Exception:
            time.sleep(0.1)
    stop_process(process, log)
    raise RuntimeError('named did not answer on port %d' % port)


class BindServer:
    def __init__(self, directory, zone='example.test', records=(), name_servers=('ns1',), forward_to=None):
        """``name_servers``: the zone's NS names (each gets an A record 127.0.0.1 unless its name is listed
        with a trailing ``!``: then it is ``NAME.nowhere.invalid``, without an address). ``forward_to``: instead of serving the zone, be a
        caching resolver that forwards to this (address, port) - its answers are not authoritative."""
        self.directory = str(directory)
        self.zone = zone
        self.name_servers = list(name_servers)
        self.forward_to = forward_to
        self.port = free_port()
        self.secret = base64.b64encode(os.urandom(32)).decode('ascii')
        self.key_name = KEY_NAME
        self.records = list(records)
        self.process = None

    def _write(self):
        os.makedirs(self.directory, exist_ok=True)
        zone_file = os.path.join(self.directory, '%s.db' % self.zone)
        lines = ['$TTL 300', '@ IN SOA ns1.%s. hostmaster.%s. 1 3600 600 86400 300' % (self.zone, self.zone)]
        for ns in self.name_servers:
            if ns.endswith('!'):
                # named will not load a zone whose in-zone NS name has no address (even with check-integrity
                # off for a dynamic zone), so an address-less name server is named outside the zone.
                lines.append('@ IN NS %s.nowhere.invalid.' % ns.rstrip('!'))
            else:
                lines += ['@ IN NS %s.%s.' % (ns, self.zone), '%s IN A 127.0.0.1' % ns]
        lines += self.records
        with open(zone_file, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        values = {'dir': self.directory, 'port': self.port, 'key': self.key_name, 'secret': self.secret,
                  'zone_or_forward': self._zone_statement()}
        conf = named_options(self.directory, self.port) + (
            'key "%(key)s" { algorithm hmac-sha256; secret "%(secret)s"; };\n%(zone_or_forward)s\n' % values)
        if self.forward_to:
            conf = conf.replace('recursion no;', 'recursion yes;\n    allow-recursion { 127.0.0.1; };\n'
                                '    forwarders { %s port %d; };\n    forward only;' % tuple(self.forward_to))
        self.conf = os.path.join(self.directory, 'named.conf')
        with open(self.conf, 'w') as f:
            f.write(conf)

    def _zone_statement(self):
        if self.forward_to:
            return ''
        return ('zone "%(zone)s" {\n    type primary;\n    file "%(zone)s.db";\n'
                '    update-policy { grant %(key)s zonesub TXT; };\n};' % {'zone': self.zone, 'key': self.key_name})

    def start(self, timeout=20):
        self._write()
        self.process, self.log = start_named(self.directory, self.conf, self.zone, self.port, timeout)
        return self

    def stop(self):
        stop_process(self.process, getattr(self, 'log', None))

    def txt(self, name):
        """TXT values at ``name`` as this server answers now (a direct, authoritative query)."""
        response = dns.query.tcp(dns.message.make_query(name, dns.rdatatype.TXT), '127.0.0.1', port=self.port,
                                 timeout=5)
        return sorted(b''.join(rd.strings).decode() for rrset in response.answer
                      if rrset.rdtype == dns.rdatatype.TXT for rd in rrset)

    def ttl(self, name):
        response = dns.query.tcp(dns.message.make_query(name, dns.rdatatype.TXT), '127.0.0.1', port=self.port,
                                 timeout=5)
        return [rrset.ttl for rrset in response.answer if rrset.rdtype == dns.rdatatype.TXT]
