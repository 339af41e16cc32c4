# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Held versus served: the served-chain audit's endpoints by host, and each certificate judged on each host.

``served``: an endpoint of a host holding it serves it. ``not served``: the audit probed where one of the
host's consumers of it listens and got another certificate. ``not audited``: no endpoint of the host was
probed there (RDP and SQL Server negotiate TLS inside their own protocols and are never probed).
"""

from __future__ import annotations

import json

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import kind_of


def audit_index(audit):
    """host -> [(endpoint text, leaf sha256)] from an hkpost_served_chain result."""
    audit = json.loads(json.dumps(audit, default=str)) if audit else None
    if not audit:
        return None
    if not isinstance(audit, dict) or not isinstance(audit.get('endpoints'), list):
        raise ValueError('audit must be the registered result of hkpost.ecert.hkpost_served_chain (a dict with '
                         '"endpoints"), got %s' % kind_of(audit))
    index = {}
    for endpoint in audit['endpoints']:
        served = endpoint.get('served') or []
        leaf = next((c for c in served if not c.get('is_ca')), served[0] if served else None)
        host = endpoint.get('inventory_name') or endpoint.get('host')
        text = '%s:%s%s' % (endpoint.get('host'), endpoint.get('port'),
                            ' (%s)' % endpoint['server_name'] if endpoint.get('server_name') else '')
        index.setdefault(host, []).append({'endpoint': text, 'sha256': (leaf or {}).get('sha256'),
                                           'port': endpoint.get('port'),
                                           'server_name': str(endpoint.get('server_name') or '').lower() or None,
                                           'subject_cn': (leaf or {}).get('subject_cn'),
                                           'verdict': endpoint.get('verdict')})
    return index


def judge_served(entry, host, endpoints, claims):
    """Put ``host`` in the entry's served_on, not_served_on or not_audited_on (or none: nothing uses it there).

    Served: an endpoint of the host serves it. Not served: the audit probed where one of the host's consumers
    of it listens - the SNI name on its port for a hostnameport mapping; for any other consumer its port,
    under a name no SNI mapping on that port claims - and got another certificate. Consumers the audit cannot
    reach (RDP, SQL Server) or ports it did not probe leave the question open: not audited.
    """
    if not entry['sha256']:
        return  # bytes the controller could not read: nothing to compare
    if any(e['sha256'] == entry['sha256'] for e in endpoints or []):
        entry['served_on'].append(host)
        return
    consumers = [c for c in entry['consumers'] if c['host'] == host]
    if not consumers:
        return
    relevant = []
    for consumer in consumers:
        for endpoint in endpoints or []:
            if endpoint['port'] not in consumer['ports']:
                continue
            if consumer['server_name'] and endpoint['server_name'] == consumer['server_name']:
                relevant.append(endpoint)
            elif not consumer['server_name'] and (endpoint['port'], endpoint['server_name']) not in claims:
                relevant.append(endpoint)
    if relevant and not entry['is_ca']:
        entry['not_served_on'].append(host)
    else:
        entry['not_audited_on'].append(host)


def served_status(entry, served_index):
    if served_index is None:
        return 'no audit given'
    if entry['not_served_on']:
        return 'not served'
    if entry['served_on']:
        return 'served'
    if entry['not_audited_on']:
        return 'not audited'
    return 'not used'
