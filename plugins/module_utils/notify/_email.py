# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The notification by e-mail: one submission over SMTP with STARTTLS (or implicit TLS) and AUTH.

``smtplib``: the sender is one connection, so the blocking client the audit avoids costs nothing here. The
certificate of the submission server is verified (system trust, or ``ca_file``) unless ``validate_certs`` is
false; AUTH only ever travels inside TLS - there is no plain-text mode. Failures raise ``NotifyError`` naming
the server (host:port) and, for a refused login, the user - never the password.
"""

from __future__ import annotations

import email.utils
import smtplib
import socket
import ssl
from email.message import EmailMessage

from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import plain_text, subject
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._tls import NotifyError, tls_context

SECURITY = ('starttls', 'tls')


def compose(message, sender, recipients):
    mail = EmailMessage()
    mail['Subject'] = subject(message)
    mail['From'] = sender
    mail['To'] = ', '.join(recipients)
    mail['Date'] = email.utils.formatdate(localtime=False)
    # The sender may carry a display name ("PKI team <pki@example.hk>"): the domain is the address's, and a
    # sender without "@" leaves it to make_msgid (the controller's name) rather than taking the whole text.
    _local, at, domain = email.utils.parseaddr(sender)[1].rpartition('@')
    mail['Message-ID'] = email.utils.make_msgid(domain=domain if at and domain else None)
    mail['X-Hkpost-Outcome'] = message['outcome']
    mail.set_content(plain_text(message))
    return mail


def _reply(text):
    return text.decode('utf-8', 'replace') if isinstance(text, bytes) else str(text)


def _why(exc, timeout):
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return 'refused the login (%d %s)' % (exc.smtp_code, _reply(exc.smtp_error))
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return 'does not offer %s' % ('STARTTLS' if 'STARTTLS' in str(exc) else 'AUTH over TLS (%s)' % exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = ['%s: %d %s' % (rcpt, code, _reply(text)) for rcpt, (code, text) in exc.recipients.items()]
        return 'refused the recipients (%s)' % '; '.join(refused)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 'answered %d %s' % (exc.smtp_code, _reply(exc.smtp_error))
    if isinstance(exc, ssl.SSLCertVerificationError):
        return 'sent a certificate that does not verify (%s); set ca_file to its CA' % exc.verify_message
    if isinstance(exc, ssl.SSLError):
        return 'TLS failed (%s)' % (exc.reason or exc)
    if isinstance(exc, ConnectionRefusedError):
        return 'refused the connection (nothing listens there, or the server is down)'
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return 'did not answer within %gs' % timeout
    if isinstance(exc, socket.gaierror):
        return 'does not resolve (%s)' % exc.strerror
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return 'closed the connection (%s)' % exc
    return '%s: %s' % (type(exc).__name__, exc)


def send(message, options):
    """Submit the message. ``options``: host, port, security, username, password, sender, to, timeout,
    validate_certs, ca_file. Returns the endpoint named as in errors (``smtp host:port``)."""
    endpoint = 'SMTP server %s:%d' % (options['host'], options['port'])
    mail = compose(message, options['sender'], options['to'])
    context = tls_context(options)
    timeout = options['timeout']
    try:
        if options['security'] == 'tls':
            client = smtplib.SMTP_SSL(options['host'], options['port'], timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(options['host'], options['port'], timeout=timeout)
        with client:
            client.ehlo()
            if options['security'] == 'starttls':
                client.starttls(context=context)
                client.ehlo()
            if options.get('username'):
                try:
                    client.login(options['username'], options.get('password') or '')
                except smtplib.SMTPAuthenticationError as exc:
                    raise NotifyError('%s refused the login of user %r (%d)' % (
                        endpoint, options['username'], exc.smtp_code))
            client.send_message(mail, from_addr=options['sender'], to_addrs=options['to'])
    except NotifyError:
        raise
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError('%s %s' % (endpoint, _why(exc, timeout)))
    return endpoint
