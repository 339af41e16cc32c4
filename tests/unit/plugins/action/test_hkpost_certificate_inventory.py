# -*- coding: utf-8 -*-
"""hkpost_certificate_inventory against the fake host: one payload per host, every store and every consumer."""

from __future__ import annotations

import datetime
import json

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible_collections.hkpost.ecert.plugins.action.hkpost_certificate_inventory import ActionModule
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import load_payload
from tests.support.action_harness import run_action
from tests.support.windows import inventory as fake_inventory
from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.exchange import add_account, add_certificate
from tests.support.windows.host import FakeWindowsHost, internal_args
from tests.support.windows.iis import add_site, map_sslcert

DAY = datetime.timedelta(days=1)
SECRET = 'Inventory-Exchange-9c1f'


@pytest.fixture(scope='module')
def certs(pki):
    return {
        'www': pki.issue_leaf('www.example.hk', not_before=pki.now - 5 * DAY),
        'www_old': pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY),
        'rdp': pki.issue_leaf('rdp.example.com', issuer=pki.foreign_root),
        'winrm': pki.issue_leaf('win1.example.hk'),
        'sql': pki.issue_leaf('sql.example.hk'),
        'gateway': pki.issue_leaf('gw.example.hk'),
        'mail': pki.issue_leaf('mail.example.hk'),
    }


def full_host(pki, certs, os_build=20348):
    host = FakeWindowsHost(os_build=os_build)
    host.stores['My'] = [entry_for(certs['www'].cert, certs['www'].key),
                         entry_for(certs['www_old'].cert, certs['www_old'].key, key_storage='CAPI', exportable=True),
                         entry_for(certs['rdp'].cert, certs['rdp'].key),
                         entry_for(certs['winrm'].cert, certs['winrm'].key, key_missing=True),
                         entry_for(certs['sql'].cert, certs['sql'].key),
                         entry_for(certs['gateway'].cert, certs['gateway'].key),
                         entry_for(certs['mail'].cert, certs['mail'].key)]
    host.stores['Remote Desktop'] = [pending_entry(rsa.generate_private_key(65537, 2048), 'WIN1')]
    host.stores['CA'] = [entry_for(pki.ssl_new.cert)]
    host.stores['Root'] = [entry_for(pki.root.cert)]
    host.stores['REQUEST'] = [pending_entry(rsa.generate_private_key(65537, 2048), 'next.example.hk')]
    add_site(host, 'Default Web Site', [('https', '*:443:www.example.hk', 1), ('https', '*:443:', 0)])
    map_sslcert(host, 'hostnameport', 'www.example.hk:443', certs['www'].thumbprint)
    map_sslcert(host, 'ipport', '0.0.0.0:443', certs['www_old'].thumbprint)
    map_sslcert(host, 'ipport', '10.0.0.5:8443', 'AB' * 20)   # names a certificate the host does not hold
    fake_inventory.set_rdp_certificate(host, certs['rdp'].thumbprint)
    fake_inventory.add_winrm_https_listener(host, certs['winrm'].thumbprint)
    fake_inventory.install_rd_gateway(host, certs['gateway'].thumbprint)
    fake_inventory.add_sql_instance(host, 'MSSQLSERVER', 'MSSQL16.MSSQLSERVER', certs['sql'].thumbprint)
    fake_inventory.add_sql_instance(host, 'REPORTS', 'MSSQL16.REPORTS', None)   # self-generated certificate
    return host


def run(host, args=None, **kwargs):
    return run_action(ActionModule, args or {}, host=host, task_vars={'inventory_hostname': 'win1'}, **kwargs)


def _by_thumbprint(result, store='My'):
    return {c['thumbprint']: c for c in result['certificates'] if c['store'] == store}


def test_one_execution_lists_every_store_and_every_consumer(pki, certs):
    host = full_host(pki, certs)
    result = run(host)
    assert host.call_names() == ['certificate_inventory_read']
    assert result['changed'] is False and result['host'] == 'win1'
    stores = sorted({c['store'] for c in result['certificates']})
    assert stores == sorted(['My', 'Remote Desktop', 'CA', 'Root', 'REQUEST'])
    my = _by_thumbprint(result)
    kinds = {t: sorted(c['kind'] for c in cert['consumers']) for t, cert in my.items()}
    assert kinds[certs['www'].thumbprint] == ['iis']
    assert kinds[certs['www_old'].thumbprint] == ['iis']     # the non-SNI binding *:443: through 0.0.0.0:443
    assert kinds[certs['rdp'].thumbprint] == ['rdp']
    assert kinds[certs['winrm'].thumbprint] == ['winrm']
    assert kinds[certs['gateway'].thumbprint] == ['rd_gateway']
    # SQL Server Configuration Manager writes the thumbprint in lower case; it still matches.
    assert kinds[certs['sql'].thumbprint] == ['sql']
    assert kinds[certs['mail'].thumbprint] == []
    assert 'IIS site "Default Web Site" binding *:443:www.example.hk' in \
        [c['name'] for c in my[certs['www'].thumbprint]['consumers']]
    (dangling,) = result['dangling']
    assert dangling['kind'] == 'http.sys' and dangling['thumbprint'] == 'AB' * 20
    assert result['sources'] == {'iis': 'read', 'exchange': 'not asked', 'rdp': 'read', 'winrm': 'read',
                                 'rd_gateway': 'read', 'sql': 'read'}


def test_key_provider_exportability_and_an_unreadable_key(pki, certs):
    result = run(full_host(pki, certs))
    my = _by_thumbprint(result)
    www, old, winrm = my[certs['www'].thumbprint], my[certs['www_old'].thumbprint], my[certs['winrm'].thumbprint]
    assert (www['key_storage'], www['key_provider'], www['exportable']) == (
        'CNG', 'Microsoft Software Key Storage Provider', False)
    assert (old['key_storage'], old['key_provider'], old['exportable']) == (
        'CAPI', 'Microsoft RSA SChannel Cryptographic Provider', True)
    assert winrm['has_private_key'] is True and winrm['key_error'] == 'Keyset does not exist'
    root = next(c for c in result['certificates'] if c['store'] == 'Root')
    assert root['has_private_key'] is False and root['key_provider'] is None and root['role'] == 'root'
    assert www['is_hkpost'] and www['generation'] == 'new' and not my[certs['rdp'].thumbprint]['is_hkpost']
    assert 'der' not in www and www['sha256'] and www['dns_names'] == ['www.example.hk']


def test_rdp_self_signed_default_and_check_mode(pki, certs):
    host = full_host(pki, certs)
    fake_inventory.set_rdp_certificate(host, None)   # no certificate configured: Windows' own, in Remote Desktop
    result = run(host, check_mode=True)
    own = _by_thumbprint(result, 'Remote Desktop')
    (entry,) = own.values()
    assert [c['kind'] for c in entry['consumers']] == ['rdp']
    assert host.call_names() == ['certificate_inventory_read']


def test_exchange_services_when_asked_and_an_exchange_failure_is_a_source_error(pki, certs):
    host = full_host(pki, certs)
    add_certificate(host, certs['mail'].cert, certs['mail'].key, services=['IIS', 'SMTP'])
    add_account(host, 'EXAMPLE\\ansible', SECRET)
    result = run(host, {'exchange': True, 'server': 'ex1.corp.example.hk', 'username': 'EXAMPLE\\ansible', 'password': SECRET})
    mail = _by_thumbprint(result)[certs['mail'].thumbprint]
    assert [c['name'] for c in mail['consumers']] == ['Exchange services IIS, SMTP']
    assert result['sources']['exchange'] == 'read' and host.call_names() == ['certificate_inventory_read']
    host.state['exchange_unreachable'] = True
    result = run(host, {'exchange': True, 'server': 'ex1.corp.example.hk', 'username': 'EXAMPLE\\ansible', 'password': SECRET})
    assert result['sources']['exchange'].startswith('error: Connecting to remote server')
    assert SECRET not in str(result)
    # The other consumers are still read.
    assert result['sources']['rdp'] == 'read' and _by_thumbprint(result)[certs['rdp'].thumbprint]['consumers']


def test_username_without_password_is_refused_before_any_read(pki, certs):
    host = full_host(pki, certs)
    with pytest.raises(AnsibleActionFail, match='username needs password'):
        run(host, {'exchange': True, 'server': 'ex1.corp.example.hk', 'username': 'EXAMPLE\\ansible'})
    assert host.calls == []


def test_a_host_without_iis_or_roles_still_reads_its_stores(pki, certs):
    host = FakeWindowsHost()
    host.stores['My'] = [entry_for(certs['www'].cert, certs['www'].key)]
    result = run(host)
    assert [c['thumbprint'] for c in result['certificates']] == [certs['www'].thumbprint]
    assert result['sources']['iis'].startswith('not installed') and result['sources']['rd_gateway'] == 'not installed'
    assert result['consumers'] == [] and result['dangling'] == []


def test_the_fake_host_refuses_wmic_on_server_2025(pki, certs):
    """The rule the payload keeps (CIM, never wmic), as Windows Server 2025 enforces it."""
    host = full_host(pki, certs, os_build=26100)
    script = load_payload('certificate_inventory_read').replace(
        "$rdp = @{ listeners = @(); error = $null }",
        "$rdp = @{ listeners = @(); error = $null }\n$raw = wmic /namespace:\\\\root\\cimv2\\TerminalServices path "
        "Win32_TSGeneralSetting get SSLCertificateSHA1Hash", 1)
    args = dict({'script': script, 'parameters': {}, 'error_action': 'stop'}, **internal_args())
    result = host.execute_module('ansible.windows.win_powershell', args, {})
    assert result.get('failed') and "'wmic' is not recognized" in str(result['error'])
    assert not run(FakeWindowsHost(os_build=26100)).get('failed')


def test_an_unreadable_store_entry_is_listed_with_the_reason_and_the_rest_stands(pki, certs):
    from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._fleet import build
    from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._report import render_csv, render_html
    host = full_host(pki, certs)
    host.stores['CA'].append({'thumbprint': 'AA' * 20, 'der': 'bm90IGEgY2VydGlmaWNhdGU=', 'has_private_key': False})
    result = run(host)
    broken = next(c for c in result['certificates'] if c['thumbprint'] == 'AA' * 20)
    assert broken['error'].startswith('the certificate bytes could not be read') and broken['sha256'] is None
    assert len(_by_thumbprint(result)) == 7
    # An unreachable endpoint has no certificate either: the two must not be taken for each other.
    audit = {'endpoints': [{'host': '127.0.0.1', 'port': 443, 'inventory_name': 'win1', 'served': []}]}
    model = build([result], audit=audit, today=pki.now.date())
    entry = next(c for c in model['certificates'] if c['thumbprint'] == 'AA' * 20)
    assert entry['served_on'] == [] and entry['error'] and entry['days_left'] is None
    assert 'AAAAAAAA' in render_html(model) and 'AAAAAAAA' in render_csv(model)


@pytest.mark.parametrize('old, new, source', [
    ("-Namespace 'root\\cimv2\\TerminalServices' -ClassName 'Win32_TSGeneralSetting'",
     "-Namespace 'root\\cimv2' -ClassName 'Win32_TSGeneralSetting'", 'rdp'),
    ("-Namespace 'root\\cimv2\\TerminalServices' -ClassName 'Win32_TSGatewayServerSettings'",
     "-Namespace 'root\\cimv2' -ClassName 'Win32_TSGatewayServerSettings'", 'rd_gateway'),
])
def test_the_fake_host_answers_the_terminal_services_classes_only_where_they_live(pki, certs, old, new, source):
    """Planted: the class asked for in root\\cimv2. Windows says Invalid class; the payload reports it for that source."""
    host = full_host(pki, certs)
    script = load_payload('certificate_inventory_read')
    assert old in script, 'the payload no longer reads %s this way: plant the defect elsewhere' % source
    args = dict({'script': script.replace(old, new, 1), 'parameters': {'StoreNames': ['My']}, 'error_action': 'stop'},
                **internal_args())
    answer = json.loads(host.execute_module('ansible.windows.win_powershell', args, {})['output'][-1])
    assert answer[source]['error'] == 'Invalid class "%s"' % old.rsplit("'", 2)[-2]
    good = run(full_host(pki, certs))
    assert good['sources'][source] == 'read'


class _ExchangeErrorHost:
    """certificate_inventory_read answering, its Exchange session having failed with a message quoting the
    credential's password (the payload reports it in its answer, not as an error record)."""

    def execute_module(self, module_name, module_args, task_vars=None):
        password = module_args['sensitive_parameters'][0]['password']
        answer = {'os_build': 20348, 'stores': {'My': []},
                  'iis': {'present': False, 'sites': [], 'sslcert': {'ipport': [], 'hostnameport': []}},
                  'rdp': {'listeners': [], 'error': None}, 'winrm': {'listeners': [], 'error': None},
                  'rd_gateway': {'installed': False}, 'sql': {'instances': [], 'error': None},
                  'exchange': {'present': True, 'known': False, 'certificates': [],
                               'error': 'New-PSSession: logon refused for password "%s"' % password}}
        return {'changed': False, 'failed': False, 'output': [json.dumps(answer)], 'error': []}


def test_an_exchange_error_quoting_the_password_is_masked_in_the_result_and_the_warning(monkeypatch):
    from ansible.utils.display import Display
    warnings = []
    monkeypatch.setattr(Display, 'warning', lambda self, msg, *a, **kw: warnings.append(msg))
    result = run_action(ActionModule, {'exchange': True, 'server': 'ex1.corp.example.hk', 'username': 'EX\\svc', 'password': SECRET},
                        host=_ExchangeErrorHost(), task_vars={'inventory_hostname': 'ex1'})
    assert result['sources']['exchange'] == 'error: New-PSSession: logon refused for password "********"'
    assert len(warnings) == 1 and '"********"' in warnings[0] and SECRET not in warnings[0]
    assert SECRET not in json.dumps(result)
