# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fetch and judge many endpoints: the one function the action plugin and the benchmark both call.

Each chain is judged the moment it arrives and its raw bytes are dropped, so memory holds only the
small per-endpoint results, whatever the number of endpoints.
"""

from __future__ import annotations

import re

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fetch import HANDSHAKES, FetchOptions, fetch_many
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import (
    ChainJudge, check_endpoint, failed, load_trust, summarise)

# A domain or an address literal: the EHLO argument goes on the wire as is, so nothing else may pass.
_EHLO = re.compile(r'^(\[[0-9A-Fa-f:.IPv6]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$')


def _check_options(timeout, concurrency, warn_days, handshake, ehlo_name):
    if timeout <= 0:
        raise HkpostError('timeout must be greater than 0 seconds (got %s).' % timeout)
    if concurrency < 1:
        raise HkpostError('concurrency must be at least 1 (got %s).' % concurrency)
    if warn_days < 0:
        raise HkpostError('warn_days must be 0 or more (got %s).' % warn_days)
    if handshake not in HANDSHAKES:
        raise HkpostError('handshake=%s: give auto (fast TLS 1.2 reader, full TLS 1.3 handshake where 1.2 is refused) '
                          'or full (a full handshake with every endpoint).' % handshake)
    # fullmatch: re's '$' also matches before a final newline, which a YAML block scalar (ehlo_name: |) leaves.
    if ehlo_name and ehlo_name != ehlo_name.strip():
        raise HkpostError('ehlo_name=%r has white space or a line end around the name (a YAML block scalar such as '
                          '"ehlo_name: |" keeps the newline); write the name on the option\'s own line, e.g. '
                          'ehlo_name: audit.example.hk.' % ehlo_name)
    if ehlo_name and not _EHLO.fullmatch(ehlo_name):
        raise HkpostError('ehlo_name=%r is not a host name or an address literal such as [192.0.2.1]; give the '
                          "controller's fully qualified name, or leave it empty for its address literal." % ehlo_name)


def audit_endpoints(endpoints, trust='bundled', timeout=5.0, concurrency=200, warn_days=30, now=None,
                    handshake='auto', ehlo_name=None):
    """``{'endpoints': [...], 'summary': {...}}`` in the order given; bad entries raise HkpostError first."""
    _check_options(timeout, concurrency, warn_days, handshake, ehlo_name)
    checked = [check_endpoint(raw, index) for index, raw in enumerate(endpoints or [])]
    judge = ChainJudge(load_trust(trust), now=now, warn_days=warn_days)
    results = [None] * len(checked)

    def on_result(index, endpoint, fetched):
        if 'error' in fetched:
            outcome = failed(fetched['error'], fetched['cause'], protocol=endpoint['starttls'])
            outcome.update(tls_version=None, chain_read_over=None)
        else:
            outcome = judge.judge(fetched['certificates'], endpoint['server_name'])
            outcome.update(tls_version=fetched['tls_version'], chain_read_over=fetched['chain_read_over'])
        results[index] = dict(endpoint, **outcome)

    fetch_many(checked, options=FetchOptions(timeout=timeout, handshake=handshake, ehlo_name=ehlo_name or None),
               concurrency=concurrency, on_result=on_result)
    return {'endpoints': results, 'summary': summarise(results), 'trust': judge.anchors.description}
