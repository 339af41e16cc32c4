# -*- coding: utf-8 -*-
"""Rules of the Exchange host plan (install/_exchange_host_plan.py), each named by its test (issue 21, mutation
survivors of its first run): what an answer without DER, stores, IIS or an error message plans on, and the state
the plan leaves for plan_retire (a certificate left serving nothing says "None", unknown services stay unknown, an
already installed certificate is not added twice, only the pending request of the new key is completed).
"""

from __future__ import annotations

import base64
import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange_host_plan import (
    described_exchange, plan_exchange_install)
from tests.unit.plugins.module_utils.install.test_exchange_host_plan import der, issued, read

DAY = datetime.timedelta(days=1)


def entry(leaf, services, status='Valid'):
    return {'thumbprint': leaf.thumbprint, 'der': base64.b64encode(der(leaf)).decode(), 'has_private_key': True,
            'status': status, 'services': services}


def exchange_after(plan):
    return {c['thumbprint']: c['services'] for c in plan['state_after']['exchange']['certificates']}


def test_an_exchange_certificate_without_der_is_not_planned_on():
    assert described_exchange(None) == []
    assert described_exchange([{'thumbprint': 'AB' * 20, 'der': None, 'status': 'Valid', 'services': 'IIS'}]) == []


def test_an_answer_without_exchange_or_error_message_is_refused():
    with pytest.raises(HkpostError, match=r'Exchange did not answer \(no error message\)'):
        plan_exchange_install({}, [])
    with pytest.raises(HkpostError, match=r'Exchange did not answer \(no error message\)'):
        plan_exchange_install({'exchange': {'present': True, 'known': False, 'error': None}}, [])


def test_stores_and_iis_missing_from_the_answer_are_empty_in_the_state_after(pki):
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    _old, state = read(pki, pending=[(new, 'mail.example.hk')])
    state['stores']['WebHosting'] = None
    plan = plan_exchange_install(state, [issued(new, ['IIS'])])
    assert plan['stores_after']['WebHosting'] == [] and plan['state_after']['iis'] == {}
    state['iis'] = {'sites': [{'name': 'Web', 'bindings': []}]}
    assert plan_exchange_install(state, [issued(new, ['IIS'])])['state_after']['iis'] == state['iis']
    # no stores read at all: the import still lands in My, and no REQUEST store is invented with entries
    del state['stores']
    plan = plan_exchange_install(state, [issued(new, ['IIS'])])
    assert [e['thumbprint'] for e in plan['stores_after']['My']] == [new.thumbprint]
    assert plan['stores_after']['REQUEST'] == []


def test_a_certificate_left_serving_nothing_says_none_not_unknown(pki):
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    old, state = read(pki, old_services='IIS', pending=[(new, 'mail.example.hk')])
    plan = plan_exchange_install(state, [issued(new, ['IIS'])])
    assert exchange_after(plan)[old.thumbprint] == 'None'
    described = {c['sha1']: c['services'] for c in described_exchange(plan['state_after']['exchange']['certificates'])}
    assert described[old.thumbprint] == []


def test_an_already_installed_certificate_keeps_its_services_and_is_not_added_twice(pki):
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    old, state = read(pki, old_services='POP')
    state['exchange']['certificates'].append(entry(new, 'SMTP'))
    plan = plan_exchange_install(state, [issued(new, ['IIS'])])
    (cert,) = plan['certificates']
    assert cert['services_before'] == ['SMTP'] and 'import' not in cert['steps']
    after = plan['state_after']['exchange']['certificates']
    assert [c['thumbprint'] for c in after] == [old.thumbprint, new.thumbprint]
    assert exchange_after(plan)[new.thumbprint] == 'IIS, SMTP'
    assert [e['thumbprint'] for e in plan['stores_after']['My']] == [old.thumbprint]


def test_unknown_services_stay_unknown_in_the_state_after(pki):
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    other = pki.issue_leaf('other.example.hk', not_before=pki.now - 5 * DAY)
    old, state = read(pki, pending=[(new, 'mail.example.hk')])
    state['exchange']['certificates'].append(entry(other, '', status=''))
    plan = plan_exchange_install(state, [issued(new, ['IIS'])])
    assert exchange_after(plan)[other.thumbprint] == ''
    assert exchange_after(plan)[old.thumbprint] == 'POP, SMTP'


def test_only_the_pending_request_with_der_of_the_new_key_is_completed(pki):
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    _old, state = read(pki, pending=[(new, 'mail.example.hk')])
    # a valid certificate on the same key (a renewal reusing it) is not the request, and a pending entry
    # Exchange sent without DER cannot be matched: both stay
    same_key = pki.issue_leaf('mail.example.hk', key=new.key, not_before=pki.now - 100 * DAY)
    state['exchange']['certificates'].append(entry(same_key, 'SMTP'))
    state['exchange']['certificates'].append({'thumbprint': 'CD' * 20, 'der': None, 'status': 'PendingRequest',
                                              'services': 'None'})
    plan = plan_exchange_install(state, [issued(new, ['IIS'])])
    after = exchange_after(plan)
    assert same_key.thumbprint in after and 'CD' * 20 in after and new.thumbprint in after
    assert [c['status'] for c in plan['state_after']['exchange']['certificates']].count('PendingRequest') == 1


def test_completing_one_request_leaves_the_other_pending_requests_in_the_request_store(pki):
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    later = pki.issue_leaf('imap.example.hk', not_before=pki.now - DAY)
    _old, state = read(pki, pending=[(new, 'mail.example.hk'), (later, 'imap.example.hk')])
    plan = plan_exchange_install(state, [issued(new, ['IIS'])])
    assert plan['stores_after']['REQUEST'] == [state['stores']['REQUEST'][1]]


def test_an_installed_certificate_whose_services_exchange_did_not_report_gets_the_ones_enabled(pki):
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    _old, state = read(pki)
    state['exchange']['certificates'].append(entry(new, '', status=''))
    plan = plan_exchange_install(state, [issued(new, ['IIS'])])
    assert exchange_after(plan)[new.thumbprint] == 'IIS'
