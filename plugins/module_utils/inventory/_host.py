# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One host's certificate_inventory_read answer as the module returns it: certificates and consumers joined.

A consumer is anything on the host configured with a certificate thumbprint: an IIS https binding (through
the http.sys mapping IIS writes for it), an http.sys mapping no IIS binding explains, an Exchange certificate
with services, the RDP listener, a WinRM HTTPS listener, RD Gateway, a SQL Server instance. A consumer is
attached to the certificates of the personal stores (My, WebHosting, Remote Desktop) carrying its thumbprint;
one that names a certificate the host does not hold is listed as dangling - that service is broken or about
to be.
"""

from __future__ import annotations

import base64

from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography import x509
except ImportError as exc:
    x509 = MissingLibrary('cryptography', exc)

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info

# Every LocalMachine store the inventory reads, in the order it lists them.
STORES = ('My', 'WebHosting', 'Remote Desktop', 'CA', 'Root', 'Disallowed', 'REQUEST')
# Stores whose certificates a service can be configured with (they carry the private keys).
PERSONAL = ('My', 'WebHosting', 'Remote Desktop')
# The fields of cert_info a report needs; the DER itself stays on the controller side of the module.
_INFO_FIELDS = ('sha256', 'spki_sha256', 'subject', 'subject_cn', 'issuer', 'issuer_cn', 'serial',
                'not_before', 'not_after', 'dns_names', 'role', 'is_hkpost', 'generation', 'product', 'hierarchy',
                'is_ca', 'self_signed', 'key_type', 'key_size')


def _thumbprint(value):
    """A thumbprint as Windows sources write it (RDP upper case, SQL Server lower case, spaces) -> upper hex."""
    text = ''.join(str(value or '').split()).replace('-', '').upper()
    return text or None


def describe(entry, store):
    """A store entry from the payload as the module lists it."""
    key = entry.get('key') if isinstance(entry.get('key'), dict) else {}
    record = {'store': store, 'thumbprint': _thumbprint(entry.get('thumbprint')),
              'has_private_key': bool(entry.get('has_private_key')), 'friendly_name': entry.get('friendly_name') or '',
              'archived': bool(entry.get('archived')), 'key_provider': key.get('provider'),
              'key_storage': key.get('storage'), 'exportable': key.get('exportable'), 'key_error': key.get('error'),
              'consumers': []}
    try:
        info = cert_info(x509.load_der_x509_certificate(base64.b64decode(entry.get('der') or '')))
    except (ValueError, TypeError) as exc:
        # One unreadable entry must not hide the rest of the store; it is listed with the reason.
        record.update(error='the certificate bytes could not be read: %s' % exc, sha256=None, subject_cn=None,
                      dns_names=[], not_after=None, not_before=None, is_ca=False, is_hkpost=False, generation=None,
                      role='other')
        return record
    record.update({k: info[k] for k in _INFO_FIELDS})
    return record


def _iis_endpoint(binding):
    """The http.sys mapping IIS writes for a binding: hostnameport for SNI (sslFlags bit 1), else ipport."""
    # "IP:PORT:HOST" with an IPv6 address in brackets (install/_iis_binding.py binding_ip writes it so): split from
    # the right, as a host name holds no colon and an IPv6 address several.
    rest, _sep, hostname = (binding.get('binding_information') or '').rpartition(':')
    ip, _sep, port = rest.rpartition(':')
    flags = int(binding.get('ssl_flags') or 0)
    if flags & 1:
        return 'hostnameport', '%s:%s' % (hostname, port)
    return 'ipport', '%s:%s' % ('0.0.0.0' if ip in ('*', '') else ip, port)


def _reach(kind, endpoint):
    """Where a TLS client meets an http.sys mapping: its port, and the server name (SNI) for hostnameport."""
    name, _sep, port = endpoint.rpartition(':')
    return {'ports': [int(port)] if port.isdigit() else [], 'server_name': name.lower() if kind == 'hostnameport'
            else None}


def _iis_consumers(iis):
    mappings = {}
    for kind in ('ipport', 'hostnameport'):
        for mapping in (iis.get('sslcert') or {}).get(kind) or []:
            mappings[(kind, str(mapping.get('endpoint')).lower())] = mapping
    consumers, explained = [], set()
    for site in iis.get('sites') or []:
        for binding in site.get('bindings') or []:
            where = 'IIS site "%s" binding %s' % (site.get('name'), binding.get('binding_information'))
            if int(binding.get('ssl_flags') or 0) & 2:
                # Centralized Certificate Store: the certificate is a file on a share, not a store entry.
                consumers.append({'kind': 'iis', 'name': where + ' (Centralized Certificate Store)',
                                  'thumbprint': None, 'store': None})
                continue
            kind, endpoint = _iis_endpoint(binding)
            mapping = mappings.get((kind, endpoint.lower()))
            explained.add((kind, endpoint.lower()))
            consumers.append(dict(_reach(kind, endpoint), kind='iis', name=where, endpoint='%s=%s' % (kind, endpoint),
                                  thumbprint=_thumbprint((mapping or {}).get('thumbprint')),
                                  store=(mapping or {}).get('store')))
    for (kind, endpoint), mapping in sorted(mappings.items()):
        if (kind, endpoint) not in explained:
            consumers.append(dict(_reach(kind, str(mapping.get('endpoint'))), kind='http.sys',
                                  name='http.sys mapping %s=%s' % (kind, mapping.get('endpoint')),
                                  endpoint='%s=%s' % (kind, mapping.get('endpoint')),
                                  thumbprint=_thumbprint(mapping.get('thumbprint')), store=mapping.get('store')))
    return consumers


# The ports each Exchange service listens on with TLS (implicit, or STARTTLS on the plain port).
_EXCHANGE_PORTS = {'IIS': [443], 'SMTP': [25, 587], 'IMAP': [993, 143], 'POP': [995, 110]}


def _exchange_consumers(exchange):
    consumers = []
    for cert in exchange.get('certificates') or []:
        services = cert.get('services')
        if services is None:
            consumers.append({'kind': 'exchange', 'name': 'Exchange (services unknown)', 'ports': [],
                              'server_name': None, 'thumbprint': _thumbprint(cert.get('thumbprint')), 'store': 'My'})
        elif services.strip() and services.strip() != 'None':
            ports = sorted({p for s in services.split(',') for p in _EXCHANGE_PORTS.get(s.strip(), [])})
            consumers.append({'kind': 'exchange', 'name': 'Exchange services %s' % services, 'ports': ports,
                              'server_name': None, 'thumbprint': _thumbprint(cert.get('thumbprint')), 'store': 'My'})
    return consumers


def _other_consumers(answer):
    consumers = []
    for listener in (answer.get('rdp') or {}).get('listeners') or []:
        if _thumbprint(listener.get('thumbprint')):
            # RDP negotiates TLS inside its own protocol: the served-chain audit does not reach it.
            consumers.append({'kind': 'rdp', 'name': 'RDP listener %s' % listener.get('terminal_name'),
                              'ports': [], 'server_name': None,
                              'thumbprint': _thumbprint(listener.get('thumbprint')), 'store': None})
    for listener in (answer.get('winrm') or {}).get('listeners') or []:
        if str(listener.get('transport') or '').upper() == 'HTTPS':
            consumers.append({'kind': 'winrm', 'name': 'WinRM HTTPS listener port %s (address %s%s)' % (
                listener.get('port'), listener.get('address'),
                ', hostname %s' % listener['hostname'] if listener.get('hostname') else ''),
                'ports': [int(listener['port'])] if str(listener.get('port') or '').isdigit() else [],
                'server_name': None, 'thumbprint': _thumbprint(listener.get('thumbprint')), 'store': 'My'})
    gateway = answer.get('rd_gateway') or {}
    if gateway.get('installed') and _thumbprint(gateway.get('thumbprint')):
        # The gateway's certificate is its HTTPS binding on port 443 in IIS (Win32_TSGatewayServerSettings).
        consumers.append({'kind': 'rd_gateway', 'name': 'RD Gateway', 'ports': [443], 'server_name': None,
                          'thumbprint': _thumbprint(gateway['thumbprint']), 'store': 'My'})
    for instance in (answer.get('sql') or {}).get('instances') or []:
        # An empty Certificate value means SQL Server made its own self-signed certificate at start-up.
        if _thumbprint(instance.get('thumbprint')):
            # TDS starts TLS inside its own pre-login exchange: the served-chain audit does not reach it.
            consumers.append({'kind': 'sql', 'name': 'SQL Server instance %s (%s)' % (instance.get('name'),
                                                                                      instance.get('id')),
                              'ports': [], 'server_name': None,
                              'thumbprint': _thumbprint(instance['thumbprint']), 'store': 'My'})
    return consumers


def _sources(answer):
    """What each consumer source said: read, absent, not asked, or the error it reported."""
    def state(section, present=True):
        section = answer.get(section) or {}
        if section.get('error'):
            return 'error: %s' % section['error']
        return 'read' if present else 'not installed'
    exchange = answer.get('exchange') or {}
    return {
        'iis': 'read' if (answer.get('iis') or {}).get('present') else 'not installed (http.sys mappings read)',
        'exchange': ('error: %s' % exchange['error'] if exchange.get('error') else
                     'read' if exchange.get('known') else 'not asked'),
        'rdp': state('rdp'), 'winrm': state('winrm'),
        'rd_gateway': state('rd_gateway', (answer.get('rd_gateway') or {}).get('installed')),
        'sql': state('sql', bool((answer.get('sql') or {}).get('instances'))),
    }


def host_inventory(answer, host):
    """The module's result for ``host`` from the payload's ``answer``."""
    stores = answer.get('stores') or {}
    certificates = [describe(entry, store) for store in STORES for entry in stores.get(store) or []
                    if isinstance(entry, dict)]
    consumers = _iis_consumers(answer.get('iis') or {}) + _exchange_consumers(answer.get('exchange') or {}) \
        + _other_consumers(answer)
    personal = {}
    for cert in certificates:
        if cert['store'] in PERSONAL and cert['thumbprint']:
            personal.setdefault(cert['thumbprint'], []).append(cert)
    dangling = []
    for consumer in consumers:
        if not consumer['thumbprint']:
            continue
        held = personal.get(consumer['thumbprint'], [])
        if consumer.get('store'):
            # http.sys keeps the store name (MY, WebHosting); the certificate must be in that one.
            held = [c for c in held if c['store'].lower() == str(consumer['store']).lower()] or held
        for cert in held:
            cert['consumers'].append({k: consumer[k] for k in ('kind', 'name', 'ports', 'server_name')})
        if not held:
            dangling.append(dict(consumer, reason='points at a certificate this host does not hold'))
    return {'host': host, 'os_build': answer.get('os_build'), 'certificates': certificates,
            'consumers': consumers, 'dangling': dangling, 'sources': _sources(answer)}
