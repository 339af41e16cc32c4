# -*- coding: utf-8 -*-
"""Rules of the UTS #39 look-alike check (pki/_idn_spoof.py) that test_idn_spoof.py leaves open: the CJK mixes
allowed in full, what the refusal lists, and the two costs the module avoids - loading Unicode's tables for an
ASCII label, and failing where the library is not installed (a POSIX target running hkpost_csr)."""

from __future__ import annotations

import sys

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki import _idn_spoof
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._idn_spoof import check_label, label_scripts


@pytest.mark.parametrize('label,scripts', [
    ('abc中文ひらカタ', {'LATIN', 'HAN', 'HIRAGANA', 'KATAKANA'}),  # Japanese
    ('abc中文ㄅㄆ', {'LATIN', 'HAN', 'BOPOMOFO'}),                  # Chinese with zhuyin
    ('abc中文한국', {'LATIN', 'HAN', 'HANGUL'}),                    # Korean
])
def test_a_label_using_every_script_of_an_allowed_cjk_mix_passes(label, scripts):
    """UTS #39 5.2 Highly Restrictive allows each of the three sets whole, not only a part of one."""
    assert label_scripts(label) == scripts
    check_label(label, 'xn--test', 'common_name', label)


def test_the_mixed_script_refusal_lists_the_letters_by_script_and_leaves_digits_and_hyphens_out():
    with pytest.raises(HkpostError) as refused:
        check_label('ex-аmple1', 'xn--ex-mple1-xyz', 'dns_names', 'ex-аmple1.com.hk')
    assert 'mixes scripts (Cyrillic "а", Latin "exmple")' in str(refused.value)
    assert 'Common' not in str(refused.value)


@pytest.fixture
def unloaded(monkeypatch):
    """A worker process that has not loaded confusable_homoglyphs yet (each Ansible task runs in a fresh one)."""
    monkeypatch.setattr(_idn_spoof, '_LIBRARY', {})
    return _idn_spoof


def test_an_ascii_label_does_not_load_the_unicode_tables(unloaded):
    """Loading confusable_homoglyphs costs about 0.3 s per task and host; an ASCII label cannot mix scripts."""
    check_label('example', 'example', 'common_name', 'example.com.hk')
    assert not unloaded._LIBRARY


@pytest.mark.parametrize('label', ['exаmple', 'аррӏе', 'example'])
def test_without_the_library_the_check_is_skipped_not_failed(unloaded, monkeypatch, label):
    """A POSIX target running hkpost_csr needs only cryptography; the action plugin already checked on the
    controller. A None entry in sys.modules makes the import raise ImportError, as a missing package does."""
    monkeypatch.setitem(sys.modules, 'confusable_homoglyphs', None)
    assert check_label(label, 'xn--alabel', 'common_name', label + '.hk') is None
    assert check_label(label, 'xn--alabel', 'common_name', label + '.hk') is None  # and again, once known missing
