# -*- coding: utf-8 -*-
"""backup.yml and restore.yml with their defaults (issue 21): hkpost_pfx all_hongkong_post and state restored.

A default backup takes every Hongkong Post certificate with its key (it took nothing before); a default restore
puts back, from the host's backup folder, what the host's bindings use and the newest of each name - never a
retired certificate, a pending request's placeholder, another CA's certificate or an expired one (it imported
every *.pfx before, putting retired certificates and placeholders back into LocalMachine\\My).
"""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import pfx as _fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as _fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert

PASSWORD = 'Fleet-Defaults-2f8a'
DAY = datetime.timedelta(days=1)


def run(host, **args):
    flags = {k: args.pop(k) for k in ('check_mode',) if k in args}
    return run_action(ActionModule, dict({'password': PASSWORD}, **args), host=host,
                      task_vars={'inventory_hostname': 'web1'}, **flags)


@pytest.fixture
def lineage(pki):
    old = pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    new = pki.issue_leaf('www.example.hk', not_before=pki.now - 2 * DAY)
    shop = pki.issue_leaf('shop.example.hk', not_before=pki.now - 30 * DAY)
    expired = pki.issue_leaf('old.example.hk', not_before=pki.now - 400 * DAY, not_after=pki.now - DAY)
    foreign = pki.issue_leaf('www.example.hk', issuer=pki.foreign_root, not_before=pki.now - DAY)
    return {'old': old, 'new': new, 'shop': shop, 'expired': expired, 'foreign': foreign}


def test_backup_all_takes_every_hongkong_post_certificate_with_its_key_in_one_export(pki, tmp_path, lineage):
    host = FakeWindowsHost()
    for name in ('new', 'shop', 'foreign'):
        host.stores['My'].append(entry_for(lineage[name].cert, lineage[name].key))
    host.stores['My'].append(entry_for(lineage['old'].cert))            # no key here: nothing to back up
    host.stores['My'].append(entry_for(pki.ssl_new.cert))               # a CA certificate
    result = run(host, state='exported', all_hongkong_post=True, dest=str(tmp_path))
    taken = sorted(b['thumbprint'] for b in result['backups'])
    assert taken == sorted([lineage['new'].thumbprint, lineage['shop'].thumbprint]) and result['changed']
    assert host.call_names() == ['retire_read', 'pfx_export_many']
    assert sorted(p.name for p in (tmp_path / 'web1').iterdir()) == sorted('%s.pfx' % t for t in taken)
    host.calls.clear()
    again = run(host, state='exported', all_hongkong_post=True, dest=str(tmp_path))
    assert again['changed'] is False and host.call_names() == ['retire_read']


def test_backup_all_in_check_mode_reads_and_writes_nothing(tmp_path, lineage):
    host = FakeWindowsHost()
    host.stores['My'].append(entry_for(lineage['new'].cert, lineage['new'].key))
    result = run(host, state='exported', all_hongkong_post=True, dest=str(tmp_path), check_mode=True)
    assert result['changed'] and host.call_names() == ['retire_read'] and not (tmp_path / 'web1').exists()


def _backup(folder, cert, key, name=None):
    data = pkcs12.serialize_key_and_certificates(
        b'x', key, cert, None, serialization.BestAvailableEncryption(PASSWORD.encode()))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ('%s.pfx' % (name or cert.fingerprint(cert.signature_hash_algorithm).hex().upper()))
    path.write_bytes(data)
    return path


def test_restore_puts_back_the_newest_of_each_name_and_skips_retired_placeholders_foreign_expired(pki, tmp_path,
                                                                                                  lineage):
    folder = tmp_path / 'web1'
    for name in ('old', 'new', 'shop', 'expired', 'foreign'):
        _backup(folder, lineage[name].cert, lineage[name].key, name)
    placeholder = pending_entry(lineage['new'].key, 'www.example.hk')
    from cryptography import x509
    import base64
    _backup(folder, x509.load_der_x509_certificate(base64.b64decode(placeholder['der'])), lineage['new'].key,
            'placeholder')
    host = FakeWindowsHost()
    result = run(host, state='restored', src=str(tmp_path), exportable=True)
    assert sorted(r['thumbprint'] for r in result['restored']) == sorted(
        [lineage['new'].thumbprint, lineage['shop'].thumbprint])
    reasons = {s['path'].rsplit('/', 1)[-1]: s['reason'] for s in result['not_restored']}
    assert reasons['old.pfx'].startswith('retired: %s of the same names is newer' % lineage['new'].thumbprint)
    assert 'placeholder' in reasons['placeholder.pfx'] and 'expired' in reasons['expired.pfx']
    assert 'not a Hongkong Post server certificate' in reasons['foreign.pfx']
    assert sorted(e['thumbprint'] for e in host.stores['My']) == sorted(r['thumbprint'] for r in result['restored'])
    host.calls.clear()
    again = run(host, state='restored', src=str(tmp_path), exportable=True)
    assert again['changed'] is False and host.call_names() == ['retire_read']


def test_restore_prefers_what_a_binding_on_the_host_serves(pki, tmp_path, lineage):
    # A server rebuilt from an image older than the renewal: its binding still names the old certificate.
    folder = tmp_path / 'web1'
    for name in ('old', 'new'):
        _backup(folder, lineage[name].cert, lineage[name].key, name)
    host = FakeWindowsHost()
    add_site(host, 'Default Web Site', [('https', '*:443:www.example.hk', 1)])
    map_sslcert(host, 'hostnameport', 'www.example.hk:443', lineage['old'].thumbprint)
    result = run(host, state='restored', src=str(tmp_path))
    assert [r['thumbprint'] for r in result['restored']] == [lineage['old'].thumbprint]
    assert [s['reason'] for s in result['not_restored']] == [
        'retired: %s of the same names is bound on the host' % lineage['old'].thumbprint]


@pytest.mark.parametrize('setup, message', [
    (lambda folder, leaf: None, r'there is no PFX backup for this host in .*web1'),
    (lambda folder, leaf: (folder / 'bad.pfx').write_bytes(
        pkcs12.serialize_key_and_certificates(b'x', leaf.key, leaf.cert, None,
                                              serialization.BestAvailableEncryption(b'another'))),
     r'PFX file .*bad\.pfx could not be opened with the password given'),
])
def test_restore_refuses_before_the_host_is_contacted(pki, tmp_path, setup, message):
    folder = tmp_path / 'web1'
    folder.mkdir()
    setup(folder, pki.leaves['standard'])
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match=message):
        run(host, state='restored', src=str(tmp_path))
    assert host.call_names() == [] and host.stores['My'] == []
