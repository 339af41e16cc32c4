# -*- coding: utf-8 -*-
"""The pending-request listing given back as task input: rules the mutation run (issue 21) found unpinned, one test
per rule."""

from __future__ import annotations

import base64
import datetime
import functools

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._pending_listing import (
    make_listing, read_exchange_listing, read_listing)
from tests.support.pki import rsa_key
from tests.unit.plugins.module_utils.request.test_csr import pending_entry

DIR = 'C:\\ProgramData\\hkpost\\requests'


@functools.lru_cache(maxsize=None)
def _der():
    entry = pending_entry(rsa_key(slot='csr-a'), datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    return entry['der']


def _b64():
    return base64.b64encode(_der()).decode('ascii')


def _iis(**extra):
    return dict({'host': 'win1', 'request_dir': DIR, 'platform': 'iis',
                 'pending': [{'thumbprint': 'AB', 'der': _b64()}], 'saved_csrs': ['csr', 7]}, **extra)


def _exchange(entries):
    return dict(_iis(), platform='exchange', exchange=entries)


def test_an_exchange_listing_keeps_exchanges_certificates_and_an_iis_listing_has_none():
    state = {'pending': [{'thumbprint': 'AB', 'der': 'x', 'secret': 's'}], 'saved_csrs': ['a', None],
             'os_build': 17763,
             'certificates': [{'thumbprint': 'CD', 'der': 'y', 'status': 'PendingRequest', 'services': 'IIS'}, 'junk']}
    iis = make_listing(state, 'win1', DIR)
    assert 'exchange' not in iis and iis['platform'] == 'iis' and iis['saved_csrs'] == ['a']
    assert iis['pending'] == [{'thumbprint': 'AB', 'der': 'x', 'friendly_name': None, 'has_private_key': None,
                               'key_container': None}]
    exchange = make_listing(state, 'ex1', DIR, 'exchange')
    assert exchange['exchange'] == [{'thumbprint': 'CD', 'der': 'y', 'status': 'PendingRequest',
                                     'has_private_key': None, 'friendly_name': None, 'certificate_request': None}]
    assert exchange['os_build'] == 17763


def test_an_exchange_listing_of_a_server_without_certificates_is_empty():
    assert make_listing({'certificates': None}, 'ex1', DIR, 'exchange')['exchange'] == []
    assert make_listing({}, 'ex1', DIR, 'exchange')['pending'] == []


@pytest.mark.parametrize('der, fault', [(None, 'is missing or not text'), (5, 'is missing or not text'),
                                        ('', 'is missing or not text'), ('no*base64', 'is not base64'),
                                        (base64.b64encode(b'not a certificate').decode(), 'is not a DER certificate')])
def test_a_pending_entrys_der_must_be_base64_of_a_certificate(der, fault):
    with pytest.raises(HkpostError, match=r'pending_requests: pending\[0\]\.der ' + fault):
        read_listing(_iis(pending=[{'der': der}]), 'win1', DIR)


def test_base64_with_stray_characters_is_refused_not_decoded_around_them():
    text = _b64()
    with pytest.raises(HkpostError, match='is not base64'):
        read_listing(_iis(pending=[{'der': text[:8] + '!' + text[8:]}]), 'win1', DIR)


@pytest.mark.parametrize('listing', ['text', {'pending': [], 'host': 'win1'}, {'saved_csrs': [], 'host': 'win1'},
                                     {'pending': None, 'saved_csrs': [], 'host': 'win1'},
                                     {'pending': [], 'saved_csrs': 'x', 'host': 'win1'}])
def test_what_is_not_a_listing_is_refused(listing):
    with pytest.raises(HkpostError, match='pending_requests is not a pending-request listing'):
        read_listing(listing, 'win1', DIR)
    with pytest.raises(HkpostError, match='pending_requests is not a pending-request listing'):
        read_exchange_listing(listing, 'win1', DIR)


def test_a_listing_read_from_another_request_dir_is_refused():
    with pytest.raises(HkpostError, match='was read from request_dir D:\\\\other'):
        read_listing(_iis(request_dir='D:\\other'), 'win1', DIR)


def test_a_listing_without_a_platform_is_an_iis_listing():
    pending, saved = read_listing(_iis(platform=None), 'win1', DIR)
    assert pending == [{'thumbprint': 'AB', 'der': _der()}] and saved == ['csr']
    with pytest.raises(HkpostError, match='read for platform iis, but this task is for platform exchange'):
        read_exchange_listing(dict(_iis(platform=None), exchange=[]), 'win1', DIR)


def test_a_listing_read_for_the_other_platform_is_refused():
    with pytest.raises(HkpostError, match='read for platform exchange, but this task is for platform iis'):
        read_listing(_exchange([]), 'win1', DIR)


def test_a_pending_entry_that_is_not_a_dict_is_refused():
    with pytest.raises(HkpostError, match=r'pending_requests: pending\[1\] is not a dict'):
        read_listing(_iis(pending=[{'der': _b64()}, 'AB']), 'win1', DIR)


def test_an_exchange_listing_needs_its_exchange_list():
    with pytest.raises(HkpostError, match='has no exchange list'):
        read_exchange_listing(dict(_iis(), platform='exchange'), 'win1', DIR)


def test_exchange_entries_are_dicts_and_their_der_when_given_a_certificate():
    entries = [{'thumbprint': 'AB', 'der': _b64()}, {'thumbprint': 'CD', 'der': None}, {'thumbprint': 'EF'}]
    assert read_exchange_listing(_exchange(entries), 'win1', DIR) == entries
    with pytest.raises(HkpostError, match=r'pending_requests: exchange\[1\] is not a dict'):
        read_exchange_listing(_exchange([entries[0], 'CD']), 'win1', DIR)
    with pytest.raises(HkpostError, match=r'pending_requests: exchange\[0\]\.der is not a DER certificate'):
        read_exchange_listing(_exchange([{'der': base64.b64encode(b'nope').decode()}]), 'win1', DIR)
