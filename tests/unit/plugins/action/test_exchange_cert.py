# -*- coding: utf-8 -*-
"""exchange_cert against a fake Exchange server reached through implicit remoting."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.exchange_cert import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.exchange import add_account, add_certificate, add_pending, exchange_state
from tests.support.windows import pfx as fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for
from tests.support.windows.host import FakeWindowsHost

WRITES = {'exchange_request', 'exchange_enable', 'retire_apply', 'pfx_export_many'}
REQUEST = {'state': 'requested', 'common_name': 'mail.example.hk', 'organization': 'Example Co., Ltd.'}


def run(host, args, **kwargs):
    return run_action(ActionModule, args, host=host, task_vars={'inventory_hostname': 'ex1.example.hk'}, **kwargs)


def writes(host):
    return [n for n in host.call_names() if n in WRITES]


@pytest.fixture
def host():
    fake = FakeWindowsHost(os_build=7601)
    exchange_state(fake)
    return fake


def test_request_subject_rules_connection_and_idempotence(host, tmp_path):
    csr_path = tmp_path / 'mail.csr'
    result = run(host, dict(REQUEST, csr_path=str(csr_path)))
    assert result['changed'] is True
    assert result['exchange_product'] == 'Exchange Server 2010'
    assert result['subject'] == 'C=HK, S=Hong Kong, L=Hong Kong, O="Example Co., Ltd.", CN=mail.example.hk'
    sent = [p for n, p in host.calls if n == 'exchange_request'][0]
    assert sent['KeySize'] == 2048 and sent['DomainName'] == ['mail.example.hk']
    assert sent['ConnectionUri'] == 'http://ex1.example.hk/PowerShell/' and sent['Authentication'] == 'Kerberos'
    assert 'BEGIN NEW CERTIFICATE REQUEST' in csr_path.read_text()
    assert len(result['public_key_sha256']) == 64
    host.calls.clear()
    again = run(host, dict(REQUEST, csr_path=str(csr_path)))
    assert again['changed'] is False and writes(host) == []
    assert again['public_key_sha256'] == result['public_key_sha256']


def test_request_check_mode_sends_no_write(host):
    assert run(host, REQUEST, check_mode=True)['changed'] is True
    assert writes(host) == []


def test_request_follows_hkpost_csr_rules(host):
    with pytest.raises(AnsibleActionFail, match='requires RSA 2048'):
        run(host, dict(REQUEST, key_size=1024))
    with pytest.raises(AnsibleActionFail, match='abbreviation'):
        run(host, dict(REQUEST, locality='HK'))
    result = run(host, dict(REQUEST, common_name='*.example.hk', certificate_type='wildcard'), check_mode=True)
    assert result['domain_names'] == ['*.example.hk']


@pytest.fixture
def mail(pki, host):
    leaf = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk', 'autodiscover.example.hk'])
    old = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'],
                         not_before=pki.now - datetime.timedelta(days=150))
    add_certificate(host, old.cert, old.key, services=['IIS', 'SMTP', 'POP', 'IMAP'])
    host.stores['My'].append(entry_for(old.cert, old.key))  # an Exchange certificate is a LocalMachine\My one
    add_pending(host, leaf.key, 'mail.example.hk')
    return leaf, old


def test_present_imports_enables_and_is_idempotent(host, mail):
    leaf, old = mail
    result = run(host, {'content': leaf.pem, 'services': ['IIS', 'SMTP']})
    assert result['changed'] and result['steps'] == ['import', 'enable']
    enable = [p for n, p in host.calls if n == 'exchange_enable'][0]
    assert enable['Services'] == ['IIS', 'SMTP'] and enable['Thumbprint'] == leaf.thumbprint
    certs = {c['thumbprint']: c for c in exchange_state(host)['certificates']}
    assert certs[leaf.thumbprint]['services'] == ['IIS', 'SMTP']
    assert certs[old.thumbprint]['services'] == ['SMTP', 'POP', 'IMAP']
    host.calls.clear()
    assert run(host, {'content': leaf.pem, 'services': ['IIS', 'SMTP']})['changed'] is False
    assert writes(host) == []


def test_remove_superseded_only_when_unused(host, mail):
    leaf, old = mail
    result = run(host, {'content': leaf.pem, 'services': ['IIS', 'SMTP'], 'remove_superseded': True, 'backup': False})
    assert result['removed'] == [] and result['kept'][0]['thumbprint'] == old.thumbprint
    assert 'IMAP, POP' in result['kept'][0]['reason']
    result = run(host, {'content': leaf.pem, 'services': ['IIS', 'SMTP', 'POP', 'IMAP'], 'remove_superseded': True, 'backup': False})
    assert result['removed'] == [old.thumbprint]
    assert old.thumbprint not in {c['thumbprint'] for c in exchange_state(host)['certificates']}
    host.calls.clear()
    again = run(host, {'content': leaf.pem, 'services': ['IIS', 'SMTP', 'POP', 'IMAP'], 'remove_superseded': True, 'backup': False})
    assert again['changed'] is False and writes(host) == []


def test_present_check_mode_predicts_without_writes(host, mail):
    leaf, old = mail
    result = run(host, {'content': leaf.pem, 'services': ['IIS', 'SMTP', 'POP', 'IMAP'], 'remove_superseded': True, 'backup': False},
                 check_mode=True, diff=True)
    assert result['changed'] and result['steps'] == ['import', 'enable', 'remove']
    assert result['removed'] == [old.thumbprint]
    assert writes(host) == []
    assert old.thumbprint not in result['diff']['after']['certificates']


def test_wildcard_refused_for_pop_with_reason(pki, host):
    wildcard = pki.leaves['wildcard']
    add_pending(host, wildcard.key, '*.example.hk')
    with pytest.raises(AnsibleActionFail) as e:
        run(host, {'content': wildcard.pem, 'services': ['IIS', 'POP']})
    assert 'POP' in str(e.value) and 'X509CertificateName' in str(e.value)
    assert writes(host) == []
    assert run(host, {'content': wildcard.pem, 'services': ['IIS', 'SMTP']})['changed'] is True


def test_certificate_for_another_key(pki, host, mail):
    with pytest.raises(AnsibleActionFail, match='matches no pending request on this Exchange server.*Pending requests: mail'):
        run(host, {'content': pki.leaves['standard'].pem})
    assert writes(host) == []


def test_expired_refused(pki, host):
    add_pending(host, pki.leaves['expired'].key, 'old.example.hk')
    with pytest.raises(AnsibleActionFail, match='expired'):
        run(host, {'content': pki.leaves['expired'].pem})


@pytest.mark.parametrize('version,name', [('Version 15.2 (Build 1544.4)', 'Exchange Server 2019'),
                                          ('Version 15.2 (Build 2562.17)', 'Exchange Server Subscription Edition'),
                                          ('Version 15.1 (Build 2507.6)', 'Exchange Server 2016'),
                                          ('Version 15.0 (Build 1497.2)', 'Exchange Server 2013')])
def test_reports_version(host, version, name):
    exchange_state(host)['version'] = version
    assert run(host, REQUEST, check_mode=True)['exchange_product'] == name


def test_explicit_credentials_go_as_sensitive_parameters(host):
    add_account(host, 'EX\\svc', 'S3cret!pass')
    result = run(host, dict(REQUEST, username='EX\\svc', password='S3cret!pass', authentication='Negotiate',
                            connection_uri='https://ex1.example.hk/PowerShell/'), check_mode=True)
    assert exchange_state(host)['sessions'][-1] == {'uri': 'https://ex1.example.hk/PowerShell/', 'auth': 'Negotiate',
                                                    'user': 'EX\\svc'}
    assert 'S3cret!pass' not in repr(result)


def test_unknown_service_refused(host, mail):
    with pytest.raises(AnsibleActionFail, match='not one of'):
        run(host, {'content': mail[0].pem, 'services': ['OWA']})


def test_request_returns_the_pending_request_thumbprint(host):
    result = run(host, REQUEST)
    pending = [c for c in exchange_state(host)['certificates'] if c['status'] == 'PendingRequest']
    assert len(pending) == 1 and result['thumbprint'] == pending[0]['thumbprint']
    assert run(host, REQUEST)['thumbprint'] == pending[0]['thumbprint']


def test_present_returns_sni_name_and_the_assignment_to_restore_and_enabled_restores_it(host, pki):
    old = pki.issue_leaf('mail.example.hk', not_before=pki.now - datetime.timedelta(days=150))
    add_certificate(host, old.cert, old.key, services=['IIS', 'SMTP', 'POP'])
    new = pki.issue_leaf('mail.example.hk')
    add_pending(host, new.key, 'mail.example.hk')
    result = run(host, {'content': new.pem, 'services': ['IIS', 'SMTP']})
    assert result['server_name'] == 'mail.example.hk' and result['names'] == ['mail.example.hk']
    assert result['rollback'] == [{'thumbprint': old.thumbprint, 'services': ['IIS']}]
    certs = {c['thumbprint']: c for c in exchange_state(host)['certificates']}
    assert sorted(certs[old.thumbprint]['services']) == ['POP', 'SMTP']
    # The check failed: the role puts IIS back on the previous certificate.
    back = run(host, {'state': 'enabled', 'thumbprint': old.thumbprint, 'services': ['IIS']})
    assert back['changed'] is True
    assert 'IIS' in certs[old.thumbprint]['services'] and 'IIS' not in certs[new.thumbprint]['services']
    host.calls.clear()
    assert run(host, {'state': 'enabled', 'thumbprint': old.thumbprint, 'services': ['IIS']})['changed'] is False
    assert writes(host) == []
    with pytest.raises(AnsibleActionFail, match='not an installed Exchange certificate'):
        run(host, {'state': 'enabled', 'thumbprint': 'AB' * 20, 'services': ['IIS']})


def test_wildcard_checks_with_the_server_name_it_covers(host, pki):
    wild = pki.leaves['wildcard']
    add_pending(host, wild.key, '*.example.hk')
    result = run(host, {'content': wild.pem, 'services': ['IIS']}, check_mode=True)
    assert result['server_name'] == 'example.hk'  # the first non-wildcard name it carries
    only = pki.issue_leaf('*.example.hk', sans=['*.example.hk'])
    add_pending(host, only.key, '*.example.hk')
    result = run(host, {'content': only.pem, 'services': ['IIS'], 'server': 'ex1.example.hk'}, check_mode=True)
    assert result['server_name'] == 'ex1.example.hk'


def test_remove_superseded_is_the_one_retire_policy_backup_first_and_grace(host, mail, tmp_path):
    leaf, old = mail
    everything = {'content': leaf.pem, 'services': ['IIS', 'SMTP', 'POP', 'IMAP'], 'remove_superseded': True}
    with pytest.raises(AnsibleActionFail, match='remove_superseded backs up what it removes'):
        run(host, everything)
    assert host.call_names() == []
    backed = dict(everything, backup_dir=str(tmp_path), backup_password='Superseded-Backup-1c')
    waiting = run(host, dict(backed, retire_grace_days=40))  # the new certificate was issued 30 days ago
    assert waiting['removed'] == [] and 'grace period' in waiting['kept'][0]['reason']
    result = run(host, backed)
    assert result['removed'] == [old.thumbprint] and result['retired'][0]['replaced_by'] == leaf.thumbprint
    assert (tmp_path / 'ex1.example.hk' / ('%s.pfx' % old.thumbprint)).is_file()
    assert host.call_names()[-2:] == ['pfx_export_many', 'retire_apply']
