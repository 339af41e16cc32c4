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
from tests.support.windows.x509store import provider_location, store_access, stores_at, write_refusal

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
    entry = next((e for e in stores_at(host, provider_location(host.script)).get(params['Store'], [])
                  if e['thumbprint'] == (params.get('Thumbprint') or '')), None)
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
    if entry.get('key_lost'):
        # The certificate names a key container that was deleted (a PFX imported without PersistKeySet).
        raise HostFailure('Keyset does not exist (Exception from HRESULT: 0x80090016)')
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


def key_storage(script):
    """Where X509Certificate2(bytes, password, flags) puts the PFX's private key, read from the flags the
    script names (X509KeyStorageFlags,
    https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509keystorageflags):

    * MachineKeySet - "private keys are stored in the local computer store rather than the current user
      store"; without it the key goes to the profile of the account running the script (the WinRM user),
      where IIS and http.sys (running as the machine) cannot open it;
    * PersistKeySet - "the key associated with a PFX file is persisted when importing a certificate";
      without it the key container is deleted when the X509Certificate2 object is disposed or collected,
      and the certificate added to the store points at a key that no longer exists;
    * Exportable - "imported keys are marked as exportable"; without it Export-PfxCertificate refuses.
    """
    flags = {f.lower() for f in script_facts.enum_values(script, 'X509KeyStorageFlags')}
    return {'machine': 'machinekeyset' in flags, 'persisted': 'persistkeyset' in flags,
            'exportable': 'exportable' in flags}


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
    storage = key_storage(host.script)
    container = 'pfx-import-%d' % len(host.state.setdefault('machine_keys', []))
    if storage['persisted'] and storage['machine']:
        # PersistKeySet + MachineKeySet: the key is now a container in the machine key store, whether or
        # not the certificate reaches the store below.
        host.state['machine_keys'].append(container)
    location, opened = store_access(host.script)
    refused = host.state.get('store_add_refused', {}).get(params['Store'])
    if refused or params['Store'] not in host.stores or not opened:
        # X509Store.Open/Add failed. The payload's finally block deletes the persisted key only if it
        # has one (Remove-PersistedKey: CngKey.Delete / PersistKeyInCsp = $false + Clear).
        if script_facts.calls(host.script, 'Remove-PersistedKey') and container in host.state['machine_keys']:
            host.state['machine_keys'].remove(container)
        raise HostFailure('Exception calling "Add" with "1" argument(s): "%s"' % (
            refused or (params['Store'] in host.stores and write_refusal(opened))
            or 'The system cannot find the file specified.'))
    named = script_facts.member_assignments(host.script, 'FriendlyName')   # $leaf.FriendlyName = $FriendlyName
    entry = entry_for(cert, key if storage['persisted'] else None, (named and params['FriendlyName']) or '',
                      exportable=bool(params['Exportable']) and storage['exportable'],
                      key_storage='machine' if storage['machine'] else 'user', key_container=container)
    if not storage['persisted']:
        # The store keeps the certificate's key-provider property, so Windows still reports HasPrivateKey,
        # but the container it names was deleted with the X509Certificate2 object: the key is gone.
        entry.update(has_private_key=True, key_lost=True)
    store = stores_at(host, location)[params['Store']]
    store[:] = [e for e in store if e['thumbprint'] != entry['thumbprint']]
    store.append(entry)
    return {'thumbprint': entry['thumbprint'], 'has_private_key': True, 'store': params['Store']}


def export_options(script, encryption, include_chain):
    """The encryption and chain option Export-PfxCertificate uses, from what the script binds (its splat).

    Without -CryptoAlgorithmOption the cmdlet encrypts TripleDES_SHA1 whatever the payload meant; without
    -ChainOption it builds the chain (BuildChain is the default):
    https://learn.microsoft.com/powershell/module/pki/export-pfxcertificate
    """
    bound = {}
    for call in script_facts.calls(script, 'Export-PfxCertificate'):
        bound.update(script_facts.effective_parameters(script, call))
    if 'cryptoalgorithmoption' not in bound:
        encryption = 'TripleDES_SHA1'
    if 'chainoption' not in bound:
        include_chain = True
    return encryption, include_chain


@handles('pfx_export_many')
def pfx_export_many(host, params):
    """The payload's loop: each item exported with the one SecureString password; the first failure stops it."""
    return {'encryption': params['Encryption'], 'exports': export_many(host, params, params['Items'])}


def export_many(host, params, items):
    """The pfx_export prelude's loop over ``items`` (the payload's $Items, with what the payload added to it): each
    exported with the one SecureString $Password as $Encryption and $IncludeChain say, bound as the script binds them."""
    exports = []
    if not items:
        return exports
    encryption, include_chain = export_options(host.script, params['Encryption'], params['IncludeChain'])
    for item in items:
        pfx = _export_one(host, item['store'], item['thumbprint'], params['Password'], encryption, include_chain)
        exports.append({'thumbprint': item['thumbprint'], 'store': item['store'], 'pfx': pfx})
    return exports
