# -*- coding: utf-8 -*-
"""Windows DNS DCV reads and changes the records AT a name, and a DNS error is an error (issue 10, section 2).

The fake DNS server answers ``Get-DnsServerResourceRecord`` the way the cmdlet does, from how the
payload calls it (tests/support/windows/dcv.py): without ``-Node`` a name's whole subtree comes back,
and ``-ErrorAction SilentlyContinue`` turns access denied or a missing zone into "no records".
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.dcv import new_windows_dns
from tests.support.windows.host import FakeWindowsHost

CODE = 'HKP-7f3a9c21d4e8'


def run(host, **kwargs):
    args = {'method': 'dns', 'dns_provider': 'windows', 'domains': ['example.com'], 'verification_code': CODE,
            'verify': False}
    args.update(kwargs)
    return run_action(ActionModule, args, host=host, action_name='hkpost.ecert.hkpost_dcv_token')


def test_a_childs_copy_of_the_code_does_not_read_as_present_at_the_apex():
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {'@': [{'value': 'v=spf1 -all', 'ttl': 600}],
                                                   'shop': [{'value': CODE, 'ttl': 300}]}})['zones']
    result = run(host)
    assert result['changed']
    assert zones['example.com']['@'] == [{'value': 'v=spf1 -all', 'ttl': 600}, {'value': CODE, 'ttl': 600}]
    # The child's record is neither counted at the apex nor touched.
    assert result['domains'][0]['published'][0]['other_values'] == 1
    assert zones['example.com']['shop'] == [{'value': CODE, 'ttl': 300}]


def test_absent_at_the_apex_leaves_equal_text_records_at_child_names():
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {'@': [{'value': CODE, 'ttl': 600}],
                                                   'shop': [{'value': CODE, 'ttl': 300}],
                                                   'a.shop': [{'value': CODE, 'ttl': 300}]}})['zones']
    assert run(host, state='absent')['changed']
    assert zones['example.com']['@'] == []
    assert zones['example.com']['shop'] == [{'value': CODE, 'ttl': 300}]
    assert zones['example.com']['a.shop'] == [{'value': CODE, 'ttl': 300}]


def test_no_record_at_the_name_yet_is_an_empty_answer():
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {}})['zones']
    assert run(host)['changed']
    assert zones['example.com']['@'] == [{'value': CODE, 'ttl': 3600}]


def test_access_denied_fails_instead_of_reading_as_no_records():
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {'@': [{'value': CODE, 'ttl': 600}]}}, denied=True)['zones']
    # Read as "no records", the cleanup would report nothing to remove and leave the code published.
    with pytest.raises(AnsibleActionFail, match='Access is denied'):
        run(host, zone='example.com', state='absent')
    assert zones['example.com']['@'] == [{'value': CODE, 'ttl': 600}]


def test_a_missing_zone_fails_instead_of_reading_as_no_records():
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}})
    # The zone was named by the user; the server does not hold it: the cleanup must not report success.
    with pytest.raises(AnsibleActionFail, match='zone example.org was not found'):
        run(host, zone='example.org', domains=['example.org'], state='absent')
