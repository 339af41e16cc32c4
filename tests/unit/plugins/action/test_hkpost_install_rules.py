# -*- coding: utf-8 -*-
"""Rules of hkpost_install's decision points (plugins/action/hkpost_install.py), each named by its test (issue 21,
mutation survivors of its first run): what is refused before the host is read, what a read answer without parts
means, when a backup's read-back stops an IIS install (rolled back, nothing retired), and what an Exchange check
that passes or a rollback that fails reports."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from ansible.plugins.action import display

from ansible_collections.hkpost.ecert.plugins.action.hkpost_install import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import pfx as fake_pfx
from tests.support.windows import retire as _fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.exchange import add_certificate, add_pending, exchange_state
from tests.support.windows.host import _HANDLERS, FakeWindowsHost, HostFailure
from tests.support.windows.iis import add_site, map_sslcert

DAY = datetime.timedelta(days=1)
PASSWORD = 'Install-Rules-40e7'


@pytest.fixture(name='iis_host')
def _iis_host(pki):
    """a.example.hk bound to ``old``; ``new`` pending in REQUEST."""
    old = pki.issue_leaf('a.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    new = pki.issue_leaf('a.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost()
    host.stores['My'].append(entry_for(old.cert, old.key))
    host.stores['REQUEST'].append(pending_entry(new.key, 'a.example.hk'))
    add_site(host, 'a.example.hk', [('https', '*:443:a.example.hk', 1)])
    map_sslcert(host, 'hostnameport', 'a.example.hk:443', old.thumbprint)
    return host, old, new


def iis_args(new, tmp_path, **extra):
    return dict({'certificates': [{'content': new.pem, 'iis_bindings': [{'site': 'a.example.hk',
                                                                         'host_header': 'a.example.hk'}]}],
                 'verify': False, 'backup_dir': str(tmp_path), 'backup_password': PASSWORD}, **extra)


def run(host, arguments, inventory_hostname='web3', **kwargs):
    return run_action(ActionModule, arguments, host=host, task_vars={'inventory_hostname': inventory_hostname}, **kwargs)


def run_exchange(host, arguments, **kwargs):
    return run(host, arguments, inventory_hostname='ex1.example.hk', **kwargs)


# refused before the host is read


@pytest.mark.parametrize('item', [{}, {'content': 'PEM', 'src': '/tmp/x.pem'}], ids=['neither', 'both'])
def test_a_certificate_needs_exactly_one_of_content_or_src(iis_host, tmp_path, item):
    host, _old, _new = iis_host
    with pytest.raises(AnsibleActionFail, match=r'certificates\[0\] needs exactly one of content \(PEM\) or src'):
        run(host, iis_args(_new, tmp_path, certificates=[item]))
    assert host.call_names() == []


@pytest.mark.parametrize('bad,message', [
    ({'verify_port': 0}, 'verify_port is 0; give 1-65535'),
    ({'verify_port': 65536}, 'verify_port is 65536; give 1-65535'),
    ({'verify_server_name': 'not a host!'}, 'verify_server_name'),
])
def test_the_check_options_are_refused_before_the_host_is_read(iis_host, tmp_path, bad, message):
    host, _old, new = iis_host
    with pytest.raises(AnsibleActionFail, match=message):
        run(host, iis_args(new, tmp_path, verify=True, **bad))
    assert host.call_names() == []


@pytest.mark.parametrize('port', [1, 65535])
def test_verify_ports_1_and_65535_are_accepted(iis_host, tmp_path, port):
    host, _old, new = iis_host
    result = run(host, iis_args(new, tmp_path, verify=True, verify_port=port), check_mode=True)
    assert result['changed'] is True


def test_the_check_options_are_not_judged_without_a_check(iis_host, tmp_path):
    host, _old, new = iis_host
    result = run(host, iis_args(new, tmp_path, verify_port=0, verify_server_name='not a host!'), check_mode=True)
    assert result['changed'] is True and host.call_names() == ['retire_read']


# IIS: the backup read-back


def test_a_backup_the_host_exported_wrong_rolls_the_binding_back_and_retires_nothing(iis_host, tmp_path, monkeypatch, pki):
    host, old, new = iis_host
    stranger = pki.leaves['standard']
    real = fake_pfx._export_one

    def another_certificate(fake, store, thumbprint, password, encryption, include_chain):
        fake.stores['My'].append(entry_for(stranger.cert, stranger.key))
        try:
            return real(fake, 'My', stranger.thumbprint, password, encryption, include_chain)
        finally:
            fake.stores['My'].pop()
    monkeypatch.setattr(fake_pfx, '_export_one', another_certificate)
    with pytest.raises(AnsibleActionFail, match='the host exported %s instead of %s with its key.*previous binding was '
                                                'put back. Nothing was retired' % (stranger.thumbprint, new.thumbprint)):
        run(host, iis_args(new, tmp_path))
    assert host.call_names() == ['retire_read', 'iis_apply', 'iis_apply']
    assert host.state['iis']['sslcert']['hostnameport']['a.example.hk:443']['thumbprint'] == old.thumbprint
    assert old.thumbprint in [e['thumbprint'] for e in host.stores['My']]
    assert not (tmp_path / 'web3').exists()


# Exchange


@pytest.fixture(name='exchange_host')
def _exchange_host(pki):
    old = pki.issue_leaf('mail.example.hk', not_before=pki.now - 300 * DAY, not_after=pki.now + 20 * DAY)
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost(os_build=14393)
    exchange_state(host)
    add_certificate(host, old.cert, old.key, services=['IIS', 'SMTP'])
    host.stores['My'].append(entry_for(old.cert, old.key))
    add_pending(host, new.key, 'mail.example.hk')
    return host, old, new


def exchange_args(new, tmp_path, **extra):
    return dict({'platform': 'exchange', 'certificates': [{'content': new.pem}], 'services': ['IIS', 'SMTP'],
                 'verify': False, 'backup_dir': str(tmp_path), 'backup_password': PASSWORD}, **extra)


def test_an_unanswered_hybrid_configuration_is_warned_about(exchange_host, tmp_path, monkeypatch):
    host, _old, new = exchange_host
    host.state['exchange']['hybrid_unavailable'] = True
    warnings = []
    monkeypatch.setattr(display, 'warning', lambda msg, *a, **k: warnings.append(msg))
    run_exchange(host, exchange_args(new, tmp_path), check_mode=True)
    assert [w for w in warnings if 'Get-HybridConfiguration did not answer' in w] == [
        "hkpost_install: Get-HybridConfiguration did not answer (The term 'Get-HybridConfiguration' is not "
        "recognized); a certificate a hybrid deployment uses is kept only if listed in keep_thumbprints."]
    host.state['exchange']['hybrid_unavailable'] = False
    warnings.clear()
    run_exchange(host, exchange_args(new, tmp_path), check_mode=True)
    assert not [w for w in warnings if 'Get-HybridConfiguration' in w]


def test_an_exchange_check_that_passes_goes_on_to_the_retiring(exchange_host, tmp_path, pki):
    from tests.support.peers.served_site import ServedSite  # pylint: disable=import-outside-toplevel
    host, old, new = exchange_host
    trust = tmp_path / 'trust.pem'
    trust.write_text(pki.root.pem)
    site = ServedSite(tmp_path, new.pem + pki.ssl_new.pem, new.key_pem)  # the new certificate served
    try:
        arguments = exchange_args(new, tmp_path / 'backup', verify=True, verify_address='127.0.0.1',
                                  verify_port=site.port, verify_trust=str(trust), verify_timeout=5)
        result = run_exchange(host, arguments)
    finally:
        site.stop()
    assert result['verify'][0]['ok'] is True and result['verify'][0]['expected'] == new.thumbprint
    assert result['verify'][0]['server_name'] == 'mail.example.hk'  # the certificate's own name
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    assert host.call_names() == ['retire_read', 'exchange_enable', 'retire_apply']


# options and their defaults


def test_certificates_are_required(iis_host, tmp_path):
    host, _old, new = iis_host
    arguments = iis_args(new, tmp_path)
    del arguments['certificates']
    with pytest.raises(AnsibleActionFail, match='missing required arguments: certificates'):
        run(host, arguments)


def test_the_check_is_made_by_default(iis_host, tmp_path):
    host, _old, new = iis_host
    arguments = iis_args(new, tmp_path, verify_port=0)
    del arguments['verify']
    with pytest.raises(AnsibleActionFail, match='verify_port is 0'):
        run(host, arguments)


def test_a_wildcard_verify_server_name_is_refused(iis_host, tmp_path):
    host, _old, new = iis_host
    with pytest.raises(AnsibleActionFail, match='verify_server_name'):
        run(host, iis_args(new, tmp_path, verify=True, verify_server_name='*.example.hk'))
    assert host.call_names() == []


def test_the_replaced_certificate_is_retired_at_once_by_default(iis_host, tmp_path, pki):
    host, old, _new = iis_host
    fresh = pki.issue_leaf('a.example.hk', not_before=pki.now - datetime.timedelta(hours=1))
    host.stores['REQUEST'].append(pending_entry(fresh.key, 'a.example.hk'))
    result = run(host, iis_args(fresh, tmp_path, backup=False), check_mode=True)
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    result = run(host, iis_args(fresh, tmp_path, backup=False, retire_grace_days=1), check_mode=True)
    assert result['retired'] == []


def test_a_certificate_is_read_from_src_on_the_controller(iis_host, tmp_path):
    host, _old, new = iis_host
    src = tmp_path / 'a.pem'
    src.write_text(new.pem)
    arguments = iis_args(new, tmp_path)
    arguments['certificates'] = [{'src': str(src), 'iis_bindings': arguments['certificates'][0]['iis_bindings']}]
    result = run(host, arguments, check_mode=True)
    assert result['completed'] == [new.thumbprint]


def test_an_unreadable_certificate_is_named_by_its_common_name_or_its_file(iis_host, tmp_path):
    host, _old, new = iis_host
    with pytest.raises(AnsibleActionFail, match=r'certificates\[0\] \(a\.example\.hk\)'):
        run(host, iis_args(new, tmp_path, certificates=[{'content': 'not a PEM', 'common_name': 'a.example.hk'}]))
    src = tmp_path / 'broken.pem'
    src.write_text('not a PEM')
    with pytest.raises(AnsibleActionFail, match=r'certificates\[0\] \(%s\)' % src):
        run(host, iis_args(new, tmp_path, certificates=[{'src': str(src)}]))
    assert host.call_names() == []


# retiring and its backups


def test_retire_false_retires_nothing(iis_host, tmp_path):
    host, old, new = iis_host
    result = run(host, iis_args(new, tmp_path, retire=False))
    assert result['retired'] == [] and 'retire_apply' not in host.call_names()
    assert old.thumbprint in [e['thumbprint'] for e in host.stores['My']]


def test_a_retired_certificate_is_backed_up_from_the_store_it_is_in(pki, tmp_path):
    old = pki.issue_leaf('a.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    new = pki.issue_leaf('a.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost()
    host.stores['WebHosting'].append(entry_for(old.cert, old.key))
    host.stores['REQUEST'].append(pending_entry(new.key, 'a.example.hk'))
    add_site(host, 'a.example.hk', [('https', '*:443:a.example.hk', 1)])
    map_sslcert(host, 'hostnameport', 'a.example.hk:443', old.thumbprint, store='WebHosting')
    result = run(host, iis_args(new, tmp_path))
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    export = next(s for s in host.calls[1][1]['Steps'] if s['kind'] == 'export')
    assert {'store': 'WebHosting', 'thumbprint': old.thumbprint} in export['items']
    assert (tmp_path / 'web3' / ('%s.pfx' % old.thumbprint)).is_file() and host.stores['WebHosting'] == []


def _with_chain(host, pki):
    host.stores['CA'].append(entry_for(pki.ssl_new.cert))
    host.stores['Root'].append(entry_for(pki.root.cert))


@pytest.mark.parametrize('build,aes', [(20348, True), (14393, False)])
def test_iis_backups_carry_the_chain_in_the_encryption_the_host_reads(iis_host, tmp_path, pki, build, aes):
    from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import read_pfx, uses_aes  # pylint: disable=import-outside-toplevel
    host, old, new = iis_host
    host.os_build = build
    _with_chain(host, pki)
    run(host, iis_args(new, tmp_path))
    for leaf in (new, old):
        data = (tmp_path / 'web3' / ('%s.pfx' % leaf.thumbprint)).read_bytes()
        assert read_pfx(data, PASSWORD)['chain'] and uses_aes(data) is aes


def test_the_password_goes_to_the_host_only_with_an_export(iis_host, tmp_path):
    host, old, new = iis_host
    run(host, iis_args(new, tmp_path, retire=False))
    assert host.calls[1][1]['Password'] is not None
    host.calls.clear()
    # installed and backed up already; the binding moved back by hand: a binding write without any export
    map_sslcert(host, 'hostnameport', 'a.example.hk:443', old.thumbprint)
    run(host, iis_args(new, tmp_path, retire=False))
    assert host.call_names() == ['retire_read', 'iis_apply']
    assert host.calls[1][1]['Password'] is None and [s['kind'] for s in host.calls[1][1]['Steps']] == ['binding_replace']


# changed


def test_changed_when_only_a_completion_is_to_do(iis_host, tmp_path):
    host, _old, new = iis_host
    result = run(host, iis_args(new, tmp_path, backup=False, retire=False,
                                certificates=[{'content': new.pem}]), check_mode=True)
    assert result['changed'] is True and result['completed'] == [new.thumbprint] and 'diff' not in result


def test_changed_when_only_a_binding_is_to_write(iis_host, tmp_path):
    host, _old, new = iis_host
    host.stores['REQUEST'].clear()
    host.stores['My'].append(entry_for(new.cert, new.key))
    result = run(host, iis_args(new, tmp_path, backup=False, retire=False), check_mode=True)
    assert result['changed'] is True and result['completed'] == [] and result['bindings'][0]['changed'] is True


def test_changed_when_only_a_backup_is_to_write(iis_host, tmp_path):
    host, _old, new = iis_host
    host.stores['REQUEST'].clear()
    host.stores['My'].append(entry_for(new.cert, new.key))
    map_sslcert(host, 'hostnameport', 'a.example.hk:443', new.thumbprint)
    result = run(host, iis_args(new, tmp_path, retire=False), check_mode=True)
    assert result['changed'] is True and result['completed'] == [] and not result['bindings'][0]['changed']
    assert [b['thumbprint'] for b in result['backups']] == [new.thumbprint]


# IIS: a step or a check that fails


def _fail_completion(monkeypatch, message):
    from tests.support.windows import certstore  # pylint: disable=import-outside-toplevel

    def refuse(fake, params):
        raise HostFailure(message)
    monkeypatch.setattr(certstore, 'complete_request', refuse)


def test_a_completion_that_fails_for_another_reason_is_not_called_keyless(iis_host, tmp_path, monkeypatch):
    host, old, new = iis_host
    _fail_completion(monkeypatch, 'CertEnroll::CX509Enrollment::InstallResponse: ASN1 bad tag value met.')
    with pytest.raises(AnsibleActionFail) as failed:
        run(host, iis_args(new, tmp_path))
    message = str(failed.value)
    assert message.startswith('iis_apply: CertEnroll::CX509Enrollment::InstallResponse: ASN1 bad tag value met. (complete %s)'
                              % new.thumbprint)
    assert message.endswith('. No binding was changed; nothing was retired.') and 'private key' not in message
    assert host.call_names() == ['retire_read', 'iis_apply']
    assert host.state['iis']['sslcert']['hostnameport']['a.example.hk:443']['thumbprint'] == old.thumbprint


def test_an_unreadable_apply_answer_puts_every_binding_back(iis_host, tmp_path, monkeypatch):
    host, old, new = iis_host
    real = _HANDLERS['iis_apply']
    seen = []

    def unreadable(fake, params):
        answer = real(fake, params)
        seen.append(params)
        return answer if len(seen) > 1 else dict(answer, steps=None)
    monkeypatch.setitem(_HANDLERS, 'iis_apply', unreadable)
    with pytest.raises(AnsibleActionFail, match='the host answered no step.*previous binding was put back'):
        run(host, iis_args(new, tmp_path))
    assert [s['kind'] for s in seen[1]['Steps']] == ['binding_replace']
    assert host.state['iis']['sslcert']['hostnameport']['a.example.hk:443']['thumbprint'] == old.thumbprint


def _export_stranger(monkeypatch, stranger):
    real = fake_pfx._export_one

    def another_certificate(fake, store, thumbprint, password, encryption, include_chain):
        fake.stores['My'].append(entry_for(stranger.cert, stranger.key))
        try:
            return real(fake, 'My', stranger.thumbprint, password, encryption, include_chain)
        finally:
            fake.stores['My'].pop()
    monkeypatch.setattr(fake_pfx, '_export_one', another_certificate)


def test_a_failed_backup_read_back_is_not_followed_by_a_check(iis_host, tmp_path, monkeypatch, pki):
    host, _old, new = iis_host
    _export_stranger(monkeypatch, pki.leaves['standard'])
    with pytest.raises(AnsibleActionFail, match='the backup was not written') as failed:
        run(host, iis_args(new, tmp_path, verify=True, verify_address='127.0.0.1', verify_timeout=2))
    assert failed.value.result['verify'] == []


def test_a_failed_backup_read_back_with_no_binding_written_says_so(iis_host, tmp_path, monkeypatch, pki):
    host, old, new = iis_host
    host.stores['REQUEST'].clear()
    host.stores['My'].append(entry_for(new.cert, new.key))
    map_sslcert(host, 'hostnameport', 'a.example.hk:443', new.thumbprint)
    _export_stranger(monkeypatch, pki.leaves['standard'])
    with pytest.raises(AnsibleActionFail) as failed:
        run(host, iis_args(new, tmp_path))
    assert str(failed.value).endswith('. No binding was changed; nothing was retired.')
    assert 'the backup was not written' in str(failed.value)
    assert host.call_names() == ['retire_read', 'iis_apply'] and old.thumbprint in [e['thumbprint'] for e in host.stores['My']]


def _second_call_fails(monkeypatch, payload, message):
    """The host runs ``payload`` once (the write), then fails it with ``message`` (the rollback's write)."""
    real, calls = _HANDLERS[payload], []

    def second_fails(fake, params):
        calls.append(params)
        if len(calls) > 1:
            raise HostFailure(message)
        return real(fake, params)
    monkeypatch.setitem(_HANDLERS, payload, second_fails)


def test_a_rollback_that_fails_says_so_and_names_the_binding(iis_host, tmp_path, monkeypatch, pki):
    host, _old, new = iis_host
    _export_stranger(monkeypatch, pki.leaves['standard'])
    _second_call_fails(monkeypatch, 'iis_apply', 'the IIS configuration is locked')
    with pytest.raises(AnsibleActionFail, match=r'(?s)^binding \*:443:a\.example\.hk on site "a\.example\.hk": .*rolling '
                                                r'back ALSO failed \(.*the IIS configuration is locked.*\), restore by hand'):
        run(host, iis_args(new, tmp_path))


@pytest.mark.parametrize('task_vars', [{'inventory_hostname': 'web3', 'ansible_host': '127.0.0.1'},
                                       {'inventory_hostname': '127.0.0.1'}])
def test_the_check_goes_to_ansible_host_else_the_inventory_name(iis_host, tmp_path, task_vars):
    from tests.support.peers.tls_servers import free_port_nobody_listens  # pylint: disable=import-outside-toplevel
    host, _old, new = iis_host
    arguments = iis_args(new, tmp_path, verify=True, verify_timeout=2)
    # a non-SNI binding: no host name to ask for, so the check asks for the address
    arguments['certificates'][0]['iis_bindings'] = [{'site': 'a.example.hk', 'port': free_port_nobody_listens()}]
    with pytest.raises(AnsibleActionFail, match='previous binding was put back') as failed:
        run_action(ActionModule, arguments, host=host, task_vars=task_vars)
    (check,) = failed.value.result['verify']
    assert check['address'] == '127.0.0.1' and check['server_name'] == '127.0.0.1'
    assert check['ok'] is False and check['problems']


# Exchange


def test_a_certificate_s_exchange_services_override_the_task_s(exchange_host, tmp_path):
    host, _old, new = exchange_host
    arguments = exchange_args(new, tmp_path, certificates=[{'content': new.pem, 'exchange_services': ['SMTP']}])
    result = run_exchange(host, arguments, check_mode=True)
    assert result['services'][0]['after'] == ['SMTP']


def test_iis_bindings_are_not_used_on_exchange(exchange_host, tmp_path):
    host, _old, new = exchange_host
    arguments = exchange_args(new, tmp_path, certificates=[{'content': new.pem, 'iis_bindings': [{'port': 'https'}]}])
    result = run_exchange(host, arguments, check_mode=True)
    assert result['bindings'] == [] and result['completed'] == [new.thumbprint]


def test_without_backups_the_enable_trip_exports_nothing_and_carries_no_password(exchange_host, tmp_path):
    host, old, new = exchange_host
    result = run_exchange(host, exchange_args(new, tmp_path, backup=False))
    assert host.call_names() == ['retire_read', 'exchange_enable', 'retire_apply']
    enable = host.calls[1][1]
    # the payload's defaults (Items @(), no Password) as the fake binds them: nothing exported, no secret sent
    assert enable['Items'] == [] and enable['Password'] is None
    assert result['backups'] == [] and [r['thumbprint'] for r in result['retired']] == [old.thumbprint]


def _installed(host, new):
    """``new`` imported and enabled on an earlier run: the old certificate serves nothing and is still there."""
    for cert in host.state['exchange']['certificates']:
        if cert['status'] == 'PendingRequest':
            host.state['exchange']['certificates'].remove(cert)
        else:
            cert['services'] = []
    host.stores['REQUEST'].clear()
    add_certificate(host, new.cert, new.key, services=['IIS', 'SMTP'])
    host.stores['My'].append(entry_for(new.cert, new.key))


def test_only_retiring_left_on_exchange_backs_up_then_retires(exchange_host, tmp_path, pki):
    from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import read_pfx  # pylint: disable=import-outside-toplevel
    host, old, new = exchange_host
    _installed(host, new)
    _with_chain(host, pki)
    result = run_exchange(host, exchange_args(new, tmp_path))
    assert host.call_names() == ['retire_read', 'pfx_export_many', 'retire_apply']
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    assert read_pfx((tmp_path / 'ex1.example.hk' / ('%s.pfx' % old.thumbprint)).read_bytes(), PASSWORD)['chain']


def test_exchange_backups_carry_the_chain(exchange_host, tmp_path, pki):
    from ansible_collections.hkpost.ecert.plugins.module_utils.install._pfx import read_pfx  # pylint: disable=import-outside-toplevel
    host, old, new = exchange_host
    _with_chain(host, pki)
    run_exchange(host, exchange_args(new, tmp_path))
    assert host.call_names() == ['retire_read', 'exchange_enable', 'retire_apply']
    for leaf in (new, old):
        assert read_pfx((tmp_path / 'ex1.example.hk' / ('%s.pfx' % leaf.thumbprint)).read_bytes(), PASSWORD)['chain']


def test_a_failed_backup_on_exchange_retires_nothing(exchange_host, tmp_path, monkeypatch, pki):
    host, old, new = exchange_host
    _installed(host, new)
    _export_stranger(monkeypatch, pki.leaves['standard'])
    with pytest.raises(AnsibleActionFail, match='the backup was not written'):
        run_exchange(host, exchange_args(new, tmp_path))
    assert 'retire_apply' not in host.call_names() and old.thumbprint in [e['thumbprint'] for e in host.stores['My']]


def test_no_check_when_iis_is_not_among_the_services(exchange_host, tmp_path):
    host, _old, new = exchange_host
    result = run_exchange(host, exchange_args(new, tmp_path, services=['SMTP'], verify=True,
                                              verify_address='127.0.0.1', verify_timeout=2))
    assert result['verify'] == []


def test_the_exchange_check_asks_port_443_by_default(exchange_host, tmp_path):
    host, _old, new = exchange_host
    with pytest.raises(AnsibleActionFail) as failed:
        run_exchange(host, exchange_args(new, tmp_path, verify=True, verify_address='127.0.0.1', verify_timeout=2,
                                         verify_server_name='webmail.example.hk'))
    (check,) = failed.value.result['verify']
    assert check['port'] == 443 and check['server_name'] == 'webmail.example.hk'


def test_a_failed_check_with_no_service_moved_says_nothing_was_put_back(pki, tmp_path):
    from tests.support.peers.tls_servers import free_port_nobody_listens  # pylint: disable=import-outside-toplevel
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost()
    exchange_state(host)
    add_pending(host, new.key, 'mail.example.hk')
    with pytest.raises(AnsibleActionFail, match='the previous services were put back on nothing \\(none moved\\)'):
        run_exchange(host, exchange_args(new, tmp_path, verify=True, verify_address='127.0.0.1', verify_timeout=2,
                                         verify_port=free_port_nobody_listens()))


def test_a_failed_check_whose_rollback_fails_says_so(exchange_host, tmp_path, monkeypatch):
    from tests.support.peers.tls_servers import free_port_nobody_listens  # pylint: disable=import-outside-toplevel
    host, old, new = exchange_host
    _second_call_fails(monkeypatch, 'exchange_enable', 'The Exchange server is busy')
    with pytest.raises(AnsibleActionFail, match=r'(?s)putting the previous services back ALSO failed \(.*The Exchange server '
                                                r'is busy.*\); by hand: .*%s' % old.thumbprint):
        run_exchange(host, exchange_args(new, tmp_path, verify=True, verify_address='127.0.0.1', verify_timeout=2,
                                         verify_port=free_port_nobody_listens()))


def test_an_exchange_error_quoting_the_session_password_is_masked(exchange_host, tmp_path, monkeypatch):
    from tests.support.connections import inventory_connection  # pylint: disable=import-outside-toplevel
    from tests.support.windows import exchange as fake_exchange  # pylint: disable=import-outside-toplevel
    host, _old, new = exchange_host
    user, secret = 'CORP\\svc-exchange', 'Exch-Session-6402'

    def refused(fake, params):
        raise HostFailure('Connecting to remote server failed: the password "%s" has expired' % secret)
    monkeypatch.setattr(fake_exchange, '_session', refused)
    hostvars = {'inventory_hostname': 'ex1.example.hk', 'ansible_connection': 'winrm', 'ansible_port': 5986,
                'ansible_winrm_scheme': 'https', 'ansible_winrm_transport': 'ntlm', 'ansible_user': 'CORP\\svc-ecert',
                'ansible_password': 'Conn-Pass-1'}
    with pytest.raises(AnsibleActionFail) as failed:
        run_action(ActionModule, exchange_args(new, tmp_path, username=user, password=secret), host=host,
                   task_vars=hostvars, connection=inventory_connection(hostvars))
    assert 'Exchange did not answer' in str(failed.value)
    assert secret not in str(failed.value) and 'the password "********" has expired' in str(failed.value)


def test_every_exchange_trip_opens_the_session_with_the_credentials_given(exchange_host, tmp_path):
    from tests.support.connections import inventory_connection  # pylint: disable=import-outside-toplevel
    from tests.support.windows.exchange import add_account  # pylint: disable=import-outside-toplevel
    host, _old, new = exchange_host
    user, secret = 'CORP\\svc-exchange', 'Exch-Session-6402'
    add_account(host, user, secret)
    hostvars = {'inventory_hostname': 'ex1.example.hk', 'ansible_connection': 'winrm', 'ansible_port': 5986,
                'ansible_winrm_scheme': 'https', 'ansible_winrm_transport': 'ntlm', 'ansible_user': 'CORP\\svc-ecert',
                'ansible_password': 'Conn-Pass-1'}
    run_action(ActionModule, exchange_args(new, tmp_path, username=user, password=secret), host=host,
               task_vars=hostvars, connection=inventory_connection(hostvars))
    assert host.call_names() == ['retire_read', 'exchange_enable', 'retire_apply']
    sessions = host.state['exchange']['sessions']
    assert len(sessions) >= 2 and {s['user'] for s in sessions} == {user}


def test_existing_backups_send_no_password_with_the_enable(exchange_host, tmp_path):
    host, old, new = exchange_host
    folder = tmp_path / 'ex1.example.hk'
    folder.mkdir()
    for leaf in (new, old):
        (folder / ('%s.pfx' % leaf.thumbprint)).write_bytes(pkcs12.serialize_key_and_certificates(
            b'x', leaf.key, leaf.cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    result = run_exchange(host, exchange_args(new, tmp_path))
    assert host.call_names() == ['retire_read', 'exchange_enable', 'retire_apply']
    assert host.calls[1][1]['Password'] is None and host.calls[1][1]['Items'] == []
    assert not any(b['path'] is None for b in result['backups'])


def test_an_unanswered_chain_write_on_exchange_names_its_first_step(exchange_host, tmp_path, pki, monkeypatch):
    host, _old, new = exchange_host
    host.stores['CA'].append(entry_for(pki.ssl_old.cert))  # the old intermediate: more than one chain step
    folder = tmp_path / 'chain-files'
    folder.mkdir()
    (folder / 'root.pem').write_text(pki.root.pem)
    (folder / 'ssl.pem').write_text(pki.ssl_new.pem)
    chain = {'root_certificate_file': str(folder / 'root.pem'), 'ssl_intermediate_file': str(folder / 'ssl.pem')}
    real = _HANDLERS['exchange_enable']

    def silent(fake, params):
        answer = real(fake, params)
        answer.pop('chain', None)
        return answer
    monkeypatch.setitem(_HANDLERS, 'exchange_enable', silent)
    with pytest.raises(AnsibleActionFail, match=r'the chain write stopped at step 1 \(.*\): the host did not answer '
                                                r'for the chain steps\. Applied: nothing\.') as failed:
        run_exchange(host, exchange_args(new, tmp_path, chain=chain))
    assert len(failed.value.result['chain']['plan']) > 1


def test_a_failed_binding_step_is_never_called_a_keyless_completion(iis_host, tmp_path, monkeypatch):
    from tests.support.windows import iis  # pylint: disable=import-outside-toplevel
    host, _old, new = iis_host

    def refuse(fake, params):
        raise HostFailure('SSL certificate add failed: the certificate was imported without the private key')
    monkeypatch.setattr(iis, 'iis_binding_replace', refuse)
    with pytest.raises(AnsibleActionFail) as failed:
        run(host, iis_args(new, tmp_path))
    assert 'certutil -repairstore' not in str(failed.value) and 'binding_replace' in str(failed.value)


def test_changed_when_only_an_exchange_enable_is_to_do(exchange_host, tmp_path):
    host, _old, new = exchange_host
    for cert in list(host.state['exchange']['certificates']):
        if cert['status'] == 'PendingRequest':
            host.state['exchange']['certificates'].remove(cert)
    host.stores['REQUEST'].clear()
    add_certificate(host, new.cert, new.key, services=[])
    host.stores['My'].append(entry_for(new.cert, new.key))
    result = run_exchange(host, exchange_args(new, tmp_path, backup=False, retire=False), check_mode=True)
    assert result['changed'] is True and result['completed'] == [] and result['services'][0]['changed'] is True


def test_a_wildcard_is_checked_under_the_exchange_server_s_name(pki, tmp_path):
    from tests.support.peers.tls_servers import free_port_nobody_listens  # pylint: disable=import-outside-toplevel
    wildcard = pki.issue_leaf('*.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost()
    exchange_state(host)
    add_pending(host, wildcard.key, '*.example.hk')
    with pytest.raises(AnsibleActionFail) as failed:
        run_exchange(host, exchange_args(wildcard, tmp_path, server='mail01.example.hk', verify=True,
                                         verify_address='127.0.0.1', verify_timeout=2,
                                         verify_port=free_port_nobody_listens()))
    assert failed.value.result['verify'][0]['server_name'] == 'mail01.example.hk'


def test_a_failed_check_names_the_certificates_given_their_services_back(exchange_host, tmp_path):
    from tests.support.peers.tls_servers import free_port_nobody_listens  # pylint: disable=import-outside-toplevel
    host, old, new = exchange_host
    with pytest.raises(AnsibleActionFail, match='the previous services were put back on %s\\. Nothing was retired'
                       % old.thumbprint):
        run_exchange(host, exchange_args(new, tmp_path, verify=True, verify_address='127.0.0.1', verify_timeout=2,
                                         verify_port=free_port_nobody_listens()))


def test_an_sni_binding_is_checked_under_its_host_name(iis_host, tmp_path):
    from tests.support.peers.tls_servers import free_port_nobody_listens  # pylint: disable=import-outside-toplevel
    host, _old, new = iis_host
    arguments = iis_args(new, tmp_path, verify=True, verify_address='127.0.0.1', verify_timeout=2)
    arguments['certificates'][0]['iis_bindings'][0]['port'] = free_port_nobody_listens()
    with pytest.raises(AnsibleActionFail, match='previous binding was put back') as failed:
        run(host, arguments)
    (check,) = failed.value.result['verify']
    assert check['address'] == '127.0.0.1' and check['server_name'] == 'a.example.hk'
