# -*- coding: utf-8 -*-
"""hkpost_install against the fake host: one read plans a host's completions, bindings, backups and retirements."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_install import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import pfx as fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.host import FakeWindowsHost, HostFailure
from tests.support.windows.iis import add_site, map_sslcert

DAY = datetime.timedelta(days=1)
PASSWORD = 'Install-Backup-51c2'
WRITES = {'complete_request', 'iis_apply', 'pfx_export_many', 'retire_apply'}


@pytest.fixture
def fleet_host(pki):
    old = pki.issue_leaf('a.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    other = pki.issue_leaf('a.example.hk', issuer=pki.foreign_root, not_before=pki.now - 50 * DAY)
    new = {cn: pki.issue_leaf(cn, not_before=pki.now - DAY) for cn in ('a.example.hk', 'b.example.hk', 'c.example.hk')}
    host = FakeWindowsHost()
    host.stores['My'] += [entry_for(old.cert, old.key), entry_for(other.cert, other.key)]
    for cn, leaf in new.items():
        host.stores['REQUEST'].append(pending_entry(leaf.key, cn))
        add_site(host, cn, [('http', '*:80:', 0)])
    host.state['iis']['sites'][0]['bindings'].append(
        {'protocol': 'https', 'binding_information': '*:443:a.example.hk', 'ssl_flags': 1 | 8})
    map_sslcert(host, 'hostnameport', 'a.example.hk:443', old.thumbprint)
    return host, old, other, new


def args(new, tmp_path, **extra):
    return dict({'certificates': [{'content': leaf.pem, 'common_name': cn,
                                   'iis_bindings': [{'site': cn, 'host_header': cn}]} for cn, leaf in new.items()],
                 'verify': False, 'backup_dir': str(tmp_path), 'backup_password': PASSWORD}, **extra)


def run(host, arguments, **kwargs):
    return run_action(ActionModule, arguments, host=host, task_vars={'inventory_hostname': 'web3'}, **kwargs)


def test_three_certificates_from_one_read_then_a_rerun_is_that_one_read(fleet_host, tmp_path):
    host, old, other, new = fleet_host
    result = run(host, args(new, tmp_path))
    assert result['changed'] is True
    names = host.call_names()
    assert names[0] == 'retire_read' and names.count('retire_read') == 1
    # one read, one trip for the completions, every backup and every binding (issue 21), one to retire
    assert names == ['retire_read', 'iis_apply', 'retire_apply']
    steps = host.calls[1][1]['Steps']
    assert [s['kind'] for s in steps] == ['complete'] * 3 + ['export', 'binding_replace'] + ['binding_add'] * 2
    assert [i['thumbprint'] for i in steps[3]['items']][-1] == old.thumbprint  # the retired one backed up too
    mappings = {e.split(':')[0]: m['thumbprint'] for e, m in host.state['iis']['sslcert']['hostnameport'].items()}
    assert mappings == {cn: leaf.thumbprint for cn, leaf in new.items()}
    site_a = host.state['iis']['sites'][0]
    assert [b['ssl_flags'] for b in site_a['bindings'] if b['protocol'] == 'https'] == [9]  # OCSP bit kept
    assert sorted(e['thumbprint'] for e in host.stores['My']) == sorted(
        [leaf.thumbprint for leaf in new.values()] + [other.thumbprint])   # the replaced one gone, the other CA's kept
    assert result['retired'][0]['thumbprint'] == old.thumbprint
    assert sorted(p.name for p in (tmp_path / 'web3').iterdir()) == sorted(
        '%s.pfx' % t for t in [leaf.thumbprint for leaf in new.values()] + [old.thumbprint])  # retired: backed up first
    host.calls.clear()
    again = run(host, args(new, tmp_path))
    assert again['changed'] is False and host.call_names() == ['retire_read']


def test_check_mode_reads_once_and_shows_the_plan(fleet_host, tmp_path):
    host, old, _other, new = fleet_host
    result = run(host, args(new, tmp_path), check_mode=True, diff=True)
    assert result['changed'] is True and host.call_names() == ['retire_read']
    assert sorted(result['completed']) == sorted(leaf.thumbprint for leaf in new.values())
    assert result['diff']['after']['retired'] == [old.thumbprint]
    assert not (tmp_path / 'web3').exists() and len(host.stores['REQUEST']) == 3


def test_a_refused_binding_stops_everything_before_a_write(fleet_host, tmp_path, pki):
    host, _old, _other, new = fleet_host
    arguments = args(new, tmp_path)
    arguments['certificates'][1]['iis_bindings'] = [{'site': 'b.example.hk', 'host_header': 'x.example.hk'}]
    with pytest.raises(AnsibleActionFail, match='does not serve the host header "x.example.hk"'):
        run(host, arguments)
    assert not WRITES & set(host.call_names())
    stray = pki.issue_leaf('d.example.hk')
    with pytest.raises(AnsibleActionFail, match='matches no pending request'):
        run(host, dict(args(new, tmp_path), certificates=[{'content': stray.pem}]))
    assert not WRITES & set(host.call_names())


@pytest.mark.parametrize('bad,message', [
    ({'backup_password': ''}, 'backup_password is empty'),
    ({'backup_password': 777123}, 'backup_password'),
    ({'verify': True, 'verify_timeout': 0}, 'verify_timeout is 0'),
    ({'verify': True, 'verify_trust': '/nonexistent/trust.pem'}, 'verify_trust'),
    ({'retire_grace_days': -2}, 'retire_grace_days is -2'),
    ({'keep_thumbprints': ['zz']}, 'keep_thumbprints entry'),
    ({'platform': 'apache'}, 'platform'),
])
def test_bad_options_are_refused_before_the_host_is_read(fleet_host, tmp_path, bad, message):
    host, _old, _other, new = fleet_host
    with pytest.raises(AnsibleActionFail, match=message):
        run(host, dict(args(new, tmp_path), **bad))
    assert host.call_names() == []


def test_a_port_that_is_a_scheme_name_and_a_backup_dir_that_is_a_file_are_refused_first(fleet_host, tmp_path):
    host, _old, _other, new = fleet_host
    arguments = args(new, tmp_path)
    arguments['certificates'][0]['iis_bindings'] = [{'site': 'a.example.hk', 'host_header': 'a.example.hk',
                                                     'port': 'https'}]
    with pytest.raises(AnsibleActionFail, match="port 'https' is not a port number"):
        run(host, arguments)
    afile = tmp_path / 'not-a-dir'
    afile.write_text('x')
    with pytest.raises(AnsibleActionFail, match='backup_dir'):
        run(host, args(new, tmp_path, backup_dir=str(afile)))
    assert host.call_names() == []


def test_a_bound_certificate_the_server_does_not_send_is_rolled_back_and_nothing_retired(fleet_host, tmp_path, pki):
    from tests.support.peers.served_site import ServedSite
    host, old, _other, new = fleet_host
    trust = tmp_path / 'trust.pem'
    trust.write_text(pki.root.pem)
    site = ServedSite(tmp_path, old.pem + pki.ssl_new.pem, old.key_pem)  # a right chain, for the old certificate
    try:
        arguments = args({'a.example.hk': new['a.example.hk']}, tmp_path, verify=True, verify_address='127.0.0.1',
                         verify_trust=str(trust), verify_timeout=5)
        arguments['certificates'][0]['iis_bindings'][0]['port'] = site.port
        with pytest.raises(AnsibleActionFail, match='the server sends %s, not %s.*previous binding was put back'
                           % (old.thumbprint, new['a.example.hk'].thumbprint)):
            run(host, arguments)
    finally:
        site.stop()
    # the apply, then the one binding it wrote put back in one more trip; nothing retired
    assert host.call_names() == ['retire_read', 'iis_apply', 'iis_apply']
    assert [s['kind'] for s in host.calls[2][1]['Steps']] == ['binding_remove'] and host.calls[2][1]['ContinueOnError']
    assert old.thumbprint in [e['thumbprint'] for e in host.stores['My']]
    assert ':%d:a.example.hk' % site.port not in str(host.state['iis']['sites'][0]['bindings'])


def test_a_completion_without_its_key_is_reported_as_such_and_nothing_is_exported(fleet_host, tmp_path, monkeypatch):
    from tests.support.windows import certstore
    host, _old, _other, new = fleet_host
    real = certstore.complete_request

    def keyless(fake, params):
        answer = real(fake, params)
        return dict(answer, has_private_key=False)
    monkeypatch.setattr(certstore, 'complete_request', keyless)
    with pytest.raises(AnsibleActionFail, match='without the private key; run certutil -repairstore'):
        run(host, args(new, tmp_path))
    assert not (tmp_path / 'web3').exists() and 'retire_apply' not in host.call_names()


def test_a_failed_binding_step_stops_the_plan_and_what_was_written_is_put_back(fleet_host, tmp_path, monkeypatch):
    """The second binding's write fails on the host: the first is put back, the third was never written."""
    from tests.support.windows import iis
    host, old, _other, new = fleet_host
    real = iis.iis_binding_add

    def refuse_b(fake, params):
        if params['Site'] == 'b.example.hk':
            raise HostFailure('Exception calling "CommitChanges" with "0" argument(s): "refused for b"')
        return real(fake, params)
    monkeypatch.setattr(iis, 'iis_binding_add', refuse_b)
    with pytest.raises(AnsibleActionFail, match='refused for b.*previous bindings were put back.*Nothing was retired'):
        run(host, args(new, tmp_path))
    assert host.call_names() == ['retire_read', 'iis_apply', 'iis_apply']
    answered = [(s['kind'], s.get('site')) for s in host.calls[1][1]['Steps']]
    assert answered[-3:] == [('binding_replace', 'a.example.hk'), ('binding_add', 'b.example.hk'),
                             ('binding_add', 'c.example.hk')]
    # the rollback: a's previous binding back, b's removed (it failed part-way); c's was skipped, so not touched
    assert [(s['kind'], s['site']) for s in host.calls[2][1]['Steps']] == [
        ('binding_replace', 'a.example.hk'), ('binding_remove', 'b.example.hk')]
    assert host.state['iis']['sslcert']['hostnameport']['a.example.hk:443']['thumbprint'] == old.thumbprint
    assert [b['ssl_flags'] for b in host.state['iis']['sites'][0]['bindings'] if b['protocol'] == 'https'] == [9]
    assert not [b for site in host.state['iis']['sites'][1:] for b in site['bindings'] if b['protocol'] == 'https']
    assert old.thumbprint in [e['thumbprint'] for e in host.stores['My']]


def test_a_failed_export_step_is_masked_and_stops_before_any_binding(fleet_host, tmp_path, monkeypatch):
    """The host's error text comes back in iis_apply's JSON answer, not as a module failure: masked all the same."""
    from tests.support.windows.host import _HANDLERS
    host, old, _other, _new = fleet_host
    new = dict(list(_new.items())[:1])

    def echo(fake, params):
        raise HostFailure('Export-PfxCertificate: the value "%s" was refused by the host' % PASSWORD)
    monkeypatch.setitem(_HANDLERS, 'pfx_export_many', echo)
    with pytest.raises(AnsibleActionFail) as e:
        run(host, args(new, tmp_path))
    assert PASSWORD not in str(e.value) and 'the value "********" was refused' in str(e.value)
    assert 'No binding was changed; nothing was retired' in str(e.value)
    assert host.call_names() == ['retire_read', 'iis_apply']
    assert host.state['iis']['sslcert']['hostnameport']['a.example.hk:443']['thumbprint'] == old.thumbprint


def test_only_retiring_left_is_the_read_and_the_retire(pki):
    """Installed and bound on an earlier run, the replaced certificate still there: no apply trip at all."""
    old = pki.issue_leaf('a.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    new = pki.issue_leaf('a.example.hk', not_before=pki.now - DAY)
    host = FakeWindowsHost()
    host.stores['My'] += [entry_for(old.cert, old.key), entry_for(new.cert, new.key)]
    add_site(host, 'a.example.hk', [('https', '*:443:a.example.hk', 1)])
    map_sslcert(host, 'hostnameport', 'a.example.hk:443', new.thumbprint)
    result = run(host, {'certificates': [{'content': new.pem, 'iis_bindings': [{'site': 'a.example.hk',
                                                                                'host_header': 'a.example.hk'}]}],
                        'verify': False, 'backup': False})
    assert result['changed'] is True and [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    assert host.call_names() == ['retire_read', 'retire_apply']


def _acme_hierarchy(pki):
    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel
    from tests.support.pki import Issued, make_cert, rsa_key  # pylint: disable=import-outside-toplevel
    key = rsa_key(slot='acme-inter')
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'Pebble Intermediate CA 4d5e6f')])
    return Issued(make_cert(name, key, name, key, pki.now - 400 * DAY, pki.now + 1800 * DAY, ca=True), key)


def test_acme_retire_issuers_retire_the_previous_acme_certificate_after_its_backup(pki, tmp_path):
    """Issue 23: with retire_issuers (the accepted ACME chain), the ACME certificate the new one replaces is backed up
    in the apply trip and only then retired; without it (portal mode) it stays."""
    inter = _acme_hierarchy(pki)
    old = pki.issue_leaf('a.example.hk', issuer=inter, not_before=pki.now - 60 * DAY, not_after=pki.now + 40 * DAY)
    new = pki.issue_leaf('a.example.hk', issuer=inter, not_before=pki.now - DAY)

    def fresh():
        host = FakeWindowsHost()
        host.stores['My'].append(entry_for(old.cert, old.key))
        host.stores['REQUEST'].append(pending_entry(new.key, 'a.example.hk'))
        add_site(host, 'a.example.hk', [('https', '*:443:a.example.hk', 1)])
        map_sslcert(host, 'hostnameport', 'a.example.hk:443', old.thumbprint)
        return host

    arguments = {'certificates': [{'content': new.pem + inter.pem, 'iis_bindings': [
        {'site': 'a.example.hk', 'host_header': 'a.example.hk'}]}], 'verify': False,
        'backup_dir': str(tmp_path), 'backup_password': PASSWORD}
    host = fresh()
    result = run(host, dict(arguments, retire_issuers=[new.pem + inter.pem]))
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    assert host.call_names() == ['retire_read', 'iis_apply', 'retire_apply']
    export = next(s for s in host.calls[1][1]['Steps'] if s['kind'] == 'export')
    assert old.thumbprint in [i['thumbprint'] for i in export['items']]  # backed up in the trip before the retire
    assert (tmp_path / 'web3' / ('%s.pfx' % old.thumbprint)).is_file()
    assert [e['thumbprint'] for e in host.stores['My']] == [new.thumbprint]

    host = fresh()
    result = run(host, arguments)
    assert result['retired'] == [] and old.thumbprint in [e['thumbprint'] for e in host.stores['My']]
