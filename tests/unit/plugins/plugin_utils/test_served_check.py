# -*- coding: utf-8 -*-
"""plugin_utils/_served_check: the one rule "the served thumbprint is the one just bound, with a chain that
verifies", and the binding writes and rollback iis_binding and hkpost_install share (issue 21, mutation survivors).

The audit itself is tested in tests/unit/plugins/module_utils/audit/; here it answers what each case needs.
"""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils import _served_check
from ansible_collections.hkpost.ecert.plugins.plugin_utils._served_check import (
    binding_step, restore_bindings, served_check)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError

BOUND = 'A' * 40
OTHER = 'B' * 40


def audited(monkeypatch, served, findings=()):
    asked = []

    def audit_endpoints(endpoints, trust, timeout):
        asked.append((endpoints, trust, timeout))
        return {'endpoints': [{'verdict': 'ok', 'served': [{'sha1': s} for s in served],
                               'findings': [{'severity': sev, 'message': msg} for sev, msg in findings]}]}
    monkeypatch.setattr(_served_check, 'audit_endpoints', audit_endpoints)
    return asked


def test_the_certificate_just_bound_with_a_sound_chain_is_no_problem(monkeypatch):
    asked = audited(monkeypatch, [BOUND, 'C' * 40], [('warning', 'a warning'), ('info', 'a note')])
    endpoint, served, problems = served_check('10.0.0.5', 443, 'www.example.hk', BOUND, 'bundled', 7.5)
    assert (served, problems, endpoint['verdict']) == (BOUND, [], 'ok')
    assert asked == [([{'host': '10.0.0.5', 'port': 443, 'server_name': 'www.example.hk'}], 'bundled', 7.5)]


def test_a_right_chain_for_the_wrong_certificate_is_not_an_install(monkeypatch):
    audited(monkeypatch, [OTHER])
    _endpoint, served, problems = served_check('web1', 443, 'www.example.hk', BOUND, 'bundled', 10)
    assert served == OTHER
    assert problems == ['the server sends %s, not %s, the certificate just bound or enabled' % (OTHER, BOUND)]


def test_no_certificate_served_is_a_problem_and_errors_follow_the_thumbprint_one(monkeypatch):
    audited(monkeypatch, [], [('error', 'handshake failed'), ('critical', 'chain broken'), ('warning', 'w')])
    _endpoint, served, problems = served_check('web1', 443, 'www.example.hk', BOUND, 'bundled', 10)
    assert served is None
    assert problems == ['the server sends no certificate, not %s, the certificate just bound or enabled' % BOUND,
                        'handshake failed', 'chain broken']


class Recorder:
    """The action's payload(): records what iis_apply is sent; answers every step done, or raises for a failure."""

    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    def payload(self, task_vars, name, params, sensitive_parameters=None):
        self.sent.append((name, params))
        if self.fail:
            raise PayloadError(name, 'access denied')
        return {'steps': [{'status': 'done'} for _step in params['Steps']]}


def test_a_binding_step_sends_the_certificate_only_with_what_binds_one():
    assert binding_step('Web', {'kind': 'binding_remove', 'binding_information': '*:443:', 'thumbprint': 'X'}) == {
        'kind': 'binding_remove', 'site': 'Web', 'binding_information': '*:443:'}
    assert binding_step('Web', {'kind': 'binding_replace', 'binding_information': '*:443:www', 'ssl_flags': 1,
                                'thumbprint': None, 'store': 'WebHosting'}) == {
        'kind': 'binding_replace', 'site': 'Web', 'binding_information': '*:443:www', 'ssl_flags': 1, 'thumbprint': '',
        'store': 'WebHosting'}


@pytest.mark.parametrize('previous, step', [
    (None, {'kind': 'binding_remove', 'site': 'Web', 'binding_information': '*:443:www'}),
    ({'binding_information': '*:443:www', 'ssl_flags': 1, 'thumbprint': OTHER, 'store': 'My'},
     {'kind': 'binding_replace', 'site': 'Web', 'binding_information': '*:443:www', 'ssl_flags': 1,
      'thumbprint': OTHER, 'store': 'My'}),
])
def test_restoring_puts_the_previous_binding_back_or_removes_a_new_one_every_step_tried(previous, step):
    action = Recorder()
    assert restore_bindings(action, {}, [('Web', previous, '*:443:www')]) == []
    assert action.sent == [('iis_apply', {'Steps': [step], 'ContinueOnError': True})]


def test_nothing_to_restore_sends_nothing():
    action = Recorder()
    assert restore_bindings(action, {}, []) == []
    assert action.sent == []


def test_a_failed_restore_is_reported_not_raised():
    action = Recorder(fail=True)
    assert restore_bindings(action, {}, [('Web', None, '*:443:www')]) == ['iis_apply: access denied']
