# -*- coding: utf-8 -*-
"""A host's certificate list paired with what the intake assigned to it."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pairing import certificates_to_install
from tests.support.pki import IDN_ASCII, IDN_UNICODE

BINDING = {'site': 'Default Web Site', 'host_header': 'www.example.hk'}


def test_pairs_by_ascii_common_name_and_keeps_bindings_and_services():
    certificates = [{'common_name': 'www.example.hk', 'iis_bindings': [BINDING]},
                    {'common_name': IDN_UNICODE, 'exchange_services': ['IIS']},
                    {'common_name': 'later.example.hk'}]
    issued = [{'common_name': IDN_ASCII, 'pem': 'IDN-PEM', 'thumbprint': 'B' * 40},
              {'common_name': 'www.example.hk', 'pem': 'WWW-PEM', 'thumbprint': 'A' * 40}]
    items = certificates_to_install(certificates, issued)
    assert [(i['common_name'], i['content'], i['src']) for i in items] == [
        (IDN_ASCII, 'IDN-PEM', None), ('www.example.hk', 'WWW-PEM', None)]
    assert items[0]['exchange_services'] == ['IIS'] and items[1]['iis_bindings'] == [BINDING]
    # later.example.hk has not arrived: it is not installed


def test_files_and_the_single_certificate_form():
    items = certificates_to_install([{'common_name': 'www.example.hk', 'certificate_file': '/in/www.cer'}], [],
                                    certificate_file='/in/legacy.cer', bindings=[BINDING])
    assert [(i['common_name'], i['src']) for i in items] == [('www.example.hk', '/in/www.cer'), ('', '/in/legacy.cer')]
    assert items[1]['iis_bindings'] == [BINDING]


def test_an_issued_certificate_nobody_listed_is_still_completed_without_bindings():
    (item,) = certificates_to_install([], [{'common_name': 'www.example.hk', 'pem': 'P'}])
    assert item['iis_bindings'] == [] and item['content'] == 'P'


def test_an_entry_without_a_name_is_refused():
    with pytest.raises(HkpostError, match=r'hkpost_certificates\[0\] needs common_name'):
        certificates_to_install([{'iis_bindings': [BINDING]}])
