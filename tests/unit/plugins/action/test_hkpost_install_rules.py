# -*- coding: utf-8 -*-
"""Rules of hkpost_install's decision points (plugins/action/hkpost_install.py), each named by its test (issue 21,
mutation survivors of its first run): what is refused before the host is read, what a read answer without parts
means, when a backup's read-back stops an IIS install (rolled back, nothing retired), and what an Exchange check
that passes or a rollback that fails reports."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import display

from ansible_collections.hkpost.ecert.plugins.action.hkpost_install import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import pfx as fake_pfx
from tests.support.windows import retire as _fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.exchange import add_certificate, add_pending, exchange_state
from tests.support.windows.host import FakeWindowsHost
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
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    assert host.call_names() == ['retire_read', 'exchange_enable', 'retire_apply']
