# -*- coding: utf-8 -*-
import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import (
    csr_request, normalize_name, to_unicode, windows_subject)

BASE = {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited'}


@pytest.mark.parametrize('name, ctype, expected', [
    ('www.example.com.hk', 'standard', 'www.example.com.hk'),
    ('WWW.Example.COM.hk.', 'standard', 'www.example.com.hk'),
    ('*.example.com.hk', 'wildcard', '*.example.com.hk'),
    ('香港郵政.hk', 'standard', 'xn--5bvv2rbn4a0hh.hk'),
    ('郵件。香港郵政.hk', 'ev', 'xn--5nqv22n.xn--5bvv2rbn4a0hh.hk'),
])
def test_valid_names(name, ctype, expected):
    assert normalize_name(name, ctype) == expected


@pytest.mark.parametrize('name, ctype, fault', [
    ('www example.com', 'standard', 'contains a space'),
    ('www..example.com', 'standard', 'empty label'),
    ('a' * 64 + '.example.com', 'standard', 'limit is 63'),
    (('a' * 60 + '.') * 5 + 'hk', 'standard', 'limit is 253'),
    ('my_host.example.com', 'standard', 'underscore'),
    ('*.example.com', 'standard', 'only allowed for certificate_type wildcard'),
    ('www.example.com', 'wildcard', 'whole leftmost label'),
    ('w*.example.com', 'wildcard', 'whole leftmost label'),
    ('*.*.example.com', 'wildcard', 'only the leftmost label'),
    ('-bad.example.com', 'standard', 'inner hyphens'),
    ('', 'standard', 'empty'),
])
def test_invalid_names_name_the_fault(name, ctype, fault):
    with pytest.raises(HkpostError, match=fault):
        normalize_name(name, ctype)


def test_subject_order_and_defaults():
    req = csr_request(dict(BASE, organizational_unit='IT'))
    assert req['subject'] == [('C', 'HK'), ('ST', 'Hong Kong'), ('L', 'Hong Kong'), ('O', 'Example Company Limited'),
                              ('OU', 'IT'), ('CN', 'www.example.com.hk')]
    assert req['sans'] == ['www.example.com.hk'] and req['key_size'] == 2048 and not req['warnings']


def test_multi_domain_carries_no_sans_and_says_so():
    req = csr_request(dict(BASE, certificate_type='multi_domain', subject_alt_names=['a.example.com.hk']))
    assert req['sans'] == []
    assert 'adds the other names' in req['warnings'][0]


def test_large_key_warns_quoting_the_guide():
    assert 'incompatible with some browsers' in csr_request(dict(BASE, key_size=4096))['warnings'][0]


@pytest.mark.parametrize('extra, message', [
    ({'key_size': 1024}, 'not secure'), ({'key_size': 2500}, 'must be one of'), ({'country': 'US'}, 'HK'),
    ({'organization': ''}, 'organization is required'), ({'state_or_province': 'HK'}, 'abbreviation'),
])
def test_refusals(extra, message):
    with pytest.raises(HkpostError, match=message):
        csr_request(dict(BASE, **extra))


def test_unicode_idn_mode_keeps_the_chinese_cn_and_ascii_sans():
    req = csr_request(dict(BASE, common_name='香港郵政.hk', idn='unicode'))
    assert req['common_name'] == '香港郵政.hk' and req['sans'] == ['xn--5bvv2rbn4a0hh.hk']
    assert to_unicode('xn--5bvv2rbn4a0hh.hk') == '香港郵政.hk'


def test_windows_subject_quotes_separators():
    req = csr_request(dict(BASE, organization='Example, "HK" Ltd'))
    assert windows_subject(req['subject']) == \
        'CN=www.example.com.hk, O="Example, ""HK"" Ltd", L=Hong Kong, S=Hong Kong, C=HK'
