# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet view from every host's hkpost_certificate_inventory result, joined with the served-chain audit.

Per certificate (one entry per SHA-256, however many hosts and stores hold it): the hosts, stores and
consumers, the issuer and its generation (old/new Hongkong Post intermediate), the days left, whether what the
host holds and uses is what its endpoints serve (_served.py), and what is stale (_stale.py); then the renewal
forecast of what is current (_forecast.py). The model is JSON-able; _report.py renders it.
"""

from __future__ import annotations

import datetime
import json

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import kind_of
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._forecast import WEEKS, forecast
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._served import (
    audit_index, judge_served, served_status)
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._stale import REASONS, stale_for_host

PENDING_DAYS = 30
WARN_DAYS = 30


def _plain(value):
    """Ansible's tagged and lazy containers, as plain dict/list/str."""
    return json.loads(json.dumps(value, default=str))


_SHARED = {}


def _shared(text):
    """One string object for a value that repeats across the fleet (store, provider, issuer, kind)."""
    return _SHARED.setdefault(text, text) if isinstance(text, str) and len(_SHARED) < 10000 else text


def _day(text):
    return datetime.date.fromisoformat(text[:10]) if text else None


def parse_day(value, what):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError('%s must be a date YYYY-MM-DD, got %r' % (what, value))


def _results(results):
    """The registered results, host by host as plain data: a list of per-host results, or a dict host -> result.

    Each host's result is made plain (Ansible's lazy containers) on its own, as it is read: a copy of the whole
    fleet's results at once would double the memory the report needs.
    """
    if hasattr(results, 'items'):
        pairs = list(results.items())
    elif isinstance(results, (list, tuple)):
        pairs = [(None, result) for result in results]
    else:
        raise ValueError('expected the hkpost_certificate_inventory results of the hosts (a list, or a dict by '
                         'host), got %s' % kind_of(results))
    for name, result in pairs:
        if hasattr(result, 'items'):
            result = _plain(result)
            if name is not None and not result.get('host'):
                result['host'] = str(name)
            yield result


def _subscription_key(key):
    """A subscriptions key: a SHA-1 or SHA-256 fingerprint (any case, colons allowed), else a DNS name."""
    text = str(key).strip().replace(':', '').replace(' ', '')
    if len(text) in (40, 64) and all(ch in '0123456789abcdefABCDEF' for ch in text):
        return text.upper()
    return str(key).strip().lower()


def build(results, audit=None, today=None, subscriptions=None, warn_days=WARN_DAYS, pending_days=PENDING_DAYS,
          weeks=WEEKS, batch=0):
    """The fleet model every report is rendered from (JSON-able)."""
    today = parse_day(today, 'today') if today else datetime.datetime.now(datetime.timezone.utc).date()
    subscriptions = {_subscription_key(k): parse_day(v, 'the subscription end of %s' % k)
                     for k, v in (_plain(subscriptions) or {}).items()}
    served_index = audit_index(audit)
    hosts, by_sha256, stale, pending, sni_claims = [], {}, [], [], {}
    for result in _results(results):
        host = str(result.get('host'))
        if result.get('failed') or result.get('unreachable') or not isinstance(result.get('certificates'), list):
            hosts.append({'host': host, 'read': False, 'error': result.get('msg') or 'no inventory for this host',
                          'certificates': 0, 'consumers': 0, 'dangling': [], 'sources': {}})
            continue
        result = dict(result, host=host)
        hosts.append({'host': host, 'read': True, 'error': None, 'certificates': len(result['certificates']),
                      'consumers': len(result.get('consumers') or []), 'dangling': result.get('dangling') or [],
                      'sources': result.get('sources') or {}})
        stale.extend(stale_for_host(result, today, pending_days))
        for cert in result['certificates']:
            if cert.get('store') == 'REQUEST':
                pending.append({'host': host, 'thumbprint': cert.get('thumbprint'), 'common_name': cert.get('subject_cn'),
                                'created': (cert.get('not_before') or '')[:10],
                                'has_private_key': cert.get('has_private_key')})
                continue
            key = cert.get('sha256') or 'unreadable:%s:%s' % (host, cert.get('thumbprint'))
            entry = by_sha256.get(key)
            if entry is None:
                entry = by_sha256[key] = {
                    'sha256': cert.get('sha256'), 'thumbprint': cert.get('thumbprint'),
                    'common_name': cert.get('subject_cn') or cert.get('subject'), 'dns_names': cert.get('dns_names') or [],
                    'issuer': _shared(cert.get('issuer_cn') or cert.get('issuer')),
                    'is_hkpost': bool(cert.get('is_hkpost')), 'generation': _shared(cert.get('generation')),
                    'role': _shared(cert.get('role')), 'is_ca': bool(cert.get('is_ca')),
                    'self_signed': bool(cert.get('self_signed')), 'not_before': cert.get('not_before'),
                    'not_after': cert.get('not_after'), 'key': '%s %s' % (cert.get('key_type') or '',
                                                                          cert.get('key_size') or ''),
                    'days_left': (_day(cert['not_after']) - today).days if cert.get('not_after') else None,
                    'hosts': [], 'stores': [], 'held': [], 'consumers': [], 'served_on': [], 'not_served_on': [],
                    'not_audited_on': [], 'stale': [], 'error': cert.get('error')}
            # Store and provider names repeat across 20,000 entries: one string object each.
            entry['held'].append({'host': host, 'store': _shared(cert['store']),
                                  'has_private_key': cert.get('has_private_key'),
                                  'key_provider': _shared(cert.get('key_provider')), 'exportable': cert.get('exportable'),
                                  'key_error': cert.get('key_error'), 'friendly_name': cert.get('friendly_name')})
            if host not in entry['hosts']:
                entry['hosts'].append(host)
            if cert['store'] not in entry['stores']:
                entry['stores'].append(cert['store'])
            for consumer in cert.get('consumers') or []:
                entry['consumers'].append({'host': host, 'kind': _shared(consumer['kind']), 'name': consumer['name'],
                                           'ports': consumer.get('ports') or [],
                                           'server_name': consumer.get('server_name')})
                if consumer.get('server_name'):
                    sni_claims.setdefault(host, set()).update((p, consumer['server_name'])
                                                              for p in consumer.get('ports') or [])
    # Served vs held, per host that uses the certificate.
    served_not_held = []
    if served_index is not None:
        held_by_host = {}
        for entry in by_sha256.values():
            for host in entry['hosts']:
                held_by_host.setdefault(host, set()).add(entry['sha256'])
            for host in entry['hosts']:
                judge_served(entry, host, served_index.get(host), sni_claims.get(host, set()))
        for host, endpoints in sorted(served_index.items(), key=lambda item: str(item[0])):
            if host not in held_by_host:
                continue  # a host the inventory did not read: nothing to compare with
            for endpoint in endpoints:
                if endpoint['sha256'] and endpoint['sha256'] not in held_by_host[host]:
                    served_not_held.append(dict(endpoint, host=host))
    for item in stale:
        if item['sha256'] in by_sha256:
            by_sha256[item['sha256']]['stale'].append('%s on %s (%s)' % (item['reason'], item['host'], item['store']))
    hosts.sort(key=lambda h: h['host'])
    for entry in by_sha256.values():
        entry['hosts'].sort()
    certificates = sorted(by_sha256.values(), key=lambda c: (c['is_ca'], c['days_left'] if c['days_left'] is not None
                                                             else -10 ** 6, str(c['common_name'])))
    for entry in certificates:
        entry['served'] = served_status(entry, served_index)
        entry['status'] = ('expired' if entry['days_left'] is not None and entry['days_left'] < 0 else
                           'expiring' if entry['days_left'] is not None and entry['days_left'] <= warn_days else 'valid')
    planned = forecast(_to_forecast(certificates, stale, today, subscriptions), today, weeks=weeks, batch=batch)
    stale.sort(key=lambda s: (REASONS.index(s['reason']), s['host'], s['store'], str(s['common_name'])))
    leaves = [c for c in certificates if not c['is_ca']]
    summary = {
        'hosts': len(hosts), 'hosts_read': sum(1 for h in hosts if h['read']),
        'certificates': len(certificates), 'leaf_certificates': len(leaves),
        'in_use': sum(1 for c in leaves if c['consumers']),
        'hkpost': sum(1 for c in leaves if c['is_hkpost']),
        'old_generation': sum(1 for c in leaves if c['is_hkpost'] and c['generation'] == 'old' and c['days_left'] >= 0),
        'expired': sum(1 for c in leaves if c['status'] == 'expired'),
        'expiring': sum(1 for c in leaves if c['status'] == 'expiring'),
        'stale': len(stale), 'stale_by_reason': {r: sum(1 for s in stale if s['reason'] == r) for r in REASONS},
        'pending_requests': len(pending), 'dangling_consumers': sum(len(h['dangling']) for h in hosts),
        'not_served': sum(1 for c in leaves if c['not_served_on']), 'served_not_held': len(served_not_held),
        'audited': served_index is not None,
    }
    return {'today': today.isoformat(), 'warn_days': warn_days, 'pending_days': pending_days, 'summary': summary,
            'hosts': hosts, 'certificates': certificates, 'stale': stale, 'pending_requests': pending,
            'served_not_held': served_not_held, 'forecast': planned}


def _to_forecast(certificates, stale, today, subscriptions):
    """The certificates a renewal is planned for: leaves that are in use or still valid, not self-signed (Windows
    renews its own), not superseded on every host holding them."""
    superseded = {}
    for item in stale:
        if item['reason'] == 'superseded':
            superseded.setdefault(item['sha256'], set()).add(item['host'])
    planned = []
    for cert in certificates:
        if cert['is_ca'] or cert['self_signed'] or not cert['sha256'] or not cert['not_after']:
            continue
        if set(cert['hosts']) <= superseded.get(cert['sha256'], set()):
            continue
        if cert['days_left'] < 0 and not cert['consumers']:
            continue  # expired and unused: clean-up, not renewal
        end = (subscriptions.get(cert['sha256'].upper()) or subscriptions.get((cert['thumbprint'] or '').upper())
               or subscriptions.get(str(cert['common_name']).lower()))
        planned.append({'sha256': cert['sha256'], 'common_name': cert['common_name'], 'is_hkpost': cert['is_hkpost'],
                        'hosts': cert['hosts'], 'not_before': _day(cert['not_before']),
                        'not_after': _day(cert['not_after']), 'subscription_end': end})
    return planned
