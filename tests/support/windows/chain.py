# -*- coding: utf-8 -*-
"""The certificate and CRL stores as the chain_* payloads see them."""

from __future__ import annotations

import base64
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from tests.support.windows import script_facts
from tests.support.windows.host import HostFailure, handles
from tests.support.windows.iis import require_functions
from tests.support.windows.x509store import store_access, stores_at, write_refusal


def _store_ders(host, name, with_key_only=False):
    """One store as the payload's X509Store.Open('ReadOnly, OpenExistingOnly') reads it.

    A store that does not exist (WebHosting without IIS) or cannot be opened (``host.state
    ['store_open_error']``: access denied, a broken registry key) makes Open throw a
    CryptographicException. A payload that guards with ``Test-Path`` skips a missing store; one that
    wraps Open in try/catch reads EVERY failure as an empty store - then the plan misses a removal
    from Disallowed or adds what is already there.
    """
    opens = script_facts.method_calls(host.script, 'Open')
    swallowed = any(in_try for _node, in_try, _guarded in opens)
    guarded = opens and all(guarded for _node, _in_try, guarded in opens)
    error = host.state.get('store_open_error', {}).get(name)
    if name not in host.stores:
        if guarded or swallowed:
            return []
        error = 'The system cannot find the file specified.'
    if error:
        if swallowed:
            return []
        raise HostFailure('Exception calling "Open" with "1" argument(s): "%s"' % error)
    return [e['der'] for e in host.stores[name] if not with_key_only or e.get('has_private_key')]


def put(host, store, cert, key=None):
    """Place a cryptography certificate in a store of the fake host."""
    put_in(host.stores, store, cert, key)


def put_in(stores, store, cert, key=None):
    der = cert.public_bytes(serialization.Encoding.DER)
    stores.setdefault(store, []).append({'der': base64.b64encode(der).decode(), 'has_private_key': key is not None,
                                         'key': key, 'friendly_name': ''})


def put_crl(host, crl):
    host.crls['CA'].append(base64.b64encode(crl.public_bytes(serialization.Encoding.DER)).decode())


def thumbprints(host, store):
    return _thumbprints(host.stores[store])


def _thumbprints(entries):
    return sorted(x509.load_der_x509_certificate(base64.b64decode(e['der'])).fingerprint(hashes.SHA1()).hex().upper()
                  for e in entries)


def crl_thumbprints(host):
    return sorted(hashlib.sha1(base64.b64decode(d)).hexdigest().upper() for d in host.crls['CA'])


@handles('chain_read')
def chain_read(host, params):
    keyed = [{'store': name, 'der': der} for name in params['KeyStores']
             for der in _store_ders(host, name, with_key_only=True)]
    return dict(chain_stores(host, params['CertificateStores'], 'CA'), keyed=keyed, os_build=host.os_build)


def chain_stores(host, names, crl_store):
    """The chain_stores prelude's reads (plugins/payloads/_preludes/chain_stores.ps1): Get-StoreCertificate of each
    store in ``names`` and Read-CrlStore of ``crl_store`` - chain_read's answer, and retire_read's ``chain`` when
    hkpost_install asks for it (ChainStores). Both functions must be in the script that calls them."""
    require_functions(host, 'Get-StoreCertificate', 'Read-CrlStore')
    assert crl_store == 'CA', 'the fake host keeps the CRLs of CA only'
    # What the script does not call, it does not read: a payload that drops a read answers nothing for it.
    called = {c.name.lower() for c in script_facts.calls(host.script)}
    if 'get-storecertificate' not in called:
        names = []
    if 'read-crlstore' not in called:
        return {'stores': {name: _store_ders(host, name) for name in names}, 'crls': []}
    error = host.state.get('crl_store_error')
    if error:
        # CertOpenStore returned NULL. The payload's C# reader either throws Win32Exception (an error
        # the operator sees) or returns an empty list, which the plan would read as "no CRLs".
        if 'throw new System.ComponentModel.Win32Exception' in host.script:
            raise HostFailure('Exception calling "Read" with "1" argument(s): "%s"' % error)
        crls = []
    else:
        crls = list(host.crls['CA'])
    return {'stores': {name: _store_ders(host, name) for name in names}, 'crls': crls}


_CERTUTIL_VERBS = {'add_crl': '-addstore', 'remove_crl': '-delstore'}


def _certutil_store(host, op):
    """The CRL list certutil changes for ``op``, or the error the payload reports when it never runs
    ``certutil -addstore`` / ``-delstore``. certutil works on LocalMachine unless ``-user`` is given
    (https://learn.microsoft.com/windows-server/administration/windows-commands/certutil, -addstore and
    -delstore, option [-user]): then the WinRM account's CA store changes and the machine's stays as it was."""
    verb = _CERTUTIL_VERBS[op]
    runs = [[a.lower() for a in r] for r in script_facts.native_invocations(host.script, 'certutil')]
    runs = [r for r in runs if verb in r]
    if not runs:
        return 'certutil %s failed (exit -2147024809): CertUtil: Unknown arg' % verb
    if any('-user' in r for r in runs):
        return host.state.setdefault('current_user_crls', {'CA': []})
    return host.crls


@handles('chain_apply')
def chain_apply(host, params):
    """The chain_steps prelude's Invoke-ChainSteps: the steps in order, the first failure stops the rest."""
    require_functions(host, 'Invoke-ChainSteps', 'Invoke-ChainStep')
    return chain_steps(host, params['Steps'])


def chain_steps(host, steps):
    """Invoke-ChainStep on each of ``steps``, as chain_apply, iis_apply (step kind chain) and exchange_enable
    (ChainSteps) run them: ``{applied: [index], failed: {index, error} or None}``."""
    applied = []
    fail_at = host.state.get('chain_fail_at')  # (op, store) that the host refuses, e.g. a locked store
    # Certificates go through Open-MachineStore's X509Store (x509store.py): LocalMachine only when the
    # constructor says so, and writable only when opened ReadWrite.
    location, opened = store_access(host.script)
    stores = stores_at(host, location)
    for i, step in enumerate(steps):
        if fail_at and (step['op'], step['store']) == fail_at:
            return {'applied': applied, 'failed': {'index': i, 'error': 'Access is denied.'}}
        if step['op'] in ('add_cert', 'remove_cert') and not opened:
            return {'applied': applied, 'failed': {'index': i, 'error': write_refusal(opened)}}
        if step['op'] == 'add_cert':
            cert = x509.load_der_x509_certificate(base64.b64decode(step['der']))
            assert cert.fingerprint(hashes.SHA1()).hex().upper() == step['thumbprint']
            if step['thumbprint'] not in _thumbprints(stores.setdefault(step['store'], [])):
                put_in(stores, step['store'], cert)
        elif step['op'] == 'remove_cert':
            stores[step['store']] = [
                e for e in stores.get(step['store'], [])
                if x509.load_der_x509_certificate(base64.b64decode(e['der'])).fingerprint(hashes.SHA1()).hex().upper()
                != step['thumbprint']]
        elif step['op'] in ('add_crl', 'remove_crl') and isinstance(_certutil_store(host, step['op']), str):
            return {'applied': applied, 'failed': {'index': i, 'error': _certutil_store(host, step['op'])}}
        elif step['op'] == 'add_crl':
            _certutil_store(host, 'add_crl')['CA'].append(step['der'])
        elif step['op'] == 'remove_crl':
            crls = _certutil_store(host, 'remove_crl')
            crls['CA'] = [d for d in crls['CA']
                          if hashlib.sha1(base64.b64decode(d)).hexdigest().upper() != step['thumbprint']]
        else:
            raise AssertionError('unknown step %r' % step)
        applied.append(i)
    return {'applied': applied, 'failed': None}
