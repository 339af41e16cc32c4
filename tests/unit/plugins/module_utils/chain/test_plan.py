# -*- coding: utf-8 -*-
"""plan_chain decisions on store snapshots built from the test PKI (issue 14: edits the action tests missed)."""

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils.chain._plan import plan_chain
from tests.support.pki import DAY, crl_der

UTC = datetime.timezone.utc


def snap(CA=(), Root=(), Disallowed=(), crls=(), keyed=()):
    return {'CA': [c.der for c in CA], 'Root': [c.der for c in Root], 'Disallowed': [c.der for c in Disallowed],
            'crls': [crl_der(c) for c in crls], 'keyed': [{'store': 'My', 'der': c.der} for c in keyed]}


def wanted(pki, cross=False, arl=None, intermediates=None):
    return {'root': pki.root.cert, 'intermediates': [pki.ssl_new.cert] if intermediates is None else intermediates,
            'cross': pki.cross.cert if cross else None, 'arl': arl}


def ops(plan):
    return [(s['op'], s['store'], s['thumbprint']) for s in plan['steps']]


def test_disallow_writes_every_add_before_any_removal(pki):
    plan = plan_chain(snap(CA=[pki.ssl_old], Root=[pki.root]), wanted(pki), old_intermediate='disallow', now=pki.now)
    assert ops(plan) == [('add_cert', 'CA', pki.ssl_new.thumbprint),
                         ('add_cert', 'Disallowed', pki.ssl_old.thumbprint),
                         ('remove_cert', 'CA', pki.ssl_old.thumbprint)]
    assert [d['thumbprint'] for d in plan['disallowed']] == [pki.ssl_old.thumbprint]


def test_remove_does_not_disallow(pki):
    plan = plan_chain(snap(CA=[pki.ssl_old], Root=[pki.root]), wanted(pki), old_intermediate='remove', now=pki.now)
    assert plan['disallowed'] == [] and 'Disallowed' not in {s['store'] for s in plan['steps']}


def test_install_root_false_writes_nothing_to_root(pki):
    plan = plan_chain(snap(), wanted(pki), install_root=False, now=pki.now)
    assert [s['store'] for s in plan['steps']] == ['CA']
    assert plan['after']['Root'] == []
    with_root = plan_chain(snap(), wanted(pki), install_root=True, now=pki.now)
    assert ('add_cert', 'Root', pki.root.thumbprint) in ops(with_root)


def test_old_intermediate_misplaced_in_root_is_removed(pki):
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root, pki.ssl_old]), wanted(pki), now=pki.now)
    assert ops(plan) == [('remove_cert', 'Root', pki.ssl_old.thumbprint)]
    assert plan['removed'][0]['store'] == 'Root'


def test_old_intermediate_kept_with_a_warning_when_no_new_one(pki):
    plan = plan_chain(snap(CA=[pki.ev_old], Root=[pki.root]), wanted(pki), now=pki.now)
    assert ('remove_cert', 'CA', pki.ev_old.thumbprint) not in ops(plan)
    assert any('kept the old EV intermediate' in w and 'ev_intermediate_file' in w for w in plan['warnings'])


def test_needed_certificate_is_taken_out_of_disallowed(pki):
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], Disallowed=[pki.ssl_new, pki.ssl_old]), wanted(pki),
                      now=pki.now)
    assert ops(plan) == [('remove_cert', 'Disallowed', pki.ssl_new.thumbprint)]


def test_leaf_does_not_chain_through_an_expired_new_intermediate(pki):
    expired = pki.expired_intermediate()
    leaf = pki.leaves['standard']
    plan = plan_chain(snap(CA=[expired], Root=[pki.root], keyed=[leaf]),
                      wanted(pki, intermediates=[expired.cert]), now=pki.now)
    assert plan['leaves'][0]['chains'] is False
    assert any('does not chain' in w for w in plan['warnings'])
    good = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[leaf]), wanted(pki), now=pki.now)
    assert good['leaves'][0]['chains'] is True
    assert not any('does not chain' in w for w in good['warnings'])


def test_chaining_only_through_cross_and_globalsign_gets_no_false_warning(pki):
    leaf = pki.leaves['standard']
    plan = plan_chain(snap(CA=[pki.ssl_new, pki.cross], Root=[pki.globalsign], keyed=[leaf]),
                      wanted(pki, cross=True), install_root=False, now=pki.now)
    assert plan['steps'] == []
    assert plan['leaves'][0]['chains'] is True
    assert plan['warnings'] == []
    # without the cross there is no path: the warning is real
    bare = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.globalsign], keyed=[leaf]), wanted(pki), install_root=False,
                      now=pki.now)
    assert bare['leaves'][0]['chains'] is False
    # a cross under a root the host does not trust does not count either
    untrusted = plan_chain(snap(CA=[pki.ssl_new, pki.cross], Root=[pki.foreign_root], keyed=[leaf]),
                           wanted(pki, cross=True), install_root=False, now=pki.now)
    assert untrusted['leaves'][0]['chains'] is False


def test_leaf_under_a_foreign_intermediate_does_not_chain(pki):
    leaf = pki.leaves['trial']
    plan = plan_chain(snap(CA=[pki.ssl_new, pki.trial_ssl], Root=[pki.root], keyed=[leaf]), wanted(pki), now=pki.now)
    assert plan['leaves'][0]['chains'] is False
    assert any('TRIAL' in w for w in plan['warnings'])


def test_expired_arl_on_the_host_gets_its_warning(pki):
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[pki.arl_expired]), wanted(pki), now=pki.now)
    assert any('ARL of Root CA 3 in CA (#10) expired' in w for w in plan['warnings'])
    current = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[pki.arl]), wanted(pki), now=pki.now)
    assert not any('ARL' in w for w in current['warnings'])
    # a stranger's CRL is not Root CA 3's ARL: no warning about it, never removed
    foreign = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[pki.arl_foreign]), wanted(pki, arl=pki.arl),
                         now=pki.now)
    assert [s['op'] for s in foreign['steps']] == ['add_crl']


def test_arl_with_higher_number_but_earlier_this_update_wins(pki):
    host_arl = pki.make_arl(12, pki.now - 5 * DAY, pki.now + 300 * DAY)
    newer_number = pki.make_arl(13, pki.now - 10 * DAY, pki.now + 300 * DAY)
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[host_arl]), wanted(pki, arl=newer_number),
                      now=pki.now)
    assert [s['op'] for s in plan['steps']] == ['add_crl', 'remove_crl']
    assert plan['added'][0]['crl_number'] == 13 and plan['removed'][0]['crl_number'] == 12
    # and the other way round: a lower number is not imported even with a later thisUpdate
    back = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[newer_number]), wanted(pki, arl=host_arl),
                      now=pki.now)
    assert back['steps'] == []
    # the same number with a later thisUpdate wins
    same_later = pki.make_arl(12, pki.now - 1 * DAY, pki.now + 300 * DAY)
    later = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[host_arl]), wanted(pki, arl=same_later),
                       now=pki.now)
    assert [s['op'] for s in later['steps']] == ['add_crl', 'remove_crl']


def test_leaf_expiry_warnings_at_the_edges(pki):
    leaf = pki.leaves['expiring']  # 10 days left
    for warn_days, expected in ((10, True), (9, False)):
        plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[leaf]), wanted(pki), warn_days=warn_days,
                          now=pki.now)
        assert any('within %d days' % warn_days in w for w in plan['warnings']) is expected
    expired = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[pki.leaves['expired']]), wanted(pki),
                         now=pki.now)
    assert any('expired on' in w for w in expired['warnings'])
    assert not any('does not chain' in w for w in expired['warnings'])
    old = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[pki.leaves['under_old']]), wanted(pki),
                     now=pki.now)
    assert any('issued before 2025-05-01' in w for w in old['warnings'])


def test_non_hkpost_keyed_certificates_are_not_reported(pki):
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[pki.leaves['foreign'], pki.root]), wanted(pki),
                      now=pki.now)
    assert plan['leaves'] == []


# ---- the rest of the decisions, one edge each (found by make mutation) ---------------------------------

def _crl_without_number(pki):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    builder = (x509.CertificateRevocationListBuilder().issuer_name(pki.root.cert.subject)
               .last_update(pki.now - DAY).next_update(pki.now + DAY))
    return builder.sign(pki.root.key, hashes.SHA256())


def test_crl_without_a_number_sorts_below_any_numbered_one(pki):
    from ansible_collections.hkpost.ecert.plugins.module_utils.chain._plan import crl_number
    bare = _crl_without_number(pki)
    assert crl_number(bare) == -1 and crl_number(pki.arl) == 12
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[bare]), wanted(pki, arl=pki.make_arl(
        0, pki.now - 30 * DAY, pki.now + 30 * DAY)), now=pki.now)
    assert [s['op'] for s in plan['steps']] == ['add_crl', 'remove_crl']


def test_defaults_minimal_snapshot_and_real_clock(pki):
    plan = plan_chain({'CA': [pki.ssl_new.der]}, wanted(pki))  # no now, no other stores: the real clock, Root added
    assert ops(plan) == [('add_cert', 'Root', pki.root.thumbprint)]
    thirty = pki.issue_leaf('thirty.example.hk', not_before=pki.now - 10 * DAY, not_after=pki.now + 30 * DAY,
                            slot='leaf-30')
    warned = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[thirty]), wanted(pki), now=pki.now)
    assert any('within 30 days' in w for w in warned['warnings'])
    later = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[thirty]), wanted(pki),
                       now=pki.now - 2 * DAY)
    assert not any('within 30 days' in w for w in later['warnings'])


def test_the_given_clock_is_used_not_the_real_one(pki):
    leaf = pki.leaves['standard']
    future = leaf.cert.not_valid_after_utc + DAY
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[leaf]), wanted(pki), now=future)
    assert any('expired on' in w for w in plan['warnings'])


def test_expiry_edges_are_inclusive(pki):
    leaf = pki.leaves['standard']
    end = leaf.cert.not_valid_after_utc
    at_end = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[leaf]), wanted(pki), now=end)
    assert any('expired on' in w for w in at_end['warnings'])
    # a leaf that expires now and has no path is reported as expired, not also as "does not chain"
    no_path = plan_chain(snap(CA=[pki.ssl_old], keyed=[leaf]), wanted(pki, intermediates=[]), install_root=False,
                         now=end)
    assert any('expired on' in w for w in no_path['warnings'])
    assert not any('does not chain' in w for w in no_path['warnings'])
    inter_end = pki.ssl_new.cert.not_valid_after_utc
    assert plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[leaf]), wanted(pki),
                      now=inter_end)['leaves'][0]['chains'] is False
    assert plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[leaf]), wanted(pki),
                      now=inter_end - datetime.timedelta(seconds=1))['leaves'][0]['chains'] is True
    arl_end = pki.arl.next_update_utc
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[pki.arl]), wanted(pki), now=arl_end)
    assert any('ARL of Root CA 3 in CA (#12) expired' in w for w in plan['warnings'])


def test_old_intermediate_alone_is_not_a_path(pki):
    plan = plan_chain(snap(CA=[pki.ssl_old], Root=[pki.root], keyed=[pki.leaves['standard']]),
                      wanted(pki, intermediates=[]), now=pki.now)
    assert plan['leaves'][0]['chains'] is False
    assert any('kept the old SSL intermediate' in w and 'ssl_intermediate_file' in w for w in plan['warnings'])


def test_cross_path_needs_the_intermediate_under_the_cross(pki):
    plan = plan_chain(snap(CA=[pki.trial_ssl, pki.cross], Root=[pki.globalsign], keyed=[pki.leaves['trial']]),
                      wanted(pki, intermediates=[], cross=True), install_root=False, now=pki.now)
    assert plan['leaves'][0]['chains'] is False


def test_cross_is_added_and_taken_out_of_disallowed(pki):
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], Disallowed=[pki.cross]), wanted(pki, cross=True),
                      now=pki.now)
    assert ops(plan) == [('add_cert', 'CA', pki.cross.thumbprint), ('remove_cert', 'Disallowed', pki.cross.thumbprint)]


def test_after_view_and_step_payloads(pki):
    from cryptography.hazmat.primitives import serialization
    plan = plan_chain(snap(CA=[pki.ssl_old], Root=[pki.root], crls=[pki.arl_older]), wanted(pki, arl=pki.arl),
                      now=pki.now)
    assert [line.split()[0] for line in plan['after']['CA']] == [pki.ssl_new.thumbprint]
    assert [line.split()[0] for line in plan['before']['CA']] == [pki.ssl_old.thumbprint]
    assert len(plan['after']['CA (CRLs)']) == 1 and 'ARL #12' in plan['after']['CA (CRLs)'][0]
    for step in plan['steps']:
        if step['op'] == 'add_cert':
            assert step['der'] == pki.ssl_new.der
        elif step['op'] == 'add_crl':
            assert step['der'] == pki.arl.public_bytes(serialization.Encoding.DER)
        else:
            assert 'der' not in step
    assert [s['op'] for s in plan['steps']] == ['add_cert', 'add_crl', 'remove_cert', 'remove_crl']


def test_a_leaf_misplaced_in_ca_is_not_removed_as_an_old_intermediate(pki):
    plan = plan_chain(snap(CA=[pki.ssl_new, pki.leaves['under_old']], Root=[pki.root]), wanted(pki), now=pki.now)
    assert plan['steps'] == []


def test_old_intermediate_already_disallowed_is_not_disallowed_twice(pki):
    plan = plan_chain(snap(CA=[pki.ssl_old], Root=[pki.root], Disallowed=[pki.ssl_old]), wanted(pki),
                      old_intermediate='disallow', now=pki.now)
    assert plan['disallowed'] == []
    assert ops(plan) == [('add_cert', 'CA', pki.ssl_new.thumbprint), ('remove_cert', 'CA', pki.ssl_old.thumbprint)]


def test_arl_same_number_and_time_is_the_same_arl(pki):
    again = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[pki.arl]), wanted(pki, arl=pki.arl), now=pki.now)
    assert again['steps'] == [] and again['warnings'] == []
    resigned = pki.make_arl(12, pki.arl.last_update_utc, pki.arl.next_update_utc + DAY)  # other bytes, same order
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[pki.arl]), wanted(pki, arl=resigned), now=pki.now)
    assert plan['steps'] == []


def test_older_arl_supplied_is_kept_out_with_a_warning(pki):
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[pki.arl]), wanted(pki, arl=pki.arl_older),
                      now=pki.now)
    assert plan['steps'] == []
    assert any('is older than the one already in CA (#12' in w for w in plan['warnings'])
    both = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[pki.arl, pki.arl_older]),
                      wanted(pki, arl=pki.arl_older), now=pki.now)
    assert not any('is older' in w for w in both['warnings'])


def test_expired_crl_of_another_issuer_gets_no_arl_warning(pki):
    stranger = pki.make_arl(3, pki.now - 90 * DAY, pki.now - 30 * DAY, signer=pki.foreign_root,
                            issuer_name=pki.foreign_root.cert.subject)
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], crls=[stranger]), wanted(pki), now=pki.now)
    assert plan['warnings'] == []


def test_a_new_named_leaf_in_ca_is_not_the_new_intermediate(pki):
    from tests.support.pki import Issued, make_cert
    fake = make_cert(pki.ssl_new.cert.subject, pki.ssl_new.key, pki.ssl_new.cert.subject, pki.ssl_new.key,
                     pki.now - DAY, pki.now + DAY, ca=False)
    plan = plan_chain(snap(CA=[pki.ssl_old, Issued(fake, pki.ssl_new.key)], Root=[pki.root]),
                      wanted(pki, intermediates=[]), now=pki.now)
    assert ('remove_cert', 'CA', pki.ssl_old.thumbprint) not in ops(plan)


def test_acme_intermediates_are_added_to_ca_once_and_never_touch_the_migration(pki):
    acme = pki.inspection_intermediate()  # any CA certificate outside Hongkong Post's hierarchy
    foreign = pki.foreign_root
    base = plan_chain(snap(CA=[pki.ssl_old], Root=[pki.root]), wanted(pki), now=pki.now)
    plan = plan_chain(snap(CA=[pki.ssl_old], Root=[pki.root]),
                      dict(wanted(pki), acme_intermediates=[foreign.cert]), now=pki.now)
    # the Hongkong Post steps are the same, the ACME intermediate is one more add, before any removal
    assert [s for s in ops(plan) if s[2] != foreign.thumbprint] == ops(base)
    assert ops(plan).index(('add_cert', 'CA', foreign.thumbprint)) < ops(plan).index(
        ('remove_cert', 'CA', pki.ssl_old.thumbprint))
    # already there: nothing; disallowed by the operator: left there, said
    again = plan_chain(snap(CA=[pki.ssl_new, foreign], Root=[pki.root]),
                       dict(wanted(pki), acme_intermediates=[foreign.cert]), now=pki.now)
    assert ops(again) == []
    barred = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], Disallowed=[acme]),
                        dict(wanted(pki), acme_intermediates=[acme.cert]), now=pki.now)
    assert ops(barred) == [] and any('is in Disallowed' in w for w in barred['warnings'])
