# -*- coding: utf-8 -*-
"""Fake IIS (sites, bindings, physical paths, a file system) and Windows DNS zones for the DCV payloads.

State lives in ``host.state['iis']`` and ``host.state['windows_dns']``; the handlers answer the
payloads' JSON contracts the way the real cmdlets would, including %VAR% expansion of physical paths.
"""

from __future__ import annotations

import base64
import re

from tests.support.windows.boundary import secure_string_to_bstr
from tests.support.windows.host import handles

WEB_CONFIG = 'web.config'


def new_iis(host, sites, env=None, files=None):
    """``sites``: [{'name', 'id', 'physical_path', 'bindings': [('http', '*:80:host')], 'txt_mime', 'state'}]."""
    host.state['iis'] = {'sites': sites, 'env': env or {'SystemDrive': 'C:'}, 'files': dict(files or {})}
    return host.state['iis']


def _key(path):
    return path.lower()


def _expand(iis, path):
    return re.sub(r'%(\w+)%', lambda m: iis['env'].get(m.group(1), m.group(0)), path)


def iis_file(host, path):
    """The bytes at a Windows path on the fake host, or None."""
    return host.state['iis']['files'].get(_key(path))


@handles('dcv_iis_read')
def dcv_iis_read(host, params):
    iis = host.state['iis']
    sites = []
    for site in iis['sites']:
        expanded = _expand(iis, site['physical_path'])
        directory = expanded.rstrip('\\') + '\\.well-known\\pki-validation'
        content = iis['files'].get(_key(directory + '\\fileauth.txt'))
        config = iis['files'].get(_key(directory + '\\' + WEB_CONFIG))
        sites.append({
            'name': site['name'], 'id': site['id'], 'state': site.get('state', 'Started'),
            'physical_path': site['physical_path'], 'physical_path_expanded': expanded,
            'bindings': [{'protocol': p, 'binding_information': b} for p, b in site['bindings']],
            'txt_mime': site.get('txt_mime', 'text/plain'),
            'files': {'fileauth_base64': base64.b64encode(content).decode() if content is not None else None,
                      'web_config': {'exists': config is not None,
                                     'ours': config is not None and params['Marker'].encode() in config}},
        })
    return {'sites': sites}


@handles('dcv_iis_write')
def dcv_iis_write(host, params):
    files = host.state['iis']['files']
    directory = params['Directory']
    done = []
    fileauth, config = _key(directory + '\\fileauth.txt'), _key(directory + '\\' + WEB_CONFIG)
    if params['WriteFile']:
        # WriteAllText(path, PtrToStringBSTR(SecureStringToBSTR($Content)), UTF8Encoding($false)): no BOM
        files[fileauth] = secure_string_to_bstr(params['Content']).encode('utf-8')
        done.append('wrote fileauth.txt')
    if params['WebConfig']:
        files[config] = params['WebConfig'].encode('utf-8')
        done.append('wrote web.config')
    if params['RemoveFile'] and fileauth in files:
        del files[fileauth]
        done.append('removed fileauth.txt')
    if params['RemoveWebConfig'] and config in files:
        if params['Marker'].encode() in files[config]:
            del files[config]
            done.append('removed web.config')
    return {'directory': directory, 'done': done}


def new_windows_dns(host, zones):
    """``zones``: {'example.com': {'@': [{'value': 'v=spf1 -all', 'ttl': 300}], 'www': []}}."""
    host.state['windows_dns'] = {'zones': zones}
    return host.state['windows_dns']


@handles('dcv_windows_dns_read')
def dcv_windows_dns_read(host, params):
    zones = host.state['windows_dns']['zones']
    records = []
    for record in params.get('Records') or []:
        values = zones.get(record['zone'], {}).get(record['host'].lower(), [])
        records.append({'zone': record['zone'], 'host': record['host'], 'values': [dict(v) for v in values]})
    return {'zones': sorted(zones), 'records': records}


@handles('dcv_windows_dns_write')
def dcv_windows_dns_write(host, params):
    zone = host.state['windows_dns']['zones'][params['ZoneName']]
    text = secure_string_to_bstr(params['Value'])
    values = zone.setdefault(params['HostName'].lower(), [])
    done = []
    if params['State'] == 'present' and not any(v['value'] == text for v in values):
        values.append({'value': text, 'ttl': params['Ttl']})
        done.append('added')
    if params['State'] == 'absent':
        for v in [v for v in values if v['value'] == text]:
            values.remove(v)
            done.append('removed')
    return {'zone': params['ZoneName'], 'host': params['HostName'], 'done': done}
