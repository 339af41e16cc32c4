# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the intermediate migration is decided: from a host's store contents to an ordered list of steps.

Input is what the chain_read payload saw (DER bytes per store, the CRLs in ``CA``, the
certificates with private keys); output is the plan the chain_apply payload executes, plus the
report (removed / added / disallowed / leaves / warnings) and a before/after view for diff.

Rules, in the order they protect the fleet:

1. The old (no-EKU) SSL and EV "... CA 3 - 17" leave ``CA`` (and ``Root``, where people
   misplace them) - but only when the new intermediate of the same product is already there or
   is added in the same write. Windows otherwise has no path for the leaves that still need one.
2. ``disallow`` also puts the old one in ``Disallowed`` (matched by hash, so the new one with
   the same name and key is unaffected) so automatic chain retrieval cannot bring it back.
3. What the fleet needs is added: the new intermediates, the cross certificate, Root CA 3 in
   ``Root``; any of those found in ``Disallowed`` is taken out of it.
4. The ARL: a newer one (CRL number, then thisUpdate) replaces older ones; the same or an older
   one is not imported.
5. Steps are ordered adds first, removals last, so a write that stops half-way never leaves a
   host with less than it had.
6. ACME mode: the intermediates of an accepted ACME issuer (install/_acme_issuer.py) are added to ``CA``, where
   Windows looks for them to send the chain; they are only ever added - never removed, never taken out of
   ``Disallowed`` (an operator's decision, said in a warning) - and the rules above do not look at them.
"""

from __future__ import annotations

import datetime
import hashlib

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
except ImportError as exc:
    x509 = serialization = MissingLibrary('cryptography', exc)

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import (
    classify, dns_names, issued_by, not_after, thumbprint)
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._inputs import is_arl_of

CERT_STORES = ('CA', 'Root', 'Disallowed')
REVOCATION_NOTE = 'revoked by Hongkong Post before 2026-06-15'


def crl_thumbprint(crl):
    """certutil -delstore matches a CRL by the SHA-1 of its encoding."""
    return hashlib.sha1(crl.public_bytes(serialization.Encoding.DER)).hexdigest().upper()  # nosec - identifier


def crl_number(crl):
    try:
        return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        return -1


def _crl_order(crl):
    return (crl_number(crl), crl.last_update_utc)


def _entry(cert, reason, store):
    info = classify(cert)
    return {'thumbprint': thumbprint(cert), 'subject': cert.subject.rfc4514_string(), 'role': info['role'],
            'generation': info['generation'], 'product': info['product'], 'store': store, 'reason': reason}


def _crl_entry(crl, reason, store='CA'):
    return {'thumbprint': crl_thumbprint(crl), 'subject': crl.issuer.rfc4514_string(), 'role': 'arl',
            'generation': None, 'product': None, 'store': store, 'reason': reason, 'crl_number': crl_number(crl),
            'this_update': crl.last_update_utc.strftime('%Y-%m-%dT%H:%M:%SZ')}


def _load_all(ders):
    return [x509.load_der_x509_certificate(d) for d in ders]


def _same_product_new_present(old, certs):
    return any(c.subject == old.subject and classify(c)['role'] == 'intermediate' and classify(c)['generation'] == 'new'
               for c in certs)


def _chains(leaf, ca_certs, root_certs, now):
    """Whether Windows can build leaf -> new intermediate -> a trusted root from these stores alone."""
    for inter in ca_certs:
        info = classify(inter)
        if info['role'] != 'intermediate' or info['generation'] != 'new' or not_after(inter) <= now:
            continue
        if not issued_by(leaf, inter):
            continue
        for anchor in root_certs:
            if issued_by(inter, anchor):
                return True
        # Through the cross certificate to GlobalSign Root CA - R3, for hosts without Root CA 3.
        for cross in ca_certs:
            if classify(cross)['role'] == 'cross' and issued_by(inter, cross):
                if any(issued_by(cross, anchor) for anchor in root_certs):
                    return True
    return False


def _view(certs_by_store, crls):
    """Hongkong Post entries per store (thumbprint + subject), for diff - never key material."""
    view = {}
    for store in CERT_STORES:
        view[store] = sorted('%s %s' % (thumbprint(c), c.subject.rfc4514_string()) for c in certs_by_store[store]
                             if classify(c)['is_hkpost'])
    view['CA (CRLs)'] = sorted('%s ARL #%s %s' % (crl_thumbprint(c), crl_number(c), c.issuer.rfc4514_string())
                               for c in crls)
    return view


def plan_chain(snapshot, wanted, old_intermediate='remove', install_root=True, warn_days=30, now=None):
    """Compute the migration for one host.

    ``snapshot``: {'CA': [der], 'Root': [der], 'Disallowed': [der], 'crls': [der],
    'keyed': [{'store': 'My', 'der': der}]}. ``wanted``: {'root': cert, 'intermediates': [cert],
    'cross': cert or None, 'arl': crl or None, 'acme_intermediates': [cert] (optional)} - already checked by
    _chain_inputs.
    Returns a dict with ``steps`` (ordered; adds carry the DER), ``removed``, ``added``,
    ``disallowed``, ``leaves``, ``warnings``, ``before`` and ``after``.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    stores = {name: _load_all(snapshot.get(name) or []) for name in CERT_STORES}
    crls = [x509.load_der_x509_crl(d) for d in snapshot.get('crls') or []]
    after = {name: list(certs) for name, certs in stores.items()}
    adds, disallows, removals, warnings = [], [], [], []

    def holds(store, cert):
        return any(thumbprint(cert) == thumbprint(c) for c in after[store])

    def add(store, cert, reason):
        if not holds(store, cert):
            adds.append(('add_cert', store, cert, _entry(cert, reason, store)))
            after[store].append(cert)

    def remove(store, cert, reason):
        removals.append(('remove_cert', store, cert, _entry(cert, reason, store)))
        after[store] = [c for c in after[store] if thumbprint(c) != thumbprint(cert)]

    # 3. what every host needs
    if install_root:
        add('Root', wanted['root'], 'Hongkong Post Root CA 3, the trust anchor of every e-Cert (Server)')
    for inter in wanted['intermediates']:
        add('CA', inter, 'new %s intermediate (serverAuth EKU), issuing since 2025-05-01' % classify(inter)['product'].upper())
    if wanted.get('cross') is not None:
        add('CA', wanted['cross'], 'cross certificate to GlobalSign Root CA - R3, for clients without Root CA 3')
    needed = [wanted['root']] + list(wanted['intermediates']) + ([wanted['cross']] if wanted.get('cross') else [])
    # 6. an accepted ACME issuer's intermediates
    for inter in wanted.get('acme_intermediates') or []:
        if any(thumbprint(inter) == thumbprint(c) for c in stores['Disallowed']):
            warnings.append('the ACME intermediate %s (%s) is in Disallowed on this host: Windows will not send it; '
                            'it was left there.' % (inter.subject.rfc4514_string(), thumbprint(inter)))
            continue
        add('CA', inter, 'intermediate of the accepted ACME issuer (hkpost_acme_trusted_issuers)')
    for cert in stores['Disallowed']:
        if any(thumbprint(cert) == thumbprint(n) for n in needed):
            remove('Disallowed', cert, 'needed for the chain; in Disallowed it makes Windows reject every leaf under it')

    # 1. and 2. the old intermediates
    for store in ('CA', 'Root'):
        for cert in stores[store]:
            info = classify(cert)
            if info['role'] != 'intermediate' or info['generation'] != 'old':
                continue
            if not _same_product_new_present(cert, after['CA']):
                warnings.append('kept the old %s intermediate %s in %s: the new one is neither installed nor supplied '
                                '(give %s or download: true); removing it now would leave no chain.'
                                % (info['product'].upper(), thumbprint(cert), store,
                                   'ev_intermediate_file' if info['product'] == 'ev' else 'ssl_intermediate_file'))
                continue
            remove(store, cert, 'old %s intermediate without the EKU extension, %s' % (info['product'].upper(), REVOCATION_NOTE))
            if old_intermediate == 'disallow' and not holds('Disallowed', cert):
                disallows.append(('add_cert', 'Disallowed', cert, _entry(
                    cert, 'so automatic chain retrieval cannot bring the old intermediate back', 'Disallowed')))
                after['Disallowed'].append(cert)

    # 4. the ARL
    crl_steps = []
    crls_after = list(crls)
    root = wanted['root']
    host_arls = [c for c in crls if is_arl_of(c, root)]
    arl = wanted.get('arl')
    if arl is not None:
        same = [c for c in host_arls if crl_thumbprint(c) == crl_thumbprint(arl) or _crl_order(c) == _crl_order(arl)]
        newer = [c for c in host_arls if _crl_order(c) > _crl_order(arl)]
        if newer and not same:
            best = max(newer, key=_crl_order)
            warnings.append('the ARL supplied (#%s, thisUpdate %s) is older than the one already in CA (#%s, thisUpdate '
                            '%s); the installed one is kept. Download the current ARL to replace it.'
                            % (crl_number(arl), arl.last_update_utc.date().isoformat(), crl_number(best),
                               best.last_update_utc.date().isoformat()))
        if not same and not newer:
            crl_steps.append(('add_crl', 'CA', arl, _crl_entry(arl, 'current ARL of Root CA 3')))
            crls_after.append(arl)
            for old in host_arls:
                crl_steps.append(('remove_crl', 'CA', old, _crl_entry(old, 'superseded by ARL #%s' % crl_number(arl))))
                crls_after = [c for c in crls_after if crl_thumbprint(c) != crl_thumbprint(old)]
    for c in crls_after:
        if c in host_arls and c.next_update_utc is not None and c.next_update_utc <= now:
            warnings.append('the ARL of Root CA 3 in CA (#%s) expired on %s; supply arl_file or download: true.'
                            % (crl_number(c), c.next_update_utc.date().isoformat()))

    # what the keyed certificates look like with the stores as they will be
    leaves = []
    for item in snapshot.get('keyed') or []:
        leaf = x509.load_der_x509_certificate(item['der'])
        info = classify(leaf)
        if info['role'] != 'leaf' or not info['is_hkpost']:
            continue
        chains = _chains(leaf, after['CA'], after['Root'], now)
        entry = {'thumbprint': thumbprint(leaf), 'subject': leaf.subject.rfc4514_string(), 'store': item['store'],
                 'dns_names': dns_names(leaf), 'not_after': not_after(leaf).strftime('%Y-%m-%dT%H:%M:%SZ'),
                 'issued_under': info['generation'], 'product': info['product'], 'hierarchy': info['hierarchy'],
                 'chains': chains}
        leaves.append(entry)
        label = '%s (%s, %s)' % (entry['subject'], entry['thumbprint'], item['store'])
        if not_after(leaf) <= now:
            warnings.append('leaf %s expired on %s: replace it.' % (label, not_after(leaf).date().isoformat()))
        elif not_after(leaf) - now <= datetime.timedelta(days=warn_days):
            warnings.append('leaf %s expires on %s, within %d days: renew it.'
                            % (label, not_after(leaf).date().isoformat(), warn_days))
        if info['generation'] == 'old':
            warnings.append('leaf %s was issued before 2025-05-01 under the old intermediate: re-issue it.' % label)
        if not chains and not_after(leaf) > now:
            warnings.append('leaf %s does not chain to a trusted root through a new intermediate on this host.' % label)
        if info['hierarchy'] == 'trial':
            warnings.append('leaf %s is from the Hongkong Post TRIAL hierarchy: browsers do not trust it.' % label)

    # 5. adds first, removals last
    ordered = adds + disallows + [s for s in crl_steps if s[0] == 'add_crl'] + removals + \
        [s for s in crl_steps if s[0] == 'remove_crl']
    steps = []
    for op, store, obj, entry in ordered:
        step = {'op': op, 'store': store, 'thumbprint': entry['thumbprint'], 'subject': entry['subject'],
                'reason': entry['reason']}
        if op.startswith('add'):
            step['der'] = obj.public_bytes(serialization.Encoding.DER)
        steps.append(step)
    return {
        'steps': steps,
        'added': [e for op, store, _o, e in adds + [s for s in crl_steps if s[0] == 'add_crl']],
        'removed': [e for _op, _s, _o, e in removals + [s for s in crl_steps if s[0] == 'remove_crl']],
        'disallowed': [e for _op, _s, _o, e in disallows],
        'leaves': leaves,
        'warnings': warnings,
        'before': _view(stores, crls),
        'after': _view(after, crls_after),
    }
