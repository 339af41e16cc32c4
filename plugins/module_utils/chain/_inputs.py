# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checking what the operator (or a download) supplies for the chain, before any host is touched.

Each check answers one question - "is this really the new EV intermediate / the cross certificate /
a current ARL of Root CA 3?" - and refuses with a message saying what the file is instead and
where to get the right one.
"""

from __future__ import annotations

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography.hazmat.primitives import serialization
except ImportError as exc:
    serialization = MissingLibrary('cryptography', exc)

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import (
    classify, common_name, is_ca, issued_by, is_globalsign_r3, not_after, sha256_hex)

# Where Hongkong Post publishes what the collection does not ship (from the CA's guides).
OFFICIAL_URLS = {
    'ssl_intermediate': 'http://www1.ecert.gov.hk/root/ecert_ssl_ca_3-17_pem.crt',
    'ev_intermediate': 'http://www1.ecert.gov.hk/root/ecert_ev_ssl_ca_3-17_pem.crt',
    'cross_certificate': 'http://www1.ecert.gov.hk/root/root_ca_3_x_gsca_r3_pem.crt',
    'arl': 'http://crl1.eCert.gov.hk/crl/RootCA3ARL.crl',
}
CLOCK_SKEW = datetime.timedelta(minutes=10)


def _describe(cert):
    info = classify(cert)
    what = {'root': 'a root certificate', 'cross': 'a cross certificate', 'leaf': 'a leaf (server) certificate',
            'other': 'a certificate outside the Hongkong Post hierarchy'}.get(info['role'])
    if info['role'] == 'intermediate':
        what = 'the %s %s intermediate' % ('old (no EKU)' if info['generation'] == 'old' else 'new (EKU)',
                                           info['product'].upper())
    return '%s ("%s", SHA-256 %s)' % (what, common_name(cert.subject), sha256_hex(cert)[:16] + '...')


def _not_expired(cert, option, now):
    if not_after(cert) <= now:
        raise HkpostError('%s: %s expired on %s; download a current copy.'
                          % (option, _describe(cert), not_after(cert).date().isoformat()))


def check_root(cert, option='root_certificate_file', now=None):
    if classify(cert)['role'] != 'root':
        raise HkpostError('%s: expected Hongkong Post Root CA 3 (self-signed); this is %s.' % (option, _describe(cert)))
    # An expired root installed into Root anchors nothing (Windows does not build chains to it) while looking
    # done; the shipped Root CA 3 is valid until 2042, so leaving the option out is the usual fix.
    _not_expired(cert, option, now or utcnow())
    return cert


def check_new_intermediate(cert, product, root, option, now):
    """The new (EKU) intermediate of ``product`` (ssl/ev), issued by ``root``, still valid."""
    info = classify(cert)
    wanted = 'the new "Hongkong Post e-Cert %sSSL CA 3 - 17" (with the serverAuth EKU)' % ('EV ' if product == 'ev' else '')
    url = OFFICIAL_URLS[product + '_intermediate']
    if info['role'] != 'intermediate' or info['product'] != product:
        raise HkpostError('%s: expected %s; this is %s. Download it from %s.' % (option, wanted, _describe(cert), url))
    if info['generation'] != 'new':
        raise HkpostError('%s: this is the OLD intermediate (no EKU extension) - the one being removed, revoked before '
                          '2026-06-15. Download %s from %s.' % (option, wanted, url))
    if not issued_by(cert, root):
        raise HkpostError('%s: %s is not signed by %s.' % (option, _describe(cert), _describe(root)))
    _not_expired(cert, option, now)
    return cert


def check_cross(cert, root, option, now):
    """Root CA 3's own name and key, signed by GlobalSign Root CA - R3."""
    info = classify(cert)
    same_key = (cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
                == root.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    if info['role'] != 'cross' or cert.subject != root.subject or not same_key:
        raise HkpostError('%s: expected the cross certificate "Hongkong Post Root CA 3" issued by GlobalSign Root CA - '
                          'R3 (same name and key as Root CA 3); this is %s. Download it from %s.'
                          % (option, _describe(cert), OFFICIAL_URLS['cross_certificate']))
    if not is_globalsign_r3(cert.issuer):
        raise HkpostError('%s: this cross certificate is issued by "%s", not GlobalSign Root CA - R3.'
                          % (option, cert.issuer.rfc4514_string()))
    _not_expired(cert, option, now)
    return cert


def is_arl_of(crl, root):
    return crl.issuer == root.subject and crl.is_signature_valid(root.public_key())


def check_arl(crl, root, option, now):
    """An Authority Revocation List signed by ``root`` and not past its nextUpdate."""
    if crl.issuer != root.subject:
        raise HkpostError('%s: this CRL is issued by "%s", not by Hongkong Post Root CA 3; give RootCA3ARL.crl (%s).'
                          % (option, crl.issuer.rfc4514_string(), OFFICIAL_URLS['arl']))
    if not crl.is_signature_valid(root.public_key()):
        raise HkpostError('%s: this CRL names Hongkong Post Root CA 3 as issuer but is not signed by its key - a '
                          'damaged or forged file; download it again from %s.' % (option, OFFICIAL_URLS['arl']))
    # A thisUpdate in the future is a CRL from a wrong clock or a forged file; the plan would rank it above the
    # real current ARL (ranking is by CRL number, then thisUpdate) and replace that. A few minutes are allowed
    # for the controller's clock running behind the CA's.
    if crl.last_update_utc > now + CLOCK_SKEW:
        raise HkpostError('%s: this ARL says it was issued (thisUpdate) on %s, which is in the future for this '
                          'controller (now %s). Check the controller\'s clock, or download the ARL again from %s.'
                          % (option, crl.last_update_utc.strftime('%Y-%m-%d %H:%M UTC'), now.strftime('%Y-%m-%d %H:%M UTC'),
                             OFFICIAL_URLS['arl']))
    next_update = crl.next_update_utc
    if next_update is not None and next_update <= now:
        raise HkpostError('%s: this ARL expired on %s (nextUpdate); download the current one from %s.'
                          % (option, next_update.date().isoformat(), OFFICIAL_URLS['arl']))
    return crl


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def check_acme_intermediate(cert, option, now):
    """An intermediate of an accepted ACME issuer, as the intake returned it (acme_intermediates): a CA certificate,
    not self-signed (a root belongs in Root, by the user's choice), not of Hongkong Post (the rules above place
    those), not expired."""
    if not is_ca(cert) or cert.subject == cert.issuer or classify(cert)['is_hkpost']:
        raise HkpostError('%s: expected the intermediate of the ACME CA (a CA certificate that is not self-signed and '
                          'not Hongkong Post\'s, as hkpost_intake returns in acme_intermediates); this is %s.'
                          % (option, _describe(cert)))
    _not_expired(cert, option, now)
    return cert
