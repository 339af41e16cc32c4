# -*- coding: utf-8 -*-
"""file_name: a server name as a file name every shell and Windows accept."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.filter.ascii_name import file_name


@pytest.mark.parametrize('name, expected', [
    ('*.example.com.hk', '_wildcard_.example.com.hk'),
    ('www.example.com.hk', 'www.example.com.hk'),
    ('香港郵政.hk', 'xn--5bvv2rbn4a0hh.hk'),
    ('*.香港郵政.hk', '_wildcard_.xn--5bvv2rbn4a0hh.hk'),
])
def test_file_name(name, expected):
    assert file_name(name) == expected


def test_bad_names_are_refused_as_ascii_name_refuses_them():
    with pytest.raises(AnsibleFilterError):
        file_name('www.*.example.com.hk')
