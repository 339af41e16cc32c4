# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which server addresses refuse TLS 1.2, learned once per address during one audit.

Why: ``handshake: auto`` reads the chain with the TLS 1.2 reader and, when a server refuses TLS 1.2,
opens a second connection for a full TLS 1.3 handshake. On a TLS 1.3-only server every endpoint then
paid a failed attempt plus a full handshake, and ``auto`` ran slower than ``full`` (405 against 978
endpoints/s at N=1,000). A TLS 1.3 Certificate message is encrypted, so no reader can avoid the full
handshake there; what can be avoided is the failed attempt. Endpoints behind one address (SNI names
on one IIS, ports of one nginx or Exchange server) are almost always one TLS stack with one protocol
setting, so the first answer from an address decides for the rest:

- the first endpoint of an address (after TCP connect, keyed by the peer's IP and the STARTTLS
  dialogue, which can change the TLS stack) is the *probe*: it tries the TLS 1.2 reader;
- endpoints of the same address that connect while the probe runs wait for it (their connection is
  open, nothing is sent), then go on over that same connection; at most ``probe_wait`` (1 s), so that a
  probe stuck on a silent server does not make its neighbours time out too;
- a refusal makes the address TLS 1.3-only: its other endpoints get the full handshake at once,
  one connection each; a certificate read over TLS 1.2 makes it a TLS 1.2 address; any other outcome
  (timeout, reset without a refusal) decides nothing and the next endpoint probes again.

A wrong guess costs speed, never the chain: a TLS 1.2-capable port behind a TLS 1.3-only address gets a
full handshake (the chain a current client receives, ``chain_read_over`` TLSv1.3 where the reader would
have said TLSv1.2), and a TLS 1.3-only port behind a TLS 1.2 address still falls back to the full handshake
as before. Only on such a mixed address does the path depend on which port answers first. The memory lives
for one ``fetch_many``.
"""

from __future__ import annotations

import asyncio

READER = 'reader'  # try the TLS 1.2 reader, fall back to a full handshake on refusal
FULL = 'full'  # the address refuses TLS 1.2: full handshake on this connection


class Tls12Memory:
    """Per address: ``True`` refuses TLS 1.2, ``False`` accepts it; unknown addresses are probed once."""

    def __init__(self):
        self.refuses = {}
        self._probes = {}
        self.probes_run = 0  # for tests and the benchmark: how many endpoints probed

    async def plan(self, address, wait):
        """``(READER|FULL, probing)``; ``probing`` means the caller must call ``learned`` when done.

        Waits at most ``wait`` seconds for a running probe; past that the endpoint tries TLS 1.2 on its own
        (as without this memory), so a probe that hangs never holds its neighbours.
        """
        while True:
            known = self.refuses.get(address)
            if known is not None:
                return (FULL if known else READER), False
            probe = self._probes.get(address)
            if probe is None:
                self._probes[address] = asyncio.Event()
                self.probes_run += 1
                return READER, True
            try:
                await asyncio.wait_for(probe.wait(), wait)
            except asyncio.TimeoutError:
                return READER, False

    def learned(self, address, refused, probing):
        """The probe's outcome (``refused``: True, False, or None for no verdict) decides for its address.

        Only the probe decides: the outcomes of later endpoints would make a host with mixed ports flip
        between the two plans with every answer.
        """
        if not probing:
            return
        if refused is not None:
            self.refuses[address] = refused
        self._probes.pop(address).set()
