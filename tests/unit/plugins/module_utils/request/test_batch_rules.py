# -*- coding: utf-8 -*-
"""Every certificate of a host planned from one listing (request._batch): rules the mutation run (issue 21) found
unpinned, one test per rule."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._batch import (
    check_every_request, plan_exchange_batch, plan_iis_batch)
from tests.support.pki import rsa_key
from tests.support.windows.request import parse_inf
from tests.unit.plugins.module_utils.request.test_csr import pending_entry, windows_csr

WHEN = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
DEFAULTS = {'organization': 'Example Company Limited', 'organizational_unit': 'IT', 'friendly_name': 'Default Name'}
ENTRY = {'common_name': 'www.example.com.hk'}


def _new_request(entry=None, defaults=None, **kwargs):
    [plan] = plan_iis_batch([entry or ENTRY], DEFAULTS if defaults is None else defaults, [], [], **kwargs)
    return dict(parse_inf(plan['create']['inf'])['newrequest'])


def test_a_refused_entry_without_a_common_name_is_named_by_its_index():
    with pytest.raises(HkpostError, match=r'certificates\[1\] \(no common_name\): '):
        check_every_request([ENTRY, {'certificate_type': 'standard'}], DEFAULTS)


def test_the_entrys_friendly_name_wins_over_the_tasks_even_when_empty():
    assert _new_request(dict(ENTRY, friendly_name='Shop 2027'))['FriendlyName'] == 'Shop 2027'
    assert _new_request()['FriendlyName'] == 'Default Name'
    assert 'FriendlyName' not in _new_request(dict(ENTRY, friendly_name=''))


def test_no_friendly_name_anywhere_is_empty_text_not_none():
    defaults = dict(DEFAULTS, friendly_name=None)
    assert 'FriendlyName' not in _new_request(defaults=defaults)
    [plan] = plan_exchange_batch([ENTRY], defaults, [])
    assert plan['create']['friendly_name'] == ''


def test_a_pending_request_with_its_csr_is_reused_unless_forced():
    key = rsa_key(slot='csr-a')
    pending, saved = [pending_entry(key, WHEN)], [windows_csr(key)]
    [plan] = plan_iis_batch([ENTRY], DEFAULTS, pending, saved)
    assert plan['action'] == 'reuse' and plan['pending'] is pending[0] and 'create' not in plan
    [plan] = plan_iis_batch([ENTRY], DEFAULTS, pending, saved, force=True)
    assert plan['action'] == 'create' and 'KeyContainer' not in dict(parse_inf(plan['create']['inf'])['newrequest'])


def test_a_pending_request_without_its_csr_is_rederived_with_its_key_container():
    key = rsa_key(slot='csr-a')
    [plan] = plan_iis_batch([ENTRY], DEFAULTS, [pending_entry(key, WHEN, container='te-42')], [])
    assert plan['action'] == 'rederive'
    inf = dict(parse_inf(plan['create']['inf'])['newrequest'])
    assert inf['KeyContainer'] == 'te-42' and inf['UseExistingKeySet'] == 'TRUE'


def test_a_pending_request_without_its_csr_or_a_key_container_is_refused():
    key = rsa_key(slot='csr-a')
    with pytest.raises(HkpostError, match=r'certificates\[0\]: a pending request for www\.example\.com\.hk exists'):
        plan_iis_batch([ENTRY], DEFAULTS, [pending_entry(key, WHEN, container='')], [])


EXCHANGE_PENDING = {'status': 'PendingRequest', 'subject_cn': 'WWW.example.com.hk', 'sha1': 'AB'}


def test_exchange_reuses_a_pending_request_for_the_name_unless_forced():
    [plan] = plan_exchange_batch([ENTRY], DEFAULTS, [EXCHANGE_PENDING])
    assert plan['action'] == 'reuse' and plan['pending'] is EXCHANGE_PENDING and 'create' not in plan
    [plan] = plan_exchange_batch([ENTRY], DEFAULTS, [EXCHANGE_PENDING], force=True)
    assert plan['action'] == 'create' and plan['pending'] is None
    assert plan['create']['domain_name'] == ['www.example.com.hk'] and plan['create']['key_size'] == 2048


def test_exchange_multi_domain_request_names_only_its_common_name():
    entry = {'common_name': 'mail.example.com.hk', 'certificate_type': 'multi_domain',
             'subject_alt_names': ['owa.example.com.hk']}
    [plan] = plan_exchange_batch([entry], DEFAULTS, [])
    assert plan['action'] == 'create' and plan['create']['domain_name'] == ['mail.example.com.hk']
    assert plan['create']['subject_name'].endswith('CN=mail.example.com.hk')
