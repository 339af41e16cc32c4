# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intake: issued certificates dropped into one folder, matched to pending requests by public key.

The portal session produces files with whatever names the browser gives them, PEM or DER, the leaf alone
or with the chain pasted after it. A certificate belongs to the request whose key it carries, so the match
is the SubjectPublicKeyInfo SHA-256 that hkpost_csr returned when the request was made (and the submission
sheet recorded) - never the file name, never a path in the inventory.

Everything is decided before anything is installed. Each finding has a ``kind``:

errors (the file is refused, the request waits):
  ``unreadable``     not a certificate file (a key, a CSR, garbage), or only CA certificates, or two leaves;
  ``expired``        the certificate has expired;
  ``not_hkpost``     not issued by a Hongkong Post intermediate (or issued by the trial hierarchy) - unless the
                     request's host is in ACME mode and the chain passes the accepted ACME issuer rule
                     (install/_acme_issuer.py), whose reason is then given;
  ``old_intermediate`` issued before 2025-05-01, i.e. under the old (no-EKU) intermediate being revoked;
  ``names``          names other than requested (an extra name, or the requested name missing);
  ``conflict``       two different certificates for one request: which one to install is a person's call;
warnings (nothing refused):
  ``no_match``       matches no pending request of the sheet (a stray download, another team's certificate, or one
                     installed in an earlier cycle whose request has left the sheet) - said as such, never
                     "installed nowhere", which the intake cannot know;
  ``other_host``     matches the request of a host outside this run (--limit): left for a run that includes it;
  ``duplicate``      the same certificate in two files (one copy is used, the one carrying the chain);
  ``not_yet_valid``  valid from a later date;
  ``chain_old_intermediate`` the appended chain carries the old intermediate (the chain role installs the
                     new one; the file's chain is not installed);
and requests with no file yet are listed as ``waiting`` (not issued yet: the next run picks them up).
"""

from __future__ import annotations

import csv
import io
import os
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import CertificateInputError, HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography.hazmat.primitives import serialization
except ImportError as exc:
    serialization = MissingLibrary('cryptography', exc)

from ansible_collections.hkpost.ecert.plugins.module_utils.install._acme_issuer import acme_decision
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import (
    is_expired, is_not_yet_valid, names, split_leaf, utcnow)

MULTI_DOMAIN_TYPES = ('multi_domain', 'ev_multi_domain')
ERRORS = ('unreadable', 'expired', 'not_hkpost', 'old_intermediate', 'names', 'conflict')
WARNINGS = ('no_match', 'other_host', 'duplicate', 'not_yet_valid', 'chain_old_intermediate')
# Files the folder may hold beside certificates, never read as one (the sheet, reports, CSRs, keys, backups).
IGNORED_SUFFIXES = ('.csv', '.json', '.yml', '.yaml', '.csr', '.req', '.pfx', '.p12', '.key')
_SHEET_FIELDS = ('host', 'common_name', 'certificate_type', 'public_key_sha256')


_HEX64 = re.compile(r'^[0-9A-F]{64}$')


def _is_check_mode_row(spki):
    """A row request.yml wrote in check mode, before the key existed: empty, or the "(check mode)" marker."""
    return not spki or 'CHECK MODE' in spki


def _spki(value):
    return (value or '').replace(':', '').strip().upper()


def read_sheet(text, what='submission sheet'):
    """Requests from the submission sheet request.yml writes (CSV with a header row).

    Required columns: host, common_name, public_key_sha256; optional: certificate_type, names (the names
    applied for, space separated), pending_thumbprint. Rows made in check mode (no key yet) are skipped.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip('\ufeff')))
    missing = [f for f in ('host', 'common_name', 'public_key_sha256') if f not in (reader.fieldnames or [])]
    if missing:
        found = ', '.join(reader.fieldnames or []) or 'nothing'
        raise HkpostError('%s: the header row lacks %s (it has %s); give the submission.csv request.yml or '
                          'renew.yml --tags request wrote.' % (what, ', '.join(missing), found))
    requests = []
    owners = {}
    for row in reader:
        spki = _spki(row.get('public_key_sha256'))
        if not row.get('host') or _is_check_mode_row(spki):
            continue
        line = reader.line_num
        if not _HEX64.match(spki):
            raise HkpostError('%s, line %d (%s, %s): public_key_sha256 "%s" is not 64 hexadecimal digits, so no '
                              'certificate could ever be matched to this request; restore the row from the sheet '
                              'request.yml wrote (or rerun request.yml for that host, which writes it again).'
                              % (what, line, row['host'].strip(), (row.get('common_name') or '').strip(),
                                 row.get('public_key_sha256')))
        host = row['host'].strip()
        if owners.setdefault(spki, (host, line))[0] != host:
            raise HkpostError('%s, line %d: the public key %s... is listed for %s (line %d) and for %s; a key is made '
                              'on one host and never leaves it, so one of the rows is wrong. Correct the sheet (or '
                              'rerun request.yml for those hosts) before the intake.'
                              % (what, line, spki[:16], owners[spki][0], owners[spki][1], host))
        requests.append({'host': host, 'common_name': (row.get('common_name') or '').strip().lower(),
                         'certificate_type': (row.get('certificate_type') or 'standard').strip(),
                         'public_key_sha256': spki,
                         'names': (row.get('names') or '').split(),
                         'pending_thumbprint': (row.get('pending_thumbprint') or '').strip().upper() or None})
    return requests


def normalize_requests(requests):
    """Requests given as data (a module option, the hosts' pending stores): same shape as read_sheet's."""
    found = []
    for index, raw in enumerate(requests or []):
        spki = _spki(raw.get('public_key_sha256'))
        if not raw.get('host') or not _HEX64.match(spki):  # read_sheet's rule: 64 non-hex characters never match
            raise HkpostError('requests[%d] needs host and public_key_sha256 (64 hexadecimal digits, as hkpost_csr '
                              'returns it); got %r.' % (index, {k: raw.get(k) for k in ('host', 'public_key_sha256')}))
        found.append({'host': raw['host'], 'common_name': (raw.get('common_name') or '').lower(),
                      'certificate_type': raw.get('certificate_type') or 'standard', 'public_key_sha256': spki,
                      'names': [n.lower() for n in raw.get('names') or []],
                      'pending_thumbprint': (raw.get('pending_thumbprint') or '').upper() or None})
    return found


def merge_requests(*sources):
    """One request per (host, SPKI); later sources fill in what earlier ones lacked."""
    merged = {}
    for source in sources:
        for request in source:
            key = (request['host'], request['public_key_sha256'])
            if key in merged:
                for field, value in request.items():
                    if value and not merged[key].get(field):
                        merged[key][field] = value
            else:
                merged[key] = dict(request)
    return list(merged.values())


def requested_names(request):
    """The names the request applied for, and the extra names the CA may add without being asked."""
    wanted = [n.lower() for n in request.get('names') or []]
    if request.get('common_name') and request['common_name'] not in wanted:
        wanted.insert(0, request['common_name'])
    allowed = set(wanted)
    for name in wanted:
        if name.startswith('*.'):
            allowed.add(name[2:])  # a wildcard certificate also names its base domain
    return wanted, allowed


def names_problem(info, request):
    """Why ``info``'s names are not what ``request`` asked for, or None."""
    wanted, allowed = requested_names(request)
    served = names(info)
    missing = [n for n in wanted if n not in served]
    extra = [n for n in served if n not in allowed]
    if request.get('certificate_type') in MULTI_DOMAIN_TYPES and len(wanted) <= 1:
        extra = []  # the CA adds the other names from the application form; the sheet does not list them
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append('lacks %s' % ', '.join(missing))
    if extra:
        parts.append('also names %s' % ', '.join(extra))
    return ('it names %s but the request was for %s: it %s'
            % (', '.join(served) or 'nothing', ', '.join(wanted) or '?', ' and '.join(parts)))


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode('ascii')


def _finding(kind, message, file=None, info=None, request=None):
    finding = {'kind': kind, 'severity': 'error' if kind in ERRORS else 'warning', 'file': file, 'message': message}
    if info:
        finding.update(subject=info['subject'], public_key_sha256=info['spki_sha256'], thumbprint=info['sha1'])
    if request:
        finding.update(host=request['host'], common_name=request['common_name'])
    return finding


def _label(request):
    return '%s on %s' % (request['common_name'] or request['public_key_sha256'][:16], request['host'])


def read_file(name, data):
    """(leaf, chain, None) for one intake file, or (None, None, finding) when it is not one issued certificate."""
    try:
        leaf, chain = split_leaf(data, name)
    except CertificateInputError as e:
        return None, None, _finding('unreadable', '%s; the file is ignored.' % e, file=name)
    return leaf, chain, None


def _refusal(info, request, now, acme=None):
    """The first reason ``info`` must not be installed for ``request``, as (kind, message), or None.

    ``acme``: for a host in ACME mode, acme_decision's answer about this file (None: the portal mode, where only
    Hongkong Post's production hierarchy is accepted)."""
    who = 'for %s' % _label(request)
    if is_expired(info, now):
        return 'expired', 'the certificate %s expired on %s; apply again.' % (who, info['not_after'])
    hkpost = info['is_hkpost'] and info['role'] == 'leaf' and info['hierarchy'] == 'production'
    if not hkpost and (acme is None or acme['refusal']):
        return 'not_hkpost', ('the certificate %s was issued by "%s", not by a Hongkong Post e-Cert (Server) '
                              'intermediate of the production hierarchy%s' % (
                                  who, info['issuer'], '; as an ACME certificate it is refused: %s' % acme['refusal']
                                  if acme else '.'))
    if hkpost and info['generation'] == 'old':
        return 'old_intermediate', ('the certificate %s was issued on %s, under the old (no-EKU) "e-Cert SSL CA 3 - '
                                    '17" that Hongkong Post revokes before 2026-06-15; ask for a re-issue.'
                                    % (who, info['not_before']))
    problem = names_problem(info, request)
    if problem:
        return 'names', 'the certificate %s: %s. Check the application with Hongkong Post.' % (who, problem)
    return None


def match_intake(files, requests, now=None, hosts=None, acme=None):
    """Match intake ``files`` ([{'name', 'data'}]) to pending ``requests`` (read_sheet's shape) of ``hosts``
    (default every host): a file for a request of another host is reported as ``other_host``, not matched.

    ``acme``: ``{'issuers': {host: [CA certificates]}, 'records': {file name: record}}`` - the hosts in ACME mode
    with their allow-lists, and the records the ACME phase wrote (_acme_issuer.read_records); default none: every
    host is in the portal mode. A certificate accepted by the ACME rule also carries ``issuer: acme``,
    ``acme_directory`` and ``acme_intermediates`` (PEM of the CA certificates Windows needs in LocalMachine\\CA).

    Returns ``{'assignments': {host: [certificate, ...]}, 'findings': [...], 'waiting': [...],
    'files': N}``. A certificate carries host, common_name, certificate_type, public_key_sha256,
    pending_thumbprint, thumbprint, sha256, subject, names, not_after, file, files, chain (subjects) and
    ``pem`` (the leaf followed by the file's chain, for hkpost_complete_request / exchange_cert content).
    """
    now = now or utcnow()
    acme = acme or {}
    acme_issuers = acme.get('issuers') or {}
    by_spki, elsewhere = {}, {}
    for request in requests:
        mine = hosts is None or request['host'] in hosts
        (by_spki if mine else elsewhere).setdefault(request['public_key_sha256'], []).append(request)
    findings = []
    candidates = {}  # spki -> [(file name, leaf, chain, info)]
    for entry in sorted(files, key=lambda f: f['name']):
        leaf, chain, problem = read_file(entry['name'], entry['data'])
        if problem:
            findings.append(problem)
            continue
        info = cert_info(leaf)
        if info['spki_sha256'] in elsewhere:
            other = elsewhere[info['spki_sha256']][0]
            findings.append(_finding('other_host', '%s: the certificate for %s, a host outside this run (--limit); '
                                     'it is left for a run that includes %s.' % (entry['name'], _label(other),
                                                                                 other['host']),
                                     file=entry['name'], info=info, request=other))
            continue
        if info['spki_sha256'] not in by_spki:
            findings.append(_finding('no_match', '%s: %s [SPKI SHA-256 %s] matches no pending request of the '
                                     'submission sheet (a stray download, another team\'s certificate, or one '
                                     'installed in an earlier cycle, whose request has left the sheet); nothing is '
                                     'done with it.' % (entry['name'], info['subject'], info['spki_sha256']),
                                     file=entry['name'], info=info))
            continue
        candidates.setdefault(info['spki_sha256'], []).append((entry['name'], leaf, chain, info))

    assignments = {}
    waiting = []
    for spki, spki_requests in by_spki.items():
        found = candidates.get(spki, [])
        if not found:
            waiting.extend({k: r[k] for k in ('host', 'common_name', 'public_key_sha256')} for r in spki_requests)
            continue
        for request in spki_requests:
            accepted = []
            for name, leaf, chain, info in found:
                decision = None
                if request['host'] in acme_issuers and not info['is_hkpost']:
                    decision = acme_decision(leaf, chain, info, request, name, acme_issuers[request['host']],
                                             (acme.get('records') or {}).get(name), now)
                refusal = _refusal(info, request, now, decision if request['host'] in acme_issuers else None)
                if refusal:
                    findings.append(_finding(refusal[0], '%s: %s' % (name, refusal[1]), file=name, info=info,
                                             request=request))
                else:
                    accepted.append((name, leaf, chain, info, decision))
            distinct = sorted({a[3]['sha256'] for a in accepted})
            if len(distinct) > 1:
                findings.append(_finding(
                    'conflict', 'files %s hold %d different certificates for the one request %s (thumbprints %s); '
                    'none is installed. Keep the one to install in the folder and move the other away.'
                    % (', '.join(a[0] for a in accepted), len(distinct), _label(request),
                       ', '.join(sorted({a[3]['sha1'] for a in accepted}))), request=request))
                continue
            if not accepted:
                continue
            # The same certificate in several files: use the copy carrying the most chain, then the first name.
            accepted.sort(key=lambda a: (-len(a[2]), a[0]))
            name, leaf, chain, info, decision = accepted[0]
            if len(accepted) > 1:
                findings.append(_finding('duplicate', 'files %s hold the same certificate for %s; %s is used.'
                                         % (', '.join(sorted(a[0] for a in accepted)), _label(request), name),
                                         file=name, info=info, request=request))
            if is_not_yet_valid(info, now):
                findings.append(_finding('not_yet_valid', '%s: the certificate for %s is valid from %s only.'
                                         % (name, _label(request), info['not_before']), file=name, info=info,
                                         request=request))
            old = [c for c in chain if cert_info(c)['role'] == 'intermediate' and cert_info(c)['generation'] == 'old']
            if old:
                findings.append(_finding('chain_old_intermediate', '%s: the chain appended to the certificate for %s '
                                         'carries the old (no-EKU) intermediate; it is not installed (the chain role '
                                         'installs the new one).' % (name, _label(request)), file=name, info=info,
                                         request=request))
            kept_chain = [c for c in chain if cert_info(c)['generation'] != 'old']
            # A leaf-only ACME chain file: the allowed issuer that signed the leaf follows it in pem, so that pem names
            # the signing key - renew.yml builds retire_issuers from it (see _acme_issuer's docstring).
            signer = decision['signer'] if decision else None
            appended = [signer] if signer is not None and signer not in kept_chain else []
            assignment = {
                'host': request['host'], 'common_name': request['common_name'] or info['subject_cn'],
                'certificate_type': request['certificate_type'], 'public_key_sha256': spki,
                'pending_thumbprint': request.get('pending_thumbprint'), 'thumbprint': info['sha1'],
                'sha256': info['sha256'], 'subject': info['subject'], 'names': names(info),
                'not_after': info['not_after'], 'file': name, 'files': sorted(a[0] for a in accepted),
                'chain': [cert_info(c)['subject_cn'] for c in kept_chain],
                'pem': _pem(leaf) + ''.join(_pem(c) for c in kept_chain + appended),
                'issuer': 'acme' if decision else 'hkpost'}
            if decision:
                assignment.update(acme_directory=decision['directory'],
                                  acme_intermediates=[_pem(c) for c in decision['intermediates']])
            assignments.setdefault(request['host'], []).append(assignment)
    for host_certs in assignments.values():
        host_certs.sort(key=lambda c: c['common_name'])
    findings.sort(key=lambda f: (f['severity'] != 'error', f['kind'], f.get('file') or '', f.get('host') or ''))
    waiting.sort(key=lambda w: (w['host'], w['common_name']))
    return {'assignments': assignments, 'findings': findings, 'waiting': waiting, 'files': len(files)}


def list_intake(folder):
    """The files of the intake folder to read: regular files, not hidden, not sheets or keys, sorted."""
    if not os.path.isdir(folder):
        raise HkpostError('intake folder %s does not exist; create it and put the certificates downloaded from the '
                          'Hongkong Post portal in it (any names, PEM or DER).' % folder)
    found = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith('.') or not os.path.isfile(path) or name.lower().endswith(IGNORED_SUFFIXES):
            continue
        with open(path, 'rb') as f:
            found.append({'name': name, 'data': f.read()})
    return found


SHEET_COLUMNS = ('host', 'common_name', 'certificate_type', 'public_key_sha256', 'csr_file', 'names',
                 'pending_thumbprint')


def write_sheet(rows, existing_text=None, replaced_hosts=()):
    """The submission sheet as CSV text: ``rows`` (dicts with SHEET_COLUMNS), plus the rows of
    ``existing_text`` for hosts not in ``replaced_hosts`` - so a host that failed or was not part of this run
    keeps its pending requests in the sheet, and the intake can still match them (resumable)."""
    kept = []
    if existing_text:
        reader = csv.DictReader(io.StringIO(existing_text.lstrip('\ufeff')))
        kept = [r for r in reader if r.get('host') and r['host'] not in set(replaced_hosts)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SHEET_COLUMNS, extrasaction='ignore', lineterminator='\n')
    writer.writeheader()
    for row in sorted(kept + list(rows), key=lambda r: (r['host'], r['common_name'])):
        writer.writerow({k: row.get(k) or '' for k in SHEET_COLUMNS})
    return out.getvalue()
