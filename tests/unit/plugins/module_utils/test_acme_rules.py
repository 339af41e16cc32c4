# -*- coding: utf-8 -*-
"""ACME orders and challenge placement (acme._orders, acme._challenges): rules the mutation run (issue 21) found
unpinned, one test per rule."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.filter.ascii_name import file_name
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.acme import _challenges, _orders
from tests.unit.plugins.module_utils.test_acme_placement import SITES, _data

HEAD = 'host,common_name,certificate_type,public_key_sha256,csr_file,names,pending_thumbprint\n'
A, B = 'A' * 64, 'b' * 64


def test_the_intake_name_carries_host_file_name_and_the_first_16_of_the_lower_case_key_hash():
    assert _orders.intake_name('web1', 'www.example.hk', A) == 'acme-web1-www.example.hk-%s.pem' % ('a' * 16)


@pytest.mark.parametrize('head', ['host,common_name,public_key_sha256\n', 'hostname,common_name,public_key_sha256,csr_file\n'])
def test_a_sheet_without_the_request_columns_is_refused_naming_them(head):
    with pytest.raises(HkpostError, match='the submission sheet lacks (csr_file|host)'):
        _orders.pending_orders(head + 'web1,www.example.hk,%s\n' % A, 'web1', '/in', [], file_name)


def test_a_sheet_with_a_byte_order_mark_is_read():
    sheet = '\ufeff' + HEAD + 'web1,www.example.hk,standard,%s,/csr/www.csr,www.example.hk  example.hk,AA\n' % A
    [order] = _orders.pending_orders(sheet, 'web1', '/in', None, file_name)
    assert order['names'] == ['www.example.hk', 'example.hk'] and order['public_key_sha256'] == A
    assert order['csr_file'] == '/csr/www.csr' and order['record'].startswith('/in/')
    assert order['record'] != order['dest']


def test_rows_of_other_hosts_dry_runs_and_rows_without_a_csr_file_are_not_ordered():
    sheet = HEAD + ''.join([
        ' web1 , a.example.hk ,standard, %s ,/csr/a.csr,,\n' % A,      # padded: still this host's
        'web2,b.example.hk,standard,%s,/csr/b.csr,,\n' % B,             # another host
        'web1,c.example.hk,standard,,/csr/c.csr,,\n',                   # dry run: no key yet
        'web1,d.example.hk,standard,%s,,,\n' % B,                       # no CSR file
    ])
    orders = _orders.pending_orders(sheet, 'web1', '/in', [], file_name)
    assert [(o['common_name'], o['names']) for o in orders] == [('a.example.hk', [])]


def test_an_issued_chain_in_the_intake_is_recognised_by_its_file_name_under_any_directory():
    sheet = HEAD + 'web1,www.example.hk,standard,%s,/csr/www.csr,,\n' % A
    name = _orders.intake_name('web1', 'www.example.hk', A)
    assert _orders.pending_orders(sheet, 'web1', '/in', ['/elsewhere/' + name], file_name) == []


def test_problems_name_each_failed_challenge_with_defaults_for_a_bare_error():
    result = {'order': {'status': 'invalid', 'error': {'type': 'urn:x:order', 'detail': 'ignored'}},
              'authorizations_by_identifier': {
                  'dns:b.example.hk': {'status': 'invalid', 'challenges': [
                      {'type': 'dns-01', 'error': {'detail': 'no TXT'}}, {'type': 'http-01'},
                      {'type': 'tls-alpn-01', 'error': {'type': 'urn:x:tls'}}]},
                  'a.example.hk': {'status': 'pending'}}}
    assert _orders.order_problems([result]) == ['a.example.hk: authorization pending',
                                                'b.example.hk (dns-01): error - no TXT',
                                                'b.example.hk (tls-alpn-01): urn:x:tls - ']


def test_an_order_error_is_reported_only_when_no_authorization_says_more():
    bare = {'order': {'status': 'invalid', 'error': {'type': 'urn:ietf:params:acme:error:badCSR', 'detail': 'key'}}}
    assert _orders.order_problems([bare]) == ['order invalid: urn:ietf:params:acme:error:badCSR - key']
    valid = {'order': {'status': 'valid'}, 'authorizations_by_identifier': {'dns:a.example.hk': {'status': 'valid'}}}
    assert _orders.order_problems([valid, {}]) == []
    assert _orders.order_problems(None) == []


# ---- challenges ----------------------------------------------------------------------------------------------


def test_an_unknown_challenge_type_is_refused():
    with pytest.raises(HkpostError, match="challenge 'tls-alpn-01' is not one of dns-01, http-01"):
        _challenges.pending([_data('www.example.hk')], 'tls-alpn-01')


@pytest.mark.parametrize('entry', ['www.example.hk', {'challenges': {}}])
def test_challenge_data_that_is_not_acmes_is_refused(entry):
    with pytest.raises(HkpostError, match='challenge_data must be the challenge_data list'):
        _challenges.pending([entry], 'dns-01')


def test_no_challenge_data_is_nothing_pending():
    assert _challenges.pending(None, 'dns-01') is False
    assert _challenges.pending([_data('www.example.hk')], 'dns-01') is True
    assert _challenges.pending([{'identifier': 'www.example.hk', 'challenges': None}], 'dns-01') is False


def test_txt_record_names_compare_without_the_root_dot_and_case_and_a_value_is_listed_once():
    one = _data('www.example.hk', txt='v')
    two = dict(one, challenges={'dns-01': dict(one['challenges']['dns-01'], record='_ACME-challenge.WWW.example.hk.')})
    assert _challenges.dns_records([one, two]) == {'_acme-challenge.www.example.hk': ['v']}


def test_a_token_file_shared_by_two_names_is_written_once():
    files, per_name = _challenges.iis_tokens(SITES, [_data('www.example.hk', token='T'),
                                                     _data('other.example.hk', token='T')])
    assert [f['path'] for f in files] == ['C:\\inetpub\\wwwroot\\.well-known\\acme-challenge\\T']
    assert set(per_name) == {'www.example.hk', 'other.example.hk'}
    assert files[0]['token'] == 'T' and files[0]['content'] == 'tok-1_A.thumb'


def test_a_name_is_placed_in_lower_case():
    files, per_name = _challenges.iis_tokens(SITES, [_data('SHOP.Example.hk', token='T1')])
    assert list(per_name) == ['shop.example.hk'] and files[0]['directory'] == 'D:\\shop\\.well-known\\acme-challenge'


@pytest.mark.parametrize('token', ['', 'a' * 257, 'a.b', 'a\\b'])
def test_a_token_that_is_not_base64url_of_1_to_256_characters_is_refused(token):
    data = _data('shop.example.hk')
    data['challenges']['http-01']['resource'] = '.well-known/acme-challenge/' + token
    with pytest.raises(HkpostError, match='not base64url'):
        _challenges.iis_tokens(SITES, [data])


def test_a_256_character_token_is_accepted():
    files, _per_name = _challenges.iis_tokens(SITES, [_data('shop.example.hk', token='a' * 256)])
    assert files[0]['token'] == 'a' * 256


ROOT = 'D:\\shop\\.well-known\\acme-challenge'


@pytest.mark.parametrize('place', [
    {'directory': ROOT, 'path': 'D:\\other\\T1'},                 # outside the directory
    {'directory': ROOT, 'path': ROOT + '\\sub\\T1'},              # below it
    {'directory': 'D:\\shop\\acme-challenge', 'path': 'D:\\shop\\acme-challenge\\T1'},
    {'path': ROOT + '\\T1'},
    {'directory': ROOT},
])
def test_a_published_entry_that_is_not_a_token_file_in_an_acme_challenge_directory_is_refused(place):
    with pytest.raises(HkpostError, match='is not a token file in an acme-challenge directory'):
        _challenges.published_tokens([place], [_data('shop.example.hk', token='T1')])


def test_published_paths_compare_without_case_and_are_removed_once():
    place = {'directory': ROOT.upper(), 'path': ROOT.upper() + '\\T1'}
    lower = {'directory': ROOT, 'path': ROOT + '\\T1'}
    files = _challenges.published_tokens([place, lower], [_data('shop.example.hk', token='T1')])
    assert files == [{'directory': ROOT.upper(), 'path': ROOT.upper() + '\\T1', 'token': 'T1', 'content': None}]
    assert _challenges.published_tokens(None, [_data('shop.example.hk', token='T1')]) == []


def test_no_sheet_is_no_orders():
    assert _orders.pending_orders(None, 'web1', '/in', [], file_name) == []


def test_a_short_row_is_read_with_its_missing_fields_empty():
    sheet = HEAD + 'web1,www.example.hk,standard,%s,/csr/www.csr\nweb1,a.example.hk,standard\n' % A
    [order] = _orders.pending_orders(sheet, 'web1', '/in', [], file_name)
    assert order['common_name'] == 'www.example.hk' and order['names'] == []


def test_a_row_without_a_host_is_not_this_hosts():
    sheet = 'common_name,public_key_sha256,csr_file,host\nwww.example.hk,%s,/csr/www.csr\n' % A
    assert _orders.pending_orders(sheet, 'web1', '/in', [], file_name) == []


def test_an_identifier_keeps_everything_after_its_type():
    result = {'authorizations_by_identifier': {'ip:2001:db8::1': {'status': 'pending'}}}
    assert _orders.order_problems([result]) == ['2001:db8::1: authorization pending']


def test_no_sites_read_means_no_site_answers_a_name():
    with pytest.raises(HkpostError, match='no IIS site answers www.example.hk'):
        _challenges.iis_tokens({}, [_data('www.example.hk')])


def test_text_that_merely_holds_the_word_identifier_is_not_challenge_data():
    with pytest.raises(HkpostError, match='challenge_data must be the challenge_data list'):
        _challenges.pending(['identifier: www.example.hk'], 'dns-01')


def test_the_acme_web_config_has_no_asp_net_section():
    # extensionless tokens are static files: the ASP.NET authorization section of the DCV web.config is left out
    assert '<system.web>' not in _challenges.WEB_CONFIG and 'fileExtension="."' in _challenges.WEB_CONFIG
