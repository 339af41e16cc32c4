# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What on one host is stale, for clean-up, per store entry.

* ``expired``: past its notAfter (Root and Disallowed are left out: Windows manages those lists itself);
* ``superseded``: a leaf in a personal store with a newer valid certificate for the same names on that host;
* ``orphaned_key``: a LocalMachine\\REQUEST entry (a private key without its issued certificate) whose
  certificate was installed another way (the same public key is in a personal store), or that has no key
  left, so it can never be completed;
* ``old_pending_request``: a REQUEST entry older than ``pending_days`` still waiting.

A stale entry something still uses says so (``in_use``): move the consumer first.
"""

from __future__ import annotations

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._host import PERSONAL

REASONS = ('expired', 'superseded', 'orphaned_key', 'old_pending_request')
_NOT_EXPIRED_CHECK = ('Root', 'Disallowed', 'REQUEST')


def _day(text):
    return datetime.date.fromisoformat(text[:10]) if text else None


def _names(cert):
    return tuple(sorted({n.lower() for n in [cert.get('subject_cn') or ''] + list(cert.get('dns_names') or []) if n}))


def stale_for_host(result, today, pending_days):
    """The stale entries of one host."""
    stale = []
    certs = [c for c in result.get('certificates') or [] if c.get('sha256')]

    def add(cert, reason, detail):
        stale.append({'host': result['host'], 'store': cert['store'], 'thumbprint': cert.get('thumbprint'),
                      'sha256': cert.get('sha256'), 'common_name': cert.get('subject_cn'),
                      'not_after': cert.get('not_after'), 'reason': reason, 'detail': detail,
                      'in_use': [c['name'] for c in cert.get('consumers') or []]})

    personal_spki = {c.get('spki_sha256') for c in certs if c['store'] in PERSONAL}
    for cert in certs:
        if cert['store'] == 'REQUEST':
            age = (today - _day(cert['not_before'])).days if cert.get('not_before') else 0
            if cert.get('spki_sha256') in personal_spki:
                add(cert, 'orphaned_key', 'its certificate is already installed (same public key in a personal '
                                          'store): this request and its copy of the key are left over')
            elif not cert.get('has_private_key'):
                add(cert, 'orphaned_key', 'the request has no private key left: it can never be completed')
            elif age > pending_days:
                add(cert, 'old_pending_request', 'pending for %d days (more than %d)' % (age, pending_days))
            continue
        if cert['store'] not in _NOT_EXPIRED_CHECK and cert.get('not_after') and _day(cert['not_after']) < today:
            add(cert, 'expired', 'expired %s' % cert['not_after'][:10])
    groups = {}
    for cert in certs:
        if cert['store'] in PERSONAL and not cert.get('is_ca') and _names(cert):
            groups.setdefault(_names(cert), []).append(cert)
    for members in groups.values():
        valid = [c for c in members if _day(c['not_after']) >= today]
        if not valid:
            continue
        newest = max(valid, key=lambda c: (c['not_before'], c['not_after']))
        for cert in members:
            if cert is not newest and cert['sha256'] != newest['sha256'] and cert['not_before'] < newest['not_before'] \
                    and _day(cert['not_after']) >= today:
                add(cert, 'superseded', 'replaced by %s (thumbprint %s, issued %s)' % (
                    newest.get('subject_cn'), newest.get('thumbprint'), newest['not_before'][:10]))
    return stale
