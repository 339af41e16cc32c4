# -*- coding: utf-8 -*-
"""hkpost_served_chain's options checked before any endpoint is contacted (issue 22)."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints


@pytest.mark.parametrize('ehlo_name, message', [
    ('audit.example.hk\n', r"line end around the name \(a YAML block scalar"),   # ehlo_name: | keeps it
    (' audit.example.hk', r'white space or a line end'),
    ('audit.example.hk\r\nMAIL FROM:<x@y>', r'white space or a line end|not a host name'),
    ('bad name', r'not a host name'),
])
def test_ehlo_name_that_would_go_on_the_wire_wrong_is_refused(ehlo_name, message):
    with pytest.raises(HkpostError, match=message):
        audit_endpoints([], ehlo_name=ehlo_name)


def test_a_plain_ehlo_name_is_accepted():
    assert audit_endpoints([], ehlo_name='audit.example.hk')['endpoints'] == []
