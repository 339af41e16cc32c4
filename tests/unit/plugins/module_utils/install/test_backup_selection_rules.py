# -*- coding: utf-8 -*-
"""install/_backup_selection's rules (issue 21, mutation survivors), on plain data: what a backup takes, which
thumbprints http.sys serves, and which backups a restore puts back (keyless, another CA, the newest of a name, the
"now" it is judged at, what is already present)."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.install._backup_selection import (
    _is_installed_kind, bound_thumbprints, plan_restore, select_for_backup)

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def info(sha1, cn='www.example.hk', not_before='2026-11-01T00:00:00Z', not_after='2027-05-01T00:00:00Z', **change):
    return dict({'sha1': sha1, 'subject': 'CN=%s,O=Example Ltd' % cn, 'subject_cn': cn, 'issuer': 'CN=Hongkong Post CA',
                 'issuer_cn': 'Hongkong Post CA', 'is_hkpost': True, 'role': 'leaf', 'hierarchy': 'production',
                 'self_signed': False, 'not_before': not_before, 'not_after': not_after}, **change)


def backup(certificate, path=None, has_private_key=True):
    return {'certificate': certificate, 'has_private_key': has_private_key, 'path': path or certificate['sha1'] + '.pfx'}


@pytest.mark.parametrize('change,kind', [({}, True), ({'is_hkpost': False}, False), ({'role': 'intermediate'}, False),
                                         ({'hierarchy': 'lab'}, False)])
def test_only_hongkong_post_production_leaves_are_the_installed_kind(change, kind):
    assert bool(_is_installed_kind(info('AA', **change))) is kind


def test_a_store_not_read_has_nothing_to_back_up():
    assert select_for_backup(None, 'My') == []


@pytest.mark.parametrize('iis', [None, {}, {'sslcert': None}, {'sslcert': {'ipport': None, 'hostnameport': None}},
                                 {'sslcert': {'ipport': [{'thumbprint': None}, {'ipport': '0.0.0.0:443'}]}}])
def test_no_mapping_serves_nothing(iis):
    assert bound_thumbprints(iis) == set()


def test_both_kinds_of_mapping_serve_their_thumbprint_in_capitals():
    iis = {'sslcert': {'ipport': [{'thumbprint': 'ab'}], 'hostnameport': [{'thumbprint': None}, {'thumbprint': 'Cd'}]}}
    assert bound_thumbprints(iis) == {'AB', 'CD'}


def test_a_backup_without_its_key_is_skipped_with_the_reason():
    decision = plan_restore([backup(info('AA'), has_private_key=False)], set(), set(), NOW)
    assert decision['restore'] == [] and decision['skipped'][0]['reason'] == 'holds no private key'


def test_another_ca_is_named_by_its_issuer_cn_else_its_issuer():
    foreign = [backup(info('AA', is_hkpost=False, issuer_cn='Other CA')),
               backup(info('BB', is_hkpost=False, issuer_cn=None, issuer='O=Other Org'))]
    reasons = [s['reason'] for s in plan_restore(foreign, set(), set(), NOW)['skipped']]
    assert reasons == ['not a Hongkong Post server certificate (issued by Other CA)',
                       'not a Hongkong Post server certificate (issued by O=Other Org)']


def test_expiry_is_judged_at_the_now_given():
    later = datetime.datetime(2027, 6, 1, tzinfo=datetime.timezone.utc)
    assert plan_restore([backup(info('AA'))], set(), set(), later)['skipped'][0]['reason'].startswith('expired on')
    assert [b['certificate']['sha1'] for b in plan_restore([backup(info('AA'))], set(), set(), NOW)['restore']] == ['AA']


@pytest.mark.parametrize('order', [('old', 'new'), ('new', 'old')])
def test_the_newest_of_a_name_is_restored_whatever_the_order(order):
    made = {'old': backup(info('AA', not_before='2026-05-01T00:00:00Z')), 'new': backup(info('BB'))}
    decision = plan_restore([made[o] for o in order], set(), set(), NOW)
    assert [b['certificate']['sha1'] for b in decision['restore']] == ['BB']


def test_of_two_issued_the_same_second_the_first_stays():
    decision = plan_restore([backup(info('AA'), 'a.pfx'), backup(info('BB'), 'b.pfx')], set(), set(), NOW)
    assert [b['certificate']['sha1'] for b in decision['restore']] == ['AA']


def test_a_name_is_its_common_name_else_its_subject_in_lower_case():
    no_cn = [backup(info('AA', subject_cn=None, not_before='2026-05-01T00:00:00Z')), backup(info('BB', subject_cn=''))]
    decision = plan_restore(no_cn, set(), set(), NOW)
    assert [b['certificate']['sha1'] for b in decision['restore']] == ['BB']
    # a renewal whose organisation name changed still replaces its predecessor: the CN decides, not the subject
    renamed = [backup(info('AA', not_before='2026-05-01T00:00:00Z', subject='CN=www.example.hk,O=Old Name Ltd')),
               backup(info('BB'))]
    assert [b['certificate']['sha1'] for b in plan_restore(renamed, set(), set(), NOW)['restore']] == ['BB']
    upper = [backup(info('AA', cn='WWW.example.hk', not_before='2026-05-01T00:00:00Z')), backup(info('BB'))]
    assert [b['certificate']['sha1'] for b in plan_restore(upper, set(), set(), NOW)['restore']] == ['BB']


def test_what_the_host_holds_with_its_key_is_present_not_restored():
    decision = plan_restore([backup(info('AA')), backup(info('BB', cn='shop.example.hk'))], set(), {'AA'}, NOW)
    assert [b['certificate']['sha1'] for b in decision['present']] == ['AA']
    assert [b['certificate']['sha1'] for b in decision['restore']] == ['BB']
