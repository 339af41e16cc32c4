# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of a host's pending requests still need an ACME order: the submission sheet's rows without a certificate
in the intake folder.

The intake file is named after the request's public key, so it is the run's memory: a rerun after a failure
(the CA restarted, a challenge it could not see) orders exactly the requests not yet issued, and a request made
later (a new key) is never mistaken for one already issued. Orders themselves are not remembered: an ACME
server may forget them (Pebble on restart, or an order that expired) and a fresh order is always valid.
"""

from __future__ import annotations

import csv
import io
import posixpath

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._acme_issuer import record_name


def intake_name(host, file_name, public_key_sha256):
    return 'acme-%s-%s-%s.pem' % (host, file_name, public_key_sha256.lower()[:16])


def pending_orders(sheet_text, host, intake_dir, intake_files, file_name):
    """[{common_name, csr_file, names, public_key_sha256, dest, record}] for ``host``; ``file_name`` makes a name
    file-safe. ``record`` is where the ACME phase notes which directory the order went to (the intake accepts a
    CA other than Hongkong Post only for a chain so recorded: install/_acme_issuer.py)."""
    reader = csv.DictReader(io.StringIO((sheet_text or '').lstrip('\ufeff')))
    missing = [f for f in ('host', 'common_name', 'public_key_sha256', 'csr_file') if f not in (reader.fieldnames or [])]
    if sheet_text and missing:
        raise HkpostError('ACME orders: the submission sheet lacks %s; it must be the submission.csv renew.yml '
                          '--tags request wrote' % ', '.join(missing))
    have = {posixpath.basename(str(f)) for f in intake_files or []}
    orders = []
    for row in reader:
        spki = (row.get('public_key_sha256') or '').strip()
        if (row.get('host') or '').strip() != host or not spki or not row.get('csr_file'):
            continue  # another host's row, or a dry run's (no key yet)
        name = intake_name(host, file_name(row['common_name'].strip()), spki)
        if name in have:
            continue
        orders.append({'common_name': row['common_name'].strip(), 'csr_file': row['csr_file'].strip(),
                       'names': (row.get('names') or '').split(), 'public_key_sha256': spki,
                       'dest': posixpath.join(intake_dir, name),
                       'record': posixpath.join(intake_dir, record_name(name))})
    return orders


def order_problems(info_results):
    """What the CA said about each order that did not become valid, from ``acme_certificate_order_info`` results:
    ``['www.example.com.hk (dns-01): urn:ietf:params:acme:error:unauthorized - <the CA's detail>', ...]``."""
    problems = []
    for result in info_results or []:
        order, found = result.get('order') or {}, []
        for identifier, authz in sorted((result.get('authorizations_by_identifier') or {}).items()):
            if authz.get('status') == 'valid':
                continue
            name = identifier.split(':', 1)[-1]
            errors = ['%s (%s): %s - %s' % (name, c.get('type'), (c.get('error') or {}).get('type', 'error'),
                                            (c.get('error') or {}).get('detail', ''))
                      for c in authz.get('challenges') or [] if c.get('error')]
            found.extend(errors or ['%s: authorization %s' % (name, authz.get('status'))])
        if not found and order.get('error'):
            found.append('order %s: %s - %s' % (order.get('status'), order['error'].get('type'),
                                                order['error'].get('detail')))
        elif not found and order.get('status') == 'invalid':
            # RFC 8555 7.1.6: a pending order past "expires" becomes invalid without an error of its own.
            found.append('order invalid (expired: %s)' % order.get('expires'))
        problems.extend(found)
    return problems
