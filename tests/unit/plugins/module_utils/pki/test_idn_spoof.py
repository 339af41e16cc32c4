# -*- coding: utf-8 -*-
"""UTS #39 look-alike checks on internationalised labels: what passes (real CJK and single-script names) and what not."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._idn_spoof import check_label, label_scripts
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import normalize_name


@pytest.mark.parametrize('label', [
    '香港郵政',          # Han: the Chinese names Hongkong Post registers
    'abc中文',           # Latin + Han (Highly Restrictive allows it)
    '日本ひらがなカタカナ',  # Han + Hiragana + Katakana
    '한국abc',           # Hangul + Latin (the Korean mix)
    'ελληνικά',          # Greek alone, not every letter a Latin look-alike
    'ｅｘａｍｐｌｅ',        # full-width Latin: one script (UTS-46 maps it to "example")
    'münchen',           # Latin with a diacritic
])
def test_single_script_and_cjk_mixes_pass(label):
    check_label(label, 'xn--test', 'common_name', label)


@pytest.mark.parametrize('label,scripts,fragment', [
    ('exаmple', {'LATIN', 'CYRILLIC'}, 'mixes scripts (Cyrillic "а", Latin "exmple")'),
    ('pαypal', {'LATIN', 'GREEK'}, 'mixes scripts (Greek "α", Latin "pypal")'),
    ('中文аbc', {'LATIN', 'HAN', 'CYRILLIC'}, 'mixes scripts'),
    ('аррӏе', {'CYRILLIC'}, 'every letter of the label "аррӏе"'),
])
def test_look_alikes_are_refused_with_both_forms(label, scripts, fragment):
    assert label_scripts(label) == scripts
    with pytest.raises(HkpostError) as refused:
        check_label(label, 'xn--alabel', 'common_name', label + '.hk')
    assert fragment in str(refused.value) and '(A-label xn--alabel)' in str(refused.value)
    assert 'give its A-label (xn--alabel) instead' in str(refused.value)


def test_the_a_label_typed_as_such_is_taken_as_deliberate():
    assert normalize_name('xn--exmple-4nf.com.hk') == 'xn--exmple-4nf.com.hk'
