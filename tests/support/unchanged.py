# -*- coding: utf-8 -*-
"""What "nothing changed" means in the bad-input tables: the fake host's state, the payloads it ran, the controller files.

The tables in ``tests/unit/plugins/*/test_bad_input_*.py`` list one kind of bad input per row; each row
takes a snapshot before, runs the task, expects the refusal, and compares after. Payload names are sorted
into reads and writes from their own headers' contract (``*_read`` and ``pfx_state`` only read, see
``plugins/plugin_utils/_win_payload.py``), so a row that lets a read through still proves no write ran.
"""

from __future__ import annotations

import hashlib
import json
import os

READ_PAYLOADS = frozenset(('chain_read', 'csr_pending_read', 'dcv_iis_read', 'dcv_windows_dns_read', 'ecert_store_read',
                           'exchange_read', 'iis_bindings_read', 'pfx_state'))


def host_state(host):
    """The fake Windows host's state as comparable data (private key objects by identity, everything else by value)."""
    stores = {name: [{k: (id(v) if k == 'key' else v) for k, v in entry.items()} for entry in entries]
              for name, entries in host.stores.items()}
    return json.dumps({'stores': stores, 'crls': host.crls, 'state': host.state}, sort_keys=True, default=repr)


def writes(host):
    """The payloads that ran and are not read-only."""
    return [name for name, _params in host.calls if name not in READ_PAYLOADS]


def tree(path):
    """Every file under ``path`` (the controller side of a test) with its size, mode and SHA-256."""
    found = {}
    for root, dirs, files in os.walk(str(path)):
        for name in dirs + files:
            full = os.path.join(root, name)
            stat = os.lstat(full)
            digest = None
            if os.path.isfile(full) and not os.path.islink(full):
                with open(full, 'rb') as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            found[os.path.relpath(full, str(path))] = (stat.st_mode, stat.st_size, digest)
    return found
