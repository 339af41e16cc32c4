# -*- coding: utf-8 -*-
"""LocalMachine stores as ecert_store_read lists them, and certreq -accept -machine (complete_request)."""

from __future__ import annotations

import base64

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from tests.support.windows import script_facts
from tests.support.windows.host import HostFailure, handles, require_functions
from tests.support.windows.certreq import certreq_run, context, request_store
from tests.support.windows.native import check_native
from tests.support.windows.x509store import provider_location, stores_at


def _cert(entry):
    der = entry['der']
    return x509.load_der_x509_certificate(base64.b64decode(der) if isinstance(der, str) else der)


def entry_for(cert, key=None, friendly_name='', **extra):
    """A store entry as the fake host keeps it: base64 DER, key object when the host holds the key."""
    entry = {'thumbprint': cert.fingerprint(hashes.SHA1()).hex().upper(),
             'der': base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode('ascii'),
             'has_private_key': key is not None, 'friendly_name': friendly_name, 'key': key}
    entry.update(extra)
    return entry


def read_entry(issued, key=True):
    """One store entry as a store read answers it (thumbprint, base64 DER, has_private_key, friendly_name), for a
    tests.support.pki.Issued certificate: what the retire planner is given."""
    return {'thumbprint': issued.thumbprint,
            'der': base64.b64encode(issued.cert.public_bytes(serialization.Encoding.DER)).decode('ascii'),
            'has_private_key': key, 'friendly_name': ''}


@handles('ecert_store_read')
def ecert_store_read(host, params):
    # The machine_stores prelude's functions (ecert_store_read, retire_read, certificate_inventory_read).
    require_functions(host, 'Read-MachineStore', 'Get-MachineStoreCertificate', 'ConvertTo-StoreEntry')
    # The Cert:\ drive's stores of the location the script's paths name (x509store.provider_location).
    stores = stores_at(host, provider_location(host.script))
    return {'stores': {name: [{'thumbprint': e.get('thumbprint') or _cert(e).fingerprint(hashes.SHA1()).hex().upper(),
                               'der': e['der'] if isinstance(e['der'], str) else base64.b64encode(e['der']).decode(),
                               'has_private_key': bool(e.get('has_private_key')),
                               'friendly_name': e.get('friendly_name', '')}
                              for e in stores.get(name, [])]
                       for name in params['StoreNames']}}


@handles('complete_request')
def complete_request(host, params):
    check_native(host, 'certreq', 'certreq -accept -machine')
    cert = x509.load_der_x509_certificate(base64.b64decode(params['CertificateBase64']))
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    # Without -machine certreq -accept looks in the WinRM user's CurrentUser\REQUEST (certreq.py).
    where = context(certreq_run(host, '-accept'))
    requests = request_store(host, where)
    for entry in list(requests):
        pending = _cert(entry).public_key().public_bytes(serialization.Encoding.DER,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo)
        if pending == spki and entry.get('has_private_key'):
            requests.remove(entry)
            # certreq gives the installed certificate no friendly name; the payload sets it afterwards.
            named = script_facts.member_assignments(host.script, 'FriendlyName')
            installed = entry_for(cert, entry.get('key'), (named and params.get('FriendlyName')) or '')
            installed['has_private_key'] = True
            # The same context's My store: CurrentUser\My for a user-context accept, which IIS never reads.
            (host.stores if where == 'machine' else host.state['current_user_stores']).setdefault(
                'My', []).append(installed)
            if installed['thumbprint'] != params['Thumbprint']:
                raise HostFailure('Cannot find path Cert:\\LocalMachine\\My\\%s' % params['Thumbprint'])
            return {'thumbprint': installed['thumbprint'], 'has_private_key': True,
                    'friendly_name': installed['friendly_name'], 'certreq_output': 'Installed Certificate:'}
    raise HostFailure('certreq -accept -machine failed (exit -2146885628): Cannot find object or property. '
                      '0x80092004 (-2146885628 CRYPT_E_NOT_FOUND)')


def pending_entry(key, cn, friendly_name=''):
    """What certreq -new leaves in LocalMachine\\REQUEST: a self-signed placeholder carrying the request's key."""
    import datetime
    from cryptography.x509.oid import NameOID
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, 'HK'), x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))
    return entry_for(cert, key, friendly_name)
