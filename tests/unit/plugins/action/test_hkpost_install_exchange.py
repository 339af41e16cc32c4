# -*- coding: utf-8 -*-
"""hkpost_install platform: exchange against the fake Exchange server: one read, one trip to import and enable,
the backups in one, the replaced certificate retired with the same policy as on IIS (backed up, grace, listed)."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.hkpost_install import ActionModule
from tests.support.action_harness import run_action
from tests.support.peers.served_site import ServedSite
from tests.support.windows import pfx as fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as fake_retire
from tests.support.windows.certstore import entry_for
from tests.support.windows.exchange import add_certificate, add_pending, exchange_state
from tests.support.windows.host import FakeWindowsHost

DAY = datetime.timedelta(days=1)
PASSWORD = 'Exchange-Backup-93d0'
WRITES = {'exchange_enable', 'pfx_export_many', 'retire_apply', 'iis_apply'}


@pytest.fixture
def server(pki):
    old = pki.issue_leaf('mail.example.hk', not_before=pki.now - 300 * DAY, not_after=pki.now + 20 * DAY)
    new = pki.issue_leaf('mail.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost(os_build=14393)
    exchange_state(host)
    add_certificate(host, old.cert, old.key, services=['IIS', 'POP', 'SMTP'])
    host.stores['My'].append(entry_for(old.cert, old.key))
    add_pending(host, new.key, 'mail.example.hk')
    return host, old, new


def args(new, tmp_path, **extra):
    return dict({'platform': 'exchange', 'certificates': [{'content': new.pem, 'common_name': 'mail.example.hk'}],
                 'services': ['IIS', 'POP', 'SMTP'], 'verify': False, 'backup_dir': str(tmp_path),
                 'backup_password': PASSWORD}, **extra)


def run(host, arguments, **kwargs):
    return run_action(ActionModule, arguments, host=host, task_vars={'inventory_hostname': 'ex1.example.hk'}, **kwargs)


def services(host):
    return {c['thumbprint']: c['services'] for c in host.state['exchange']['certificates']}


def test_first_install_is_read_apply_retire_and_a_rerun_is_the_read(server, tmp_path):
    host, old, new = server
    result = run(host, args(new, tmp_path))
    assert result['changed'] is True
    # the read; import, enable and both backups in one trip; the retiring after the backups were read back
    assert host.call_names() == ['retire_read', 'exchange_enable', 'retire_apply']
    # Server 2016 (build 14393) cannot import AES-256 PFX: 3DES, as hkpost_pfx chooses; the password never a parameter
    assert host.calls[1][1]['Encryption'] == 'TripleDES_SHA1' and PASSWORD not in repr(host.calls[1][1])
    assert result['completed'] == [new.thumbprint]
    (svc,) = result['services']
    assert svc['before'] == [] and svc['after'] == ['IIS', 'POP', 'SMTP'] and svc['changed'] is True
    # The replaced certificate: listed, backed up with its key before it went, gone from Exchange.
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    assert result['retired'][0]['replaced_by'] == new.thumbprint
    assert services(host) == {new.thumbprint: ['IIS', 'POP', 'SMTP']}
    backup = tmp_path / 'ex1.example.hk' / ('%s.pfx' % old.thumbprint)
    key, _cert, _chain = pkcs12.load_key_and_certificates(backup.read_bytes(), PASSWORD.encode())
    assert key is not None
    assert sorted(b['thumbprint'] for b in result['backups']) == sorted([new.thumbprint, old.thumbprint])
    host.calls.clear()
    again = run(host, args(new, tmp_path))
    assert again['changed'] is False and host.call_names() == ['retire_read']


def test_check_mode_reads_once_and_changes_nothing(server, tmp_path):
    host, old, new = server
    result = run(host, args(new, tmp_path), check_mode=True, diff=True)
    assert result['changed'] is True and host.call_names() == ['retire_read']
    assert result['diff']['after']['services'] == {new.thumbprint: ['IIS', 'POP', 'SMTP']}
    assert result['diff']['after']['retired'] == [old.thumbprint]
    assert old.thumbprint in services(host) and not (tmp_path / 'ex1.example.hk').exists()


def test_grace_days_keep_the_replaced_certificate_and_say_why(server, tmp_path):
    host, old, new = server
    result = run(host, args(new, tmp_path, retire_grace_days=7))
    assert result['retired'] == [] and 'grace period' in result['kept'][0]['reason']
    assert old.thumbprint in services(host) and 'retire_apply' not in host.call_names()


def test_a_service_only_the_old_certificate_keeps_keeps_it(server, tmp_path):
    host, old, new = server
    result = run(host, args(new, tmp_path, services=['IIS', 'SMTP']))
    (kept,) = result['kept']
    assert kept['thumbprint'] == old.thumbprint and 'POP' in kept['reason']
    assert services(host)[old.thumbprint] == ['POP', 'SMTP']


def test_hybrid_certificate_and_keep_thumbprints_stay(server, tmp_path):
    host, old, new = server
    host.state['exchange']['hybrid_tls_certificate_name'] = fake_retire.hybrid_name_for(
        host.state['exchange']['certificates'][0]['der'])
    result = run(host, args(new, tmp_path), check_mode=True)
    assert result['retired'] == [] and 'Get-HybridConfiguration TlsCertificateName' in result['kept'][0]['reason']
    host.state['exchange'].pop('hybrid_tls_certificate_name')
    result = run(host, args(new, tmp_path, keep_thumbprints=[old.thumbprint.lower()]), check_mode=True)
    assert result['retired'] == [] and result['kept'][0]['reason'] == 'listed in keep_thumbprints'


def test_wildcard_refused_for_imap_before_any_write(pki, tmp_path):
    wildcard = pki.issue_leaf('*.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost()
    exchange_state(host)
    add_pending(host, wildcard.key, '*.example.hk')
    with pytest.raises(AnsibleActionFail, match='refusing to enable the wildcard certificate .* for IMAP'):
        run(host, args(wildcard, tmp_path, services=['IIS', 'IMAP']))
    assert host.call_names() == ['retire_read']


@pytest.mark.parametrize('bad,message', [
    ({'backup_password': ''}, 'backup_password is empty'),
    ({'verify': True, 'verify_timeout': 0}, 'verify_timeout is 0'),
    ({'services': ['IIS', 'Web']}, 'Exchange service "Web" is not one of'),
    ({'retire_grace_days': -1}, 'retire_grace_days is -1'),
    ({'keep_thumbprints': ['not-a-thumbprint']}, 'keep_thumbprints entry'),
    ({'connection_uri': 'mail1/PowerShell'}, 'is not an http'),
])
def test_bad_input_is_refused_before_the_host_is_touched(server, tmp_path, bad, message):
    host, _old, new = server
    with pytest.raises(AnsibleActionFail, match=message):
        run(host, args(new, tmp_path, **bad))
    assert host.call_names() == []


def test_exchange_not_answering_changes_nothing(server, tmp_path):
    host, _old, new = server
    host.state['exchange_unreachable'] = True
    with pytest.raises(AnsibleActionFail, match='Exchange did not answer'):
        run(host, args(new, tmp_path))
    assert not WRITES & set(host.call_names())


def test_a_failed_check_puts_the_previous_services_back_and_retires_nothing(server, tmp_path, pki):
    host, old, new = server
    trust = tmp_path / 'trust.pem'
    trust.write_text(pki.root.pem)
    site = ServedSite(tmp_path, old.pem + pki.ssl_new.pem, old.key_pem)  # still the old certificate served
    try:
        with pytest.raises(AnsibleActionFail, match='the server sends %s, not %s.*previous services were put back'
                           % (old.thumbprint, new.thumbprint)):
            run(host, args(new, tmp_path, verify=True, verify_address='127.0.0.1', verify_port=site.port,
                           verify_trust=str(trust), verify_timeout=5))
    finally:
        site.stop()
    assert services(host)[old.thumbprint] == ['IIS', 'POP', 'SMTP']
    assert 'retire_apply' not in host.call_names() and not (tmp_path / 'ex1.example.hk').exists()
