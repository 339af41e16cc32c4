# -*- coding: utf-8 -*-
"""The certreq INF rules the mutation run (issue 21) found unpinned: each test is named after its rule."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._certreq_inf import certreq_inf, refuse_control_characters
from tests.support.windows.request import parse_inf


@pytest.mark.parametrize('value, position', [('\nabc', 1), ('ab\ncd', 3), ('abcd\t', 5)])
def test_refusal_names_the_one_based_position_of_the_control_character(value, position):
    with pytest.raises(HkpostError, match=r'at position %d;' % position):
        refuse_control_characters('organization', value)


def test_no_friendly_name_line_without_a_friendly_name():
    # certreq would set an empty FriendlyName: the MMC then shows no name instead of the subject
    inf = parse_inf(certreq_inf('CN=www.example.hk', 2048, ['www.example.hk']))
    assert 'FriendlyName' not in dict(inf['newrequest'])


def test_no_extensions_section_without_dns_names():
    # multi-domain requests carry only the CN: no SAN extension at all, not an empty one
    text = certreq_inf('CN=www.example.hk', 2048, ())
    assert '[Extensions]' not in text
    assert '2.5.29.17' not in text


def test_reused_key_lines_only_with_a_key_container():
    text = certreq_inf('CN=www.example.hk', 2048, ['www.example.hk'])
    assert 'UseExistingKeySet' not in text and 'KeyContainer' not in text
