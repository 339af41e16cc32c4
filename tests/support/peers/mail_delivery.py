# -*- coding: utf-8 -*-
"""A mail system that delivers, on 127.0.0.1: Postfix accepting submissions (STARTTLS, then SASL AUTH checked by
Dovecot) and handing each message over LMTP to Postfix's own virtual(8) agent, which stores it in the Maildir that Dovecot serves over IMAP (no LMTP: it is
not in the Debian packages the audit tests already need).

Used to test that a notification really arrives (``hkpost_notify``): send through Postfix, read back with imaplib.
Built like ``mail_servers`` (own temporary directory, free ports, foreground processes stopped by pid, root
needed for the daemons' privilege drop), with what delivery adds:

- Dovecot: ``passdb passwd-file`` holds the submission account and the mailbox account (``{PLAIN}`` scheme,
  test-only); ``service auth`` has an ``inet_listener`` - Dovecot's documented way to serve Postfix SASL over TCP
  ("Postfix and Dovecot SASL", doc.dovecot.org) - so Postfix needs no socket inside its queue directory;
  ``disable_plaintext_auth = no`` only so that the test reads
  the mailbox over plain loopback IMAP.
- Postfix: ``smtpd_sasl_type = dovecot`` with ``smtpd_sasl_path = inet:127.0.0.1:PORT`` (postconf(5)),
  ``smtpd_tls_auth_only = yes`` (AUTH is not even offered before STARTTLS, so a sender that skipped STARTTLS
  fails), relaying only for authenticated clients, and the domain's mail to virtual(8): ``virtual_mailbox_maps``
  is an ``inline:`` table (Postfix 3.0+) mapping each mailbox to ``<address>/`` - a trailing slash means Maildir
  (virtual(8)) - under the directory Dovecot's ``mail_location`` points at, written as ``nobody`` like Dovecot
  reads it; master.cf has the services the queue needs (cleanup, qmgr, trivial-rewrite, bounce, virtual ...),
  from Postfix's default master.cf.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess

from tests.support.peers.bind_server import free_port
from tests.support.peers.mail_servers import DOVECOT, POSTFIX, POSTFIX_MASTER, _private_dir, _wait_listening, _write
from tests.support.peers.processes import stop_process

DOMAIN = 'example.hk'

# From Postfix's default master.cf: what smtpd -> cleanup -> qmgr -> virtual delivery calls on.
_QUEUE_SERVICES = '''\
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
virtual unix - n n - - virtual
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
'''


class MailDelivery:
    """Postfix submission (``submission_port`` with STARTTLS, ``smtps_port`` implicit TLS) -> Dovecot mailbox
    (``imap_port``).

    ``accounts``: {login: password}; logins with ``@example.hk`` are mailboxes, any login may submit.
    ``chain``/``key``: PEMs for Postfix's STARTTLS (leaf first).
    """

    def __init__(self, chain, key, accounts):
        self.directory = _private_dir('hkpost-maildelivery-')
        d = self.directory
        self.submission_port, self.smtps_port, self.imap_port = free_port(), free_port(), free_port()
        self._auth_port = free_port()
        self.postfix = self.dovecot = None
        self._logs = []
        for sub in ('run', 'state', 'mail', 'conf', 'data', 'queue'):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        shutil.chown(os.path.join(d, 'mail'), 'nobody', 'nogroup')
        shutil.chown(os.path.join(d, 'data'), 'postfix')
        mailboxes = [login for login in accounts if login.endswith('@' + DOMAIN)]
        nobody = pwd.getpwnam('nobody')
        _write(os.path.join(d, 'users'), ''.join('%s:{PLAIN}%s\n' % item for item in accounts.items()), 0o644)
        _write(os.path.join(d, 'dovecot.conf'), '\n'.join([
            'base_dir = %s/run' % d, 'state_dir = %s/state' % d, 'log_path = /dev/stderr',
            'protocols = imap', 'listen = 127.0.0.1', 'ssl = no', 'disable_plaintext_auth = no',
            'auth_mechanisms = plain login',
            'mail_location = maildir:%s/mail/%%u' % d,
            'passdb {\n  driver = passwd-file\n  args = %s/users\n}' % d,
            'userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=%s/mail/%%u allow_all_users=yes\n}' % d,
            'service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = %d\n  }\n'
            '  inet_listener imaps {\n    port = 0\n  }\n}' % self.imap_port,
            'service auth {\n  inet_listener {\n    address = 127.0.0.1\n    port = %d\n  }\n}' % self._auth_port,
            '']))
        conf = os.path.join(d, 'conf')
        _write(os.path.join(conf, 'tls.pem'), key + ''.join(chain), 0o600)
        _write(os.path.join(conf, 'main.cf'), '\n'.join([
            'compatibility_level = 3.6', 'queue_directory = %s/queue' % d, 'data_directory = %s/data' % d,
            'mail_owner = postfix', 'inet_interfaces = 127.0.0.1', 'inet_protocols = ipv4',
            'myhostname = mail.%s' % DOMAIN, 'mydestination =', 'alias_maps =', 'alias_database =',
            'local_recipient_maps =', 'maillog_file = /dev/stdout', 'smtpd_tls_loglevel = 0',
            'smtpd_tls_chain_files = %s/tls.pem' % conf, 'smtpd_tls_security_level = may',
            'smtpd_tls_auth_only = yes',
            'smtpd_sasl_auth_enable = yes', 'smtpd_sasl_type = dovecot',
            'smtpd_sasl_path = inet:127.0.0.1:%d' % self._auth_port,
            'smtpd_relay_restrictions = permit_sasl_authenticated, reject',
            'smtpd_recipient_restrictions = permit_sasl_authenticated, reject',
            'virtual_mailbox_domains = %s' % DOMAIN, 'virtual_mailbox_base = %s/mail' % d,
            'virtual_mailbox_maps = inline:{%s}' % ', '.join('%s=%s/' % (m, m) for m in mailboxes),
            'virtual_uid_maps = static:%d' % nobody.pw_uid, 'virtual_gid_maps = static:%d' % nobody.pw_gid,
            '']))
        # The submission port (STARTTLS) and an implicit-TLS port (RFC 8314 "submissions", smtpd_tls_wrappermode).
        _write(os.path.join(conf, 'master.cf'), '127.0.0.1:%d inet n - n - - smtpd\n' % self.submission_port
               + '127.0.0.1:%d inet n - n - - smtpd -o smtpd_tls_wrappermode=yes\n' % self.smtps_port
               + _QUEUE_SERVICES)
        self.conf = conf

    def _log(self, name):
        handle = open(os.path.join(self.directory, name), 'w')
        self._logs.append(handle)
        return handle

    def start(self):
        log = self._log('dovecot.log')
        self.dovecot = subprocess.Popen([DOVECOT, '-F', '-c', os.path.join(self.directory, 'dovecot.conf')],
                                        stdout=log, stderr=subprocess.STDOUT)
        plog = self._log('postfix.log')
        try:
            _wait_listening(self.dovecot, [self.imap_port, self._auth_port], log.name)
            subprocess.run([POSTFIX, '-c', self.conf, 'check'], stdout=plog, stderr=subprocess.STDOUT, check=True)
            self.postfix = subprocess.Popen([POSTFIX_MASTER, '-c', self.conf, '-d'], stdout=plog,
                                            stderr=subprocess.STDOUT)
            _wait_listening(self.postfix, [self.submission_port, self.smtps_port], plog.name)
        except (RuntimeError, subprocess.CalledProcessError):
            self.stop()
            raise
        return self

    def postfix_log(self):
        with open(os.path.join(self.directory, 'postfix.log')) as handle:
            return handle.read()

    def stop(self):
        stop_process(self.postfix, None)
        stop_process(self.dovecot, None)
        for handle in self._logs:
            handle.close()
        shutil.rmtree(self.directory, ignore_errors=True)
