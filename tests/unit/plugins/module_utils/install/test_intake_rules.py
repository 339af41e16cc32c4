# -*- coding: utf-8 -*-
"""install/_intake's rules (issue 21, third round of mutation survivors), one test per rule: what the sheet and the
requests given as data default to, which names a request allows, what a refusal message names, the intake's clock,
the order of the findings, which copy and chain are installed, and how write_sheet keeps the other hosts' rows."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import (
    match_intake, merge_requests, normalize_requests, read_sheet, write_sheet)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.pki import DAY, Issued, make_cert, rsa_key
from tests.unit.plugins.module_utils.install.test_acme_issuer import (  # noqa: F401  # pylint: disable=unused-import
    FILE, _record, _request, acme_ca)
from tests.unit.plugins.module_utils.install.test_intake import kinds, request

HEAD = 'host,common_name,certificate_type,public_key_sha256,csr_file,names,pending_thumbprint\n'


def _spki(issued):
    return spki_sha256(issued.key.public_key())


# ---- the sheet ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('text, has', [('', 'nothing'), ('host,common_name\nweb1,www.example.hk\n', 'host, common_name')])
def test_a_sheet_without_its_columns_says_what_its_header_holds(text, has):
    with pytest.raises(HkpostError, match=r'lacks .*public_key_sha256 \(it has %s\)' % has):
        read_sheet(text)


def test_rows_without_a_host_or_a_key_are_skipped(pki):
    spki = _spki(pki.leaves['standard'])
    # a row with an empty key is one request.yml wrote in check mode; a row without a host names no one
    sheet = HEAD + ',www.example.hk,standard,%s,,,\nweb2,shop.example.hk,standard,,,,\n' % spki
    assert read_sheet(sheet) == []


def test_a_short_row_reads_its_missing_columns_as_empty(pki):
    # csv.DictReader gives None for the columns a short row lacks; the key column comes first here
    std, wild = pki.leaves['standard'], pki.leaves['wildcard']
    sheet = ('host,public_key_sha256,common_name,certificate_type,names,pending_thumbprint\n'
             'web1,%s\nweb2,%s,*.Example.hk,wildcard\nweb3,%s,ev.example.hk,,\n'
             % (_spki(std), _spki(wild), _spki(pki.leaves['ev'])))
    assert [(r['host'], r['common_name'], r['certificate_type'], r['names'], r['pending_thumbprint'])
            for r in read_sheet(sheet)] == [('web1', '', 'standard', [], None),
                                            ('web2', '*.example.hk', 'wildcard', [], None),
                                            ('web3', 'ev.example.hk', 'standard', [], None)]
    with pytest.raises(HkpostError, match=r'line 2 \(web1, \): public_key_sha256 "abc" is not 64'):
        read_sheet('host,public_key_sha256,common_name\nweb1,abc\n')


# ---- requests given as data ---------------------------------------------------------------------------------------

def test_requests_as_data_default_and_normalise_like_the_sheet(pki):
    spki = _spki(pki.leaves['standard'])
    assert normalize_requests(None) == []
    given = normalize_requests([{'host': 'web1', 'public_key_sha256': spki.lower(), 'common_name': 'WWW.Example.HK',
                                 'certificate_type': 'wildcard', 'names': ['WWW.Example.HK', 'Shop.example.hk'],
                                 'pending_thumbprint': 'ab12'},
                                {'host': 'web2', 'public_key_sha256': spki}])
    assert given == [{'host': 'web1', 'common_name': 'www.example.hk', 'certificate_type': 'wildcard',
                      'public_key_sha256': spki, 'names': ['www.example.hk', 'shop.example.hk'],
                      'pending_thumbprint': 'AB12'},
                     {'host': 'web2', 'common_name': '', 'certificate_type': 'standard', 'public_key_sha256': spki,
                      'names': [], 'pending_thumbprint': None}]


@pytest.mark.parametrize('raw', [{'public_key_sha256': 'AB' * 32}, {'host': 'web1'}, {'host': '', 'public_key_sha256': 'AB' * 32},
                                 # 64 characters but not hexadecimal: no certificate's key hash could ever match it
                                 {'host': 'web1', 'public_key_sha256': 'gh' * 32}])
def test_a_request_as_data_needs_its_host_and_key(raw):
    with pytest.raises(HkpostError, match=r'requests\[0\] needs host and public_key_sha256'):
        normalize_requests([raw])


def test_a_later_source_fills_only_what_the_earlier_lacked(pki):
    spki = _spki(pki.leaves['wildcard'])
    sheet = [{'host': 'web2', 'common_name': '*.example.hk', 'certificate_type': 'wildcard', 'public_key_sha256': spki,
              'names': [], 'pending_thumbprint': None}]
    given = normalize_requests([{'host': 'web2', 'public_key_sha256': spki, 'common_name': 'other.example.hk',
                                 'pending_thumbprint': 'cd34'}])
    assert merge_requests(sheet, given) == [dict(sheet[0], pending_thumbprint='CD34')]


# ---- the names a request allows, and what a refusal says ------------------------------------------------------

def test_the_common_name_leads_the_names_applied_for_and_is_listed_once(pki):
    key = rsa_key(slot='intake-names')
    cert = pki.issue_leaf('www.example.hk', sans=['www.example.hk'], key=key)
    for names in (['shop.example.hk'], ['shop.example.hk', 'www.example.hk']):
        result = match_intake([{'name': 'n.cer', 'data': cert.pem}], [request('web1', cert, 'www.example.hk', names=names)])
        assert [f['message'] for f in result['findings']] == [
            'n.cer: the certificate for www.example.hk on web1: it names www.example.hk but the request was for %s: '
            'it lacks shop.example.hk. Check the application with Hongkong Post.'
            % ('www.example.hk, shop.example.hk' if len(names) == 1 else 'shop.example.hk, www.example.hk')]


def test_a_request_without_a_common_name_is_checked_by_its_names_and_labelled_by_its_key(pki):
    std = pki.leaves['standard']
    label = 'for %s on web1' % _spki(std)[:16]
    result = match_intake([{'name': 's.cer', 'data': std.pem}], [request('web1', std, '', names=['www.example.hk'])])
    assert result['findings'] == []
    # the assignment takes the certificate's common name
    assert result['assignments']['web1'][0]['common_name'] == 'www.example.hk'
    # nothing applied for: every name the certificate carries is extra, and the request is named by its key
    result = match_intake([{'name': 's.cer', 'data': std.pem}], [request('web1', std, '')])
    assert [f['message'] for f in result['findings']] == [
        's.cer: the certificate %s: it names www.example.hk but the request was for ?: it also names www.example.hk. '
        'Check the application with Hongkong Post.' % label]
    # a request with no names field at all is checked by its common name
    bare = {k: v for k, v in request('web1', std, 'www.example.hk').items() if k != 'names'}
    assert match_intake([{'name': 's.cer', 'data': std.pem}], [bare])['findings'] == []


def test_only_a_wildcard_brings_its_base_domain(pki):
    key = rsa_key(slot='intake-names')
    cert = pki.issue_leaf('x.example.hk', sans=['x.example.hk', 'example.hk'], key=key)
    result = match_intake([{'name': 'x.cer', 'data': cert.pem}], [request('web1', cert, 'x.example.hk')])
    assert kinds(result) == ['names'] and result['findings'][0]['message'].endswith(
        'it names x.example.hk, example.hk but the request was for x.example.hk: it also names example.hk. '
        'Check the application with Hongkong Post.')


def test_a_missing_name_alone_is_refused_and_both_problems_are_named(pki):
    key = rsa_key(slot='intake-names')
    cert = pki.issue_leaf('www.example.hk', sans=['www.example.hk', 'mail.example.hk'], key=key)
    lacks = match_intake([{'name': 'n.cer', 'data': cert.pem}],
                         [request('web1', cert, 'www.example.hk', names=['mail.example.hk', 'shop.example.hk'])])
    assert [f['message'].split(': it ')[-1] for f in lacks['findings']] == [
        'lacks shop.example.hk. Check the application with Hongkong Post.']
    both = match_intake([{'name': 'n.cer', 'data': cert.pem}],
                        [request('web1', cert, 'www.example.hk', names=['shop.example.hk'])])
    assert [f['message'].split(': it ')[-1] for f in both['findings']] == [
        'lacks shop.example.hk and also names mail.example.hk. Check the application with Hongkong Post.']


def test_a_certificate_naming_nothing_says_so(pki):
    key = rsa_key(slot='intake-names')
    # a subject without a common name and no subjectAltName (only an organisation)
    cert = Issued(make_cert(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Example Ltd')]), key,
                            pki.ssl_new.cert.subject, pki.ssl_new.key, pki.now - DAY, pki.now + 90 * DAY, ca=False), key)
    result = match_intake([{'name': 'n.cer', 'data': cert.pem}], [request('web1', cert, 'www.example.hk')])
    assert kinds(result) == ['names'] and 'it names nothing but the request was for www.example.hk' in (
        result['findings'][0]['message'])


def test_the_assignment_keeps_the_requested_common_name_not_the_subject(pki):
    key = rsa_key(slot='intake-names')
    cert = pki.issue_leaf('shop.example.hk', sans=['www.example.hk', 'shop.example.hk'], key=key)
    result = match_intake([{'name': 'n.cer', 'data': cert.pem}],
                          [request('web1', cert, 'www.example.hk', names=['shop.example.hk'])])
    assert result['findings'] == [] and result['assignments']['web1'][0]['common_name'] == 'www.example.hk'
    assert result['assignments']['web1'][0]['issuer'] == 'hkpost'
    assert 'acme_directory' not in result['assignments']['web1'][0]


# ---- the clock -------------------------------------------------------------------------------------------------

def test_the_intake_judges_at_the_time_given_and_at_the_clock_by_default(pki, acme_ca):
    std = pki.leaves['standard']
    files = [{'name': 's.cer', 'data': std.pem}]
    assert kinds(match_intake(files, [request('web1', std, 'www.example.hk')], now=pki.now + 400 * DAY)) == ['expired']
    # without a time the ACME path check (each intermediate's expiry) runs at the clock too
    root, inter, leaf = acme_ca
    result = match_intake([{'name': FILE, 'data': (leaf.pem + inter.pem).encode()}], [_request(leaf)],
                          acme={'issuers': {'web1': [root.cert]}, 'records': {FILE: _record(leaf)}})
    assert result['findings'] == [] and result['assignments']['web1'][0]['issuer'] == 'acme'


def test_a_certificate_valid_from_a_later_date_is_assigned_with_a_warning(pki):
    key = rsa_key(slot='intake-names')
    cert = pki.issue_leaf('www.example.hk', key=key, not_before=pki.now + 3 * DAY)
    result = match_intake([{'name': 'n.cer', 'data': cert.pem}], [request('web1', cert, 'www.example.hk')], now=pki.now)
    assert kinds(result) == ['not_yet_valid'] and result['findings'][0]['severity'] == 'warning'
    assert [c['thumbprint'] for c in result['assignments']['web1']] == [cert.thumbprint]


# ---- hosts, copies, order ----------------------------------------------------------------------------------------

def test_a_certificate_for_a_host_outside_the_run_is_left_for_it(pki):
    std, wild = pki.leaves['standard'], pki.leaves['wildcard']
    result = match_intake([{'name': 's.cer', 'data': std.pem}, {'name': 'w.cer', 'data': wild.pem}],
                          [request('web1', std, 'www.example.hk'), request('web2', wild, '*.example.hk', 'wildcard')],
                          hosts=['web1'])
    assert kinds(result) == ['other_host'] and result['findings'][0]['host'] == 'web2'
    assert list(result['assignments']) == ['web1']


def test_copies_with_chains_of_one_length_use_the_first_name(pki):
    std = pki.leaves['standard']
    result = match_intake([{'name': 'b.cer', 'data': std.pem}, {'name': 'a.cer', 'data': std.der}],
                          [request('web1', std, 'www.example.hk')])
    assert kinds(result) == ['duplicate'] and result['assignments']['web1'][0]['file'] == 'a.cer'


def test_findings_are_sorted_errors_first_then_kind_file_and_host(pki):
    std, wild = pki.leaves['standard'], pki.leaves['wildcard']
    # requests in the order web2 then web1 (one key under two hosts, as data can give it), and the wildcard's file
    # "a" after the standard's "z" in request order
    requests = [request('web2', std, 'www.example.hk'), request('web1', std, 'www.example.hk'),
                request('web3', wild, '*.example.hk', 'wildcard')]
    result = match_intake([{'name': 'z.cer', 'data': std.pem}, {'name': 'a.cer', 'data': wild.pem},
                           {'name': 'stray.cer', 'data': pki.leaves['ev'].pem}], requests, now=pki.now + 400 * DAY)
    assert [(f['kind'], f['file'], f.get('host')) for f in result['findings']] == [
        ('expired', 'a.cer', 'web3'), ('expired', 'z.cer', 'web1'), ('expired', 'z.cer', 'web2'),
        ('no_match', 'stray.cer', None)]


# ---- the ACME side of the intake --------------------------------------------------------------------------------

def test_acme_without_records_refuses_as_not_ordered(pki, acme_ca):
    root, inter, leaf = acme_ca
    result = match_intake([{'name': FILE, 'data': (leaf.pem + inter.pem).encode()}], [_request(leaf)], now=pki.now,
                          acme={'issuers': {'web1': [root.cert]}})
    assert kinds(result) == ['not_hkpost'] and 'the ACME phase did not order it' in result['findings'][0]['message']


@pytest.mark.parametrize('with_chain', [True, False])
def test_an_acme_pem_carries_its_signer_once(pki, acme_ca, with_chain):
    _root, inter, leaf = acme_ca
    data = leaf.pem + (inter.pem if with_chain else '')
    result = match_intake([{'name': FILE, 'data': data.encode()}], [_request(leaf)], now=pki.now,
                          acme={'issuers': {'web1': [inter.cert]}, 'records': {FILE: _record(leaf)}})
    assert result['findings'] == []
    (cert,) = result['assignments']['web1']
    assert cert['pem'] == leaf.pem + inter.pem and cert['acme_directory'] == 'https://acme.example/dir'


# ---- write_sheet --------------------------------------------------------------------------------------------------

def _row(host, cn, spki='AB' * 32):
    return {'host': host, 'common_name': cn, 'certificate_type': 'standard', 'public_key_sha256': spki,
            'csr_file': None, 'names': cn, 'pending_thumbprint': None}


def test_write_sheet_keeps_the_rows_of_hosts_not_replaced_sorted_under_its_header():
    existing = ('\ufeff' + HEAD + 'web1,old.example.hk,standard,%s,,,\nweb3,keep.example.hk,standard,%s,,,\n'
                ',nohost.example.hk,standard,%s,,,\n' % ('CD' * 32, 'EF' * 32, '12' * 32))
    text = write_sheet([_row('web2', 'b.example.hk'), _row('web1', 'new.example.hk')], existing, ['web1'])
    assert text == (HEAD + 'web1,new.example.hk,standard,%s,,new.example.hk,\n' % ('AB' * 32)
                    + 'web2,b.example.hk,standard,%s,,b.example.hk,\n' % ('AB' * 32)
                    + 'web3,keep.example.hk,standard,%s,,,\n' % ('EF' * 32))
    assert write_sheet([_row('web2', 'b.example.hk')]) == HEAD + 'web2,b.example.hk,standard,%s,,b.example.hk,\n' % ('AB' * 32)
