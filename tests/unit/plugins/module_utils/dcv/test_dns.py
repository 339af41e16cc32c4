# -*- coding: utf-8 -*-
"""The authoritative DCV check against real BIND 9 instances (issue 14): two authoritative servers where only
one has the record, a cached non-authoritative answer, an NS name without an address."""

from __future__ import annotations

import dns.message
import dns.query
import dns.rdatatype
import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns
from tests.support.peers.bind_server import BindServer

CODE = 'HKP-dns-7a1c'
NAME = '_dcv.example.test'


@pytest.fixture(scope='module')
def servers(tmp_path_factory):
    """ns1 has the code, ns2 (same zone, a stale copy) does not; ns3 is listed in NS but has no address;
    a caching BIND forwards to ns1 (its answers come from cache, not authority)."""
    base = tmp_path_factory.mktemp('bind')
    names = ('ns1', 'ns2', 'ns3!')
    primary = BindServer(base / 'ns1', records=['_dcv IN TXT "%s"' % CODE, '_dcv IN TXT "other-ca-token"'],
                         name_servers=names).start()
    stale = BindServer(base / 'ns2', records=['_dcv IN TXT "other-ca-token"'], name_servers=names).start()
    cache = BindServer(base / 'cache', forward_to=('127.0.0.1', primary.port)).start()
    yield {'ns1': primary, 'ns2': stale, 'cache': cache}
    for server in (cache, stale, primary):
        server.stop()


def at(server):
    return '127.0.0.1:%d' % server.port


def by_server(checks):
    return {c['server']: c for c in checks}


def test_two_authoritative_servers_only_one_has_the_record(servers):
    checks = _dns.check_authoritative(NAME, CODE, 'example.test', [('127.0.0.1', servers['ns1'].port)],
                                      resolve={'ns1.example.test': at(servers['ns1']),
                                               'ns2.example.test.': at(servers['ns2']),
                                               'NS3.nowhere.invalid': at(servers['ns1'])})
    seen = by_server(checks)
    assert sorted(seen) == ['ns1.example.test', 'ns2.example.test', 'ns3.nowhere.invalid']
    assert seen['ns1.example.test']['ok'] is True and seen['ns1.example.test']['problem'] is None
    assert seen['ns2.example.test']['ok'] is False
    assert 'does not hold the code yet' in seen['ns2.example.test']['problem']
    assert seen['ns2.example.test']['values'] == ['other-ca-token']
    assert seen['ns2.example.test']['port'] == servers['ns2'].port
    assert not all(c['ok'] for c in checks)


def test_a_cached_non_authoritative_answer_does_not_count(servers):
    cache = servers['cache']
    # fill the cache through the resolver (a recursive query), as a CA's resolver would
    warm = dns.query.udp(dns.message.make_query(NAME, dns.rdatatype.TXT), '127.0.0.1', port=cache.port, timeout=5)
    assert any(CODE.encode() in b''.join(rd.strings) for rrset in warm.answer for rd in rrset)
    values, _ttl, rcode, authoritative = _dns.read_txt(NAME, '127.0.0.1', cache.port, tcp=False)
    assert CODE in values and rcode == 'NOERROR' and authoritative is False
    checks = _dns.check_authoritative(NAME, CODE, 'example.test', [('127.0.0.1', servers['ns1'].port)],
                                      resolve={'ns1.example.test': at(cache), 'ns2.example.test': at(cache),
                                               'ns3.nowhere.invalid': at(cache)})
    assert [c['ok'] for c in checks] == [False, False, False]
    assert all('not authoritative' in c['problem'] for c in checks)
    assert CODE in checks[0]['values']  # the code WAS in the answer; it is the authority that is missing


def test_an_ns_name_without_an_address_is_reported(servers):
    checks = _dns.check_authoritative(NAME, CODE, 'example.test', [('127.0.0.1', servers['ns1'].port)],
                                      resolve={'ns1.example.test': at(servers['ns1']),
                                               'ns2.example.test': at(servers['ns1'])})
    seen = by_server(checks)
    assert seen['ns3.nowhere.invalid']['address'] is None and seen['ns3.nowhere.invalid']['ok'] is False
    assert seen['ns3.nowhere.invalid']['problem'] == 'name server ns3.nowhere.invalid has no address'
    assert seen['ns1.example.test']['ok'] and seen['ns2.example.test']['ok']


def test_authoritative_servers_resolve_ns_names_through_the_given_servers(servers):
    found = _dns.authoritative_servers('example.test', [('127.0.0.1', servers['ns1'].port)])
    # ns1 and ns2 have A 127.0.0.1 in the zone (port 53 - the standard port is assumed), ns3 has none
    assert found == [('ns1.example.test', '127.0.0.1', 53), ('ns2.example.test', '127.0.0.1', 53),
                     ('ns3.nowhere.invalid', None, 53)]


def test_find_zone_and_read_txt(servers):
    port = servers['ns1'].port
    assert _dns.find_zone('deep.below._dcv.example.test', [('127.0.0.1', port)]) == 'example.test'
    assert _dns.find_zone('example.test', [('127.0.0.1', port)]) == 'example.test'
    values, ttl, rcode, authoritative = _dns.read_txt(NAME, '127.0.0.1', port)
    assert sorted(values) == sorted([CODE, 'other-ca-token']) and ttl == 300 and authoritative is True
    values, ttl, rcode, _aa = _dns.read_txt('nothing.example.test', '127.0.0.1', port)
    assert (values, ttl, rcode) == ([], None, 'NXDOMAIN')
    with pytest.raises(HkpostError, match='no zone found|REFUSED'):
        _dns.find_zone('example.invalid', [('127.0.0.1', port)])


@pytest.mark.parametrize('value, expected', [
    ('127.0.0.1', ('127.0.0.1', 53)),
    ('127.0.0.1:5353', ('127.0.0.1', 5353)),
    ('[::1]:5300', ('::1', 5300)),
    ('[::1]', ('::1', 53)),
    ('::1', ('::1', 53)),
    ('localhost:54', ('127.0.0.1', 54)),
])
def test_parse_server(value, expected):
    assert _dns.parse_server(value) == expected


def test_parse_server_refusals():
    with pytest.raises(HkpostError, match="port 'abc' is not a number"):
        _dns.parse_server('127.0.0.1:abc')
    with pytest.raises(HkpostError, match='does not resolve'):
        _dns.parse_server('no-such-host.invalid')


def test_ask_moves_on_to_the_next_server_and_reports_every_failure(servers):
    from tests.support.peers.bind_server import free_port
    dead = ('127.0.0.1', free_port())
    answer = _dns.ask('example.test', dns.rdatatype.SOA, [dead, ('127.0.0.1', servers['ns1'].port)], timeout=1)
    assert answer.answer
    with pytest.raises(HkpostError, match='port %d' % dead[1]):
        _dns.ask('example.test', dns.rdatatype.SOA, [dead], timeout=1)
    with pytest.raises(HkpostError, match='no DNS server to ask'):
        _dns.ask('example.test', dns.rdatatype.SOA, [])


def test_keyring_rules():
    assert _dns.make_keyring('', 'c2VjcmV0') is None and _dns.make_keyring('k', '') is None
    assert _dns.make_keyring('k', 'c2VjcmV0').name.to_text() == 'k.'
    with pytest.raises(HkpostError, match='tsig_algorithm'):
        _dns.make_keyring('k', 'c2VjcmV0', 'hmac-md4')
    with pytest.raises(HkpostError, match='not a base64 TSIG secret'):
        _dns.make_keyring('k', 'not base64 !!')


@pytest.mark.parametrize('value', ['127.0.0.1', '127.0.0.1:53', '[::1]:5300', '[::1]', 'ns1.example.test:65535',
                                   ' 10.0.0.1:1 '])
def test_server_text_accepted(value):
    assert _dns.check_server_text(value) is None


@pytest.mark.parametrize('value, fragment', [
    (':53', 'has no address before the port'),
    ('127.0.0.1:0', "port '0' is not 1-65535"),
    ('127.0.0.1:65536', "port '65536' is not 1-65535"),
    ('127.0.0.1:x', "port 'x' is not 1-65535"),
    ('[::1]:', "port '' is not 1-65535"),
])
def test_server_text_refused(value, fragment):
    with pytest.raises(HkpostError, match='dns_server') as err:
        _dns.check_server_text(value)
    assert fragment in str(err.value)


def test_parse_server_port_range():
    assert _dns.parse_server('127.0.0.1:65535') == ('127.0.0.1', 65535)
    assert _dns.parse_server('127.0.0.1:1') == ('127.0.0.1', 1)
    for bad in ('127.0.0.1:0', '127.0.0.1:65536'):
        with pytest.raises(HkpostError, match='out of range'):
            _dns.parse_server(bad)


def test_tsig_secret_strict_base64():
    _dns.check_tsig_secret('k', 'c2VjcmV0')
    _dns.check_tsig_secret('k', 'c2Vj cmV0\n')          # whitespace as in a pasted key statement
    with pytest.raises(HkpostError, match='for key k is not base64'):
        _dns.check_tsig_secret('k', 'c2VjcmV0!')
    with pytest.raises(HkpostError, match='decodes to nothing'):
        _dns.check_tsig_secret('k', '  ')
