# -*- coding: utf-8 -*-
"""The collection as users run it (issue 11): built, installed with ansible-galaxy, run from their project.

The tarball built from this checkout and ansible.windows are installed into a temporary collections path; a
project directory outside the checkout holds an inventory and nothing else (no ansible.cfg); every shipped
playbook runs by its FQCN with its defaults, at -vvvv with ANSIBLE_LOG_PATH, against simulated Windows hosts
(tests.support.simulated_install) and real local peers: BIND 9 for DNS validation, TLS servers for the check
after binding and for the audit. Checked: each playbook succeeds; its files land in <project>/hkpost-output
where the docs say, and nothing lands in the installed collection or the checkout; summaries exist after a
rollout that stopped (max_fail_percentage reached, every host unreachable); no secret appears in any output,
log or file written.
"""

from __future__ import annotations

import csv
import json
import os

import pytest
import yaml

from tests.support.installed import ROOT, Project, build_tarballs, install
from tests.support.peers.bind_server import BindServer
from tests.support.peers.served_site import ServedSite
from tests.support.simulated_fleet import load_host, save_host
from tests.support.windows.certstore import pending_entry
from tests.support.windows.exchange import add_pending
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site

PFX_PASSWORD = 'Pfx-Acceptance-5b1f0c9e-secret'
DCV_CODE = 'HKP-acceptance-dns-7e3a91c4'
PLAYBOOKS = ('request', 'dcv', 'migrate_intermediate', 'install', 'backup', 'restore', 'audit')
# Shipped playbooks this suite does not run yet, and where they are run instead. renew.yml came after this
# suite; its full cycle runs through ansible-playbook over WinRM in tests/integration/renew/, from the checkout.
RUN_ELSEWHERE = {'renew': 'tests/integration/renew/test_renew_fleet.py'}


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


def fleet(pki, tmp_path, bind=None, sites=()):
    """Simulated hosts web1 (IIS, build 20348) and ex1 (Exchange 2010, build 7601), with a pending request each,
    and the user's project: inventory.yml only."""
    state = tmp_path / 'hosts'
    state.mkdir()
    www = pki.leaves['standard']
    mail = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'])
    web1 = FakeWindowsHost(os_build=20348)
    web1.stores['REQUEST'].append(pending_entry(www.key, 'www.example.hk', 'www request'))
    add_site(web1, 'Default Web Site', [('http', '*:80:', 0)])
    ex1 = FakeWindowsHost(os_build=7601)
    add_pending(ex1, mail.key, 'mail.example.hk')
    ex1.state['exchange']['version'] = 'Version 14.3 (Build 123.4)'
    for name, host in (('web1', web1), ('ex1', ex1)):
        save_host(str(state), name, host)

    project = tmp_path / 'project'
    files = project / 'files'        # what the user keeps in the project: issued certificates, lab trust
    files.mkdir(parents=True)
    (files / 'root.pem').write_text(pki.root.pem)
    (files / 'ssl.pem').write_text(pki.ssl_new.pem)
    (files / 'www.cer').write_text(www.pem)
    (files / 'mail.cer').write_bytes(mail.der)
    web_site, mail_site = sites or (None, None)
    group_vars = {
        # the simulation: hosts marked Windows, reached through the fake host instead of WinRM
        'ansible_connection': 'local', 'ansible_shell_type': 'powershell',
        # a lab hierarchy instead of the shipped Hongkong Post certificates
        'hkpost_chain_root_certificate_file': str(files / 'root.pem'),
        'hkpost_chain_ssl_intermediate_file': str(files / 'ssl.pem'),
        'hkpost_backup_password': PFX_PASSWORD,
        'ansible_host': '127.0.0.1',
    }
    web1_vars = {
        'hkpost_platform': 'iis',
        'hkpost_certificates': [{'common_name': '*.example.hk', 'certificate_type': 'wildcard',
                                 'organization': 'Example Ltd'}],
        'hkpost_iis_certificate_file': str(files / 'www.cer'),
        'hkpost_iis_verify_trust': str(files / 'root.pem'),
        'hkpost_backup_certificates': [{'thumbprint': www.thumbprint}],
    }
    ex1_vars = {
        'hkpost_platform': 'exchange',
        'hkpost_certificates': [{'common_name': 'mail.example.hk', 'organization': 'Example Ltd'}],
        'hkpost_exchange_certificate_file': str(files / 'mail.cer'),
        'hkpost_exchange_verify': False,  # the role checks port 443, which a test may not bind
    }
    if web_site:
        web1_vars.update(hkpost_iis_bindings=[{'site': 'Default Web Site', 'host_header': 'www.example.hk',
                                               'port': web_site.port}],
                         hkpost_served_port=web_site.port, hkpost_served_names=['www.example.hk'])
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
    inventory = {'all': {
        # the audit runs on localhost, which takes the group all's variables: trust the lab root
        'vars': {'hkpost_audit_trust': str(files / 'root.pem')},
        'children': {'ecert_servers': {'vars': group_vars, 'hosts': {'web1': web1_vars, 'ex1': ex1_vars}}}}}
    (project / 'inventory.yml').write_text(yaml.safe_dump(inventory, sort_keys=False))
    return state, project, {'www': www, 'mail': mail}


def secrets_of(pki, lab, bind=None):
    """Every secret the runs handle, and pieces of every private key a host holds."""
    found = {'PFX password': PFX_PASSWORD, 'DCV verification code': DCV_CODE, 'PEM private key': 'PRIVATE KEY',
             'PFX payload': 'PfxBase64'}
    if bind:
        found['TSIG secret'] = bind.secret
    for name, leaf in lab.items():
        body = ''.join(leaf.key_pem.splitlines()[1:-1])
        found['%s private key' % name] = body[40:100]
    return found


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
                     if p.endswith('.yml') and p != 'audit_tasks.yml')
    assert shipped == sorted(PLAYBOOKS + tuple(RUN_ELSEWHERE)), 'a shipped playbook without acceptance coverage, or a demo shipped'

    bind = BindServer(tmp_path / 'bind')
    os.makedirs(bind.directory)
    bind.start()
    sites = []
    try:
        # real TLS servers standing in for the IIS site after binding and for Exchange, for the audit
        for name, leaf in (('www-site', pki.leaves['standard']), ('mail-site', pki.issue_leaf('mail.example.hk'))):
            (tmp_path / name).mkdir()
            sites.append(ServedSite(tmp_path / name, leaf.pem + pki.ssl_new.pem, leaf.key_pem))
        state, project_dir, lab = fleet(pki, tmp_path, bind=bind, sites=sites)
        project = Project(project_dir, os.path.dirname(collections), state)
        out = project_dir / 'hkpost-output'
        runs = {}
        for playbook in PLAYBOOKS:
            runs[playbook] = project.run('hkpost.ecert.' + playbook, '-vvvv')
            rc, output = runs[playbook]
            assert rc == 0, '%s failed with its defaults:\n%s' % (playbook, output[-5000:])
            assert 'task path: ' + collections in output   # really the installed copy, really -vvvv
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
        for site in sites:
            site.stop()
        bind.stop()

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
    # install: bound, enabled, backed up to backup/, summary in reports/
    assert install_rows['web1']['status'] == 'installed' and install_rows['ex1']['status'] == 'installed'
    web_pfx = out / 'backup' / 'web1' / ('%s.pfx' % lab['www'].thumbprint)
    assert web_pfx.is_file() and install_rows['web1']['backups'] == [str(web_pfx)]
    assert (out / 'backup' / 'ex1' / ('%s.pfx' % lab['mail'].thumbprint)).is_file()
    assert str(out / 'reports') + '/install.csv' in runs['install'][1]
    # backup and restore: the same folder
    assert str(web_pfx) in runs['backup'][1]
    assert lab['www'].thumbprint in runs['restore'][1]
    # audit: the group's endpoints, reports in reports/
    fleet_report = json.loads((out / 'reports' / 'fleet.json').read_text())
    assert fleet_report['summary']['total'] == 2 and fleet_report['summary']['by_verdict']['ok'] == 2, fleet_report['summary']
    assert (out / 'reports' / 'fleet.html').is_file()
    assert str(out / 'reports') + '/fleet.html' in runs['audit'][1]

    # nothing written anywhere else: not in the installed collection, not in the checkout
    assert installed_files(collections) == before
    assert not os.path.exists(os.path.join(ROOT, 'hkpost-output'))
    written = set(os.listdir(project_dir))
    assert written <= {'.ansible-home', '.ansible-tmp', 'ansible.log', 'files', 'hkpost-output', 'inventory.yml'}, written
    assert sorted(os.listdir(out)) == ['backup', 'csr', 'reports']

    assert_no_secret(project, secrets_of(pki, lab, bind))


def _stopped_fleet(pki, tmp_path, collections):
    state, project_dir, lab = fleet(pki, tmp_path)
    return state, Project(project_dir, os.path.dirname(collections), state), project_dir, lab


def test_summaries_after_a_stopped_rollout(collections, pki, tmp_path):
    """max_fail_percentage reached: ansible-core skips later plays, the summaries are written all the same."""
    state, project, project_dir, lab = _stopped_fleet(pki, tmp_path, collections)
    web1 = load_host(str(state), 'web1')
    web1.state['chain_fail_at'] = ('add_cert', 'Root')    # a locked store: web1 fails, first in the inventory
    save_host(str(state), 'web1', web1)
    # a relative hkpost_output_dir is relative to where ansible-playbook runs (the project)
    rc, output = project.run('hkpost.ecert.migrate_intermediate', '-vvvv', '-e', 'hkpost_output_dir=stopped',
                             '-e', 'hkpost_chain_serial=1', '-e', 'hkpost_chain_max_fail_percentage=0')
    assert rc == 2, output[-5000:]
    rows = {r['host']: r for r in csv.DictReader((project_dir / 'stopped' / 'reports' / 'chain_migration.csv').open())}
    assert rows['web1']['status'] == 'failed' and 'Access is denied' in rows['web1']['error']
    assert rows['ex1']['status'] == 'not run' and load_host(str(state), 'ex1').call_names() == []

    rc, output = project.run('hkpost.ecert.install', '-vvvv', '-e', 'hkpost_output_dir=stopped')
    assert rc == 2, output[-5000:]
    rows = {r['host']: r for r in json.loads((project_dir / 'stopped' / 'reports' / 'install.json').read_text())}
    assert rows['web1']['status'] == 'failed' and rows['ex1']['status'] == 'not run'
    assert_no_secret(project, secrets_of(pki, lab))


def test_summaries_when_every_host_is_unreachable(collections, pki, tmp_path):
    state, project, project_dir, lab = _stopped_fleet(pki, tmp_path, collections)
    for name in ('web1', 'ex1'):
        host = load_host(str(state), name)
        host.state['unreachable'] = True
        save_host(str(state), name, host)
    for playbook, report in (('migrate_intermediate', 'chain_migration.json'), ('install', 'install.json')):
        rc, output = project.run('hkpost.ecert.' + playbook, '-vvvv')
        assert rc != 0, output[-5000:]
        rows = json.loads((project_dir / 'hkpost-output' / 'reports' / report).read_text())
        statuses = sorted(r['status'] for r in rows)
        # the first batch is unreachable and stops the rollout; hosts of later batches were not reached
        assert statuses[0] == 'not run' or statuses == ['unreachable', 'unreachable'], (playbook, rows)
        assert 'unreachable' in statuses and set(statuses) <= {'unreachable', 'not run'}, (playbook, rows)
    assert_no_secret(project, secrets_of(pki, lab))
