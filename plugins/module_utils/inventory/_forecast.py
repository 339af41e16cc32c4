# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Renewal workload ahead: how many certificates fall due each week, under the shrinking maximum validity.

The CA/Browser Forum Baseline Requirements (ballot SC-081) cap a TLS certificate's validity by the day it is
issued: 398 days before 2026-03-15, 200 days from then, 100 days from 2027-03-15, 47 days from 2029-03-15.
Each certificate is followed forward from its current validity:

* **the rule**: a certificate is renewed at whichever comes first - two thirds of its lifetime, or 30 days
  before it expires (``fraction`` and ``margin_days``). From 90 days of lifetime up, the two-thirds point is
  the earlier one; below 90 days (the 47-day certificates of 2029) the 30-day margin is;
* the replacement is issued on its renewal day with the maximum validity of that day, and never beyond the
  certificate's subscription end when one is given (a Hongkong Post e-Cert is bought for a subscription
  period); a renewal that falls within ``margin_days`` of the subscription end (or after it) needs a new
  subscription, is marked ``subscription_ended``, and the new subscription is taken to cover the rest of the
  horizon;
* a certificate already past its renewal day is due in the first week (overdue).

Portal sessions: the Hongkong Post renewals falling in one week are done in one sitting at the portal
(``batch`` caps how many one sitting takes; 0 = no cap). Other issuers' renewals are counted apart, as the
ACME runs (or other portals) they imply.
"""

from __future__ import annotations

import datetime
import math

# One table of the ballot's dates for the whole collection (DCV reuse and validity side by side).
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv._schedule import MAX_VALIDITY_DAYS, max_validity_days

WEEKS = 52
RULE = ('renewed at whichever comes first: two thirds of its lifetime, or %d days before expiry; the replacement '
        'gets the maximum validity of its issue day (398 days, 200 from 2026-03-15, 100 from 2027-03-15, 47 from '
        '2029-03-15), capped at the subscription end')


def renewal_day(not_before, not_after, fraction=2.0 / 3, margin_days=30):
    """The day a certificate valid from ``not_before`` to ``not_after`` (dates) is renewed under the rule."""
    lifetime = (not_after - not_before).days
    at_fraction = not_before + datetime.timedelta(days=int(math.floor(lifetime * fraction)))
    at_margin = not_after - datetime.timedelta(days=margin_days)
    # Never before the day it was issued (a very short certificate, capped by its subscription end).
    return max(min(at_fraction, at_margin), not_before + datetime.timedelta(days=1))


def renewals(not_before, not_after, today, subscription_end=None, weeks=WEEKS, fraction=2.0 / 3, margin_days=30):
    """Every renewal of one certificate from ``today`` to the horizon: [{'day', 'overdue', 'subscription_ended'}]."""
    horizon = week_start(today) + datetime.timedelta(days=7 * weeks)
    events = []
    day = renewal_day(not_before, not_after, fraction, margin_days)
    overdue = day < today
    day = max(day, today)
    while day < horizon:
        # Within the last margin before the subscription ends, a renewal is a new subscription.
        ended = subscription_end is not None and day >= subscription_end - datetime.timedelta(days=margin_days)
        events.append({'day': day.isoformat(), 'overdue': overdue, 'subscription_ended': ended})
        if ended:
            subscription_end = None  # renewed with the subscription: taken to cover the horizon
        life = max_validity_days(day)
        if subscription_end is not None:
            life = max(1, min(life, (subscription_end - day).days))
        following = renewal_day(day, day + datetime.timedelta(days=life), fraction, margin_days)
        day, overdue = max(following, day + datetime.timedelta(days=1)), False
    return events


def week_start(day):
    """The Monday of ``day``'s week: weeks in the forecast run Monday to Sunday."""
    return day - datetime.timedelta(days=day.weekday())


def forecast(certificates, today, weeks=WEEKS, batch=0, fraction=2.0 / 3, margin_days=30):
    """The renewal workload of ``certificates`` for ``weeks`` weeks from ``today``'s week.

    ``certificates``: [{'sha256', 'common_name', 'is_hkpost', 'hosts', 'not_before', 'not_after' (dates),
    'subscription_end' (date or None)}]. Returns the JSON planners read (see the module docstring for the rule).
    """
    first = week_start(today)
    table = [{'week': i, 'start': (first + datetime.timedelta(days=7 * i)).isoformat(),
              'end': (first + datetime.timedelta(days=7 * i + 6)).isoformat(), 'due': 0, 'hkpost': 0, 'other': 0,
              'overdue': 0, 'subscription_ended': 0, 'portal_sessions': 0, 'certificates': []}
             for i in range(weeks)]
    per_certificate = []
    for cert in certificates:
        events = renewals(cert['not_before'], cert['not_after'], today, cert.get('subscription_end'), weeks,
                          fraction, margin_days)
        per_certificate.append({'sha256': cert['sha256'], 'common_name': cert['common_name'],
                                'is_hkpost': cert['is_hkpost'], 'hosts': cert['hosts'],
                                'not_after': cert['not_after'].isoformat(),
                                'subscription_end': cert['subscription_end'].isoformat()
                                if cert.get('subscription_end') else None,
                                'renewals': [e['day'] for e in events]})
        for event in events:
            week = table[(datetime.date.fromisoformat(event['day']) - first).days // 7]
            week['due'] += 1
            week['hkpost' if cert['is_hkpost'] else 'other'] += 1
            week['overdue'] += event['overdue']
            week['subscription_ended'] += event['subscription_ended']
            # A fleet's year holds tens of thousands of these: the flags only where they are true.
            due = {'sha256': cert['sha256'], 'common_name': cert['common_name'], 'day': event['day']}
            for flag in ('overdue', 'subscription_ended'):
                if event[flag]:
                    due[flag] = True
            week['certificates'].append(due)
    for week in table:
        if week['hkpost']:
            week['portal_sessions'] = int(math.ceil(week['hkpost'] / float(batch))) if batch else 1
        week['certificates'].sort(key=lambda c: (c['day'], str(c['common_name'])))
    busiest = max(table, key=lambda w: (w['due'], -w['week'])) if table else None
    return {
        'today': today.isoformat(), 'weeks': table, 'certificates': per_certificate,
        'rule': RULE % margin_days, 'fraction': fraction, 'margin_days': margin_days, 'batch': batch,
        'schedule': [{'from': None if s == datetime.date.min else s.isoformat(), 'max_days': d}
                     for s, d in MAX_VALIDITY_DAYS],
        'totals': {'renewals': sum(w['due'] for w in table), 'hkpost': sum(w['hkpost'] for w in table),
                   'other': sum(w['other'] for w in table), 'portal_sessions': sum(w['portal_sessions'] for w in table),
                   'overdue': sum(w['overdue'] for w in table),
                   'subscription_ended': sum(w['subscription_ended'] for w in table),
                   'busiest_week': busiest['start'] if busiest and busiest['due'] else None,
                   'busiest_week_due': busiest['due'] if busiest else 0},
    }
