# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The accepted ACME issuer: the one case where the intake takes a certificate Hongkong Post did not issue.

The portal mode stays strict: only a Hongkong Post e-Cert (Server) leaf of the production hierarchy is installed.
In ACME mode (``hkpost_issuance: acme``) the user's ACME CA may not be Hongkong Post (a lab, or a CA used until
Hongkong Post runs one), so its chain is accepted for a request only when every one of these holds - never "accept
anything":

1. the request's host is in ACME mode and has an explicit allow-list of issuers (``hkpost_acme_trusted_issuers``:
   PEM files of the issuing CA or its root), each a CA certificate;
2. the ACME phase recorded the file: the record beside it (``<file>.acme.json``, written by renew_acme.yml when the
   order was placed) names the ACME directory, the same host and the same key - a certificate of that CA saved into
   the folder by hand is not one the ACME phase ordered;
3. the leaf's signature verifies under an allowed issuer, directly or through CA certificates of the file's own
   chain, each link checked by signature (never by name), none of them expired;
4. the leaf is a server certificate: not a CA, and its EKU, when present, includes serverAuth.

The intermediates on that path (not the allowed certificates themselves, which the user trusts already) are what
Windows needs in LocalMachine\\CA to send the chain; the chain role puts them there (acme_intermediates).

The certificate that signed the leaf (``signer``) is what the retire rule groups the host's ACME certificates by
(install/_retire.py ``_issuer_group``: an older leaf is replaced only by a newer one of the same signing key). A
chain file holding only the leaf, signed directly by an allowed issuer, carries no CA certificate at all: the intake
then appends that issuer to the assignment's ``pem``, from which renew.yml builds hkpost_install's retire_issuers.
"""

from __future__ import annotations

import json
import os

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import (
    eku_names, is_ca, issued_by, not_after, sha256_hex)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificates

RECORD_SUFFIX = '.acme.json'
# RFC 5280 allows longer paths; an ACME CA's chains are one or two intermediates (Let's Encrypt: one, plus a cross).
MAX_DEPTH = 4


def record_name(chain_file):
    """The record renew_acme.yml writes beside ``chain_file`` (the intake skips .json files as certificates)."""
    return chain_file + RECORD_SUFFIX


def load_issuers(sources, now=None):
    """The allow-list as certificates, from ``sources`` = [(label, PEM or DER bytes)]; each must be a CA certificate."""
    issuers = []
    for label, data in sources:
        for cert in load_certificates(data, label):
            if not is_ca(cert):
                raise HkpostError('%s: %s is not a CA certificate (no basicConstraints CA:TRUE); '
                                  'hkpost_acme_trusted_issuers lists the PEM files of the ACME CA\'s issuing '
                                  'intermediate or root, never a server certificate.' % (label, cert.subject.rfc4514_string()))
            if now is not None and not_after(cert) <= now:
                raise HkpostError('%s: %s expired on %s; give the ACME CA\'s current certificate.'
                                  % (label, cert.subject.rfc4514_string(), not_after(cert).date().isoformat()))
            issuers.append(cert)
    return issuers


def read_records(folder):
    """{chain file name: record} for every ``*.acme.json`` of the intake folder; an unreadable one is kept as
    ``{'error': ...}`` so that its chain is refused with the reason."""
    records = {}
    if not os.path.isdir(folder):
        return records
    for name in sorted(os.listdir(folder)):
        if not name.endswith(RECORD_SUFFIX) or name.startswith('.'):
            continue
        try:
            with open(os.path.join(folder, name), encoding='utf-8') as handle:
                record = json.load(handle)
            if not isinstance(record, dict):
                raise ValueError('not a JSON object')
        except (OSError, ValueError) as e:
            record = {'error': '%s is unreadable (%s)' % (name, e)}
        records[name[:-len(RECORD_SUFFIX)]] = record
    return records


def trusted_path(leaf, chain, issuers, now):
    """The CA certificates from ``chain`` between ``leaf`` and an allowed issuer, each link a verified signature;
    ``None`` when there is no such path (or an intermediate on it has expired)."""
    allowed = {sha256_hex(c) for c in issuers}
    path, current = [], leaf
    for _depth in range(MAX_DEPTH + 1):
        if any(issued_by(current, anchor) for anchor in issuers):
            return path
        nxt = [c for c in chain if is_ca(c) and c not in path and c is not current and issued_by(current, c)
               and not_after(c) > now]
        if not nxt:
            return None
        current = nxt[0]
        if sha256_hex(current) in allowed:
            return path
        path.append(current)
    return None


def acme_decision(leaf, chain, info, request, file_name, issuers, record, now):
    """``{'refusal': why or None, 'intermediates': [certs], 'directory': URL}`` for a non-Hongkong Post ``leaf`` of
    ``file_name`` matched by key to ``request`` of a host in ACME mode; ``issuers`` is that host's allow-list."""
    decision = {'refusal': None, 'intermediates': [], 'signer': None,
                'directory': (record or {}).get('acme_directory')}
    if not issuers:
        decision['refusal'] = ('%s is in ACME mode but has no hkpost_acme_trusted_issuers: give the PEM file of the '
                               'ACME CA\'s issuing CA or root to accept its certificates.' % request['host'])
    elif record is None:
        decision['refusal'] = ('the ACME phase did not order it (no %s beside it): only a chain renew_acme.yml wrote '
                               'is accepted from a CA other than Hongkong Post.' % record_name(file_name))
    elif record.get('error'):
        decision['refusal'] = record['error'] + '; rerun the ACME phase (--tags acme) after removing both files.'
    elif (record.get('host') != request['host'] or not record.get('acme_directory')
          or (record.get('public_key_sha256') or '').replace(':', '').upper() != info['spki_sha256']):
        decision['refusal'] = ('its ACME record %s names host %s, key %s..., directory %s - not this request (%s, '
                               '%s...); remove both files and rerun the ACME phase.'
                               % (record_name(file_name), record.get('host'),
                                  (record.get('public_key_sha256') or '?')[:16].upper(), record.get('acme_directory'),
                                  request['host'], info['spki_sha256'][:16]))
    elif is_ca(leaf) or (eku_names(leaf) is not None and 'serverAuth' not in eku_names(leaf)):
        decision['refusal'] = 'it is not a TLS server certificate (a CA certificate, or no serverAuth EKU).'
    else:
        path = trusted_path(leaf, chain, issuers, now)
        if path is None:
            decision['refusal'] = ('it does not chain to an issuer of %s\'s hkpost_acme_trusted_issuers (%s) through '
                                   'the file\'s chain, by signature; is the allow-list this CA\'s current root?'
                                   % (request['host'], '; '.join(c.subject.rfc4514_string() for c in issuers)))
        else:
            decision['intermediates'] = path
            decision['signer'] = leaf_signer(leaf, chain, issuers)
    return decision


def leaf_signer(leaf, chain, issuers):
    """The CA certificate - of the file's chain, else of the allow-list - whose signature on ``leaf`` verifies, or
    None: the issuing key the retire rule compares (never the name)."""
    for cert in list(chain) + list(issuers):
        if is_ca(cert) and issued_by(leaf, cert):
            return cert
    return None
