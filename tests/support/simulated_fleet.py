# -*- coding: utf-8 -*-
"""Run real ansible-playbook against simulated Windows hosts.

    python -m tests.support.simulated_fleet STATE_DIR ansible-playbook-arguments...

ansible-playbook runs unchanged (PlaybookCLI, its inventory, roles, serial, max_fail_percentage,
registered results, the summary play). Hosts are marked Windows with ``ansible_connection: local``
and ``ansible_shell_type: powershell``, which is what the action plugins read. The one thing that
would need Windows - ``_execute_module('ansible.windows.win_powershell')`` - is answered by a
FakeWindowsHost whose state lives in ``STATE_DIR/<inventory_hostname>.pickle``, so forked
workers and successive runs see the same host.

The playbook tests and the demo no longer use this in-process runner: they go over real WinRM
(tests.support.winrm.fleet), which keeps the state the same way (``save_host``/``load_host`` here).
``install``/``main`` stay for suites on other branches until they move over.
"""

from __future__ import annotations

import copyreg
import os
import pickle
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, 'collections')


def _load_key(pem):
    return serialization.load_pem_private_key(pem, None)


def _reduce_key(key):
    # Private keys do not pickle; a simulated host keeps its keys as PEM on disk.
    return _load_key, (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()),)


copyreg.pickle(type(rsa.generate_private_key(65537, 1024)), _reduce_key)


def state_path(state_dir, host):
    return os.path.join(state_dir, host + '.pickle')


def save_host(state_dir, name, host):
    with open(state_path(state_dir, name), 'wb') as f:
        pickle.dump(host, f)


def load_host(state_dir, name):
    with open(state_path(state_dir, name), 'rb') as f:
        return pickle.load(f)


def install(state_dir):
    """Answer win_powershell calls from the simulated hosts in ``state_dir``."""
    from ansible.plugins.action import ActionBase

    from tests.support.windows import chain as fake_chain  # noqa: F401  (register the payload handlers)
    from tests.support.windows import request as fake_csr  # noqa: F401  (register the payload handlers)
    from tests.support.windows.host import WIN_POWERSHELL

    original = ActionBase._execute_module

    def execute_module(self, module_name=None, module_args=None, tmp=None, task_vars=None, **kwargs):
        if module_name != WIN_POWERSHELL:
            return original(self, module_name=module_name, module_args=module_args, tmp=tmp, task_vars=task_vars,
                            **kwargs)
        name = task_vars['inventory_hostname']
        host = load_host(state_dir, name)
        if host.state.get('unreachable'):
            return {'unreachable': True, 'msg': 'winrm: HTTPSConnectionPool(host=%r, port=5986): timed out' % name}
        # What the real _execute_module sends: the task's arguments plus the _ansible_* ones.
        module_args = dict(module_args or {})
        self._update_module_args(module_name, module_args, task_vars)
        result = host.execute_module(module_name, module_args, task_vars)
        save_host(state_dir, name, host)
        return result

    ActionBase._execute_module = execute_module


def main(argv):
    state_dir = argv[0]
    sys.path.insert(0, ROOT)
    os.environ.setdefault('ANSIBLE_CONFIG', os.path.join(ROOT, 'ansible.cfg'))
    install(state_dir)
    from ansible.cli.playbook import PlaybookCLI
    return PlaybookCLI(['ansible-playbook'] + argv[1:]).run()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
