# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Endpoints named without their secrets, and a last scrub of anything that leaves hkpost_notify.

Slack and Teams webhook URLs carry their token in the path (and some services in the query), so a webhook is
named by scheme, host and port only. Messages are built from summaries that hold no secret; the scrub is the
second line: it replaces each secret value (the SMTP password, the webhook URL, its path and query) wherever it
appears - an exception text, a server's reply, the message itself.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

MASK = '********'


def url_endpoint(url):
    """``https://hooks.example.com:443`` for any URL: the part that is safe to print."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return 'the webhook URL (unparsable)'
    if not parts.scheme or not parts.hostname:
        return 'the webhook URL (no scheme or host)'
    host = '[%s]' % parts.hostname if ':' in parts.hostname else parts.hostname
    return '%s://%s%s' % (parts.scheme, host, ':%d' % port if port else '')


def url_secrets(url):
    """The URL and its token-bearing parts: path, query, and each path segment or query value of 8+ characters
    (a Teams Workflows URL signs with ``sig=``; a text may quote one parameter alone)."""
    secrets = [url]
    try:
        parts = urlsplit(url)
        secrets += [p for p in (parts.path, parts.query, parts.path.strip('/')) if p and len(p) > 3]
        secrets += [segment for segment in parts.path.split('/') if len(segment) >= 8]
        secrets += [value for _name, value in parse_qsl(parts.query) if len(value) >= 8]
    except ValueError:
        pass
    return secrets


def scrub(text, secrets):
    """``text`` with every secret (longest first, so a URL goes before its parts) replaced by ``********``."""
    text = str(text)
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
