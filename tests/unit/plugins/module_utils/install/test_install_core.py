# -*- coding: utf-8 -*-
"""The pure core of completing, binding, Exchange and PFX decisions, without Ansible."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import (
    exchange_subject, parse_services, product)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import (
    current_bindings, parse_binding_information, plan)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import covers, normalize_thumbprint, split_leaf
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import (
    backup_path, choose_encryption, plan_backup)


@pytest.mark.parametrize('text,expected', [
    ('*:443:', ('*', 443, '')),
    ('*:443:WWW.Example.HK', ('*', 443, 'www.example.hk')),
    ('10.0.0.5:8443:', ('10.0.0.5', 8443, '')),
    ('[2001:db8::1]:443:www.example.hk', ('[2001:db8::1]', 443, 'www.example.hk')),
    (':443:', ('*', 443, '')),
])
def test_parse_binding_information(text, expected):
    assert parse_binding_information(text) == expected


def test_parse_binding_information_refuses_garbage():
    with pytest.raises(HkpostError, match='IP:PORT:HOST'):
        parse_binding_information('443')


def test_current_bindings_resolve_the_right_mapping():
    sites = [{'name': 'a', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:', 'ssl_flags': 0},
                                        {'protocol': 'https', 'binding_information': '*:443:x.hk', 'ssl_flags': 1},
                                        {'protocol': 'http', 'binding_information': '*:80:', 'ssl_flags': 0}]}]
    sslcert = {'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': 'aa' * 20, 'store': 'My'}],
               'hostnameport': [{'endpoint': 'x.hk:443', 'thumbprint': 'BB' * 20, 'store': 'WebHosting'}]}
    found = current_bindings(sites, sslcert)
    assert [(b['endpoint'], b['thumbprint'], b['store']) for b in found] == [
        ('0.0.0.0:443', 'AA' * 20, 'My'), ('x.hk:443', 'BB' * 20, 'WebHosting')]


@pytest.mark.parametrize('flags,sni,expected', [(0, True, 1), (12, True, 13), (13, False, 12), (2 | 64, True, 65),
                                                (1 | 4 | 8 | 16 | 32, True, 61)])
def test_ssl_flags_only_managed_bits_change(flags, sni, expected):
    sites = [{'name': 's', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:h.hk', 'ssl_flags': flags}]}]
    result = plan(sites, {}, {'site': 's', 'ip': '*', 'port': 443, 'host': 'h.hk', 'sni': sni,
                              'thumbprint': 'AA' * 20, 'store': 'My', 'state': 'present'})
    assert result['after']['ssl_flags'] == expected


def test_same_certificate_on_shared_mapping_is_no_conflict():
    sites = [{'name': 'a', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:', 'ssl_flags': 0}]},
             {'name': 'b', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:b.hk', 'ssl_flags': 0}]}]
    sslcert = {'ipport': [{'endpoint': '0.0.0.0:443', 'thumbprint': 'AA' * 20, 'store': 'My'}]}
    result = plan(sites, sslcert, {'site': 'a', 'ip': '*', 'port': 443, 'host': '', 'sni': False,
                                   'thumbprint': 'AA' * 20, 'store': 'My', 'state': 'present'})
    assert result['changed'] is False and result['shared_with'] == ['b']


@pytest.mark.parametrize('value', ['ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01',
                                   '\u200eABCDEF0123456789ABCDEF0123456789ABCDEF01',
                                   'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01'])
def test_normalize_thumbprint(value):
    assert normalize_thumbprint(value) == 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'


def test_covers_wildcard_one_label_only(pki):
    info = cert_info(pki.leaves['wildcard'].cert)
    assert covers(info, 'www.example.hk') and covers(info, 'example.hk')
    assert not covers(info, 'a.b.example.hk') and not covers(info, 'example.com')


def test_split_leaf_any_order(pki):
    leaf, chain = split_leaf(pki.root.pem + pki.ssl_new.pem + pki.leaves['standard'].pem)
    assert leaf == pki.leaves['standard'].cert and len(chain) == 2


def test_split_leaf_refuses_two_leaves(pki):
    with pytest.raises(HkpostError, match='2 server certificates'):
        split_leaf(pki.leaves['standard'].pem + pki.leaves['ev'].pem)


@pytest.mark.parametrize('build,requested,expected', [
    (20348, 'auto', 'AES256_SHA256'), (17763, 'auto', 'AES256_SHA256'), (17762, 'auto', 'TripleDES_SHA1'),
    (7601, 'auto', 'TripleDES_SHA1'), (20348, 'tripledes_sha1', 'TripleDES_SHA1'), (None, 'auto', 'TripleDES_SHA1')])
def test_choose_encryption(build, requested, expected):
    assert choose_encryption(build, requested) == expected


def test_aes_refused_for_old_build():
    with pytest.raises(HkpostError, match='Server 2019'):
        choose_encryption(14393, 'aes256_sha256')


def test_backup_path_one_file_per_host_and_certificate(tmp_path):
    assert backup_path(str(tmp_path), '../evil host', 'ab' * 20) == str(tmp_path / '_evil_host' / ('AB' * 20 + '.pfx'))


def test_plan_backup_garbage_file_is_an_error():
    with pytest.raises(HkpostError, match='exists but'):
        plan_backup(b'not a pfx', 'AB' * 20, 'pw')


@pytest.mark.parametrize('version,name', [('Version 14.3 (Build 123.4)', 'Exchange Server 2010'),
                                          ('Version 15.2 (Build 2562.17)', 'Exchange Server Subscription Edition'),
                                          ('garbage', 'Exchange (version not recognised)')])
def test_exchange_product(version, name):
    assert product(version)['product'] == name


def test_exchange_services_and_subject():
    assert parse_services('IMAP, POP, IIS, SMTP') == {'IMAP', 'POP', 'IIS', 'SMTP'}
    assert parse_services('None') == set()
    assert parse_services(['iis', 'smtp']) == {'IIS', 'SMTP'}
    assert exchange_subject([('C', 'HK'), ('ST', 'Hong Kong'), ('O', 'A "B", C'), ('CN', 'x.hk')]) == \
        'C=HK, S=Hong Kong, O="A ""B"", C", CN=x.hk'
