# -*- coding: utf-8 -*-
"""hkpost_retire against the fake host: only replaced Hongkong Post certificates nothing uses are removed."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.hkpost_retire import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import retire as fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import pfx as fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for
from tests.support.windows.exchange import add_certificate, exchange_state
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert

DAY = datetime.timedelta(days=1)
PASSWORD = 'Retire-Backup-77a1'
# What a user writes when the inventory name is short: Kerberos to the Exchange endpoint needs its FQDN.
EXCHANGE = {'exchange': True, 'server': 'web1.corp.example.hk'}


@pytest.fixture
def certs(pki):
    old = pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    new = pki.issue_leaf('www.example.hk', not_before=pki.now - 2 * DAY)
    other_ca = pki.issue_leaf('www.example.hk', issuer=pki.foreign_root, not_before=pki.now - 300 * DAY)
    unrelated = pki.issue_leaf('intranet.example.hk', not_before=pki.now - 300 * DAY)
    return {'old': old, 'new': new, 'other_ca': other_ca, 'unrelated': unrelated}


def iis_host(certs, bound='new'):
    host = FakeWindowsHost()
    for name in ('old', 'new', 'other_ca', 'unrelated'):
        host.stores['My'].append(entry_for(certs[name].cert, certs[name].key))
    add_site(host, 'Default Web Site', [('https', '*:443:www.example.hk', 1)])
    map_sslcert(host, 'hostnameport', 'www.example.hk:443', certs[bound].thumbprint)
    return host


def run(host, args=None, **kwargs):
    return run_action(ActionModule, args or {}, host=host, task_vars={'inventory_hostname': 'web1'}, **kwargs)


def my(host):
    return sorted(e['thumbprint'] for e in host.stores['My'])


def test_retires_only_the_replaced_hongkong_post_certificate_then_changes_nothing(certs):
    host = iis_host(certs)
    result = run(host)
    assert result['changed'] is True
    assert [r['thumbprint'] for r in result['retired']] == [certs['old'].thumbprint]
    assert result['retired'][0]['replaced_by'] == certs['new'].thumbprint
    assert my(host) == sorted(certs[n].thumbprint for n in ('new', 'other_ca', 'unrelated'))
    assert host.call_names() == ['retire_read', 'retire_apply']
    host.calls.clear()
    assert run(host)['changed'] is False and host.call_names() == ['retire_read']


def test_refused_while_an_iis_binding_serves_it(certs):
    host = iis_host(certs, bound='old')
    result = run(host)
    assert result['changed'] is False and result['retired'] == []
    (kept,) = result['kept']
    assert kept['thumbprint'] == certs['old'].thumbprint
    assert 'IIS site "Default Web Site" binding *:443:www.example.hk' in kept['reason']
    with pytest.raises(AnsibleActionFail, match='refusing to retire .*still used by IIS site'):
        run(host, {'thumbprints': [certs['old'].thumbprint]})
    assert certs['old'].thumbprint in my(host) and host.call_names() == ['retire_read', 'retire_read']


def test_refused_while_a_stray_http_sys_mapping_names_it(certs):
    host = iis_host(certs)
    map_sslcert(host, 'ipport', '10.0.0.5:8443', certs['old'].thumbprint)
    (kept,) = run(host)['kept']
    assert 'http.sys mapping ipport=10.0.0.5:8443' in kept['reason']
    assert certs['old'].thumbprint in my(host)


def test_exchange_services_and_unknown_exchange_status_keep_it(pki, certs):
    host = FakeWindowsHost(os_build=7601)
    exchange_state(host)
    add_certificate(host, certs['old'].cert, certs['old'].key, services=['POP', 'SMTP'])
    add_certificate(host, certs['new'].cert, certs['new'].key, services=['IIS', 'SMTP'])
    for name in ('old', 'new'):
        host.stores['My'].append(entry_for(certs[name].cert, certs[name].key))
    (kept,) = run(host, EXCHANGE)['kept']
    # POP only the old one serves is a use; SMTP, which the replacement serves for all its names, is not
    # (Exchange never takes SMTP off the old certificate: one policy with exchange_cert's superseded rule).
    assert kept['reason'].startswith('still used by Exchange services POP (its replacement')
    host.state['exchange']['certificates'][0]['services'] = ['SMTP']
    assert [r['thumbprint'] for r in run(host, EXCHANGE, check_mode=True)['retired']] == [certs['old'].thumbprint]
    host.state['exchange']['certificates'][0]['services'] = []
    host.state['exchange_unreachable'] = True
    result = run(host, EXCHANGE)
    assert result['exchange_known'] is False and result['retired'] == []
    assert 'Exchange did not answer' in result['kept'][0]['reason']
    host.state['exchange_unreachable'] = False
    result = run(host, EXCHANGE)
    assert [r['thumbprint'] for r in result['retired']] == [certs['old'].thumbprint]
    assert [c['thumbprint'] for c in host.state['exchange']['certificates']] == [certs['new'].thumbprint]


def test_grace_period_waits_for_the_replacement_to_age(certs):
    host = iis_host(certs)
    result = run(host, {'grace_days': 7})
    assert result['retired'] == [] and 'grace period' in result['kept'][0]['reason']
    assert run(host, {'grace_days': 1})['changed'] is True


def test_check_mode_and_diff_show_what_would_be_retired(certs):
    host = iis_host(certs)
    result = run(host, check_mode=True, diff=True)
    assert result['changed'] is True and host.call_names() == ['retire_read']
    assert certs['old'].thumbprint in result['diff']['before']['My']
    assert certs['old'].thumbprint not in result['diff']['after']['My']
    assert certs['old'].thumbprint in my(host)


def test_backup_first_when_asked(tmp_path, certs):
    host = iis_host(certs)
    result = run(host, {'backup': True, 'backup_dir': str(tmp_path), 'backup_password': PASSWORD})
    assert host.call_names() == ['retire_read', 'pfx_export_many', 'retire_apply']
    pfx = tmp_path / 'web1' / ('%s.pfx' % certs['old'].thumbprint)
    key, cert, _chain = pkcs12.load_key_and_certificates(pfx.read_bytes(), PASSWORD.encode())
    assert key is not None and result['backups'][0]['path'] == str(pfx)
    assert PASSWORD not in repr(host.calls[1][1]['Encryption'])


def test_replaced_by_limits_what_counts_as_a_replacement(pki, certs):
    host = iis_host(certs)
    assert run(host, {'replaced_by': [certs['unrelated'].thumbprint]}, check_mode=True)['retired'] == []
    assert run(host, {'replaced_by': [certs['new'].thumbprint]}, check_mode=True)['retired'] != []


def test_a_certificate_whose_exchange_services_are_unknown_is_kept(certs):
    host = FakeWindowsHost(os_build=7601)
    exchange_state(host)
    add_certificate(host, certs['old'].cert, certs['old'].key, services=[])
    add_certificate(host, certs['new'].cert, certs['new'].key, services=['IIS', 'SMTP'])
    for name in ('old', 'new'):
        host.stores['My'].append(entry_for(certs[name].cert, certs[name].key))
    # Serialized data signing with an expired Auth certificate: RawData only, no Status, no Services.
    host.state['exchange']['certificates'][0].update(services=None, status=None)
    result = run(host, EXCHANGE)
    assert result['retired'] == [] and 'Exchange services unknown' in result['kept'][0]['reason']
    assert certs['old'].thumbprint in my(host)
