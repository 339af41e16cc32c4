# -*- coding: utf-8 -*-
"""dcv._dns rules left open by the issue 21 mutation run: what an RFC 2136 refusal and a network failure say.

dnspython's transport (dns.query.tcp / udp) is replaced by stand-ins that answer or fail the way it does; what the
server sends in each case is tested against BIND in tests/integration/dcv/test_dcv_dns_bind.py.
"""

from __future__ import annotations

import errno

import dns.message
import dns.query
import dns.rcode
import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns

SECRET = 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI='


def _refusing(monkeypatch):
    def tcp(message, address, port=53, timeout=None, **_k):
        response = dns.message.make_response(message)
        response.set_rcode(dns.rcode.REFUSED)
        return response
    monkeypatch.setattr(dns.query, 'tcp', tcp)


def test_a_refused_update_names_the_tsig_key_to_allow(monkeypatch):
    _refusing(monkeypatch)
    keyring = _dns.make_keyring('acme-key.', SECRET)
    with pytest.raises(HkpostError, match=r'failed with REFUSED: .*allow TSIG key acme-key\. to update TXT records in '
                                          r'zone example\.com'):
        _dns.update_txt('example.com', '_acme-challenge.example.com', 'v', 60, '192.0.2.53', 53, keyring)


def test_a_refused_update_without_a_key_says_none(monkeypatch):
    _refusing(monkeypatch)
    with pytest.raises(HkpostError, match=r'allow TSIG key \(none\) to update'):
        _dns.update_txt('example.com', '_acme-challenge.example.com', 'v', 60, '192.0.2.53', 53, None)


@pytest.mark.parametrize('error, words', [
    (OSError(errno.EHOSTUNREACH, 'No route to host'), 'failed: No route to host. Check the server address'),
    (OSError('sendto: address family not supported'), 'failed: sendto: address family not supported. Check'),
])
def test_a_network_failure_names_the_systems_words(monkeypatch, error, words):
    def udp(*_a, **_k):
        raise error
    monkeypatch.setattr(dns.query, 'udp', udp)
    with pytest.raises(HkpostError, match='the DNS query to 192.0.2.53 port 53 %s' % words):
        _dns.read_txt('example.com', '192.0.2.53', 53, timeout=1, tcp=False)
