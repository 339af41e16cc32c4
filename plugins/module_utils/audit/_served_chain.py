# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Judge the certificate chain a server sends, exactly as sent.

Input is plain data: the DER certificates in the order the server sent them, the server name the
client asked for, the time, and the trust anchors. Output is plain data: ``served`` (cert_info of
each certificate, in order), ``findings`` (code, severity, one-line message) and ``verdict``.

The chain is built *only* from what was sent plus the anchors: no AIA fetching, no intermediate
cache, because that repair is exactly what hides a missing intermediate from browser users while
every OpenSSL, Python and Java client fails.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import warnings

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
except ImportError as exc:
    x509 = ec = rsa = MissingLibrary('cryptography', exc)


from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import (
    OLD_GENERATION_REVOKED_BY, cert_info, common_name, dns_names, issued_by, shipped)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificates
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._actions import action_for
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._renew_due import renew_after
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._starttls import DEFAULT_PORTS, PROTOCOLS
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_fetch import a_label

SEVERITY = {
    'ok': 'ok',
    'expiring': 'warning', 'extra_certificates': 'warning', 'wrong_order': 'warning', 'not_hkpost': 'warning',
    'missing_intermediate': 'critical', 'old_intermediate': 'critical', 'expired': 'critical',
    'not_yet_valid': 'critical', 'name_mismatch': 'critical', 'untrusted': 'critical', 'weak_key': 'critical',
    'no_starttls': 'critical',
    'unreachable': 'error', 'tls_error': 'error',
}
# Worst first; the verdict of an endpoint is its worst finding's severity.
VERDICTS = ('error', 'critical', 'warning', 'ok')
CODES = tuple(SEVERITY)
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
_CACHE_LIMIT = 4096


def _finding(code, message, certificate=None, **facts):
    """``message`` says what is wrong, ``action`` what to do; ``certificate`` (SHA-256) is the one it is about."""
    finding = {'code': code, 'severity': SEVERITY[code], 'message': message, 'action': action_for(code, **facts)}
    if certificate:
        finding['certificate'] = certificate
    return finding


def verdict_of(findings):
    severities = {f['severity'] for f in findings}
    for verdict in VERDICTS:
        if verdict in severities:
            return verdict
    return 'ok'


class TrustAnchors:
    """Trusted roots, looked up by subject; a sent root counts as trusted when name and key match."""

    def __init__(self, certificates, description):
        self.description = description
        self._by_subject = {}
        for cert in certificates:
            self._by_subject.setdefault(cert.subject, []).append(cert)

    def __len__(self):
        return sum(len(v) for v in self._by_subject.values())

    def contains(self, cert):
        return any(a.public_key() == cert.public_key() for a in self._by_subject.get(cert.subject, ()))

    def issuer_of(self, cert):
        for anchor in self._by_subject.get(cert.issuer, ()):
            if issued_by(cert, anchor):
                return anchor
        return None

    def knows_name(self, name):
        return name in self._by_subject


def _system_bundle():
    import ssl
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile, '/etc/ssl/certs/ca-certificates.crt',
                      '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'):
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


def load_trust(trust):
    """``bundled`` (the shipped Root CA 3 and GlobalSign R3), ``system`` (the controller's CA bundle) or a PEM path."""
    if trust in (None, '', 'bundled'):
        return TrustAnchors([shipped('root_ca_3'), shipped('globalsign_root_r3')],
                            'bundled (Hongkong Post Root CA 3, GlobalSign Root CA - R3)')
    if trust == 'system':
        path = _system_bundle()
        if not path:
            raise HkpostError("trust=system: no CA bundle found on the controller (looked at the OpenSSL default "
                              "paths and /etc/ssl/certs/ca-certificates.crt); install ca-certificates or give "
                              "trust as a PEM file path.")
        description = 'system (%s)' % path
    else:
        path = os.path.expanduser(trust)
        if not os.path.isfile(path):
            raise HkpostError('trust=%s: no such file on the controller; give bundled, system, or the path of a PEM '
                              'file holding the trusted root certificates.' % trust)
        description = path
    with open(path, 'rb') as handle:
        data = handle.read()
    with warnings.catch_warnings():
        # System bundles carry a few old roots cryptography warns about (non-positive serials); they still load.
        warnings.simplefilter('ignore')
        return TrustAnchors(load_certificates(data, 'trust file %s' % path), description)


def check_endpoint(raw, index):
    """One ``endpoints`` entry, validated: ``{host, port, server_name}``; a clear error names the entry."""
    where = 'endpoints[%d]' % index
    if not isinstance(raw, dict):
        raise HkpostError('%s: expected a dictionary with host, port and server_name, got %r.' % (where, raw))
    host = raw.get('host')
    if not isinstance(host, str) or not host.strip():
        raise HkpostError('%s: no host; give the name or address to connect to (for an inventory host, its '
                          'ansible_host).' % where)
    port = raw.get('port')
    port = 443 if port in (None, '') else port
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise HkpostError('%s (%s): port %r is not a number; give 1-65535.' % (where, host, raw.get('port')))
    if not 1 <= port <= 65535:
        raise HkpostError('%s (%s): port %d is out of range; give 1-65535.' % (where, host, port))
    server_name = raw.get('server_name') or host
    starttls = raw.get('starttls')
    if starttls in (None, ''):
        starttls = DEFAULT_PORTS.get(port)
    elif not isinstance(starttls, str) or starttls.lower() not in PROTOCOLS + ('none',):
        raise HkpostError('%s (%s): starttls %r is not one of %s; give the protocol the port speaks before TLS, or '
                          'none for TLS from the first byte (465, 993, 995, 443).'
                          % (where, host, starttls, ', '.join(PROTOCOLS + ('none',))))
    else:
        starttls = None if starttls.lower() == 'none' else starttls.lower()
    inventory_name = raw.get('inventory_name')
    return {'host': host.strip(), 'port': port, 'server_name': str(server_name).strip(), 'starttls': starttls,
            'inventory_name': str(inventory_name).strip() if inventory_name else host.strip()}


def _name_matches(pattern, name):
    """RFC 6125 as browsers apply it: exact, or ``*`` as the whole leftmost label matching exactly one label."""
    pattern = a_label(pattern)
    if pattern == name:
        return True
    if not pattern.startswith('*.'):
        return False
    suffix = pattern[2:]
    if '*' in suffix or '.' not in suffix:  # no "*.hk", no nested wildcards
        return False
    head, dot, tail = name.partition('.')
    return bool(dot) and bool(head) and tail == suffix


def name_covered(cert, server_name):
    """Whether ``server_name`` (a host name or an IP address) is covered by ``cert``'s names."""
    try:
        address = ipaddress.ip_address(server_name.strip('[]'))
    except ValueError:
        address = None
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        san = None
    if address is not None:
        return bool(san) and address in san.get_values_for_type(x509.IPAddress)
    name = a_label(server_name)
    if san is not None:
        return any(_name_matches(pattern, name) for pattern in san.get_values_for_type(x509.DNSName))
    cn = common_name(cert.subject)  # legacy certificates without SAN
    return bool(cn) and _name_matches(cn, name)


def _display(name):
    """A certificate name for a message: its CN, or the whole name when it has none (never "None")."""
    return common_name(name) or name.rfc4514_string()


def _label(cert, role):
    return "%s '%s'" % (role, _display(cert.subject))


def _date(dt):
    return dt.strftime('%Y-%m-%d')


def _weak(cert):
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        return 'RSA %d-bit' % key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.key_size < MIN_EC_BITS:
        return 'EC %d-bit' % key.curve.key_size
    return None


class ChainJudge:
    """Analyses endpoints one after another, caching what repeats across a fleet (intermediates, roots)."""

    def __init__(self, anchors, now=None, warn_days=30):
        self.anchors = anchors
        self.now = now or datetime.datetime.now(datetime.timezone.utc)
        self.warn_days = warn_days
        self._ca = {}
        self._issued = {}

    # -- caches: a fleet sends the same few intermediates thousands of times, and each leaf often more than once
    def _load(self, der):
        # Leaves repeat too: one certificate on every port of an Exchange server, a wildcard on a farm.
        hit = self._ca.get(der)
        if hit is not None:
            return hit
        cert = x509.load_der_x509_certificate(der)
        info = cert_info(cert)
        if len(self._ca) < _CACHE_LIMIT:
            self._ca[der] = (cert, info)
        return cert, info

    def _issued_by(self, child, child_info, parent, parent_info):
        key = (child_info['sha256'], parent_info['sha256'])
        if key in self._issued:
            return self._issued[key]
        result = issued_by(child, parent)
        if len(self._issued) < _CACHE_LIMIT:
            self._issued[key] = result
        return result

    # -- the judgement ----------------------------------------------------------------------------------
    def judge(self, ders, server_name):
        """Findings for one chain; returns ``{'served', 'findings', 'verdict'}``."""
        parsed = []
        for position, der in enumerate(ders):
            try:
                parsed.append(self._load(bytes(der)))
            except ValueError as exc:
                finding = _finding('tls_error', 'certificate #%d sent by the server cannot be parsed (%s)'
                                   % (position + 1, str(exc).splitlines()[0]))
                return {'served': [info for _c, info in parsed], 'findings': [finding], 'verdict': 'error',
                        'not_after': None, 'days_left': None}
        certs = [c for c, _i in parsed]
        infos = [i for _c, i in parsed]
        findings = []

        leaf_index = next((i for i, info in enumerate(infos) if not info['is_ca']), 0)
        leaf, leaf_info = parsed[leaf_index]
        path, trusted, end_reason = self._build_path(parsed, leaf_index)

        if leaf_index != 0 or [i for i in path if i != -1] != sorted(i for i in path if i != -1):
            findings.append(_finding('wrong_order', 'the certificates are not sent in order (leaf first, then '
                                                    'each issuer): sent as %s' % self._order_text(infos)))
        findings.extend(self._trust_findings(certs, path, trusted, end_reason))
        findings.extend(self._extra_findings(certs, infos, path))

        for i, info in enumerate(infos):
            if info['role'] == 'intermediate' and info['generation'] == 'old':
                revoked = self.now.date() >= OLD_GENERATION_REVOKED_BY
                findings.append(_finding('old_intermediate', "the old %s (2017 generation, no EKU) is sent; "
                                         "Hongkong Post %s it %s - install the 2025 intermediate and remove the "
                                         "old one from the server's Intermediate store"
                                         % (_label(certs[i], 'intermediate'),
                                            'revoked' if revoked else 'revokes', 'before 2026-06-15')))
        findings.extend(self._validity_findings(certs, infos, path))

        if not name_covered(leaf, server_name):
            names = dns_names(leaf) or [common_name(leaf.subject) or '-']
            findings.append(_finding('name_mismatch', "the leaf does not cover '%s'; it is for %s"
                                     % (server_name, ', '.join(names[:5]) + (' ...' if len(names) > 5 else ''))))
        if not leaf_info['is_hkpost']:
            findings.append(_finding('not_hkpost', "the leaf is issued by '%s', not by a Hongkong Post CA"
                                     % _display(leaf.issuer)))
        for i in sorted(set(path) - {-1}):
            weak = _weak(certs[i])
            if weak:
                findings.append(_finding('weak_key', '%s has a %s key; at least RSA 2048-bit is required'
                                         % (_label(certs[i], 'the leaf' if i == leaf_index else 'the certificate'),
                                            weak)))
        if not findings:
            findings.append(_finding('ok', 'verifies from the chain as sent alone; no old intermediate; valid for %d '
                                           'more days' % (leaf.not_valid_after_utc - self.now).days))
        return {'served': infos, 'findings': findings, 'verdict': verdict_of(findings),
                'not_after': leaf_info['not_after'],
                'days_left': (leaf.not_valid_after_utc - self.now) // datetime.timedelta(days=1)}

    def _build_path(self, parsed, leaf_index):
        """Leaf, then the issuer *as sent* at each step, then a trust anchor (-1) if one signed the last.

        Sent certificates are preferred over anchors so that a sent cross certificate is part of the
        path, not an extra. Returns (path indices, trusted, reason the path stopped).
        """
        path, used = [leaf_index], {leaf_index}
        cert, info = parsed[leaf_index]
        while True:
            if info['self_signed'] and issued_by(cert, cert):
                return path, self.anchors.contains(cert), 'self_signed'
            nxt = next((j for j, (c, i) in enumerate(parsed)
                        if j not in used and c.subject == cert.issuer and self._issued_by(cert, info, c, i)), None)
            if nxt is None:
                if self.anchors.issuer_of(cert) is not None:
                    return path + [-1], True, 'anchor'
                return path, False, 'bad_signature' if self.anchors.knows_name(cert.issuer) else 'issuer_not_sent'
            path.append(nxt)
            used.add(nxt)
            cert, info = parsed[nxt]

    def _trust_findings(self, certs, path, trusted, reason):
        if trusted:
            return []
        end = certs[path[-1]]
        issuer = _display(end.issuer)
        if reason == 'self_signed':
            return [_finding('untrusted', "the chain as sent ends at '%s', which is not a trusted root (trust: %s)"
                             % (_display(end.subject), self.anchors.description))]
        if reason == 'bad_signature':
            return [_finding('untrusted', "'%s' names the trusted '%s' as issuer but its signature does not verify "
                             "with that root's key" % (_display(end.subject), issuer))]
        if len(path) == 1:
            return [_finding('missing_intermediate', "the leaf is sent without its issuer '%s'; browsers may fetch it "
                             "(AIA), OpenSSL/Python/Java clients fail with 'unable to get local issuer certificate' - "
                             "add the intermediate to the server's chain" % issuer, issuer=issuer)]
        return [_finding('untrusted', "the chain as sent ends at '%s', whose issuer '%s' is neither sent nor a "
                         "trusted root (trust: %s)" % (_display(end.subject), issuer, self.anchors.description))]

    def _extra_findings(self, certs, infos, path):
        extras = []
        for i, (cert, info) in enumerate(zip(certs, infos)):
            if info['self_signed'] and info['is_ca']:
                extras.append("the root '%s' itself (clients must already have it)" % _display(cert.subject))
            elif i not in path:
                extras.append("'%s' (not part of the chain to a trusted root)" % _display(cert.subject))
        if not extras:
            return []
        return [_finding('extra_certificates', 'the server sends %d certificate%s it should not: %s'
                         % (len(extras), '' if len(extras) == 1 else 's', '; '.join(extras)))]

    def _validity_findings(self, certs, infos, path):
        findings = []
        warn = datetime.timedelta(days=self.warn_days)
        for position, i in enumerate(j for j in path if j != -1):
            cert = certs[i]
            role = 'leaf' if position == 0 else 'intermediate'
            what = _label(cert, 'the ' + role)
            end, start = cert.not_valid_after_utc, cert.not_valid_before_utc
            if end < self.now:
                findings.append(_finding('expired', '%s expired on %s (%d days ago)'
                                         % (what, _date(end), (self.now - end).days), certificate=infos[i]['sha256'],
                                         role=role, days=(self.now - end).days))
            elif start > self.now:
                findings.append(_finding('not_yet_valid', '%s is not valid before %s'
                                         % (what, start.strftime('%Y-%m-%d %H:%M UTC'))))
            elif end - self.now <= warn:
                findings.append(_finding('expiring', '%s expires on %s (in %d days; warn_days %d)'
                                         % (what, _date(end), (end - self.now).days, self.warn_days),
                                         certificate=infos[i]['sha256'], role=role, days=(end - self.now).days))
            elif role == 'leaf' and self.now >= renew_after(start, end, self.warn_days):
                # The leaf's own lifetime decides too: a 199-day certificate is due two thirds in, long before
                # a fixed warn_days. Intermediates are Hongkong Post's to replace; warn_days alone covers them.
                findings.append(_finding('expiring', '%s expires on %s (in %d days): past two thirds of its %d-day '
                                         'lifetime, renew now to leave room for a retry'
                                         % (what, _date(end), (end - self.now).days, (end - start).days),
                                         certificate=infos[i]['sha256'], role=role, days=(end - self.now).days))
        return findings

    @staticmethod
    def _order_text(infos):
        return ' > '.join("'%s'" % (i['subject_cn'] or i['subject']) for i in infos)


def failed(code, cause, protocol=None):
    """The result of an endpoint that could not be audited (``protocol``: its STARTTLS protocol, if any)."""
    finding = _finding(code, cause, protocol=protocol)
    return {'served': [], 'findings': [finding], 'verdict': verdict_of([finding]), 'not_after': None,
            'days_left': None}


def summarise(endpoints):
    """Counts per verdict and per finding code, for the report header and the module result."""
    by_verdict = {v: 0 for v in reversed(VERDICTS)}
    by_code = {}
    for endpoint in endpoints:
        by_verdict[endpoint['verdict']] = by_verdict.get(endpoint['verdict'], 0) + 1
        for code in sorted({f['code'] for f in endpoint['findings']}):
            by_code[code] = by_code.get(code, 0) + 1
    return {'total': len(endpoints), 'by_verdict': by_verdict, 'by_code': by_code}
