# -*- coding: utf-8 -*-
"""dcv._schedule rules left open by the issue 21 mutation run: SC-081's certificate validity steps (BR 6.3.2) and the
edges of validation reuse (BR 4.2.1)."""

from __future__ import annotations

from datetime import date as D

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _schedule


@pytest.mark.parametrize('issued, days', [
    (D(2026, 3, 14), 398), (D(2026, 3, 15), 200), (D(2027, 3, 14), 200), (D(2027, 3, 15), 100),
    (D(2029, 3, 14), 100), (D(2029, 3, 15), 47), (D(2035, 1, 1), 47)])
def test_max_validity_steps_down_on_the_ballot_days(issued, days):
    assert _schedule.max_validity_days(issued) == days


def test_a_validation_reaching_exactly_into_a_shorter_period_counts_there():
    # 2025-08-27 + 200 days = 2026-03-15, the first day of the 200-day period: reusable that day, not the day after.
    assert _schedule.validation_valid_until(D(2025, 8, 27)) == D(2026, 3, 15)


def test_the_last_reuse_day_still_reuses_and_the_next_needs_a_fresh_validation():
    assert _schedule.reuse_status(D(2027, 1, 1), D(2027, 4, 11))['needs_fresh_validation'] is False
    assert _schedule.reuse_status(D(2027, 1, 1), D(2027, 4, 12))['needs_fresh_validation'] is True
