# -*- coding: utf-8 -*-
"""hkpost_dcv_token's dated rules with as_of: e-mail refused from 2028-03-15, DCV reuse per name."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.host import FakeWindowsHost


def run(**kwargs):
    base = {'method': 'email', 'domains': ['www.example.com'], 'verification_code': 'HKP-dates', 'verify': False}
    base.update(kwargs)
    return run_action(ActionModule, base, host=FakeWindowsHost(), action_name='hkpost.ecert.hkpost_dcv_token')


def test_email_refused_on_and_after_2028_03_15():
    with pytest.raises(AnsibleActionFail, match=r'MUST NOT be used from 2028-03-15.*method dns'):
        run(as_of='2028-03-15', issued_on='2028-03-10')
    result = run(as_of='2028-03-14', issued_on='2028-03-10')
    assert 'SHOULD NOT' in result['warnings'][0] and result['as_of'] == '2028-03-14'


def test_validated_on_reports_names_needing_fresh_validation():
    result = run(method='email', as_of='2027-04-01', issued_on='2027-03-20',
                 domains=['www.example.com'], validated_on={'www.example.com': '2026-12-01'})
    entry = result['domains'][0]
    assert entry['validation_valid_until'] == '2027-03-14' and entry['needs_fresh_validation'] is True
    assert result['needs_fresh_validation'] == ['www.example.com']
    fresh = run(as_of='2027-04-01', issued_on='2027-03-20', validated_on='2027-03-20')
    assert fresh['needs_fresh_validation'] == [] and fresh['domains'][0]['reuse_days'] == 100


def test_bad_as_of_and_validated_on_are_refused():
    with pytest.raises(AnsibleActionFail, match="as_of 'tomorrow' is not a date"):
        run(as_of='tomorrow')
    with pytest.raises(AnsibleActionFail, match='validated_on must be a date'):
        run(validated_on=['2027-01-01'])
