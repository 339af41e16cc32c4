# -*- coding: utf-8 -*-
"""The certreq INF text: SetupAPI quoting, and no line can be added through a value."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._certreq_inf import (
    certreq_inf, inf_quote, refuse_control_characters)
from tests.support.windows.request import parse_inf


@pytest.mark.parametrize('value, quoted', [
    ('plain', '"plain"'),
    ('say "hi"', '"say ""hi"""'),
    ('100%', '"100%%"'),
    ('%SystemRoot%', '"%%SystemRoot%%"'),
    ('a; b', '"a; b"'),
])
def test_inf_quote(value, quoted):
    assert inf_quote(value) == quoted
    # and SetupAPI (as the fake certreq reads it) gives the value back
    assert parse_inf('[S]\r\nk = %s\r\n' % quoted)['s'] == [('k', value)]


@pytest.mark.parametrize('char', ['\n', '\r', '\x00', '\t', '\x7f', '\x85', '\u2028', '\u2029'])
def test_control_characters_refused_naming_the_option(char):
    with pytest.raises(HkpostError, match=r'organization holds the control character U\+%04X' % ord(char)):
        refuse_control_characters('organization', 'Example%sCo' % char)


def test_unicode_text_is_allowed():
    assert refuse_control_characters('organization', '香港郵政 Hongkong Post') == '香港郵政 Hongkong Post'


def test_certreq_inf_reads_back_as_written():
    text = certreq_inf('CN=www.example.hk, O="A ""B"" %C%", C=HK', 2048, ['www.example.hk', '*.example.hk'],
                       friendly_name='50% "x"', key_container='te-1')
    inf = parse_inf(text)
    request = dict(inf['newrequest'])
    assert request['Subject'] == 'CN=www.example.hk, O="A ""B"" %C%", C=HK'
    assert request['FriendlyName'] == '50% "x"' and request['KeyContainer'] == 'te-1'
    assert request['Exportable'] == 'TRUE' and request['MachineKeySet'] == 'TRUE'
    assert [v for k, v in inf['extensions'] if k == '_continue_'] == ['dns=www.example.hk&', 'dns=*.example.hk&']
