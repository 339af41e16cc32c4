# -*- coding: utf-8 -*-
"""hkpost_pfx against the fake host: real PKCS#12 bytes, encryption by OS build, restore, wrong passwords."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule
from tests.support.windows import pfx as fake_pfx
from tests.support.action_harness import run_action
from tests.support.windows.certstore import entry_for
from tests.support.windows.host import FakeWindowsHost

PASSWORD = 'c0rrect-Horse-battery'


def make_host(pki, build=20348, exportable=True):
    host = FakeWindowsHost(os_build=build)
    leaf = pki.leaves['standard']
    host.stores['My'].append(entry_for(leaf.cert, leaf.key, 'www', exportable=exportable))
    host.stores['CA'].append(entry_for(pki.ssl_new.cert))
    host.stores['Root'].append(entry_for(pki.root.cert))
    return host


def export(host, dest, thumbprint, **kwargs):
    flags = {k: kwargs.pop(k) for k in ('check_mode', 'diff') if k in kwargs}
    args = dict({'state': 'exported', 'thumbprint': thumbprint, 'dest': str(dest), 'password': PASSWORD}, **kwargs)
    return run_action(ActionModule, args, host=host, task_vars={'inventory_hostname': 'web1'}, **flags)


def pbe_of(path, password):
    """What openssl says the PFX is encrypted with (an independent reading of the bytes)."""
    if not shutil.which('openssl'):
        pytest.skip('openssl CLI not installed')
    out = subprocess.run(['openssl', 'pkcs12', '-in', str(path), '-info', '-noout', '-passin', 'pass:' + password],
                         capture_output=True, text=True, check=False)
    return out.stdout + out.stderr


@pytest.mark.parametrize('build,expected,marker', [(20348, 'AES256_SHA256', 'AES-256-CBC'),
                                                   (17763, 'AES256_SHA256', 'AES-256-CBC'),
                                                   (14393, 'TripleDES_SHA1', '3-KeyTripleDES-CBC')])
def test_export_encryption_by_build_and_cryptography_opens_it(pki, tmp_path, build, expected, marker):
    host = make_host(pki, build)
    leaf = pki.leaves['standard']
    result = export(host, tmp_path, leaf.thumbprint)
    assert result['changed'] and result['encryption'] == expected
    sent = [p for n, p in host.calls if n == 'pfx_export_many'][0]
    assert sent['Encryption'] == expected
    # One certificate, one item: the payload hkpost_install sends with all of a host's backups.
    assert sent['Items'] == [{'store': 'My', 'thumbprint': leaf.thumbprint}] and sent['IncludeChain'] is True
    path = tmp_path / 'web1' / ('%s.pfx' % leaf.thumbprint)
    assert result['path'] == str(path)
    assert oct(os.stat(path).st_mode & 0o777) == '0o600'
    data = path.read_bytes()
    key, cert, extra = pkcs12.load_key_and_certificates(data, PASSWORD.encode())
    assert cert == leaf.cert and key.private_numbers() == leaf.key.private_numbers()
    assert [c.subject for c in extra] == [pki.ssl_new.cert.subject, pki.root.cert.subject]
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, b'wrong password')
    assert marker in pbe_of(path, PASSWORD)
    assert 'PRIVATE KEY' not in repr(result) and PASSWORD not in repr(result)


def test_export_idempotent_and_check_mode(pki, tmp_path):
    host = make_host(pki)
    thumb = pki.leaves['standard'].thumbprint
    assert export(host, tmp_path, thumb, check_mode=True)['changed'] is True
    assert 'pfx_export_many' not in host.call_names() and not (tmp_path / 'web1').exists()
    export(host, tmp_path, thumb)
    host.calls.clear()
    again = export(host, tmp_path, thumb)
    # The backup on the controller already holds it with its key: the host is not asked at all.
    assert again['changed'] is False and host.call_names() == []
    assert again['encryption'] == 'AES256_SHA256'


def test_existing_backup_with_other_password_is_an_error_unless_force(pki, tmp_path):
    host = make_host(pki)
    thumb = pki.leaves['standard'].thumbprint
    export(host, tmp_path, thumb)
    with pytest.raises(AnsibleActionFail, match='exists but .*password is wrong'):
        export(host, tmp_path, thumb, password='another-password')
    assert export(host, tmp_path, thumb, password='another-password', force=True)['changed'] is True


def test_aes_refused_on_old_build(pki, tmp_path):
    with pytest.raises(AnsibleActionFail, match='before build 17763|Windows before build'):
        export(make_host(pki, 14393), tmp_path, pki.leaves['standard'].thumbprint, encryption='aes256_sha256')


@pytest.mark.parametrize('mutate,message', [
    (lambda h: h.stores['My'][0].update(exportable=False), 'non-exportable'),
    (lambda h: h.stores['My'][0].update(has_private_key=False, key=None), 'no private key'),
    (lambda h: h.stores['My'].clear(), 'not in LocalMachine'),
])
def test_export_refusals(pki, tmp_path, mutate, message):
    host = make_host(pki)
    mutate(host)
    with pytest.raises(AnsibleActionFail, match=message):
        export(host, tmp_path, pki.leaves['standard'].thumbprint)
    assert 'pfx_export_many' not in host.call_names()


def restore(host, src, password=PASSWORD, **kwargs):
    flags = {k: kwargs.pop(k) for k in ('check_mode',) if k in kwargs}
    return run_action(ActionModule, dict({'state': 'imported', 'src': str(src), 'password': password}, **kwargs),
                      host=host, **flags)


@pytest.fixture
def backup(pki, tmp_path):
    export(make_host(pki, 14393), tmp_path, pki.leaves['standard'].thumbprint)
    return tmp_path / 'web1' / ('%s.pfx' % pki.leaves['standard'].thumbprint)


def test_restore_machine_store_exportable_then_idempotent(pki, backup):
    host = FakeWindowsHost(os_build=14393)
    assert restore(host, backup, check_mode=True)['changed'] is True
    assert 'pfx_import' not in host.call_names() and host.stores['My'] == []
    result = restore(host, backup, exportable=True)
    assert result['changed'] and result['thumbprint'] == pki.leaves['standard'].thumbprint
    entry = host.stores['My'][0]
    assert entry['key_storage'] == 'machine' and entry['exportable'] is True and entry['has_private_key']
    sent = [p for n, p in host.calls if n == 'pfx_import'][0]
    assert sent['Exportable'] is True and sent['Store'] == 'My'
    host.calls.clear()
    assert restore(host, backup)['changed'] is False
    assert host.call_names() == ['pfx_state']


def test_restore_not_exportable_by_default(pki, backup):
    host = FakeWindowsHost()
    restore(host, backup)
    assert host.stores['My'][0]['exportable'] is False


def test_restore_wrong_password_is_clear_and_sends_nothing(pki, backup):
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='password is wrong'):
        restore(host, backup, password='not-the-password')
    assert host.calls == []


def test_restore_aes_pfx_on_old_host_refused_before_sending(pki, tmp_path):
    export(make_host(pki, 20348), tmp_path, pki.leaves['standard'].thumbprint)
    src = tmp_path / 'web1' / ('%s.pfx' % pki.leaves['standard'].thumbprint)
    host = FakeWindowsHost(os_build=14393)
    with pytest.raises(AnsibleActionFail, match='AES-256 encrypted.*tripledes_sha1'):
        restore(host, src)
    assert 'pfx_import' not in host.call_names()


def test_host_side_password_error_is_reported(pki, backup, monkeypatch):
    host = FakeWindowsHost()
    host.fail_on['pfx_import'] = 'the PFX could not be opened: The specified network password is not correct.'
    with pytest.raises(AnsibleActionFail, match='network password is not correct'):
        restore(host, backup)


def test_fake_host_encrypts_as_asked(pki):
    """The fake's two encryptions really differ (so the build tests above can fail)."""
    aes = pkcs12.serialize_key_and_certificates(b'', pki.leaves['standard'].key, pki.leaves['standard'].cert, None,
                                                fake_pfx.encryption_for('AES256_SHA256', PASSWORD))
    des = pkcs12.serialize_key_and_certificates(b'', pki.leaves['standard'].key, pki.leaves['standard'].cert, None,
                                                fake_pfx.encryption_for('TripleDES_SHA1', PASSWORD))
    assert fake_pfx.AES_OID_DER in aes and fake_pfx.AES_OID_DER not in des


def test_password_travels_as_sensitive_parameter_and_the_pfx_in_parameters(pki, tmp_path):
    host = make_host(pki)
    seen = []
    real = host.execute_module

    def spy(module_name=None, module_args=None, task_vars=None, **kwargs):
        seen.append(module_args)
        return real(module_name=module_name, module_args=module_args, task_vars=task_vars, **kwargs)
    host.execute_module = spy
    export(host, tmp_path, pki.leaves['standard'].thumbprint)
    target = FakeWindowsHost()
    real = target.execute_module  # spy forwards to the restore target from here on
    target.execute_module = spy
    restore(target, tmp_path / 'web1' / ('%s.pfx' % pki.leaves['standard'].thumbprint))
    for args in seen:
        assert PASSWORD not in repr(args['parameters']) and PASSWORD not in args['script']
    sensitive = [{i['name'] for i in a.get('sensitive_parameters') or []} for a in seen]
    assert sensitive.count({'Password'}) == 2
    # The already encrypted PFX is data, not a secret: a SecureString could not hold it past
    # 65,536 characters, and the payload would have to decode it.
    imported = [a for a in seen if 'pfx_import' in a['script']][0]
    assert imported['parameters']['PfxBase64'] == base64.b64encode(
        (tmp_path / 'web1' / ('%s.pfx' % pki.leaves['standard'].thumbprint)).read_bytes()).decode()


def test_backup_of_pending_request_before_submission(pki, tmp_path):
    from tests.support.windows.certstore import pending_entry
    host = FakeWindowsHost()
    host.stores['REQUEST'].append(pending_entry(pki.leaves['idn'].key, 'xn--5bvv2rbn4a0hh.hk'))
    thumb = host.stores['REQUEST'][0]['thumbprint']
    result = export(host, tmp_path, thumb, store='REQUEST')
    key, cert, _extra = pkcs12.load_key_and_certificates((tmp_path / 'web1' / ('%s.pfx' % thumb)).read_bytes(),
                                                         PASSWORD.encode())
    assert result['changed'] and key.private_numbers() == pki.leaves['idn'].key.private_numbers()
