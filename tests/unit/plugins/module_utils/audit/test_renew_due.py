# -*- coding: utf-8 -*-
"""When to renew: two thirds of the lifetime with warn_days as a floor, revoked = now, and the ARI decision
against the suggestedWindow example of RFC 9773 section 4.2 (start 2025-01-02T04:00:00Z, end 2025-01-03T04:00:00Z)."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit import _renew_due

UTC = datetime.timezone.utc


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


# RFC 9773 section 4.2, the example renewalInfo response.
RFC9773_EXAMPLE = {'suggestedWindow': {'start': '2025-01-02T04:00:00Z', 'end': '2025-01-03T04:00:00Z'},
                   'explanationURL': 'https://acme.example.com/docs/ari'}


def test_199_day_certificate_is_due_two_thirds_in_not_30_days_before():
    nb, na = at('2026-04-01T00:00:00'), at('2026-10-17T00:00:00')       # 199 days
    assert _renew_due.renew_after(nb, na, 30) == nb + datetime.timedelta(days=199) * 2 / 3
    state = _renew_due.renewal_state(nb, na, at('2026-08-20T00:00:00'), warn_days=30)
    assert state['status'] == 'expiring' and 'two thirds of its 199-day lifetime' in state['reason']
    assert _renew_due.renewal_state(nb, na, at('2026-08-01T00:00:00'))['status'] == 'ok'


def test_warn_days_stays_a_floor_for_short_lifetimes():
    nb, na = at('2029-04-01T00:00:00'), at('2029-05-18T00:00:00')       # 47 days: 2/3 is ~15.7 days left
    state = _renew_due.renewal_state(nb, na, at('2029-04-20T00:00:00'), warn_days=30)
    assert state['status'] == 'expiring' and 'within warn_days 30' in state['reason']
    assert _renew_due.renewal_state(nb, na, at('2029-04-17T00:00:00'), warn_days=30)['status'] == 'ok'


def test_revoked_is_renew_now_and_expired_is_expired():
    nb, na = at('2026-04-01T00:00:00'), at('2026-10-17T00:00:00')
    assert _renew_due.renewal_state(nb, na, at('2026-04-02T00:00:00'), revoked=True)['status'] == 'revoked'
    assert _renew_due.renewal_state(nb, na, at('2026-10-18T00:00:00'))['status'] == 'expired'


@pytest.mark.parametrize('now,pick,action,when', [
    ('2025-01-01T00:00:00', 0.5, 'wait', '2025-01-02T16:00:00'),        # before the window: wait to the draw
    ('2025-01-02T10:00:00', 0.5, 'wait', '2025-01-02T16:00:00'),        # inside, draw still ahead
    ('2025-01-02T17:00:00', 0.5, 'renew_now', '2025-01-02T17:00:00'),   # inside, draw has passed
    ('2025-01-04T00:00:00', 0.0, 'renew_now', '2025-01-04T00:00:00'),   # window over
    ('2025-01-02T04:00:00', 0.0, 'renew_now', '2025-01-02T04:00:00'),   # draw is exactly now
])
def test_ari_decision_on_the_rfc_9773_example_window(now, pick, action, when):
    decision = _renew_due.ari_decision(RFC9773_EXAMPLE, at(now), pick=pick)
    assert decision['action'] == action and decision['at'] == at(when)
    assert decision['explanation_url'] == 'https://acme.example.com/docs/ari'


def test_ari_next_wake_after_the_draw_renews_now_and_random_draw_stays_in_window():
    # Section 4.2 step: a client that cannot wake at the chosen time renews now if its next wake is later.
    decision = _renew_due.ari_decision(RFC9773_EXAMPLE, at('2025-01-02T05:00:00'), pick=0.5,
                                       next_wake=at('2025-01-03T05:00:00'))
    assert decision['action'] == 'renew_now'
    for _attempt in range(50):
        chosen = _renew_due.ari_decision(RFC9773_EXAMPLE, at('2025-01-01T00:00:00'))['at']
        assert at('2025-01-02T04:00:00') <= chosen <= at('2025-01-03T04:00:00')


@pytest.mark.parametrize('info,message', [
    ({}, 'no suggestedWindow'),
    ({'suggestedWindow': {'start': '2025-01-03T04:00:00Z', 'end': '2025-01-02T04:00:00Z'}}, 'ends .* before it starts'),
    ({'suggestedWindow': {'start': 'soon', 'end': '2025-01-02T04:00:00Z'}}, 'start .* not an RFC 3339 time'),
    ({'suggestedWindow': {'start': '2025-01-02T04:00:00', 'end': '2025-01-03T04:00:00Z'}}, 'no time zone'),
])
def test_ari_bad_windows_are_refused(info, message):
    with pytest.raises(HkpostError, match=message):
        _renew_due.ari_decision(info, at('2025-01-02T00:00:00'), pick=0.5)
