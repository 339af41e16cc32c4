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
* no Exchange service is enabled on it that its replacement does not also serve (SMTP may sit on several
  certificates and Exchange picks the best one for each name, so the old certificate keeping SMTP beside a
  replacement that serves SMTP for all its names is not a use; POP kept only by the old one is) - and when
  the host is an Exchange server, Exchange must have answered: with its status unknown nothing is retired,
  since "no service" could not be told from "no answer";
* on an Exchange hybrid deployment, it is not the certificate the hybrid configuration names
  (Get-HybridConfiguration's TlsCertificateName, "<I>issuer<S>subject"): Exchange Online keeps sending mail
  to the certificate it names until the Hybrid Configuration Wizard is run again;
* it is not in ``keep`` (hkpost_install's keep_thumbprints: whatever else must stay);
* the replacement has been issued for at least ``grace_days``.

The same policy for IIS and Exchange, for hkpost_install, hkpost_retire and exchange_cert remove_superseded.

ACME mode (issue 23): the certificates of an accepted ACME issuer (``issuers``: hkpost_install's retire_issuers,
the CA certificates of the chains the intake accepted) are replaced and retired by exactly these rules too, but
only by a newer certificate of the SAME issuing CA - the same key signed both, checked by signature, never by
name (as _acme_issuer accepts them) - so a Hongkong Post certificate never replaces an ACME one or the reverse.

Certificates of other CAs, CA certificates, and Hongkong Post certificates not replaced are never
touched. The decisions here are pure: the read payload supplies the state, the apply payload removes
exactly the (store, thumbprint) pairs decided here.
"""

from __future__ import annotations

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import reported_services
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import current_bindings
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import is_ca, issued_by, spki_sha256
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import (
    _parse_time, covers, describe_entry, entry_der, is_expired, is_not_yet_valid, names, utcnow)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificates

try:  # a controller requirement; the plugins must still load without it (see _optional_deps)
    from cryptography import x509
except ImportError as exc:
    x509 = MissingLibrary('cryptography', exc)

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
            if reported_services(cert) is None:
                # Exchange sent no status (RawData only): unknown is never "serves nothing".
                use(cert.get('thumbprint'), 'Exchange services unknown (Exchange returned no status for it)')
    _other_consumers(state, use)
    return users, known


def _other_consumers(state, use):
    """The host's other consumers (the host_consumers prelude): a certificate any of them uses stays, and one that
    could not be read makes every candidate stay - unknown is never "nobody uses it" (issue 24, blast radius)."""
    rdp, winrm = state.get('rdp') or {}, state.get('winrm') or {}
    gateway, sql = state.get('rd_gateway') or {}, state.get('sql') or {}
    for listener in rdp.get('listeners') or []:
        use(listener.get('thumbprint'), 'the RDP listener %s' % listener.get('terminal_name'))
    for listener in winrm.get('listeners') or []:
        if (listener.get('transport') or '').upper() == 'HTTPS':
            use(listener.get('thumbprint'), 'the WinRM HTTPS listener %s:%s' % (listener.get('address'),
                                                                                listener.get('port')))
    use(gateway.get('thumbprint'), 'RD Gateway')
    for instance in sql.get('instances') or []:
        use(instance.get('thumbprint'), 'SQL Server instance %s' % instance.get('name'))


def unreadable_consumers(state):
    """'source: error' for each consumer source the host could not read."""
    return ['%s (%s)' % (label, (state.get(key) or {}).get('error'))
            for key, label in (('rdp', 'the RDP listener'), ('winrm', 'the WinRM listeners'),
                               ('rd_gateway', 'RD Gateway'), ('sql', 'SQL Server'))
            if (state.get(key) or {}).get('error')]


def exchange_services(state):
    """{thumbprint: set of Exchange services} of the certificates Exchange reported services for."""
    found = {}
    for cert in (state.get('exchange') or {}).get('certificates') or []:
        services = reported_services(cert)
        if services is not None and cert.get('thumbprint'):
            found[cert['thumbprint'].upper()] = set(services)
    return found


def hybrid_kept(state):
    """{thumbprint: reason} for the Exchange certificates a hybrid configuration names (TlsCertificateName is
    "<I>issuer<S>subject", so a renewal with the same issuer and subject matches too: both stay until the
    Hybrid Configuration Wizard has been run and the old one is retired by thumbprint)."""
    hybrid = (state.get('exchange') or {}).get('hybrid') or {}
    name = (hybrid.get('tls_certificate_name') or '').strip().lower()
    if not name:
        return {}
    kept = {}
    for cert in (state.get('exchange') or {}).get('certificates') or []:
        if ('<i>%s<s>%s' % (cert.get('issuer') or '', cert.get('subject') or '')).lower() == name:
            kept[cert['thumbprint'].upper()] = (
                'Exchange hybrid: Get-HybridConfiguration TlsCertificateName names it (%s); run the Hybrid '
                'Configuration Wizard for the new certificate, then retire this one by thumbprint'
                % hybrid['tls_certificate_name'])
    return kept


def load_issuers(pems):
    """The CA certificates of ``pems`` (PEM texts: retire_issuers, whole accepted chains); a leaf among them is
    skipped, it issues nothing."""
    found = []
    for index, pem in enumerate(pems or []):
        text = pem.encode('utf-8') if isinstance(pem, str) else pem
        found += [c for c in load_certificates(text, 'retire_issuers[%d]' % index) if is_ca(c)]
    return found


def _issuer_group(raw, info, issuers):
    """Which certificates may replace this one: 'hkpost' for a Hongkong Post leaf; for another CA's leaf, the key
    (SPKI SHA-256) of the ``issuers`` certificate whose signature on it verifies - a same-named CA with another key
    is another issuer; None (never touched) for anything else."""
    if info['is_hkpost']:
        return 'hkpost' if info['role'] == 'leaf' else None
    if not issuers:
        return None
    cert = x509.load_der_x509_certificate(entry_der(raw))
    if is_ca(cert):  # another CA's certificates are 'other' to the Hongkong Post classification, leaves included
        return None
    for issuer in issuers:
        if issued_by(cert, issuer):
            return 'acme:' + spki_sha256(issuer.public_key())
    return None


def _replacement(old, candidates, now):
    """The newest valid leaf of the same issuer (Hongkong Post, or the same accepted ACME issuing key) with its key
    that serves every name ``old`` serves, or None."""
    wanted = names(old)
    found = [c for c in candidates
             if c['sha1'] != old['sha1'] and c['group'] == old['group'] and c['has_private_key']
             and not is_expired(c, now) and not is_not_yet_valid(c, now) and c['not_before'] > old['not_before']
             and wanted and all(covers(c, n) for n in wanted)]
    return sorted(found, key=lambda c: c['not_before'])[-1] if found else None


def plan_retire(stores, state, replaced_by=None, thumbprints=None, grace_days=0, now=None, keep=None,
                issuers=None):
    """Decide what to retire.

    ``stores``: {store name: [raw entries with der, has_private_key, friendly_name]} (My, WebHosting);
    ``state``: retire_read's answer (iis, exchange); ``replaced_by``: when given, only certificates these
    thumbprints replace are considered; ``thumbprints``: when given, exactly these certificates are to be
    retired and a refusal is an error; ``keep``: thumbprints never retired here (keep_thumbprints);
    ``issuers``: accepted ACME CA certificates (cryptography objects, load_issuers) whose leaves are retired by the
    same rules, each replaced only by a leaf of the same issuing key.
    Returns ``{'retire': [...], 'kept': [...], 'exchange_known': bool}``.
    """
    now = now or utcnow()
    described = []
    for store in RETIRE_STORES:
        for raw in stores.get(store) or []:
            info = describe_entry(raw, store)
            info['group'] = _issuer_group(raw, info, issuers)
            described.append(info)
    users, exchange_known = usage(state)
    unreadable = unreadable_consumers(state)
    services = exchange_services(state)
    held = dict(hybrid_kept(state) if not thumbprints else {})
    held.update({t.upper(): 'listed in keep_thumbprints' for t in keep or []})
    wanted = {t.upper() for t in thumbprints or []}
    only_by = {t.upper() for t in replaced_by or []}
    retire, kept = [], []
    for cert in described:
        if wanted and cert['sha1'] not in wanted:
            continue
        if cert['group'] is None:
            if wanted:  # named in thumbprints: refused (hkpost_retire's documented contract), never skipped silently
                kept.append({'thumbprint': cert['sha1'], 'store': cert['store'],
                             'reason': 'not a Hongkong Post server certificate (another CA\'s, or a CA certificate); '
                                       'those are never retired'})
            continue  # other CAs' certificates (but an accepted ACME issuer's), and CA certificates, are never touched
        newer = _replacement(cert, described, now)
        reason = None
        if newer is None or (only_by and newer['sha1'] not in only_by):
            if not wanted:
                continue  # not replaced: not a candidate at all
            reason = 'no newer valid %s certificate with its key serves all of its names (%s)' % (
                'Hongkong Post' if cert['group'] == 'hkpost' else 'same-issuer', ', '.join(names(cert)))
        elif users.get(cert['sha1']):
            reason = 'still used by %s' % '; '.join(users[cert['sha1']])
        elif services.get(cert['sha1'], set()) - services.get(newer['sha1'], set()):
            reason = 'still used by Exchange services %s (its replacement %s does not serve them)' % (
                ', '.join(sorted(services[cert['sha1']] - services.get(newer['sha1'], set()))), newer['sha1'])
        elif held.get(cert['sha1']):
            reason = held[cert['sha1']]
        elif not exchange_known:
            reason = ('Exchange did not answer, so whether a service uses it is unknown; nothing is retired until '
                      'Exchange can be read')
        elif unreadable:
            reason = ('%s could not be read, so whether it uses this certificate is unknown; nothing is retired '
                      'until it can be' % '; '.join(unreadable))
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
