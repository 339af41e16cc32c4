# -*- coding: utf-8 -*-
"""Subject rules the mutation run (issue 21) found unpinned: each test is named after its rule."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request

BASE = {'common_name': 'www.example.hk', 'organization': 'Example Company Limited'}


def test_www_name_of_a_two_label_domain_has_the_base_domain_as_companion():
    # www.example.hk has two dots: its companion is example.hk (not www.www.example.hk)
    req = csr_request(dict(BASE, subject_alt_names=['example.hk']))
    assert req['sans'] == ['www.example.hk', 'example.hk']
    with pytest.raises(HkpostError, match=r'1 other name\(s\) were given \(www\.www\.example\.hk\)'):
        csr_request(dict(BASE, subject_alt_names=['www.www.example.hk']))


def test_www_label_of_a_one_dot_name_is_the_name_itself_not_a_prefix():
    # www.hk is not "www." + "hk" (a bare TLD is no server name): its companion is www.www.hk
    req = csr_request(dict(BASE, common_name='www.hk', subject_alt_names=['www.www.hk']))
    assert req['sans'] == ['www.hk', 'www.www.hk']


@pytest.mark.parametrize('count, shown', [
    (5, 'n0.example.org, n1.example.org, n2.example.org, n3.example.org, n4.example.org)'),
    (6, 'n0.example.org, n1.example.org, n2.example.org, n3.example.org, n4.example.org, ...)'),
])
def test_refusal_lists_at_most_five_extra_names_then_an_ellipsis(count, shown):
    names = ['n%d.example.org' % i for i in range(count)]
    with pytest.raises(HkpostError) as err:
        csr_request(dict(BASE, subject_alt_names=names))
    assert '%d other name(s) were given (%s' % (count, shown) in str(err.value)
