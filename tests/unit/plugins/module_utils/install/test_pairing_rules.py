# -*- coding: utf-8 -*-
"""install/_pairing's rules (issue 21, mutation survivors): absent lists are empty, an entry that is no mapping is
refused by name, a certificate the intake brought is not also installed from its entry's file, and the friendly
name is the entry's or empty."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pairing import certificates_to_install

ISSUED = [{'common_name': 'www.example.hk', 'pem': 'WWW-PEM', 'thumbprint': 'A' * 40}]


def test_no_list_and_no_intake_are_empty():
    assert certificates_to_install(None, None) == []
    assert [i['content'] for i in certificates_to_install(None, ISSUED)] == ['WWW-PEM']


def test_an_entry_that_is_not_a_mapping_is_refused_by_its_index():
    with pytest.raises(HkpostError, match=r"hkpost_certificates\[1\] needs common_name .*got 'shop.example.hk'"):
        certificates_to_install([{'common_name': 'www.example.hk'}, 'shop.example.hk'], ISSUED)


def test_a_certificate_from_the_intake_is_not_installed_again_from_the_entry_file():
    certificates = [{'common_name': 'www.example.hk', 'certificate_file': '/srv/www.cer'}]
    items = certificates_to_install(certificates, ISSUED)
    assert [(i['src'], i['content']) for i in items] == [(None, 'WWW-PEM')]


@pytest.mark.parametrize('entry,friendly', [({}, ''), ({'friendly_name': 'www 2026'}, 'www 2026'),
                                            ({'friendly_name': None}, '')])
def test_the_friendly_name_is_the_entry_s_or_empty(entry, friendly):
    (item,) = certificates_to_install([dict({'common_name': 'www.example.hk'}, **entry)], ISSUED)
    assert item['friendly_name'] == friendly


@pytest.mark.parametrize('services, listed', [
    ('IIS, SMTP', ['IIS', 'SMTP']), (['smtp', 'IIS'], ['IIS', 'SMTP']), (None, []), ('None', [])])
def test_exchange_services_given_as_text_are_read_as_services_not_letters(services, listed):
    items = certificates_to_install([], certificate_file='/c.pem', services=services)
    assert items[0]['exchange_services'] == listed


def test_an_exchange_service_that_does_not_exist_is_refused_by_its_name():
    with pytest.raises(HkpostError, match='Exchange service "IAMP" is not one of'):
        certificates_to_install([{'common_name': 'mail.example.hk', 'certificate_file': '/c.pem',
                                  'exchange_services': 'IAMP, SMTP'}])
