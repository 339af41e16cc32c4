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


def _kind(value):
    """A value's type as the operator wrote it (Ansible hands filters its own lazy dict/list subclasses)."""
    if hasattr(value, 'keys'):
        return 'dictionary'
    if isinstance(value, (list, tuple)):
        return 'list'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return 'number'
    return type(value).__name__


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
    if text is not None and not isinstance(text, str):
        raise HkpostError('endpoint_list takes the text of a list file (one endpoint per line), not a %s; read the file '
                          'first (lookup("ansible.builtin.file", "endpoints.txt") | hkpost.ecert.endpoint_list), or give '
                          'hkpost_served_chain its endpoints as a list directly.' % _kind(text))
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


def _served_port(value, host):
    if value in (None, ''):
        return 443
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise HkpostError('host %s: hkpost_served_port %r is not a port number; give 1-65535 (or leave it out for '
                          '443).' % (host, value))
    return int(text)


def inventory_endpoints(hosts_vars):
    """One endpoint per (host, name it should serve), from a list of hostvars dicts."""
    if hosts_vars is not None and not isinstance(hosts_vars, (list, tuple)):
        raise HkpostError('expects a list of host variables, not a %s; write e.g. groups["ecert_servers"] | '
                          'map("extract", hostvars) | list | hkpost.ecert.served_endpoints.' % _kind(hosts_vars))
    endpoints = []
    for index, hv in enumerate(hosts_vars or []):
        if not hasattr(hv, 'get'):
            raise HkpostError('item %d is a %s, not one host\'s variables; map the host names through hostvars '
                              '(map("extract", hostvars)) first.' % (index, _kind(hv)))
        inventory_name = hv.get('inventory_hostname')
        names = hv.get('hkpost_served_names') or [inventory_name]
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, (list, tuple)):
            raise HkpostError('host %s: hkpost_served_names must be a name or a list of names, not a %s.'
                              % (inventory_name, _kind(names)))
        port = _served_port(hv.get('hkpost_served_port'), inventory_name)
        for name in names:
            endpoints.append({'host': hv.get('ansible_host') or inventory_name, 'port': port, 'server_name': name})
    return endpoints
