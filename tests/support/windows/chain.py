# -*- coding: utf-8 -*-
"""The certificate and CRL stores as the chain_* payloads see them."""

from __future__ import annotations

import base64
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from tests.support.windows.host import HostFailure, handles


def put(host, store, cert, key=None):
    """Place a cryptography certificate in a store of the fake host."""
    der = cert.public_bytes(serialization.Encoding.DER)
    host.stores.setdefault(store, []).append({'der': base64.b64encode(der).decode(), 'has_private_key': key is not None,
                                              'key': key, 'friendly_name': ''})


def put_crl(host, crl):
    host.crls['CA'].append(base64.b64encode(crl.public_bytes(serialization.Encoding.DER)).decode())


def thumbprints(host, store):
    return sorted(x509.load_der_x509_certificate(base64.b64decode(e['der'])).fingerprint(hashes.SHA1()).hex().upper()
                  for e in host.stores[store])


def crl_thumbprints(host):
    return sorted(hashlib.sha1(base64.b64decode(d)).hexdigest().upper() for d in host.crls['CA'])


@handles('chain_read')
def chain_read(host, params):
    error = host.state.get('crl_store_error')
    if error:
        # CertOpenStore returned NULL. The payload's C# reader either throws Win32Exception (an error
        # the operator sees) or returns an empty list, which the plan would read as "no CRLs".
        if 'throw new System.ComponentModel.Win32Exception' in host.script:
            raise HostFailure('Exception calling "Read" with "1" argument(s): "%s"' % error)
        crls = []
    else:
        crls = list(host.crls['CA'])
    stores = {name: [e['der'] for e in host.stores.get(name, [])] for name in ('CA', 'Root', 'Disallowed')}
    keyed = [{'store': name, 'der': e['der']} for name in params.get('KeyStores', ['My', 'WebHosting'])
             for e in host.stores.get(name, []) if e.get('has_private_key')]
    return {'stores': stores, 'crls': crls, 'keyed': keyed, 'os_build': host.os_build}


@handles('chain_apply')
def chain_apply(host, params):
    applied = []
    fail_at = host.state.get('chain_fail_at')  # (op, store) that the host refuses, e.g. a locked store
    for i, step in enumerate(params['Steps']):
        if fail_at and (step['op'], step['store']) == fail_at:
            return {'applied': applied, 'failed': {'index': i, 'error': 'Access is denied.'}}
        if step['op'] == 'add_cert':
            cert = x509.load_der_x509_certificate(base64.b64decode(step['der']))
            assert cert.fingerprint(hashes.SHA1()).hex().upper() == step['thumbprint']
            if step['thumbprint'] not in thumbprints(host, step['store']):
                put(host, step['store'], cert)
        elif step['op'] == 'remove_cert':
            host.stores[step['store']] = [
                e for e in host.stores[step['store']]
                if x509.load_der_x509_certificate(base64.b64decode(e['der'])).fingerprint(hashes.SHA1()).hex().upper()
                != step['thumbprint']]
        elif step['op'] == 'add_crl':
            host.crls['CA'].append(step['der'])
        elif step['op'] == 'remove_crl':
            host.crls['CA'] = [d for d in host.crls['CA']
                               if hashlib.sha1(base64.b64decode(d)).hexdigest().upper() != step['thumbprint']]
        else:
            raise AssertionError('unknown step %r' % step)
        applied.append(i)
    return {'applied': applied, 'failed': None}
