# -*- coding: utf-8 -*-
"""The DCV rules, decided before anything is touched."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _rules as _dcv
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError

TODAY = datetime.date(2026, 11, 21)


def plan(method='dns', certificate_type='standard', domains=('www.example.com',), code='ABC123',
         issued_on='2026-11-20', state='present'):
    return _dcv.plan(method, certificate_type, list(domains), code, issued_on=issued_on, today=TODAY, state=state)


def test_file_refused_for_wildcard():
    with pytest.raises(HkpostError, match=r'method file .* not available for wildcard certificates; use method dns'):
        plan('file', 'wildcard', ['*.example.com'])


def test_file_refused_for_a_wildcard_name_even_with_base_name():
    with pytest.raises(HkpostError, match='not available for wildcard'):
        plan('file', 'wildcard', ['example.com'])


@pytest.mark.parametrize('certificate_type', ['multi_domain', 'ev_multi_domain'])
def test_email_refused_for_multi_domain(certificate_type):
    with pytest.raises(HkpostError, match='method email .* not available for %s certificates' % certificate_type):
        plan('email', certificate_type, ['a.example.com', 'b.example.com'])


@pytest.mark.parametrize('certificate_type', ['standard', 'wildcard', 'ev'])
def test_email_allowed_for_single_name_types(certificate_type):
    name = '*.example.com' if certificate_type == 'wildcard' else 'www.example.com'
    assert plan('email', certificate_type, [name])['names'][0]['record_name'].endswith('example.com')


def test_code_older_than_30_days_refused_with_expiry_date():
    with pytest.raises(HkpostError, match='issued on 2026-10-21 expired on 2026-11-20'):
        plan(issued_on='2026-10-21')


def test_code_exactly_30_days_old_still_valid():
    assert plan(issued_on='2026-10-22')['expires_on'] == '2026-11-21'


def test_code_from_the_future_refused():
    with pytest.raises(HkpostError, match='in the future'):
        plan(issued_on='2026-11-22')


def test_expired_code_can_still_be_removed():
    assert plan(issued_on='2026-01-01', state='absent')['expires_on'] == '2026-01-31'


@pytest.mark.parametrize('bad', ['2026/11/20', 'yesterday', '20-11-2026'])
def test_issued_on_must_be_a_date(bad):
    with pytest.raises(HkpostError, match='YYYY-MM-DD'):
        plan(issued_on=bad)


@pytest.mark.parametrize('name', ['exa mple.com', '-bad.example.com', 'a..example.com', 'localhost',
                                  'www.*.example.com', 'x' * 64 + '.com', 'under_score.example.com'])
def test_invalid_names_refused(name):
    with pytest.raises(HkpostError, match='domain name'):
        plan(domains=[name])


def test_wildcard_name_needs_wildcard_type():
    with pytest.raises(HkpostError, match='wildcard'):
        plan('dns', 'standard', ['*.example.com'])


def test_idn_names_become_a_labels_and_duplicates_collapse():
    result = plan(domains=['香港郵政.hk', 'xn--5bvv2rbn4a0hh.HK', 'WWW.Example.com.'])
    assert [n['ascii_name'] for n in result['names']] == ['xn--5bvv2rbn4a0hh.hk', 'www.example.com']
    assert result['names'][0]['name'] == '香港郵政.hk'


def test_wildcard_dns_record_goes_at_the_base_name():
    names = plan('dns', 'wildcard', ['*.example.com', 'example.com'])['names']
    assert [(n['ascii_name'], n['record_name']) for n in names] == [('*.example.com', 'example.com'),
                                                                    ('example.com', 'example.com')]


@pytest.mark.parametrize('code', ['', 'has space', 'two\nlines', 'x' * 256, 'caf\u00e9'])
def test_code_must_be_printable_ascii(code):
    with pytest.raises(HkpostError, match='verification_code'):
        plan(code=code)


def test_empty_domains_refused():
    with pytest.raises(HkpostError, match='domains is empty'):
        plan(domains=[])


def test_email_addresses_are_the_five_br_local_parts():
    assert _dcv.email_addresses('example.com') == ['admin@example.com', 'administrator@example.com',
                                                   'webmaster@example.com', 'hostmaster@example.com',
                                                   'postmaster@example.com']


@pytest.mark.parametrize('body,ok,problem', [
    (b'ABC123', True, None),
    (b'ABC123\n', True, None),
    (b'ABC123\r\n', True, None),
    (b'ABC123\n\n', False, 'extra whitespace'),
    (b' ABC123', False, 'extra whitespace'),
    (b'\xef\xbb\xbfABC123', False, 'byte order mark'),
    (b'ABC124', False, 'does not hold this verification code'),
    (b'', False, 'does not hold'),
])
def test_compare_body(body, ok, problem):
    result = _dcv.compare_body(body, 'ABC123')
    assert result[0] is ok
    assert (result[1] is None) if problem is None else (problem in result[1])


def test_webroot_one_for_all_or_per_name():
    assert _dcv.webroot_for('www.example.com', '/srv/www') == '/srv/www'
    roots = {'www.example.com': '/srv/a', '香港郵政.hk': '/srv/idn'}
    assert _dcv.webroot_for('xn--5bvv2rbn4a0hh.hk', roots, '香港郵政.hk') == '/srv/idn'
    assert _dcv.webroot_for('xn--5bvv2rbn4a0hh.hk', roots) == '/srv/idn'
    with pytest.raises(HkpostError, match='webroot has no entry for other.example.com'):
        _dcv.webroot_for('other.example.com', roots)


def test_shown_never_returns_the_code():
    assert _dcv.shown(b'ABC123\n', 'ABC123') == '<verification_code>\n'
    assert _dcv.shown('v=spf1 -all', 'ABC123') == 'v=spf1 -all'


# ---- edges found by make mutation ---------------------------------------------------------------------

def test_parse_date_forms():
    day = datetime.date(2026, 3, 1)
    assert _dcv.parse_date(datetime.datetime(2026, 3, 1, 23, 59)) == day
    assert _dcv.parse_date(day) == day and _dcv.parse_date(' 2026-03-01 ') == day
    with pytest.raises(HkpostError, match="issued_on '1/3/2026' is not a date"):
        _dcv.parse_date('1/3/2026')


def test_code_age_edges():
    today = datetime.date(2026, 3, 31)
    assert _dcv.check_code_age(today, today) == datetime.date(2026, 4, 30)        # issued today
    assert _dcv.check_code_age(datetime.date(2026, 3, 1), today) == today        # day 30 still valid
    with pytest.raises(HkpostError, match='expired on 2026-03-30'):
        _dcv.check_code_age(datetime.date(2026, 2, 28), today)
    with pytest.raises(HkpostError, match='in the future'):
        _dcv.check_code_age(datetime.date(2026, 4, 1), today)


@pytest.mark.parametrize('code', [None, 42, '', 'has space', 'x' * 256, 'tab\there', 'é'])
def test_code_refused(code):
    with pytest.raises(HkpostError, match='verification_code'):
        _dcv.check_code(code)


def test_code_accepted_at_its_limits():
    assert _dcv.check_code('x' * 255) == 'x' * 255 and _dcv.check_code('!~') == '!~'


def test_method_rules():
    with pytest.raises(HkpostError, match="method 'ftp' is not one of file, dns, email"):
        _dcv.check_method('ftp', 'standard', ['a.example.hk'])
    with pytest.raises(HkpostError, match="certificate_type 'gold' is not one of"):
        _dcv.check_method('dns', 'gold', ['a.example.hk'])
    with pytest.raises(HkpostError, match='not available for wildcard'):
        _dcv.check_method('file', 'wildcard', ['example.hk'])
    with pytest.raises(HkpostError, match='not available for wildcard'):
        _dcv.check_method('file', 'standard', ['*.example.hk'])
    _dcv.check_method('file', 'multi_domain', ['a.example.hk', 'b.example.hk'])
    _dcv.check_method('dns', 'wildcard', ['*.example.hk'])
    for ctype in ('multi_domain', 'ev_multi_domain'):
        with pytest.raises(HkpostError, match='method email .* not available for %s' % ctype):
            _dcv.check_method('email', ctype, ['a.example.hk'])
    _dcv.check_method('email', 'ev', ['a.example.hk'])


def test_plan_names_record_names_and_expiry():
    result = _dcv.plan('dns', 'wildcard', ['*.Example.HK', '*.example.hk', 'example.hk'], 'HKP-1',
                       issued_on='2026-03-01', today='2026-03-10')
    assert result['names'] == [
        {'name': '*.Example.HK', 'ascii_name': '*.example.hk', 'record_name': 'example.hk'},
        {'name': 'example.hk', 'ascii_name': 'example.hk', 'record_name': 'example.hk'}]
    assert result['expires_on'] == '2026-03-31'
    assert _dcv.plan('dns', 'standard', ['a.example.hk'], 'HKP-1')['expires_on'] is None
    # today alone: the code is taken as issued today
    assert _dcv.plan('dns', 'standard', ['a.example.hk'], 'HKP-1', today='2026-03-10')['expires_on'] == '2026-04-09'
    # issued_on alone: today is the real day, so an old code is refused ...
    with pytest.raises(HkpostError, match='expired'):
        _dcv.plan('dns', 'standard', ['a.example.hk'], 'HKP-1', issued_on='2020-01-01')
    # ... but removal of an expired token is always allowed
    gone = _dcv.plan('dns', 'standard', ['a.example.hk'], 'HKP-1', issued_on='2020-01-01', state='absent')
    assert gone['expires_on'] == '2020-01-31'
    with pytest.raises(HkpostError, match='domains is empty'):
        _dcv.plan('dns', 'standard', [], 'HKP-1')
    with pytest.raises(HkpostError, match='verification_code'):
        _dcv.plan('dns', 'standard', ['a.example.hk'], 'bad code')


def test_webroot_for():
    assert _dcv.webroot_for('a.example.hk', '/srv/www') == '/srv/www'
    roots = {'香港郵政.hk': '/srv/idn', 'b.example.hk': '/srv/b', '*.example.hk': '/srv/wild'}
    assert _dcv.webroot_for('xn--5bvv2rbn4a0hh.hk', roots) == '/srv/idn'
    assert _dcv.webroot_for('b.example.hk', roots) == '/srv/b'
    assert _dcv.webroot_for('c.example.hk', {'C.Example.HK': '/srv/c'}) == '/srv/c'
    assert _dcv.webroot_for('x', {'as given': '/srv/g'}, given_name='as given') == '/srv/g'
    with pytest.raises(HkpostError, match='webroot has no entry for d.example.hk'):
        _dcv.webroot_for('d.example.hk', {'bad key!': '/x', 'b.example.hk': '/srv/b'})
    for empty in ('', None, ['/srv']):
        with pytest.raises(HkpostError, match='needs webroot'):
            _dcv.webroot_for('a.example.hk', empty)


@pytest.mark.parametrize('body, ok, fragment', [
    (None, False, 'no body'),
    (b'HKP-1', True, None),
    (b'HKP-1\n', True, None),
    (b'HKP-1\r\n', True, None),
    (b'HKP-1\n\n', False, 'extra whitespace'),
    (b' HKP-1', False, 'extra whitespace'),
    (b'\xef\xbb\xbfHKP-1', False, 'byte order mark'),
    (b'HKP-2', False, 'does not hold this verification code'),
])
def test_compare_body(body, ok, fragment):
    result, problem = _dcv.compare_body(body, 'HKP-1')
    assert result is ok and (problem is None if fragment is None else fragment in problem)


def test_shown_hides_the_code_and_cuts_long_bodies():
    assert _dcv.shown(None, 'HKP-1') is None
    assert _dcv.shown(b'x HKP-1 y', 'HKP-1') == 'x <verification_code> y'
    assert _dcv.shown('HKP-1', '') == 'HKP-1'
    assert _dcv.shown('a' * 120, 'HKP-1') == 'a' * 120
    assert _dcv.shown('a' * 121, 'HKP-1') == 'a' * 120 + '...'
    assert _dcv.email_addresses('example.hk')[0] == 'admin@example.hk' and len(_dcv.email_addresses('x')) == 5


# ---- issue 22: a web root that no web server serves is refused before any file is written -------------

@pytest.mark.parametrize('webroot, message', [
    ({'www.example.hk': None}, r'webroot entry for www\.example\.hk is empty; give the absolute directory'),
    ({'www.example.hk': ''}, r'webroot entry for www\.example\.hk is empty'),
    ({'www.example.hk': 'srv/www'}, r'webroot entry for www\.example\.hk "srv/www" is a relative path'),
    ('public_html', r'webroot "public_html" is a relative path'),
    ({'other.example.hk': '/srv/www'}, r'webroot has no entry for www\.example\.hk'),
])
def test_webroot_must_be_an_absolute_directory(webroot, message):
    from ansible_collections.hkpost.ecert.plugins.module_utils.dcv._rules import webroot_for
    with pytest.raises(HkpostError, match=message):
        webroot_for('www.example.hk', webroot, 'www.example.hk')


@pytest.mark.parametrize('webroot', ['/srv/www', {'www.example.hk': '/srv/www'}, {'WWW.Example.HK': '/srv/www'}])
def test_webroot_absolute_is_returned(webroot):
    from ansible_collections.hkpost.ecert.plugins.module_utils.dcv._rules import webroot_for
    assert webroot_for('www.example.hk', webroot, 'www.example.hk') == '/srv/www'
