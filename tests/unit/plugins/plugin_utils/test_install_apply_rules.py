# -*- coding: utf-8 -*-
"""Rules of the shared install writes (plugin_utils/_install_apply.py), each named by its test (issue 21, mutation
survivors of its first run): a certificate without its key has no backup, a backup destination that cannot be a file
is refused before anything is exported or written, the host's export is read back (the certificate asked for) before
it is written owner-only, and retiring backs up first and removes exactly the retired certificates after.

The action is a recorder of the two calls the module makes (export_pfx and payload), answering the PFX the host
would export: what plugins/plugin_utils/_action.py's export_pfx returns, ``{thumbprint: PFX bytes}``.
"""

from __future__ import annotations

import base64
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import read_pfx
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_apply import (
    backup_and_retire, exported_pfx, keep_backups, plan_backups, write_backups)

PASSWORD = 'Backup-Rules-51c3'
HOST = {'inventory_hostname': 'web1'}


def pfx(issued, password=PASSWORD):
    return pkcs12.serialize_key_and_certificates(b'www', issued.key, issued.cert, None,
                                                 serialization.BestAvailableEncryption(password.encode()))


class Host:
    """Records export_pfx and payload calls in order; exports what ``held`` maps a thumbprint to."""

    def __init__(self, held=None):
        self.held = held or {}
        self.calls = []

    def export_pfx(self, task_vars, items, encryption, include_chain, password):
        self.calls.append(('export_pfx', items, encryption, include_chain, password))
        return {thumbprint: self.held.get(thumbprint, b'') for _store, thumbprint in items}

    def payload(self, task_vars, name, parameters):
        self.calls.append((name, parameters))
        return {}


def planned(tmp_path, issued, write=True):
    path = str(tmp_path / 'web1' / ('%s.pfx' % issued.thumbprint))
    return {'thumbprint': issued.thumbprint, 'store': 'My', 'path': path, 'write': write, 'reason': 'no backup yet'}


# plan_backups


def test_a_certificate_without_its_key_has_no_backup(tmp_path):
    assert plan_backups(str(tmp_path), PASSWORD, 'web1', [('My', 'AB' * 20, False)]) == [
        {'thumbprint': 'AB' * 20, 'store': 'My', 'path': None, 'write': False, 'reason': 'no private key on the host'}]


def test_a_backup_destination_that_is_a_directory_is_refused_before_anything_is_exported(tmp_path):
    os.makedirs(str(tmp_path / 'web1' / ('AB' * 20 + '.pfx')))
    with pytest.raises(HkpostError, match='is a directory on the controller'):
        plan_backups(str(tmp_path), PASSWORD, 'web1', [('My', 'AB' * 20, True)])


# write_backups


def test_nothing_to_write_exports_nothing(tmp_path, pki):
    host = Host()
    assert write_backups(host, HOST, 20348, PASSWORD, [planned(tmp_path, pki.leaves['standard'], write=False)]) == {}
    assert host.calls == []


@pytest.mark.parametrize('build,encryption,chosen', [(20348, None, 'AES256_SHA256'), (14393, None, 'TripleDES_SHA1'),
                                                     (20348, 'tripledes_sha1', 'TripleDES_SHA1')])
def test_backups_are_exported_with_the_chain_and_the_encryption_the_host_can_read(tmp_path, pki, build, encryption, chosen):
    leaf = pki.leaves['standard']
    host = Host({leaf.thumbprint: pfx(leaf)})
    written = write_backups(host, HOST, build, PASSWORD, [planned(tmp_path, leaf)], encryption)
    assert host.calls == [('export_pfx', [('My', leaf.thumbprint)], chosen, True, PASSWORD)]
    assert written[leaf.thumbprint]['certificate']['sha1'] == leaf.thumbprint


# exported_pfx / keep_backups: the read-back


@pytest.mark.parametrize('answer', [{}, {'exports': None}, {'exports': [None, {'thumbprint': 'CD' * 20}]},
                                    {'exports': [{'thumbprint': 'AB' * 20, 'pfx': None}]}])
def test_a_certificate_the_host_did_not_export_reads_as_empty(answer):
    backups = [{'thumbprint': 'AB' * 20, 'write': True}, {'thumbprint': 'EF' * 20, 'write': False}]
    assert exported_pfx(answer, backups) == {'AB' * 20: b''}


def test_an_exported_pfx_is_decoded(pki):
    data = pfx(pki.leaves['standard'])
    answer = {'exports': [{'thumbprint': 'AB' * 20, 'pfx': base64.b64encode(data).decode()}]}
    assert exported_pfx(answer, [{'thumbprint': 'AB' * 20, 'write': True}]) == {'AB' * 20: data}


def test_the_export_of_another_certificate_is_refused_and_not_written(tmp_path, pki):
    leaf, other = pki.leaves['standard'], pki.leaves['wildcard']
    backup = planned(tmp_path, leaf)
    with pytest.raises(HkpostError) as refused:
        keep_backups(PASSWORD, [backup], {leaf.thumbprint: pfx(other)})
    assert str(refused.value).startswith('the host exported %s instead of %s with its key; the backup was not '
                                         'written' % (other.thumbprint, leaf.thumbprint))
    assert not os.path.exists(backup['path'])


def test_a_backup_is_written_readable_by_its_owner_only(tmp_path, pki):
    leaf = pki.leaves['standard']
    backup = planned(tmp_path, leaf)
    data = pfx(leaf)
    keep_backups(PASSWORD, [backup], {leaf.thumbprint: data})
    with open(backup['path'], 'rb') as handle:
        assert handle.read() == data
    assert stat.S_IMODE(os.stat(backup['path']).st_mode) == 0o600


def test_a_backup_destination_turned_directory_is_refused_not_overwritten(tmp_path, pki):
    # keep_backups checks the destination again: hkpost_install reads the export back after the host changed
    leaf = pki.leaves['standard']
    backup = planned(tmp_path, leaf)
    os.makedirs(backup['path'])
    with pytest.raises(HkpostError, match='is a directory on the controller'):
        keep_backups(PASSWORD, [backup], {leaf.thumbprint: pfx(leaf)})


# backup_and_retire


def retired(issued, has_private_key=True):
    return {'store': 'My', 'thumbprint': issued.thumbprint, 'has_private_key': has_private_key}


def test_retiring_without_backup_removes_exactly_the_retired_certificates(pki):
    old, keyless = pki.leaves['standard'], pki.leaves['wildcard']
    host = Host()
    assert backup_and_retire(host, HOST, 20348, None, [retired(old), retired(keyless, False)]) == []
    assert host.calls == [('retire_apply', {'Removals': [{'store': 'My', 'thumbprint': old.thumbprint},
                                                         {'store': 'My', 'thumbprint': keyless.thumbprint}]})]


def test_retiring_nothing_sends_nothing(tmp_path):
    host = Host()
    assert backup_and_retire(host, HOST, 20348, (str(tmp_path), PASSWORD), []) == []
    assert host.calls == []


def test_retired_certificates_are_backed_up_under_the_host_before_they_are_removed(tmp_path, pki):
    old, keyless = pki.leaves['standard'], pki.leaves['wildcard']
    host = Host({old.thumbprint: pfx(old)})
    listed = backup_and_retire(host, HOST, 20348, (str(tmp_path), PASSWORD), [retired(old), retired(keyless, False)])
    path = str(tmp_path / 'web1' / ('%s.pfx' % old.thumbprint))
    assert listed == [{'thumbprint': old.thumbprint, 'path': path, 'reason': 'no backup yet'},
                      {'thumbprint': keyless.thumbprint, 'path': None, 'reason': 'no private key on the host'}]
    assert [c[0] for c in host.calls] == ['export_pfx', 'retire_apply']
    assert host.calls[0][1] == [('My', old.thumbprint)] and host.calls[0][4] == PASSWORD
    with open(path, 'rb') as handle:
        assert read_pfx(handle.read(), PASSWORD)['certificate']['sha1'] == old.thumbprint


def test_a_failed_backup_retires_nothing(tmp_path, pki):
    old = pki.leaves['standard']
    host = Host({old.thumbprint: pfx(pki.leaves['wildcard'])})
    with pytest.raises(HkpostError, match='the backup was not written'):
        backup_and_retire(host, HOST, 20348, (str(tmp_path), PASSWORD), [retired(old)])
    assert [c[0] for c in host.calls] == ['export_pfx']
