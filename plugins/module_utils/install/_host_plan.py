# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's whole IIS install, planned from one read: complete, bind, and what is retired afterwards.

The per-certificate modules each read the host before they write (a completion reads the stores, a binding
reads IIS and the stores again), so a host with three certificates costs a dozen reads even when it is already
right. Here the one read of retire_read (stores, IIS bindings, http.sys mappings) is planned through: each
certificate's completion (install/_complete.py), each binding (install/_iis_binding.py, every refusal kept), and
the state the host will be in afterwards, from which install/_retire.py decides what the new
certificates replace. A host already right costs that one read.
"""

from __future__ import annotations

import base64
import copy

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._complete import (
    default_friendly_name, plan_completion)
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import (
    binding_ip, plan, select_certificate)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import describe_entry
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import a_label_host


def _described(stores, name):
    return [describe_entry(e, name) for e in stores.get(name) or []]


def desired_binding(binding, thumbprint):
    """An iis_bindings entry as iis_binding's plan() wants it (the same defaults as the iis role)."""
    raw_host = (binding.get('host_header') or '').strip()
    # As iis_binding: IIS and http.sys match the A-label form; a U-label host header is converted.
    host = a_label_host(raw_host, 'host_header', wildcard=True) if raw_host else ''
    sni = bool(host) if binding.get('sni') is None else bool(binding['sni'])
    if sni and not host:
        raise HkpostError('binding %r: sni needs a host_header (SNI selects the certificate by the host name).' % binding)
    if not binding.get('site'):
        raise HkpostError('binding %r needs site, the IIS site name.' % binding)
    raw_port = binding.get('port')
    if raw_port is None:  # not given: 443, iis_binding's default; a 0 is refused below as iis_binding refuses it
        raw_port = 443
    try:
        if isinstance(raw_port, (bool, float)):
            raise ValueError(raw_port)
        port = int(raw_port)
    except (TypeError, ValueError):
        raise HkpostError('binding on site %r: port %r is not a port number; give the https port as a number '
                          '(443), not a scheme name.' % (binding.get('site'), raw_port))
    if not 1 <= port <= 65535:
        raise HkpostError('binding %r: port %d is out of range; give 1-65535.' % (binding, port))
    return {'site': binding['site'], 'ip': binding_ip(binding.get('ip')), 'port': port, 'host': host, 'sni': sni,
            'thumbprint': thumbprint, 'store': binding.get('certificate_store') or 'My', 'state': 'present'}


def _apply_to_state(state, decision):
    """The IIS state after ``decision``'s steps: the binding present with its flags, http.sys mapping it."""
    after = decision['after']
    iis = state['iis']
    for site in iis['sites']:
        if site['name'] == after['site']:
            info = '%s:%d:%s' % (after['ip'], after['port'], after['host'])
            bindings = [b for b in site.get('bindings') or [] if b.get('binding_information') != info]
            bindings.append({'protocol': 'https', 'binding_information': info, 'ssl_flags': after['ssl_flags']})
            site['bindings'] = bindings
    kind = 'hostnameport' if after['sni'] else 'ipport'
    endpoint = ('%s:%d' % (after['host'], after['port']) if after['sni']
                else '%s:%d' % ('0.0.0.0' if after['ip'] == '*' else after['ip'], after['port']))
    mappings = [m for m in iis['sslcert'].get(kind) or [] if m['endpoint'].lower() != endpoint.lower()]
    mappings.append({'endpoint': endpoint, 'thumbprint': after['thumbprint'], 'store': after['store']})
    iis['sslcert'][kind] = mappings


def plan_install(state, certificates, now=None):
    """Plan completing and binding ``certificates`` on a host whose retire_read answer is ``state``.

    ``certificates``: dicts with ``leaf`` (cert_info of the issued certificate), ``der`` (its bytes),
    ``friendly_name`` and ``iis_bindings``. Returns ``{'complete': [...], 'bindings': [...], 'warnings': [...],
    'stores_after': {...}, 'state_after': {...}}``; raises HkpostError on a refusal, before anything is sent.
    """
    stores = state.get('stores') or {}
    after = copy.deepcopy({'stores': {k: list(v or []) for k, v in stores.items()},
                           'iis': {'sites': (state.get('iis') or {}).get('sites') or [],
                                   'sslcert': {k: list(v or []) for k, v in
                                               ((state.get('iis') or {}).get('sslcert') or {}).items()}},
                           'exchange': state.get('exchange') or {}})
    after['iis']['sslcert'].setdefault('ipport', [])
    after['iis']['sslcert'].setdefault('hostnameport', [])
    pending = _described(stores, 'REQUEST')
    complete, planned, warnings = [], [], []
    for cert in certificates:
        leaf = cert['leaf']
        decision = plan_completion(leaf, pending, _described(after['stores'], 'My'), now)
        warnings.extend(decision['warnings'])
        if decision['action'] == 'accept':
            complete.append({'thumbprint': leaf['sha1'], 'der': cert['der'],
                             'friendly_name': cert.get('friendly_name') or default_friendly_name(leaf),
                             'request': decision['request']['sha1']})
            after['stores'].setdefault('My', []).append(
                {'thumbprint': leaf['sha1'], 'der': base64.b64encode(cert['der']).decode('ascii'),
                 'has_private_key': True, 'friendly_name': cert.get('friendly_name') or default_friendly_name(leaf)})
            after['stores']['REQUEST'] = [e for e in after['stores'].get('REQUEST') or []
                                          if describe_entry(e)['spki_sha256'] != leaf['spki_sha256']]
        for binding in cert.get('iis_bindings') or []:
            desired = desired_binding(binding, leaf['sha1'])
            select_certificate(_described(after['stores'], desired['store']), thumbprint=leaf['sha1'],
                               host=desired['host'], now=now)
            decision = plan(after['iis']['sites'], after['iis']['sslcert'], desired,
                            shared_ok=bool(binding.get('shared_ok')))
            planned.append({'certificate': leaf['sha1'], 'site': desired['site'], 'host': desired['host'],
                            'port': desired['port'], 'decision': decision})
            if decision['after']:
                _apply_to_state(after, decision)
    return {'complete': complete, 'bindings': planned, 'warnings': warnings, 'stores_after': after['stores'],
            'state_after': after}
