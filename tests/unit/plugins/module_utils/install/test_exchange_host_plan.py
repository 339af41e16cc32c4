# -*- coding: utf-8 -*-
"""An Exchange install planned from one read (install/_exchange_host_plan.py), pure, then retired by the one policy."""

from __future__ import annotations

import base64
import datetime

import pytest
from cryptography.hazmat.primitives import serialization

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import superseded_by
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange_host_plan import (
    described_exchange, plan_exchange_install)
from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import plan_retire
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from tests.support.windows.certstore import pending_entry

DAY = datetime.timedelta(days=1)


def der(leaf):
    return leaf.cert.public_bytes(serialization.Encoding.DER)


def read(pki, old_services='IIS, POP, SMTP', pending=(), known=True):
    """retire_read's answer for an Exchange server holding ``old`` and pending requests for ``pending`` leaves."""
    old = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk', 'autodiscover.example.hk'],
                         not_before=pki.now - 300 * DAY, not_after=pki.now + 20 * DAY)
    certificates = [{'thumbprint': old.thumbprint, 'der': base64.b64encode(der(old)).decode(), 'has_private_key': True,
                     'status': 'Valid', 'services': old_services}]
    requests = []
    for leaf, cn in pending:
        entry = pending_entry(leaf.key, cn)
        requests.append(entry)
        certificates.append(dict(entry, has_private_key=True, status='PendingRequest', services='None'))
    state = {'stores': {'My': [{k: certificates[0][k] for k in ('thumbprint', 'der', 'has_private_key')}],
                        'WebHosting': [], 'REQUEST': requests},
             'exchange': {'present': True, 'known': known, 'error': None if known else 'Access is denied',
                          'certificates': certificates}}
    return old, state


def issued(leaf, services):
    return {'leaf': cert_info(leaf.cert), 'der': der(leaf), 'services': set(services)}


def test_import_and_enable_in_one_step_and_the_old_certificate_retired_after(pki):
    new = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk', 'autodiscover.example.hk'],
                         not_before=pki.now - DAY)
    old, state = read(pki, pending=[(new, 'mail.example.hk')])
    plan = plan_exchange_install(state, [issued(new, ['IIS', 'POP', 'SMTP'])])
    (cert,) = plan['certificates']
    assert cert['steps'] == ['import', 'enable']
    assert cert['parameters']['Services'] == ['IIS', 'POP', 'SMTP'] and cert['parameters']['CertificateBase64']
    assert cert['rollback'] == [{'thumbprint': old.thumbprint, 'services': ['IIS', 'POP']}]
    assert plan['stores_after']['REQUEST'] == []
    # IIS and POP moved to the new certificate; SMTP stays on the old one, which the replacement also serves.
    services = {c['sha1']: c['services'] for c in described_exchange(plan['state_after']['exchange']['certificates'])}
    assert services == {old.thumbprint: ['SMTP'], new.thumbprint: ['IIS', 'POP', 'SMTP']}
    decision = plan_retire(plan['stores_after'], plan['state_after'], replaced_by=[new.thumbprint])
    assert [r['thumbprint'] for r in decision['retire']] == [old.thumbprint]


def test_a_replacement_for_only_some_names_supersedes_nothing(pki):
    partial = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'], not_before=pki.now - DAY)
    old, state = read(pki, pending=[(partial, 'mail.example.hk')])
    plan = plan_exchange_install(state, [issued(partial, ['IIS', 'POP', 'SMTP'])])
    assert plan_retire(plan['stores_after'], plan['state_after'], replaced_by=[partial.thumbprint])['retire'] == []
    certificates = described_exchange(plan['state_after']['exchange']['certificates'])
    after = {c['sha1']: set(c['services'] or ()) for c in certificates}
    superseded, _kept = superseded_by(cert_info(partial.cert), certificates, after)
    assert superseded == []


def test_a_wildcard_is_refused_for_imap(pki):
    wildcard = pki.issue_leaf('*.example.hk', not_before=pki.now - DAY)
    _old, state = read(pki, pending=[(wildcard, '*.example.hk')])
    with pytest.raises(HkpostError, match='refusing to enable the wildcard certificate .* for IMAP'):
        plan_exchange_install(state, [issued(wildcard, ['IIS', 'IMAP'])])
    assert plan_exchange_install(state, [issued(wildcard, ['IIS', 'SMTP'])])['certificates'][0]['steps'] == [
        'import', 'enable']


def test_no_matching_request_and_an_unknown_exchange_are_refused(pki):
    stray = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    _old, state = read(pki)
    with pytest.raises(HkpostError, match='matches no pending request'):
        plan_exchange_install(state, [issued(stray, ['IIS'])])
    _old, state = read(pki, known=False)
    with pytest.raises(HkpostError, match='Exchange did not answer \\(Access is denied\\)'):
        plan_exchange_install(state, [issued(stray, ['IIS'])])


def test_already_installed_and_enabled_plans_nothing(pki):
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    _old, state = read(pki)
    state['exchange']['certificates'].append({'thumbprint': new.thumbprint, 'der': base64.b64encode(der(new)).decode(),
                                              'has_private_key': True, 'status': 'Valid', 'services': 'IIS, SMTP'})
    (cert,) = plan_exchange_install(state, [issued(new, ['IIS', 'SMTP'])])['certificates']
    assert cert['steps'] == [] and cert['parameters'] is None


def test_two_certificates_are_planned_on_the_state_the_first_leaves(pki):
    mail = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk', 'autodiscover.example.hk'],
                          not_before=pki.now - DAY)
    imap = pki.issue_leaf('imap.example.hk', not_before=pki.now - DAY)
    old, state = read(pki, pending=[(mail, 'mail.example.hk'), (imap, 'imap.example.hk')])
    plan = plan_exchange_install(state, [issued(mail, ['IIS', 'SMTP']), issued(imap, ['POP'])])
    assert [c['rollback'] for c in plan['certificates']] == [[{'thumbprint': old.thumbprint, 'services': ['IIS']}],
                                                             [{'thumbprint': old.thumbprint, 'services': ['POP']}]]
    services = {c['sha1']: c['services'] for c in described_exchange(plan['state_after']['exchange']['certificates'])}
    assert services == {old.thumbprint: ['SMTP'], mail.thumbprint: ['IIS', 'SMTP'], imap.thumbprint: ['POP']}
