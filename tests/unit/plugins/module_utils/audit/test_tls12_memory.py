# -*- coding: utf-8 -*-
"""``handshake: auto`` on TLS 1.3-only servers: the TLS 1.2 refusal is learned once per address, against a real
nginx. nginx logs every refused TLS 1.2 ClientHello at ``info`` ("unsupported protocol"), so its error log
counts the failed attempts the audit paid - the figure this change exists to bring down."""

from __future__ import annotations

import asyncio
import os

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fetch import FetchOptions, fetch_many
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls12_memory import FULL, READER, Tls12Memory
from tests.support.peers.tls_nginx import NGINX, NginxTLS

TLS13_ONLY, BOTH = 'TLSv1.3', 'TLSv1.2 TLSv1.3'
A, B = '127.0.0.1', '127.0.0.2'  # two servers as far as the audit can tell: one nginx, two loopback addresses

needs_nginx = pytest.mark.skipif(not os.path.exists(NGINX), reason='nginx is not installed')


@pytest.fixture(scope='module')
def nginx(pki, tmp_path_factory):
    """Five TLS 1.3-only ports on A, three TLS 1.2 + 1.3 ports on B, two more of each on a third address C."""
    leaf = pki.leaves['standard']
    layout = [(A, TLS13_ONLY)] * 5 + [(B, BOTH)] * 3 + [('127.0.0.3', TLS13_ONLY), ('127.0.0.3', BOTH)]
    server = NginxTLS(tmp_path_factory.mktemp('nginx13'), [
        {'chain': [leaf.pem, pki.ssl_new.pem], 'key': leaf.key_pem, 'protocols': protocols, 'address': address}
        for address, protocols in layout]).start()
    server.layout = layout
    try:
        yield server
    finally:
        server.stop()


def _refusals(nginx):
    with open('%s/error.log' % nginx.directory) as handle:
        return handle.read().count('unsupported protocol')


def _audit(nginx, indexes, handshake='auto', concurrency=200):
    endpoints = [{'host': nginx.layout[i][0], 'port': nginx.ports[i], 'server_name': 'www.example.hk',
                  'starttls': None} for i in indexes]
    results = {}
    before = _refusals(nginx)
    fetch_many(endpoints, FetchOptions(timeout=10, handshake=handshake), concurrency,
               lambda index, _endpoint, result: results.__setitem__(indexes[index], result))
    return results, _refusals(nginx) - before


def _chain_ok(result, pki):
    assert 'error' not in result, result
    return result['certificates'][1] == pki.ssl_new.der


@needs_nginx
def test_tls13_only_address_pays_one_refusal_not_one_per_endpoint(nginx, pki):
    results, refused = _audit(nginx, [0, 1, 2, 3, 4])
    assert refused == 1
    assert all(_chain_ok(r, pki) and r['chain_read_over'] == 'TLSv1.3' for r in results.values())


@needs_nginx
def test_full_mode_never_tries_tls12_and_auto_without_memory_paid_per_endpoint(nginx, pki):
    # The before/after of this change, measured at the server: 'full' sends no TLS 1.2 hello at all.
    results, refused = _audit(nginx, [0, 1, 2, 3, 4], handshake='full')
    assert refused == 0 and all(r['chain_read_over'] == 'TLSv1.3' for r in results.values())


@needs_nginx
def test_tls12_address_keeps_the_reader_beside_a_tls13_only_one(nginx, pki):
    results, refused = _audit(nginx, [0, 5, 1, 6, 2, 7, 3, 4])
    assert refused == 1
    for index, result in results.items():
        assert _chain_ok(result, pki)
        assert result['chain_read_over'] == ('TLSv1.2' if nginx.layout[index][0] == B else 'TLSv1.3')
        assert result['tls_version'] == 'TLSv1.3'


@needs_nginx
def test_a_wrong_guess_costs_speed_not_the_chain(nginx, pki):
    # One endpoint at a time, so the probe is the first listed. TLS 1.3-only first: the TLS 1.2-capable
    # port behind it gets a full handshake (what a current client receives), no refusal.
    results, refused = _audit(nginx, [8, 9], concurrency=1)
    assert refused == 1
    assert [results[i]['chain_read_over'] for i in (8, 9)] == ['TLSv1.3', 'TLSv1.3']
    assert all(_chain_ok(r, pki) for r in results.values())
    # The reverse order: the address reads over TLS 1.2 and the TLS 1.3-only port still falls back.
    results, refused = _audit(nginx, [9, 8], concurrency=1)
    assert refused == 1
    assert [results[i]['chain_read_over'] for i in (9, 8)] == ['TLSv1.2', 'TLSv1.3']


def test_waiters_follow_the_probe_and_an_undecided_probe_passes_the_turn():
    async def scenario():
        memory = Tls12Memory()
        assert await memory.plan('x', 5) == (READER, True)
        waiter = asyncio.ensure_future(memory.plan('x', 5))
        await asyncio.sleep(0)
        assert not waiter.done()  # nothing is sent while the probe runs
        memory.learned('x', None, True)  # a timeout decides nothing: the waiter probes next
        assert await waiter == (READER, True)
        impatient = await memory.plan('x', 0.01)  # the probe hangs: go on alone, not as a probe
        assert impatient == (READER, False)
        later = asyncio.ensure_future(memory.plan('x', 5))
        await asyncio.sleep(0)
        memory.learned('x', True, True)
        assert await later == (FULL, False)
        memory.learned('x', False, False)  # only a probe decides
        assert await memory.plan('x', 5) == (FULL, False)
        assert await memory.plan('y', 5) == (READER, True)
        return memory.probes_run
    assert asyncio.run(scenario()) == 3
