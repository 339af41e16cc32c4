# -*- coding: utf-8 -*-
"""Subject values the CA cannot issue, refused before a key is made (issue 22): input -> message fragment."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request

BASE = {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited'}
MANY = ['n%d.example.com.hk' % i for i in range(101)]


@pytest.mark.parametrize('change, message', [
    ({'organization': 'O' * 65}, r'organization is 65 characters long; a certificate subject holds at most 64'),
    ({'organizational_unit': 'U' * 65}, r'organizational_unit is 65 characters long'),
    ({'locality': 'Hong Kong ' * 7}, r'locality is 69 characters long'),
    ({'state_or_province': 'S' * 200}, r'state_or_province is 200 characters long'),
    ({'common_name': 'a' * 60 + '.example.hk'}, r'common_name is 71 characters long'),
    ({'common_name': 'xn--zz.example.hk'}, r'the label "xn--zz" is not valid punycode'),
    ({'subject_alt_names': ['shop.XN--ZZ.hk']}, r'the label "xn--zz" is not valid punycode'),
    ({'subject_alt_names': MANY}, r'a standard certificate is for one server name \(www\.example\.com\.hk, and its www '
                                  r'companion\); 101 other name\(s\) were given \(n0\.example\.com\.hk, .*, \.\.\.\)\. '
                                  r'Several server names need a multi-domain certificate'),
    ({'certificate_type': 'ev', 'subject_alt_names': ['shop.example.com.hk']}, r'a ev certificate is for one server'),
    ({'certificate_type': 'wildcard', 'common_name': '*.example.hk', 'subject_alt_names': ['other.hk']},
     r'\*\.example\.hk, and its base domain companion\); 1 other name\(s\) were given \(other\.hk\)'),
])
def test_refused_with_the_problem_and_the_fix(change, message):
    with pytest.raises(HkpostError, match=message):
        csr_request(dict(BASE, **change))


@pytest.mark.parametrize('change, sans', [
    ({'organization': 'O' * 64}, ['www.example.com.hk']),
    ({'subject_alt_names': ['example.com.hk']}, ['www.example.com.hk', 'example.com.hk']),
    ({'common_name': 'example.com.hk', 'subject_alt_names': ['www.example.com.hk']},
     ['example.com.hk', 'www.example.com.hk']),
    ({'certificate_type': 'wildcard', 'common_name': '*.example.hk', 'subject_alt_names': ['example.hk']},
     ['*.example.hk', 'example.hk']),
    ({'certificate_type': 'multi_domain', 'subject_alt_names': MANY}, []),   # the CA adds them from the form
    ({'common_name': 'xn--5bvv2rbn4a0hh.hk'}, ['xn--5bvv2rbn4a0hh.hk']),     # a valid A-label as given
])
def test_accepted_at_the_limits(change, sans):
    assert csr_request(dict(BASE, **change))['sans'] == sans
