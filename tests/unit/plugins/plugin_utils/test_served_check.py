# -*- coding: utf-8 -*-
"""plugin_utils/_served_check: the one rule "the served thumbprint is the one just bound, with a chain that
verifies", and the binding writes and rollback iis_binding and hkpost_install share (issue 21, mutation survivors).

The audit itself is tested in tests/unit/plugins/module_utils/audit/; here it answers what each case needs.
"""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils import _served_check
from ansible_collections.hkpost.ecert.plugins.plugin_utils._served_check import (
    restore_binding, send_binding_step, served_check)
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
    def __init__(self, fail=()):
        self.sent, self.fail = [], set(fail)

    def payload(self, task_vars, name, params):
        self.sent.append((name, params))
        if name in self.fail:
            raise PayloadError(name, 'access denied')
        return {'ok': name}


def test_a_binding_step_sends_the_operation_only_to_iis_binding_set_and_the_certificate_only_with_flags():
    action = Recorder()
    assert send_binding_step(action, {}, 'Web', {'payload': 'iis_binding_set', 'operation': 'remove',
                                                 'binding_information': '*:443:'}) == {'ok': 'iis_binding_set'}
    send_binding_step(action, {}, 'Web', {'payload': 'iis_binding_certificate', 'operation': 'ignored',
                                          'binding_information': '*:443:www', 'ssl_flags': 1, 'thumbprint': None,
                                          'store': 'WebHosting'})
    assert action.sent == [
        ('iis_binding_set', {'Site': 'Web', 'BindingInformation': '*:443:', 'Operation': 'remove'}),
        ('iis_binding_certificate', {'Site': 'Web', 'BindingInformation': '*:443:www', 'SslFlags': 1, 'Thumbprint': '',
                                     'Store': 'WebHosting'})]


@pytest.mark.parametrize('previous, sent', [
    (None, ('iis_binding_set', {'Site': 'Web', 'BindingInformation': '*:443:www', 'Operation': 'remove'})),
    ({'binding_information': '*:443:www', 'ssl_flags': 1, 'thumbprint': OTHER, 'store': 'My'},
     ('iis_binding_certificate', {'Site': 'Web', 'BindingInformation': '*:443:www', 'SslFlags': 1,
                                  'Thumbprint': OTHER, 'Store': 'My'})),
])
def test_restoring_puts_the_previous_binding_back_or_removes_a_new_one(previous, sent):
    action = Recorder()
    assert restore_binding(action, {}, 'Web', previous, '*:443:www') == []
    assert action.sent == [sent]


def test_a_failed_restore_is_reported_not_raised():
    action = Recorder(fail=['iis_binding_set'])
    assert restore_binding(action, {}, 'Web', None, '*:443:www') == ['iis_binding_set: access denied']
