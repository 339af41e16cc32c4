# -*- coding: utf-8 -*-
"""Real Postfix and Dovecot instances on 127.0.0.1, each from its own temporary directory on free ports.

Never the system services: each instance has its own configuration directory, queue/state and run
directories in a fresh temporary directory (removed on stop), and is stopped by its own pid.

- Postfix: ``postfix(1)``/``master(8)`` take ``-c config_directory``; ``master -d`` stays in the foreground
  (master(8): "-d Do not redirect stdin/out/err to /dev/null, and do not discard the controlling terminal"),
  so the process the test started is the one it stops; ``postfix -c DIR check`` first creates the queue's
  sub-directories (post-install create-missing). ``main.cf`` points ``queue_directory`` and
  ``data_directory`` into the temporary directory (postconf(5)); the data directory must belong to
  ``mail_owner`` for master's lock file; master.cf has one ``smtpd`` per port with ``chroot n`` and the
  internal services smtpd calls (proxymap, anvil, tlsmgr). ``smtpd_tls_chain_files`` (Postfix 3.4+) sends
  the key's chain in file order; ``smtpd_tls_security_level = none`` removes STARTTLS from EHLO.
- Dovecot: ``dovecot -F -c FILE`` runs in the foreground with that configuration (dovecot(1));
  ``base_dir`` and ``state_dir`` go to the temporary directory; ``ssl_cert = <file`` is sent as the chain
  in file order; listeners with ``ssl = yes`` are implicit TLS (993/995 style), the others offer STARTTLS
  (IMAP) / STLS (POP3); ``ssl = no`` offers neither.

Both need root here (master and dovecot drop privileges to their own users, created by the Debian packages).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time

from tests.support.peers.bind_server import free_port
from tests.support.peers.processes import stop_process

POSTFIX_MASTER = '/usr/lib/postfix/sbin/master'
POSTFIX = shutil.which('postfix') or '/usr/sbin/postfix'
DOVECOT = shutil.which('dovecot') or '/usr/sbin/dovecot'


def available():
    """Why the mail peers cannot run here, or None."""
    if not os.path.exists(POSTFIX_MASTER) or not os.path.exists(DOVECOT):
        return 'postfix / dovecot-imapd / dovecot-pop3d are not installed (tests/install-system-deps.sh installs them)'
    if os.geteuid() != 0:
        return 'Postfix master and Dovecot need root to drop privileges to their own users'
    return None


def _private_dir(prefix):
    """A temporary directory the daemons' own users can traverse (pytest's tmp_path is root-only, 0700)."""
    directory = tempfile.mkdtemp(prefix=prefix)
    os.chmod(directory, 0o755)
    return directory


def _write(path, text, mode=0o644):
    with open(path, 'w') as handle:
        handle.write(text)
    os.chmod(path, mode)


def _wait_listening(process, ports, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    pending = list(ports)
    while pending:
        if process.poll() is not None:
            with open(log_path) as handle:
                raise RuntimeError('mail peer exited: %s' % handle.read()[-2000:])
        try:
            socket.create_connection(('127.0.0.1', pending[0]), timeout=0.5).close()
            pending.pop(0)
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError('mail peer did not listen on %s' % pending)
            time.sleep(0.1)


class Postfix:
    """One master, one smtpd per entry of ``services`` on its own free port.

    Each service is ``{'chain': [PEM, ...] (leaf first), 'key': PEM, 'starttls': True, 'options': {}}``; its
    chain, TLS level and any further ``options`` (main.cf parameters, no spaces in values) are per-service ``-o``
    overrides in master.cf (master(5)), so one instance serves every case.
    """

    def __init__(self, services, hostname='mail.example.hk'):
        self.directory = _private_dir('hkpost-postfix-')
        self.ports = [free_port() for _service in services]
        self.port = self.ports[0]
        self.process = self.log = None
        conf = os.path.join(self.directory, 'conf')
        data = os.path.join(self.directory, 'data')
        for path in (conf, data, os.path.join(self.directory, 'queue')):
            os.makedirs(path, exist_ok=True)
        shutil.chown(data, 'postfix')
        _write(os.path.join(conf, 'main.cf'), '\n'.join([
            'compatibility_level = 3.6',
            'queue_directory = %s/queue' % self.directory,
            'data_directory = %s' % data,
            'mail_owner = postfix',
            'inet_interfaces = 127.0.0.1',
            'inet_protocols = ipv4',
            'myhostname = %s' % hostname,
            'mydestination =',
            'alias_maps =',
            'alias_database =',
            'local_recipient_maps =',
            'smtpd_tls_loglevel = 0',
            'default_process_limit = %d' % max(100, 2 * len(services)),
            'maillog_file = /dev/stdout',
            '']))
        lines = []
        for index, (service, port) in enumerate(zip(services, self.ports)):
            chain = os.path.join(conf, 'chain%d.pem' % index)
            _write(chain, service['key'] + ''.join(service['chain']), 0o600)  # smtpd_tls_chain_files: key, leaf, chain
            lines.append('127.0.0.1:%d inet n - n - - smtpd -o smtpd_tls_chain_files=%s -o smtpd_tls_security_level=%s'
                         % (port, chain, 'may' if service.get('starttls', True) else 'none')
                         + ''.join(' -o %s=%s' % item for item in sorted(service.get('options', {}).items())))
        lines += ['postlog unix-dgram n - n - 1 postlogd', 'proxymap unix - - n - - proxymap',
                  'anvil unix - - n - 1 anvil', 'tlsmgr unix - - n 1000? 1 tlsmgr', '']
        _write(os.path.join(conf, 'master.cf'), '\n'.join(lines))
        self.conf = conf

    def start(self):
        log_path = os.path.join(self.directory, 'postfix.log')
        self.log = open(log_path, 'w')
        # postfix(1) "check" runs post-install create-missing: the queue's sub-directories with their owners.
        subprocess.run([POSTFIX, '-c', self.conf, 'check'], stdout=self.log, stderr=subprocess.STDOUT, check=True)
        self.process = subprocess.Popen([POSTFIX_MASTER, '-c', self.conf, '-d'], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        try:
            _wait_listening(self.process, [self.ports[0], self.ports[-1]], log_path)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self):
        stop_process(self.process, self.log)
        shutil.rmtree(self.directory, ignore_errors=True)


class Dovecot:
    """IMAP and POP3 on free ports: STARTTLS/STLS (``imap``, ``pop3``) and implicit TLS (``imaps``, ``pop3s``).

    ``min_protocol``: Dovecot's ``ssl_min_protocol`` (e.g. ``TLSv1.3``: a server refusing TLS 1.2).
    """

    def __init__(self, chain_pems, key_pem, ssl=True, min_protocol=None):
        self.directory = _private_dir('hkpost-dovecot-')
        self.ports = {name: free_port() for name in ('imap', 'imaps', 'pop3', 'pop3s')} if ssl else \
            {name: free_port() for name in ('imap', 'pop3')}
        self.process = self.log = None
        for sub in ('run', 'state'):
            os.makedirs(os.path.join(self.directory, sub), exist_ok=True)
        cert, key = os.path.join(self.directory, 'cert.pem'), os.path.join(self.directory, 'key.pem')
        _write(cert, ''.join(chain_pems))
        _write(key, key_pem, 0o600)

        def listener(name):
            if name not in self.ports:
                return ''
            return '  inet_listener %s {\n    address = 127.0.0.1\n    port = %d\n%s  }\n' % (
                name, self.ports[name], '    ssl = yes\n' if name.endswith('s') else '')
        lines = [
            'base_dir = %s/run' % self.directory,
            'state_dir = %s/state' % self.directory,
            'log_path = /dev/stderr',
            'protocols = imap pop3',
            'listen = 127.0.0.1',
            'ssl = %s' % ('yes' if ssl else 'no'),
        ]
        if ssl:
            lines += ['ssl_cert = <%s' % cert, 'ssl_key = <%s' % key]
            if min_protocol:
                lines.append('ssl_min_protocol = %s' % min_protocol)
        lines += [
            'passdb {\n  driver = static\n  args = nopassword=y\n}',
            'userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=/nonexistent\n}',
            'service imap-login {\n%s%s}' % (listener('imap'), listener('imaps')),
            'service pop3-login {\n%s%s}' % (listener('pop3'), listener('pop3s')),
            '']
        self.conf = os.path.join(self.directory, 'dovecot.conf')
        _write(self.conf, '\n'.join(lines))

    def start(self):
        log_path = os.path.join(self.directory, 'dovecot.log')
        self.log = open(log_path, 'w')
        self.process = subprocess.Popen([DOVECOT, '-F', '-c', self.conf], stdout=self.log, stderr=subprocess.STDOUT)
        try:
            _wait_listening(self.process, list(self.ports.values()), log_path)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self):
        stop_process(self.process, self.log)
        shutil.rmtree(self.directory, ignore_errors=True)
