# -*- coding: utf-8 -*-
"""install/_pfx's rules (issue 21, mutation survivors), one test per rule: the encryption a host's build can read,
the backup file's name, what a PFX holds, when a backup is written again, and what a restore refuses."""

from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import (
    backup_path, choose_encryption, plan_backup, read_pfx, refuse_expired_restore, refuse_for_build,
    uses_aes)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info

PASSWORD = 'Pfx-Rules-7c1e'
AES_MIN_BUILD = 17763  # Windows Server 2019, the first build that reads an AES-256 PFX (a literal: the module's own may be mutated)


def pfx(key, cert, cas=None, password=PASSWORD, aes=True):
    if aes:
        encryption = serialization.BestAvailableEncryption(password.encode())
    else:
        encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                      .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
                      .hmac_hash(hashes.SHA1())
                      .build(password.encode()))
    return pkcs12.serialize_key_and_certificates(b'www', key, cert, cas, encryption)


def test_an_unknown_encryption_is_refused_by_name():
    with pytest.raises(HkpostError, match='encryption must be one of auto, aes256_sha256, tripledes_sha1, not "aes"'):
        choose_encryption(20348, 'aes')


@pytest.mark.parametrize('build,allowed', [(AES_MIN_BUILD, True), (AES_MIN_BUILD - 1, False), (None, False)])
def test_aes_is_chosen_on_request_only_from_build_17763(build, allowed):
    if allowed:
        assert choose_encryption(build, 'aes256_sha256') == 'AES256_SHA256'
    else:
        with pytest.raises(HkpostError, match='refused for a host of build %d' % (build or 0)):
            choose_encryption(build, 'aes256_sha256')


@pytest.mark.parametrize('build', [AES_MIN_BUILD, AES_MIN_BUILD - 1, None])
def test_tripledes_on_request_for_any_host(build):
    assert choose_encryption(build, 'tripledes_sha1') == 'TripleDES_SHA1'


@pytest.mark.parametrize('host,folder', [(None, 'host'), ('..', 'host'), ('.web1.', 'web1'), ('web-1.example_hk', 'web-1.example_hk')])
def test_the_backup_folder_is_the_host_name_made_safe(tmp_path, host, folder):
    assert backup_path(str(tmp_path), host, 'ab' * 20) == str(tmp_path / folder / ('AB' * 20 + '.pfx'))


def test_a_pfx_is_read_with_its_key_and_chain(pki):
    leaf = pki.leaves['standard']
    found = read_pfx(pfx(leaf.key, leaf.cert, [pki.ssl_new.cert, pki.root.cert]), PASSWORD)
    assert found['certificate']['sha1'] == leaf.thumbprint and found['has_private_key'] is True
    assert found['chain'] == [cert_info(pki.ssl_new.cert)['subject_cn'], cert_info(pki.root.cert)['subject_cn']]


def test_a_pfx_without_a_password_opens_with_none(pki):
    leaf = pki.leaves['standard']
    data = pkcs12.serialize_key_and_certificates(b'www', leaf.key, leaf.cert, None, serialization.NoEncryption())
    assert read_pfx(data, None)['certificate']['sha1'] == leaf.thumbprint


def test_a_wrong_password_names_both_causes_and_the_file(pki):
    leaf = pki.leaves['standard']
    with pytest.raises(HkpostError, match=r'^PFX file x\.pfx could not be opened with the password given: the password '
                                          r'is wrong, or the file .* is damaged \(.*\)\. Nothing was changed\.$'):
        read_pfx(pfx(leaf.key, leaf.cert), 'wrong', 'PFX file x.pfx')


@pytest.mark.parametrize('with_key', [True, False], ids=['only a key', 'only a certificate'])
def test_a_pfx_without_a_certificate_and_its_key_is_not_a_backup(pki, with_key):
    # cryptography's load_pkcs12 returns as ``cert`` only the certificate of the key (a keyless PFX's goes to
    # additional_certs), so read_pfx never returns has_private_key False.
    leaf = pki.leaves['standard']
    data = pfx(leaf.key, None) if with_key else pfx(None, leaf.cert)
    with pytest.raises(HkpostError, match='holds no certificate with a private key'):
        read_pfx(data, PASSWORD)


def test_a_backup_is_written_when_missing_forced_or_of_another_certificate(pki):
    leaf, other = pki.leaves['standard'], pki.leaves['wildcard']
    same = pfx(leaf.key, leaf.cert)
    assert plan_backup(None, leaf.thumbprint, PASSWORD) == {'write': True, 'reason': 'no backup yet'}
    assert plan_backup(same, leaf.thumbprint, PASSWORD, force=True) == {'write': True, 'reason': 'force: true'}
    assert plan_backup(same, leaf.thumbprint, PASSWORD) == {
        'write': False, 'reason': 'the backup exists and opens with this password'}
    assert plan_backup(pfx(other.key, other.cert), leaf.thumbprint, PASSWORD) == {
        'write': True, 'reason': 'the file holds %s' % other.thumbprint}


def test_a_backup_that_does_not_open_says_so_and_how_to_replace_it(pki):
    leaf = pki.leaves['standard']
    with pytest.raises(HkpostError) as e:
        plan_backup(pfx(leaf.key, leaf.cert), leaf.thumbprint, 'wrong', what='backup file b.pfx')
    message = str(e.value)
    assert message.startswith('backup file b.pfx exists but could not be opened with the password given: ')
    assert message.endswith('Give the password it was made with, or force: true to replace it.')
    assert 'Nothing was changed' not in message


def test_aes_pfx_refused_before_build_17763_only(pki):
    leaf = pki.leaves['standard']
    aes, des = pfx(leaf.key, leaf.cert), pfx(leaf.key, leaf.cert, aes=False)
    assert uses_aes(aes) and not uses_aes(des)
    for build in (None, AES_MIN_BUILD - 1):
        with pytest.raises(HkpostError, match='AES-256 encrypted, which this host'):
            refuse_for_build(aes, build)
        refuse_for_build(des, build)
    refuse_for_build(aes, AES_MIN_BUILD)


def test_an_expired_restore_is_refused_unless_allowed_then_warned(pki):
    now = datetime.datetime.now(datetime.timezone.utc)
    expired, valid = cert_info(pki.leaves['expired'].cert), cert_info(pki.leaves['standard'].cert)
    assert refuse_expired_restore(valid, False) is None and refuse_expired_restore(valid, True) is None
    with pytest.raises(HkpostError, match='which expired on .*allow_expired: true'):
        refuse_expired_restore(expired, now=now)  # refused by default
    warning = refuse_expired_restore(expired, True, 'PFX file old.pfx', now=now)
    assert warning.startswith('PFX file old.pfx holds ') and warning.endswith('restored because allow_expired is true.')
