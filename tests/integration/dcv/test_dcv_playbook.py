# -*- coding: utf-8 -*-
"""playbooks/dcv.yml (role hkpost.ecert.dcv) with real ansible-playbook on localhost, against real BIND and nginx.

Method file writes through ansible.builtin modules into a web root nginx serves; method dns sends
RFC 2136 updates to BIND; the table is printed; the cleanup play removes exactly what was published.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.peers.bind_server import BindServer
from tests.support.peers.web_server import NginxServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.path.dirname(sys.executable)
SPF = 'v=spf1 -all'
FILE_CODE = 'HKP-pb-file-11aa22bb'
DNS_CODE = 'HKP-pb-dns-33cc44dd'


@pytest.fixture
def peers(tmp_path):
    bind = BindServer(tmp_path / 'bind', records=['@ IN TXT "%s"' % SPF,
                                                  'blocked IN CAA 0 issue "letsencrypt.org"'])
    os.makedirs(bind.directory)
    bind.start()
    webroot = tmp_path / 'www'
    webroot.mkdir()
    (tmp_path / 'nginx').mkdir()
    try:
        web = NginxServer(tmp_path / 'nginx', {'www.example.test': {'root': str(webroot)},
                                               'empty.example.test': {'root': str(tmp_path / 'nothing')}}).start()
    except Exception:
        bind.stop()  # never leave a named behind when the second peer fails to start
        raise
    yield bind, web, webroot
    web.stop()
    bind.stop()


def playbook(tmp_path, extra, *options):
    inventory = tmp_path / 'inventory.yml'
    inventory.write_text(json.dumps({'ecert_servers': {'hosts': {'localhost': {
        'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
    variables = tmp_path / 'vars.json'
    variables.write_text(json.dumps(extra))
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
               ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-local'), ANSIBLE_REMOTE_TEMP=str(tmp_path / 'ansible-remote'))
    return subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', str(inventory), '-e', '@%s' % variables,
                           os.path.join(ROOT, 'playbooks', 'dcv.yml')] + list(options),
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)


def settings(bind, web, webroot, certificates):
    return {
        'hkpost_dcv_certificates': certificates,
        'hkpost_dcv_webroot': str(webroot),
        'hkpost_dcv_dns_server': '127.0.0.1', 'hkpost_dcv_dns_port': bind.port,
        'hkpost_dcv_tsig_key_name': bind.key_name, 'hkpost_dcv_tsig_key_secret': bind.secret,
        'hkpost_dcv_nameservers': ['127.0.0.1:%d' % bind.port],
        'hkpost_dcv_resolve': {'ns1.example.test': '127.0.0.1:%d' % bind.port, 'www.example.test': '127.0.0.1',
                               'empty.example.test': '127.0.0.1'},
        'hkpost_dcv_port_map': web.port_map, 'hkpost_dcv_wait_timeout': 5, 'hkpost_dcv_timeout': 3,
    }


def recap_changed(output):
    line = [l for l in output.splitlines() if l.startswith('localhost') and 'changed=' in l][-1]
    return int(line.split('changed=')[1].split()[0])


def test_publish_verify_table_idempotent_cleanup(peers, tmp_path):
    bind, web, webroot = peers
    certificates = [
        {'name': 'web', 'method': 'file', 'domains': ['www.example.test'], 'verification_code': FILE_CODE},
        {'name': 'zone', 'method': 'dns', 'certificate_type': 'wildcard',
         'domains': ['*.example.test', 'example.test'], 'verification_code': DNS_CODE},
    ]
    extra = settings(bind, web, webroot, certificates)
    token = webroot / '.well-known' / 'pki-validation' / 'fileauth.txt'
    check = playbook(tmp_path, extra, '--check')
    assert check.returncode == 0, check.stdout + check.stderr
    assert 'would publish' in check.stdout and 'published, not checked' not in check.stdout   # a dry run predicts
    assert not token.exists() and bind.txt('example.test') == [SPF]

    run = playbook(tmp_path, extra)
    assert run.returncode == 0, run.stdout + run.stderr
    assert token.read_bytes() == FILE_CODE.encode()
    assert bind.txt('example.test') == sorted([SPF, DNS_CODE])
    table = run.stdout
    assert 'www.example.test' in table and 'file   OK' in table
    assert '*.example.test' in table and 'dns    OK' in table
    assert FILE_CODE not in run.stdout and DNS_CODE not in run.stdout

    again = playbook(tmp_path, extra)
    assert again.returncode == 0, again.stdout + again.stderr
    assert recap_changed(again.stdout) == 0

    cleanup = playbook(tmp_path, extra, '--tags', 'cleanup')
    assert cleanup.returncode == 0, cleanup.stdout + cleanup.stderr
    assert not token.exists()
    assert bind.txt('example.test') == [SPF]
    assert 'removed' in cleanup.stdout


def test_failures_are_reported_per_certificate_and_fail_the_play(peers, tmp_path):
    bind, web, webroot = peers
    certificates = [
        {'name': 'web', 'method': 'file', 'domains': ['www.example.test'], 'verification_code': FILE_CODE},
        # served by nginx from a directory the role does not write to: the check sees a 404
        {'name': 'elsewhere', 'method': 'file', 'domains': ['empty.example.test'], 'verification_code': FILE_CODE,
         'webroot': str(tmp_path / 'not-served')},
        {'name': 'old-code', 'method': 'dns', 'domains': ['example.test'], 'verification_code': DNS_CODE,
         'issued_on': '2026-01-01'},
    ]
    run = playbook(tmp_path, settings(bind, web, webroot, certificates))
    assert run.returncode != 0
    out = run.stdout
    assert 'file   OK' in out
    assert 'empty.example.test' in out and 'HTTP 404 Not Found' in out
    assert 'old-code' in out and 'expired on 2026-01-31' in out
    assert 'DCV failed for elsewhere, old-code' in out
    assert bind.txt('example.test') == [SPF]


def test_caa_for_another_ca_stops_the_role_before_anything_is_published(peers, tmp_path):
    bind, web, webroot = peers
    certificates = [{'name': 'blocked', 'method': 'dns', 'domains': ['blocked.example.test'],
                     'verification_code': DNS_CODE}]
    extra = dict(settings(bind, web, webroot, certificates), hkpost_dcv_preflight=['caa'])
    run = playbook(tmp_path, extra)
    assert run.returncode != 0
    assert 'nothing published: the CA would refuse' in run.stdout
    assert 'Add blocked.example.test CAA 0 issue "hongkongpost.gov.hk"' in run.stdout, run.stdout
    assert bind.txt('blocked.example.test') == []


def test_dated_rules_and_dcv_reuse_in_the_table(peers, tmp_path):
    bind, web, webroot = peers
    mail = [{'name': 'mail', 'method': 'email', 'domains': ['www.example.test'], 'verification_code': FILE_CODE,
             'issued_on': '2028-03-10'}]
    refused = playbook(tmp_path, dict(settings(bind, web, webroot, mail), hkpost_dcv_as_of='2028-03-15',
                                      hkpost_dcv_preflight=[]))
    assert refused.returncode != 0 and 'MUST NOT be used from 2028-03-15' in refused.stdout
    mail[0].update(issued_on='2027-04-01', validated_on={'www.example.test': '2026-12-01'})
    reuse = playbook(tmp_path, dict(settings(bind, web, webroot, mail), hkpost_dcv_as_of='2027-04-02',
                                    hkpost_dcv_preflight=[]))
    assert reuse.returncode == 0, reuse.stdout + reuse.stderr
    assert 'validate afresh before the next issuance' in reuse.stdout
