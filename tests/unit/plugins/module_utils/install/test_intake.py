# -*- coding: utf-8 -*-
"""The intake: certificates matched to pending requests by key, and every refusal, with the test PKI."""

from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives import serialization

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import (
    list_intake, match_intake, merge_requests, normalize_requests, read_sheet)
from tests.support.pki import IDN_ASCII, rsa_key


def request(host, issued, cn, certificate_type='standard', names=()):
    return {'host': host, 'common_name': cn, 'certificate_type': certificate_type,
            'public_key_sha256': spki_sha256(issued.key.public_key()), 'names': list(names),
            'pending_thumbprint': None}


def kinds(result):
    return sorted(f['kind'] for f in result['findings'])


def test_matches_by_key_whatever_the_file_names_and_formats(pki):
    std, wild, idn = pki.leaves['standard'], pki.leaves['wildcard'], pki.leaves['idn']
    requests = [request('web1', std, 'www.example.hk'), request('web2', wild, '*.example.hk', 'wildcard'),
                request('web2', idn, IDN_ASCII)]
    files = [{'name': 'download.cer', 'data': wild.der},                                    # DER
             {'name': 'cert (2).crt', 'data': std.pem + pki.ssl_new.pem + pki.root.pem},  # chain appended
             {'name': 'x', 'data': ('\ufeff' + idn.pem).replace('\n', '\r\n').encode()}]  # BOM, CRLF, no suffix
    result = match_intake(files, requests)
    assert result['findings'] == []
    assert sorted(result['assignments']) == ['web1', 'web2']
    web1 = result['assignments']['web1']
    assert [c['thumbprint'] for c in web1] == [std.thumbprint]
    assert web1[0]['file'] == 'cert (2).crt'
    assert web1[0]['chain'] == ['Hongkong Post e-Cert SSL CA 3 - 17', 'Hongkong Post Root CA 3']
    assert web1[0]['pem'].startswith(std.pem) and pki.ssl_new.pem in web1[0]['pem']
    assert sorted(c['thumbprint'] for c in result['assignments']['web2']) == sorted([wild.thumbprint, idn.thumbprint])
    assert result['waiting'] == []


def test_stray_file_is_reported_with_subject_and_spki_and_left_alone(pki):
    std, multi = pki.leaves['standard'], pki.leaves['multi_domain']
    result = match_intake([{'name': 'a.pem', 'data': std.pem}, {'name': 'stray.pem', 'data': multi.pem}],
                          [request('web1', std, 'www.example.hk')])
    assert kinds(result) == ['no_match']
    stray = result['findings'][0]
    assert stray['severity'] == 'warning' and stray['file'] == 'stray.pem'
    assert stray['public_key_sha256'] == spki_sha256(multi.key.public_key())
    assert 'CN=www.example.hk' in stray['subject'] and stray['public_key_sha256'] in stray['message']
    # the intake cannot know whether it is installed somewhere (an earlier cycle's): it does not say it is not
    assert 'installed anywhere' not in stray['message'] and 'installed in an earlier cycle' in stray['message']
    assert [c['thumbprint'] for c in result['assignments']['web1']] == [std.thumbprint]


def test_same_certificate_in_two_files_is_used_once_preferring_the_copy_with_the_chain(pki):
    std = pki.leaves['standard']
    result = match_intake([{'name': 'a.cer', 'data': std.der},
                           {'name': 'b.pem', 'data': std.pem + pki.ssl_new.pem}],
                          [request('web1', std, 'www.example.hk')])
    assert kinds(result) == ['duplicate']
    assert result['findings'][0]['severity'] == 'warning'
    (only,) = result['assignments']['web1']
    assert only['file'] == 'b.pem' and only['files'] == ['a.cer', 'b.pem']


def test_two_different_certificates_for_one_request_install_neither(pki):
    std = pki.leaves['standard']
    reissued = pki.issue_leaf('www.example.hk', key=std.key, not_before=pki.now - datetime.timedelta(days=2))
    result = match_intake([{'name': 'first.cer', 'data': std.pem}, {'name': 'second.cer', 'data': reissued.pem}],
                          [request('web1', std, 'www.example.hk')])
    assert kinds(result) == ['conflict']
    assert result['findings'][0]['severity'] == 'error'
    assert std.thumbprint in result['findings'][0]['message'] and reissued.thumbprint in result['findings'][0]['message']
    assert result['assignments'] == {}


@pytest.mark.parametrize('leaf, cn, kind', [
    ('expired', 'old.example.hk', 'expired'),
    ('foreign', 'www.example.com', 'not_hkpost'),
    ('trial', 'trial.example.hk', 'not_hkpost'),
    ('under_old', 'legacy.example.hk', 'old_intermediate'),
])
def test_refused_certificates_are_not_assigned(pki, leaf, cn, kind):
    issued = pki.leaves[leaf]
    result = match_intake([{'name': leaf + '.cer', 'data': issued.pem}], [request('web1', issued, cn)])
    assert kinds(result) == [kind]
    finding = result['findings'][0]
    assert finding['severity'] == 'error' and finding['host'] == 'web1' and finding['file'] == leaf + '.cer'
    assert result['assignments'] == {}


def test_names_other_than_requested_are_refused(pki):
    key = rsa_key(slot='intake-names')
    extra = pki.issue_leaf('www.example.hk', sans=['www.example.hk', 'evil.example.hk'], key=key)
    result = match_intake([{'name': 'n.cer', 'data': extra.pem}], [request('web1', extra, 'www.example.hk')])
    assert kinds(result) == ['names']
    assert 'also names evil.example.hk' in result['findings'][0]['message']
    other = pki.issue_leaf('shop.example.hk', key=key)
    result = match_intake([{'name': 'n.cer', 'data': other.pem}], [request('web1', other, 'www.example.hk')])
    assert kinds(result) == ['names']
    assert 'lacks www.example.hk' in result['findings'][0]['message']


def test_names_a_request_may_carry_without_listing_them(pki):
    wild, multi = pki.leaves['wildcard'], pki.leaves['multi_domain']
    # A wildcard also names its base domain; a multi-domain sheet row may list only the common name.
    requests = [request('web1', wild, '*.example.hk', 'wildcard'), request('web2', multi, 'www.example.hk', 'multi_domain')]
    result = match_intake([{'name': 'w', 'data': wild.pem}, {'name': 'm', 'data': multi.pem}], requests)
    assert result['findings'] == []
    # ... but when the sheet lists the names applied for, every other name is refused.
    listed = [request('web2', multi, 'www.example.hk', 'multi_domain', names=['www.example.hk', 'shop.example.hk'])]
    result = match_intake([{'name': 'm', 'data': multi.pem}], listed)
    assert kinds(result) == ['names'] and 'mail.example.com.hk' in result['findings'][0]['message']


def test_unreadable_files_are_named(pki):
    csr_like = pki.leaves['standard'].key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption())
    files = [{'name': 'key.pem', 'data': csr_like}, {'name': 'notes', 'data': b'hello'},
             {'name': 'ca-only.pem', 'data': pki.ssl_new.pem.encode()}]
    result = match_intake(files, [request('web1', pki.leaves['standard'], 'www.example.hk')])
    assert kinds(result) == ['unreadable'] * 3
    messages = {f['file']: f['message'] for f in result['findings']}
    assert 'private key' in messages['key.pem'] and 'only CA certificates' in messages['ca-only.pem']
    assert result['waiting'] == [{'host': 'web1', 'common_name': 'www.example.hk',
                                  'public_key_sha256': spki_sha256(pki.leaves['standard'].key.public_key())}]


def test_chain_with_the_old_intermediate_is_dropped_and_reported(pki):
    std = pki.leaves['standard']
    result = match_intake([{'name': 'c.pem', 'data': std.pem + pki.ssl_old.pem}], [request('web1', std, 'www.example.hk')])
    assert kinds(result) == ['chain_old_intermediate']
    assert result['assignments']['web1'][0]['pem'] == std.pem


def test_read_sheet_needs_its_columns_and_skips_check_mode_rows(pki):
    spki = spki_sha256(pki.leaves['standard'].key.public_key())
    sheet = ('host,common_name,certificate_type,public_key_sha256,csr_file,names,pending_thumbprint\n'
             'web1,www.example.hk,standard,%s,/x.csr,www.example.hk,ab12\n'
             'web2,shop.example.hk,standard,(check mode),,,\n' % spki)
    assert read_sheet(sheet) == [{'host': 'web1', 'common_name': 'www.example.hk', 'certificate_type': 'standard',
                                  'public_key_sha256': spki, 'names': ['www.example.hk'], 'pending_thumbprint': 'AB12'}]
    with pytest.raises(HkpostError, match='lacks public_key_sha256'):
        read_sheet('host,common_name\nweb1,www.example.hk\n')


def test_requests_merge_one_per_host_and_key(pki):
    spki = spki_sha256(pki.leaves['standard'].key.public_key())
    sheet = [{'host': 'web1', 'common_name': 'www.example.hk', 'certificate_type': 'standard',
              'public_key_sha256': spki, 'names': [], 'pending_thumbprint': None}]
    given = normalize_requests([{'host': 'web1', 'public_key_sha256': spki.lower(), 'pending_thumbprint': 'cd34'}])
    assert merge_requests(sheet, given) == [dict(sheet[0], pending_thumbprint='CD34')]
    with pytest.raises(HkpostError, match=r'requests\[0\]'):
        normalize_requests([{'host': 'web1', 'public_key_sha256': 'short'}])


def test_list_intake_skips_sheets_keys_and_hidden_files(tmp_path, pki):
    for name in ('cert.cer', 'download', 'submission.csv', '.DS_Store', 'backup.pfx'):
        (tmp_path / name).write_bytes(pki.leaves['standard'].der)
    (tmp_path / 'sub').mkdir()
    assert [f['name'] for f in list_intake(str(tmp_path))] == ['cert.cer', 'download']
    with pytest.raises(HkpostError, match='does not exist'):
        list_intake(str(tmp_path / 'missing'))


# ---- issue 22: a damaged sheet is refused, never read around ---------------------------------------------

SHEET_HEAD = 'host,common_name,certificate_type,public_key_sha256,csr_file,names,pending_thumbprint\n'


def test_a_row_whose_key_hash_was_damaged_is_refused_not_skipped(pki):
    spki = spki_sha256(pki.leaves['standard'].key.public_key())
    damaged = spki[:-1] + 'Z'
    sheet = SHEET_HEAD + 'web1,www.example.hk,standard,%s,/x.csr,www.example.hk,\n' % damaged
    with pytest.raises(HkpostError, match=r'line 2 \(web1, www\.example\.hk\): public_key_sha256 "%s" is not 64 '
                                          r'hexadecimal digits' % damaged):
        read_sheet(sheet)
    with pytest.raises(HkpostError, match=r'is not 64 hexadecimal digits'):
        read_sheet(SHEET_HEAD + 'web1,www.example.hk,standard,%s,,,\n' % spki[:40])


def test_one_public_key_under_two_hosts_is_refused(pki):
    spki = spki_sha256(pki.leaves['standard'].key.public_key())
    sheet = SHEET_HEAD + ('web1,www.example.hk,standard,%s,,www.example.hk,\n'
                          'web2,www.example.hk,standard,%s,,www.example.hk,\n' % (spki, spki.lower()))
    with pytest.raises(HkpostError, match=r'line 3: the public key %s\.\.\. is listed for web1 \(line 2\) and for web2'
                                          % spki[:16]):
        read_sheet(sheet)


def test_one_key_for_two_certificates_of_one_host_stays_one_request_each(pki):
    # Two rows of one host with one key is a rerun's duplicate row, not two owners: merge_requests keeps one.
    spki = spki_sha256(pki.leaves['standard'].key.public_key())
    sheet = SHEET_HEAD + ('web1,www.example.hk,standard,%s,,,\n' % spki) * 2
    assert len(merge_requests(read_sheet(sheet))) == 1
