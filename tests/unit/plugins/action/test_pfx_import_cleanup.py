# -*- coding: utf-8 -*-
"""A PFX restore that fails after the key was persisted leaves no orphan machine key (issue 10).

X509Certificate2(bytes, password, MachineKeySet | PersistKeySet) writes the private key to the
machine key store before the certificate is added to a store; the fake host keeps those key
containers (host.state['machine_keys']) and removes one only when the payload deletes it.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from tests.support.windows.host import FakeWindowsHost
from tests.unit.plugins.action.test_hkpost_pfx import backup, restore  # noqa: F401  # pylint: disable=unused-import


def test_store_refusing_the_certificate_leaves_no_orphan_key(pki, backup):  # noqa: F811
    host = FakeWindowsHost()
    host.state['store_add_refused'] = {'My': 'Access is denied.'}
    with pytest.raises(AnsibleActionFail, match='Access is denied'):
        restore(host, backup)
    assert host.stores['My'] == []
    assert host.state['machine_keys'] == []


def test_successful_restore_keeps_its_key(pki, backup):  # noqa: F811
    host = FakeWindowsHost()
    restore(host, backup)
    assert host.state['machine_keys'] == [host.stores['My'][0]['key_container']]
