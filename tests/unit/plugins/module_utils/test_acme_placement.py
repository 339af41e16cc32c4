# -*- coding: utf-8 -*-
"""Where ACME challenges go (acme._challenges), which requests to order and what the CA said (acme._orders)."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.filter.ascii_name import file_name
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.acme import _challenges, _orders


def _data(name, token='tok-1_A', value='tok-1_A.thumb', txt='txt-value'):
    # The shape acme_certificate_order_create returns in challenge_data.
    base = name[2:] if name.startswith('*.') else name
    return {'identifier': name, 'identifier_type': 'dns', 'challenges': {
        'http-01': {'resource': '.well-known/acme-challenge/' + token, 'resource_value': value},
        'dns-01': {'resource': '_acme-challenge', 'resource_value': txt, 'record': '_acme-challenge.' + base}}}


SITES = {'sites': [
    {'name': 'Default Web Site', 'id': 1, 'state': 'Started', 'physical_path': '%SystemDrive%\\inetpub\\wwwroot',
     'physical_path_expanded': 'C:\\inetpub\\wwwroot', 'bindings': [{'protocol': 'http', 'binding_information': '*:80:'}]},
    {'name': 'Shop', 'id': 2, 'state': 'Started', 'physical_path': 'D:\\shop', 'physical_path_expanded': 'D:\\shop',
     'bindings': [{'protocol': 'http', 'binding_information': '*:80:shop.example.hk'}]}]}


def test_a_wildcard_and_its_base_name_share_one_txt_name_with_both_values():
    records = _challenges.dns_records([_data('*.example.hk', txt='one'), _data('example.hk', txt='two'),
                                       _data('www.example.hk', txt='three')])
    assert records == {'_acme-challenge.example.hk': ['one', 'two'], '_acme-challenge.www.example.hk': ['three']}


def test_http01_tokens_go_to_the_site_whose_binding_answers_else_the_default_site():
    files, per_name = _challenges.iis_tokens(SITES, [_data('shop.example.hk', token='T1'),
                                                     _data('www.example.hk', token='T2')])
    assert [f['path'] for f in files] == ['D:\\shop\\.well-known\\acme-challenge\\T1',
                                          'C:\\inetpub\\wwwroot\\.well-known\\acme-challenge\\T2']
    assert per_name['shop.example.hk'][0]['reason'] == 'host header'
    assert per_name['www.example.hk'][0]['reason'] == 'default site'


def test_http01_refuses_a_wildcard_and_a_token_that_is_a_path():
    with pytest.raises(HkpostError, match='wildcard'):
        _challenges.iis_tokens(SITES, [_data('*.example.hk')])
    with pytest.raises(HkpostError, match='base64url'):
        _challenges.iis_tokens(SITES, [_data('shop.example.hk', token='..\\..\\web.config')])


def test_an_authorization_already_valid_has_nothing_to_publish():
    reused = {'identifier': 'www.example.hk', 'identifier_type': 'dns', 'challenges': {}}
    assert not _challenges.pending([reused], 'http-01')
    assert _challenges.dns_records([reused]) == {}


def test_removal_from_the_published_list_keeps_only_this_orders_tokens():
    data = [_data('shop.example.hk', token='T1')]
    published = [{'directory': 'D:\\shop\\.well-known\\acme-challenge', 'path': 'D:\\shop\\.well-known\\acme-challenge\\T1'},
                 {'directory': 'D:\\shop\\.well-known\\acme-challenge', 'path': 'D:\\shop\\.well-known\\acme-challenge\\OLD'}]
    assert [f['path'] for f in _challenges.published_tokens(published, data)] == [published[0]['path']]
    with pytest.raises(HkpostError, match='acme-challenge'):
        _challenges.published_tokens([{'directory': 'C:\\Windows', 'path': 'C:\\Windows\\T1'}], data)


SHEET = ('host,common_name,certificate_type,public_key_sha256,csr_file,names,pending_thumbprint\n'
         'web1,*.example.hk,wildcard,%s,/out/csr/web1/_wildcard_.example.hk.csr,*.example.hk,AA\n'
         'web1,www.example.hk,standard,%s,/out/csr/web1/www.example.hk.csr,www.example.hk,BB\n'
         'web2,a.example.hk,standard,%s,/out/csr/web2/a.example.hk.csr,a.example.hk,CC\n') % ('a' * 64, 'b' * 64, 'c' * 64)


def test_orders_are_the_hosts_requests_without_a_chain_in_the_intake():
    orders = _orders.pending_orders(SHEET, 'web1', '/out/intake', [], file_name)
    assert [(o['common_name'], o['dest']) for o in orders] == [
        ('*.example.hk', '/out/intake/acme-web1-_wildcard_.example.hk-%s.pem' % ('a' * 16)),
        ('www.example.hk', '/out/intake/acme-web1-www.example.hk-%s.pem' % ('b' * 16))]
    # A rerun orders only what is missing; a later request (another key) is not mistaken for an issued one.
    again = _orders.pending_orders(SHEET, 'web1', '/out/intake', [orders[0]['dest']], file_name)
    assert [o['common_name'] for o in again] == ['www.example.hk']
    newer = SHEET.replace('a' * 64, 'd' * 64)
    assert len(_orders.pending_orders(newer, 'web1', '/out/intake', [orders[0]['dest']], file_name)) == 2
    assert _orders.pending_orders('', 'web1', '/out/intake', [], file_name) == []


def test_the_cas_reasons_per_name_and_challenge_and_an_expired_order():
    invalid = {'order': {'status': 'invalid'}, 'authorizations_by_identifier': {
        'dns:www.example.hk': {'status': 'invalid', 'challenges': [
            {'type': 'http-01', 'status': 'invalid',
             'error': {'type': 'urn:ietf:params:acme:error:unauthorized', 'detail': 'HTTP 404'}}]},
        'dns:ok.example.hk': {'status': 'valid', 'challenges': []}}}
    expired = {'order': {'status': 'invalid', 'expires': '2026-12-01T00:00:00Z'}, 'authorizations_by_identifier': {}}
    assert _orders.order_problems([invalid, expired]) == [
        'www.example.hk (http-01): urn:ietf:params:acme:error:unauthorized - HTTP 404',
        'order invalid (expired: 2026-12-01T00:00:00Z)']
