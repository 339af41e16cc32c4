# -*- coding: utf-8 -*-
"""A test PKI that mirrors the real Hongkong Post hierarchy, built with ``cryptography``.

Same names and extensions as the real certificates, different keys:

    GlobalSign Root CA - R3 (test) --cross--> Hongkong Post Root CA 3 (test, self-signed too)
    Hongkong Post Root CA 3 --> "Hongkong Post e-Cert SSL CA 3 - 17"    old (no EKU) and new (serverAuth), ONE key
                            --> "Hongkong Post e-Cert EV SSL CA 3 - 17" old and new, ONE key
    leaves: standard, multi-domain, wildcard, Chinese IDN, EV, expired, expiring, under old, under new
    ARLs signed by Root CA 3 (current, older, expired) and one signed by a stranger
    a trial hierarchy and a foreign CA

Validity is set relative to ``now`` so the suite does not rot with the calendar, except where
the date itself is the point (leaves issued before 2025-05-01 are "under old").

``label`` prefixes every organisation name ("LAB ") for the demo lab, so a lab certificate can
never be mistaken for a real one.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = datetime.timezone.utc
DAY = datetime.timedelta(days=1)
IDN_UNICODE = '香港郵政.hk'
IDN_ASCII = 'xn--5bvv2rbn4a0hh.hk'

_KEY_CACHE = {}


def rsa_key(bits=2048, slot=None):
    """RSA keys are the slow part; a named slot is generated once per process."""
    if slot is None:
        return rsa.generate_private_key(public_exponent=65537, key_size=bits)
    if (slot, bits) not in _KEY_CACHE:
        _KEY_CACHE[(slot, bits)] = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return _KEY_CACHE[(slot, bits)]


def hk_name(cn, label=''):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, 'HK'),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, 'Hong Kong'),
        x509.NameAttribute(NameOID.LOCALITY_NAME, 'Hong Kong'),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, label + 'Hongkong Post'),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def globalsign_name(label=''):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, 'GlobalSign Root CA - R3'),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, label + 'GlobalSign'),
        x509.NameAttribute(NameOID.COMMON_NAME, 'GlobalSign'),
    ])


@dataclass
class Issued:
    cert: x509.Certificate
    key: object

    @property
    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM).decode('ascii')

    @property
    def der(self):
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def key_pem(self):
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode('ascii')

    @property
    def thumbprint(self):
        return self.cert.fingerprint(hashes.SHA1()).hex().upper()


def _ski(key):
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key())


def make_cert(subject, key, issuer_name, issuer_key, not_before, not_after, *, ca, pathlen=None, eku=None,
              sans=None, serial=None, ip_sans=None):
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer_name)
               .public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen if ca else None), critical=True)
               .add_extension(_ski(key), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=True, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    general = [x509.DNSName(n) for n in (sans or [])] + [x509.IPAddress(ipaddress.ip_address(a)) for a in (ip_sans or [])]
    if general:
        builder = builder.add_extension(x509.SubjectAlternativeName(general), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class TestPKI:
    now: datetime.datetime
    label: str
    globalsign: Issued = None
    root: Issued = None
    cross: Issued = None
    ssl_old: Issued = None
    ssl_new: Issued = None
    ev_old: Issued = None
    ev_new: Issued = None
    trial_root: Issued = None
    trial_ssl: Issued = None
    foreign_root: Issued = None
    leaves: dict = field(default_factory=dict)
    arl: x509.CertificateRevocationList = None
    arl_older: x509.CertificateRevocationList = None
    arl_expired: x509.CertificateRevocationList = None
    arl_foreign: x509.CertificateRevocationList = None

    def issue_leaf(self, cn, issuer=None, sans=None, not_before=None, not_after=None, key=None, bits=2048,
                   ip_sans=None, slot=None):
        """A server certificate; ``issuer`` defaults to the new SSL intermediate."""
        issuer = issuer or self.ssl_new
        key = key or rsa_key(bits, slot=slot)
        not_before = not_before or self.now - 30 * DAY
        not_after = not_after or not_before + 199 * DAY
        cert = make_cert(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, 'HK'),
                                    x509.NameAttribute(NameOID.LOCALITY_NAME, 'Hong Kong'),
                                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.label + 'Example Ltd'),
                                    x509.NameAttribute(NameOID.COMMON_NAME, cn)]),
                         key, issuer.cert.subject, issuer.key, not_before, not_after, ca=False,
                         eku=[ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH],
                         sans=sans if sans is not None else [cn], ip_sans=ip_sans)
        return Issued(cert, key)

    def leaf_issued_at(self, when, issuer=None, cn='dated.example.hk'):
        """A leaf whose notBefore is exactly ``when`` (the 2025-05-01T00:00Z generation cut-off)."""
        return self.issue_leaf(cn, issuer=issuer, not_before=when, not_after=max(when, self.now) + 90 * DAY,
                               slot=self.label + 'leaf-dated')

    def inspection_intermediate(self):
        """What a TLS-inspection box sends: Hongkong Post's intermediate name, its own key, its own root."""
        key = rsa_key(slot=self.label + 'inspection')
        cert = make_cert(hk_name('Hongkong Post e-Cert SSL CA 3 - 17', self.label), key,
                         self.foreign_root.cert.subject, self.foreign_root.key, self.now - 30 * DAY,
                         self.now + 365 * DAY, ca=True, pathlen=0, eku=[ExtendedKeyUsageOID.SERVER_AUTH])
        return Issued(cert, key)

    def impostor_root(self, bad_signature=False):
        """A self-issued "Hongkong Post Root CA 3" with another key; with ``bad_signature`` its
        signature is made by yet another key, so it does not even verify against itself."""
        key = rsa_key(slot=self.label + 'impostor-root')
        signer = rsa_key(slot=self.label + 'impostor-signer') if bad_signature else key
        cert = make_cert(self.root.cert.subject, key, self.root.cert.subject, signer,
                         self.now - 400 * DAY, self.now + 3650 * DAY, ca=True)
        return Issued(cert, key)

    def impostor_cross(self, signer=None):
        """A cross certificate with Root CA 3's name but another key, signed by GlobalSign R3 (or ``signer``)."""
        key = rsa_key(slot=self.label + 'impostor-root')
        signer = signer or self.globalsign
        cert = make_cert(self.root.cert.subject, key, signer.cert.subject, signer.key,
                         self.now - 400 * DAY, self.now + 3650 * DAY, ca=True)
        return Issued(cert, key)

    def cross_signed_by(self, signer):
        """Root CA 3's name and key, cross-signed by ``signer`` instead of GlobalSign R3."""
        cert = make_cert(self.root.cert.subject, self.root.key, signer.cert.subject, signer.key,
                         self.now - 400 * DAY, self.now + 3650 * DAY, ca=True)
        return Issued(cert, self.root.key)

    def expired_intermediate(self, ev=False):
        """The new-generation intermediate (same name and key, serverAuth EKU) that has expired."""
        base = self.ev_new if ev else self.ssl_new
        cert = make_cert(base.cert.subject, base.key, self.root.cert.subject, self.root.key,
                         self.now - 800 * DAY, self.now - 10 * DAY, ca=True, pathlen=0,
                         eku=[ExtendedKeyUsageOID.SERVER_AUTH])
        return Issued(cert, base.key)

    def make_arl(self, crl_number, this_update, next_update, signer=None, issuer_name=None, revoked_serials=()):
        signer = signer or self.root
        builder = (x509.CertificateRevocationListBuilder()
                   .issuer_name(issuer_name or self.root.cert.subject)
                   .last_update(this_update).next_update(next_update)
                   .add_extension(x509.CRLNumber(crl_number), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.key.public_key()),
                                  critical=False))
        for serial in revoked_serials:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(this_update).build())
        return builder.sign(signer.key, hashes.SHA256())


def build_pki(now=None, label=''):
    now = now or datetime.datetime.now(UTC).replace(microsecond=0)
    pki = TestPKI(now=now, label=label)
    t2009 = datetime.datetime(2009, 3, 18, 10, tzinfo=UTC)
    t2017 = datetime.datetime(2017, 6, 3, 2, 29, 46, tzinfo=UTC)
    t2025 = datetime.datetime(2025, 3, 20, 7, 40, 24, tzinfo=UTC)
    far = max(datetime.datetime(2042, 6, 3, tzinfo=UTC), now + 3650 * DAY)
    inter_end = max(datetime.datetime(2032, 6, 3, tzinfo=UTC), now + 1825 * DAY)

    gs_key = rsa_key(slot=label + 'globalsign')
    gs_name = globalsign_name(label)
    pki.globalsign = Issued(make_cert(gs_name, gs_key, gs_name, gs_key, t2009, far, ca=True), gs_key)

    root_key = rsa_key(slot=label + 'root')
    root_name = hk_name('Hongkong Post Root CA 3', label)
    pki.root = Issued(make_cert(root_name, root_key, root_name, root_key, t2017, far, ca=True), root_key)
    pki.cross = Issued(make_cert(root_name, root_key, gs_name, gs_key, t2017, far, ca=True), root_key)

    for attr, cn, slot in (('ssl', 'Hongkong Post e-Cert SSL CA 3 - 17', 'ssl'),
                           ('ev', 'Hongkong Post e-Cert EV SSL CA 3 - 17', 'ev')):
        key = rsa_key(slot=label + slot)
        name = hk_name(cn, label)
        old = make_cert(name, key, root_name, root_key, t2017, inter_end, ca=True, pathlen=0)
        new = make_cert(name, key, root_name, root_key, t2025, inter_end, ca=True, pathlen=0,
                        eku=[ExtendedKeyUsageOID.SERVER_AUTH])
        setattr(pki, attr + '_old', Issued(old, key))
        setattr(pki, attr + '_new', Issued(new, key))

    trial_key = rsa_key(slot=label + 'trial-root')
    trial_name = hk_name('Hongkong Post Trial Root CA 3', label)
    pki.trial_root = Issued(make_cert(trial_name, trial_key, trial_name, trial_key, t2017, far, ca=True), trial_key)
    trial_ssl_key = rsa_key(slot=label + 'trial-ssl')
    pki.trial_ssl = Issued(make_cert(hk_name('Hongkong Post Trial e-Cert SSL CA 3 - 17', label), trial_ssl_key,
                                     trial_name, trial_key, t2025, inter_end, ca=True, pathlen=0,
                                     eku=[ExtendedKeyUsageOID.SERVER_AUTH]), trial_ssl_key)

    foreign_key = rsa_key(slot=label + 'foreign')
    foreign_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, label + 'Example Foreign Trust'),
                              x509.NameAttribute(NameOID.COMMON_NAME, label + 'Example Foreign Root CA')])
    pki.foreign_root = Issued(make_cert(foreign_name, foreign_key, foreign_name, foreign_key, t2017, far, ca=True),
                              foreign_key)

    leaf = pki.issue_leaf
    pki.leaves = {
        'standard': leaf('www.example.hk', slot=label + 'leaf-standard'),
        'multi_domain': leaf('www.example.hk', sans=['www.example.hk', 'shop.example.hk', 'mail.example.com.hk'],
                             slot=label + 'leaf-multi'),
        'wildcard': leaf('*.example.hk', sans=['*.example.hk', 'example.hk'], slot=label + 'leaf-wildcard'),
        'idn': leaf(IDN_ASCII, slot=label + 'leaf-idn'),
        'ev': leaf('secure.example.hk', issuer=pki.ev_new, slot=label + 'leaf-ev'),
        'expired': leaf('old.example.hk', not_before=now - 400 * DAY, not_after=now - 10 * DAY,
                        slot=label + 'leaf-expired'),
        'expiring': leaf('soon.example.hk', not_before=now - 180 * DAY, not_after=now + 10 * DAY,
                         slot=label + 'leaf-expiring'),
        # Issued before 2025-05-01: under the old intermediate (same key, same issuer name).
        # Its end keeps it under two thirds of its lifetime whatever the calendar says, so the audit's lifetime
        # rule (renew past two thirds) does not add 'expiring' to the old-intermediate case.
        'under_old': leaf('legacy.example.hk', issuer=pki.ssl_old,
                          not_before=datetime.datetime(2025, 4, 1, tzinfo=UTC),
                          not_after=now + max(60 * DAY, now - datetime.datetime(2025, 4, 1, tzinfo=UTC)),
                          slot=label + 'leaf-under-old'),
        'under_new': leaf('fresh.example.hk', issuer=pki.ssl_new,
                          not_before=max(datetime.datetime(2025, 5, 2, tzinfo=UTC), now - 20 * DAY),
                          slot=label + 'leaf-under-new'),
        'trial': leaf('trial.example.hk', issuer=pki.trial_ssl, slot=label + 'leaf-trial'),
        'foreign': leaf('www.example.com', issuer=pki.foreign_root, slot=label + 'leaf-foreign'),
    }

    pki.arl = pki.make_arl(12, now - 5 * DAY, now + 360 * DAY)
    pki.arl_older = pki.make_arl(11, now - 400 * DAY, now + 30 * DAY)
    pki.arl_expired = pki.make_arl(10, now - 800 * DAY, now - 400 * DAY)
    pki.arl_foreign = pki.make_arl(13, now - 5 * DAY, now + 360 * DAY, signer=pki.foreign_root,
                                   issuer_name=pki.root.cert.subject)
    return pki


def crl_der(crl):
    return crl.public_bytes(serialization.Encoding.DER)


def crl_pem(crl):
    return crl.public_bytes(serialization.Encoding.PEM).decode('ascii')
