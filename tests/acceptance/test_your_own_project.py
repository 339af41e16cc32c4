# -*- coding: utf-8 -*-
"""docs/docsite/rst/your_own_project.rst, done as printed (issue 22): every command run, every file written.

The page's steps are read from the rst (tests.support.project_page), in page order. Commands run with bash in a
fresh home directory (HOME is a temporary directory: ``~/venvs``, ``~/ecert-project`` and the vault password file
land there), from the checkout for the first block and from the project directory once it exists, with nothing
of the test's Ansible configuration in the environment: the project's own ``ansible.cfg`` decides.

Changed, and only these, is what a user fills in: the checkout's path (``cd hkpost.ecert``); the virtualenv - the
test's own stands in for ``~/venvs/hkpost-ecert`` (linked there; ``python3 -m venv`` is not run on it, and
``pip install`` finds everything installed); the WinRM CA file, account and transport (ntlm, a documented choice)
and each host's address and port on the loopback endpoint; the DNS server's address, port and TSIG key (a real BIND
9 serving example.hk); the secrets of the vaults (passwords, TSIG secret, the portal's DCV codes); the binding port
(a test may not listen on 443). The hierarchy is the test PKI's and the zone's name server is on the loopback, so
one file of the test's own, ``group_vars/all/lab.yml``, names the root and intermediate (a real project uses the
bundled Hongkong Post ones) and where ns1.example.hk answers. The [portal] step between the phases is
tests.support.portal, as in test_installed_collection.py.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shlex
import subprocess
import types

import yaml
from cryptography.hazmat.primitives import serialization

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support import project_page
from tests.support.installed import BIN, ROOT
from tests.support.peers.bind_server import BindServer
from tests.support.peers.served_site import ServedSite
from tests.support.pki import DAY
from tests.support.portal import issue_sheet
from tests.support.windows.certstore import entry_for
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert
from tests.support.winrm.fleet import WinrmFleet
from tests.support.winrm.hoststate import load_host, save_host

HOSTS = ('web01.corp.example.hk', 'web02.corp.example.hk')
VENV = os.path.dirname(BIN)
PFX_PASSWORD = 'Pfx-Project-8c2d7e41-secret'
DCV_CODES = ('HKP-project-web01-51c0e2d7', 'HKP-project-web02-9a4f13b8')   # what the portal gives


def substitute(text, replacements, where):
    """``text`` with each ``old`` replaced by ``new``; an ``old`` the page no longer has fails the test."""
    for old, new in replacements.items():
        assert old in text, '%s no longer has %r: update the test\'s substitutions' % (where, old)
        text = text.replace(old, new)
    return text


def fill_in(step, fleet, port, bind):
    """What a user fills in, per file of the page."""
    if step.name == 'inventory.yml':
        replacements = {'ansible_winrm_transport: kerberos': 'ansible_winrm_transport: ntlm',
                        '/etc/pki/corp-ca.pem': os.path.join(fleet.work_dir, 'winrm-cert.pem'),
                        'svc-ecert@CORP.EXAMPLE.HK': fleet.username}
        for host in HOSTS:
            address, winrm_port = fleet.addresses[host]
            replacements['    %s:\n' % host] = '    %s: {ansible_host: %s, ansible_port: %d}\n' % (
                host, address, winrm_port)
        return substitute(step.body, replacements, step.name)
    if step.name == 'group_vars/ecert_servers/main.yml':
        return substitute(step.body, {'port: 443': 'port: %d' % port}, step.name)
    if step.name == 'group_vars/ecert_servers/vault.yml':
        return substitute(step.body, {"the WinRM account's password": fleet.password,
                                      'a long passphrase for the PFX backups': PFX_PASSWORD}, step.name)
    if step.name == 'host_vars/web01.corp.example.hk/dcv.yml':
        return substitute(step.body, {
            'hkpost_dcv_dns_server: ns1.example.hk\n': 'hkpost_dcv_dns_server: 127.0.0.1\nhkpost_dcv_dns_port: %d\n'
                                                       % bind.port,
            'hkpost_dcv_tsig_key_name: ecert-dcv': 'hkpost_dcv_tsig_key_name: ' + bind.key_name}, step.name)
    if step.name == 'host_vars/web01.corp.example.hk/vault.yml':
        return substitute(step.body, {"the TSIG key's secret (base64)": bind.secret,
                                      "the verification code of web01's application": DCV_CODES[0],
                                      "the verification code of web02's application": DCV_CODES[1]}, step.name)
    return step.body


COMMAND_FILL_IN = {'cd hkpost.ecert': 'cd ' + shlex.quote(ROOT),
                   # the test's virtualenv is linked at ~/venvs/hkpost-ecert: check it is there, never rebuild it
                   'python3 -m venv ~/venvs/hkpost-ecert': 'test -x ~/venvs/hkpost-ecert/bin/python'}


def shell_env(home):
    """A user's shell with the virtualenv active; none of the test's ANSIBLE_* or Python settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('ANSIBLE_', 'PYTHON', 'VIRTUAL_ENV', 'PIP_'))}
    env.update(HOME=str(home), VIRTUAL_ENV=VENV, PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
               PIP_DISABLE_PIP_VERSION_CHECK='1')   # pip would ask PyPI whether pip itself is current
    env.pop('PWD', None)
    return env


def run_block(step, home, project):
    """Run one command block as bash, stopping at the first failing command; returns the output."""
    commands = [COMMAND_FILL_IN.get(c, c) for c in step.body]
    cwd = project if project.is_dir() else home
    proc = subprocess.run(['bash', '-e', '-o', 'pipefail', '-x', '-c', '\n'.join(commands)], cwd=str(cwd),
                          env=shell_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=900, check=False)
    output = proc.stdout   # the commands (bash -x) and their outputs, in order
    assert proc.returncode == 0, 'the page\'s "%s" commands failed (rc=%d):\n%s' % (
        step.name, proc.returncode, output[-6000:])
    return output


def due_host(pki, port):
    """An IIS server serving www.example.hk on ``port`` with a certificate due in 9 days."""
    old = pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    host = FakeWindowsHost(os_build=20348)
    host.stores['My'].append(entry_for(old.cert, old.key))
    add_site(host, 'Default Web Site', [('http', '*:80:', 0), ('https', '*:%d:www.example.hk' % port, 1)])
    map_sslcert(host, 'hostnameport', 'www.example.hk:%d' % port, old.thumbprint)
    return host, old


def pending_key_pem(host, leaf):
    """The key the host made for ``leaf``'s request: what IIS serves once ``leaf`` is bound."""
    spki = spki_sha256(leaf.cert.public_key())
    key = next(e['key'] for e in host.stores['REQUEST'] if spki_sha256(e['key'].public_key()) == spki)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode('ascii')


def bound(state):
    return {h: {k: m['thumbprint'] for k, m in load_host(str(state), h).state['iis']['sslcert']['hostnameport'].items()}
            for h in HOSTS}


@contextlib.contextmanager
def lab(pki, tmp_path):
    """The two servers behind their WinRM endpoint, each with IIS serving its old certificate on its own address
    (both on one port: the group's binding names one), and the zone's primary DNS server (BIND, example.hk)."""
    state = tmp_path / 'hosts'
    state.mkdir()
    for name in HOSTS:   # the endpoint needs the names; the hosts' state follows once their sites listen
        save_host(str(state), name, FakeWindowsHost())
        (tmp_path / name).mkdir()
    bind = BindServer(tmp_path / 'bind', zone='example.hk')
    fleet = WinrmFleet(state, tmp_path / 'winrm')
    sites = {}
    fleet.start()
    try:
        bind.start()
        for name in HOSTS:
            sites[name] = ServedSite(tmp_path / name, pki.leaves['standard'].pem, pki.leaves['standard'].key_pem,
                                     address=fleet.addresses[name][0],
                                     port=sites[HOSTS[0]].port if sites else 0)
        port = sites[HOSTS[0]].port
        old = {}
        for name in HOSTS:
            host, old[name] = due_host(pki, port)
            save_host(str(state), name, host)
            sites[name].serve(old[name].pem + pki.ssl_new.pem, old[name].key_pem)
        yield types.SimpleNamespace(state=state, fleet=fleet, bind=bind, sites=sites, port=port, old=old)
    finally:
        for site in sites.values():
            site.stop()
        bind.stop()
        fleet.stop()
    fleet.check_errors()


def lab_vars(pki, tmp_path, bind):
    """The test's own file, group_vars/all/lab.yml: the test PKI stands in for Hongkong Post's hierarchy (its root
    and intermediate), and the DCV check finds the zone's name server on the loopback BIND."""
    (tmp_path / 'root.pem').write_text(pki.root.pem)
    (tmp_path / 'ssl.pem').write_text(pki.ssl_new.pem)
    return yaml.safe_dump({
        'hkpost_chain_root_certificate_file': str(tmp_path / 'root.pem'),
        'hkpost_chain_ssl_intermediate_file': str(tmp_path / 'ssl.pem'),
        'hkpost_iis_verify_trust': str(tmp_path / 'root.pem'),
        'hkpost_renew_audit_trust': str(tmp_path / 'root.pem'),
        'hkpost_dcv_nameservers': ['127.0.0.1:%d' % bind.port],
        'hkpost_dcv_resolve': {'ns1.example.hk': '127.0.0.1:%d' % bind.port},
        'hkpost_dcv_wait_timeout': 5, 'hkpost_dcv_timeout': 3})


def test_your_own_project_as_the_page_prints_it(pki, tmp_path):
    steps = project_page.steps()
    assert [s.name for s in steps if s.kind == 'file'] == [
        'ansible.cfg', '.gitignore', 'inventory.yml', 'group_vars/ecert_servers/main.yml',
        'group_vars/ecert_servers/vault.yml', 'playbooks/renew.yml', 'host_vars/web01.corp.example.hk/dcv.yml',
        'host_vars/web01.corp.example.hk/vault.yml']
    used = {c for s in steps if s.kind == 'commands' for c in s.body}
    assert set(COMMAND_FILL_IN) <= used, 'the page no longer has %s' % sorted(set(COMMAND_FILL_IN) - used)

    home = tmp_path / 'home'
    (home / 'venvs').mkdir(parents=True)
    os.symlink(VENV, str(home / 'venvs' / 'hkpost-ecert'))
    project = home / 'ecert-project'
    ran = {}
    with lab(pki, tmp_path) as servers:
        before = bound(servers.state)
        assert before == {h: {'www.example.hk:%d' % servers.port: servers.old[h].thumbprint} for h in HOSTS}
        for step in steps:
            if step.kind == 'file':
                path = project / step.name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(fill_in(step, servers.fleet, servers.port, servers.bind), encoding='utf-8')
                if step.name == 'inventory.yml':
                    (project / 'group_vars' / 'all').mkdir(parents=True)
                    (project / 'group_vars' / 'all' / 'lab.yml').write_text(lab_vars(pki, tmp_path, servers.bind))
                continue
            if step.name == 'install-dry-run':
                portal(pki, project, servers.state, servers.sites)
            ran[step.name] = run_block(step, home, project)
            (tmp_path / ('%s.out' % step.name)).write_text(ran[step.name])   # to read when an assertion fails
            check_after(step.name, ran[step.name], project, servers, before)
    assert list(ran) == ['build', 'project', 'install', 'vault-password', 'vault', 'request-dry-run', 'request',
                         'dcv-vault', 'dcv-dry-run', 'dcv', 'install-dry-run', 'install-phase']

    # the renewal: each server binds its own new certificate, the old one backed up and retired
    out = project / 'hkpost-output'
    renewal = json.loads((out / 'reports' / 'renewal.json').read_text())
    assert {r['host']: r['status'] for r in renewal['hosts']} == {h: 'ok' for h in HOSTS}, renewal
    after = bound(servers.state)
    binding = 'www.example.hk:%d' % servers.port
    for name in HOSTS:
        assert list(after[name]) == [binding]
        assert after[name][binding] not in (servers.old[h].thumbprint for h in HOSTS)
        assert (out / 'backup' / name / ('%s.pfx' % servers.old[name].thumbprint)).is_file()
    assert after[HOSTS[0]] != after[HOSTS[1]], 'the two servers got one certificate: each has its own key'
    served = json.loads((out / 'reports' / 'renewal-audit.json').read_text())['endpoints']
    assert len(served) == 2 and {e['verdict'] for e in served} == {'ok'}, served

    # the secrets: in no output, in no file of the project (the vault files are encrypted)
    for vault in ('group_vars/ecert_servers/vault.yml', 'host_vars/web01.corp.example.hk/vault.yml'):
        assert (project / vault).read_text().startswith('$ANSIBLE_VAULT;1.1;AES256'), vault
    secrets = {'WinRM password': servers.fleet.password, 'PFX password': PFX_PASSWORD,
               'TSIG secret': servers.bind.secret, 'DCV code': DCV_CODES[0], 'other DCV code': DCV_CODES[1]}
    places = list(ran.items())
    for directory, dirs, files in os.walk(str(project)):
        dirs[:] = [d for d in dirs if os.path.join(directory, d) != str(project / 'collections')]
        for name in files:
            with open(os.path.join(directory, name), 'rb') as handle:
                places.append((os.path.join(directory, name), handle.read().decode('latin-1')))
    for label, secret in secrets.items():
        for where, text in places:
            assert secret not in text, '%s appears in %s' % (label, where)


def portal(pki, project, state, sites):
    """[portal] one certificate per row of the sheet, saved into hkpost-output/intake/; and IIS, once bound,
    serves it with the key made on the server."""
    out = project / 'hkpost-output'
    issued = issue_sheet(pki, out / 'csr' / 'submission.csv')
    assert sorted(issued) == [(h, 'www.example.hk') for h in HOSTS]
    (out / 'intake').mkdir()
    for (host, _name), leaf in issued.items():
        (out / 'intake' / ('cert-%s.cer' % host.split('.')[0])).write_bytes(leaf.der)
        sites[host].serve(leaf.pem + pki.ssl_new.pem, pending_key_pem(load_host(str(state), host), leaf))


def check_after(name, output, project, servers, before):
    """What each command block of the page must have done (and a dry run must not have done)."""
    out = project / 'hkpost-output'
    state = servers.state
    if name == 'build':
        assert (project.parent / 'hkpost-ecert-build' / 'hkpost-ecert-0.1.0.tar.gz').is_file(), output[-3000:]
    elif name == 'install':
        installed = project / 'collections' / 'ansible_collections' / 'hkpost' / 'ecert'
        assert (installed / 'MANIFEST.json').is_file() and not installed.is_symlink()
        listed = output.split('+ ansible-galaxy collection list ansible.windows', 1)
        assert 'hkpost.ecert 0.1.0' in ' '.join(listed[0].split()) and str(project / 'collections') in listed[0], output
        version = re.search(r'^ansible\.windows\s+(\d+)\.(\d+)', listed[1], re.M)
        assert version and tuple(map(int, version.groups())) >= (2, 4), output   # win_powershell sensitive_parameters
        assert 'WARNING' not in output, output   # the project's collections_path is the one installed into
    elif name == 'vault':
        assert all(h in output for h in HOSTS) and '@ecert_servers' in output, output
    elif name == 'request-dry-run':
        for host in HOSTS:
            assert load_host(str(state), host).stores['REQUEST'] == [], 'the dry run made a key on ' + host
    elif name == 'request':
        rows = list(csv.DictReader((out / 'csr' / 'submission.csv').open()))
        assert sorted((r['host'], r['common_name']) for r in rows) == [(h, 'www.example.hk') for h in HOSTS]
        for host in HOSTS:
            assert len(load_host(str(state), host).stores['REQUEST']) == 1, 'not one pending request on ' + host
    elif name == 'dcv-dry-run':
        assert servers.bind.txt('www.example.hk') == [], 'the dry run published'
    elif name == 'dcv':
        assert servers.bind.txt('www.example.hk') == sorted(DCV_CODES)
    elif name == 'install-dry-run':
        assert bound(state) == before, 'the dry run changed a binding'
        for host in HOSTS:
            assert len(load_host(str(state), host).stores['REQUEST']) == 1, 'the dry run completed a request'
        assert servers.bind.txt('www.example.hk') == sorted(DCV_CODES), 'the dry run removed the DCV records'
    elif name == 'install-phase':
        assert servers.bind.txt('www.example.hk') == [], 'the DCV records outlived the install'
    if name in ('request-dry-run', 'request', 'dcv-dry-run', 'dcv', 'install-dry-run', 'install-phase'):
        assert 'failed=0' in output and 'unreachable=0' in output, output[-4000:]
