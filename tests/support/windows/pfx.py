# -*- coding: utf-8 -*-
"""Export-PfxCertificate and the PFX import as a Windows host does them, with real PKCS#12 bytes.

The export encrypts exactly as the payload contract asks (AES256_SHA256: PBES2 AES-256-CBC with
an SHA-256 MAC; TripleDES_SHA1: PBES1 3DES with an SHA-1 MAC). A host before build 17763 has no
-CryptoAlgorithmOption and cannot open an AES-256 PFX, and says so the way Windows does.
"""

from __future__ import annotations

import base64

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.hazmat.primitives.serialization import PrivateFormat

import tests.support.windows.certstore  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for
from tests.support.windows.boundary import secure_string_argument
from tests.support.windows import script_facts
from tests.support.windows.host import HostFailure, handles

AES_OID_DER = bytes([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A])


def _find(host, store, thumbprint):
    return next((e for e in host.stores.get(store, []) if e['thumbprint'] == thumbprint), None)


def _cert(entry):
    return x509.load_der_x509_certificate(base64.b64decode(entry['der']))


def encryption_for(name, password):
    builder = PrivateFormat.PKCS12.encryption_builder().kdf_rounds(2000)
    if name == 'AES256_SHA256':
        builder = builder.key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256())
    elif name == 'TripleDES_SHA1':
        builder = builder.key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC).hmac_hash(hashes.SHA1())
    else:
        raise HostFailure('Cannot validate argument on parameter Encryption: %s' % name)
    return builder.build(password.encode('utf-8'))


@handles('pfx_state')
def pfx_state(host, params):
    entry = _find(host, params['Store'], params.get('Thumbprint') or '')
    certificate = None
    if entry:
        certificate = {'thumbprint': entry['thumbprint'], 'der': entry['der'],
                       'has_private_key': bool(entry.get('has_private_key')),
                       'exportable': entry.get('exportable', True) if entry.get('has_private_key') else None,
                       'friendly_name': entry.get('friendly_name', '')}
    return {'os_build': host.os_build, 'certificate': certificate}


def _export_one(host, store, thumbprint, password, encryption, include_chain):
    """One pass of pfx_export_many's loop: Export-PfxCertificate of Cert:\\LocalMachine\\<store>\\<thumbprint>."""
    if encryption == 'AES256_SHA256' and host.os_build < 17763:
        raise HostFailure("A parameter cannot be found that matches parameter name 'CryptoAlgorithmOption'.")
    entry = _find(host, store, thumbprint)
    if entry is None:
        raise HostFailure('Cannot find path Cert:\\LocalMachine\\%s\\%s' % (store, thumbprint))
    if not entry.get('key') or entry.get('exportable') is False:
        raise HostFailure('Cannot export non-exportable private key.')
    leaf = _cert(entry)
    chain = []
    if include_chain:
        # BuildChain: the issuers Windows finds in the CA and Root stores.
        issuer = leaf.issuer
        for _depth in range(4):
            parent = next((_cert(e) for s in ('CA', 'Root') for e in host.stores[s] if _cert(e).subject == issuer), None)
            if parent is None or parent in chain:
                break
            chain.append(parent)
            if parent.subject == parent.issuer:
                break
            issuer = parent.issuer
    # Export-PfxCertificate -Password [SecureString]: it encrypts with the password it received.
    password = secure_string_argument(password, 'Export-PfxCertificate', 'Password')
    data = pkcs12.serialize_key_and_certificates(b'', entry['key'], leaf, chain or None,
                                                 encryption_for(encryption, password))
    return base64.b64encode(data).decode('ascii')


@handles('pfx_import')
def pfx_import(host, params):
    try:
        data = base64.b64decode(params['PfxBase64'], validate=True)   # [Convert]::FromBase64String
    except (ValueError, TypeError):
        raise HostFailure('the PFX could not be opened: Exception calling "FromBase64String" with "1" argument(s): '
                          '"The input is not a valid Base-64 string as it contains a non-base 64 character."')
    if AES_OID_DER in data and host.os_build < 17763:
        raise HostFailure('the PFX could not be opened: The specified network password is not correct.')
    try:
        # X509Certificate2(byte[], SecureString, flags): decrypts with the password it received
        # and loads the certificate that holds the private key.
        key, cert, _extra = pkcs12.load_key_and_certificates(data, params['Password'].reveal().encode('utf-8'))
    except ValueError:
        raise HostFailure('the PFX could not be opened: The specified network password is not correct.')
    if key is None:
        raise HostFailure('the PFX holds no certificate with a private key')
    # PersistKeySet: the key is now a container in the machine key store, whether or not the
    # certificate reaches the store below.
    container = 'pfx-import-%d' % len(host.state.setdefault('machine_keys', []))
    host.state['machine_keys'].append(container)
    refused = host.state.get('store_add_refused', {}).get(params['Store'])
    if refused or params['Store'] not in host.stores:
        # X509Store.Open/Add failed. The payload's finally block deletes the persisted key only if it
        # has one (Remove-PersistedKey: CngKey.Delete / PersistKeyInCsp = $false + Clear).
        if script_facts.calls(host.script, 'Remove-PersistedKey'):
            host.state['machine_keys'].remove(container)
        raise HostFailure('Exception calling "Add" with "1" argument(s): "%s"' % (refused or 'The system cannot find '
                                                                                  'the file specified.'))
    entry = entry_for(cert, key, params['FriendlyName'], exportable=params['Exportable'], key_storage='machine',
                      key_container=container)
    store = host.stores[params['Store']]
    store[:] = [e for e in store if e['thumbprint'] != entry['thumbprint']]
    store.append(entry)
    return {'thumbprint': entry['thumbprint'], 'has_private_key': True, 'store': params['Store']}


@handles('pfx_export_many')
def pfx_export_many(host, params):
    """The payload's loop: each item exported with the one SecureString password; the first failure stops it."""
    exports = []
    for item in params['Items']:
        pfx = _export_one(host, item['store'], item['thumbprint'], params['Password'], params['Encryption'],
                          params['IncludeChain'])
        exports.append({'thumbprint': item['thumbprint'], 'store': item['store'], 'pfx': pfx})
    return {'encryption': params['Encryption'], 'exports': exports}
