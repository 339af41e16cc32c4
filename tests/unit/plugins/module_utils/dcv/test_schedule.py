# -*- coding: utf-8 -*-
"""The SC-081 dated rules (BR 3.2.2.4.4 e-mail, BR 4.2.1 DCV reuse), decided for an injected day."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _rules, _schedule

D = datetime.date


@pytest.mark.parametrize('day,level', [
    (D(2026, 3, 14), 'notice'), (D(2026, 3, 15), 'warn'), (D(2028, 3, 14), 'warn'), (D(2028, 3, 15), 'refuse')])
def test_email_rule_levels_turn_on_the_ballot_days(day, level):
    assert _schedule.email_rule(day)[0] == level


def test_email_refused_from_2028_names_rule_and_alternatives():
    with pytest.raises(HkpostError) as info:
        _rules.plan('email', 'standard', ['www.example.hk'], 'CODE1', today=D(2028, 3, 15))
    text = str(info.value)
    assert 'BR 3.2.2.4.4' in text and 'MUST NOT' in text and 'SC-081' in text
    assert 'method dns' in text and 'method file' in text


def test_email_warned_between_the_dates_and_removal_never_refused():
    warned = _rules.plan('email', 'standard', ['www.example.hk'], 'CODE1', today=D(2027, 1, 1))
    assert 'SHOULD NOT' in warned['warnings'][0] and 'method dns' in warned['warnings'][0]
    # state=absent on a refused day still plans (nothing is published for e-mail, but nothing may block cleanup)
    assert _rules.plan('email', 'standard', ['www.example.hk'], 'CODE1', today=D(2029, 1, 1),
                       issued_on=D(2028, 12, 20), state='absent')['names']
    assert _rules.plan('dns', 'standard', ['www.example.hk'], 'CODE1', today=D(2029, 1, 1))['warnings'] == []


@pytest.mark.parametrize('issued,days', [
    (D(2026, 3, 14), 398), (D(2026, 3, 15), 200), (D(2027, 3, 14), 200), (D(2027, 3, 15), 100),
    (D(2029, 3, 14), 100), (D(2029, 3, 15), 10)])
def test_reuse_days_by_issuance_day(issued, days):
    assert _schedule.reuse_days(issued) == days


@pytest.mark.parametrize('validated,until', [
    (D(2025, 2, 15), D(2026, 3, 14)),       # 398 days reach 2026-03-20, but from 2026-03-15 only 200 count
    (D(2025, 9, 1), D(2026, 3, 20)),        # 200 days from 2025-09-01 = 2026-03-20, inside the 200-day period
    (D(2026, 10, 1), D(2027, 3, 14)),       # 200 days would be 2027-04-19; from 2027-03-15 only 100 count
    (D(2027, 1, 1), D(2027, 4, 11)),        # 100 days
    (D(2029, 1, 1), D(2029, 3, 14)),        # 100 days would be 2029-04-11; from 2029-03-15 only 10 count
    (D(2029, 3, 10), D(2029, 3, 20)),       # 10 days
    (D(2030, 6, 1), D(2030, 6, 11)),
])
def test_validation_valid_until_follows_the_shrinking_period(validated, until):
    assert _schedule.validation_valid_until(validated) == until


def test_reuse_report_per_name_map_and_missing_names():
    names = [{'name': n, 'ascii_name': n} for n in ('a.example.hk', 'b.example.hk', 'c.example.hk')]
    report = _rules.reuse_report(names, {'a.example.hk': '2027-01-01', 'b.example.hk': D(2026, 6, 1)},
                                 D(2027, 4, 1))
    assert report['a.example.hk']['needs_fresh_validation'] is False
    assert report['a.example.hk']['validation_valid_until'] == '2027-04-11'
    assert report['b.example.hk']['needs_fresh_validation'] is True      # until 2026-12-18
    assert report['c.example.hk'] == {'validated_on': None, 'validation_valid_until': None, 'reuse_days': 100,
                                      'needs_fresh_validation': True}
    with pytest.raises(HkpostError, match='validated_on for a.example.hk is 2027-05-01, after 2027-04-01'):
        _rules.reuse_report(names[:1], '2027-05-01', D(2027, 4, 1))
    with pytest.raises(HkpostError, match="validated_on for a.example.hk 'soon' is not a date; give it as YYYY-MM-DD$"):
        _rules.reuse_report(names[:1], 'soon', D(2027, 4, 1))
