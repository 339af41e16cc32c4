# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What needs renewing on a host, what its bindings serve, and the fleet summary of a renewal phase.

The to-renew list is the audit's ``fleet-to-renew.json`` (``{"hosts": {HOST: [{common_name, ...}]},
"certificates": [{common_name, hosts: [...]}, ...]}``, see served_chain_audit.rst) or a list of
``{host, common_name}`` the operator writes. It may also arrive wrapped as ``{"to_renew": [...]}``; an entry
may name the certificate ``name`` or ``server_name`` instead of ``common_name``, and carry ``hosts`` (a list)
instead of ``host``. Names compare in
ASCII form. Without a list, every certificate of the host is renewed.
"""

from __future__ import annotations

import json

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._endpoint_list import (
    exchange_service_ports, host_ports)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import ascii_name as _ascii


def parse_renew_list(data):
    """The to-renew list from JSON text or data, as ``[{'host', 'common_name'}]`` (ASCII names)."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as e:
            raise HkpostError('the to-renew list is not JSON (%s); give a list of {"host": ..., "common_name": ...}.'
                              % e)
    if isinstance(data, dict):
        if isinstance(data.get('hosts'), dict):  # the audit's per-host map
            data = [dict(entry, host=host) for host, entries in data['hosts'].items() for entry in entries or []]
        else:
            data = data.get('to_renew', data.get('certificates'))
    if isinstance(data, list):
        data = [dict(entry, host=host) for entry in data if isinstance(entry, dict)
                for host in (entry['hosts'] if isinstance(entry.get('hosts'), list) and not entry.get('host')
                             else [entry.get('host')])] + [e for e in data if not isinstance(e, dict)]
    if not isinstance(data, list):
        raise HkpostError('the to-renew list must be a list of {"host": ..., "common_name": ...} (or an object with '
                          'a "to_renew" list).')
    found = []
    for index, entry in enumerate(data):
        name = isinstance(entry, dict) and (entry.get('common_name') or entry.get('name') or entry.get('server_name'))
        if not name or not entry.get('host'):
            raise HkpostError('to-renew entry %d needs host and common_name; got %r.' % (index, entry))
        found.append({'host': entry['host'], 'common_name': _ascii(name)})
    return found


def select_for_renewal(certificates, to_renew, host):
    """The entries of ``host``'s certificate list to renew (all of them when ``to_renew`` is None)."""
    if to_renew is None:
        return list(certificates or [])
    wanted = {e['common_name'] for e in parse_renew_list(to_renew) if e['host'] == host}
    return [c for c in certificates or [] if _ascii(c.get('common_name')) in wanted]


def binding_endpoints(hosts):
    """hkpost_served_chain endpoints for what the fleet should now serve: one per IIS binding with a host
    header (the address is the host's ``ansible_host``), and for each Exchange certificate's name one per port
    of its ``exchange_services`` (IIS 443, SMTP 25/587 STARTTLS, ...; default the exchange role's
    ``hkpost_exchange_services``, else IIS and SMTP as that role does) - or of the
    host's ``hkpost_served_ports`` when set, as audit.yml reads them (served_chain_audit.rst)."""
    endpoints = []
    for hostvars in hosts:
        inventory_name = hostvars.get('inventory_hostname')
        address = hostvars.get('ansible_host') or inventory_name
        platform = hostvars.get('hkpost_platform') or 'iis'
        certificates = hostvars.get('hkpost_certificates') or []
        if not isinstance(certificates, (list, tuple)) or not all(hasattr(c, 'get') for c in certificates):
            raise HkpostError('host %s: hkpost_certificates must be a list of certificate entries (common_name, ...), '
                              'not %r; see certificates_list.rst.' % (inventory_name, certificates))
        for cert in certificates:
            if platform == 'exchange':
                name = _ascii(cert['common_name'])
                if name.startswith('*.'):  # no single name to ask for
                    continue
                ports = host_ports(hostvars, inventory_name) if hostvars.get('hkpost_served_ports') \
                    else exchange_service_ports(cert.get('exchange_services') or hostvars.get('hkpost_exchange_services'),
                                                inventory_name)
                for port in ports:
                    endpoint = {'host': address, 'port': port['port'], 'server_name': name,
                                'inventory_name': inventory_name}
                    if port.get('starttls'):
                        endpoint['starttls'] = port['starttls']
                    endpoints.append(endpoint)
                continue
            for binding in cert.get('iis_bindings') or []:
                if binding.get('host_header'):
                    # the inventory name travels with the address: the report shows it, and its to-renew list
                    # names hosts that renew.yml can select again
                    endpoints.append({'host': address, 'port': int(binding.get('port') or 443),
                                      'server_name': binding['host_header'].lower(), 'inventory_name': inventory_name})
    unique = []
    for endpoint in endpoints:
        if endpoint not in unique:
            unique.append(endpoint)
    return unique


def phase_summary_of(rows_by_host):
    """The fleet summary of one phase: every host of the play, with the row it recorded (status, detail, and
    lists) or - when it recorded none (None: unreachable, or stopped before) - status ``failed``. Returns rows,
    counts per status and a printable table."""
    rows = []
    for host, recorded in rows_by_host.items():
        row = dict(recorded or {'status': 'failed', 'detail': 'no result recorded (unreachable?)'})
        row['host'] = host
        rows.append(row)
    rows.sort(key=lambda r: r['host'])
    counts = {}
    table = ['%-14s %-8s %s' % ('HOST', 'STATUS', 'DETAIL')]
    for row in rows:
        counts[row['status']] = counts.get(row['status'], 0) + 1
        table.append('%-14s %-8s %s' % (row['host'], row['status'], row.get('detail') or ''))
    return {'rows': rows, 'counts': counts, 'table': table,
            'failed': [r['host'] for r in rows if r['status'] == 'failed']}
