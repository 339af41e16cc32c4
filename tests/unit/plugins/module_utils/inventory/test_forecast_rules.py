# -*- coding: utf-8 -*-
"""The renewal forecast's rules one by one (issue 21): the day bounds, the week table, flags and totals."""

from __future__ import annotations

import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._forecast import (
    forecast, renewal_day, renewals, week_start)

D = datetime.date
DAY = datetime.timedelta(days=1)


def _cert(name, nb, na, hkpost=True, subscription_end=None):
    return {'sha256': name.upper() * 8, 'common_name': name, 'is_hkpost': hkpost, 'hosts': ['web1'],
            'not_before': nb, 'not_after': na, 'subscription_end': subscription_end}


def test_a_certificate_is_renewed_the_day_after_issue_at_the_earliest():
    assert renewal_day(D(2026, 1, 1), D(2026, 1, 2)) == D(2026, 1, 2)


def test_renewal_due_today_is_not_overdue():
    nb = D(2026, 1, 1)
    due = renewal_day(nb, nb + 300 * DAY)
    assert renewals(nb, nb + 300 * DAY, today=due)[0] == {'day': due.isoformat(), 'overdue': False,
                                                          'subscription_ended': False}


def test_a_renewal_on_the_horizon_day_is_beyond_it():
    today = D(2026, 6, 1)                                    # a Monday: the horizon is 2027-05-31
    horizon = week_start(today) + 52 * 7 * DAY
    nb = horizon - 200 * DAY                                 # 200 days: due at day 133, ...
    na = nb + 200 * DAY
    day = renewal_day(nb, na)
    nb, na = nb + (horizon - day), na + (horizon - day)       # ... moved so that the due day is the horizon
    assert renewal_day(nb, na) == horizon and renewals(nb, na, today) == []
    assert [e['day'] for e in renewals(nb - DAY, na - DAY, today)] == [(horizon - DAY).isoformat()]


def test_a_renewal_31_days_before_the_subscription_end_is_followed_the_next_day_by_the_new_subscription():
    events = renewals(D(2026, 4, 1), D(2026, 10, 18), today=D(2026, 6, 1), subscription_end=D(2026, 9, 12))
    assert [(e['day'], e['subscription_ended']) for e in events[:2]] == [('2026-08-12', False), ('2026-08-13', True)]


def test_forecast_defaults_are_two_thirds_and_30_days():
    plan = forecast([], D(2026, 6, 3))
    assert plan['fraction'] == 2.0 / 3 and plan['margin_days'] == 30 and '30 days before expiry' in plan['rule']
    nb = D(2026, 1, 1)
    # 300 days: two thirds is day 200, so the defaults decide the first renewal's week.
    plan = forecast([_cert('a.example.hk', nb, nb + 300 * DAY)], D(2026, 6, 3))
    assert plan['certificates'][0]['renewals'][0] == (nb + 200 * DAY).isoformat()


def test_weeks_run_monday_to_sunday_and_start_empty():
    plan = forecast([], D(2026, 6, 3))
    assert [(w['week'], w['start'], w['end']) for w in plan['weeks'][:2]] == [
        (0, '2026-06-01', '2026-06-07'), (1, '2026-06-08', '2026-06-14')]
    assert all(w['due'] == w['hkpost'] == w['other'] == w['overdue'] == w['subscription_ended'] == w['portal_sessions'] == 0
               for w in plan['weeks'])
    assert plan['totals']['busiest_week'] is None and plan['totals']['busiest_week_due'] == 0


def test_each_renewal_lands_in_its_week_with_only_true_flags():
    today = D(2026, 6, 3)
    overdue = _cert('a.example.hk', D(2026, 1, 1), D(2026, 6, 20))
    later = _cert('b.example.hk', D(2026, 1, 1), D(2026, 1, 1) + 398 * DAY, hkpost=False,
                  subscription_end=D(2027, 12, 31))
    plan = forecast([overdue, later], today)
    due = D(2026, 1, 1) + 265 * DAY                                         # two thirds of 398 days
    week = plan['weeks'][(due - week_start(today)).days // 7]
    assert week['start'] <= due.isoformat() <= week['end'] and week['other'] == 1
    assert week['certificates'] == [{'sha256': later['sha256'], 'common_name': 'b.example.hk', 'day': due.isoformat()}]
    assert plan['weeks'][0]['certificates'][0] == {'sha256': overdue['sha256'], 'common_name': 'a.example.hk',
                                                   'day': today.isoformat(), 'overdue': True}
    assert plan['certificates'][1]['subscription_end'] == '2027-12-31'
    assert plan['certificates'][0]['subscription_end'] is None
    assert plan['totals']['busiest_week'] == '2026-06-01' and plan['totals']['busiest_week_due'] == 1


def test_no_weeks_is_an_empty_forecast():
    plan = forecast([_cert('a.example.hk', D(2026, 1, 1), D(2026, 6, 20))], D(2026, 6, 3), weeks=0)
    assert plan['weeks'] == [] and plan['totals']['busiest_week'] is None
    assert plan['totals']['busiest_week_due'] == 0 and plan['totals']['renewals'] == 0


def test_the_forecast_names_the_validity_schedule_it_follows_the_first_row_without_a_start_day():
    # renewal-forecast.json shows the reader which maximum validity applied when; the pre-ballot row has no start
    assert forecast([], D(2026, 6, 3))['schedule'] == [
        {'from': None, 'max_days': 398}, {'from': '2026-03-15', 'max_days': 200},
        {'from': '2027-03-15', 'max_days': 100}, {'from': '2029-03-15', 'max_days': 47}]
