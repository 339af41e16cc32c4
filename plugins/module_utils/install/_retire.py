# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retiring what a renewal replaced: which old Hongkong Post certificates may leave My / WebHosting.

A certificate is *replaced* when it is a Hongkong Post server certificate and a newer one (issued later,
still valid, with its private key on the host) serves every name it serves. A replaced certificate is
*retired* (removed from its store) only when nothing on the host uses it any more:

* no IIS https binding is served with it (the http.sys mapping behind the binding names it);
* no http.sys mapping names it at all (``netsh http sslcert`` entries outside IIS: a stray ipport mapping,
  another web server on http.sys);
* no Exchange service is enabled on it - and when the host is an Exchange server, Exchange must have
  answered: with its status unknown nothing is retired, since "no service" could not be told from "no answer";
* the replacement has been issued for at least ``grace_days``.

Certificates of other CAs, CA certificates, and Hongkong Post certificates not replaced are never
touched. The decisions here are pure: the read payload supplies the state, the apply payload removes
exactly the (store, thumbprint) pairs decided here.
"""

from __future__ import annotations

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import reported_services
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import current_bindings
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import (
    _parse_time, covers, describe_entry, is_expired, names, utcnow)

RETIRE_STORES = ('My', 'WebHosting')


def usage(state):
    """Who uses which thumbprint on the host, from retire_read's answer.

    Returns ``({thumbprint: [reason, ...]}, exchange_known)``.
    """
    users = {}

    def use(thumbprint, reason):
        if thumbprint:
            users.setdefault(thumbprint.upper(), []).append(reason)

    iis = state.get('iis') or {}
    sslcert = iis.get('sslcert') or {}
    bound = set()
    for binding in current_bindings(iis.get('sites') or [], sslcert):
        if binding['thumbprint']:
            bound.add(binding['endpoint'].lower())
            use(binding['thumbprint'], 'IIS site "%s" binding %s' % (binding['site'], binding['binding_information']))
    for kind in ('ipport', 'hostnameport'):
        for mapping in sslcert.get(kind) or []:
            if mapping['endpoint'].lower() not in bound:
                use(mapping.get('thumbprint'), 'http.sys mapping %s=%s' % (kind, mapping['endpoint']))
    exchange = state.get('exchange') or {}
    known = True
    if exchange.get('present'):
        known = bool(exchange.get('known'))
        for cert in exchange.get('certificates') or []:
            services = reported_services(cert)
            if services is None:
                # Exchange sent no status (RawData only): unknown is never "serves nothing".
                use(cert.get('thumbprint'), 'Exchange services unknown (Exchange returned no status for it)')
            elif services:
                use(cert.get('thumbprint'), 'Exchange services %s' % ', '.join(services))
    return users, known


def _replacement(old, candidates, now):
    """The newest valid Hongkong Post leaf with its key that serves every name ``old`` serves, or None."""
    wanted = names(old)
    found = [c for c in candidates
             if c['sha1'] != old['sha1'] and c['is_hkpost'] and c['role'] == 'leaf' and c['has_private_key']
             and not is_expired(c, now) and c['not_before'] > old['not_before']
             and wanted and all(covers(c, n) for n in wanted)]
    return sorted(found, key=lambda c: c['not_before'])[-1] if found else None


def plan_retire(stores, state, replaced_by=None, thumbprints=None, grace_days=0, now=None):
    """Decide what to retire.

    ``stores``: {store name: [raw entries with der, has_private_key, friendly_name]} (My, WebHosting);
    ``state``: retire_read's answer (iis, exchange); ``replaced_by``: when given, only certificates these
    thumbprints replace are considered; ``thumbprints``: when given, exactly these certificates are to be
    retired and a refusal is an error. Returns ``{'retire': [...], 'kept': [...], 'exchange_known': bool}``.
    """
    now = now or utcnow()
    described = []
    for store in RETIRE_STORES:
        for raw in stores.get(store) or []:
            described.append(describe_entry(raw, store))
    users, exchange_known = usage(state)
    wanted = {t.upper() for t in thumbprints or []}
    only_by = {t.upper() for t in replaced_by or []}
    retire, kept = [], []
    for cert in described:
        if not cert['is_hkpost'] or cert['role'] != 'leaf':
            continue  # other CAs' certificates, and CA certificates, are never touched
        if wanted and cert['sha1'] not in wanted:
            continue
        newer = _replacement(cert, described, now)
        reason = None
        if newer is None or (only_by and newer['sha1'] not in only_by):
            if not wanted:
                continue  # not replaced: not a candidate at all
            reason = 'no newer valid Hongkong Post certificate with its key serves all of its names (%s)' % (
                ', '.join(names(cert)))
        elif users.get(cert['sha1']):
            reason = 'still used by %s' % '; '.join(users[cert['sha1']])
        elif not exchange_known:
            reason = ('Exchange did not answer, so whether a service uses it is unknown; nothing is retired until '
                      'Exchange can be read')
        elif grace_days and _parse_time(newer['not_before']) + datetime.timedelta(days=grace_days) > now:
            reason = 'grace period: its replacement %s was issued on %s, less than %d days ago' % (
                newer['sha1'], newer['not_before'], grace_days)
        entry = {'thumbprint': cert['sha1'], 'store': cert['store'], 'subject': cert['subject'],
                 'names': names(cert), 'not_after': cert['not_after'], 'has_private_key': cert['has_private_key'],
                 'replaced_by': newer['sha1'] if newer else None}
        if reason:
            kept.append(dict(entry, reason=reason))
        else:
            retire.append(entry)
    missing = wanted - {c['sha1'] for c in described}
    if missing:
        raise HkpostError('certificate(s) %s are not in LocalMachine\\My or WebHosting on this host; nothing was '
                          'changed.' % ', '.join(sorted(missing)))
    if wanted and kept:
        raise HkpostError('refusing to retire %s. Nothing was changed.'
                          % '; '.join('%s (%s): %s' % (k['thumbprint'], k['store'], k['reason']) for k in kept))
    return {'retire': retire, 'kept': kept, 'exchange_known': exchange_known}


def describe_retired(entry):
    """One line for a message or the fleet summary."""
    return '%s in %s (%s, expires %s), replaced by %s' % (entry['thumbprint'], entry['store'],
                                                          ', '.join(entry['names']), entry['not_after'],
                                                          entry['replaced_by'])
