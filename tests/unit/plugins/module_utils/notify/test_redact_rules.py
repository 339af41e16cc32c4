# -*- coding: utf-8 -*-
"""What hkpost_notify treats as secret in a webhook URL, rule by rule (issue 21).

The path, the query and the path without its slashes are secret when longer than 3 characters (shorter ones are
words a message may hold: masking them would garble it); each path segment and query value of 8 characters or
more is secret on its own (a token quoted alone in a server's reply)."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.notify._redact import url_endpoint, url_secrets


@pytest.mark.parametrize('url', ['hooks.example.com/services/T0123456', '//hooks.example.com/services/T0123456',
                                 'https:///services/T0123456', ''])
def test_a_url_without_scheme_or_host_is_named_without_any_part_of_it(url):
    assert url_endpoint(url) == 'the webhook URL (no scheme or host)'


def test_a_url_is_named_by_scheme_host_and_port_only():
    assert url_endpoint('https://hooks.example.com:8443/services/T0123456?sig=x') == 'https://hooks.example.com:8443'
    assert url_endpoint('https://[2001:db8::1]/x') == 'https://[2001:db8::1]'


def test_path_and_query_longer_than_3_characters_are_secret():
    assert url_secrets('https://h.example.com/abc') == ['https://h.example.com/abc', '/abc']
    assert url_secrets('https://h.example.com/?x=1') == ['https://h.example.com/?x=1']
    assert url_secrets('https://h.example.com/?xy=1') == ['https://h.example.com/?xy=1', 'xy=1']


def test_segments_and_query_values_of_8_characters_or_more_are_secret_alone():
    url = 'https://hooks.example.com/abc/T0123456/B012345?sig=12345678&v=1234567'
    assert url_secrets(url) == [url, '/abc/T0123456/B012345', 'sig=12345678&v=1234567', 'abc/T0123456/B012345',
                                'T0123456', '12345678']
