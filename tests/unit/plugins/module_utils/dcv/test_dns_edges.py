# -*- coding: utf-8 -*-
"""Edges of the DNS side of DCV against a real BIND 9 (issue 14 section 3: edits the other tests let through):
a TXT RRset too big for a plain UDP answer, a name that is a CNAME, a zone search through a recursive
resolver, a server that refuses the zone search, and the update refusals the operator must act on."""

from __future__ import annotations

import dns.flags
import dns.message
import dns.query
import dns.rdatatype
import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns
from tests.support.peers.bind_server import BindServer

CODE = 'HKP-dns-edge-4c2e'
# Twenty 60-character tokens of other CAs: ~1.3 kB, more than a 512-byte UDP answer without EDNS holds.
OTHERS = ['other-ca-token-%02d-' % i + 'x' * 42 for i in range(20)]


@pytest.fixture(scope='module')
def bind(tmp_path_factory):
    base = tmp_path_factory.mktemp('bind-edges')
    records = ['_big IN TXT "%s"' % v for v in OTHERS + [CODE]]
    records += ['alias IN CNAME target.example.test.', 'target IN TXT "at-the-target"']
    primary = BindServer(base / 'primary', records=records).start()
    resolver = BindServer(base / 'resolver', forward_to=('127.0.0.1', primary.port)).start()
    yield primary, resolver
    resolver.stop()
    primary.stop()


def test_a_big_txt_rrset_is_read_whole_over_udp_then_tcp(bind):
    primary, _resolver = bind
    plain = dns.query.udp(dns.message.make_query('_big.example.test', dns.rdatatype.TXT), '127.0.0.1',
                          port=primary.port, timeout=5)
    assert plain.flags & dns.flags.TC  # the premise: a UDP answer alone would be cut
    checks = _dns.check_authoritative('_big.example.test', CODE, 'example.test', [('127.0.0.1', primary.port)],
                                      resolve={'ns1.example.test': '127.0.0.1:%d' % primary.port})
    assert [(c['server'], c['ok'], c['problem']) for c in checks] == [('ns1.example.test', True, None)]
    assert sorted(checks[0]['values']) == sorted(OTHERS + [CODE])


def test_the_zone_of_a_cname_is_the_zone_holding_the_alias(bind):
    primary, _resolver = bind
    assert _dns.find_zone('alias.example.test', [('127.0.0.1', primary.port)]) == 'example.test'


def test_zone_search_and_ns_lookup_work_through_a_recursive_resolver(bind):
    primary, resolver = bind
    servers = [('127.0.0.1', resolver.port)]
    assert _dns.find_zone('x.y._dcv.example.test', servers) == 'example.test'
    assert _dns.authoritative_servers('example.test', servers) == [('ns1.example.test', '127.0.0.1', 53)]


def test_a_server_refusing_the_zone_search_is_named_not_walked_to_the_root(bind):
    primary, _resolver = bind
    with pytest.raises(HkpostError) as err:
        _dns.find_zone('www.example.invalid', [('127.0.0.1', primary.port)])
    assert str(err.value) == 'finding the zone of www.example.invalid: the DNS server answered REFUSED'


def test_an_unsigned_update_is_refused_with_the_hint_to_allow_a_key(bind):
    primary, _resolver = bind
    with pytest.raises(HkpostError) as err:
        _dns.update_txt('example.test', '_dcv.example.test', CODE, 300, '127.0.0.1', primary.port, None)
    assert 'failed with REFUSED' in str(err.value) and 'allow TSIG key (none) to update' in str(err.value)
    assert primary.txt('_dcv.example.test') == []


def test_an_update_for_a_zone_the_server_does_not_serve_is_notauth(bind):
    primary, _resolver = bind
    keyring = _dns.make_keyring(primary.key_name, primary.secret)
    with pytest.raises(HkpostError) as err:
        _dns.update_txt('other.test', '_dcv.other.test', CODE, 300, '127.0.0.1', primary.port, keyring)
    assert 'failed with NOTAUTH' in str(err.value) and 'not authoritative for zone other.test' in str(err.value)


def test_an_update_outside_the_zone_is_notzone(bind):
    primary, _resolver = bind
    keyring = _dns.make_keyring(primary.key_name, primary.secret)
    with pytest.raises(HkpostError) as err:
        _dns.update_txt('example.test', '_dcv.elsewhere.test', CODE, 300, '127.0.0.1', primary.port, keyring)
    assert 'failed with NOTZONE' in str(err.value) and '_dcv.elsewhere.test is not inside zone example.test' \
        in str(err.value)


def test_a_signed_update_adds_then_deletes_one_value(bind):
    primary, _resolver = bind
    keyring = _dns.make_keyring(primary.key_name, primary.secret)
    _dns.update_txt('example.test', '_one.example.test', CODE, 120, '127.0.0.1', primary.port, keyring)
    assert primary.txt('_one.example.test') == [CODE] and primary.ttl('_one.example.test') == [120]
    _dns.update_txt('example.test', '_one.example.test', CODE, 120, '127.0.0.1', primary.port, keyring,
                    present=False)
    assert primary.txt('_one.example.test') == []


def test_a_dns_server_that_is_not_running_is_named_in_words_not_errno():
    # issue 22: "[Errno 111] Connection refused" was the whole message when the primary was down.
    import socket
    from ansible_collections.hkpost.ecert.plugins.module_utils.dcv._dns import read_txt
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]   # bound, never listening: TCP connects are refused
        with pytest.raises(HkpostError) as caught:
            read_txt('www.example.test', '127.0.0.1', port, timeout=2, tcp=True)
    message = str(caught.value)
    assert 'to 127.0.0.1 port %d was refused: nothing listens there' % port in message
    assert 'Errno' not in message
