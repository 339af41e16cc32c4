# -*- coding: utf-8 -*-
"""The rules of _renew_due one by one (issue 21: each named after the rule a surviving mutant broke).

Boundaries are taken at the exact instant: a certificate is valid up to and including its notAfter (RFC 5280
section 4.1.2.5), "due" starts at the due moment, and an ARI suggestedWindow (RFC 9773 section 4.2) includes both
ends of [start, end] for the random draw."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit import _renew_due

UTC = datetime.timezone.utc
DAY = datetime.timedelta(days=1)
WINDOW = {'suggestedWindow': {'start': '2025-01-02T04:00:00Z', 'end': '2025-01-03T04:00:00Z'}}
START = datetime.datetime(2025, 1, 2, 4, tzinfo=UTC)
END = datetime.datetime(2025, 1, 3, 4, tzinfo=UTC)


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


# 47-day certificate: two thirds in is ~15.7 days before expiry, so the 30-day floor decides.
SHORT_NB, SHORT_NA = at('2029-04-01T00:00:00'), at('2029-05-18T00:00:00')
# 199-day certificate: two thirds in is ~66 days before expiry, so the lifetime decides.
LONG_NB, LONG_NA = at('2026-04-01T00:00:00'), at('2026-10-17T00:00:00')


def test_warn_days_defaults_to_30():
    assert _renew_due.renew_after(SHORT_NB, SHORT_NA) == SHORT_NA - 30 * DAY
    state = _renew_due.renewal_state(SHORT_NB, SHORT_NA, SHORT_NA - 30 * DAY)
    assert state['status'] == 'expiring' and 'within warn_days 30' in state['reason']
    assert _renew_due.renewal_state(SHORT_NB, SHORT_NA, SHORT_NA - 30 * DAY - datetime.timedelta(seconds=1)
                                    )['status'] == 'ok'


@pytest.mark.parametrize('warn_days', [None, 0])
def test_no_warn_days_means_no_floor_two_thirds_alone(warn_days):
    nb, na = at('2026-04-01T00:00:00'), at('2026-04-03T00:00:00')   # 2 days: a 1-day floor would come first
    assert _renew_due.renew_after(nb, na, warn_days) == nb + 2 * DAY * 2 / 3
    state = _renew_due.renewal_state(nb, na, na - datetime.timedelta(hours=1), warn_days=warn_days)
    assert state['status'] == 'expiring' and 'past two thirds' in state['reason']


def test_a_certificate_is_valid_up_to_its_not_after_instant():
    state = _renew_due.renewal_state(LONG_NB, LONG_NA, LONG_NA)
    assert state['status'] == 'expiring'
    assert _renew_due.renewal_state(LONG_NB, LONG_NA, LONG_NA + datetime.timedelta(seconds=1))['status'] == 'expired'


def test_due_from_the_due_moment_itself():
    due = _renew_due.renew_after(LONG_NB, LONG_NA)
    assert _renew_due.renewal_state(LONG_NB, LONG_NA, due)['status'] == 'expiring'


def test_reason_names_the_floor_only_when_the_floor_made_it_due():
    # Due at two thirds, now also inside the last 30 days: the lifetime made it due, not warn_days.
    state = _renew_due.renewal_state(LONG_NB, LONG_NA, LONG_NA - 10 * DAY)
    assert 'past two thirds of its 199-day lifetime' in state['reason']
    # Exactly at the floor, the floor being the due moment: warn_days made it due.
    state = _renew_due.renewal_state(SHORT_NB, SHORT_NA, SHORT_NA - 30 * DAY, warn_days=30)
    assert 'within warn_days 30' in state['reason']


@pytest.mark.parametrize('info', [None, 'suggestedWindow', ['suggestedWindow']])
def test_an_ari_answer_that_is_not_an_object_is_refused(info):
    with pytest.raises(HkpostError, match='no suggestedWindow'):
        _renew_due.ari_decision(info, START, pick=0.5)


def test_an_ari_window_of_no_length_is_refused():
    info = {'suggestedWindow': {'start': '2025-01-02T04:00:00Z', 'end': '2025-01-02T04:00:00Z'}}
    with pytest.raises(HkpostError, match='before it starts'):
        _renew_due.ari_decision(info, START, pick=0.5)


@pytest.mark.parametrize('pick', [-0.1, 1.5, 2])
def test_pick_outside_zero_to_one_is_refused(pick):
    with pytest.raises(HkpostError, match='outside'):
        _renew_due.ari_decision(WINDOW, START, pick=pick)


def test_pick_one_is_the_window_end():
    decision = _renew_due.ari_decision(WINDOW, START, pick=1)
    assert decision['action'] == 'wait' and decision['at'] == END


def test_a_next_wake_before_the_draw_waits():
    decision = _renew_due.ari_decision(WINDOW, START, pick=0.5, next_wake=START + datetime.timedelta(hours=1))
    assert decision['action'] == 'wait' and decision['at'] == START + 12 * datetime.timedelta(hours=1)


def test_a_next_wake_exactly_at_the_draw_waits_for_it():
    chosen = START + datetime.timedelta(hours=12)
    decision = _renew_due.ari_decision(WINDOW, START, pick=0.5, next_wake=chosen)
    assert decision['action'] == 'wait' and decision['at'] == chosen


def test_no_warn_days_never_reasons_with_a_floor():
    # 3 days: two thirds in is exactly one day before expiry, where a 1-day floor would sit.
    nb, na = at('2026-04-01T00:00:00'), at('2026-04-04T00:00:00')
    state = _renew_due.renewal_state(nb, na, na - DAY, warn_days=None)
    assert state['status'] == 'expiring' and 'past two thirds of its 3-day lifetime' in state['reason']
