# -*- coding: utf-8 -*-
"""audit/_tls12_memory without a server (issue 21, mutation survivors): the rules of the per-address memory that
decides the TLS 1.3 path. The first endpoint of an address probes; only the probe's verdict decides; a refusal
sends the address's other endpoints straight to the full handshake; no verdict means the next endpoint probes
again; a neighbour waits for a running probe at most ``wait`` seconds. test_tls12_memory.py measures the same
against a real nginx."""

from __future__ import annotations

import asyncio

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls12_memory import FULL, READER, Tls12Memory

A, B = '127.0.0.1', '127.0.0.2'


def run(coro):
    return asyncio.run(coro)


def test_the_first_endpoint_of_an_address_probes_with_the_reader():
    memory = Tls12Memory()
    assert run(memory.plan(A, 1)) == (READER, True) and memory.probes_run == 1


def test_a_refusal_sends_the_address_to_the_full_handshake_and_an_answer_keeps_the_reader():
    memory = Tls12Memory()

    async def scenario():
        first_a, first_b = await memory.plan(A, 1), await memory.plan(B, 1)
        memory.learned(A, True, first_a[1])
        memory.learned(B, False, first_b[1])
        return await memory.plan(A, 1), await memory.plan(B, 1)
    assert run(scenario()) == ((FULL, False), (READER, False))
    assert memory.probes_run == 2 and memory.refuses == {A: True, B: False}


def test_no_verdict_decides_nothing_and_the_next_endpoint_probes_again():
    memory = Tls12Memory()

    async def scenario():
        _plan, probing = await memory.plan(A, 1)
        memory.learned(A, None, probing)
        return await memory.plan(A, 1)
    assert run(scenario()) == (READER, True) and memory.probes_run == 2 and memory.refuses == {}


def test_only_the_probe_decides_not_a_later_endpoint():
    memory = Tls12Memory()

    async def scenario():
        _plan, probing = await memory.plan(A, 1)
        memory.learned(A, True, probing)
        later = await memory.plan(A, 1)
        memory.learned(A, False, later[1])   # a TLS 1.2-capable port behind the same address: no flip
        return later, await memory.plan(A, 1)
    assert run(scenario()) == ((FULL, False), (FULL, False)) and memory.refuses == {A: True}


def test_a_neighbour_waits_for_the_running_probe_then_follows_its_verdict():
    memory = Tls12Memory()

    async def scenario():
        _plan, probing = await memory.plan(A, 1)
        waiting = asyncio.ensure_future(memory.plan(A, 5))
        await asyncio.sleep(0.05)
        assert not waiting.done()   # it waits: nothing decided yet
        memory.learned(A, True, probing)
        return await waiting
    assert run(scenario()) == (FULL, False)
    assert memory.probes_run == 1


def test_a_neighbour_of_a_probe_without_verdict_becomes_the_next_probe():
    memory = Tls12Memory()

    async def scenario():
        _plan, probing = await memory.plan(A, 1)
        waiting = asyncio.ensure_future(memory.plan(A, 5))
        await asyncio.sleep(0.05)
        memory.learned(A, None, probing)
        return await waiting
    assert run(scenario()) == (READER, True) and memory.probes_run == 2


def test_a_neighbour_of_a_stuck_probe_tries_the_reader_on_its_own_after_the_wait():
    memory = Tls12Memory()

    async def scenario():
        await memory.plan(A, 1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        plan = await memory.plan(A, 0.1)
        return plan, loop.time() - started
    plan, waited = run(scenario())
    assert plan == (READER, False) and 0.09 <= waited < 2 and memory.probes_run == 1
