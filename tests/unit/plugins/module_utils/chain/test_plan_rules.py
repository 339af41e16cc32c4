# -*- coding: utf-8 -*-
"""plan_chain rules the mutation run (issue 21) found no test pinning."""

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils.chain._plan import plan_chain
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import NEW_GENERATION_FROM
from tests.support.pki import DAY
from tests.unit.plugins.module_utils.chain.test_plan import snap, wanted


def test_an_old_generation_leaf_misplaced_in_ca_is_not_taken_for_the_old_intermediate(pki):
    """Only intermediates are migrated: a leaf issued before 2025-05-01 (generation "old") that someone imported
    into CA is neither removed nor reported as an old intermediate kept."""
    leaf = pki.leaf_issued_at(NEW_GENERATION_FROM - DAY)
    plan = plan_chain(snap(CA=[leaf], Root=[pki.root]), wanted(pki), now=pki.now)
    assert plan['removed'] == [] and not any(s['op'].startswith('remove') for s in plan['steps'])
    assert not any('kept the old' in w for w in plan['warnings']), plan['warnings']
    # the same with the new intermediate absent from what is supplied: still no "kept the old" warning
    plan = plan_chain(snap(CA=[leaf], Root=[pki.root]), wanted(pki, intermediates=[]), now=pki.now)
    assert not any('kept the old' in w for w in plan['warnings']), plan['warnings']


def test_without_now_the_plan_judges_by_the_current_time(pki):
    """``now`` left out is the current UTC time: a leaf valid for another 100 days from today is neither expired
    nor due, and one that expired yesterday is."""
    today = datetime.datetime.now(datetime.timezone.utc)
    current = pki.issue_leaf('now.example.hk', not_before=today - 10 * DAY, not_after=today + 100 * DAY)
    expired = pki.issue_leaf('gone.example.hk', not_before=today - 100 * DAY, not_after=today - DAY)
    plan = plan_chain(snap(CA=[pki.ssl_new], Root=[pki.root], keyed=[current, expired]), wanted(pki))
    assert [leaf['chains'] for leaf in plan['leaves']] == [True, True]
    assert [w for w in plan['warnings'] if 'now.example.hk' in w] == []
    assert any('gone.example.hk' in w and 'expired' in w for w in plan['warnings'])
