# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where IIS serves ``/.well-known/pki-validation/fileauth.txt`` for a name, and what to change there.

Pure: takes the ``dcv_iis_read`` payload's answer (sites, bindings, expanded physical paths, the
files already there, each site's MIME type for ``.txt``) and decides; the write payload only does.
"""

from __future__ import annotations

import base64

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError

WEB_CONFIG_MARKER = 'hkpost.ecert dcv web.config'
# Served as text/plain from this directory only; the marker is how removal knows the file is ours.
# As win-acme's validation web.config (web_config.xml): the file must reach the CA's checker as-is and
# to anyone, so an HTTP redirect configured for the site (httpRedirect, e.g. to https or another host)
# is switched off here, and access is allowed to all users, anonymous ones included, in IIS URL
# authorization (<clear/> drops inherited deny rules, which IIS evaluates before allow rules) and in
# ASP.NET authorization. Only sections IIS delegates to web.config by default are used
# (anonymousAuthentication is locked at server level, so it is not touched).


def web_config(comment, file_extension, asp_net=True):
    """The web.config beside a validation file: ``file_extension`` (``.txt``; ``.`` for extensionless ACME tokens)
    served as text/plain, no redirect, allowed to all users (IIS URL authorization, and with ``asp_net`` ASP.NET's)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\r\n'
            '<!-- %s -->\r\n'
            '<configuration>\r\n'
            '  <system.webServer>\r\n'
            '    <staticContent>\r\n'
            '      <remove fileExtension="%s" />\r\n'
            '      <mimeMap fileExtension="%s" mimeType="text/plain" />\r\n'
            '    </staticContent>\r\n'
            '    <httpRedirect enabled="false" />\r\n'
            '    <security>\r\n'
            '      <authorization>\r\n'
            '        <clear />\r\n'
            '        <add accessType="Allow" users="*" />\r\n'
            '      </authorization>\r\n'
            '    </security>\r\n'
            '  </system.webServer>\r\n'
            + ('  <system.web>\r\n'
               '    <authorization>\r\n'
               '      <allow users="*" />\r\n'
               '    </authorization>\r\n'
               '  </system.web>\r\n' if asp_net else '')
            + '</configuration>\r\n') % (comment, file_extension, file_extension)


WEB_CONFIG = web_config('%s: written by hkpost.ecert.hkpost_dcv_token so IIS serves fileauth.txt as text/plain; '
                        'removed by state=absent' % WEB_CONFIG_MARKER, '.txt')
WEB_PROTOCOLS = ('http', 'https')
DEFAULT_SITE = 'Default Web Site'


def parse_binding(information):
    """``IP:port:host`` (IP may be ``*`` or ``[v6]``) -> (ip, port, host)."""
    ip, port, host = str(information).rsplit(':', 2) if str(information).count(':') >= 2 else ('*', '', '')
    try:
        port = int(port)
    except ValueError:
        port = None
    return ip, port, host.lower().rstrip('.')


def _web_hosts(site):
    for binding in site.get('bindings') or []:
        if str(binding.get('protocol', '')).lower() in WEB_PROTOCOLS:
            yield parse_binding(binding.get('binding_information', ''))


def _running(site):
    return str(site.get('state') or 'Started').lower() != 'stopped'


def sites_for(ascii_name, sites):
    """The sites answering ``ascii_name`` and why: host header, wildcard host header, or the default site."""
    live = [s for s in sites if _running(s)]
    exact = [s for s in live if any(host == ascii_name for _ip, _port, host in _web_hosts(s))]
    if exact:
        return exact, 'host header'
    wildcard = [s for s in live if any(host.startswith('*.') and ascii_name.endswith(host[1:])
                                       and '.' not in ascii_name[:-len(host[1:])] for _ip, _port, host in _web_hosts(s))]
    if wildcard:
        return wildcard, 'wildcard host header'
    blank = [s for s in live if any(host == '' and port in (80, 443) for _ip, port, host in _web_hosts(s))]
    if blank:
        default = [s for s in blank if s.get('name') == DEFAULT_SITE or s.get('id') == 1]
        return (default or sorted(blank, key=lambda s: s.get('id') or 0)[:1]), 'default site'
    raise HkpostError('no IIS site answers %s: no running site has a binding with host header %s, and no site '
                      'answers requests without a host header on port 80 or 443; add a binding for %s'
                      % (ascii_name, ascii_name, ascii_name))


PKI_VALIDATION = 'pki-validation'
# RFC 8555 8.3: the http-01 token is fetched from /.well-known/acme-challenge/<token>.
ACME_CHALLENGE = 'acme-challenge'


def directory_of(site, well_known=PKI_VALIDATION):
    """The site's ``.well-known\\<well_known>`` directory (``pki-validation`` for Hongkong Post's fileauth.txt,
    ``acme-challenge`` for ACME http-01 tokens)."""
    path = site.get('physical_path_expanded') or ''
    if not path or '%' in path:
        raise HkpostError('IIS site %s has physical path %r, which does not expand to a directory on the host'
                          % (site.get('name'), site.get('physical_path')))
    return path.rstrip('\\') + '\\.well-known\\' + well_known


def placements(ascii_name, sites, well_known=PKI_VALIDATION, file_name='fileauth.txt'):
    """Where ``ascii_name``'s validation file goes: ``[(site, {site, reason, directory, path})]``, one per site
    answering the name (sites_for), in the site's ``.well-known\\<well_known>`` directory (directory_of)."""
    matched, reason = sites_for(ascii_name, sites)
    found = []
    for site in matched:
        directory = directory_of(site, well_known)
        found.append((site, {'site': site.get('name'), 'reason': reason, 'directory': directory,
                             'path': directory + '\\' + file_name}))
    return found


def _decoded(b64):
    return base64.b64decode(b64) if b64 else None


def plan_iis(read, names, code, present):
    """Per-name placement and per-directory work.

    Returns ``(per_name, work, warnings)``: ``per_name`` maps an A-label to its placements
    [{site, reason, directory, path}], ``work`` lists one dict per directory to change
    ({directory, site, write_file, write_web_config, remove_file, remove_web_config}).
    """
    sites = read.get('sites') or []
    per_name, directories, warnings = {}, {}, []
    for entry in names:
        found = placements(entry['ascii_name'], sites)
        per_name[entry['ascii_name']] = [place for _site, place in found]
        for site, place in found:
            directories.setdefault(place['directory'].lower(), (place['directory'], site))
    work = []
    for directory, site in directories.values():
        files = site.get('files') or {}
        content = _decoded(files.get('fileauth_base64'))
        web_config = files.get('web_config') or {}
        item = {'directory': directory, 'site': site.get('name'), 'write_file': False, 'write_web_config': False,
                'remove_file': False, 'remove_web_config': False}
        if present:
            item['write_file'] = content != code.encode('ascii')
            mime = (site.get('txt_mime') or '').lower()
            if mime != 'text/plain':
                if web_config.get('exists') and not web_config.get('ours'):
                    raise HkpostError('IIS site %s serves .txt as %r and %s\\web.config exists but was not written by '
                                      'this module; map .txt to text/plain there (staticContent mimeMap) or remove it'
                                      % (site.get('name'), mime or 'nothing', directory))
                item['write_web_config'] = not web_config.get('exists')
        else:
            if content is not None and content.rstrip(b'\r\n') == code.encode('ascii'):
                item['remove_file'] = True
            elif content is not None:
                warnings.append('%s\\fileauth.txt holds another code; left in place' % directory)
            item['remove_web_config'] = bool(web_config.get('exists') and web_config.get('ours'))
        if any(item[k] for k in ('write_file', 'write_web_config', 'remove_file', 'remove_web_config')):
            work.append(item)
    return per_name, work, warnings
