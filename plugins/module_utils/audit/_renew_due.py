# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a leaf certificate is due for renewal: its own lifetime, a warn_days floor, revocation, and ARI.

Pure: the current time is always a parameter. A fixed "30 days before expiry" was right for 1-year
certificates; with 199-day (and, from 2027-03-15, 100-day and from 2029-03-15 47-day) certificates it leaves
too little room for a retry, so a leaf is due once two thirds of its lifetime have passed (the point common
ACME clients renew at), or warn_days before expiry when that comes first.
"""

from __future__ import annotations

import datetime
import random

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError

LIFETIME_NUMERATOR, LIFETIME_DENOMINATOR = 2, 3
RFC9773_LINK = 'https://www.rfc-editor.org/rfc/rfc9773#section-4.2'


def renew_after(not_before, not_after, warn_days=30):
    """The moment a certificate becomes due: two thirds into its lifetime, or warn_days before expiry if earlier."""
    lifetime = not_after - not_before
    by_lifetime = not_before + lifetime * LIFETIME_NUMERATOR / LIFETIME_DENOMINATOR
    by_floor = not_after - datetime.timedelta(days=warn_days or 0)
    return min(by_lifetime, by_floor)


def renewal_state(not_before, not_after, now, warn_days=30, revoked=False):
    """``{'status': 'revoked'|'expired'|'expiring'|'ok', 'renew_after', 'reason'}`` for one leaf at ``now``."""
    due = renew_after(not_before, not_after, warn_days)
    days = (not_after - not_before).days
    state = {'renew_after': due, 'lifetime_days': days}
    if revoked:
        state.update(status='revoked', reason='revoked: clients that check revocation refuse it; renew now')
    elif not_after < now:
        state.update(status='expired', reason='expired on %s' % not_after.strftime('%Y-%m-%d'))
    elif now >= due:
        floor = not_after - datetime.timedelta(days=warn_days or 0)
        why = ('within warn_days %d of expiry' % warn_days if now >= floor and due == floor
               else 'past two thirds of its %d-day lifetime (due from %s)' % (days, due.strftime('%Y-%m-%d')))
        state.update(status='expiring', reason=why)
    else:
        state.update(status='ok', reason='due from %s' % due.strftime('%Y-%m-%d'))
    return state


def _parse_time(value, what):
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        try:
            parsed = datetime.datetime.fromisoformat(str(value).strip().replace('Z', '+00:00'))
        except ValueError:
            raise HkpostError('ARI suggestedWindow %s %r is not an RFC 3339 time' % (what, value))
    if parsed.tzinfo is None:
        raise HkpostError('ARI suggestedWindow %s %r has no time zone (RFC 3339 requires one)' % (what, value))
    return parsed


def ari_decision(renewal_info, now, pick=None, next_wake=None):
    """Renew now or wait, from an ARI renewalInfo object (RFC 9773 section 4.2) at ``now``.

    Follows the algorithm section 4.2 recommends: choose a uniform random time inside ``suggestedWindow``
    (``pick`` in [0, 1] replaces the random draw, for tests); renew now if it has passed; otherwise wait until
    it - unless the caller only wakes at ``next_wake`` and that is after the chosen time, then renew now
    (an unattended run cannot wake up at an exact moment, a scheduled job can). Returns
    ``{'action': 'renew_now'|'wait', 'at', 'window_start', 'window_end', 'explanation_url'}``.
    """
    if not isinstance(renewal_info, dict) or not isinstance(renewal_info.get('suggestedWindow'), dict):
        raise HkpostError('the ARI answer has no suggestedWindow object (RFC 9773 section 4.2)')
    window = renewal_info['suggestedWindow']
    start = _parse_time(window.get('start'), 'start')
    end = _parse_time(window.get('end'), 'end')
    if end <= start:
        # Section 4.2: a window whose end is not after its start is invalid; keep the last good schedule instead.
        raise HkpostError('the ARI suggestedWindow ends (%s) before it starts (%s); ignore it and retry later'
                          % (window.get('end'), window.get('start')))
    fraction = random.random() if pick is None else pick
    if not 0 <= fraction <= 1:
        raise HkpostError('pick %r is outside [0, 1]' % (fraction,))
    chosen = start + (end - start) * fraction
    decision = {'window_start': start, 'window_end': end, 'at': chosen,
                'explanation_url': renewal_info.get('explanationURL')}
    if chosen <= now or (next_wake is not None and chosen < next_wake):
        decision.update(action='renew_now', at=now)
    else:
        decision['action'] = 'wait'
    return decision
