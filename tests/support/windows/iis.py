# -*- coding: utf-8 -*-
"""IIS sites, their https bindings (with sslFlags) and the http.sys certificate mappings.

``host.state['iis']`` = {'sites': [{'name', 'id', 'bindings': [{'protocol', 'binding_information',
'ssl_flags'}]}], 'sslcert': {'ipport': {ENDPOINT: {'thumbprint', 'store'}}, 'hostnameport': {...}}}.
Like ServerManager.CommitChanges, attaching a certificate writes the hostnameport mapping for an
SNI binding and the ipport mapping (0.0.0.0 for *) otherwise.
"""

from __future__ import annotations
# The store payloads iis_binding also sends are answered by fake_certstore.

import copy

import tests.support.windows.certstore  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import script_facts
# require_functions lives with the host (every area's handlers use it); imported from here by the older areas.
from tests.support.windows.host import HostFailure, handles, require_functions


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
    require_functions(host, 'Read-IisSite', 'Read-SslMapping', 'Read-HttpSysMapping')
    state = iis_state(host)
    return {'sites': [{'name': s['name'], 'id': s['id'],
                       'bindings': [{k: b[k] for k in ('protocol', 'binding_information', 'ssl_flags')}
                                    for b in s['bindings'] if b['protocol'] == params.get('Protocol', 'https')]}
                      for s in state['sites']],
            'sslcert': {kind: [dict(endpoint=e, **m) for e, m in state['sslcert'][kind].items()]
                        for kind in ('ipport', 'hostnameport')}}


def _endpoint(binding):
    ip, _sep, rest = binding['binding_information'].partition(':')
    port, _sep, hostname = rest.partition(':')
    if binding['ssl_flags'] & 1:
        return 'hostnameport', '%s:%s' % (hostname, port)
    return 'ipport', '%s:%s' % ('0.0.0.0' if ip == '*' else ip, port)


def _has_certificate(host, binding):
    if binding.get('thumbprint'):
        return True
    kind, endpoint = _endpoint(binding)
    return endpoint in iis_state(host)['sslcert'][kind]


def _machine_can_use_key(host, binding):
    """http.sys (the machine) must open the certificate's private key to take the mapping. A key in a user's
    profile (a PFX imported without MachineKeySet) or one deleted after the import (without PersistKeySet)
    makes HttpSetServiceConfiguration fail with ERROR_NO_SUCH_LOGON_SESSION (1312, 0x80070520), the error
    `netsh http add sslcert` shows as "SSL Certificate add failed, Error: 1312"."""
    entry = next((e for e in host.stores.get(binding.get('store') or 'My', [])
                  if e.get('thumbprint') == binding['thumbprint']), None)
    return entry is None or not (entry.get('key_lost') or entry.get('key_storage') == 'user')


def _commit(host, site):
    """ServerManager.CommitChanges: the site's https bindings as IIS now holds them, and the http.sys
    mappings IIS writes for each binding that has a certificate (hostnameport for SNI, ipport otherwise)."""
    for binding in site['bindings']:
        if binding['protocol'] == 'https' and binding.get('thumbprint') and not _machine_can_use_key(host, binding):
            raise HostFailure('Exception calling "CommitChanges" with "0" argument(s): "A specified logon session does '
                              'not exist. It may already have been terminated. (Exception from HRESULT: 0x80070520)"')
    for binding in site['bindings']:
        if binding['protocol'] == 'https' and binding.get('thumbprint'):
            kind, endpoint = _endpoint(binding)
            map_sslcert(host, kind, endpoint, binding['thumbprint'], binding['store'])
    iis_state(host).setdefault('commits', []).append(
        [dict(b, has_certificate=_has_certificate(host, b)) for s in iis_state(host)['sites'] for b in s['bindings']
         if b['protocol'] == 'https'])


def _certificate_present(host, params):
    if params.get('Thumbprint') and not any(e['thumbprint'] == params['Thumbprint']
                                            for e in host.stores[params.get('Store', 'My')]):
        raise HostFailure('certificate %s is not in LocalMachine\\%s' % (params['Thumbprint'], params.get('Store', 'My')))


def committed(handler):
    """Microsoft.Web.Administration changes only the ServerManager's copy of the configuration until
    ``CommitChanges()`` writes applicationHost.config (https://learn.microsoft.com/dotnet/api/
    microsoft.web.administration.servermanager.commitchanges): a script without it changes nothing on IIS."""
    def run(host, params):
        if script_facts.method_arguments(host.script, 'CommitChanges'):
            return handler(host, params)
        # The handler works on a copy, as the script's ServerManager does; IIS keeps what it had.
        kept = iis_state(host)
        host.state['iis'] = copy.deepcopy(kept)
        try:
            return handler(host, params)
        finally:
            host.state['iis'] = kept
    run.__name__ = handler.__name__
    return run


def _new_element_ssl_flags(host, flags):
    """The sslFlags a NEW binding element (Bindings.CreateElement) gets: what the script sets with
    ``SetAttributeValue('sslFlags', ...)``, else the schema default 0 - no SNI (IIS configuration reference,
    https://learn.microsoft.com/iis/configuration/system.applicationhost/sites/site/bindings/binding)."""
    sets = [args for args in script_facts.method_arguments(host.script, 'SetAttributeValue')
            if args and args[0].lower() == 'sslflags']
    return flags if sets else 0


def _new_element_has_certificate(host):
    """A new element carries a certificate only when the script sets its CertificateHash (and store name)."""
    return bool(script_facts.member_assignments(host.script, 'CertificateHash'))


# The step functions of iis_apply's iis_binding_write prelude (tests/support/windows/apply.py runs them for its loop).

@committed
def iis_binding_add(host, params):
    """Add-IisBinding: a new https binding, created with what the script puts on the new element."""
    site = _site(host, params['Site'])
    if _binding(site, params['BindingInformation']) is not None:
        raise HostFailure("site '%s' already has an https binding %s" % (params['Site'], params['BindingInformation']))
    _certificate_present(host, params)
    flags = params.get('SslFlags', 0)
    # What the script put on the new element before the commit: sslFlags, and the certificate only when the
    # script sets CertificateHash there.
    site['bindings'].append({'protocol': 'https', 'binding_information': params['BindingInformation'],
                             'ssl_flags': _new_element_ssl_flags(host, flags),
                             'thumbprint': (_new_element_has_certificate(host) and params.get('Thumbprint')) or None,
                             'store': params.get('Store', 'My')})
    _commit(host, site)
    return {'site': params['Site'], 'binding_information': params['BindingInformation'], 'ssl_flags': flags,
            'thumbprint': params.get('Thumbprint')}


@committed
def iis_binding_remove(host, params):
    """Remove-IisBinding: the https binding removed when it is there."""
    site = _site(host, params['Site'])
    binding = _binding(site, params['BindingInformation'])
    if binding is not None:
        site['bindings'].remove(binding)
    _commit(host, site)
    return {'site': params['Site'], 'binding_information': params['BindingInformation'], 'removed': binding is not None}


@committed
def iis_binding_replace(host, params):
    """Set-IisBindingCertificate: the binding element replaced by a new one holding what the script sets on it."""
    _certificate_present(host, params)
    site = _site(host, params['Site'])
    binding = _binding(site, params['BindingInformation'])
    if binding is None:
        raise HostFailure("site '%s' has no https binding %s" % (params['Site'], params['BindingInformation']))
    if _has_certificate(host, binding) and script_facts.in_place_member_changes(host.script, 'CertificateHash'):
        # win-acme issue #371: changing CertificateHash of a binding that already has a certificate,
        # in place, fails in CreateSSLBinding at CommitChanges.
        raise HostFailure('Exception calling "CommitChanges" with "0" argument(s): "A specified logon session does '
                          'not exist. It may already have been terminated. (Exception from HRESULT: 0x80070520)"')
    # The payload swaps in a NEW element: it holds only what the script sets on it.
    binding.update(thumbprint=(_new_element_has_certificate(host) and params.get('Thumbprint')) or None,
                   store=params.get('Store', 'My'))
    binding['ssl_flags'] = _new_element_ssl_flags(host, params.get('SslFlags', binding['ssl_flags']))
    _commit(host, site)
    return {'site': params['Site'], 'binding_information': params['BindingInformation'],
            'ssl_flags': params.get('SslFlags'), 'thumbprint': params.get('Thumbprint')}


# iis_apply's loop runs the step functions above: registered with them, wherever a test imports this module.
import tests.support.windows.apply  # noqa: E402,F401  # pylint: disable=unused-import,wrong-import-position,cyclic-import
