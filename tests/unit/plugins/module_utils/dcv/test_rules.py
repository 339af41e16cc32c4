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
