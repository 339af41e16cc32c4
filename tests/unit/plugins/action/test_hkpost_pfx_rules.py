# -*- coding: utf-8 -*-
"""hkpost_pfx's own decisions (issue 21, mutation survivors): the password it requires, the options each state
reads, the reads that open no Exchange session, where a restore looks for a host's backups, check mode of a folder
restore, what a rerun reports, and the restore's warnings and parameters."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import pfx as _fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as _fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for
from tests.support.windows.host import FakeWindowsHost

PASSWORD = 'Pfx-Action-Rules-91b0'
DAY = datetime.timedelta(days=1)


def run(host, host_name='web1', **args):
    flags = {k: args.pop(k) for k in ('check_mode',) if k in args}
    return run_action(ActionModule, dict({'password': PASSWORD}, **args), host=host,
                      task_vars={'inventory_hostname': host_name}, **flags)


def pfx_file(path, leaf, aes=False):
    """A PFX as Windows writes it: AES-256 (build 17763 on) or 3DES-SHA1 (before)."""
    if aes:
        encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
    else:
        encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                      .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC).hmac_hash(hashes.SHA1())
                      .build(PASSWORD.encode()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pkcs12.serialize_key_and_certificates(b'www', leaf.key, leaf.cert, None, encryption))
    return path


def sent(host, name):
    return [p for n, p in host.calls if n == name]


def test_password_is_required_and_never_logged(pki, tmp_path):
    with pytest.raises(AnsibleActionFail, match='missing required arguments: password'):
        run_action(ActionModule, {'state': 'imported', 'src': str(tmp_path / 'x.pfx')}, host=FakeWindowsHost())
    assert ActionModule.ARGUMENT_SPEC['password']['no_log'] is True


def test_dest_is_read_only_when_exporting(pki, tmp_path):
    (tmp_path / 'a-file').write_text('not a directory')
    src = pfx_file(tmp_path / 'www.pfx', pki.leaves['standard'])
    result = run(FakeWindowsHost(), state='imported', src=str(src), dest=str(tmp_path / 'a-file'), check_mode=True)
    assert result['changed'] is True


def test_all_hongkong_post_is_read_only_when_exporting(pki, tmp_path):
    src = pfx_file(tmp_path / 'www.pfx', pki.leaves['standard'])
    host = FakeWindowsHost()
    result = run(host, state='imported', src=str(src), all_hongkong_post=True, check_mode=True)
    assert result['thumbprint'] == pki.leaves['standard'].thumbprint and host.call_names() == ['pfx_state']


def test_the_store_reads_open_no_exchange_session(pki, tmp_path):
    leaf = pki.leaves['standard']
    host = FakeWindowsHost()
    host.stores['My'].append(entry_for(leaf.cert, leaf.key))
    run(host, state='exported', all_hongkong_post=True, dest=str(tmp_path / 'out'), check_mode=True)
    pfx_file(tmp_path / 'backup' / 'web1' / 'www.pfx', leaf)
    run(host, state='restored', src=str(tmp_path / 'backup'), check_mode=True)
    assert [p['Exchange'] for p in sent(host, 'retire_read')] == [False, False]


def test_a_restore_finds_the_backups_where_the_backup_wrote_them(pki, tmp_path):
    # An inventory name that is no file name (an IPv6 address): backup_path makes it safe, the restore must too.
    leaf, name = pki.leaves['standard'], '2001:db8::10'
    host = FakeWindowsHost()
    host.stores['My'].append(entry_for(leaf.cert, leaf.key))
    backed = run(host, host_name=name, state='exported', all_hongkong_post=True, dest=str(tmp_path))
    assert backed['backups'][0]['path'] == str(tmp_path / '2001_db8__10' / ('%s.pfx' % leaf.thumbprint))
    restored = run(FakeWindowsHost(), host_name=name, state='restored', src=str(tmp_path), check_mode=True)
    assert [r['thumbprint'] for r in restored['restored']] == [leaf.thumbprint]


@pytest.mark.parametrize('state', ['imported', 'restored'])
def test_nothing_is_restored_into_the_request_store(pki, tmp_path, state):
    src = pfx_file(tmp_path / 'web1' / 'www.pfx', pki.leaves['standard'])
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='store REQUEST cannot be restored into'):
        run(host, state=state, src=str(src if state == 'imported' else tmp_path), store='REQUEST')
    assert host.calls == []


def test_a_folder_restore_from_a_file_says_it_is_not_a_directory(pki, tmp_path):
    src = pfx_file(tmp_path / 'www.pfx', pki.leaves['standard'])
    with pytest.raises(AnsibleActionFail, match=r'src: .*www\.pfx is not a directory on the controller'):
        run(FakeWindowsHost(), state='restored', src=str(src))


def test_a_folder_restore_in_check_mode_reports_and_imports_nothing(pki, tmp_path):
    leaf = pki.leaves['standard']
    pfx_file(tmp_path / 'web1' / 'www.pfx', leaf)
    host = FakeWindowsHost()
    result = run(host, state='restored', src=str(tmp_path), check_mode=True)
    assert result['changed'] is True and [r['thumbprint'] for r in result['restored']] == [leaf.thumbprint]
    assert host.call_names() == ['retire_read'] and host.stores['My'] == []


def test_a_folder_restore_failing_on_the_host_names_the_certificate_and_the_store(pki, tmp_path):
    leaf = pki.leaves['standard']
    pfx_file(tmp_path / 'web1' / 'www.pfx', leaf)
    host = FakeWindowsHost()
    host.fail_on['pfx_import'] = 'Access is denied.'
    with pytest.raises(AnsibleActionFail, match=r'restoring %s into LocalMachine\\My failed on the host: pfx_import: '
                                                r'.*Access is denied' % leaf.thumbprint):
        run(host, state='restored', src=str(tmp_path))


def test_a_rerun_reports_the_encryption_of_the_backup_already_there(pki, tmp_path):
    leaf = pki.leaves['standard']
    pfx_file(tmp_path / 'web1' / ('%s.pfx' % leaf.thumbprint), leaf, aes=False)
    host = FakeWindowsHost()
    result = run(host, state='exported', thumbprint=leaf.thumbprint, dest=str(tmp_path))
    assert result['changed'] is False and result['encryption'] == 'TripleDES_SHA1' and host.calls == []


def test_an_aes_backup_already_restored_on_an_old_host_is_no_change_not_a_refusal(pki, tmp_path):
    leaf = pki.leaves['standard']
    src = pfx_file(tmp_path / 'www.pfx', leaf, aes=True)
    host = FakeWindowsHost(os_build=14393)
    host.stores['My'].append(entry_for(leaf.cert, leaf.key))
    result = run(host, state='imported', src=str(src))
    assert result['changed'] is False and host.call_names() == ['pfx_state']


def test_an_expired_restore_allowed_is_warned(pki, tmp_path, monkeypatch):
    old = pki.issue_leaf('old.example.hk', not_before=pki.now - 400 * DAY, not_after=pki.now - DAY)
    src = pfx_file(tmp_path / 'old.pfx', old)
    warnings = []
    monkeypatch.setattr(Display, 'warning', lambda self, msg, *a, **kw: warnings.append(msg))
    run(FakeWindowsHost(), state='imported', src=str(src), allow_expired=True, check_mode=True)
    assert len(warnings) == 1 and 'restored because allow_expired is true' in warnings[0]


@pytest.mark.parametrize('friendly_name', [None, 'www 2026'])
def test_a_friendly_name_is_sent_only_when_given(pki, tmp_path, friendly_name):
    src = pfx_file(tmp_path / 'www.pfx', pki.leaves['standard'])
    host = FakeWindowsHost()
    seen, real = [], host.execute_module

    def spy(module_name=None, module_args=None, task_vars=None, **kwargs):
        seen.append(module_args['parameters'])
        return real(module_name=module_name, module_args=module_args, task_vars=task_vars, **kwargs)
    host.execute_module = spy
    run(host, state='imported', src=str(src), friendly_name=friendly_name)
    # Not sent at all without one: the payload's param() then keeps the certificate's own (none).
    assert seen[-1].get('FriendlyName') == friendly_name and ('FriendlyName' in seen[-1]) is bool(friendly_name)
