# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_notify's logic: build the message, decide whether this outcome is notified, send on each channel.

Each channel is tried even when the other failed (a dead SMTP relay must not silence the chat alert). Every
text that leaves - the result's message, warnings, errors - is scrubbed of the secret values it was given.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.notify import _email, _webhook
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import build, plain_text, subject
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._redact import scrub, url_secrets
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._tls import NotifyError

OUTCOMES = ('failure', 'success')


def secrets_of(email, webhook):
    secrets = []
    if email and email.get('password'):
        secrets.append(email['password'])
    if webhook and webhook.get('url'):
        secrets += url_secrets(webhook['url'])
    return secrets


def notify(args, check_mode=False):
    """``{'outcome', 'notified', 'sent': [endpoint], 'errors': [text], 'subject', 'text', 'skipped'}``."""
    secrets = secrets_of(args.get('email'), args.get('webhook'))
    message = build(args['kind'], args['report'], title=args.get('title'), outcome=args.get('outcome') or 'auto',
                    to_renew=args.get('to_renew'), warn_days=args.get('warn_days', 30), link=args.get('link'))
    text, head = scrub(plain_text(message), secrets), scrub(subject(message), secrets)
    result = {'outcome': message['outcome'], 'notified': False, 'sent': [], 'errors': [], 'subject': head,
              'text': text, 'to_renew_total': message['to_renew_total'], 'skipped': None}
    if message['outcome'] not in (args.get('notify_on') or ['failure']):
        result['skipped'] = 'the outcome is %s; notify_on is %s' % (message['outcome'],
                                                                    ', '.join(args.get('notify_on') or []))
        return result
    channels = []
    if args.get('email'):
        channels.append((_email.send, args['email']))
    if args.get('webhook'):
        channels.append((_webhook.send, args['webhook']))
    if not channels:
        result['skipped'] = 'no channel: set email, webhook or both'
        return result
    if check_mode:
        result['skipped'] = 'check mode: nothing sent'
        return result
    for send, options in channels:
        try:
            result['sent'].append(send(_scrubbed(message, secrets), options))
        except NotifyError as exc:
            result['errors'].append(scrub(str(exc), secrets))
        except Exception as exc:  # pylint: disable=broad-except
            # A sender bug must still end as a scrubbed error naming no secret, and the other channel still runs.
            result['errors'].append(scrub('%s: %s' % (type(exc).__name__, exc), secrets))
    result['notified'] = bool(result['sent'])
    return result


def _scrubbed(message, secrets):
    """The message with secrets masked in every text it holds (the summaries hold none: this is the second line)."""
    if not secrets:
        return message

    def clean(value):
        if isinstance(value, str):
            return scrub(value, secrets)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value
    return clean(message)
