# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's whole Exchange install, planned from one read: import, enable, and the state afterwards.

retire_read with Exchange answers every Exchange certificate (DER, key, status - pending requests included -,
services) beside the stores and http.sys mappings. Each issued certificate is planned here through
install/_exchange.py's plan_present (the pending request it completes, the wildcard refusal for POP/IMAP, the
services it takes), one after the other on the state the previous ones leave, and the state the host will
be in afterwards goes to install/_retire.py, which decides what the new certificates replace - with the same
policy as on IIS. Nothing is removed here: removal is plan_retire's, after the served certificate is verified.
"""

from __future__ import annotations

import base64
import copy

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import (
    SINGLE_CERTIFICATE_SERVICES, enable_parameters, plan_present, reported_services, rollback_assignment)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import describe_entry


def described_exchange(certificates):
    """retire_read's Exchange certificates as plan_present wants them (those Exchange sent no DER for are left out:
    nothing can be planned on them, and plan_retire still sees their unknown services)."""
    found = []
    for raw in certificates or []:
        if not raw.get('der'):
            continue
        info = describe_entry(raw)
        info.update(status=raw.get('status'), services=reported_services(raw))
        found.append(info)
    return found


def _services_text(services):
    return None if services is None else (', '.join(sorted(services)) or 'None')


def plan_exchange_install(state, certificates, now=None):
    """Plan importing and enabling ``certificates`` on an Exchange server whose retire_read answer is ``state``.

    ``certificates``: dicts with ``leaf`` (cert_info), ``der`` and ``services`` (a set, parse_services'). Returns
    ``{'certificates': [...], 'stores_after': {...}, 'state_after': {...}}``: per certificate its steps, the
    exchange_enable parameters (None when already right), the services before and after, and the rollback
    assignment if the check after enabling fails. Raises HkpostError on a refusal, before anything is sent.
    """
    exchange = state.get('exchange') or {}
    if not exchange.get('known'):
        raise HkpostError('Exchange did not answer (%s), so what it holds and serves is unknown; nothing was '
                          'changed.' % (exchange.get('error') or 'no error message'))
    after = copy.deepcopy({'stores': {k: list(v or []) for k, v in (state.get('stores') or {}).items()},
                           'iis': state.get('iis') or {}, 'exchange': exchange})
    planned = []
    for cert in certificates:
        leaf, services = cert['leaf'], set(cert['services'])
        current = described_exchange(after['exchange']['certificates'])
        decision = plan_present(leaf, current, services, remove_superseded=False, now=now)
        before = {c['sha1']: c['services'] for c in current}
        planned.append({'thumbprint': leaf['sha1'], 'steps': [s['step'] for s in decision['steps']],
                        'parameters': enable_parameters(leaf['sha1'], cert['der'], decision['steps']),
                        'services_before': before.get(leaf['sha1']) or [],
                        'services_after': decision['services_after'][leaf['sha1']],
                        'rollback': rollback_assignment(leaf, current, services)})
        _apply(after, leaf, cert['der'], services, 'import' in planned[-1]['steps'])
    return {'certificates': planned, 'stores_after': after['stores'], 'state_after': after}


def _apply(after, leaf, der, services, imported):
    """The state after importing (the pending request becomes the certificate, in Exchange and in My) and
    enabling (the single-certificate services move off every other certificate; SMTP stays where it is)."""
    certificates = after['exchange']['certificates']
    if imported:
        certificates[:] = [c for c in certificates
                           if not (c.get('status') == 'PendingRequest' and c.get('der')
                                   and describe_entry(c)['spki_sha256'] == leaf['spki_sha256'])]
        entry = {'thumbprint': leaf['sha1'], 'der': base64.b64encode(der).decode('ascii'), 'has_private_key': True,
                 'friendly_name': '', 'status': 'Valid', 'services': 'None'}
        certificates.append(dict(entry))
        kept = ('thumbprint', 'der', 'has_private_key', 'friendly_name')
        after['stores'].setdefault('My', []).append({k: entry[k] for k in kept})
        after['stores']['REQUEST'] = [e for e in after['stores'].get('REQUEST') or []
                                      if describe_entry(e)['spki_sha256'] != leaf['spki_sha256']]
    moved = SINGLE_CERTIFICATE_SERVICES & services
    for cert in certificates:
        held = reported_services(cert)
        if cert['thumbprint'].upper() == leaf['sha1']:
            cert['services'] = _services_text(set(held or ()) | services)
        elif held is not None:
            cert['services'] = _services_text(set(held) - moved)
