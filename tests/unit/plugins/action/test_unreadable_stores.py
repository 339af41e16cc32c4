# -*- coding: utf-8 -*-
"""Stores that are missing or cannot be opened are read for what they are (issue 10, section 2).

A CRL store chain_read cannot open is an error, never "no CRLs"; a machine that never made a
request has no LocalMachine\\REQUEST store, which is "no pending request", not an error.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule as Csr
from tests.support.action_harness import run_action
from tests.support.windows import request as _request_handlers  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.chain import put, put_crl
from tests.support.windows.host import FakeWindowsHost
from tests.unit.plugins.action.test_hkpost_chain import chain, files  # noqa: F401  # pylint: disable=unused-import


def test_a_crl_store_that_cannot_be_opened_fails_the_read(pki, files):  # noqa: F811
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_new.cert)
    put(host, 'Root', pki.root.cert)
    put_crl(host, pki.arl)
    host.state['crl_store_error'] = 'Access is denied'
    with pytest.raises(AnsibleActionFail, match='Access is denied'):
        chain(host, files, arl_file=files['arl'])
    assert host.call_names() == ['chain_read']


def test_a_machine_without_a_request_store_can_make_its_first_request():
    host = FakeWindowsHost()
    del host.stores['REQUEST']
    result = run_action(Csr, {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited'},
                        host=host, check_mode=True, action_name='hkpost.ecert.hkpost_csr')
    assert result['changed'] and result['request_action'] == 'create'


def test_a_certificate_store_that_cannot_be_opened_fails_the_read(pki, files):  # noqa: F811
    # Access denied on Disallowed must not read as "nothing distrusted": the plan would then skip a
    # removal or add again what is there. Only a store that does not exist reads as empty.
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_new.cert)
    put(host, 'Root', pki.root.cert)
    host.state['store_open_error'] = {'Disallowed': 'Access is denied.'}
    with pytest.raises(AnsibleActionFail, match='Access is denied'):
        chain(host, files, arl_file=files['arl'])
    assert host.call_names() == ['chain_read']


def test_a_missing_webhosting_store_reads_as_empty(pki, files):  # noqa: F811
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_new.cert)
    put(host, 'Root', pki.root.cert)
    del host.stores['WebHosting']
    chain(host, files, arl_file=files['arl'])
    assert host.call_names()[0] == 'chain_read'
