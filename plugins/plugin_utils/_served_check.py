# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""After a write: what the host serves, checked from the controller, and an IIS binding put back - once.

iis_binding and hkpost_install (IIS and Exchange) check the served certificate, and send IIS writes (iis_apply: a
plan's steps in one trip) and roll bindings back through here, so the rule "the served thumbprint is the one just bound, with a chain that verifies" has one
implementation (a twin of it once skipped the thumbprint comparison).
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import rollback_steps
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError, masked

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


def binding_step(site, step):
    """One step of install/_iis_binding's plan as iis_apply takes it: the kind, the site and the step's data."""
    sent = {'kind': step['kind'], 'site': site, 'binding_information': step['binding_information']}
    if step['kind'] != 'binding_remove':
        sent.update(ssl_flags=step['ssl_flags'], thumbprint=step['thumbprint'] or '', store=step['store'])
    return sent


class ApplyFailed(PayloadError):
    """A step of iis_apply failed; ``answers`` are every step's answer (done, failed, skipped) in order."""

    def __init__(self, message, answers):
        super().__init__('iis_apply', message)
        self.answers = answers


def apply_steps(action, task_vars, steps, exports=None, password=None, continue_on_error=False):
    """Send ``steps`` (iis_apply's step dicts) in one trip; return the answer of each, in order.

    ``exports``: the pfx_export parameters (Encryption, IncludeChain) when a step is an export, whose
    ``password`` goes as a sensitive parameter. Raises ApplyFailed, carrying every step's answer, when a step
    failed - the caller undoes the binding steps that were done."""
    params = dict({'Steps': steps, 'ContinueOnError': continue_on_error}, **(exports or {}))
    answer = action.payload(task_vars, 'iis_apply', params,
                            sensitive_parameters={'Password': password} if password is not None else None)
    answers = answer.get('steps')
    if not isinstance(answers, list) or len(answers) != len(steps):
        raise ApplyFailed('the host answered %s step(s) for the %d sent' % (
            len(answers) if isinstance(answers, list) else 'no', len(steps)), answers or [])
    # A step's error is the host's exception text, which may quote what it was given: masked as a PayloadError is.
    failed = ['%s (%s)' % (masked(a.get('error') or 'failed without a message', {'Password': password}), _describe(s))
              for s, a in zip(steps, answers) if a.get('status') != 'done' and a.get('status') != 'skipped']
    if failed:
        raise ApplyFailed('; '.join(failed), answers)
    return answers


def _describe(step):
    if step['kind'].startswith('binding_'):
        return '%s %s on site "%s"' % (step['kind'], step['binding_information'], step['site'])
    return step['kind'] + (' ' + step['thumbprint'] if step.get('thumbprint') else '')


def restore_bindings(action, task_vars, bindings):
    """Put recorded previous bindings back in one trip, every one tried even when another fails.

    ``bindings``: ``(site, previous binding or None, binding information after)``. Returns the errors of the
    steps that failed (empty: all restored)."""
    steps = [binding_step(site, step) for site, previous, info in bindings for step in rollback_steps(previous, info)]
    if not steps:
        return []
    try:
        apply_steps(action, task_vars, steps, continue_on_error=True)
    except PayloadError as e:
        return [str(e)]
    return []
