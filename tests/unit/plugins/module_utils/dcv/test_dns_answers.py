# -*- coding: utf-8 -*-
"""How the DNS check reads answers (issue 14 section 3, the dcv/_dns survivors of ``make mutation``): an SOA
reached through a CNAME is not the zone of the name asked, the search stops at the root, the check never asks
a resolver to recurse (a cold cache has nothing to say), a TXT reached through a CNAME is not at the name,
a name that is not a zone has no name servers. Real BIND 9 on 127.0.0.1, except one broken responder."""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.query
import dns.rdatatype
import dns.resolver
import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns
from tests.support.peers.bind_server import BindServer

CODE = 'HKP-dns-answers-91d3'


@pytest.fixture(scope='module')
def bind(tmp_path_factory):
    base = tmp_path_factory.mktemp('bind-answers')
    records = ['_dcv IN TXT "%s"' % CODE]
    records += ['_cold%d IN TXT "%s"' % (i, CODE) for i in range(1, 4)]
    records += ['apex-alias IN CNAME example.test.',           # its SOA answer is the apex's, not its own
                '_cname IN CNAME target', 'target IN TXT "%s"' % CODE]
    primary = BindServer(base / 'primary', records=records).start()
    cache = BindServer(base / 'cache', forward_to=('127.0.0.1', primary.port)).start()
    yield primary, cache
    cache.stop()
    primary.stop()


class EmptyResponder:
    """Answers every query NOERROR with nothing in any section, as some broken DNS proxies do. BIND cannot be
    made to: each zone it serves has an SOA and it answers REFUSED or SERVFAIL outside them."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.asked = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                continue
            query = dns.message.from_wire(data)
            self.asked.append(query.question[0].name.to_text())
            self.sock.sendto(dns.message.make_response(query).to_wire(), peer)

    def stop(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def test_an_soa_reached_through_a_cname_is_not_the_zone_of_the_alias(bind):
    primary, _cache = bind
    # the answer to SOA apex-alias.example.test holds the CNAME and example.test's SOA: the search goes on up
    answer = _dns.ask('apex-alias.example.test', dns.rdatatype.SOA, [('127.0.0.1', primary.port)])
    assert [r.rdtype for r in answer.answer] == [dns.rdatatype.CNAME, dns.rdatatype.SOA]
    assert _dns.find_zone('apex-alias.example.test', [('127.0.0.1', primary.port)]) == 'example.test'


def test_the_zone_search_stops_at_the_root():
    responder = EmptyResponder()
    try:
        with pytest.raises(HkpostError) as err:
            _dns.find_zone('a.b.example.test', [('127.0.0.1', responder.port)], timeout=2)
    finally:
        responder.stop()
    assert str(err.value) == 'no zone found for a.b.example.test; give zone'
    assert responder.asked == ['a.b.example.test.', 'b.example.test.', 'example.test.', 'test.', '.']


def test_read_txt_never_asks_a_resolver_to_recurse_unless_told(bind):
    _primary, cache = bind
    values, ttl, rcode, authoritative = _dns.read_txt('_cold1.example.test', '127.0.0.1', cache.port)
    assert (values, ttl, authoritative) == ([], None, False)  # a cold cache, not asked to recurse: nothing
    values, _ttl, rcode, authoritative = _dns.read_txt('_cold2.example.test', '127.0.0.1', cache.port, recursion=True)
    assert values == [CODE] and rcode == 'NOERROR' and authoritative is False


def test_ask_recurses_only_when_told(bind):
    _primary, cache = bind
    cold = _dns.ask('_cold3.example.test', dns.rdatatype.TXT, [('127.0.0.1', cache.port)], recursion=False)
    assert cold.answer == []
    warm = _dns.ask('_cold3.example.test', dns.rdatatype.TXT, [('127.0.0.1', cache.port)])
    assert [_dns.txt_text(rd) for rrset in warm.answer for rd in rrset] == [CODE]


def test_a_txt_reached_through_a_cname_is_not_at_the_name(bind):
    primary, _cache = bind
    # The CA reads the TXT at the name itself (SPEC C: host = the domain); a CNAME there hides it
    values, ttl, rcode, authoritative = _dns.read_txt('_cname.example.test', '127.0.0.1', primary.port)
    assert (values, ttl, rcode, authoritative) == ([], None, 'NOERROR', True)
    assert _dns.read_txt('target.example.test', '127.0.0.1', primary.port)[0] == [CODE]


def test_a_name_that_is_not_a_zone_has_no_name_servers(bind):
    primary, _cache = bind
    with pytest.raises(HkpostError) as err:
        _dns.authoritative_servers('_dcv.example.test', [('127.0.0.1', primary.port)])
    assert str(err.value) == 'zone _dcv.example.test has no NS records visible from 127.0.0.1:%d' % primary.port


def test_the_system_resolvers_are_asked_on_port_53():
    try:
        expected = [(ns, 53) for ns in dns.resolver.Resolver().nameservers]
    except dns.exception.DNSException:  # a machine without /etc/resolv.conf
        with pytest.raises(HkpostError, match='no system resolver'):
            _dns.system_servers()
    else:
        assert expected and _dns.system_servers() == expected


@pytest.mark.parametrize('value, fragment', [
    ('[]:53', 'has no address before the port'),
    ('[::1]:165535', "port '165535' is not 1-65535"),
])
def test_bracketed_server_text_is_read_whole(value, fragment):
    with pytest.raises(HkpostError, match=fragment.replace('[', r'\[')):
        _dns.check_server_text(value)


def test_an_unresolvable_server_is_named_with_the_resolver_message():
    with pytest.raises(HkpostError) as err:
        _dns.parse_server('no-such-host.invalid')
    message = str(err.value)
    assert message.startswith("DNS server 'no-such-host.invalid' does not resolve (") and '[Errno' not in message


@pytest.fixture(scope='module')
def delegation(tmp_path_factory):
    """example.test delegates sub.example.test (NS ns.sub.example.test, glue 127.0.0.1) to a second BIND."""
    base = tmp_path_factory.mktemp('bind-delegation')
    parent = BindServer(base / 'parent', records=['sub IN NS ns.sub.example.test.', 'ns.sub IN A 127.0.0.1']).start()
    child = BindServer(base / 'child', zone='sub.example.test', name_servers=('ns',),
                       records=['_dcv IN TXT "%s"' % CODE]).start()
    yield parent, child
    child.stop()
    parent.stop()


def test_a_name_in_a_delegated_zone_is_found_through_the_parents_referral(delegation):
    """dns_server pointed at the parent's server: the zone is the delegated one, its servers those the
    delegation names (with the glue address), and an update sent to the parent is NOTAUTH with the fix."""
    parent, child = delegation
    at_parent = [('127.0.0.1', parent.port)]
    assert _dns.find_zone('_dcv.sub.example.test', at_parent) == 'sub.example.test'
    assert _dns.find_zone('www.example.test', at_parent) == 'example.test'
    assert _dns.authoritative_servers('sub.example.test', at_parent) == [('ns.sub.example.test', '127.0.0.1', 53)]
    checks = _dns.check_authoritative('_dcv.sub.example.test', CODE, 'sub.example.test', at_parent,
                                      resolve={'ns.sub.example.test': '127.0.0.1:%d' % child.port})
    assert [(c['server'], c['ok']) for c in checks] == [('ns.sub.example.test', True)]
    keyring = _dns.make_keyring(parent.key_name, parent.secret)
    with pytest.raises(HkpostError, match='failed with NOTAUTH: the server is not authoritative for zone sub.example.test'):
        _dns.update_txt('sub.example.test', '_dcv.sub.example.test', CODE, 300, '127.0.0.1', parent.port, keyring)


def test_a_name_below_the_delegation_is_not_taken_for_the_delegated_zone(delegation):
    parent, _child = delegation
    # asked of the parent, NS _dcv.sub.example.test is a referral to sub.example.test: not this name's servers
    with pytest.raises(HkpostError, match='zone _dcv.sub.example.test has no NS records visible'):
        _dns.authoritative_servers('_dcv.sub.example.test', [('127.0.0.1', parent.port)])
