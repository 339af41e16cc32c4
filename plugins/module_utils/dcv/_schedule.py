# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The dated rules of CA/Browser Forum ballot SC-081 (Baseline Requirements 3.2.2.4.4 and 4.2.1), as data.

Pure: every function takes the day it decides for, so tests (and an operator planning ahead) can ask
"what happens on 2028-03-15" without touching the clock. The dates are the Baseline Requirements' own; each
message names the section so an operator can look it up.
"""

from __future__ import annotations

import datetime

BR_LINK = 'https://cabforum.org/working-groups/server/baseline-requirements/requirements/'
SC081_LINK = 'https://cabforum.org/working-groups/server/ballots/'  # ballot SC-081v3 is listed there

EMAIL_SHOULD_NOT_FROM = datetime.date(2026, 3, 15)
EMAIL_MUST_NOT_FROM = datetime.date(2028, 3, 15)

# BR 4.2.1 as amended by SC-081: how old domain validation may be when a certificate is issued, by issuance day.
# (first issuance day the period applies from, days); the first row is the pre-SC-081 398 days.
DCV_REUSE_DAYS = (
    (datetime.date.min, 398),
    (datetime.date(2026, 3, 15), 200),
    (datetime.date(2027, 3, 15), 100),
    (datetime.date(2029, 3, 15), 10),
)

# BR 6.3.2 as amended by SC-081: maximum certificate validity by issuance day (the renewal forecast follows it).
MAX_VALIDITY_DAYS = (
    (datetime.date.min, 398),
    (datetime.date(2026, 3, 15), 200),
    (datetime.date(2027, 3, 15), 100),
    (datetime.date(2029, 3, 15), 47),
)

_EMAIL_ALTERNATIVES = 'use method dns (BR 3.2.2.4.7, DNS TXT) or method file (BR 3.2.2.4.18, website change) instead'


def _period(table, day):
    days = table[0][1]
    for start, value in table:
        if day >= start:
            days = value
    return days


def reuse_days(issuance_day):
    """How many days old domain validation may be for a certificate issued on ``issuance_day``."""
    return _period(DCV_REUSE_DAYS, issuance_day)


def max_validity_days(issuance_day):
    """The longest validity (days) a certificate issued on ``issuance_day`` may have."""
    return _period(MAX_VALIDITY_DAYS, issuance_day)


def email_rule(day):
    """``(level, message)`` for e-mail to a constructed address (BR 3.2.2.4.4) on ``day``.

    ``refuse`` from 2028-03-15 (CAs MUST NOT use it: the CA would reject the request, so we refuse before it is
    made); ``warn`` from 2026-03-15 (SHOULD NOT); before that ``notice`` of what is coming.
    """
    if day >= EMAIL_MUST_NOT_FROM:
        return 'refuse', ('method email (e-mail to a constructed address, BR 3.2.2.4.4) MUST NOT be used from %s '
                          '(CA/Browser Forum ballot SC-081; today is %s): %s' % (
                              EMAIL_MUST_NOT_FROM.isoformat(), day.isoformat(), _EMAIL_ALTERNATIVES))
    if day >= EMAIL_SHOULD_NOT_FROM:
        return 'warn', ('method email (e-mail to a constructed address, BR 3.2.2.4.4) SHOULD NOT be used from %s and '
                        'is refused from %s (CA/Browser Forum ballot SC-081): %s' % (
                            EMAIL_SHOULD_NOT_FROM.isoformat(), EMAIL_MUST_NOT_FROM.isoformat(), _EMAIL_ALTERNATIVES))
    return 'notice', ('method email (e-mail to a constructed address, BR 3.2.2.4.4) SHOULD NOT be used from %s and '
                      'MUST NOT from %s (CA/Browser Forum ballot SC-081): %s' % (
                          EMAIL_SHOULD_NOT_FROM.isoformat(), EMAIL_MUST_NOT_FROM.isoformat(), _EMAIL_ALTERNATIVES))


def validation_valid_until(validated_on):
    """The last issuance day on which a validation done on ``validated_on`` may still be reused.

    The reuse period shrinks with the issuance day, so the answer is the latest day ``d`` with
    ``d - validated_on <= reuse_days(d)``: per period, the earlier of validated_on + its days and the day before
    the next period starts (when that is not before the period itself starts).
    """
    best = None
    for index, (start, days) in enumerate(DCV_REUSE_DAYS):
        end = DCV_REUSE_DAYS[index + 1][0] - datetime.timedelta(days=1) if index + 1 < len(DCV_REUSE_DAYS) \
            else datetime.date.max
        last = min(validated_on + datetime.timedelta(days=days), end)
        if last >= max(start, validated_on):
            best = last if best is None else max(best, last)
    return best


def reuse_status(validated_on, issuance_day):
    """Whether a validation from ``validated_on`` covers an issuance on ``issuance_day``, as plain data."""
    until = validation_valid_until(validated_on)
    fresh = issuance_day > until
    return {'validated_on': validated_on.isoformat(), 'validation_valid_until': until.isoformat(),
            'reuse_days': reuse_days(issuance_day), 'needs_fresh_validation': fresh}
