# -*- coding: utf-8 -*-
"""DCV rules (dcv._rules) the mutation run (issue 21) found unpinned, one test per rule."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _rules

D = datetime.date
NAMES = [{'name': 'WWW.Example.com', 'ascii_name': 'www.example.com', 'record_name': 'www.example.com'},
         {'name': '香港郵政.hk', 'ascii_name': 'xn--5bvv2rbn4a0hh.hk', 'record_name': 'xn--5bvv2rbn4a0hh.hk'}]


def test_a_bad_date_names_the_portal_day_only_for_issued_on():
    with pytest.raises(HkpostError, match=r"issued_on 'soon' is not a date; give it as YYYY-MM-DD \(the day the portal"):
        _rules.parse_date('soon')
    with pytest.raises(HkpostError, match=r"as_of 'soon' is not a date; give it as YYYY-MM-DD$"):
        _rules.parse_date('soon', 'as_of')


@pytest.mark.parametrize('method', ['dns', 'file'])
def test_only_email_has_dated_rules(method):
    assert _rules.check_method(method, 'standard', ['www.example.com'], today=D(2030, 1, 1)) == []


def test_email_is_warned_then_refused_by_the_day_given_not_the_clock():
    assert _rules.check_method('email', 'standard', ['www.example.com'], today=D(2026, 1, 1))[0]
    with pytest.raises(HkpostError, match='MUST NOT be used from 2028-03-15'):
        _rules.check_method('email', 'standard', ['www.example.com'], today=D(2028, 3, 15))


def test_removing_an_email_publication_is_never_refused_by_its_date():
    plan = _rules.plan('email', 'standard', ['www.example.com'], 'CODE-1', today=D(2029, 1, 1), state='absent')
    assert [n['ascii_name'] for n in plan['names']] == ['www.example.com']
    with pytest.raises(HkpostError, match='MUST NOT be used'):
        _rules.plan('email', 'standard', ['www.example.com'], 'CODE-1', today=D(2029, 1, 1))


def test_one_validation_date_covers_every_name():
    report = _rules.reuse_report(NAMES, '2026-06-01', D(2026, 7, 1))
    assert set(report) == {'www.example.com', 'xn--5bvv2rbn4a0hh.hk'}
    assert all(r['validated_on'] == '2026-06-01' and r['needs_fresh_validation'] is False for r in report.values())


def test_a_validation_map_matches_names_as_given_as_a_labels_or_normalised():
    report = _rules.reuse_report(NAMES, {'香港郵政.hk': D(2026, 6, 2), 'www.EXAMPLE.com.': D(2026, 6, 3)}, D(2026, 7, 1))
    assert report['xn--5bvv2rbn4a0hh.hk']['validated_on'] == '2026-06-02'
    assert report['www.example.com']['validated_on'] == '2026-06-03'
    report = _rules.reuse_report(NAMES, {'WWW.Example.com': '2026-06-04', 'xn--5bvv2rbn4a0hh.hk': '2026-06-05'},
                                 D(2026, 7, 1))
    assert [r['validated_on'] for r in report.values()] == ['2026-06-04', '2026-06-05']


def test_a_name_missing_from_the_map_needs_a_fresh_validation():
    for validated_on in ({'other.example.com': '2026-06-01', 'bad key!': '2026-06-01'}, {'www.example.com': ''}):
        report = _rules.reuse_report(NAMES[:1], validated_on, D(2026, 7, 1))
        assert report['www.example.com'] == {'validated_on': None, 'validation_valid_until': None,
                                             'reuse_days': report['www.example.com']['reuse_days'],
                                             'needs_fresh_validation': True}
        assert report['www.example.com']['reuse_days'] > 0


def test_a_validation_after_the_issuance_day_is_refused_but_the_same_day_is_not():
    with pytest.raises(HkpostError, match='validated_on for www.example.com is 2026-07-02, after 2026-07-01'):
        _rules.reuse_report(NAMES[:1], '2026-07-02', D(2026, 7, 1))
    assert _rules.reuse_report(NAMES[:1], '2026-07-01', D(2026, 7, 1))['www.example.com']['needs_fresh_validation'] is False


@pytest.mark.parametrize('root', ['/var/www', 'C:\\inetpub\\wwwroot', 'd:/web', '\\\\fileserver\\web'])
def test_absolute_web_roots_of_posix_windows_and_unc_forms_are_accepted(root):
    assert _rules.webroot_for('www.example.com', root) == root
