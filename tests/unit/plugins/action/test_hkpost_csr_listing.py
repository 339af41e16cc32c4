# -*- coding: utf-8 -*-
"""hkpost_csr reading a host's pending requests once (list_pending) and deciding from that listing
(pending_requests) for each certificate: what the host is asked to run, counted (issue 12)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import request as _fake_csr  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.host import FakeWindowsHost

NAMES = ('a.example.com.hk', 'b.example.com.hk', 'c.example.com.hk')


def run(host, args, check_mode=False, host_name='win1', shell_family='powershell'):
    return run_action(ActionModule, args, host=host, check_mode=check_mode, shell_family=shell_family,
                      task_vars={'inventory_hostname': host_name}, action_name='hkpost.ecert.hkpost_csr')


def listing(host, check_mode=False, **extra):
    return run(host, dict({'list_pending': True}, **extra), check_mode=check_mode)['pending_requests']


def certificate(host, name, pending_requests, check_mode=False, **extra):
    args = dict({'common_name': name, 'organization': 'Example Company Limited',
                 'pending_requests': pending_requests}, **extra)
    return run(host, args, check_mode=check_mode)


def test_list_pending_reads_once_and_changes_nothing():
    host = FakeWindowsHost()
    certificate(host, NAMES[0], None)   # one request exists already (read + create)
    del host.calls[:]
    result = run(host, {'list_pending': True})
    assert result['changed'] is False
    assert host.call_names() == ['csr_pending_read']
    (entry,) = result['pending_requests']['pending']
    assert entry['thumbprint'] == host.stores['REQUEST'][0]['thumbprint']
    assert result['pending_requests']['host'] == 'win1'
    assert len(result['pending_requests']['saved_csrs']) == 1 and len(host.stores['REQUEST']) == 1


def test_list_pending_reads_in_check_mode_too():
    host = FakeWindowsHost()
    assert listing(host, check_mode=True)['pending'] == []
    assert host.call_names() == ['csr_pending_read']


def test_three_certificates_first_run_then_rerun_read_the_host_once_each():
    host = FakeWindowsHost()
    first = listing(host)
    created = [certificate(host, name, first) for name in NAMES]
    # one read, then only the three certreq runs a first run cannot do without
    assert host.call_names() == ['csr_pending_read', 'csr_create', 'csr_create', 'csr_create']
    assert [r['request_action'] for r in created] == ['create'] * 3 and all(r['changed'] for r in created)
    del host.calls[:]
    second = listing(host)
    rerun = [certificate(host, name, second) for name in NAMES]
    assert host.call_names() == ['csr_pending_read']
    assert [r['changed'] for r in rerun] == [False] * 3 and len(host.stores['REQUEST']) == 3
    # the same keys and pending requests as the first run, found from the one listing
    assert [r['public_key_sha256'] for r in rerun] == [r['public_key_sha256'] for r in created]
    assert [r['thumbprint'] for r in rerun] == [r['thumbprint'] for r in created]


def test_check_mode_on_a_listing_runs_nothing_more_and_creates_nothing(tmp_path):
    host = FakeWindowsHost()
    read = listing(host, check_mode=True)
    results = [certificate(host, name, read, check_mode=True, csr_path=str(tmp_path / name)) for name in NAMES]
    assert host.call_names() == ['csr_pending_read']
    assert all(r['changed'] and r['request_action'] == 'create' for r in results)
    assert not host.stores['REQUEST'] and not list(tmp_path.iterdir())


def test_a_listing_gives_the_same_decisions_as_reading_the_host():
    # one certificate requested, one whose CSR copy was lost (rederive from the same key), one new
    host = FakeWindowsHost()
    certificate(host, NAMES[0], None)
    certificate(host, NAMES[1], None)
    lost = [path for path, text in host.state['request_dir'].items()][-1]
    del host.state['request_dir'][lost]
    del host.calls[:]
    read = listing(host)
    actions = [certificate(host, name, read)['request_action'] for name in NAMES]
    assert actions == ['reuse', 'rederive', 'create']
    assert host.call_names() == ['csr_pending_read', 'csr_create', 'csr_create']


def test_force_on_a_listing_still_makes_a_new_key():
    host = FakeWindowsHost()
    first = certificate(host, NAMES[0], None)
    forced = certificate(host, NAMES[0], listing(host), force=True)
    assert forced['request_action'] == 'create' and forced['public_key_sha256'] != first['public_key_sha256']


def test_a_listing_read_on_another_host_is_refused_before_anything_runs():
    other = FakeWindowsHost()
    certificate(other, NAMES[0], None)
    foreign = run(other, {'list_pending': True}, host_name='win2')['pending_requests']
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='pending_requests was read on host win2, not on win1'):
        certificate(host, NAMES[0], foreign)
    assert host.calls == []


def test_list_pending_says_the_platform_from_the_connection():
    # The csr role decides the host's later steps from this answer (issue 20): no inventory variable is read.
    result = run(FakeWindowsHost(), {'list_pending': True}, host_name='win1')
    assert result['platform'] == 'windows'


def test_list_pending_on_a_posix_host_is_an_empty_listing_without_contacting_it():
    host = FakeWindowsHost()   # would record any payload sent
    result = run(host, {'list_pending': True}, shell_family='sh', host_name='lnx1')
    assert host.calls == []
    assert result['platform'] == 'posix' and result['changed'] is False
    assert result['pending_requests'] == {'host': 'lnx1', 'request_dir': '%ProgramData%\\hkpost.ecert\\requests',
                                          'pending': [], 'saved_csrs': [], 'platform': 'iis', 'os_build': None}


def test_a_certificate_result_says_the_platform_too():
    assert certificate(FakeWindowsHost(), NAMES[0], None)['platform'] == 'windows'
