# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""After a write: what the host serves, checked from the controller, and an IIS binding put back - once.

iis_binding and hkpost_install (IIS and Exchange) check the served certificate and roll a binding back through
here, so the rule "the served thumbprint is the one just bound, with a chain that verifies" has one
implementation (a twin of it once skipped the thumbprint comparison).
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import rollback_steps
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError

try:
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
except ImportError:  # pragma: no cover - shipped together
    audit_endpoints = None


def served_check(address, port, server_name, expected, trust, timeout):
    """``(endpoint, served thumbprint or None, problems)`` for ``address:port`` asked for ``server_name`` (SNI).

    A problem is a critical or error finding, or a certificate other than ``expected`` (or none) served: a right
    chain for the wrong certificate is not an install."""
    if audit_endpoints is None:  # pragma: no cover
        raise HkpostError('verify needs plugins/module_utils/audit/_served_chain_audit.py, which is missing.')
    endpoint = audit_endpoints([{'host': address, 'port': port, 'server_name': server_name}],
                               trust=trust, timeout=timeout)['endpoints'][0]
    served = endpoint['served'][0]['sha1'] if endpoint['served'] else None
    problems = [f['message'] for f in endpoint['findings'] if f['severity'] in ('critical', 'error')]
    if served != expected:
        problems.insert(0, 'the server sends %s, not %s, the certificate just bound or enabled'
                        % (served or 'no certificate', expected))
    return endpoint, served, problems


def send_binding_step(action, task_vars, site, step):
    """One step of install/_iis_binding's plan (iis_binding_set or iis_binding_certificate), as its payload wants it."""
    params = {'Site': site, 'BindingInformation': step['binding_information']}
    if step['payload'] == 'iis_binding_set':
        params['Operation'] = step['operation']
    if 'ssl_flags' in step:
        params.update(SslFlags=step['ssl_flags'], Thumbprint=step['thumbprint'] or '', Store=step['store'])
    return action.payload(task_vars, step['payload'], params)


def restore_binding(action, task_vars, site, previous, binding_information):
    """Put the recorded previous binding back; the errors of the steps that failed (empty: restored)."""
    problems = []
    for step in rollback_steps(previous, binding_information):
        try:
            send_binding_step(action, task_vars, site, step)
        except PayloadError as e:
            problems.append(str(e))
    return problems
