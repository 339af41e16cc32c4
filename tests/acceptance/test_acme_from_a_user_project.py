# -*- coding: utf-8 -*-
"""renew.yml in ACME mode as a user runs it (issue 23): the installed tarballs, a project outside the checkout.

hkpost.ecert built from this checkout, ansible.windows and community.crypto (which the ACME mode needs and the user
installs from requirements.yml) installed offline into a collections path that is the only one the run sees; one
``ansible-playbook hkpost.ecert.renew --tags request,install -vvvv`` against Pebble (tests.support.peers.
pebble_server) with external account binding, web1 proving its name by http-01 in its IIS site (the payloads from
the tarball), web2 a wildcard by dns-01 through the test's BIND. No secret in any output or in the log.
"""

from __future__ import annotations

import os
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from tests.support.installed import Project, build_installed_tarball, build_tarballs, install
from tests.support.peers.bind_server import BindServer
from tests.support.peers.iis_web import IisWeb
from tests.support.peers.pebble_server import PebbleServer
from tests.support.windows.acme import serve_webroots
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site
from tests.support.winrm.hoststate import load_host, save_host

pytestmark = pytest.mark.skipif(not os.path.exists('/usr/bin/pebble'), reason='pebble is not installed '
                                '(tests/install-system-deps.sh)')

PFX_PASSWORD = 'Pfx-Acme-Acceptance-91c2-secret'


@pytest.fixture(scope='module')
def collections(tmp_path_factory):
    build = tmp_path_factory.mktemp('build')
    tarballs = build_tarballs(build) + [build_installed_tarball(tmp_path_factory.mktemp('crypto'), 'community', 'crypto')]
    return install(tarballs, tmp_path_factory.mktemp('collections'))


def test_acme_renewal_in_one_run_from_a_user_project(collections, tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    web1 = FakeWindowsHost()
    add_site(web1, 'Default Web Site', [('http', '*:80:www.example.test', 0)])
    serve_webroots(web1, {'Default Web Site': '%SystemDrive%\\inetpub\\wwwroot'})
    save_host(str(state), 'web1', web1)
    web2 = FakeWindowsHost()
    add_site(web2, 'Default Web Site', [('http', '*:80:', 0)])
    save_host(str(state), 'web2', web2)

    bind = BindServer(tmp_path / 'bind', records=['@ IN A 127.0.0.1', 'www IN A 127.0.0.1']).start()
    web = IisWeb(state, {'www.example.test': 'web1'}).start()
    pebble = PebbleServer(tmp_path / 'pebble', dns_port=bind.port, http_port=web.port, eab=True).start()
    project_dir = tmp_path / 'project'
    project_dir.mkdir()
    try:
        with Project(project_dir, os.path.dirname(collections), state) as project:
            project.write_inventory({'all': {'children': {'ecert_servers': {
                'vars': {'hkpost_issuance': 'acme', 'hkpost_acme_directory': pebble.directory_url,
                         'hkpost_acme_ca_file': pebble.ca_file, 'hkpost_acme_terms_agreed': True,
                         'hkpost_acme_eab_kid': pebble.eab['kid'], 'hkpost_acme_eab_hmac': pebble.eab['hmac'],
                         'hkpost_dcv_dns_server': '127.0.0.1', 'hkpost_dcv_dns_port': bind.port,
                         'hkpost_dcv_tsig_key_name': bind.key_name, 'hkpost_dcv_tsig_key_secret': bind.secret,
                         'hkpost_backup_password': PFX_PASSWORD, 'hkpost_csr_organization': 'Example Ltd',
                         'hkpost_platform': 'iis', 'hkpost_iis_verify': False, 'hkpost_renew_audit': False,
                         # relative: from the directory ansible-playbook runs in, the user's project
                         'hkpost_acme_trusted_issuers': ['acme-root.pem']},
                'hosts': {
                    'web1': {'hkpost_acme_challenge': 'http-01', 'hkpost_certificates': [
                        {'common_name': 'www.example.test',
                         'iis_bindings': [{'site': 'Default Web Site', 'host_header': 'www.example.test'}]}]},
                    'web2': {'hkpost_certificates': [
                        {'common_name': '*.example.test', 'certificate_type': 'wildcard',
                         'iis_bindings': [{'site': 'Default Web Site', 'host_header': 'shop.example.test'}]}]}}}}}})
            (project_dir / 'acme-root.pem').write_text(pebble.issuer_pem())
            rc, out = project.run('hkpost.ecert.renew', '--tags', 'request,install', '-vvvv')
        left_in_dns = bind.txt('_acme-challenge.example.test')
    finally:
        pebble.stop()
        web.stop()
        bind.stop()
    assert rc == 0, out[-5000:]
    assert 'task path: ' + collections in out and 'ESTABLISH WINRM CONNECTION' in out
    hkpost_out = project_dir / 'hkpost-output'
    intake = sorted(p.name.split('-')[1] for p in (hkpost_out / 'intake').glob('*.pem'))
    assert intake == ['web1', 'web2'], intake
    # installed from the tarball: each host's binding serves the certificate Pebble issued for its key
    for name, header in (('web1', 'www.example.test'), ('web2', 'shop.example.test')):
        (chain_file,) = (hkpost_out / 'intake').glob('acme-%s-*.pem' % name)
        leaf = x509.load_pem_x509_certificates(chain_file.read_bytes())[0]
        mappings = load_host(str(state), name).state['iis']['sslcert']['hostnameport']
        assert mappings['%s:443' % header]['thumbprint'] == leaf.fingerprint(hashes.SHA1()).hex().upper(), name
    assert ('www.example.test', 200) in {(h, s) for h, _p, s in web.fetches}
    assert stat.S_IMODE((hkpost_out / 'acme' / 'account.key').stat().st_mode) == 0o600
    assert not load_host(str(state), 'web1').state['acme_files'], 'the token and its web.config were removed'
    assert left_in_dns == [], 'the dns-01 value was removed'
    log = (project_dir / 'ansible.log').read_text()
    for secret in (pebble.eab['hmac'], bind.secret, PFX_PASSWORD, project.winrm_password):
        assert secret not in out and secret not in log
