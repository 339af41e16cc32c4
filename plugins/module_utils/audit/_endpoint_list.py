# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where audit endpoints come from: a plain list file, or inventory host variables.

List file, one endpoint per line, ``#`` starts a comment::

    www.example.gov.hk                      # port 443, SNI = the host
    192.0.2.10:8443 portal.example.gov.hk   # connect here, ask for this name
    [2001:db8::10]:443 www.example.gov.hk other.example.gov.hk   # several names: one endpoint each

Inventory: each host gives ``ansible_host`` (default: its inventory name), ``hkpost_served_port``
(default 443) and ``hkpost_served_names``, the names it should serve (default: its inventory name).
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError


def _host_port(token, line_number):
    if token.startswith('['):
        host, _sep, rest = token[1:].partition(']')
        port = rest[1:] if rest.startswith(':') else None
    elif token.count(':') == 1:
        host, port = token.split(':')
    else:
        host, port = token, None  # a bare IPv6 address or a name
    if port is None or port == '':
        return host, 443
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise HkpostError('endpoint list line %d: port %r is not 1-65535; write host:port, [IPv6]:port or a bare '
                          'host.' % (line_number, port))
    return host, int(port)


def parse_endpoint_list(text):
    endpoints = []
    for line_number, line in enumerate((text or '').splitlines(), 1):
        tokens = line.split('#', 1)[0].split()
        if not tokens:
            continue
        host, port = _host_port(tokens[0], line_number)
        if not host:
            raise HkpostError('endpoint list line %d: no host before the port.' % line_number)
        for name in tokens[1:] or [host]:
            endpoints.append({'host': host, 'port': port, 'server_name': name})
    return endpoints


def inventory_endpoints(hosts_vars):
    """One endpoint per (host, name it should serve), from a list of hostvars dicts."""
    endpoints = []
    for hv in hosts_vars or []:
        inventory_name = hv.get('inventory_hostname')
        names = hv.get('hkpost_served_names') or [inventory_name]
        if isinstance(names, str):
            names = [names]
        for name in names:
            endpoints.append({'host': hv.get('ansible_host') or inventory_name,
                              'port': int(hv.get('hkpost_served_port') or 443), 'server_name': name})
    return endpoints
