# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where audit endpoints come from: a plain list file, or inventory host variables.

List file, one endpoint per line, ``#`` starts a comment::

    www.example.gov.hk                      # port 443, SNI = the host
    192.0.2.10:8443 portal.example.gov.hk   # connect here, ask for this name
    [2001:db8::10]:443 www.example.gov.hk other.example.gov.hk   # several names: one endpoint each
    smtp://mail.example.gov.hk:587          # STARTTLS first: smtp://, imap://, pop3://; tls:// for none
    mail.example.gov.hk:25                  # 25/587, 143 and 110 speak SMTP, IMAP, POP3 first anyway

Inventory: each host gives ``ansible_host`` (default: its inventory name) and ``hkpost_served_names``,
the names it should serve (default: its inventory name); one endpoint per name and port. The ports:

- ``hkpost_served_ports`` when given: a list of ports or ``{port, starttls}`` (it overrides the rest);
- a host with ``hkpost_platform: exchange``: the ports of the services its certificates are enabled for
  (``exchange_services`` of its ``hkpost_certificates`` entries; IIS and SMTP when none is listed, as a
  fresh Exchange server serves): IIS 443, SMTP 25 and 587 (STARTTLS), IMAP 993 and 143 (STARTTLS),
  POP 995 and 110 (STARTTLS);
- any other host: ``hkpost_served_port`` (default 443).

Each endpoint carries ``inventory_name``, so reports show the inventory name with the address beside it.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError


_SCHEMES = {'smtp': 'smtp', 'imap': 'imap', 'pop3': 'pop3', 'tls': 'none'}


def _host_port(token, line_number):
    if token.startswith('['):
        host, _sep, rest = token[1:].partition(']')
        if rest and not rest.startswith(':'):
            # "[2001:db8::10]8443" was audited on 443 without a word: refused like any other unreadable port.
            raise HkpostError('endpoint list line %d: %r after the IPv6 address is not ":port"; write [IPv6]:port.'
                              % (line_number, rest))
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
        scheme, sep, target = tokens[0].rpartition('://')
        if sep and scheme.lower() not in _SCHEMES:
            raise HkpostError('endpoint list line %d: %s:// is not one of %s.'
                              % (line_number, scheme, ', '.join(s + '://' for s in _SCHEMES)))
        host, port = _host_port(target, line_number)
        if not host:
            raise HkpostError('endpoint list line %d: no host before the port.' % line_number)
        for name in tokens[1:] or [host]:
            endpoint = {'host': host, 'port': port, 'server_name': name}
            if sep:
                endpoint['starttls'] = _SCHEMES[scheme.lower()]
            endpoints.append(endpoint)
    return endpoints


# What Exchange serves each service on (Exchange "Default Frontend"/"Client Frontend" receive connectors,
# POP3/IMAP4 service bindings); keys are the exchange_services values of hkpost_certificates.
EXCHANGE_PORTS = {
    'IIS': ({'port': 443},),
    'SMTP': ({'port': 25, 'starttls': 'smtp'}, {'port': 587, 'starttls': 'smtp'}),
    'IMAP': ({'port': 993}, {'port': 143, 'starttls': 'imap'}),
    'POP': ({'port': 995}, {'port': 110, 'starttls': 'pop3'}),
}
EXCHANGE_DEFAULT_SERVICES = ('IIS', 'SMTP')


def _check_service(service, inventory_name):
    key = str(service).upper()
    if key not in EXCHANGE_PORTS:
        raise HkpostError('%s: exchange_services entry %r is not one of %s.'
                          % (inventory_name, service, ', '.join(EXCHANGE_PORTS)))
    return key


def exchange_service_ports(services, inventory_name):
    """The ports Exchange serves ``services`` on (IIS and SMTP when none is given), in EXCHANGE_PORTS order."""
    keys = []
    for service in services or ():
        key = _check_service(service, inventory_name)
        if key not in keys:
            keys.append(key)
    ports = []
    for key in sorted(keys or EXCHANGE_DEFAULT_SERVICES, key=list(EXCHANGE_PORTS).index):
        ports.extend(dict(p) for p in EXCHANGE_PORTS[key])
    return ports


def _exchange_ports(hv, inventory_name):
    services = [service for certificate in hv.get('hkpost_certificates') or []
                for service in (certificate or {}).get('exchange_services') or []]
    return exchange_service_ports(services, inventory_name)


def host_ports(hv, inventory_name):
    """The ports a host's endpoints are audited on: hkpost_served_ports when set, else its Exchange services'
    ports, else hkpost_served_port (default 443)."""
    given = hv.get('hkpost_served_ports')
    if given:
        if not isinstance(given, (list, tuple)):
            raise HkpostError('%s: hkpost_served_ports must be a list of ports or {port, starttls} entries, got %r.'
                              % (inventory_name, given))
        ports = []
        for entry in given:
            entry = dict(entry) if isinstance(entry, dict) else {'port': entry}
            try:
                entry['port'] = int(entry.get('port'))
            except (TypeError, ValueError):
                raise HkpostError('%s: hkpost_served_ports entry %r has no port number.' % (inventory_name, entry))
            ports.append(entry)
        return ports
    if str(hv.get('hkpost_platform') or 'iis').lower() == 'exchange':
        return _exchange_ports(hv, inventory_name)
    return [{'port': int(hv.get('hkpost_served_port') or 443)}]


def inventory_endpoints(hosts_vars):
    """One endpoint per (host, name it should serve, port), from a list of hostvars dicts."""
    endpoints = []
    for hv in hosts_vars or []:
        inventory_name = hv.get('inventory_hostname')
        names = hv.get('hkpost_served_names') or [inventory_name]
        if isinstance(names, str):
            names = [names]
        for port in host_ports(hv, inventory_name):
            for name in names:
                endpoint = {'host': hv.get('ansible_host') or inventory_name, 'port': port['port'],
                            'server_name': name, 'inventory_name': inventory_name}
                if port.get('starttls'):
                    endpoint['starttls'] = port['starttls']
                endpoints.append(endpoint)
    return endpoints
