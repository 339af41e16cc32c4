# -*- coding: utf-8 -*-
"""The csr role's first task checks every certificate before the first key is made (issue 22)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import request as _fake_csr  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.host import FakeWindowsHost

GOOD = {'common_name': 'www.example.hk'}


def listing(host, certificates, **defaults):
    return run_action(ActionModule, dict({'list_pending': True, 'certificates': certificates,
                                          'organization': 'Example Ltd'}, **defaults), host=host)


@pytest.mark.parametrize('bad, message', [
    ({'common_name': 'shop.example.hk', 'subject_alt_names': ['n%d.example.hk' % i for i in range(101)]},
     r'certificates\[1\] \(shop\.example\.hk\): subject_alt_names: a standard certificate is for one server name'),
    ({'common_name': 'xn--zz.example.hk'}, r'certificates\[1\] \(xn--zz\.example\.hk\): .*not valid punycode'),
    ({'common_name': '*.example.hk'}, r'certificates\[1\] \(\*\.example\.hk\): .*only allowed for certificate_type '
                                      r'wildcard'),
    ({'common_name': 'www.example.hk', 'organization': 'O' * 65}, r'certificates\[1\] .*organization is 65 characters'),
    ('www.example.hk', r'certificates\[1\] is not a certificate entry'),
])
def test_a_bad_entry_after_a_good_one_refuses_the_list_before_the_host_is_read(bad, message):
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match=message + r'.*Nothing was requested on this host'):
        listing(host, [GOOD, bad])
    assert host.call_names() == [] and host.stores['REQUEST'] == []


def test_entries_take_the_tasks_organization_as_their_default():
    host = FakeWindowsHost()
    assert listing(host, [GOOD, {'common_name': 'shop.example.hk', 'organizational_unit': 'IT'}])['platform'] == 'windows'
    assert host.call_names() == ['csr_pending_read']
    with pytest.raises(AnsibleActionFail, match=r'certificates\[0\] \(www\.example\.hk\): organization is required'):
        run_action(ActionModule, {'list_pending': True, 'certificates': [GOOD]}, host=FakeWindowsHost())


def test_certificates_without_list_pending_is_refused():
    with pytest.raises(AnsibleActionFail, match='certificates is checked with list_pending: true'):
        run_action(ActionModule, dict(GOOD, organization='Example Ltd', certificates=[GOOD]), host=FakeWindowsHost())
