# -*- coding: utf-8 -*-
"""A real BIND 9 serving a small signed tree on 127.0.0.1: the parent ``test.`` (signed; its KSK is the tests'
trust anchor) and child zones delegated from it, each signed with dnssec-keygen/dnssec-signzone (bind9-utils)
before named starts, or left unsigned, or signed and then broken.

``zones``: {child label: {'records': [...], 'mode': 'signed' | 'unsigned' | 'tampered' | 'expired',
'tamper': (old text, new text) for 'tampered'}}. The parent holds a DS for every child signed in any way, so a
broken child is "bogus", never "unsigned". named is killed by its own pid when the fixture ends.
"""

from __future__ import annotations

import glob
import os
import subprocess

from tests.support.peers.bind_server import free_port, named_options, start_named
from tests.support.peers.processes import stop_process

PARENT = 'test'
ALGORITHM = 'ECDSAP256SHA256'


def _run(args, cwd):
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError('%s failed: %s' % (args[0], done.stderr[-2000:]))
    return done.stdout


class SignedTree:
    def __init__(self, directory, zones, parent_records=()):
        self.directory = str(directory)
        self.zones = zones
        self.parent_records = list(parent_records)
        self.port = free_port()
        self.process = None
        self.anchor = None

    def _keys(self, zone):
        # Published and active since 2019, so a zone signed with a 2020 validity (mode 'expired') still signs.
        timing = ['-P', '20190101000000', '-A', '20190101000000']
        ksk = _run(['dnssec-keygen', '-q', '-a', ALGORITHM, '-f', 'KSK', '-K', self.directory] + timing + [zone],
                   self.directory).strip()
        zsk = _run(['dnssec-keygen', '-q', '-a', ALGORITHM, '-K', self.directory] + timing + [zone],
                   self.directory).strip()
        return ksk, zsk

    def _zone_file(self, zone, records, keys=()):
        path = os.path.join(self.directory, '%s.db' % zone)
        lines = ['$TTL 300', '@ IN SOA ns1.%s. hostmaster.%s. 1 3600 600 86400 300' % (PARENT, PARENT),
                 '@ IN NS ns1.%s.' % PARENT]
        lines += ['$INCLUDE %s.key' % os.path.join(self.directory, key) for key in keys]
        lines += list(records)
        with open(path, 'w') as handle:
            handle.write('\n'.join(lines) + '\n')
        return path

    def _sign(self, zone, path, keys, expired=False):
        args = ['dnssec-signzone', '-q', '-K', self.directory, '-o', zone, '-f', path + '.signed']
        if expired:
            # -P: dnssec-signzone's own check would refuse signatures that are already over
            args += ['-P', '-s', '20200101000000', '-e', '20200201000000']
        _run(args + [path] + list(keys), self.directory)
        return path + '.signed'

    def _build(self):
        os.makedirs(self.directory, exist_ok=True)
        files, delegation = {}, []
        for label, spec in self.zones.items():
            zone = '%s.%s' % (label, PARENT)
            delegation.append('%s IN NS ns1.%s.' % (label, PARENT))
            if spec.get('mode', 'signed') == 'unsigned':
                files[zone] = self._zone_file(zone, spec.get('records', []))
                continue
            keys = self._keys(zone)
            path = self._zone_file(zone, spec.get('records', []), keys)
            signed = self._sign(zone, path, keys, expired=spec.get('mode') == 'expired')
            if spec.get('mode') == 'tampered':
                old, new = spec['tamper']
                with open(signed) as handle:
                    text = handle.read()
                assert old in text, 'nothing to tamper with: %r' % old
                with open(signed, 'w') as handle:
                    handle.write(text.replace(old, new))
            ksk_file = os.path.join(self.directory, keys[0] + '.key')
            delegation.append(_run(['dnssec-dsfromkey', '-2', ksk_file], self.directory).strip())
            files[zone] = signed
        keys = self._keys(PARENT)
        path = self._zone_file(PARENT, ['ns1 IN A 127.0.0.1'] + self.parent_records + delegation, keys)
        files[PARENT] = self._sign(PARENT, path, keys)
        with open(os.path.join(self.directory, keys[0] + '.key')) as handle:
            self.anchor = handle.read()
        return files

    def start(self, timeout=20):
        files = self._build()
        zones = ''.join('zone "%s" { type primary; file "%s"; };\n' % (zone, path) for zone, path in files.items())
        self.conf = os.path.join(self.directory, 'named.conf')
        with open(self.conf, 'w') as handle:
            handle.write(named_options(self.directory, self.port) + zones)
        self.process, self.log = start_named(self.directory, self.conf, PARENT, self.port, timeout)
        return self

    def stop(self):
        stop_process(self.process, getattr(self, 'log', None))

    def key_files(self):
        return glob.glob(os.path.join(self.directory, 'K*.key'))
