# -*- coding: utf-8 -*-
"""What a fake-host handler assumes about a payload, the sent script must say (issue 20).

Each test edits the REAL payload text the way a careless change would (a flag deleted, a ReadWrite
turned ReadOnly), sends it through the action plugin and the fake Windows host as the other action
tests do, and checks the product-level outcome twice: with the payload as shipped it works, with the
edit it fails the way Windows would make it fail (the action fails, or the certificate ends up where
IIS cannot use it). So a handler that modelled the behaviour from its parameters instead of from the
script - the PersistKeySet case the issue found - makes one of these tests fail.
The table of what each handler reads is in docs/docsite/rst/windows_internals.rst.
"""

from __future__ import annotations

import datetime
import os
import re
import uuid

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action import (exchange_cert, hkpost_chain, hkpost_complete_request,
                                                             hkpost_csr, hkpost_dcv_token, hkpost_pfx, hkpost_retire,
                                                             hkpost_install, iis_binding)
from ansible_collections.hkpost.ecert.plugins.plugin_utils import _win_payload
from tests.support.action_harness import run_action
from tests.support.windows import chain as fake_chain
from tests.support.windows import pfx as fake_pfx
from tests.support.windows import request as fake_request  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.dcv import iis_file, new_iis, new_windows_dns
from tests.support.windows.exchange import add_certificate, add_pending, exchange_state
from tests.support.pki import crl_der
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, iis_state, map_sslcert

PASSWORD = 'c0rrect-Horse-battery'
CODE = 'HKP-7f3a9c21d4e8'
DAY = datetime.timedelta(days=1)
PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'docs', 'docsite', 'rst',
                    'windows_internals.rst')


@pytest.fixture
def edit(monkeypatch):
    """``edit(payload, old, new)``: every script sent for ``payload`` has ``old`` (which must be in it) replaced."""
    original = _win_payload.load_payload
    edits = {}

    def load_payload(name):
        text = original(name)
        for old, new in edits.get(name, []):
            assert old in text, '%r is not in payload %s: the test no longer edits what it meant to' % (old, name)
            text = text.replace(old, new)
        return text

    monkeypatch.setattr(_win_payload, 'load_payload', load_payload)

    def add(payload, old, new=''):
        edits.setdefault(payload, []).append((old, new))
    return add


def failure(run):
    """The message of the action's failure, or None when it succeeded."""
    try:
        run()
    except AnsibleActionFail as e:
        return str(e)
    return None


# -- pfx_import: where X509Certificate2 puts the key (X509KeyStorageFlags) and which store it writes ------

def _backup(pki, tmp_path):
    """A PFX backup made by hkpost_pfx from a host that holds the leaf with an exportable key."""
    source = FakeWindowsHost()
    leaf = pki.leaves['standard']
    source.stores['My'].append(entry_for(leaf.cert, leaf.key, 'www', exportable=True))
    run_action(hkpost_pfx.ActionModule, {'state': 'exported', 'thumbprint': leaf.thumbprint, 'dest': str(tmp_path),
                                         'password': PASSWORD}, host=source, task_vars={'inventory_hostname': 'web1'})
    return tmp_path / 'web1' / ('%s.pfx' % leaf.thumbprint)


def _restore(host, src, **kwargs):
    return run_action(hkpost_pfx.ActionModule, dict({'state': 'imported', 'src': str(src), 'password': PASSWORD},
                                                    **kwargs), host=host)


def restore_then_bind(pki, tmp_path):
    """Restore the backup on a web server and put it on an IIS https binding: the key must be usable by IIS."""
    src = _backup(pki, tmp_path)
    host = FakeWindowsHost()
    add_site(host, 'www', [('http', '*:80:www.example.hk', 0)])

    def run():
        _restore(host, src)
        run_action(iis_binding.ActionModule, {'site': 'www', 'host_header': 'www.example.hk',
                                              'certificate_thumbprint': pki.leaves['standard'].thumbprint}, host=host)
    return failure(run)


def test_pfx_import_without_persist_key_set_leaves_a_certificate_iis_cannot_use(pki, tmp_path, edit):
    assert restore_then_bind(pki, tmp_path) is None
    edit('pfx_import', "'MachineKeySet, PersistKeySet'", "'MachineKeySet'")
    assert 'A specified logon session does not exist' in restore_then_bind(pki, tmp_path)


def test_pfx_import_without_machine_key_set_puts_the_key_where_iis_cannot_read_it(pki, tmp_path, edit):
    edit('pfx_import', "'MachineKeySet, PersistKeySet'", "'PersistKeySet'")
    assert 'A specified logon session does not exist' in restore_then_bind(pki, tmp_path)


def test_pfx_import_into_the_current_user_store_is_not_on_the_machine(pki, tmp_path, edit):
    edit('pfx_import', "-ArgumentList $Store, 'LocalMachine'", '-ArgumentList $Store')
    assert restore_then_bind(pki, tmp_path) is not None


def test_pfx_import_into_a_store_opened_read_only_fails(pki, tmp_path, edit):
    edit('pfx_import', "$certStore.Open('ReadWrite')", "$certStore.Open('ReadOnly')")
    assert 'Access is denied' in restore_then_bind(pki, tmp_path)


def restore_exportable_then_back_up(pki, tmp_path):
    tmp_path = tmp_path / uuid.uuid4().hex   # each run writes its own backups (an existing one is kept)
    src = _backup(pki, tmp_path / 'first')
    host = FakeWindowsHost()

    def run():
        _restore(host, src, exportable=True)
        run_action(hkpost_pfx.ActionModule, {'state': 'exported', 'thumbprint': pki.leaves['standard'].thumbprint,
                                             'dest': str(tmp_path / 'again'), 'password': PASSWORD}, host=host)
    return failure(run)


def test_pfx_import_without_the_exportable_flag_cannot_be_backed_up_again(pki, tmp_path, edit):
    assert restore_exportable_then_back_up(pki, tmp_path) is None
    edit('pfx_import', '$flags = $flags -bor [Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable',
         '$flags = $flags')
    assert 'non-exportable' in restore_exportable_then_back_up(pki, tmp_path)


def test_pfx_import_without_persist_key_set_cannot_be_backed_up_again(pki, tmp_path, edit):
    edit('pfx_import', "'MachineKeySet, PersistKeySet'", "'MachineKeySet'")
    assert 'Keyset does not exist' in restore_exportable_then_back_up(pki, tmp_path)


# -- pfx_export_many: what Export-PfxCertificate is told ---------------------------------------------------

def backup_encryption(pki, tmp_path):
    """The PBE the backup is really encrypted with, and what hkpost_pfx reported."""
    host = FakeWindowsHost(os_build=20348)
    leaf = pki.leaves['standard']
    host.stores['My'].append(entry_for(leaf.cert, leaf.key, 'www', exportable=True))
    result = run_action(hkpost_pfx.ActionModule, {'state': 'exported', 'thumbprint': leaf.thumbprint,
                                                  'dest': str(tmp_path), 'password': PASSWORD},
                        host=host, task_vars={'inventory_hostname': 'web1'})
    data = (tmp_path / 'web1' / ('%s.pfx' % leaf.thumbprint)).read_bytes()
    return result['encryption'], 'AES256_SHA256' if fake_pfx.AES_OID_DER in data else 'TripleDES_SHA1'


def test_pfx_export_without_crypto_algorithm_option_is_weaker_than_reported(pki, tmp_path, edit):
    reported, actual = backup_encryption(pki, tmp_path / 'shipped')
    assert reported == actual == 'AES256_SHA256'
    edit('pfx_export_many', "{ $exportArgs.CryptoAlgorithmOption = 'AES256_SHA256' }", '{ }')
    reported, actual = backup_encryption(pki, tmp_path / 'edited')
    assert (reported, actual) == ('AES256_SHA256', 'TripleDES_SHA1')


def backup_certificates(pki, tmp_path):
    """How many certificates a backup asked to hold the leaf only (include_chain: false) really holds."""
    host = FakeWindowsHost()
    leaf = pki.leaves['standard']
    host.stores['My'].append(entry_for(leaf.cert, leaf.key, 'www', exportable=True))
    host.stores['CA'].append(entry_for(pki.ssl_new.cert))
    host.stores['Root'].append(entry_for(pki.root.cert))
    run_action(hkpost_pfx.ActionModule, {'state': 'exported', 'thumbprint': leaf.thumbprint, 'dest': str(tmp_path),
                                         'password': PASSWORD, 'include_chain': False},
               host=host, task_vars={'inventory_hostname': 'web1'})
    data = (tmp_path / 'web1' / ('%s.pfx' % leaf.thumbprint)).read_bytes()
    _key, _cert, extra = pkcs12.load_key_and_certificates(data, PASSWORD.encode())
    return 1 + len(extra)


def test_pfx_export_without_chain_option_builds_the_chain(pki, tmp_path, edit):
    assert backup_certificates(pki, tmp_path / 'shipped') == 1
    edit('pfx_export_many', "            ChainOption = $(if ($IncludeChain) { 'BuildChain' } else { 'EndEntityCertOnly' })\n")
    assert backup_certificates(pki, tmp_path / 'edited') == 3

# -- certreq: the context (-machine) a request is made and completed in -----------------------------------


def request_then_complete(pki, tmp_path):
    """hkpost_csr makes the request, Hongkong Post issues for its key, hkpost_complete_request installs it."""
    host = FakeWindowsHost()

    def run():
        run_action(hkpost_csr.ActionModule, {'common_name': 'www.example.com.hk', 'organization': 'Example Co',
                                             'csr_path': str(tmp_path / ('%s.csr' % uuid.uuid4().hex))},
                   host=host, action_name='hkpost.ecert.hkpost_csr')
        made = host.stores['REQUEST'] + host.state.get('current_user_stores', {}).get('REQUEST', [])
        issued = pki.issue_leaf('www.example.com.hk', key=made[-1]['key'])
        run_action(hkpost_complete_request.ActionModule, {'content': issued.pem}, host=host)
    return failure(run)


def test_certreq_new_in_the_user_context_leaves_nothing_to_complete_on_the_machine(pki, tmp_path, edit):
    assert request_then_complete(pki, tmp_path) is None
    edit('csr_create', "'-machine', ", "'-user', ")
    assert 'Nothing was changed' in request_then_complete(pki, tmp_path)


def test_certreq_new_without_machine_is_still_a_machine_request_while_the_inf_says_machine_key_set(pki, tmp_path,
                                                                                                   edit, monkeypatch):
    """-machine and the INF's MachineKeySet = TRUE say the same thing (certreq_1 reference): one alone keeps
    the request on the machine; without both it is a user request."""
    edit('csr_create', "'-machine', ")
    assert request_then_complete(pki, tmp_path) is None
    original = hkpost_csr.certreq_inf
    monkeypatch.setattr(hkpost_csr, 'certreq_inf',
                        lambda *a, **k: original(*a, **k).replace('MachineKeySet = TRUE', 'MachineKeySet = FALSE'))
    assert 'Nothing was changed' in request_then_complete(pki, tmp_path)


def batch_request(tmp_path, host, **extra):
    """hkpost_csr state: present (every missing request in one execution, pending keys backed up): None, or why not."""
    args = dict({'state': 'present', 'certificates': [{'common_name': 'www.example.com.hk'}], 'organization': 'Example Co',
                 'csr_dir': str(tmp_path / uuid.uuid4().hex), 'backup_dir': str(tmp_path / uuid.uuid4().hex),
                 'backup_password': PASSWORD}, **extra)
    return failure(lambda: run_action(hkpost_csr.ActionModule, args, host=host, action_name='hkpost.ecert.hkpost_csr',
                                      task_vars={'inventory_hostname': 'ex1.example.hk'}))


def test_certreq_new_many_in_the_user_context_leaves_no_pending_request_on_the_machine(tmp_path, edit):
    assert batch_request(tmp_path, FakeWindowsHost()) is None
    edit('csr_create_many', "'-machine', ", "'-user', ")
    assert 'is not listed on the host' in batch_request(tmp_path, FakeWindowsHost())


def test_new_exchange_certificate_many_without_private_key_exportable_cannot_be_backed_up(tmp_path, edit):
    def run():
        host = FakeWindowsHost(os_build=7601)
        exchange_state(host)
        return batch_request(tmp_path, host, platform='exchange')
    assert run() is None
    edit('exchange_request_many', '        PrivateKeyExportable = $true\n')
    assert 'non-exportable' in run()


def complete_pending(pki):
    host = FakeWindowsHost()
    leaf = pki.leaves['standard']
    host.stores['REQUEST'].append(pending_entry(leaf.key, 'www.example.hk', 'request www'))
    return failure(lambda: run_action(hkpost_complete_request.ActionModule, {'content': leaf.pem}, host=host))


def test_certreq_accept_without_machine_does_not_find_the_machine_request(pki, edit):
    assert complete_pending(pki) is None
    edit('complete_request', "@('-accept', '-machine', '-q', $file)", "@('-accept', '-q', $file)")
    assert 'CRYPT_E_NOT_FOUND' in complete_pending(pki)


def install_one(pki, tmp_path):
    """hkpost_install completing one pending request and binding it (iis_apply: the complete step, then the binding)."""
    leaf = pki.issue_leaf('a.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost()
    host.stores['REQUEST'].append(pending_entry(leaf.key, 'a.example.hk'))
    add_site(host, 'a', [('http', '*:80:', 0)])
    arguments = {'certificates': [{'content': leaf.pem, 'common_name': 'a.example.hk',
                                   'iis_bindings': [{'site': 'a', 'host_header': 'a.example.hk'}]}],
                 'verify': False, 'backup_dir': str(tmp_path / uuid.uuid4().hex), 'backup_password': PASSWORD}
    return failure(lambda: run_action(hkpost_install.ActionModule, arguments, host=host,
                                      task_vars={'inventory_hostname': 'web3'}))


def test_certreq_accept_without_machine_fails_the_install_too(pki, tmp_path, edit):
    assert install_one(pki, tmp_path) is None
    edit('iis_apply', "@('-accept', '-machine', '-q', $file)", "@('-accept', '-q', $file)")
    assert 'CRYPT_E_NOT_FOUND' in install_one(pki, tmp_path)


# -- Exchange over implicit remoting: the session, the imported cmdlets, and prompts nobody can answer -----

REQUEST = {'state': 'requested', 'common_name': 'mail.example.hk', 'organization': 'Example Co., Ltd.'}


def _exchange(host, args, **kwargs):
    return run_action(exchange_cert.ActionModule, args, host=host, task_vars={'inventory_hostname': 'ex1.example.hk'},
                      **kwargs)


def exchange_host():
    host = FakeWindowsHost(os_build=7601)
    exchange_state(host)
    return host


def exchange_mail(pki):
    """An Exchange server holding the old certificate (IIS, SMTP, POP, IMAP) and the new one's pending request."""
    host = exchange_host()
    leaf = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'])
    old = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'], not_before=pki.now - 150 * DAY)
    add_certificate(host, old.cert, old.key, services=['IIS', 'SMTP', 'POP', 'IMAP'])
    add_pending(host, leaf.key, 'mail.example.hk')
    return host, leaf, old


def install_on_exchange(pki, **extra):
    host, leaf, _old = exchange_mail(pki)
    return failure(lambda: _exchange(host, dict({'content': leaf.pem, 'services': ['IIS', 'SMTP']}, **extra)))


def test_enable_exchange_certificate_without_force_stops_at_the_smtp_question(pki, edit):
    assert install_on_exchange(pki) is None
    edit('exchange_enable', '-Services ($Services -join \',\') -Force', '-Services ($Services -join \',\')')
    assert 'Overwrite the existing default SMTP certificate?' in install_on_exchange(pki)


def request_on_exchange(tmp_path):
    host = exchange_host()
    return failure(lambda: _exchange(host, dict(REQUEST, csr_path=str(tmp_path / ('%s.csr' % uuid.uuid4().hex)))))


def test_exchange_session_without_the_exchange_configuration_is_refused(tmp_path, edit):
    assert request_on_exchange(tmp_path) is None
    edit('exchange_request', "ConfigurationName = 'Microsoft.Exchange'\n")
    assert 'Microsoft.PowerShell session configuration' in request_on_exchange(tmp_path)


@pytest.mark.parametrize('payload,imported,kept', [
    ('exchange_request', "@('New-ExchangeCertificate', 'Get-ExchangeCertificate')", "@('Get-ExchangeCertificate')"),
    ('exchange_read', "@('Get-ExchangeServer', 'Get-ExchangeCertificate')", "@('Get-ExchangeCertificate')"),
])
def test_an_exchange_cmdlet_not_imported_from_the_session_does_not_exist(tmp_path, edit, payload, imported, kept):
    edit(payload, '-CommandName ' + imported, '-CommandName ' + kept)
    assert 'is not recognized as the name of a cmdlet' in request_on_exchange(tmp_path)


@pytest.mark.parametrize('payload,cmdlet,listed', [
    ('exchange_enable', 'Import-ExchangeCertificate', "@('Import-ExchangeCertificate',"),
    ('exchange_enable', 'Enable-ExchangeCertificate', "'Enable-ExchangeCertificate')")])
def test_an_exchange_write_cmdlet_not_imported_does_not_exist(pki, edit, payload, cmdlet, listed):
    # exchange_enable imports and enables in one session: each cmdlet is needed in its -CommandName list.
    edit(payload, listed, listed.replace(cmdlet, 'Get-ExchangeCertificate'))
    assert "'%s' is not recognized" % cmdlet in install_on_exchange(pki)


def test_new_exchange_certificate_without_generate_request_makes_no_request(tmp_path, edit):
    edit('exchange_request', '        GenerateRequest      = $true\n')
    assert 'returned no certificate request text' in request_on_exchange(tmp_path)


def request_import_then_back_up(pki, tmp_path):
    """exchange_cert requests, Hongkong Post issues for the request's key, exchange_cert installs it, then
    hkpost_pfx backs it up (a PFX backup needs an exportable key)."""
    host = exchange_host()

    def run():
        _exchange(host, dict(REQUEST, csr_path=str(tmp_path / ('%s.csr' % uuid.uuid4().hex))))
        pending = [c for c in exchange_state(host)['certificates'] if c['status'] == 'PendingRequest'][-1]
        leaf = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'], key=pending['key'])
        _exchange(host, {'content': leaf.pem, 'services': ['IIS']})
        run_action(hkpost_pfx.ActionModule, {'state': 'exported', 'thumbprint': leaf.thumbprint,
                                             'dest': str(tmp_path / uuid.uuid4().hex), 'password': PASSWORD},
                   host=host, task_vars={'inventory_hostname': 'ex1'})
    return failure(run)


def test_new_exchange_certificate_without_private_key_exportable_cannot_be_backed_up(pki, tmp_path, edit):
    assert request_import_then_back_up(pki, tmp_path) is None
    edit('exchange_request', '        PrivateKeyExportable = $true\n')
    assert 'non-exportable' in request_import_then_back_up(pki, tmp_path)


def test_read_payload_in_check_mode_closes_its_session_only_with_whatif_false(edit):
    def leaked():
        host = exchange_host()
        _exchange(host, REQUEST, check_mode=True)
        return exchange_state(host).get('leaked_sessions', [])
    assert leaked() == []
    edit('exchange_read', 'Remove-PSSession -Session $session -WhatIf:$false', 'Remove-PSSession -Session $session')
    assert leaked() == ['# hkpost.ecert payload: exchange_read']


# -- Windows DNS: -Node, -Force on the removal, -TimeToLive on the addition --------------------------------

def _dcv(host, **kwargs):
    args = {'method': 'dns', 'dns_provider': 'windows', 'domains': ['example.com'], 'verification_code': CODE,
            'verify': False}
    args.update(kwargs)
    return run_action(hkpost_dcv_token.ActionModule, args, host=host, action_name='hkpost.ecert.hkpost_dcv_token')


def dns_cleanup():
    """Remove the code at the apex: the child's equal record stays, the apex loses it; returns the zone or the error."""
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {'@': [{'value': CODE, 'ttl': 600}],
                                                   'shop': [{'value': CODE, 'ttl': 300}]}})['zones']
    return failure(lambda: _dcv(host, state='absent')) or zones['example.com']


def test_dns_removal_without_force_stops_at_the_confirmation(edit):
    assert dns_cleanup() == {'@': [], 'shop': [{'value': CODE, 'ttl': 300}]}
    edit('dcv_windows_dns_write', '-InputObject $record -Force', '-InputObject $record')
    assert 'does not support user interaction' in dns_cleanup()


def test_dns_records_read_without_node_include_the_names_below(edit):
    edit('dcv_windows_dns_write', '-RRType Txt -Node', '-RRType Txt')
    # Without -Node the child's copy is read as the apex's and removed with it.
    assert dns_cleanup() == {'@': [], 'shop': []}


def dns_publish():
    """Publish at an apex whose TXT records live 600 s: the code's record takes the same TTL."""
    host = FakeWindowsHost()
    zones = new_windows_dns(host, {'example.com': {'@': [{'value': 'v=spf1 -all', 'ttl': 600}]}})['zones']
    _dcv(host)
    return [r['ttl'] for r in zones['example.com']['@'] if r['value'] == CODE]


def test_dns_record_added_without_time_to_live_takes_the_zone_default(edit):
    assert dns_publish() == [600]
    edit('dcv_windows_dns_write', ' `\n        -TimeToLive (New-TimeSpan -Seconds $Ttl)')
    assert dns_publish() == [3600]


# -- X509Store writes in chain_apply and retire_apply ------------------------------------------------------

def chain_fresh_host(pki, tmp_path):
    """hkpost_chain on a fresh host: the root and the new intermediate must land in LocalMachine Root and CA."""
    root, ssl = tmp_path / 'root.pem', tmp_path / 'ssl.pem'
    root.write_text(pki.root.pem)
    ssl.write_text(pki.ssl_new.pem)
    host = FakeWindowsHost()
    error = failure(lambda: run_action(hkpost_chain.ActionModule, {'root_certificate_file': str(root),
                                                                   'ssl_intermediate_file': str(ssl)},
                                       host=host, action_name='hkpost.ecert.hkpost_chain'))
    return error or (fake_chain.thumbprints(host, 'Root'), fake_chain.thumbprints(host, 'CA'))


def test_chain_steps_in_a_store_opened_read_only_fail(pki, tmp_path, edit):
    assert chain_fresh_host(pki, tmp_path) == ([pki.root.thumbprint], [pki.ssl_new.thumbprint])
    edit('chain_apply', "$store.Open('ReadWrite')", "$store.Open('ReadOnly')")
    assert 'Access is denied' in chain_fresh_host(pki, tmp_path)


def test_chain_steps_without_local_machine_change_only_the_current_user(pki, tmp_path, edit):
    edit('chain_apply', "::new($Name, 'LocalMachine')", '::new($Name)')
    assert chain_fresh_host(pki, tmp_path) == ([], [])


def crl_swap(pki, tmp_path):
    """hkpost_chain replacing an older ARL with the current one in LocalMachine\\CA (certutil -addstore / -delstore)."""
    files = {}
    for name, data in (('root.pem', pki.root.pem), ('ssl.pem', pki.ssl_new.pem), ('arl.crl', crl_der(pki.arl))):
        files[name] = tmp_path / name
        files[name].write_bytes(data if isinstance(data, bytes) else data.encode())
    host = FakeWindowsHost()
    fake_chain.put(host, 'Root', pki.root.cert)
    fake_chain.put(host, 'CA', pki.ssl_new.cert)
    fake_chain.put_crl(host, pki.arl_older)
    error = failure(lambda: run_action(hkpost_chain.ActionModule, {
        'root_certificate_file': str(files['root.pem']), 'ssl_intermediate_file': str(files['ssl.pem']),
        'arl_file': str(files['arl.crl'])}, host=host, action_name='hkpost.ecert.hkpost_chain'))
    return error or fake_chain.crl_thumbprints(host)


def test_certutil_without_its_verb_fails_the_crl_step(pki, tmp_path, edit):
    current = fake_chain.crl_thumbprints(_with_crl(pki.arl))
    assert crl_swap(pki, tmp_path) == current
    edit('chain_apply', "@('-addstore', $ChainStep.store, $file)", '@($ChainStep.store, $file)')
    assert 'Unknown arg' in crl_swap(pki, tmp_path)


def test_certutil_in_the_user_context_leaves_the_machine_crls_as_they_were(pki, tmp_path, edit):
    edit('chain_apply', "@('-addstore', $ChainStep.store, $file)", "@('-user', '-addstore', $ChainStep.store, $file)")
    edit('chain_apply', "@('-delstore', $ChainStep.store, $ChainStep.thumbprint)",
         "@('-user', '-delstore', $ChainStep.store, $ChainStep.thumbprint)")
    assert crl_swap(pki, tmp_path) == fake_chain.crl_thumbprints(_with_crl(pki.arl_older))


def _with_crl(crl):
    host = FakeWindowsHost()
    fake_chain.put_crl(host, crl)
    return host


def retire_expired(pki):
    """hkpost_retire on a host whose replaced certificate has EXPIRED (the usual one to retire): it must go."""
    old = pki.issue_leaf('www.example.hk', not_before=pki.now - 400 * DAY, not_after=pki.now - 2 * DAY)
    new = pki.issue_leaf('www.example.hk', not_before=pki.now - 2 * DAY)
    host = FakeWindowsHost()
    host.stores['My'] += [entry_for(old.cert, old.key), entry_for(new.cert, new.key)]
    add_site(host, 'Default Web Site', [('https', '*:443:www.example.hk', 1)])
    map_sslcert(host, 'hostnameport', 'www.example.hk:443', new.thumbprint)
    error = failure(lambda: run_action(hkpost_retire.ActionModule, {}, host=host,
                                       task_vars={'inventory_hostname': 'web1'}))
    return error or sorted(e['thumbprint'] == old.thumbprint for e in host.stores['My'])


def test_retire_finding_valid_certificates_only_never_removes_an_expired_one(pki, edit):
    assert retire_expired(pki) == [False]
    edit('retire_apply', "$removal.thumbprint, $false)", "$removal.thumbprint, $true)")
    assert retire_expired(pki) == [False, True]


def test_retire_in_a_store_opened_read_only_fails(pki, edit):
    edit('retire_apply', "$store.Open('ReadWrite')", "$store.Open('ReadOnly')")
    assert 'Access is denied' in retire_expired(pki)


# -- IIS through Microsoft.Web.Administration: what the new element holds, and the commit ------------------

def iis_bind(pki):
    """A new SNI binding on site www: what IIS then holds (https bindings, http.sys mappings), or the error."""
    host = FakeWindowsHost()
    leaf = pki.leaves['standard']
    host.stores['My'].append(entry_for(leaf.cert, leaf.key))
    add_site(host, 'www', [('http', '*:80:www.example.hk', 0)])
    error = failure(lambda: run_action(iis_binding.ActionModule, {'site': 'www', 'host_header': 'www.example.hk',
                                                                  'certificate_thumbprint': leaf.thumbprint},
                                       host=host))
    state = iis_state(host)
    return error or ([(b['binding_information'], b['ssl_flags']) for b in state['sites'][0]['bindings']
                      if b['protocol'] == 'https'],
                     {kind: sorted(state['sslcert'][kind]) for kind in ('ipport', 'hostnameport')})


SNI_BOUND = ([('*:443:www.example.hk', 1)], {'ipport': [], 'hostnameport': ['www.example.hk:443']})


def test_iis_binding_without_commit_changes_changes_nothing(pki, edit):
    assert iis_bind(pki) == SNI_BOUND
    # Only Add-IisBinding's commit: the other step functions of iis_apply keep theirs.
    edit('iis_apply', '    $iisSite.Bindings.Add($element) | Out-Null\n    $open.manager.CommitChanges()\n',
         '    $iisSite.Bindings.Add($element) | Out-Null\n')
    assert iis_bind(pki) == ([], {'ipport': [], 'hostnameport': []})


def test_iis_binding_without_ssl_flags_on_the_new_element_is_not_sni(pki, edit):
    edit('iis_apply', "    $element.SetAttributeValue('sslFlags', $SslFlags)\n")
    # sslFlags 0: IIS writes an IP:port mapping, which takes 0.0.0.0:443 from every other site.
    assert iis_bind(pki) == ([('*:443:www.example.hk', 0)], {'ipport': ['0.0.0.0:443'], 'hostnameport': []})


def test_iis_binding_without_certificate_hash_on_the_new_element_has_no_certificate(pki, edit):
    # Set-IisBindingCertificate still sets $replacement.CertificateHash: not the new element of Add-IisBinding.
    edit('iis_apply', '    $element.CertificateHash = $hash\n')
    assert iis_bind(pki) == ([('*:443:www.example.hk', 1)], {'ipport': [], 'hostnameport': []})


def iis_rebind(pki):
    """The certificate of an existing SNI binding replaced (iis_apply's Set-IisBindingCertificate swaps in a new element)."""
    host = FakeWindowsHost()
    old, leaf = pki.leaves['expiring'], pki.leaves['standard']
    host.stores['My'] += [entry_for(old.cert, old.key), entry_for(leaf.cert, leaf.key)]
    add_site(host, 'shop', [('https', '*:443:www.example.hk', 1)])
    map_sslcert(host, 'hostnameport', 'www.example.hk:443', old.thumbprint)
    error = failure(lambda: run_action(iis_binding.ActionModule, {'site': 'shop', 'host_header': 'www.example.hk',
                                                                  'certificate_thumbprint': leaf.thumbprint},
                                       host=host))
    state = iis_state(host)
    return error or ([b['ssl_flags'] for b in state['sites'][0]['bindings']],
                     {e: m['thumbprint'] == leaf.thumbprint for kind in ('ipport', 'hostnameport')
                      for e, m in state['sslcert'][kind].items()})


@pytest.mark.parametrize('old,new,holds', [
    ('    $iisSite.Bindings.Add($replacement) | Out-Null\n    $open.manager.CommitChanges()\n',
     '    $iisSite.Bindings.Add($replacement) | Out-Null\n', ([1], {'www.example.hk:443': False})),
    ("$replacement.SetAttributeValue('sslFlags', $SslFlags)\n", '\n',
     ([0], {'www.example.hk:443': False, '0.0.0.0:443': True})),
    ('    $replacement.CertificateHash = $hash\n', '', ([1], {'www.example.hk:443': False})),
])
def test_iis_certificate_change_holds_only_what_the_script_sets_and_commits(pki, edit, old, new, holds):
    assert iis_rebind(pki) == ([1], {'www.example.hk:443': True})
    edit('iis_apply', old, new)
    assert iis_rebind(pki) == holds


def test_iis_apply_runs_each_step_kind_with_the_function_its_switch_names(pki, edit):
    """The loop's switch is read: a step kind sent to the wrong function fails as Windows would."""
    assert iis_rebind(pki) == ([1], {'www.example.hk:443': True})
    edit('iis_apply', "'binding_replace' { Set-IisBindingCertificate", "'binding_replace' { Add-IisBinding")
    assert 'already has an https binding *:443:www.example.hk' in iis_rebind(pki)


def test_friendly_names_are_the_ones_the_scripts_set(pki, tmp_path, edit):
    """certreq -accept and X509Certificate2 leave the friendly name empty; the payloads set it afterwards."""
    def names():
        host = FakeWindowsHost()
        leaf = pki.leaves['standard']
        host.stores['REQUEST'].append(pending_entry(leaf.key, 'www.example.hk', 'request www'))
        run_action(hkpost_complete_request.ActionModule, {'content': leaf.pem}, host=host)
        restored = FakeWindowsHost()
        _restore(restored, _backup(pki, tmp_path / uuid.uuid4().hex), friendly_name='restored www')
        return host.stores['My'][0]['friendly_name'] != '', restored.stores['My'][0]['friendly_name']
    assert names() == (True, 'restored www')
    edit('complete_request', '    $installed.FriendlyName = $FriendlyName\n')
    edit('pfx_import', 'if ($FriendlyName) { $leaf.FriendlyName = $FriendlyName }')
    assert names() == (False, '')


def test_exchange_request_without_key_size_is_a_2048_bit_key(tmp_path, edit):
    def bits():
        host = exchange_host()
        _exchange(host, dict(REQUEST, key_size=4096, csr_path=str(tmp_path / ('%s.csr' % uuid.uuid4().hex))))
        return [c['key'].key_size for c in exchange_state(host)['certificates'] if c['status'] == 'PendingRequest']
    assert bits() == [4096]
    edit('exchange_request', '        KeySize              = $KeySize\n')
    assert bits() == [2048]


# -- where the read payloads look: Cert:\LocalMachine, not the WinRM account's own stores ------------------

def test_store_read_of_the_current_user_does_not_see_the_machine_request(pki, edit):
    assert complete_pending(pki) is None
    edit('ecert_store_read', '"Cert:\\LocalMachine\\$Name"', '"Cert:\\CurrentUser\\$Name"')
    assert 'Nothing was changed' in complete_pending(pki)


def test_pending_read_of_the_current_user_makes_a_second_key(tmp_path, edit):
    """hkpost_csr reuses the pending request it finds; reading the wrong store it makes a new key each run."""
    def keys_after_two_runs():
        host = FakeWindowsHost()
        for _run in range(2):
            run_action(hkpost_csr.ActionModule, {'common_name': 'www.example.com.hk', 'organization': 'Example Co',
                                                 'csr_path': str(tmp_path / ('%s.csr' % uuid.uuid4().hex))},
                       host=host, action_name='hkpost.ecert.hkpost_csr')
        return len(host.stores['REQUEST'])
    assert keys_after_two_runs() == 1
    edit('csr_pending_read', '"Cert:\\LocalMachine\\$Name"', '"Cert:\\CurrentUser\\$Name"')
    assert keys_after_two_runs() == 2


# -- the IIS file DCV: the code's bytes, as Hongkong Post compares them --------------------------------------

def published_file():
    host = FakeWindowsHost()
    new_iis(host, [{'name': 'Default Web Site', 'id': 1, 'physical_path': '%SystemDrive%\\inetpub\\wwwroot',
                    'bindings': [('http', '*:80:')], 'txt_mime': 'text/plain'}])
    run_action(hkpost_dcv_token.ActionModule, {'method': 'file', 'domains': ['www.example.com'],
                                               'verification_code': CODE, 'verify': False},
               host=host, action_name='hkpost.ecert.hkpost_dcv_token')
    return iis_file(host, 'C:\\inetpub\\wwwroot\\.well-known\\pki-validation\\fileauth.txt')


def test_fileauth_written_with_a_bom_is_not_the_code(edit):
    assert published_file() == CODE.encode()
    edit('dcv_iis_write', 'UTF8Encoding -ArgumentList $false', 'UTF8Encoding -ArgumentList $true')
    assert published_file() == b'\xef\xbb\xbf' + CODE.encode()


def test_the_windows_internals_page_names_every_test_here():
    """The table 'What the fake host reads from each script' names each of these tests, and only these
    (names followed by ``.py`` are other test modules the table points to)."""
    with open(PAGE, encoding='utf-8') as handle:
        text = handle.read()
    section = text.split('What the fake host reads from each script\n')[1].split('Rules a new payload must keep')[0]
    named = set(re.findall(r'\b(test_[a-z0-9_]+)\b(?!\.py)', section))
    here = {name for name in globals() if name.startswith('test_')} - {
        'test_the_windows_internals_page_names_every_test_here'}
    assert named == here
