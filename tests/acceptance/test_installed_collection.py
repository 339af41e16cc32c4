# -*- coding: utf-8 -*-
"""The collection as users run it (issue 11): built, installed with ansible-galaxy, run from their project.

The tarball built from this checkout and ansible.windows are installed into a temporary collections path; a project
directory outside the checkout holds an inventory and nothing else (no ansible.cfg); every shipped playbook runs by
its FQCN with its defaults, at -vvvv with ANSIBLE_LOG_PATH, as the user types it. The Windows hosts are the
simulated ones (tests.support.windows.lab) behind the loopback WinRM endpoint (tests.support.winrm): the installed
playbooks reach them with the inventory the docs print (windows_connection.rst: ``ansible_connection: winrm``, NTLM
over https, certificate validated; no ``ansible_shell_type``) as they reach real servers. Real local peers: BIND 9
for DNS validation, TLS servers on each host's address for the check after binding and for the audit. Checked: each
playbook succeeds; its files land in <project>/hkpost-output where the docs say, and nothing lands in the installed
collection or the checkout; summaries exist after a rollout that stopped (max_fail_percentage reached, every host
unreachable); a renewal (renew.yml, both phases around the portal) replaces what the servers serve; no secret
appears in any output, log or file written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import json
import os

import pytest
from cryptography.hazmat.primitives import serialization

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.installed import ROOT, Project, build_tarballs, install
from tests.support.peers.bind_server import BindServer
from tests.support.peers.served_site import ServedSite
from tests.support.portal import issue_sheet
from tests.support.windows import inventory as fake_inventory
from tests.support.windows.certstore import entry_for
from tests.support.windows.exchange import add_account, add_certificate, exchange_state
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert
from tests.support.windows.lab import install_lab
from tests.support.winrm.hoststate import load_host, save_host

PFX_PASSWORD = 'Pfx-Acceptance-5b1f0c9e-secret'
# What the user writes for the Exchange host over this NTLM connection (issue 20): the session's own account for
# the second hop, and the server's FQDN for Kerberos to the Exchange endpoint (the inventory name ex1 is short).
EXCHANGE_USER, EXCHANGE_PASSWORD = 'CORP\\svc-exchange', 'Exch-Acceptance-3d81'
EXCHANGE_VARS = {'hkpost_exchange_server': 'ex1.corp.example.hk', 'hkpost_exchange_username': EXCHANGE_USER,
                 'hkpost_exchange_password': EXCHANGE_PASSWORD}
DCV_CODE = 'HKP-acceptance-dns-7e3a91c4'
PLAYBOOKS = ('request', 'dcv', 'migrate_intermediate', 'install', 'backup', 'restore', 'audit', 'certificate_inventory')
# renew.yml has a fleet of its own, whose certificates are due: test_renewal_from_a_user_project; renew_acme.yml is
# what renew.yml imports for hkpost_issuance acme: test_acme_from_a_user_project.py
RENEWAL = ('renew', 'renew_acme')
DAY = datetime.timedelta(days=1)


@pytest.fixture(scope='module')
def collections(tmp_path_factory):
    """hkpost.ecert and ansible.windows installed from tarballs; returns the ansible_collections directory."""
    build = tmp_path_factory.mktemp('build')
    tarballs = build_tarballs(build)
    assert [os.path.basename(t).split('-')[0:2] for t in tarballs] == [['ansible', 'windows'], ['hkpost', 'ecert']]
    return install(tarballs, tmp_path_factory.mktemp('collections'))


def installed_files(collections):
    top = os.path.join(collections, 'hkpost', 'ecert')
    return sorted(os.path.relpath(os.path.join(d, f), top) for d, _dirs, files in os.walk(top) for f in files)


def manifest_files(collections):
    top = os.path.join(collections, 'hkpost', 'ecert')
    with open(os.path.join(top, 'FILES.json'), encoding='utf-8') as handle:
        listed = [f['name'] for f in json.load(handle)['files'] if f['ftype'] == 'file']
    return sorted(listed + ['FILES.json', 'MANIFEST.json'])


def inventory(lab, sites=None, bind=None):
    """The user's inventory: the lab's web1 (IIS) and ex1 (Exchange 2010), certificates to request, DCV by DNS."""
    web_site, mail_site = (sites or {}).get('web1'), (sites or {}).get('ex1')
    hosts = lab.host_vars(web_site.port if web_site else None)
    web1_vars, ex1_vars = hosts['web1'], hosts['ex1']
    web1_vars.update(hkpost_certificates=[{'common_name': '*.example.hk', 'certificate_type': 'wildcard',
                                           'organization': 'Example Ltd'}],
                     hkpost_backup_certificates=[{'thumbprint': lab.www.thumbprint}])
    ex1_vars.update(hkpost_certificates=[{'common_name': 'mail.example.hk', 'organization': 'Example Ltd'}],
                    **EXCHANGE_VARS)
    if web_site:
        web1_vars.update(hkpost_served_port=web_site.port, hkpost_served_names=['www.example.hk'])
        # hkpost_served_ports: an Exchange host is otherwise audited on its mail ports too
        ex1_vars.update(hkpost_served_ports=[mail_site.port], hkpost_served_names=['mail.example.hk'])
    if bind:
        web1_vars.update(
            hkpost_dcv_certificates=[{'name': 'example.test', 'method': 'dns', 'certificate_type': 'wildcard',
                                      'domains': ['*.example.test', 'example.test'], 'verification_code': DCV_CODE}],
            hkpost_dcv_dns_server='127.0.0.1', hkpost_dcv_dns_port=bind.port, hkpost_dcv_tsig_key_name=bind.key_name,
            hkpost_dcv_tsig_key_secret=bind.secret, hkpost_dcv_nameservers=['127.0.0.1:%d' % bind.port],
            hkpost_dcv_resolve={'ns1.example.test': '127.0.0.1:%d' % bind.port}, hkpost_dcv_wait_timeout=5,
            hkpost_dcv_timeout=3)
    return {'all': {
        # the audit runs on localhost, which takes the group all's variables: trust the lab root
        'vars': {'hkpost_audit_trust': lab.root_file},
        'children': {'ecert_servers': {'vars': dict(lab.chain_vars(), hkpost_backup_password=PFX_PASSWORD),
                                       'hosts': {'web1': web1_vars, 'ex1': ex1_vars}}}}}


@contextlib.contextmanager
def user_project(pki, tmp_path, collections, bind=None, serve=False, hosts=None):
    """The lab's hosts behind their WinRM endpoint, and the user's project (inventory.yml and files/) for them.

    ``serve``: a real TLS server on each host's own address - the IIS site after binding (www) and
    Exchange's (mail) - for the check after binding and for the audit, which connect to ``ansible_host``.
    """
    project_dir = tmp_path / 'project'
    lab = install_lab(pki, tmp_path / 'hosts', project_dir / 'files')  # files/: what the user keeps in the project
    ex1 = load_host(str(lab.state), 'ex1')
    add_account(ex1, EXCHANGE_USER, EXCHANGE_PASSWORD)  # the account the Exchange endpoint accepts
    save_host(str(lab.state), 'ex1', ex1)
    sites = {}
    with Project(project_dir, os.path.dirname(collections), lab.state, hosts=hosts) as project:
        try:
            if serve:
                for name, leaf in (('web1', lab.www), ('ex1', lab.mail)):
                    (tmp_path / (name + '-site')).mkdir()
                    sites[name] = ServedSite(tmp_path / (name + '-site'), leaf.pem + pki.ssl_new.pem, leaf.key_pem,
                                             address=project.address(name))
            project.write_inventory(inventory(lab, sites, bind))
            yield project, lab
        finally:
            for site in sites.values():
                site.stop()


def secrets_of(project, keys, bind=None):
    """Every secret the runs handle, and pieces of every private key a host holds (``keys``: label -> key PEM)."""
    found = {'PFX password': PFX_PASSWORD, 'DCV verification code': DCV_CODE, 'PEM private key': 'PRIVATE KEY',
             'PFX payload': 'PfxBase64', 'WinRM password': project.winrm_password,
             'Exchange password': EXCHANGE_PASSWORD}
    if bind:
        found['TSIG secret'] = bind.secret
    for name, key_pem in keys.items():
        body = ''.join(key_pem.splitlines()[1:-1])
        found['%s private key' % name] = body[40:100]
    return found


def lab_keys(lab):
    return {'www': lab.www.key_pem, 'mail': lab.mail.key_pem}


def assert_no_secret(project, secrets):
    """Nothing the user can read holds a secret: outputs of every run, the log, every file written."""
    places = list(project.outputs)
    inputs = {os.path.join(project.directory, 'inventory.yml'), os.path.join(project.directory, 'files')}
    for directory, dirs, files in os.walk(project.directory):  # the log, outputs, reports, backups, temp dirs
        dirs[:] = [d for d in dirs if os.path.join(directory, d) not in inputs]
        for name in files:
            path = os.path.join(directory, name)
            if path not in inputs:
                with open(path, 'rb') as handle:
                    places.append((path, handle.read().decode('latin-1')))
    assert project.log in [where for where, _text in places], 'no ANSIBLE_LOG_PATH log was written'
    assert len(places) > len(project.outputs) + 2, 'the scan found nothing to read: %s' % [where for where, _text in places]
    for label, secret in secrets.items():
        for where, text in places:
            assert secret not in text, '%s appears in %s' % (label, where)


def test_every_shipped_playbook_from_a_user_project(collections, pki, tmp_path):
    assert not str(tmp_path).startswith(ROOT + os.sep)
    before = installed_files(collections)
    assert before == manifest_files(collections)
    shipped = sorted(p[:-4] for p in os.listdir(os.path.join(collections, 'hkpost', 'ecert', 'playbooks'))
                     # task files are included by playbooks; run_check.yml is every playbook's first play
                     if p.endswith('.yml') and not p.endswith('_tasks.yml') and p != 'run_check.yml')
    assert shipped == sorted(PLAYBOOKS + RENEWAL), 'a shipped playbook without acceptance coverage, or a demo shipped'

    bind = BindServer(tmp_path / 'bind')
    os.makedirs(bind.directory)
    bind.start()
    try:
        with user_project(pki, tmp_path, collections, bind=bind, serve=True) as (project, lab):
            project_dir = tmp_path / 'project'
            out = project_dir / 'hkpost-output'
            for name in ('web1', 'ex1'):
                # Their RDP and WinRM listeners (and the certificate_inventory_read handler with them).
                host = load_host(str(lab.state), name)
                fake_inventory.consumers(host)
                save_host(str(lab.state), name, host)
            runs = {}
            for playbook in PLAYBOOKS:
                runs[playbook] = project.run('hkpost.ecert.' + playbook, '-vvvv')
                rc, output = runs[playbook]
                assert rc == 0, '%s failed with its defaults:\n%s' % (playbook, output[-5000:])
                assert 'task path: ' + collections in output   # really the installed copy, really -vvvv
                # DNS validation (RFC 2136 to BIND), the audit, and a backup already on the controller need no host
                assert 'ESTABLISH WINRM CONNECTION' in output or playbook in ('dcv', 'backup', 'audit'), output[-3000:]
                if playbook == 'migrate_intermediate':  # the --check run below rewrites it
                    chain_rows = {r['host']: r for r in csv.DictReader((out / 'reports' / 'chain_migration.csv').open())}
                if playbook == 'install':
                    install_rows = {r['host']: r for r in json.loads((out / 'reports' / 'install.json').read_text())}
            # and the dry runs with --diff, which print more
            for playbook in ('migrate_intermediate', 'install'):
                rc, output = project.run('hkpost.ecert.' + playbook, '--check', '--diff', '-vvvv')
                assert rc == 0, output[-5000:]
            rc, output = project.run('hkpost.ecert.dcv', '--tags', 'cleanup', '-vvvv')
            assert rc == 0, output[-5000:]
    finally:
        bind.stop()
    # every module execution went over WinRM, to both servers
    assert {h: set(s['executions']) for h, s in project.fleet.report['stats'].items()} == {
        'web1': {'ansible.windows.win_powershell'}, 'ex1': {'ansible.windows.win_powershell'}}

    # request: CSRs per host, safe names, the sheet with the real names
    wildcard_csr = out / 'csr' / 'web1' / '_wildcard_.example.hk.csr'
    assert wildcard_csr.is_file() and (out / 'csr' / 'ex1' / 'mail.example.hk.csr').is_file()
    sheet = list(csv.DictReader((out / 'csr' / 'submission.csv').open()))
    assert {(r['host'], r['common_name']) for r in sheet} == {('web1', '*.example.hk'), ('ex1', 'mail.example.hk')}
    assert str(out / 'csr' / 'submission.csv') in runs['request'][1]
    # dcv: published to BIND and checked, then removed by the cleanup run
    assert 'dns    OK' in runs['dcv'][1]
    # migrate_intermediate: the fleet summary, and where it is
    assert {h: r['status'] for h, r in chain_rows.items()} == {'web1': 'changed', 'ex1': 'changed'}
    assert str(out / 'reports') + '/chain_migration.csv' in runs['migrate_intermediate'][1]
    # install: bound, enabled, backed up to backup/, summary in reports/ - and on the hosts
    assert install_rows['web1']['status'] == 'installed' and install_rows['ex1']['status'] == 'installed'
    web_pfx = out / 'backup' / 'web1' / ('%s.pfx' % lab.www.thumbprint)
    assert web_pfx.is_file() and install_rows['web1']['backups'] == [str(web_pfx)]
    assert (out / 'backup' / 'ex1' / ('%s.pfx' % lab.mail.thumbprint)).is_file()
    assert str(out / 'reports') + '/install.csv' in runs['install'][1]
    web1 = load_host(str(lab.state), 'web1')
    port = web1.state['iis']['sslcert']['hostnameport']
    assert [m['thumbprint'] for m in port.values()] == [lab.www.thumbprint], port
    ex1 = load_host(str(lab.state), 'ex1')
    assert [c['services'] for c in ex1.state['exchange']['certificates'] if c['thumbprint'] == lab.mail.thumbprint] \
        == [['IIS', 'SMTP']]
    # backup and restore: the same folder
    assert str(web_pfx) in runs['backup'][1]
    assert lab.www.thumbprint in runs['restore'][1]
    # audit: the group's endpoints, reports in reports/
    fleet_report = json.loads((out / 'reports' / 'fleet.json').read_text())
    assert fleet_report['summary']['total'] == 2 and fleet_report['summary']['by_verdict']['ok'] == 2, fleet_report['summary']
    assert (out / 'reports' / 'fleet.html').is_file()
    assert str(out / 'reports') + '/fleet.html' in runs['audit'][1]
    # certificate_inventory: what each host holds and what uses it, after the install
    held = json.loads((out / 'reports' / 'certificate-inventory.json').read_text())
    assert held['summary']['hosts_read'] == 2
    used = {c['thumbprint']: sorted(u['kind'] for u in c['consumers']) for c in held['certificates']}
    assert used[lab.www.thumbprint] == ['iis'] and used[lab.mail.thumbprint] == ['exchange']
    assert str(out / 'reports') + '/certificate-inventory.html' in runs['certificate_inventory'][1]

    # nothing written anywhere else: not in the installed collection, not in the checkout
    assert installed_files(collections) == before
    assert not os.path.exists(os.path.join(ROOT, 'hkpost-output'))
    written = set(os.listdir(project_dir))
    assert written <= {'.ansible-home', '.ansible-tmp', 'ansible.log', 'files', 'hkpost-output', 'inventory.yml'}, written
    assert sorted(os.listdir(out)) == ['backup', 'csr', 'reports']

    assert_no_secret(project, secrets_of(project, lab_keys(lab), bind))


def test_summaries_after_a_stopped_rollout(collections, pki, tmp_path):
    """max_fail_percentage reached: ansible-core skips later plays, the summaries are written all the same."""
    with user_project(pki, tmp_path, collections) as (project, lab):
        web1 = load_host(str(lab.state), 'web1')
        web1.state['chain_fail_at'] = ('add_cert', 'Root')    # a locked store: web1 fails, first in the inventory
        save_host(str(lab.state), 'web1', web1)
        # a relative hkpost_output_dir is relative to where ansible-playbook runs (the project)
        rc, output = project.run('hkpost.ecert.migrate_intermediate', '-vvvv', '-e', 'hkpost_output_dir=stopped',
                                 '-e', 'hkpost_chain_serial=1', '-e', 'hkpost_chain_max_fail_percentage=0')
        assert rc == 2, output[-5000:]
        stopped = tmp_path / 'project' / 'stopped' / 'reports'
        rows = {r['host']: r for r in csv.DictReader((stopped / 'chain_migration.csv').open())}
        assert rows['web1']['status'] == 'failed' and 'Access is denied' in rows['web1']['error']
        assert rows['ex1']['status'] == 'not run' and load_host(str(lab.state), 'ex1').call_names() == []

        rc, output = project.run('hkpost.ecert.install', '-vvvv', '-e', 'hkpost_output_dir=stopped')
        assert rc == 2, output[-5000:]
        rows = {r['host']: r for r in json.loads((stopped / 'install.json').read_text())}
        assert rows['web1']['status'] == 'failed' and rows['ex1']['status'] == 'not run'
    assert_no_secret(project, secrets_of(project, lab_keys(lab)))


def test_summaries_when_every_host_is_unreachable(collections, pki, tmp_path):
    # nothing listens on either host's WinRM port: the connection is refused, as by a server that is down
    refused = {'web1': {'refused': True}, 'ex1': {'refused': True}}
    with user_project(pki, tmp_path, collections, hosts=refused) as (project, lab):
        for playbook, report in (('migrate_intermediate', 'chain_migration.json'), ('install', 'install.json')):
            rc, output = project.run('hkpost.ecert.' + playbook, '-vvvv')
            assert rc != 0, output[-5000:]
            rows = json.loads((tmp_path / 'project' / 'hkpost-output' / 'reports' / report).read_text())
            statuses = sorted(r['status'] for r in rows)
            # the first batch is unreachable and stops the rollout; hosts of later batches were not reached
            assert statuses[0] == 'not run' or statuses == ['unreachable', 'unreachable'], (playbook, rows)
            assert 'unreachable' in statuses and set(statuses) <= {'unreachable', 'not run'}, (playbook, rows)
    assert project.fleet.report['stats'] == {}, 'a request reached a host that is down'
    assert_no_secret(project, secrets_of(project, lab_keys(lab)))


def renewal_hosts(pki, state, site_port):
    """web1 serving www.example.hk on ``site_port`` and ex1 serving mail.example.hk, both due in 9 days."""
    old_www = pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    old_mail = pki.issue_leaf('mail.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    web1 = FakeWindowsHost(os_build=20348)
    web1.stores['My'].append(entry_for(old_www.cert, old_www.key))
    add_site(web1, 'Default Web Site', [('http', '*:80:', 0), ('https', '*:%d:www.example.hk' % site_port, 1)])
    map_sslcert(web1, 'hostnameport', 'www.example.hk:%d' % site_port, old_www.thumbprint)
    ex1 = FakeWindowsHost(os_build=7601)
    exchange_state(ex1)
    add_certificate(ex1, old_mail.cert, old_mail.key, services=['IIS', 'SMTP'])
    ex1.stores['My'].append(entry_for(old_mail.cert, old_mail.key, exportable=True))
    add_account(ex1, EXCHANGE_USER, EXCHANGE_PASSWORD)
    save_host(str(state), 'web1', web1)
    save_host(str(state), 'ex1', ex1)
    return old_www, old_mail


def pending_key_pem(host, leaf):
    """The private key the host generated for ``leaf``'s request: what IIS serves once ``leaf`` is bound."""
    spki = spki_sha256(leaf.cert.public_key())
    key = next(e['key'] for e in host.stores['REQUEST'] if spki_sha256(e['key'].public_key()) == spki)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode('ascii')


def test_renewal_from_a_user_project(collections, pki, tmp_path):
    """renew.yml as docs/docsite/rst/renewal.rst runs it: --tags request, the portal, --tags install, from the
    installed tarball over WinRM, with its defaults (checks after binding and the closing audit on)."""
    state = tmp_path / 'hosts'
    state.mkdir()
    for name in ('web1', 'ex1'):  # the endpoint needs the hosts' names; their state follows once the site listens
        save_host(str(state), name, FakeWindowsHost())
    project_dir = tmp_path / 'project'
    files = project_dir / 'files'
    files.mkdir(parents=True)
    (files / 'root.pem').write_text(pki.root.pem)
    (files / 'ssl.pem').write_text(pki.ssl_new.pem)
    out = project_dir / 'hkpost-output'
    (tmp_path / 'site').mkdir()
    with Project(project_dir, os.path.dirname(collections), state) as project:
        site = ServedSite(tmp_path / 'site', pki.leaves['standard'].pem, pki.leaves['standard'].key_pem,
                          address=project.address('web1'))
        (tmp_path / 'mail-site').mkdir()
        # Exchange's IIS on ex1's address; a test may not bind 443, so the inventory names the port
        mail_site = ServedSite(tmp_path / 'mail-site', pki.leaves['standard'].pem, pki.leaves['standard'].key_pem,
                               address=project.address('ex1'))
        try:
            old_www, old_mail = renewal_hosts(pki, state, site.port)
            site.serve(old_www.pem + pki.ssl_new.pem, old_www.key_pem)
            mail_site.serve(old_mail.pem + pki.ssl_new.pem, old_mail.key_pem)
            project.write_inventory({'all': {
                'vars': {'hkpost_renew_audit_trust': str(files / 'root.pem')},
                'children': {'ecert_servers': {
                    'vars': {'hkpost_chain_root_certificate_file': str(files / 'root.pem'),
                             'hkpost_chain_ssl_intermediate_file': str(files / 'ssl.pem'),
                             'hkpost_backup_password': PFX_PASSWORD, 'hkpost_csr_organization': 'Example Ltd',
                             'hkpost_iis_verify_trust': str(files / 'root.pem'),
                             'hkpost_exchange_verify_trust': str(files / 'root.pem')},
                    'hosts': {
                        'web1': {'hkpost_platform': 'iis', 'hkpost_certificates': [
                            {'common_name': 'www.example.hk', 'iis_bindings': [
                                {'site': 'Default Web Site', 'host_header': 'www.example.hk', 'port': site.port}]}]},
                        'ex1': {'hkpost_platform': 'exchange', 'hkpost_certificates': [
                            {'common_name': 'mail.example.hk', 'exchange_services': ['IIS', 'SMTP']}],
                            'hkpost_exchange_verify_port': mail_site.port,
                            'hkpost_served_ports': [mail_site.port], **EXCHANGE_VARS}}}}}})

            rc, request_out = project.run('hkpost.ecert.renew', '--tags', 'request', '-vvvv')
            assert rc == 0, request_out[-5000:]
            assert 'task path: ' + collections in request_out and 'ESTABLISH WINRM CONNECTION' in request_out
            # [portal] every CSR of the sheet submitted; the certificates saved into intake/, any names, PEM or DER
            issued = issue_sheet(pki, out / 'csr' / 'submission.csv')
            assert sorted(issued) == [('ex1', 'mail.example.hk'), ('web1', 'www.example.hk')]
            new_www, new_mail = issued[('web1', 'www.example.hk')], issued[('ex1', 'mail.example.hk')]
            (out / 'intake').mkdir()
            (out / 'intake' / 'cert (1).cer').write_bytes(new_www.der)
            (out / 'intake' / 'mail_example_hk.pem').write_text(new_mail.pem + pki.ssl_new.pem)
            # once bound, IIS serves the new certificate with the key made on web1
            new_www_key = pending_key_pem(load_host(str(state), 'web1'), new_www)
            site.serve(new_www.pem + pki.ssl_new.pem, new_www_key)
            mail_site.serve(new_mail.pem + pki.ssl_new.pem, pending_key_pem(load_host(str(state), 'ex1'), new_mail))

            rc, install_out = project.run('hkpost.ecert.renew', '--tags', 'install', '-vvvv')
            assert rc == 0, install_out[-5000:]
        finally:
            site.stop()
            mail_site.stop()

    web1, ex1 = load_host(str(state), 'web1'), load_host(str(state), 'ex1')
    # web1: the binding serves the new certificate, the old one was backed up and retired
    assert {k: m['thumbprint'] for k, m in web1.state['iis']['sslcert']['hostnameport'].items()} == {
        'www.example.hk:%d' % site.port: new_www.thumbprint}
    assert [e['thumbprint'] for e in web1.stores['My']] == [new_www.thumbprint] and web1.stores['REQUEST'] == []
    assert (out / 'backup' / 'web1' / ('%s.pfx' % old_www.thumbprint)).is_file()
    # ex1: IIS and SMTP on the new certificate; the replaced one removed by Exchange
    assert [(c['thumbprint'], sorted(c['services'])) for c in ex1.state['exchange']['certificates']] == [
        (new_mail.thumbprint, ['IIS', 'SMTP'])]
    renewal = json.loads((out / 'reports' / 'renewal.json').read_text())
    assert {r['host']: r['status'] for r in renewal['hosts']} == {'web1': 'ok', 'ex1': 'ok'}, renewal
    assert old_www.thumbprint in {t for r in renewal['hosts'] for t in r.get('retired', [])}
    # the closing audit, in its own files (renewal-audit.*): each site now serves its new certificate (ex1 on the
    # port hkpost_served_ports names), under its inventory name
    served = {(e['server_name'], e['port']): e for e in json.loads((out / 'reports' / 'renewal-audit.json').read_text())['endpoints']}
    assert sorted(served) == sorted([('www.example.hk', site.port), ('mail.example.hk', mail_site.port)])
    assert sorted(e['inventory_name'] for e in served.values()) == ['ex1', 'web1']   # not addresses (issue 22)
    for key, leaf in ((('www.example.hk', site.port), new_www), (('mail.example.hk', mail_site.port), new_mail)):
        assert served[key]['verdict'] == 'ok' and \
            served[key]['served'][0]['sha1'].replace(':', '').upper() == leaf.thumbprint, served[key]
    for summary in (str(out / 'csr'), str(out / 'backup')):
        assert summary in request_out
    assert str(out / 'reports') in install_out
    assert sorted(os.listdir(out)) == ['backup', 'csr', 'intake', 'reports']
    assert_no_secret(project, secrets_of(project, {'old www': old_www.key_pem, 'old mail': old_mail.key_pem,
                                                   'new www': new_www_key}))
