# -*- coding: utf-8 -*-
"""The simulated hosts behind the endpoint: one pickle per host, as tests.support.simulated_fleet keeps them.

Each execution loads the host, runs the module on it and saves it, under a per-host lock, so a
test can change a host between runs and every run (and every fork) sees the same host.
"""

from __future__ import annotations

import threading

# Registering the payload handlers: every area answers its payloads from its own module.
from tests.support.windows import certstore, chain, dcv, exchange, iis, pfx, request, retire  # noqa: F401  pylint: disable=unused-import
from tests.support.simulated_fleet import load_host, save_host


class HostStore:
    def __init__(self, state_dir):
        self.state_dir = state_dir
        self._locks = {}
        self._guard = threading.Lock()

    def _lock(self, name):
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())

    def load(self, name):
        with self._lock(name):
            return load_host(self.state_dir, name)

    def execute(self, name, module_name, module_args, pass_vars=None):
        """FakeWindowsHost.execute_module on the stored host; the host is saved afterwards.

        ``pass_vars``: the _ansible_* options the Ansible.Basic.cs that came with the module accepts.
        """
        with self._lock(name):
            host = load_host(self.state_dir, name)
            result = host.execute_module(module_name, module_args, {'inventory_hostname': name}, pass_vars=pass_vars)
            save_host(self.state_dir, name, host)
            return result
