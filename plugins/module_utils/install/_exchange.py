# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exchange certificates, decided as plain data: what to import, enable and remove.

Exchange keeps one certificate per service for IIS, POP, IMAP and UM (enabling a new one moves the
service), while SMTP may sit on several certificates and picks the best for each name. That is
what "superseded" follows: an older Hongkong Post certificate for the same names is removed only
when, once the new certificate is enabled, it serves nothing the new certificate does not serve.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import urlparse

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import brief, covers, names, refuse_expired

SERVICES = ('IIS', 'SMTP', 'POP', 'IMAP', 'UM', 'UMCallRouter', 'Federation')
# Services a single certificate holds at a time: enabling the new one moves them off the old one.
SINGLE_CERTIFICATE_SERVICES = {'IIS', 'POP', 'IMAP', 'UM', 'UMCallRouter', 'Federation'}
WILDCARD_REFUSED = {'POP', 'IMAP'}
_VERSION = re.compile(r'Version\s+(\d+)\.(\d+)\s*\(Build\s+(\d+)\.(\d+)\)', re.I)


def check_connection_uri(uri):
    """The implicit-remoting endpoint: an http(s) URL with a host, e.g. http://mail1.example.com.hk/PowerShell/.

    New-PSSession -ConnectionUri takes any string and fails on the host with a WinRM error that does not say
    the URL was the problem; checked here, before the first payload.
    """
    parsed = urlparse(uri.strip()) if isinstance(uri, str) else None
    if parsed is None or parsed.scheme.lower() not in ('http', 'https') or not parsed.hostname:
        raise HkpostError('connection_uri "%s" is not an http(s) URL; give the Exchange server\'s remote PowerShell '
                          'address, e.g. http://mail1.example.com.hk/PowerShell/ (or leave it out to use '
                          'http://SERVER/PowerShell/).' % uri)
    try:
        parsed.port
    except ValueError:
        raise HkpostError('connection_uri "%s" has a port that is not 1-65535.' % uri)
    return uri.strip()


def parse_services(value):
    """``'IMAP, POP, IIS, SMTP'`` (or a list) -> the canonical set; ``None``/``'None'`` -> empty."""
    if value in (None, '', 'None'):
        return set()
    items = value if isinstance(value, (list, tuple, set)) else re.split(r'[,\s]+', value)
    found = set()
    canonical = {s.lower(): s for s in SERVICES}
    for item in items:
        item = str(item).strip()
        if not item or item.lower() == 'none':
            continue
        if item.lower() not in canonical:
            raise HkpostError('Exchange service "%s" is not one of %s.' % (item, ', '.join(SERVICES)))
        found.add(canonical[item.lower()])
    return found


def reported_services(raw):
    """The services a certificate from ``exchange_read`` serves, or ``None`` when Exchange did not say.

    With serialized data signing on and an expired Auth certificate, Get-ExchangeCertificate over
    remoting returns only RawData: Status and Services come back empty (null, or '' once cast to
    text). That is *unknown*, never "serves nothing": a certificate whose services are unknown is
    never removed. Exchange's own "serves nothing" is the AllowedServices value ``None``.
    """
    status, services = raw.get('status'), raw.get('services')
    if status in (None, '') or services in (None, ''):
        return None
    return sorted(parse_services(services))


def product(version):
    """'Version 15.2 (Build 1544.4)' -> {'major', 'minor', 'build', 'product'}."""
    match = _VERSION.search(version or '')
    if not match:
        return {'version': version, 'product': 'Exchange (version not recognised)', 'major': None, 'minor': None,
                'build': None}
    major, minor, build = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if major == 14:
        name = 'Exchange Server 2010'
    elif (major, minor) == (15, 0):
        name = 'Exchange Server 2013'
    elif (major, minor) == (15, 1):
        name = 'Exchange Server 2016'
    elif (major, minor) == (15, 2):
        name = 'Exchange Server Subscription Edition' if build >= 2562 else 'Exchange Server 2019'
    else:
        name = 'Exchange %d.%d' % (major, minor)
    return {'version': version, 'product': name, 'major': major, 'minor': minor, 'build': build}


def refuse_wildcard_for_pop_imap(leaf, services):
    wanted = sorted(WILDCARD_REFUSED & set(services))
    if wanted and (leaf.get('subject_cn') or '').startswith('*.'):
        raise HkpostError(
            'refusing to enable the wildcard certificate %s for %s: Exchange\'s POP3 and IMAP4 services choose their '
            'certificate by the FQDN in X509CertificateName (Set-PopSettings/Set-ImapSettings), which a wildcard '
            'subject does not give, and Enable-ExchangeCertificate will not assign a wildcard-subject certificate to '
            'them. Enable it for IIS/SMTP only, and for POP/IMAP use a certificate naming the server (standard or '
            'multi-domain) or set X509CertificateName to a name under the wildcard. Nothing was changed.'
            % (brief(leaf), '/'.join(wanted)))


def plan_present(leaf, certificates, services, remove_superseded=False, now=None):
    """Import / enable / remove for the issued certificate ``leaf`` (cert_info).

    ``certificates``: described Exchange certificates with ``status``, ``services`` (set) and
    ``has_private_key``. Returns the steps and the services each certificate keeps afterwards.
    """
    refuse_expired(leaf, now, 'the issued certificate')
    refuse_wildcard_for_pop_imap(leaf, services)
    steps = []
    existing = next((c for c in certificates if c['sha1'] == leaf['sha1'] and c['has_private_key']
                     and c.get('status') != 'PendingRequest'), None)
    if existing is None:
        pending = [c for c in certificates if c.get('status') == 'PendingRequest']
        if not any(p['spki_sha256'] == leaf['spki_sha256'] for p in pending):
            raise HkpostError(
                'the issued certificate %s [SPKI SHA-256 %s] matches no pending request on this Exchange server. '
                'Pending requests: %s. Import it on the server that made the request (state: requested), or restore '
                'that key from its PFX backup. Nothing was changed.'
                % (brief(leaf), leaf['spki_sha256'],
                   '; '.join('%s [SPKI SHA-256 %s]' % (brief(p), p['spki_sha256']) for p in pending) or 'none'))
        steps.append({'step': 'import'})
    current = set(existing['services'] or ()) if existing else set()
    missing = sorted(set(services) - current)
    if missing:
        steps.append({'step': 'enable', 'services': sorted(set(services))})
    after = {c['sha1']: (None if c.get('services') is None
                         else set(c['services']) - (SINGLE_CERTIFICATE_SERVICES & set(services)))
             for c in certificates if c['sha1'] != leaf['sha1']}
    after[leaf['sha1']] = current | set(services)
    superseded, kept = superseded_by(leaf, certificates, after)
    if remove_superseded:
        steps.extend({'step': 'remove', 'thumbprint': c['sha1']} for c in superseded)
    return {'steps': steps, 'services_after': {k: None if v is None else sorted(v) for k, v in after.items()},
            'superseded': [c['sha1'] for c in superseded], 'kept': kept}


def superseded_by(leaf, certificates, services_after):
    """Older Hongkong Post certificates for the same names that serve nothing the new one does not."""
    new_services = services_after.get(leaf['sha1'], set())
    superseded, kept = [], []
    for cert in certificates:
        if cert['sha1'] == leaf['sha1'] or cert.get('status') == 'PendingRequest' or not cert.get('is_hkpost'):
            continue
        if cert['role'] != 'leaf' or cert['not_before'] >= leaf['not_before']:
            continue
        if not names(cert) or not all(covers(leaf, n) for n in names(cert)):
            continue
        if cert.get('services') is None or services_after.get(cert['sha1']) is None:
            kept.append({'thumbprint': cert['sha1'],
                         'reason': 'Exchange did not report its status and services (only RawData came back: '
                                   'serialized data signing with an expired Auth certificate?); unknown is never '
                                   'removed'})
            continue
        still = set(services_after.get(cert['sha1'], set())) - new_services
        if still:
            kept.append({'thumbprint': cert['sha1'], 'reason': 'still serves %s' % ', '.join(sorted(still))})
        else:
            superseded.append(cert)
    return superseded, kept


def exchange_subject(subject):
    """The -SubjectName string: "C=HK, S=Hong Kong, L=Hong Kong, O=..., CN=..." (quoted where needed)."""
    parts = []
    for attr, value in subject:
        if any(c in value for c in ',+=<>#;"\n') or value != value.strip():
            value = '"%s"' % value.replace('"', '""')
        parts.append('%s=%s' % ('S' if attr == 'ST' else attr, value))
    return ', '.join(parts)


def find_pending_request(certificates, common_name):
    """A pending request for the same CN, to reuse instead of making a second key."""
    for cert in certificates:
        if cert.get('status') == 'PendingRequest' and (cert.get('subject_cn') or '').lower() == common_name.lower():
            return cert
    return None


def rollback_assignment(leaf, certificates, services):
    """What to re-enable if the check after enabling ``leaf`` fails: the previous holders of the
    single-certificate services (IIS, POP, IMAP, UM...) the new certificate takes over, with those services.
    SMTP is left alone - it stays on the old certificate anyway."""
    taken = SINGLE_CERTIFICATE_SERVICES & set(services)
    moved = []
    for cert in certificates:
        if cert['sha1'] == leaf['sha1'] or cert.get('status') == 'PendingRequest':
            continue
        lost = sorted(set(cert.get('services') or ()) & taken)
        if lost:
            moved.append({'thumbprint': cert['sha1'], 'services': lost})
    return moved


def verify_server_name(leaf, server=None):
    """The name to send as SNI when checking what the server now serves: the certificate's first non-wildcard
    name; for a wildcard-only certificate the Exchange server's name if the wildcard covers it, else None."""
    for name in names(leaf):
        if not name.startswith('*.'):
            return name
    if server and covers(leaf, server):
        return server.lower()
    return None


def plan_enabled(thumbprint, certificates, services):
    """Enable an installed certificate (by thumbprint) for ``services``; the steps, or a refusal naming why."""
    target = next((c for c in certificates if c['sha1'] == thumbprint and c.get('status') != 'PendingRequest'), None)
    if target is None:
        raise HkpostError('certificate %s is not an installed Exchange certificate on this server; installed: %s. '
                          'Nothing was changed.' % (thumbprint, '; '.join(brief(c) for c in certificates
                                                                          if c.get('status') != 'PendingRequest')
                                                    or 'none'))
    if not target.get('has_private_key'):
        raise HkpostError('certificate %s has no private key on this server, so Exchange cannot use it. Nothing was '
                          'changed.' % brief(target))
    refuse_wildcard_for_pop_imap(target, services)
    missing = sorted(set(services) - set(target.get('services') or ()))
    return {'steps': [{'step': 'enable', 'services': sorted(set(services))}] if missing else [], 'target': target}


def enable_parameters(thumbprint, der, steps):
    """exchange_enable's parameters for ``steps`` (plan_present's import / enable): both in one trip, or None
    when there is nothing to send. The certificate travels only when it is to be imported."""
    wanted = {s['step']: s for s in steps}
    if 'import' not in wanted and 'enable' not in wanted:
        return None
    params = {'Thumbprint': thumbprint, 'Services': (wanted.get('enable') or {}).get('services') or []}
    if 'import' in wanted:
        params['CertificateBase64'] = base64.b64encode(der).decode('ascii')
    return params
