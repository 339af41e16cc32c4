# -*- coding: utf-8 -*-
"""When the served-chain judge calls a certificate "expiring" (issue 21): warn_days for the leaf and for each
sent intermediate, two thirds of its lifetime for the leaf only - the intermediates are Hongkong Post's to replace."""

from __future__ import annotations

import datetime

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import ChainJudge, TrustAnchors
from tests.support.pki import Issued, make_cert

DAY = datetime.timedelta(days=1)


def _intermediate(pki, not_before, not_after):
    """The new SSL intermediate re-issued with other dates (same name and key: the test leaves still chain to it)."""
    base = pki.ssl_new
    return Issued(make_cert(base.cert.subject, base.key, pki.root.cert.subject, pki.root.key, not_before, not_after,
                            ca=True, pathlen=0, eku=[ExtendedKeyUsageOID.SERVER_AUTH]), base.key)


def _judge(pki):
    return ChainJudge(TrustAnchors([pki.root.cert], 'test'), now=pki.now, warn_days=30)


def _expiring(result):
    """(leaf or intermediate, days left) of each expiring finding, read from the certificate it names."""
    served = {c['sha256']: c for c in result['served']}
    return [('intermediate' if served[f['certificate']]['is_ca'] else 'leaf', int(f['message'].split('(in ')[1].split()[0]))
            for f in result['findings'] if f['code'] == 'expiring']


@pytest.mark.parametrize('days_left', [30, 10])
def test_an_intermediate_within_warn_days_is_expiring(pki, days_left):
    inter = _intermediate(pki, pki.now - 700 * DAY, pki.now + days_left * DAY)
    result = _judge(pki).judge([pki.leaves['standard'].der, inter.der], 'www.example.hk')
    assert _expiring(result) == [('intermediate', days_left)] and result['verdict'] == 'warning'


def test_an_intermediate_past_two_thirds_of_its_life_but_outside_warn_days_is_not_expiring(pki):
    inter = _intermediate(pki, pki.now - 300 * DAY, pki.now + 100 * DAY)
    result = _judge(pki).judge([pki.leaves['standard'].der, inter.der], 'www.example.hk')
    assert [f['code'] for f in result['findings']] == ['ok'] and result['verdict'] == 'ok'


def test_a_leaf_within_warn_days_says_so(pki):
    leaf = pki.issue_leaf('www.example.hk', not_before=pki.now - 60 * DAY, not_after=pki.now + 30 * DAY,
                          slot='leaf-standard')
    result = _judge(pki).judge([leaf.der, pki.ssl_new.der], 'www.example.hk')
    assert _expiring(result) == [('leaf', 30)]
    assert '(in 30 days; warn_days 30)' in result['findings'][0]['message']


def test_a_leaf_is_due_from_the_moment_two_thirds_of_its_life_have_passed(pki):
    # 300 days of life, 200 of them passed this very second: due now, though 100 days (> warn_days) remain
    due = pki.issue_leaf('www.example.hk', not_before=pki.now - 200 * DAY, not_after=pki.now + 100 * DAY,
                         slot='leaf-standard')
    result = _judge(pki).judge([due.der, pki.ssl_new.der], 'www.example.hk')
    assert _expiring(result) == [('leaf', 100)] and 'past two thirds of its 300-day lifetime' in \
        result['findings'][0]['message']
    # one second earlier it is not due yet
    early = pki.issue_leaf('www.example.hk', not_before=pki.now - 200 * DAY + datetime.timedelta(seconds=2),
                           not_after=pki.now + 100 * DAY + datetime.timedelta(seconds=3), slot='leaf-standard')
    assert _expiring(_judge(pki).judge([early.der, pki.ssl_new.der], 'www.example.hk')) == []
