# -*- coding: utf-8 -*-
"""The renewal forecast: the CA/Browser Forum validity schedule, the renewal rule, subscription ends, weeks."""

from __future__ import annotations

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv._schedule import max_validity_days as max_validity
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._forecast import (
    forecast, renewal_day, renewals, week_start)

D = datetime.date


def test_maximum_validity_by_issue_day():
    assert [max_validity(d) for d in (D(2026, 3, 14), D(2026, 3, 15), D(2027, 3, 14), D(2027, 3, 15),
                                      D(2029, 3, 14), D(2029, 3, 15), D(2031, 1, 1))] == [398, 200, 200, 100, 100, 47, 47]


def test_renewed_at_two_thirds_or_thirty_days_before_expiry_whichever_first():
    # 398 days: two thirds (day 265) comes long before 30 days before expiry (day 368).
    assert renewal_day(D(2026, 1, 1), D(2026, 1, 1) + datetime.timedelta(days=398)) == D(2026, 9, 23)
    # 47 days: 30 days before expiry (day 17) comes before two thirds (day 31).
    assert renewal_day(D(2029, 4, 1), D(2029, 5, 18)) == D(2029, 4, 18)
    # 90 days: the two coincide.
    assert renewal_day(D(2026, 1, 1), D(2026, 4, 1)) == D(2026, 3, 2)


def test_each_replacement_gets_the_maximum_validity_of_its_issue_day():
    events = renewals(D(2026, 1, 1), D(2026, 1, 1) + datetime.timedelta(days=398), today=D(2026, 6, 1))
    # 2026-09-23 (200-day era: next at +133) -> 2027-02-03 (still 200: next at +133 = 2027-06-16, past the horizon).
    assert [e['day'] for e in events] == ['2026-09-23', '2027-02-03']
    assert not any(e['overdue'] or e['subscription_ended'] for e in events)
    # From 2027-03-15 replacements are 100-day certificates: renewed every 66 days.
    later = renewals(D(2027, 1, 1), D(2027, 7, 20), today=D(2027, 3, 1))
    days = [D.fromisoformat(e['day']) for e in later]
    assert [(b - a).days for a, b in zip(days[1:], days[2:])] == [66] * (len(days) - 2)


def test_overdue_is_due_now_and_the_horizon_is_fifty_two_weeks():
    events = renewals(D(2026, 1, 1), D(2026, 12, 1), today=D(2026, 11, 20))
    assert events[0] == {'day': '2026-11-20', 'overdue': True, 'subscription_ended': False}
    assert D.fromisoformat(events[-1]['day']) < week_start(D(2026, 11, 20)) + datetime.timedelta(weeks=52)


def test_subscription_end_caps_the_replacement_and_its_renewal_is_a_new_subscription():
    events = renewals(D(2026, 4, 1), D(2026, 10, 18), today=D(2026, 6, 1), subscription_end=D(2026, 12, 31))
    # 2026-08-12: the replacement is capped at 2026-12-31 (141 days; two thirds -> 2026-11-14), whose replacement
    # (47 days) is renewed 30 days before the subscription end, 2026-12-01: a new subscription; full 200-day
    # certificates after it.
    assert [(e['day'], e['subscription_ended']) for e in events][:3] == [
        ('2026-08-12', False), ('2026-11-14', False), ('2026-12-01', True)]
    assert all(not e['subscription_ended'] for e in events[3:])
    days = [D.fromisoformat(e['day']) for e in events]
    assert all(b > a for a, b in zip(days, days[1:])), 'strictly later, never a burst of renewals'


def test_weekly_table_counts_portal_sessions_for_hongkong_post_only():
    today = D(2026, 6, 3)   # a Wednesday: week 0 starts Monday 2026-06-01
    certs = [{'sha256': 'A' * 64, 'common_name': 'a.example.hk', 'is_hkpost': True, 'hosts': ['web1'],
              'not_before': D(2026, 1, 1), 'not_after': D(2026, 6, 20), 'subscription_end': None},
             {'sha256': 'B' * 64, 'common_name': 'b.example.hk', 'is_hkpost': True, 'hosts': ['web2'],
              'not_before': D(2026, 1, 1), 'not_after': D(2026, 6, 20), 'subscription_end': None},
             {'sha256': 'C' * 64, 'common_name': 'c.example.com', 'is_hkpost': False, 'hosts': ['web3'],
              'not_before': D(2026, 1, 1), 'not_after': D(2026, 6, 20), 'subscription_end': None}]
    plan = forecast(certs, today)
    week0 = plan['weeks'][0]
    assert (week0['start'], week0['end']) == ('2026-06-01', '2026-06-07') and len(plan['weeks']) == 52
    assert (week0['due'], week0['hkpost'], week0['other'], week0['overdue'], week0['portal_sessions']) == (3, 2, 1, 3, 1)
    assert plan['totals']['portal_sessions'] == sum(1 for w in plan['weeks'] if w['hkpost'])
    assert forecast(certs, today, batch=1)['weeks'][0]['portal_sessions'] == 2
    assert plan['totals']['busiest_week'] == '2026-06-01' and 'two thirds' in plan['rule']
    assert [c['renewals'][0] for c in plan['certificates']] == ['2026-06-03'] * 3
