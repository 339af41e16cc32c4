# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fetch and judge many endpoints: the one function the action plugin and the benchmark both call.

Each chain is judged the moment it arrives and its raw bytes are dropped, so memory holds only the
small per-endpoint results, whatever the number of endpoints.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import (
    ChainJudge, check_endpoint, failed, load_trust, summarise)
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_fetch import fetch_many


def audit_endpoints(endpoints, trust='bundled', timeout=5.0, concurrency=200, warn_days=30, now=None):
    """``{'endpoints': [...], 'summary': {...}}`` in the order given; bad entries raise HkpostError first."""
    if timeout <= 0:
        raise HkpostError('timeout must be greater than 0 seconds (got %s).' % timeout)
    if concurrency < 1:
        raise HkpostError('concurrency must be at least 1 (got %s).' % concurrency)
    if warn_days < 0:
        raise HkpostError('warn_days must be 0 or more (got %s).' % warn_days)
    checked = [check_endpoint(raw, index) for index, raw in enumerate(endpoints or [])]
    judge = ChainJudge(load_trust(trust), now=now, warn_days=warn_days)
    results = [None] * len(checked)

    def on_result(index, endpoint, fetched):
        if 'error' in fetched:
            outcome = failed(fetched['error'], fetched['cause'])
            outcome['tls_version'] = None
        else:
            outcome = judge.judge(fetched['certificates'], endpoint['server_name'])
            outcome['tls_version'] = fetched['tls_version']
        results[index] = dict(endpoint, **outcome)

    fetch_many(checked, timeout=timeout, concurrency=concurrency, on_result=on_result)
    return {'endpoints': results, 'summary': summarise(results), 'trust': judge.anchors.description}
