# -*- coding: utf-8 -*-
"""kind_of's rules (issue 21): a wrong value is named in the operator's words, never a Python class name. Seen
through a message a user gets: hkpost_served_chain's endpoints entry that is not a dictionary."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._audit_inputs import check_endpoints


@pytest.mark.parametrize('entry, words', [
    (None, 'a nothing (null)'),             # "- " with nothing after it in YAML
    (True, 'a boolean'),                    # a bool is an int to Python; "yes" in YAML 1.1
    (443, 'a number'),
    (4.5, 'a number'),
    ('www.example.hk', 'a text'),
    (b'www.example.hk', 'a text'),
    (['www.example.hk'], 'a list'),
    (('www.example.hk',), 'a list'),
    (datetime.date(2026, 12, 7), 'a value of another kind'),  # an unquoted YAML date
], ids=['null', 'boolean', 'integer', 'float', 'text', 'bytes', 'list', 'tuple', 'date'])
def test_an_entry_of_the_wrong_kind_is_named_in_the_operators_words(entry, words):
    with pytest.raises(HkpostError) as raised:
        check_endpoints([entry])
    assert str(raised.value).startswith('endpoints[0] is %s (%r), not a dictionary' % (words, entry))
