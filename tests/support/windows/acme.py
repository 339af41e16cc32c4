# -*- coding: utf-8 -*-
"""Fake IIS web roots for ACME http-01 (payloads acme_iis_read / acme_iis_write), on the IIS state of
tests.support.windows.iis (sites with bindings as dicts), plus a physical path per site and a file system.

    serve_webroots(host, {'Default Web Site': 'C:\\\\inetpub\\\\wwwroot'})

The files live in ``host.state['acme_files']``, an ``AcmeFiles``: unpickling a host that has one imports this
module, which registers the handlers in the WinRM endpoint process (tests/support/winrm is not changed for a
new area). tests.support.peers.iis_web serves these files over real HTTP for the ACME server to fetch.
"""

from __future__ import annotations

from tests.support.windows.host import handles, require_functions
from tests.support.windows.iis import iis_state


class AcmeFiles(dict):
    """Windows path (lower case) -> bytes."""


def serve_webroots(host, roots, env=None):
    """Give each named site a physical path (``%SystemDrive%`` style variables expand from ``env``)."""
    for site in iis_state(host)['sites']:
        if site['name'] in roots:
            site['physical_path'] = roots[site['name']]
    host.state['acme_files'] = host.state.get('acme_files') or AcmeFiles()
    host.state['acme_env'] = env or {'SystemDrive': 'C:'}


def expand(host, path):
    for name, value in host.state.get('acme_env', {}).items():
        path = path.replace('%' + name + '%', value)
    return path


def files(host):
    return host.state.setdefault('acme_files', AcmeFiles())


@handles('acme_iis_read')
def acme_iis_read(host, params):
    # The sites are Read-WebSite's, of the web_sites prelude (acme_iis_read, dcv_iis_read).
    require_functions(host, 'Read-WebSite')
    sites = []
    for site in iis_state(host)['sites']:
        raw = site.get('physical_path', '%SystemDrive%\\inetpub\\wwwroot')
        sites.append({'name': site['name'], 'id': site['id'], 'state': site.get('state', 'Started'),
                      'physical_path': raw, 'physical_path_expanded': expand(host, raw),
                      'bindings': [{'protocol': b['protocol'], 'binding_information': b['binding_information']}
                                   for b in site['bindings']]})
    return {'sites': sites}


@handles('acme_iis_write')
def acme_iis_write(host, params):
    store, done = files(host), []
    if not params.get('Remove'):
        for directory in params['Directories']:
            config = (directory + '\\web.config').lower()
            if params.get('WebConfig') and config not in store:
                store[config] = params['WebConfig'].encode('utf-8')
                done.append('wrote ' + directory + '\\web.config')
        for path, content in zip(params['Paths'], params['Contents']):
            store[path.lower()] = content.encode('utf-8')
            done.append('wrote ' + path)
        return {'done': done}
    for path in params['Paths']:
        if store.pop(path.lower(), None) is not None:
            done.append('removed ' + path)
    for directory in params['Directories']:
        config = (directory + '\\web.config').lower()
        if config in store and params['Marker'].encode() in store[config]:
            del store[config]
            done.append('removed ' + directory + '\\web.config')
    return {'done': done}
