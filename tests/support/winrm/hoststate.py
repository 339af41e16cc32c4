# -*- coding: utf-8 -*-
"""The simulated hosts behind the endpoint: one pickle per host, ``STATE_DIR/<inventory_hostname>.pickle``.

A test builds its hosts and saves them (``save_host``); the endpoint process loads a host for each
execution, runs the module on it and saves it, under a per-host lock, so a test can change a host
between runs and every run (and every fork) sees the same host; the test reads the result back
(``load_host``).
"""

from __future__ import annotations

import copyreg
import os
import pickle
import threading

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# Registering the payload handlers: every area answers its payloads from its own module.
from tests.support.windows import apply, certstore, chain, dcv, exchange, iis, inventory, pfx, request, retire  # noqa: F401  pylint: disable=unused-import


def _load_key(pem):
    # The key was checked when it was made; checking it again on every execution (the RSA consistency check)
    # costs tens of milliseconds per key per WinRM execution.
    return serialization.load_pem_private_key(pem, None, unsafe_skip_rsa_key_validation=True)


def _reduce_key(key):
    # Private keys do not pickle; a simulated host keeps its keys as PEM on disk.
    return _load_key, (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()),)


copyreg.pickle(type(rsa.generate_private_key(65537, 1024)), _reduce_key)


def state_path(state_dir, host):
    return os.path.join(str(state_dir), host + '.pickle')


def save_host(state_dir, name, host):
    with open(state_path(state_dir, name), 'wb') as f:
        pickle.dump(host, f)


def load_host(state_dir, name):
    with open(state_path(state_dir, name), 'rb') as f:
        return pickle.load(f)


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
