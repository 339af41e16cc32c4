# -*- coding: utf-8 -*-
"""Issue 10 section 1: every secret reaches its payload as win_powershell delivers it - a SecureString,
or a PSCredential - and the host does the right thing with it. Each test asserts what the host DID
(the file written, the PFX it encrypted, the logon it made), through the emulated boundary."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.exchange_cert import ActionModule as ExchangeCert
from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule as DcvToken
from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule as Pfx
from tests.support.action_harness import run_action
from tests.support.windows import dcv as _dcv  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import pfx as _pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as _retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for
from tests.support.windows.dcv import iis_file, new_iis, new_windows_dns
from tests.support.windows.exchange import add_account, add_certificate, add_pending, exchange_state
from tests.support.windows.host import FakeWindowsHost

PASSWORD = 'c0rrect-Horse-battery'
CODE = 'HKP-7f3a9c21d4e8'
SECURESTRING_TEXT = b'System.Security.SecureString'


# -- PFX ------------------------------------------------------------------------------------------

def _pfx_host(pki, build=20348):
    host = FakeWindowsHost(os_build=build)
    leaf = pki.leaves['standard']
    host.stores['My'].append(entry_for(leaf.cert, leaf.key, 'www', exportable=True))
    host.stores['CA'].append(entry_for(pki.ssl_new.cert))
    host.stores['Root'].append(entry_for(pki.root.cert))
    return host


@pytest.mark.parametrize('build', [20348, 14393])
def test_pfx_export_is_encrypted_with_the_real_password(pki, tmp_path, build):
    """The host encrypts with the password Export-PfxCertificate received: the controller's, not the
    text 'System.Security.SecureString' a [string] parameter would have turned it into."""
    host = _pfx_host(pki, build)
    leaf = pki.leaves['standard']
    run_action(Pfx, {'state': 'exported', 'thumbprint': leaf.thumbprint, 'dest': str(tmp_path), 'password': PASSWORD},
               host=host, task_vars={'inventory_hostname': 'web1'})
    exported = base64.b64decode(json.loads(host.results[-1]['output'][-1])['exports'][0]['pfx'])
    key, cert, _chain = pkcs12.load_key_and_certificates(exported, PASSWORD.encode())
    assert cert == leaf.cert and key.private_numbers() == leaf.key.private_numbers()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(exported, SECURESTRING_TEXT)
    assert (tmp_path / 'web1' / ('%s.pfx' % leaf.thumbprint)).read_bytes() == exported
    # What the payload received: a SecureString, and nothing of the password in what came back.
    assert type(host.calls[-1][1]['Password']).__name__ == 'SecureString'
    assert PASSWORD not in json.dumps(host.results)


def test_pfx_import_restores_the_key_into_the_machine_store(pki, tmp_path):
    leaf = pki.leaves['standard']
    run_action(Pfx, {'state': 'exported', 'thumbprint': leaf.thumbprint, 'dest': str(tmp_path), 'password': PASSWORD},
               host=_pfx_host(pki, 14393), task_vars={'inventory_hostname': 'web1'})
    host = FakeWindowsHost(os_build=14393)
    result = run_action(Pfx, {'state': 'imported', 'src': str(tmp_path / 'web1' / ('%s.pfx' % leaf.thumbprint)),
                              'password': PASSWORD}, host=host)
    assert result['changed']
    restored = host.stores['My']
    assert [e['thumbprint'] for e in restored] == [leaf.thumbprint]
    assert restored[0]['key'].private_numbers() == leaf.key.private_numbers()
    # The already encrypted PFX is not a secret: it goes in plain parameters (a SecureString holds
    # at most 65,536 characters); only the password is sensitive.
    module_args = host.results[-1]['invocation']['module_args']
    assert [p['name'] for p in module_args['sensitive_parameters']] == ['Password']
    assert base64.b64decode(module_args['parameters']['PfxBase64']).startswith(b'0\x82')
    assert PASSWORD not in json.dumps(host.results)


def test_pfx_import_with_a_wrong_password_fails_on_the_host_and_leaves_the_store(pki, tmp_path):
    leaf = pki.leaves['standard']
    other = pkcs12.serialize_key_and_certificates(
        b'', leaf.key, leaf.cert, None, _pfx.encryption_for('TripleDES_SHA1', 'another-password'))
    host = FakeWindowsHost(os_build=14393)
    params = {'PfxBase64': base64.b64encode(other).decode(), 'Store': 'My', 'Exportable': False}
    from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError, run_payload

    class _Action:
        _execute_module = staticmethod(lambda **kw: host.execute_module(kw['module_name'], kw['module_args']))

    with pytest.raises(PayloadError, match='network password is not correct'):
        run_payload(_Action, {}, 'pfx_import', params, {'Password': PASSWORD})
    assert host.stores['My'] == []


# -- DCV: fileauth.txt on IIS ---------------------------------------------------------------------

def _iis_host():
    host = FakeWindowsHost()
    new_iis(host, [{'name': 'shop', 'id': 2, 'physical_path': 'E:\\web\\site',
                    'bindings': [('http', '*:80:shop.example.com')], 'txt_mime': 'text/plain'}])
    return host


def _dcv(host, **kwargs):
    args = dict({'method': 'file', 'domains': ['shop.example.com'], 'verification_code': CODE, 'verify': False},
                **kwargs)
    return run_action(DcvToken, args, host=host, action_name='hkpost.ecert.hkpost_dcv_token')


def test_fileauth_holds_the_code_and_absent_removes_it():
    host = _iis_host()
    path = 'E:\\web\\site\\.well-known\\pki-validation\\fileauth.txt'
    assert _dcv(host)['changed']
    assert iis_file(host, path) == CODE.encode()
    assert not _dcv(host)['changed']
    assert _dcv(host, state='absent')['changed']
    assert iis_file(host, path) is None
    assert CODE not in json.dumps([r['invocation'] for r in host.results])


# -- DCV: TXT on a Windows DNS server -------------------------------------------------------------

def test_windows_dns_code_is_sensitive_and_the_record_holds_it():
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {}})
    assert _dcv(host, method='dns', dns_provider='windows', domains=['www.example.com'])['changed']
    assert zones['zones']['example.com']['www'] == [{'value': CODE, 'ttl': 3600}]
    write = [r for r in host.results if 'dcv_windows_dns_write' in r['invocation']['module_args']['script']][0]
    assert CODE not in json.dumps(write['invocation'])
    assert _dcv(host, method='dns', dns_provider='windows', domains=['www.example.com'], state='absent')['changed']
    assert zones['zones']['example.com']['www'] == []


def test_a_failed_write_does_not_carry_the_module_arguments_into_the_error():
    host = FakeWindowsHost()
    new_windows_dns(host, {'example.com': {}})
    host.fail_on['dcv_windows_dns_write'] = 'Failed to create resource record www in zone example.com: Access denied.'
    with pytest.raises(AnsibleActionFail, match='Access denied') as failure:
        _dcv(host, method='dns', dns_provider='windows', domains=['www.example.com'])
    assert CODE not in str(failure.value) and CODE not in repr(failure.value.result)
    assert 'invocation' not in repr(failure.value.result)


# -- Exchange: the logon -------------------------------------------------------------------------

@pytest.fixture
def exchange(pki):
    host = FakeWindowsHost(os_build=7601)
    exchange_state(host)
    add_account(host, 'EX\\svc-ecert', PASSWORD)
    leaf = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'])
    old = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'], not_before=pki.now - datetime.timedelta(days=150))
    add_certificate(host, old.cert, old.key, services=['IIS', 'SMTP'])
    host.stores['My'].append(entry_for(old.cert, old.key))
    add_pending(host, leaf.key, 'mail.example.hk')
    return host, leaf


CREDENTIALS = {'username': 'EX\\svc-ecert', 'password': PASSWORD, 'authentication': 'Negotiate'}


def test_every_exchange_payload_logs_on_with_the_real_password(exchange):
    host, leaf = exchange
    run_action(ExchangeCert, dict(CREDENTIALS, state='requested', common_name='autodiscover.example.hk',
                                  organization='Example Co., Ltd.'),
               host=host, task_vars={'inventory_hostname': 'ex1.example.hk'})
    result = run_action(ExchangeCert, dict(CREDENTIALS, content=leaf.pem, services=['IIS', 'SMTP'],
                                           remove_superseded=True, backup=False),
                        host=host, task_vars={'inventory_hostname': 'ex1.example.hk'})
    assert result['steps'] == ['import', 'enable', 'remove']
    assert {'exchange_read', 'exchange_request', 'exchange_enable', 'retire_read', 'retire_apply'} <= set(host.call_names())
    state = exchange_state(host)
    assert state.get('failed_logons', []) == []
    # every payload but retire_apply (a store removal on the host itself) logs on to Exchange
    assert len(state['sessions']) == len([n for n in host.call_names() if n != 'retire_apply'])
    assert {s['user'] for s in state['sessions']} == {'EX\\svc-ecert'}
    assert PASSWORD not in json.dumps(host.results)


def test_a_wrong_exchange_password_is_one_failed_logon_not_five(exchange):
    host, leaf = exchange
    with pytest.raises(AnsibleActionFail, match='Access is denied'):
        run_action(ExchangeCert, dict(CREDENTIALS, password='wrong', content=leaf.pem),
                   host=host, task_vars={'inventory_hostname': 'ex1.example.hk'})
    assert exchange_state(host)['failed_logons'] == ['EX\\svc-ecert']


@pytest.mark.parametrize('name', ['exchange_read', 'exchange_request', 'exchange_enable'])
def test_each_exchange_payload_logs_on_with_the_credential_it_receives(exchange, pki, name):
    """Payload by payload: the PSCredential win_powershell builds from username/password is the one
    New-PSSession presents, so the Exchange endpoint accepts the logon."""
    from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import run_payload
    host, leaf = exchange
    extra = {'exchange_request': {'SubjectName': 'C=HK, CN=autodiscover.example.hk',
                                  'DomainName': ['autodiscover.example.hk'], 'KeySize': 2048},
             'exchange_enable': {'Thumbprint': leaf.thumbprint, 'Services': ['IIS'],
                                 'CertificateBase64': base64.b64encode(leaf.der).decode()}}.get(name, {})

    class _Action:
        _execute_module = staticmethod(lambda **kw: host.execute_module(kw['module_name'], kw['module_args']))

    run_payload(_Action, {}, name, dict({'Server': 'ex1', 'ConnectionUri': 'https://ex1/PowerShell/',
                                         'Authentication': 'Negotiate'}, **extra),
                {'Credential': {'username': 'EX\\svc-ecert', 'password': PASSWORD}})
    state = exchange_state(host)
    assert state.get('failed_logons', []) == [] and state['sessions'][-1]['user'] == 'EX\\svc-ecert'
