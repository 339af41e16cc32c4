# -*- coding: utf-8 -*-
"""Fake IIS (sites, bindings, physical paths, a file system) and Windows DNS zones for the DCV payloads.

State lives in ``host.state['iis']`` and ``host.state['windows_dns']``; the handlers answer the
payloads' JSON contracts the way the real cmdlets would, including %VAR% expansion of physical paths.
"""

from __future__ import annotations

import base64
import re

from tests.support.windows import script_facts
from tests.support.windows.boundary import secure_string_to_bstr
from tests.support.windows.host import HostFailure, handles, require_functions
from tests.support.windows.prompts import prompt_refused

WEB_CONFIG = 'web.config'


def new_iis(host, sites, env=None, files=None):
    """``sites``: [{'name', 'id', 'physical_path', 'bindings': [('http', '*:80:host')], 'txt_mime', 'state'}].

    ``txt_mime`` is the site's EFFECTIVE .txt mapping (applicationHost.config merged with the site's
    own web.config); ``txt_mime_location`` what a <location> tag in applicationHost.config alone says
    (default: the same). ``state`` None: reading the site's state throws, as it does on IIS for a site
    whose application pool is broken (win-acme IISClient: "Unable to determine state").
    """
    host.state['iis'] = {'sites': sites, 'env': env or {'SystemDrive': 'C:'}, 'files': dict(files or {})}
    return host.state['iis']


def _key(path):
    return path.lower()


def _expand(iis, path):
    return re.sub(r'%(\w+)%', lambda m: iis['env'].get(m.group(1), m.group(0)), path)


def iis_file(host, path):
    """The bytes at a Windows path on the fake host, or None."""
    return host.state['iis']['files'].get(_key(path))


def _site_state(host, site):
    state = site.get('state', 'Started')
    if state is not None:
        return state
    # Reading Get-Website's state throws; the payload survives that only inside a try block.
    if all(in_try for _node, in_try in script_facts.member_reads(host.script, 'state')):
        return 'Unknown'
    raise HostFailure('The object identifier does not represent a valid object. (Exception from HRESULT: 0x800710D8)')


def _txt_mime(host, site):
    """Get-WebConfigurationProperty as the payload calls it: with -Location only applicationHost.config's
    <location> tag is read; at the site's own path the effective (merged) value comes back."""
    call = script_facts.calls(host.script, 'Get-WebConfigurationProperty')
    assert len(call) == 1, 'dcv_iis_read reads the .txt MIME type once per site'
    if call[0].has('Location'):
        return site.get('txt_mime_location', site.get('txt_mime', 'text/plain'))
    return site.get('txt_mime', 'text/plain')


@handles('dcv_iis_read')
def dcv_iis_read(host, params):
    # The sites are Read-WebSite's, of the web_sites prelude (dcv_iis_read, acme_iis_read).
    require_functions(host, 'Read-WebSite')
    iis = host.state['iis']
    sites = []
    for site in iis['sites']:
        expanded = _expand(iis, site['physical_path'])
        directory = expanded.rstrip('\\') + '\\.well-known\\pki-validation'
        content = iis['files'].get(_key(directory + '\\fileauth.txt'))
        config = iis['files'].get(_key(directory + '\\' + WEB_CONFIG))
        sites.append({
            'name': site['name'], 'id': site['id'], 'state': _site_state(host, site),
            'physical_path': site['physical_path'], 'physical_path_expanded': expanded,
            'bindings': [{'protocol': p, 'binding_information': b} for p, b in site['bindings']],
            'txt_mime': _txt_mime(host, site),
            'files': {'fileauth_base64': base64.b64encode(content).decode() if content is not None else None,
                      'web_config': {'exists': config is not None,
                                     'ours': config is not None and params['Marker'].encode() in config}},
        })
    return {'sites': sites}


def _utf8_preamble(host):
    """The bytes WriteAllText puts first with the script's encoding: ``New-Object System.Text.UTF8Encoding
    -ArgumentList $true`` writes the EF BB BF preamble (a BOM); ``$false`` or no argument does not
    (https://learn.microsoft.com/dotnet/api/system.text.utf8encoding.-ctor). Hongkong Post compares the
    file's bytes with the code: a BOM makes them differ."""
    made = script_facts.new_objects(host.script, 'UTF8Encoding')
    return b'\xef\xbb\xbf' if any(args and args[0].strip().lower() == '$true' for args in made) else b''


@handles('dcv_iis_write')
def dcv_iis_write(host, params):
    files = host.state['iis']['files']
    directory = params['Directory']
    done = []
    fileauth, config = _key(directory + '\\fileauth.txt'), _key(directory + '\\' + WEB_CONFIG)
    if params['WriteFile']:
        # WriteAllText(path, PtrToStringBSTR(SecureStringToBSTR($Content)), $utf8): no BOM unless the script's
        # UTF8Encoding was made with encoderShouldEmitUTF8Identifier $true.
        files[fileauth] = _utf8_preamble(host) + secure_string_to_bstr(params['Content']).encode('utf-8')
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


def new_windows_dns(host, zones, denied=False):
    """``zones``: {'example.com': {'@': [{'value': 'v=spf1 -all', 'ttl': 300}], 'www': []}}.

    Names are relative to the zone ('@' the apex, 'a.b' a grandchild). ``denied``: the account the
    payload runs as may not read or change the zones (WIN32 5 from every DNS cmdlet).
    """
    host.state['windows_dns'] = {'zones': zones, 'denied': denied}
    return host.state['windows_dns']


def _dns_error(code, text, name):
    # The DnsServer cmdlets raise a CimException whose FullyQualifiedErrorId is "WIN32 <code>,<cmdlet>";
    # under $ErrorActionPreference = 'Stop' (every payload) that is a terminating error.
    error = HostFailure(text)
    error.exception_type = 'Microsoft.Management.Infrastructure.CimException'
    error.fqid = 'WIN32 %d,%s' % (code, name)
    return error


def get_txt_records(host, zone_name, name):
    """``Get-DnsServerResourceRecord -ZoneName Z -Name N -RRType Txt [-Node]`` as the payload calls it.

    Returns [(node, record)]. Like the real cmdlet: without ``-Node`` the answer is the subtree
    below N (for '@', every name in the zone); a missing zone is WIN32 9601, a name with nothing
    under it WIN32 9714 (DNS_ERROR_NAME_DOES_NOT_EXIST), no rights WIN32 5. What reaches the payload
    then depends on how it calls the cmdlet: ``-ErrorAction SilentlyContinue`` turns every one of
    those errors into "no records"; a payload whose catch block tests for 'WIN32 9714' treats only
    that one as empty and lets the others stop it.
    """
    # The read is Get-TxtRecord of the dns_txt prelude (dcv_windows_dns_read, dcv_windows_dns_write).
    require_functions(host, 'Get-TxtRecord')
    cmdlet = 'Get-DnsServerResourceRecord'
    call = script_facts.calls(host.script, cmdlet)
    assert len(call) == 1, 'the DNS payloads call %s once' % cmdlet
    call = call[0]
    state = host.state['windows_dns']
    try:
        if state.get('denied'):
            raise _dns_error(5, 'Failed to enumerate records in zone %s on server %s: Access is denied.'
                             % (zone_name, 'WIN1'), cmdlet)
        zone = state['zones'].get(zone_name)
        if zone is None:
            raise _dns_error(9601, 'The zone %s was not found on server WIN1.' % zone_name, cmdlet)
        name = name.lower()
        if call.has('Node'):
            nodes = [name] if zone.get(name) else []
        else:
            nodes = sorted(n for n in zone if zone[n] and (name == '@' or n == name or n.endswith('.' + name)))
        if not nodes:
            raise _dns_error(9714, 'Failed to get %s record in %s zone on WIN1 server.' % (name, zone_name), cmdlet)
    except HostFailure as error:
        if script_facts.swallows_errors(call):
            return []
        if error.fqid.startswith('WIN32 9714,') and "'WIN32 9714,*'" in host.script:
            return []
        raise
    return [(node, record) for node in nodes for record in zone[node]]


@handles('dcv_windows_dns_read')
def dcv_windows_dns_read(host, params):
    zones = host.state['windows_dns']['zones']
    records = []
    for record in params.get('Records') or []:
        found = get_txt_records(host, record['zone'], record['host'])
        records.append({'zone': record['zone'], 'host': record['host'], 'values': [dict(r) for _n, r in found]})
    return {'zones': sorted(zones), 'records': records}


# The TTL of a record added without -TimeToLive (https://learn.microsoft.com/powershell/module/dnsserver/
# add-dnsserverresourcerecord): the zone's "Minimum (default) TTL" of its SOA record, 1 hour on a zone the
# DNS server created - not the TTL the controller asked for.
ZONE_DEFAULT_TTL = 3600


def _added_ttl(host, params):
    adds = script_facts.calls(host.script, 'Add-DnsServerResourceRecord')
    return params['Ttl'] if adds and all(c.has('TimeToLive') for c in adds) else ZONE_DEFAULT_TTL


@handles('dcv_windows_dns_write')
def dcv_windows_dns_write(host, params):
    text = secure_string_to_bstr(params['Value'])
    existing = [(node, r) for node, r in get_txt_records(host, params['ZoneName'], params['HostName'])
                if r['value'] == text]
    state = host.state['windows_dns']
    zone = state['zones'].get(params['ZoneName'])
    done = []
    if params['State'] == 'present' and not existing:
        # Add-DnsServerResourceRecord fails on its own when the zone is missing or the rights are not there.
        if state.get('denied'):
            raise _dns_error(5, 'Failed to create resource record in zone %s: Access is denied.' % params['ZoneName'],
                             'Add-DnsServerResourceRecord')
        if zone is None:
            raise _dns_error(9601, 'The zone %s was not found on server WIN1.' % params['ZoneName'],
                             'Add-DnsServerResourceRecord')
        zone.setdefault(params['HostName'].lower(), []).append({'value': text, 'ttl': _added_ttl(host, params)})
        done.append('added')
    if params['State'] == 'absent':
        # Remove-DnsServerResourceRecord -InputObject: each record object found, at whatever node it is.
        removes = script_facts.calls(host.script, 'Remove-DnsServerResourceRecord')
        if existing and not all(c.has('Force') for c in removes):
            # "By default, the cmdlet prompts you for confirmation before it proceeds" unless -Force
            # (https://learn.microsoft.com/powershell/module/dnsserver/remove-dnsserverresourcerecord);
            # a win_powershell script cannot answer (prompts.py).
            raise prompt_refused('Remove-DnsServerResourceRecord', 'Removing DNS resource record set by name %s of '
                                 'type TXT from zone %s on WIN1 server. Do you want to continue?'
                                 % (params['HostName'], params['ZoneName']))
        for node, record in existing:
            zone[node].remove(record)
            done.append('removed')
    return {'zone': params['ZoneName'], 'host': params['HostName'], 'done': done}
