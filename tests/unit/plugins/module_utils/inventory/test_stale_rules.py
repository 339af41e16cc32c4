# -*- coding: utf-8 -*-
"""What on a host is stale, rule by rule (issue 21), on store entries shaped as the inventory read returns them.

Dates are whole days: a certificate whose notAfter falls today is still valid today (neither expired nor unable to
supersede); a request pending exactly ``pending_days`` days is not yet old."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._stale import stale_for_host

TODAY = datetime.date(2026, 12, 7)


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat() + 'T08:00:00Z'


def cert(n, store='My', nb=-100, na=100, **kw):
    entry = {'store': store, 'sha256': 'S%d' % n, 'thumbprint': 'T%d' % n, 'subject_cn': 'www.example.hk',
             'dns_names': ['www.example.hk'], 'not_before': day(nb), 'not_after': day(na),
             'spki_sha256': 'K%d' % n, 'has_private_key': True}
    entry.update(kw)
    return entry


def stale(*certs, pending_days=30):
    found = stale_for_host({'host': 'web1', 'certificates': list(certs)}, TODAY, pending_days)
    return [(s['sha256'], s['reason']) for s in found]


def test_a_host_without_certificates_has_nothing_stale():
    assert stale_for_host({'host': 'web1', 'certificates': None}, TODAY, 30) == []


def test_a_stale_entry_without_consumers_is_in_use_by_nothing():
    got = stale_for_host({'host': 'web1', 'certificates': [cert(1, na=-1, consumers=None)]}, TODAY, 30)
    assert got[0]['in_use'] == [] and got[0]['detail'] == 'expired %s' % day(-1)[:10]


def test_expired_means_before_today_and_root_and_disallowed_are_left_out():
    assert stale(cert(1, na=0)) == []
    assert stale(cert(1, na=-1)) == [('S1', 'expired')]
    assert stale(cert(1, store='Root', na=-1), cert(2, store='Disallowed', na=-1)) == []
    assert stale(cert(1, store='CA', not_after=None)) == []


def test_a_request_pending_exactly_pending_days_is_not_old():
    assert stale(cert(1, store='REQUEST', nb=-30)) == []
    assert stale(cert(1, store='REQUEST', nb=-31)) == [('S1', 'old_pending_request')]


def test_a_request_without_a_date_is_never_old():
    assert stale(cert(1, store='REQUEST', not_before=None), pending_days=0) == []


def test_a_request_without_its_key_is_orphaned():
    got = stale_for_host({'host': 'web1', 'certificates': [cert(1, store='REQUEST', nb=-1, has_private_key=False)]},
                         TODAY, 30)
    assert got[0]['reason'] == 'orphaned_key' and 'no private key left' in got[0]['detail']


def test_a_newer_valid_certificate_supersedes_an_older_valid_one():
    got = stale_for_host({'host': 'web1', 'certificates': [cert(1, nb=-100, na=10), cert(2, nb=-5, na=0)]},
                         TODAY, 30)
    assert [(s['sha256'], s['reason']) for s in got] == [('S1', 'superseded')]
    assert got[0]['detail'] == 'replaced by www.example.hk (thumbprint T2, issued %s)' % day(-5)[:10]


def test_an_older_certificate_valid_until_today_is_superseded():
    assert stale(cert(1, nb=-100, na=0), cert(2, nb=-5)) == [('S1', 'superseded')]


def test_an_expired_older_certificate_is_listed_as_expired_only():
    assert stale(cert(1, nb=-300, na=-1), cert(2, nb=-5)) == [('S1', 'expired')]


def test_certificates_issued_at_the_same_time_do_not_supersede_each_other():
    assert stale(cert(1, nb=-5, na=100), cert(2, nb=-5, na=200)) == []


def test_names_from_the_cn_or_the_dns_names_alone_group_the_same_certificate():
    assert stale(cert(1, nb=-100, subject_cn=None), cert(2, nb=-5, dns_names=None)) == [('S1', 'superseded')]
    assert stale(cert(1, nb=-100, subject_cn='WWW.example.hk', dns_names=[]), cert(2, nb=-5)) == [('S1', 'superseded')]


@pytest.mark.parametrize('kw', [{'is_ca': True}, {'subject_cn': None, 'dns_names': None}])
def test_ca_and_nameless_certificates_are_never_superseded(kw):
    assert stale(cert(1, nb=-100, **kw), cert(2, nb=-5, **kw)) == []


def test_only_personal_stores_supersede():
    assert stale(cert(1, store='CA', nb=-100), cert(2, store='CA', nb=-5)) == []
