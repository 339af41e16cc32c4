# -*- coding: utf-8 -*-
"""Server-name rules (pki._names) the mutation run (issue 21) found unpinned, one test per rule."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki import _names


def test_bad_punycode_is_refused_naming_the_whole_name_and_the_label():
    with pytest.raises(HkpostError, match=r'common_name "www\.XN--ZZ\.hk": the label "xn--zz" is not valid punycode'):
        _names.normalize_name('www.XN--ZZ.hk')


def test_a_look_alike_label_is_refused_naming_the_whole_name():
    with pytest.raises(HkpostError, match='www.exаmple.hk'):
        _names.normalize_name('www.exаmple.hk')


def test_without_idna_an_internationalised_name_or_an_a_label_is_refused_naming_the_library(monkeypatch):
    monkeypatch.setattr(_names, 'HAS_IDNA', False)
    with pytest.raises(HkpostError, match='the idna Python library is needed for Chinese'):
        _names.normalize_name('香港郵政.hk')
    with pytest.raises(HkpostError, match='the idna Python library is needed to check the A-label "xn--5bvv2rbn4a0hh"'):
        _names.normalize_name('xn--5bvv2rbn4a0hh.hk')
    assert _names.to_unicode('xn--5bvv2rbn4a0hh.hk') == 'xn--5bvv2rbn4a0hh.hk'


def test_to_unicode_leaves_names_without_a_labels_alone():
    # idna would refuse "ab--cd" (hyphens in the 3rd and 4th position); a host name may have them
    assert _names.to_unicode('ab--cd.example.hk') == 'ab--cd.example.hk'


def test_a_host_name_takes_a_wildcard_only_when_asked():
    with pytest.raises(HkpostError, match='is allowed only as the whole leftmost label'):
        _names.a_label_host('*.example.com.hk')
    assert _names.a_label_host('*.example.com.hk', wildcard=True) == '*.example.com.hk'


def test_an_unknown_certificate_type_is_refused():
    with pytest.raises(HkpostError, match='certificate_type must be one of standard, multi_domain, wildcard, ev, '
                                          'ev_multi_domain, not "bogus"'):
        _names.normalize_name('www.example.hk', 'bogus')


@pytest.mark.parametrize('name', [None, '', '   '])
def test_an_empty_name_is_refused_as_empty(name):
    with pytest.raises(HkpostError, match='common_name is empty'):
        _names.normalize_name(name)
    with pytest.raises(HkpostError, match='is empty'):
        _names.ascii_name(name)


def test_ascii_name_keeps_a_wildcard_and_strips_spaces():
    assert _names.ascii_name(' *.Example.HK ') == '*.example.hk'
    assert _names.ascii_name(' WWW.Example.HK ') == 'www.example.hk'
    with pytest.raises(HkpostError, match='is not text'):
        _names.ascii_name(5)


@pytest.mark.parametrize('name, ctype, expected', [
    ('*.Example.hk', None, '_wildcard_.example.hk'),
    ('www.example.hk', None, 'www.example.hk'),
    ('*.example.hk', 'wildcard', '_wildcard_.example.hk'),
    ('www.example.hk', 'ev', 'www.example.hk'),
])
def test_file_name_replaces_only_the_wildcard_label(name, ctype, expected):
    assert _names.file_name(name, ctype) == expected


@pytest.mark.parametrize('name, ctype, message', [
    ('*.example.hk', 'standard', 'only allowed for certificate_type wildcard'),
    ('www.example.hk', 'wildcard', 'a wildcard certificate needs'),
])
def test_file_name_applies_the_certificate_types_rules(name, ctype, message):
    with pytest.raises(HkpostError, match=message):
        _names.file_name(name, ctype)
