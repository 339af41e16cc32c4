# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet view from every host's hkpost_certificate_inventory result, joined with the served-chain audit.

Per certificate (one entry per SHA-256, however many hosts and stores hold it): the hosts, stores and
consumers, the issuer and its generation (old/new Hongkong Post intermediate), the days left, and whether
what the host holds and uses is what its endpoints serve (``served``: the audit saw it served by one of the
host's endpoints; ``not served``: the host was audited, something on it uses the certificate, none of its
endpoints serves it; ``not audited``). Endpoints that serve a leaf their host does not hold (a load
balancer in front, a binding pointing elsewhere) are listed apart.

Stale entries, for clean-up, per host and store:

* ``expired``: past its notAfter (Root and Disallowed are left out: Windows manages those lists itself);
* ``superseded``: a leaf in a personal store with a newer valid certificate for the same names on that host;
* ``orphaned_key``: a LocalMachine\\REQUEST entry (a private key without its issued certificate) whose
  certificate was installed another way (the same public key is in a personal store), or that has no key
  left, so it can never be completed;
* ``old_pending_request``: a REQUEST entry older than 30 days (``pending_days``) still waiting.

A stale entry something still uses says so (``in_use``): move the consumer first.
"""

from __future__ import annotations

import datetime
import json

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import kind_of
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._forecast import WEEKS, forecast
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._host import PERSONAL

PENDING_DAYS = 30
WARN_DAYS = 30
_NOT_EXPIRED_CHECK = ('Root', 'Disallowed', 'REQUEST')


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
        pairs = [(name, result) for name, result in results.items()]
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


def _audit_index(audit):
    """host -> [(endpoint text, leaf sha256)] from an hkpost_served_chain result."""
    audit = _plain(audit) if audit else None
    if not audit:
        return None
    if not isinstance(audit, dict) or not isinstance(audit.get('endpoints'), list):
        raise ValueError('audit must be the registered result of hkpost.ecert.hkpost_served_chain (a dict with '
                         '"endpoints"), got %s' % kind_of(audit))
    index = {}
    for endpoint in audit['endpoints']:
        served = endpoint.get('served') or []
        leaf = next((c for c in served if not c.get('is_ca')), served[0] if served else None)
        host = endpoint.get('inventory_name') or endpoint.get('host')
        text = '%s:%s%s' % (endpoint.get('host'), endpoint.get('port'),
                            ' (%s)' % endpoint['server_name'] if endpoint.get('server_name') else '')
        index.setdefault(host, []).append({'endpoint': text, 'sha256': (leaf or {}).get('sha256'),
                                           'port': endpoint.get('port'),
                                           'server_name': str(endpoint.get('server_name') or '').lower() or None,
                                           'subject_cn': (leaf or {}).get('subject_cn'),
                                           'verdict': endpoint.get('verdict')})
    return index


def _subscription_key(key):
    """A subscriptions key: a SHA-1 or SHA-256 fingerprint (any case, colons allowed), else a DNS name."""
    text = str(key).strip().replace(':', '').replace(' ', '')
    if len(text) in (40, 64) and all(ch in '0123456789abcdefABCDEF' for ch in text):
        return text.upper()
    return str(key).strip().lower()


def _names(cert):
    return tuple(sorted({n.lower() for n in [cert.get('subject_cn') or ''] + list(cert.get('dns_names') or []) if n}))


def _stale_for_host(result, today, pending_days):
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


def build(results, audit=None, today=None, subscriptions=None, warn_days=WARN_DAYS, pending_days=PENDING_DAYS,
          weeks=WEEKS, batch=0):
    """The fleet model every report is rendered from (JSON-able)."""
    today = parse_day(today, 'today') if today else datetime.datetime.now(datetime.timezone.utc).date()
    subscriptions = {_subscription_key(k): parse_day(v, 'the subscription end of %s' % k)
                     for k, v in (_plain(subscriptions) or {}).items()}
    served_index = _audit_index(audit)
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
        stale.extend(_stale_for_host(result, today, pending_days))
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
                _judge_served(entry, host, served_index.get(host), sni_claims.get(host, set()))
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
        entry['served'] = _served_status(entry, served_index)
        entry['status'] = ('expired' if entry['days_left'] is not None and entry['days_left'] < 0 else
                           'expiring' if entry['days_left'] is not None and entry['days_left'] <= warn_days else 'valid')
    planned = forecast(_to_forecast(certificates, stale, today, subscriptions), today, weeks=weeks, batch=batch)
    stale.sort(key=lambda s: (_STALE_ORDER.index(s['reason']), s['host'], s['store'], str(s['common_name'])))
    leaves = [c for c in certificates if not c['is_ca']]
    summary = {
        'hosts': len(hosts), 'hosts_read': sum(1 for h in hosts if h['read']),
        'certificates': len(certificates), 'leaf_certificates': len(leaves),
        'in_use': sum(1 for c in leaves if c['consumers']),
        'hkpost': sum(1 for c in leaves if c['is_hkpost']),
        'old_generation': sum(1 for c in leaves if c['is_hkpost'] and c['generation'] == 'old' and c['days_left'] >= 0),
        'expired': sum(1 for c in leaves if c['status'] == 'expired'),
        'expiring': sum(1 for c in leaves if c['status'] == 'expiring'),
        'stale': len(stale), 'stale_by_reason': {r: sum(1 for s in stale if s['reason'] == r) for r in _STALE_ORDER},
        'pending_requests': len(pending), 'dangling_consumers': sum(len(h['dangling']) for h in hosts),
        'not_served': sum(1 for c in leaves if c['not_served_on']), 'served_not_held': len(served_not_held),
        'audited': served_index is not None,
    }
    return {'today': today.isoformat(), 'warn_days': warn_days, 'pending_days': pending_days, 'summary': summary,
            'hosts': hosts, 'certificates': certificates, 'stale': stale, 'pending_requests': pending,
            'served_not_held': served_not_held, 'forecast': planned}


def _judge_served(entry, host, endpoints, claims):
    """Put ``host`` in the entry's served_on, not_served_on or not_audited_on (or none: nothing uses it there).

    Served: an endpoint of the host serves it. Not served: the audit probed where one of the host's consumers
    of it listens - the SNI name on its port for a hostnameport mapping; for any other consumer its port,
    under a name no SNI mapping on that port claims - and got another certificate. Consumers the audit cannot
    reach (RDP, SQL Server) or ports it did not probe leave the question open: not audited.
    """
    if not entry['sha256']:
        return  # bytes the controller could not read: nothing to compare
    if any(e['sha256'] == entry['sha256'] for e in endpoints or []):
        entry['served_on'].append(host)
        return
    consumers = [c for c in entry['consumers'] if c['host'] == host]
    if not consumers:
        return
    relevant = []
    for consumer in consumers:
        for endpoint in endpoints or []:
            if endpoint['port'] not in consumer['ports']:
                continue
            if consumer['server_name'] and endpoint['server_name'] == consumer['server_name']:
                relevant.append(endpoint)
            elif not consumer['server_name'] and (endpoint['port'], endpoint['server_name']) not in claims:
                relevant.append(endpoint)
    if relevant and not entry['is_ca']:
        entry['not_served_on'].append(host)
    else:
        entry['not_audited_on'].append(host)


_STALE_ORDER = ('expired', 'superseded', 'orphaned_key', 'old_pending_request')


def _served_status(entry, served_index):
    if served_index is None:
        return 'no audit given'
    if entry['not_served_on']:
        return 'not served'
    if entry['served_on']:
        return 'served'
    if entry['not_audited_on']:
        return 'not audited'
    return 'not used'


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
