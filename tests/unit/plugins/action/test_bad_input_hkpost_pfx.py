# -*- coding: utf-8 -*-
"""hkpost_pfx: every kind of bad input, refused before the host changes or a backup is written (issue 14, section 1).

One row per kind: the task's arguments -> a fragment of the message -> the payloads allowed to run first
(only the read-only ``pfx_state`` where the refusal depends on the host). After each row the fake host's
stores and the controller directory are exactly as before.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule
from tests.support.action_harness import run_action
from tests.support.unchanged import host_state, tree, writes
from tests.support.windows.certstore import entry_for
from tests.support.windows import pfx as _fake_pfx  # noqa: F401 - registers the pfx_* contract
from tests.support.windows.host import FakeWindowsHost

PASSWORD = 'c0rrect-Horse-battery'


def pfx(issued, password=PASSWORD, key=True, aes=False):
    algorithm = pkcs12.PBES.PBESv2SHA256AndAES256CBC if aes else pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                  .kdf_rounds(2048).key_cert_algorithm(algorithm).build(password.encode()))
    return pkcs12.serialize_key_and_certificates(b'hkpost', issued.key if key else None, issued.cert, None, encryption)


@pytest.fixture
def controller(pki, tmp_path):
    """Controller files: a backups directory, PFX files of several kinds, a plain file and an empty one."""
    (tmp_path / 'backups').mkdir()
    (tmp_path / 'a-file').write_text('not a directory')
    (tmp_path / 'empty.pfx').write_bytes(b'')
    (tmp_path / 'good.pfx').write_bytes(pfx(pki.leaves['standard']))
    (tmp_path / 'expired.pfx').write_bytes(pfx(pki.leaves['expired']))
    (tmp_path / 'aes.pfx').write_bytes(pfx(pki.leaves['standard'], aes=True))
    (tmp_path / 'nokey.pfx').write_bytes(pfx(pki.leaves['standard'], key=False))
    blocked = tmp_path / 'backups' / 'web1' / ('%s.pfx' % pki.leaves['standard'].thumbprint)
    blocked.mkdir(parents=True)
    (blocked / 'keep').write_text('x')
    (tmp_path / 'blocked').mkdir()
    return tmp_path


def make_host(pki, build=20348):
    host = FakeWindowsHost(os_build=build)
    leaf = pki.leaves['standard']
    host.stores['My'].append(entry_for(leaf.cert, leaf.key, 'www', exportable=True))
    return host


def export_args(pki, tmp_path, **extra):
    return dict({'state': 'exported', 'thumbprint': pki.leaves['standard'].thumbprint,
                 'dest': str(tmp_path / 'out'), 'password': PASSWORD}, **extra)


def import_args(tmp_path, name='good.pfx', **extra):
    return dict({'state': 'imported', 'src': str(tmp_path / name), 'password': PASSWORD}, **extra)


def restore_host(pki, build=20348):
    """A rebuilt host without the certificate: a correct restore WOULD import."""
    return FakeWindowsHost(os_build=build)


# id, arguments (a function of pki and the controller directory), message fragment, payloads allowed, host build.
TABLE = [
    ('password an unquoted number', lambda p, d: export_args(p, d, password=42798),
     r"argument 'password' is of type int .*a number: YAML reads unquoted digits .*0123456 .*42798.*Quote it", (), None),
    ('password a dictionary', lambda p, d: export_args(p, d, password={'value': 'x'}),
     r"argument 'password' is of type dict .*a dictionary .*Quote it", (), None),
    ('password an unquoted yes', lambda p, d: export_args(p, d, password=True),
     r"argument 'password' is of type bool .*a boolean: .*Quote it", (), None),
    ('password a float', lambda p, d: export_args(p, d, password=1.5),
     r"argument 'password' is of type float .*Quote it", (), None),
    ('password empty', lambda p, d: export_args(p, d, password=''),
     r'password is empty; a PFX backup without a password', (), None),
    ('dest that is a file', lambda p, d: export_args(p, d, dest=str(d / 'a-file')),
     r'dest: .*a-file is a file on the controller, not a directory', (), None),
    ('dest under a file', lambda p, d: export_args(p, d, dest=str(d / 'a-file' / 'backups')),
     r'dest: .*a-file/backups cannot be created because .*a-file is a file', (), None),
    ('backup file path taken by a directory', lambda p, d: export_args(p, d, dest=str(d / 'backups')),
     # refused on the controller before the host is asked: the backup path is checked first (issue 12)
     r'dest: .*web1/[0-9A-F]{40}\.pfx is a directory on the controller', (), None),
    ('thumbprint not 40 hex digits', lambda p, d: export_args(p, d, thumbprint='12:34'),
     r'thumbprint "12:34" is not a SHA-1 thumbprint', (), None),
    ('aes256 for a host before build 17763', lambda p, d: export_args(p, d, encryption='aes256_sha256'),
     r'encryption aes256_sha256 is refused for a host of build 14393', ('pfx_state',), 14393),
    ('unknown encryption', lambda p, d: export_args(p, d, encryption='rc2'),
     r'value of encryption must be one of: auto, aes256_sha256, tripledes_sha1, got: rc2', (), None),
    ('src that is a directory', lambda p, d: import_args(d, 'blocked'),
     r'src: .*blocked is a directory on the controller; give the path of the file itself', (), None),
    ('src an empty file', lambda p, d: import_args(d, 'empty.pfx'), r'src: .*empty\.pfx is empty \(0 bytes\)', (), None),
    ('src missing', lambda p, d: import_args(d, 'gone.pfx'), r'src: .*gone\.pfx was not found on the controller', (), None),
    ('expired certificate on restore', lambda p, d: import_args(d, 'expired.pfx'),
     r'PFX file .*expired\.pfx holds old\.example\.hk .*expired on .*Restore a newer backup, or set allow_expired: true',
     (), None),
    ('wrong password on restore', lambda p, d: import_args(d, password='not-it'),
     r'could not be opened with the password given', (), None),
    ('PFX without its key', lambda p, d: import_args(d, 'nokey.pfx'),
     r'holds no certificate with a private key|without its private key', (), None),
    ('restore into REQUEST', lambda p, d: import_args(d, store='REQUEST'), r'store REQUEST cannot be restored into', (), None),
    ('AES-256 PFX for a host before build 17763', lambda p, d: import_args(d, 'aes.pfx'),
     r'is AES-256 encrypted, which this host \(Windows build 14393', ('pfx_state',), 14393),
    ('password an unquoted number on restore', lambda p, d: import_args(d, password=123456),
     r"argument 'password' is of type int", (), None),
]


@pytest.mark.parametrize('make_args,fragment,reads,build', [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_bad_input_is_refused_before_anything_changes(pki, controller, make_args, fragment, reads, build):
    args = make_args(pki, controller)
    host = (make_host if args['state'] == 'exported' else restore_host)(pki, build or 20348)
    before, files = host_state(host), tree(controller)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run_action(ActionModule, args, host=host, task_vars={'inventory_hostname': 'web1'})
    assert host.call_names() == list(reads) and writes(host) == []
    assert host_state(host) == before and tree(controller) == files


def test_the_table_would_see_a_change(pki, controller):
    """Control rows: good input on the same hosts writes the backup and restores the PFX."""
    host = make_host(pki)
    files = tree(controller)
    run_action(ActionModule, export_args(pki, controller), host=host, task_vars={'inventory_hostname': 'web1'})
    assert writes(host) == ['pfx_export_many'] and tree(controller) != files
    host = restore_host(pki)
    before = host_state(host)
    run_action(ActionModule, import_args(controller), host=host, task_vars={'inventory_hostname': 'web1'})
    assert writes(host) == ['pfx_import'] and host_state(host) != before


def test_an_expired_backup_is_restored_when_asked(pki, controller):
    host = restore_host(pki)
    result = run_action(ActionModule, import_args(controller, 'expired.pfx', allow_expired=True), host=host,
                        task_vars={'inventory_hostname': 'web1'})
    assert result['changed'] and writes(host) == ['pfx_import']
    assert result['thumbprint'] == pki.leaves['expired'].thumbprint
