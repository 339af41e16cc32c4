# -*- coding: utf-8 -*-
"""retire_read and retire_apply, answered from the fake host's stores, IIS state and Exchange state.

retire_read is the union of what ecert_store_read, iis_bindings_read and exchange_read answer (the
payload reads the same sources: Cert:\\LocalMachine, Microsoft.Web.Administration, the HTTP\\Parameters
registry keys, Get-ExchangeCertificate - with the same machine_stores, iis_bindings and exchange_session preludes), and
reports Exchange as unknown when the remoting session fails.
retire_apply removes by (store, thumbprint) like X509Store.Remove: a certificate Exchange also lists
is gone from Exchange too (Exchange certificates are LocalMachine\\My certificates).
"""

from __future__ import annotations

import base64
import datetime

from cryptography import x509

import tests.support.windows.certstore  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.chain import chain_stores
from tests.support.windows.exchange import issuer_subject, read_exchange_certificates
from tests.support.windows.host import _HANDLERS, HostFailure, handles
from tests.support.windows.iis import require_functions
from tests.support.windows.inventory import host_consumers_answer
from tests.support.windows import script_facts
from tests.support.windows.x509store import store_access, stores_at, write_refusal


@handles('retire_read')
def retire_read(host, params):
    stores = _HANDLERS['ecert_store_read'](host, {'StoreNames': params.get('StoreNames') or ['My', 'WebHosting']})
    # Then Read-IisHttps of the iis_bindings prelude: the http.sys mappings whether IIS is installed or not.
    require_functions(host, 'Read-IisHttps', 'Read-SslMapping', 'Read-HttpSysMapping')
    iis = _HANDLERS['iis_bindings_read'](host, {}) if 'iis' in host.state else {
        'sites': [], 'sslcert': {'ipport': [], 'hostnameport': []}}
    exchange = {'present': bool(params.get('Exchange')), 'known': False, 'error': None, 'certificates': []}
    if params.get('Exchange'):
        try:
            # The same New-PSSession / Get-ExchangeCertificate / Remove-PSSession as exchange_read, same parameters.
            answer = _HANDLERS['exchange_read'](host, params)
            exchange.update(known=True, certificates=read_exchange_certificates(host, answer))
            exchange['hybrid'] = _hybrid(host)
        except HostFailure as e:  # the payload catches the session failure and reports it
            exchange['error'] = str(e)
    # ChainStores (hkpost_install given a chain): the chain_stores prelude's reads, as chain_read's; else not read.
    chain_part = chain_stores(host, params['ChainStores'], params.get('CrlStore') or 'CA') \
        if params.get('ChainStores') else None
    return {'os_build': host.os_build, 'stores': stores['stores'],
            'iis': {'present': 'iis' in host.state, 'sites': iis['sites'], 'sslcert': iis['sslcert']},
            'exchange': exchange, 'chain': chain_part,
            # the host_consumers prelude, composed into retire_read as into certificate_inventory_read
            **host_consumers_answer(host)}


def _hybrid(host):
    """Get-HybridConfiguration: None on a server never configured for hybrid; the TlsCertificateName
    ("<I>issuer<S>subject") when it is. The cmdlet exists only when the script imported it from the session."""
    if 'get-hybridconfiguration' not in script_facts.imported_commands(host.script):
        return None  # the payload of an older version: not read
    if host.state['exchange'].get('hybrid_unavailable'):
        return {'known': False, 'tls_certificate_name': None,
                'error': "The term 'Get-HybridConfiguration' is not recognized"}
    return {'known': True, 'tls_certificate_name': host.state['exchange'].get('hybrid_tls_certificate_name')}


def hybrid_name_for(der_b64):
    """The TlsCertificateName the Hybrid Configuration Wizard writes for this certificate."""
    found = issuer_subject(der_b64)
    return '<I>%s<S>%s' % (found['issuer'], found['subject'])


def _find_valid_only(script):
    """The validOnly argument of the script's ``X509Certificate2Collection.Find(FindByThumbprint, $t, validOnly)``:
    with $true "only valid certificates are allowed to be returned" - valid meaning within its dates and with
    a chain that builds (https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.
    x509certificate2collection.find), so an expired certificate, the usual one to retire, is never found."""
    finds = [args for args in script_facts.method_arguments(script, 'Find') if args and 'thumbprint' in args[0].lower()]
    return not finds or any(len(args) < 3 or args[2].strip().lower() != '$false' for args in finds)


def _valid(entry):
    """Within its validity period now (the fake host models the dates of X509Certificate2.Verify only)."""
    cert = x509.load_der_x509_certificate(base64.b64decode(entry['der']))
    now = datetime.datetime.now(datetime.timezone.utc)
    return cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


@handles('retire_apply')
def retire_apply(host, params):
    removed = []
    location, opened = store_access(host.script)
    stores = stores_at(host, location)
    valid_only = _find_valid_only(host.script)
    for removal in params['Removals']:
        if not opened:
            raise HostFailure('Exception calling "Remove" with "1" argument(s): "%s"' % write_refusal(opened))
        store = stores.get(removal['store'], [])
        found = [e for e in store if e['thumbprint'] == removal['thumbprint'] and (not valid_only or _valid(e))]
        # A certificate Find skipped (validOnly) stays, in the store and in Exchange's list.
        skipped = not found and any(e['thumbprint'] == removal['thumbprint'] for e in store)
        stores[removal['store']] = [e for e in store if not any(e is f for f in found)]
        if 'exchange' in host.state and location == 'LocalMachine' and not skipped:
            host.state['exchange']['certificates'] = [c for c in host.state['exchange']['certificates']
                                                      if c['thumbprint'] != removal['thumbprint']]
        removed.append({'store': removal['store'], 'thumbprint': removal['thumbprint'], 'was_present': bool(found)})
    return {'removed': removed}
