# -*- coding: utf-8 -*-
"""hkpost_csr state: present - every missing key and CSR of a host, with the pending-key backups, in one execution
after the one read (issue 21), on an IIS (certreq) host and on an Exchange server; executions counted on the fake
host, every PFX opened with the password."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.action_harness import run_action
from tests.support.windows import request as _fake_csr  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.exchange import add_pending, exchange_state
from tests.support.windows.host import FakeWindowsHost

PASSWORD = 'Batch-Backup-9f2e-secret'
CERTS = [{'common_name': 'a.example.hk'}, {'common_name': 'b.example.hk', 'subject_alt_names': ['www.b.example.hk']},
         {'common_name': '*.example.hk', 'certificate_type': 'wildcard'}]


def run(host, args, check_mode=False, host_name='win1'):
    return run_action(ActionModule, args, host=host, check_mode=check_mode, shell_family='powershell',
                      task_vars={'inventory_hostname': host_name}, action_name='hkpost.ecert.hkpost_csr')


def batch(host, tmp_path, check_mode=False, listing=True, host_name='win1', **extra):
    args = dict({'state': 'present', 'certificates': CERTS, 'organization': 'Example Ltd',
                 'csr_dir': str(tmp_path / 'csr'), 'backup_dir': str(tmp_path / 'backup'),
                 'backup_password': PASSWORD}, **extra)
    if listing:
        read = {k: v for k, v in extra.items() if k in ('platform', 'server', 'username', 'password')}
        args['pending_requests'] = run(host, dict(list_pending=True, **read), check_mode=check_mode,
                                       host_name=host_name)['pending_requests']
    return run(host, args, check_mode=check_mode, host_name=host_name)


def backups_hold_their_keys(results, password=PASSWORD):
    for item in results:
        key, _cert, _chain = pkcs12.load_key_and_certificates(open(item['backup'], 'rb').read(), password.encode())
        assert spki_sha256(key.public_key()) == item['public_key_sha256']


def test_iis_first_run_is_two_executions_and_a_rerun_one(tmp_path):
    host = FakeWindowsHost()
    first = batch(host, tmp_path)
    assert host.call_names() == ['csr_pending_read', 'csr_create_many']
    assert first['changed'] is True and [r['request_action'] for r in first['requests']] == ['create'] * 3
    assert len(host.stores['REQUEST']) == 3
    assert sorted(p.name for p in (tmp_path / 'csr').iterdir()) == ['_wildcard_.example.hk.csr', 'a.example.hk.csr',
                                                                    'b.example.hk.csr']
    pending = {e['thumbprint'] for e in host.stores['REQUEST']}
    assert {r['thumbprint'] for r in first['requests']} == pending
    backups_hold_their_keys(first['requests'])
    assert first['requests'][1]['item'] == CERTS[1] and first['requests'][1]['subject_alt_names'] == [
        'b.example.hk', 'www.b.example.hk']
    del host.calls[:]
    for check_mode in (True, False):
        again = batch(host, tmp_path, check_mode=check_mode)
        assert host.call_names() == ['csr_pending_read'] and again['changed'] is False
        assert [r['request_action'] for r in again['requests']] == ['reuse'] * 3
        assert [r['public_key_sha256'] for r in again['requests']] == [r['public_key_sha256'] for r in first['requests']]
        del host.calls[:]
    assert len(host.stores['REQUEST']) == 3


def test_iis_check_mode_reads_only_and_says_what_it_would_make(tmp_path):
    host = FakeWindowsHost()
    result = batch(host, tmp_path, check_mode=True)
    assert host.call_names() == ['csr_pending_read'] and result['changed'] is True
    assert host.stores['REQUEST'] == [] and not (tmp_path / 'csr').exists() and not (tmp_path / 'backup').exists()
    assert not any('public_key_sha256' in r or 'thumbprint' in r or 'csr' in r for r in result['requests'])


def test_iis_reading_itself_without_a_listing_is_still_two(tmp_path):
    host = FakeWindowsHost()
    batch(host, tmp_path, listing=False)
    assert host.call_names() == ['csr_pending_read', 'csr_create_many']


def test_a_lost_backup_is_made_again_in_one_execution_without_a_new_key(tmp_path):
    host = FakeWindowsHost()
    first = batch(host, tmp_path)
    lost = first['requests'][0]['backup']
    (tmp_path / 'backup' / 'win1' / lost.rsplit('/', 1)[-1]).unlink()
    del host.calls[:]
    again = batch(host, tmp_path)
    assert host.call_names() == ['csr_pending_read', 'csr_create_many']
    sent = [p for n, p in host.calls if n == 'csr_create_many'][0]
    assert sent['Requests'] == [] and sent['Items'] == [{'store': 'REQUEST', 'thumbprint': first['requests'][0]['thumbprint']}]
    assert again['changed'] is True and len(host.stores['REQUEST']) == 3
    backups_hold_their_keys(again['requests'])


def test_without_backup_dir_nothing_is_exported_and_no_password_is_sent(tmp_path):
    host = FakeWindowsHost()
    result = batch(host, tmp_path, backup_dir=None, backup_password=None)
    sent = [p for n, p in host.calls if n == 'csr_create_many'][0]
    assert sent['Backup'] is False and sent.get('Password') is None
    assert all(r['backup'] is None for r in result['requests']) and result['backups'] == []


def test_one_new_certificate_among_existing_ones_makes_one_key(tmp_path):
    host = FakeWindowsHost()
    batch(host, tmp_path, certificates=CERTS[:2])
    del host.calls[:]
    result = batch(host, tmp_path)
    sent = [p for n, p in host.calls if n == 'csr_create_many'][0]
    assert len(sent['Requests']) == 1 and [r['request_action'] for r in result['requests']] == ['reuse', 'reuse', 'create']
    assert len(host.stores['REQUEST']) == 3


@pytest.mark.parametrize('extra, message', [
    ({'certificates': [{'common_name': 'a.example.hk'}, {'common_name': 'A.example.hk'}]}, 'both name a.example.hk'),
    ({'certificates': [{'common_name': 'a.example.hk'}, {'common_name': '10.0.0.1'}]}, r'certificates\[1\] \(10.0.0.1\)'),
    ({'backup_password': ''}, 'backup_password is empty'),
    ({'csr_dir': None}, 'give csr_dir'),
])
def test_bad_input_is_refused_before_any_key_is_made(tmp_path, extra, message):
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match=message):
        batch(host, tmp_path, listing=False, **extra)
    assert host.stores['REQUEST'] == [] and 'csr_create_many' not in host.call_names()


def test_a_listing_of_another_platform_is_refused(tmp_path):
    host = FakeWindowsHost()
    listing = run(host, {'list_pending': True})['pending_requests']
    with pytest.raises(AnsibleActionFail, match='read for platform iis'):
        run(host, {'state': 'present', 'certificates': CERTS, 'organization': 'Example Ltd', 'platform': 'exchange',
                   'csr_dir': str(tmp_path), 'pending_requests': listing})


def test_posix_hosts_are_told_to_use_one_task_per_certificate(tmp_path):
    with pytest.raises(AnsibleActionFail, match='for Windows hosts'):
        run_action(ActionModule, {'state': 'present', 'certificates': CERTS, 'organization': 'Example Ltd',
                                  'csr_dir': str(tmp_path)}, shell_family='sh', action_name='hkpost.ecert.hkpost_csr')


@pytest.fixture
def exchange_host():
    fake = FakeWindowsHost(os_build=7601)
    exchange_state(fake)
    return fake


def test_exchange_first_run_is_two_executions_and_a_rerun_one(exchange_host, tmp_path):
    host = exchange_host
    first = batch(host, tmp_path, host_name='ex1.example.hk', platform='exchange', friendly_name='Hongkong Post e-Cert')
    assert host.call_names() == ['exchange_read', 'exchange_request_many']
    sent = [p for n, p in host.calls if n == 'exchange_request_many'][0]
    assert [r['domain_name'] for r in sent['Requests']] == [
        ['a.example.hk'], ['b.example.hk', 'www.b.example.hk'], ['*.example.hk']]
    assert sent['Encryption'] == 'TripleDES_SHA1'   # build 7601 cannot open an AES-256 PFX
    pending = [c for c in exchange_state(host)['certificates'] if c['status'] == 'PendingRequest']
    assert len(pending) == 3 and {r['thumbprint'] for r in first['requests']} == {c['thumbprint'] for c in pending}
    backups_hold_their_keys(first['requests'])
    assert (tmp_path / 'csr' / 'a.example.hk.csr').read_text().startswith('-----BEGIN CERTIFICATE REQUEST-----')
    del host.calls[:]
    again = batch(host, tmp_path, host_name='ex1.example.hk', platform='exchange', friendly_name='Hongkong Post e-Cert')
    assert host.call_names() == ['exchange_read'] and again['changed'] is False
    assert [r['public_key_sha256'] for r in again['requests']] == [r['public_key_sha256'] for r in first['requests']]


def test_exchange_reuses_a_request_made_by_hand_and_backs_it_up_without_a_session(exchange_host, tmp_path):
    from cryptography.hazmat.primitives.asymmetric import rsa
    host = exchange_host
    add_pending(host, rsa.generate_private_key(public_exponent=65537, key_size=2048), 'a.example.hk')
    result = batch(host, tmp_path, host_name='ex1.example.hk', platform='exchange', certificates=CERTS[:1])
    assert host.call_names() == ['exchange_read', 'pfx_export_many']
    assert result['requests'][0]['request_action'] == 'reuse' and result['changed'] is True
    assert result['requests'][0]['backup']
