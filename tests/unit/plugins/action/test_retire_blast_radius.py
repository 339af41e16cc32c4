# -*- coding: utf-8 -*-
"""A certificate is never retired while anything on the host uses it (issue 24): the RDP listener, a WinRM HTTPS
listener, RD Gateway, a SQL Server instance - read in the same one read as the stores and IIS (the host_consumers
prelude, shared with hkpost_certificate_inventory) - and nothing is retired while one of them cannot be read."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.action.hkpost_retire import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import retire as _fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.inventory import (
    add_sql_instance, add_winrm_https_listener, consumers, install_rd_gateway, set_rdp_certificate)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def lineage(pki):
    old = pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    new = pki.issue_leaf('www.example.hk', not_before=pki.now - 2 * DAY)
    return old, new


def host_with(old, new, consumer=None):
    host = FakeWindowsHost()
    for cert in (old, new):
        host.stores['My'].append(entry_for(cert.cert, cert.key))
    if consumer:
        consumer(host, old.thumbprint)
    return host


def retire(host):
    return run_action(ActionModule, {}, host=host, task_vars={'inventory_hostname': 'web1'})


@pytest.mark.parametrize('consumer, used_by', [
    (set_rdp_certificate, 'the RDP listener RDP-Tcp'),
    (add_winrm_https_listener, 'the WinRM HTTPS listener *:5986'),
    (install_rd_gateway, 'RD Gateway'),
    (lambda h, t: add_sql_instance(h, 'MSSQLSERVER', 'MSSQL16.MSSQLSERVER', t), 'SQL Server instance MSSQLSERVER'),
])
def test_a_replaced_certificate_another_service_uses_is_kept(lineage, consumer, used_by):
    old, new = lineage
    host = host_with(old, new, consumer)
    result = retire(host)
    assert result['retired'] == [] and result['changed'] is False
    assert result['kept'][0]['thumbprint'] == old.thumbprint
    assert result['kept'][0]['reason'] == 'still used by %s' % used_by
    assert host.call_names() == ['retire_read']   # the consumers came in the one read
    assert old.thumbprint in [e['thumbprint'] for e in host.stores['My']]


def test_nothing_uses_it_and_it_goes(lineage):
    old, new = lineage
    host = host_with(old, new)
    assert [r['thumbprint'] for r in retire(host)['retired']] == [old.thumbprint]


def test_a_consumer_that_cannot_be_read_keeps_every_candidate(lineage):
    old, new = lineage
    host = host_with(old, new)
    consumers(host).rdp_error = 'Invalid namespace'
    result = retire(host)
    assert result['retired'] == []
    assert result['kept'][0]['reason'].startswith('the RDP listener (Invalid namespace) could not be read')
