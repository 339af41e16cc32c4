# -*- coding: utf-8 -*-
"""The one retire policy (install/_retire.py), pure: which certificate replaces which, and what keeps one.

Each test pins a rule, not a line: a successor that is expired, has no key, covers only some names or is the
older of two is not the replacement; WebHosting is retired like My; Exchange services, hybrid, keep and grace.
"""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import plan_retire
from tests.support.windows.certstore import read_entry

DAY = datetime.timedelta(days=1)
NAMES = ['a.example.hk', 'b.example.hk']


raw = read_entry  # a store read's entry, as the planner is given it


@pytest.fixture
def old(pki):
    return pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 300 * DAY, not_after=pki.now + 10 * DAY)


def retire(stores, state=None, **kwargs):
    return plan_retire(stores, state or {}, **kwargs)


def test_a_newer_valid_successor_with_its_key_for_every_name_replaces_it(pki, old):
    new = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - DAY)
    decision = retire({'My': [raw(old), raw(new)]})
    assert [(r['thumbprint'], r['replaced_by']) for r in decision['retire']] == [(old.thumbprint, new.thumbprint)]


@pytest.mark.parametrize('successor', ['expired', 'no private key', 'only some names', 'older than it'])
def test_a_successor_that_cannot_serve_instead_is_no_replacement(pki, old, successor):
    if successor == 'expired':
        new, key = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 200 * DAY,
                                  not_after=pki.now - DAY), True
    elif successor == 'no private key':
        new, key = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - DAY), False
    elif successor == 'only some names':
        new, key = pki.issue_leaf('a.example.hk', sans=['a.example.hk'], not_before=pki.now - DAY), True
    else:
        new, key = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 400 * DAY), True
    decision = retire({'My': [raw(old), raw(new, key)]})
    assert old.thumbprint not in [c['thumbprint'] for c in decision['retire'] + decision['kept']]
    with pytest.raises(HkpostError, match='no newer valid Hongkong Post certificate with its key serves all'):
        retire({'My': [raw(old), raw(new, key)]}, thumbprints=[old.thumbprint])


def test_of_several_successors_the_newest_is_the_replacement_not_the_oldest(pki, old):
    first = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 100 * DAY)
    latest = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 2 * DAY)
    decision = retire({'My': [raw(old), raw(latest), raw(first)]})
    assert {r['thumbprint']: r['replaced_by'] for r in decision['retire']} == {
        old.thumbprint: latest.thumbprint, first.thumbprint: latest.thumbprint}
    # Installing the older successor does not retire what only the newest replaces.
    assert retire({'My': [raw(old), raw(latest), raw(first)]}, replaced_by=[first.thumbprint])['retire'] == []


def test_the_webhosting_store_is_retired_from_like_my(pki, old):
    new = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - DAY)
    decision = retire({'My': [raw(new)], 'WebHosting': [raw(old)]})
    assert [(r['store'], r['thumbprint']) for r in decision['retire']] == [('WebHosting', old.thumbprint)]


def test_other_cas_and_unreplaced_certificates_are_never_candidates(pki, old):
    foreign = pki.issue_leaf('a.example.hk', sans=NAMES, issuer=pki.foreign_root, not_before=pki.now - 400 * DAY)
    new = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - DAY)
    decision = retire({'My': [raw(foreign), raw(old), raw(new)]})
    assert [r['thumbprint'] for r in decision['retire']] == [old.thumbprint]


def test_grace_days_count_from_the_replacement_issue_date(pki, old):
    new = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 3 * DAY)
    stores = {'My': [raw(old), raw(new)]}
    assert 'grace period' in retire(stores, grace_days=4)['kept'][0]['reason']
    assert [r['thumbprint'] for r in retire(stores, grace_days=3)['retire']] == [old.thumbprint]


def exchange(*certs, hybrid=None):
    return {'exchange': {'present': True, 'known': True, 'hybrid': hybrid,
                         'certificates': [dict(thumbprint=leaf.thumbprint, services=services, status='Valid',
                                               issuer=issuer, subject='CN=a.example.hk')
                                          for leaf, services, issuer in certs]}}


def test_an_exchange_service_only_the_old_certificate_serves_keeps_it(pki, old):
    new = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - DAY)
    stores = {'My': [raw(old), raw(new)]}
    kept = retire(stores, exchange((old, 'IMAP, SMTP', 'CN=CA'), (new, 'IIS, SMTP', 'CN=CA')))['kept']
    assert kept[0]['reason'].startswith('still used by Exchange services IMAP (its replacement')
    # SMTP stays on the old certificate in Exchange whatever is enabled; the replacement serving it is enough.
    decision = retire(stores, exchange((old, 'SMTP', 'CN=CA'), (new, 'IIS, SMTP', 'CN=CA')))
    assert [r['thumbprint'] for r in decision['retire']] == [old.thumbprint]
    unknown = retire(stores, exchange((old, None, 'CN=CA'), (new, 'IIS, SMTP', 'CN=CA')))
    assert unknown['retire'] == [] and 'Exchange services unknown' in unknown['kept'][0]['reason']


def test_the_hybrid_certificate_and_keep_thumbprints_are_kept(pki, old):
    new = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - DAY)
    stores = {'My': [raw(old), raw(new)]}
    hybrid = {'known': True, 'tls_certificate_name': '<I>CN=Old CA<S>CN=a.example.hk'}
    state = exchange((old, 'SMTP', 'CN=Old CA'), (new, 'IIS, SMTP', 'CN=New CA'), hybrid=hybrid)
    (kept,) = retire(stores, state)['kept']
    assert kept['thumbprint'] == old.thumbprint and 'Hybrid Configuration Wizard' in kept['reason']
    # Named by thumbprint after the wizard ran, it goes.
    assert [r['thumbprint'] for r in retire(stores, state, thumbprints=[old.thumbprint])['retire']] == [old.thumbprint]
    assert retire(stores, keep=[old.thumbprint.lower()])['kept'][0]['reason'] == 'listed in keep_thumbprints'
