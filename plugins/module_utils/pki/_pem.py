# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading certificate and CRL files the way operators actually have them.

The Hongkong Post portal hands out PEM; Windows tools save DER, Notepad adds a UTF-8 BOM and
CRLF line ends, and people paste the chain after the leaf. All of that is accepted and
normalised. What is refused, with a message saying what the bytes are instead, is anything that
is not a certificate: a private key, a CSR, a CRL given where a certificate is expected,
garbage or nothing.
"""

from __future__ import annotations

import base64
import binascii
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs7
except ImportError as exc:
    x509 = pkcs7 = MissingLibrary('cryptography', exc)

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import CertificateInputError, kind_of

_PEM_BLOCK = re.compile(
    rb'-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----', re.DOTALL)
_UTF8_BOM = b'\xef\xbb\xbf'
_UTF16_BOMS = (b'\xff\xfe', b'\xfe\xff')

# What a PEM label means, for telling the operator what they gave instead.
_NOT_A_CERTIFICATE = {
    b'PRIVATE KEY': 'a private key',
    b'RSA PRIVATE KEY': 'a private key',
    b'EC PRIVATE KEY': 'a private key',
    b'ENCRYPTED PRIVATE KEY': 'an encrypted private key',
    b'CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
    b'NEW CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
    b'PUBLIC KEY': 'a public key',
    b'X509 CRL': 'a certificate revocation list (CRL)',
}
# A PKCS#7 "certs-only" bundle (.p7b, what Windows' certificate export and many CA portals give) holds
# certificates: they are read out of it, PEM or DER, rather than refused.
_PKCS7_LABELS = (b'PKCS7', b'CERTIFICATE CHAIN')
_CERTIFICATE_LABELS = (b'CERTIFICATE', b'X509 CERTIFICATE', b'TRUSTED CERTIFICATE')
# A PEM file may carry text around its blocks (openssl's "subject=" and "Bag Attributes" lines, notes in any
# language); bytes that are not UTF-8 text beside PEM blocks are DER pasted in, whose certificate would be lost.
_CONTROL = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')


def _as_bytes(data, what):
    if data is None:
        raise CertificateInputError('%s: the input is empty; give the PEM text or the DER bytes.' % what)
    if isinstance(data, str):
        data = data.encode('utf-8')
    if not isinstance(data, (bytes, bytearray)):
        raise CertificateInputError('%s: expected text or bytes, got %s.' % (what, kind_of(data)))
    data = bytes(data)
    if data.startswith(_UTF16_BOMS):
        try:
            data = data.decode('utf-16').encode('utf-8')
        except UnicodeDecodeError:
            raise CertificateInputError('%s: the file starts with a UTF-16 byte order mark but is not UTF-16 text; '
                                        'save it as ASCII/UTF-8 PEM or as DER.' % what)
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    if not data.strip():
        raise CertificateInputError('%s: the input is empty; give the PEM text or the DER bytes.' % what)
    return data


def _pem_blocks(data):
    return [(m.group(1), m.group(2)) for m in _PEM_BLOCK.finditer(data.replace(b'\r\n', b'\n').replace(b'\r', b'\n'))]


def _b64(body, what):
    try:
        return base64.b64decode(re.sub(rb'\s+', b'', body), validate=True)
    except (binascii.Error, ValueError):
        raise CertificateInputError('%s: the PEM block is not valid base64 (a truncated or hand-edited file?).' % what)


def _unarmoured(data):
    """Base64 DER without PEM lines (as Windows and win_powershell hand it over) decoded; else the bytes as they are."""
    if re.fullmatch(rb'[A-Za-z0-9+/=\s]+', data):
        try:
            return base64.b64decode(re.sub(rb'\s+', b'', data), validate=True)
        except (binascii.Error, ValueError):
            pass
    return data


def _pkcs7_certificates(der, what):
    """The certificates of a DER PKCS#7 bundle, or None when ``der`` is not one."""
    try:
        certs = pkcs7.load_der_pkcs7_certificates(der)
    except ValueError:
        return None
    if not certs:
        raise CertificateInputError('%s: the PKCS#7 (.p7b) bundle holds no certificate; download the certificate '
                                    'again (PEM or .p7b with the certificate in it).' % what)
    return list(certs)


def _refuse_binary_beside_pem(data, what):
    outside = _PEM_BLOCK.sub(b'', data.replace(b'\r\n', b'\n').replace(b'\r', b'\n'))
    try:
        binary = bool(_CONTROL.search(outside.decode('utf-8')))
    except UnicodeDecodeError:
        binary = True
    if binary:
        raise CertificateInputError(
            '%s: the file mixes PEM blocks with binary (DER) bytes, and a certificate in the DER part would be '
            'lost; save each certificate as PEM (-----BEGIN CERTIFICATE-----) in one file, or give the DER file '
            'on its own.' % what)


def load_certificates(data, what='certificate'):
    """Return every certificate in ``data`` (PEM bundle, DER, base64 DER or PKCS#7), in file order."""
    data = _as_bytes(data, what)
    blocks = _pem_blocks(data)
    if blocks:
        _refuse_binary_beside_pem(data, what)
        certs = []
        others = []
        for label, body in blocks:
            if label in _CERTIFICATE_LABELS:
                der = _b64(body, what)
                try:
                    certs.append(x509.load_der_x509_certificate(der))
                except ValueError as e:
                    raise CertificateInputError('%s: a CERTIFICATE block does not hold a valid X.509 certificate (%s).' % (what, e))
            elif label in _PKCS7_LABELS:
                bundled = _pkcs7_certificates(_b64(body, what), what)
                if bundled is None:
                    raise CertificateInputError('%s: a %s block does not hold a valid PKCS#7 certificate bundle.'
                                                % (what, label.decode('ascii')))
                certs.extend(bundled)
            else:
                others.append(label)
        if certs:
            return certs
        kind = _NOT_A_CERTIFICATE.get(others[0], 'a "%s" PEM block' % others[0].decode('ascii', 'replace'))
        raise CertificateInputError('%s: this is %s, not a certificate; give the certificate file '
                                    '(-----BEGIN CERTIFICATE-----).' % (what, kind))
    if b'-----BEGIN' in data:
        raise CertificateInputError('%s: the PEM text has a BEGIN line without its matching END line '
                                    '(a truncated copy and paste?).' % what)
    der = _unarmoured(data)
    try:
        return [x509.load_der_x509_certificate(der)]
    except ValueError:
        pass
    bundled = _pkcs7_certificates(der, what)
    if bundled is not None:
        return bundled
    if _is_der_crl(der):
        raise CertificateInputError('%s: this is a certificate revocation list (CRL), not a certificate.' % what)
    raise CertificateInputError('%s: not a certificate: neither PEM (-----BEGIN CERTIFICATE-----) nor DER '
                                'nor base64 DER nor a PKCS#7 (.p7b) bundle could be read.' % what)


def load_certificate(data, what='certificate'):
    """Exactly one certificate; a bundle is refused so a chain file is not mistaken for a leaf."""
    certs = load_certificates(data, what)
    if len(certs) != 1:
        raise CertificateInputError('%s: expected one certificate, found %d; give a file with just that certificate.'
                                    % (what, len(certs)))
    return certs[0]


def _is_der_crl(der):
    try:
        x509.load_der_x509_crl(der)
        return True
    except ValueError:
        return False


def load_crl(data, what='CRL'):
    """One CRL from PEM (X509 CRL) or DER, with the same tolerance as certificates."""
    data = _as_bytes(data, what)
    blocks = _pem_blocks(data)
    if blocks:
        for label, body in blocks:
            if label == b'X509 CRL':
                try:
                    return x509.load_der_x509_crl(_b64(body, what))
                except ValueError as e:
                    raise CertificateInputError('%s: the X509 CRL block is not a valid CRL (%s).' % (what, e))
        kind = _NOT_A_CERTIFICATE.get(blocks[0][0], 'a "%s" PEM block' % blocks[0][0].decode('ascii', 'replace'))
        if blocks[0][0] == b'CERTIFICATE':
            kind = 'a certificate'
        raise CertificateInputError('%s: this is %s, not a CRL; give the ARL file (RootCA3ARL.crl).' % (what, kind))
    der = _unarmoured(data)
    try:
        return x509.load_der_x509_crl(der)
    except ValueError:
        pass
    # The refusal is raised outside the try: CertificateInputError is a ValueError, and raised inside it was
    # caught and replaced by "not a CRL", so a DER certificate given as the ARL was never named as one.
    try:
        x509.load_der_x509_certificate(der)
    except ValueError:
        raise CertificateInputError('%s: not a CRL: neither PEM (-----BEGIN X509 CRL-----) nor DER could be read.' % what)
    raise CertificateInputError('%s: this is a certificate, not a CRL; give the ARL file (RootCA3ARL.crl).' % what)
