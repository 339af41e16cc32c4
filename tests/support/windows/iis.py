# -*- coding: utf-8 -*-
"""IIS sites, their https bindings (with sslFlags) and the http.sys certificate mappings.

``host.state['iis']`` = {'sites': [{'name', 'id', 'bindings': [{'protocol', 'binding_information',
'ssl_flags'}]}], 'sslcert': {'ipport': {ENDPOINT: {'thumbprint', 'store'}}, 'hostnameport': {...}}}.
Like ServerManager.CommitChanges, attaching a certificate writes the hostnameport mapping for an
SNI binding and the ipport mapping (0.0.0.0 for *) otherwise.
"""

from __future__ import annotations
# The store payloads iis_binding also sends are answered by fake_certstore.

import tests.support.windows.certstore  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.host import HostFailure, handles


def iis_state(host):
    return host.state.setdefault('iis', {'sites': [], 'sslcert': {'ipport': {}, 'hostnameport': {}}})


def add_site(host, name, bindings=()):
    state = iis_state(host)
    state['sites'].append({'name': name, 'id': len(state['sites']) + 1,
                           'bindings': [{'protocol': p, 'binding_information': b, 'ssl_flags': f} for p, b, f in bindings]})


def map_sslcert(host, kind, endpoint, thumbprint, store='My'):
    iis_state(host)['sslcert'][kind][endpoint] = {'thumbprint': thumbprint, 'store': store}


def _site(host, name):
    for site in iis_state(host)['sites']:
        if site['name'] == name:
            return site
    raise HostFailure("IIS site '%s' does not exist" % name)


def _binding(site, info):
    return next((b for b in site['bindings'] if b['protocol'] == 'https' and b['binding_information'] == info), None)


@handles('iis_bindings_read')
def iis_bindings_read(host, params):
    state = iis_state(host)
    return {'sites': [{'name': s['name'], 'id': s['id'],
                       'bindings': [dict(b) for b in s['bindings'] if b['protocol'] == params.get('Protocol', 'https')]}
                      for s in state['sites']],
            'sslcert': {kind: [dict(endpoint=e, **m) for e, m in state['sslcert'][kind].items()]
                        for kind in ('ipport', 'hostnameport')}}


@handles('iis_binding_set')
def iis_binding_set(host, params):
    site = _site(host, params['Site'])
    binding = _binding(site, params['BindingInformation'])
    flags = params.get('SslFlags', 0)
    if params['Operation'] == 'add':
        if binding is None:
            site['bindings'].append({'protocol': 'https', 'binding_information': params['BindingInformation'],
                                     'ssl_flags': flags})
        else:
            binding['ssl_flags'] = flags
    elif params['Operation'] == 'update':
        if binding is None:
            raise HostFailure("site '%s' has no https binding %s" % (params['Site'], params['BindingInformation']))
        binding['ssl_flags'] = flags
    elif binding is not None:
        site['bindings'].remove(binding)
    return {'site': params['Site'], 'operation': params['Operation'],
            'binding_information': params['BindingInformation'], 'ssl_flags': flags}


@handles('iis_binding_certificate')
def iis_binding_certificate(host, params):
    if not any(e['thumbprint'] == params['Thumbprint'] for e in host.stores[params['Store']]):
        raise HostFailure('certificate %s is not in LocalMachine\\%s' % (params['Thumbprint'], params['Store']))
    site = _site(host, params['Site'])
    binding = _binding(site, params['BindingInformation'])
    if binding is None:
        raise HostFailure("site '%s' has no https binding %s" % (params['Site'], params['BindingInformation']))
    ip, _sep, rest = params['BindingInformation'].partition(':')
    port, _sep, hostname = rest.partition(':')
    if binding['ssl_flags'] & 1:
        kind, endpoint = 'hostnameport', '%s:%s' % (hostname, port)
    else:
        kind, endpoint = 'ipport', '%s:%s' % ('0.0.0.0' if ip == '*' else ip, port)
    map_sslcert(host, kind, endpoint, params['Thumbprint'], params['Store'])
    return dict(params)
