# -*- coding: utf-8 -*-
"""retire_read and retire_apply, answered from the fake host's stores, IIS state and Exchange state.

retire_read is the union of what ecert_store_read, iis_bindings_read and exchange_read answer (the
payload reads the same sources: Cert:\\LocalMachine, Microsoft.Web.Administration, the HTTP\\Parameters
registry keys, Get-ExchangeCertificate - with the same iis_bindings and exchange_session preludes), and
reports Exchange as unknown when the remoting session fails.
retire_apply removes by (store, thumbprint) like X509Store.Remove: a certificate Exchange also lists
is gone from Exchange too (Exchange certificates are LocalMachine\\My certificates).
"""

from __future__ import annotations

import tests.support.windows.certstore  # noqa: F401  # pylint: disable=unused-import
import tests.support.windows.exchange  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.host import _HANDLERS, HostFailure, handles
from tests.support.windows.iis import require_functions


@handles('retire_read')
def retire_read(host, params):
    stores = _HANDLERS['ecert_store_read'](host, {'StoreNames': params.get('StoreNames') or ['My', 'WebHosting']})
    iis = _HANDLERS['iis_bindings_read'](host, {}) if 'iis' in host.state else {
        'sites': [], 'sslcert': {'ipport': [], 'hostnameport': []}}
    exchange = {'present': bool(params.get('Exchange')), 'known': False, 'error': None, 'certificates': []}
    if params.get('Exchange'):
        try:
            # The same New-PSSession / Get-ExchangeCertificate / Remove-PSSession as exchange_read, same parameters.
            answer = _HANDLERS['exchange_read'](host, params)
            exchange.update(known=True, certificates=[{'thumbprint': c['thumbprint'], 'services': c['services'],
                                                       'status': c['status']} for c in answer['certificates']])
        except HostFailure as e:  # the payload catches the session failure and reports it
            exchange['error'] = str(e)
    # The answer reads the http.sys mappings whether IIS is installed or not.
    require_functions(host, 'Read-SslMapping')
    return {'os_build': host.os_build, 'stores': stores['stores'],
            'iis': {'present': 'iis' in host.state, 'sites': iis['sites'], 'sslcert': iis['sslcert']},
            'exchange': exchange}


@handles('retire_apply')
def retire_apply(host, params):
    removed = []
    for removal in params['Removals']:
        store = host.stores[removal['store']]
        found = [e for e in store if e['thumbprint'] == removal['thumbprint']]
        host.stores[removal['store']] = [e for e in store if e['thumbprint'] != removal['thumbprint']]
        if 'exchange' in host.state:
            host.state['exchange']['certificates'] = [c for c in host.state['exchange']['certificates']
                                                      if c['thumbprint'] != removal['thumbprint']]
        removed.append({'store': removal['store'], 'thumbprint': removal['thumbprint'], 'was_present': bool(found)})
    return {'removed': removed}
