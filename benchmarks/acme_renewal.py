#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Benchmark: renew.yml in ACME mode (hkpost_issuance: acme) against a real ACME server, 20 hosts x 2 certificates.

    .venv/bin/python benchmarks/acme_renewal.py [HOSTS]

Pebble 2.4 is the CA (tests/support/peers/pebble_server.py), resolving through a real BIND (dns-01) and fetching
http-01 tokens from the simulated hosts' IIS web roots over real HTTP (tests/support/peers/iis_web.py); the hosts
are simulated Windows hosts behind the loopback WinRM endpoint. Half the hosts prove control by dns-01, half by
http-01.

1. One run, ``--tags request,install -f HOSTS``: zero manual steps. Prints its wall time and the WinRM module
   executions per host, beside the portal mode's two phases for the same host (request + install, the test PKI
   standing in for the portal, as benchmarks/renewal.py does).
   The hosts are in ACME mode with Pebble's root as hkpost_acme_trusted_issuers, so the run installs Pebble's
   chains (complete, bind, back up) exactly as the install phase installs Hongkong Post's.
2. The ACME phase alone (``--tags acme``) again for the same pending requests (the intake emptied), with
   ``-f HOSTS`` (orders of all hosts concurrently) and ``-f 1`` (one host after the other): the two wall times.

Target (issue 23): one run, no manual step, executions per host no more than the portal's two phases together,
orders concurrent. Prints only; asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, 'collections'))

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

_AnsibleCollectionFinder(paths=[os.path.join(ROOT, 'collections')])._install()

from tests.support.peers.bind_server import BindServer  # noqa: E402
from tests.support.peers.iis_web import IisWeb  # noqa: E402
from tests.support.peers.pebble_server import PebbleServer  # noqa: E402
from tests.support.pki import build_pki  # noqa: E402
from tests.support.portal import issue_sheet  # noqa: E402
from tests.support.windows.acme import serve_webroots  # noqa: E402
from tests.support.windows.dcv import new_iis  # noqa: E402
from tests.support.windows.host import FakeWindowsHost  # noqa: E402
from tests.support.windows.iis import add_site  # noqa: E402
from tests.support.winrm.fleet import run_over_winrm  # noqa: E402
from tests.support.winrm.hoststate import load_host, save_host  # noqa: E402

ZONE = 'example.test'


def names_of(index):
    return ['a%02d.%s' % (index, ZONE), 'b%02d.%s' % (index, ZONE)]


def fleet(state, count, web):
    hostvars = {}
    for index in range(count):
        name = 'web%02d' % index
        host = FakeWindowsHost()
        for cn in names_of(index):
            add_site(host, cn, [('http', '*:80:%s' % cn, 0)])
            web.names[cn] = name
        serve_webroots(host, {cn: 'C:\\sites\\%s' % cn for cn in names_of(index)})
        save_host(state, name, host)
        hostvars[name] = {'hkpost_acme_challenge': 'http-01' if index % 2 else 'dns-01', 'hkpost_certificates': [
            {'common_name': cn, 'iis_bindings': [{'site': cn, 'host_header': cn}]} for cn in names_of(index)]}
    return hostvars


def inventory(out, hostvars, group_vars):
    return {'all': {'vars': {'hkpost_output_dir': out, 'hkpost_backup_password': 'benchmark-only',
                             'hkpost_csr_organization': 'Example Ltd'},
                    'children': {'ecert_servers': {'vars': dict(group_vars, hkpost_platform='iis', hkpost_iis_verify=False,
                                                                hkpost_renew_audit=False),
                                                   'hosts': hostvars}}}}


def run(tmp, state, inv, label, *args):
    work = os.path.join(tmp, 'winrm-' + label)
    start = time.monotonic()
    proc, _report = run_over_winrm(state, work, inv, os.path.join(ROOT, 'playbooks', 'renew.yml'), *args, cwd=tmp,
                                   timeout=3600)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        print(proc.stdout[-4000:], proc.stderr[-2000:])
        raise SystemExit('renew.yml %s failed' % ' '.join(args))
    return wall, proc


def calls(state, names):
    return {name: [c[0] for c in load_host(state, name).calls] for name in names}


def portal_baseline(tmp, pki, challenge_type):
    """The portal mode's two phases for one host with the same two certificates (executions on that host)."""
    base = os.path.join(tmp, 'portal-' + challenge_type)
    state = os.path.join(base, 'hosts')
    os.makedirs(state)
    host = FakeWindowsHost()
    for cn in names_of(0):
        add_site(host, cn, [('http', '*:80:%s' % cn, 0)])
    save_host(state, 'web00', host)
    for name, cert in (('root.pem', pki.root), ('ssl.pem', pki.ssl_new)):
        with open(os.path.join(base, name), 'w', encoding='ascii') as f:
            f.write(cert.pem)
    out = os.path.join(base, 'out')
    inv = inventory(out, {'web00': {'hkpost_certificates': [
        {'common_name': cn, 'iis_bindings': [{'site': cn, 'host_header': cn}]} for cn in names_of(0)]}},
        {'hkpost_chain_root_certificate_file': os.path.join(base, 'root.pem'),
         'hkpost_chain_ssl_intermediate_file': os.path.join(base, 'ssl.pem')})
    run(base, state, inv, 'request', '--tags', 'request')
    request = len(load_host(state, 'web00').calls)
    os.makedirs(os.path.join(out, 'intake'))
    for index, leaf in enumerate(issue_sheet(pki, os.path.join(out, 'csr', 'submission.csv')).values()):
        with open(os.path.join(out, 'intake', 'download-%d.cer' % index), 'wb') as f:
            f.write(leaf.der)
    run(base, state, inv, 'install', '--tags', 'install')
    return request, len(load_host(state, 'web00').calls) - request


def portal_file_dcv(tmp):
    """The portal mode's file DCV for the same two names on IIS (hkpost_dcv_token method file through the dcv role,
    as renew.yml's request phase publishes and its install phase removes it): executions on the host."""
    base = os.path.join(tmp, 'portal-file-dcv')
    state = os.path.join(base, 'hosts')
    os.makedirs(state)
    host = FakeWindowsHost()
    new_iis(host, [{'name': cn, 'id': i + 1, 'physical_path': 'C:\\sites\\' + cn, 'bindings': [('http', '*:80:' + cn)],
                    'txt_mime': 'text/plain'} for i, cn in enumerate(names_of(0))])
    save_host(state, 'web00', host)
    inv = inventory(os.path.join(base, 'out'), {'web00': {'hkpost_dcv_certificates': [
        {'name': cn, 'method': 'file', 'domains': [cn], 'verification_code': 'HKP-benchmark-%d' % i}
        for i, cn in enumerate(names_of(0))]}}, {'hkpost_dcv_verify': False, 'hkpost_dcv_preflight': []})
    playbook = os.path.join(ROOT, 'playbooks', 'dcv.yml')
    counts = []
    for tag in ('publish', 'cleanup'):
        proc, _report = run_over_winrm(state, os.path.join(base, 'winrm-' + tag), inv, playbook, '--tags', tag, cwd=base)
        if proc.returncode != 0:
            print(proc.stdout[-3000:])
            raise SystemExit('dcv.yml --tags %s failed' % tag)
        counts.append(len(load_host(state, 'web00').calls) - sum(counts))
    return counts


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    pki = build_pki()
    with tempfile.TemporaryDirectory() as tmp:
        state = os.path.join(tmp, 'hosts')
        os.makedirs(state)
        records = ['@ IN A 127.0.0.1'] + ['%s IN A 127.0.0.1' % n[:-len(ZONE) - 1] for i in range(count) for n in names_of(i)]
        bind = BindServer(os.path.join(tmp, 'bind'), zone=ZONE, records=records).start()
        web = IisWeb(state, {}).start()
        pebble = PebbleServer(os.path.join(tmp, 'pebble'), dns_port=bind.port, http_port=web.port).start()
        try:
            hostvars = fleet(state, count, web)
            out = os.path.join(tmp, 'out')
            with open(os.path.join(tmp, 'acme-root.pem'), 'w', encoding='ascii') as f:
                f.write(pebble.issuer_pem())  # relative in the inventory: from where ansible-playbook runs
            inv = inventory(out, hostvars, {
                'hkpost_issuance': 'acme', 'hkpost_acme_directory': pebble.directory_url,
                'hkpost_acme_ca_file': pebble.ca_file, 'hkpost_acme_terms_agreed': True,
                'hkpost_acme_trusted_issuers': ['acme-root.pem'],
                'hkpost_dcv_dns_server': '127.0.0.1', 'hkpost_dcv_dns_port': bind.port,
                'hkpost_dcv_tsig_key_name': bind.key_name, 'hkpost_dcv_tsig_key_secret': bind.secret})
            forks = str(max(count, 5))
            one_wall, _proc = run(tmp, state, inv, 'one-run', '--tags', 'request,install', '-f', forks)
            one = calls(state, hostvars)
            issued = len([n for n in os.listdir(os.path.join(out, 'intake')) if n.endswith('.pem')])
            installed = sum(len(load_host(state, h).state['iis']['sslcert']['hostnameport']) for h in hostvars)

            walls = {}
            for label, fork_count in (('concurrent', forks), ('sequential', '1')):
                shutil.rmtree(os.path.join(out, 'intake'))
                walls[label], _proc = run(tmp, state, inv, 'acme-' + label, '--tags', 'acme', '-f', fork_count)
        finally:
            pebble.stop()
            web.stop()
            bind.stop()
        baseline = {kind: portal_baseline(tmp, pki, kind) for kind in ('dns-01',)}
        file_publish, file_remove = portal_file_dcv(tmp)

    portal_request, portal_install = baseline['dns-01']
    print('renew.yml, hkpost_issuance acme, %d hosts x 2 certificates against Pebble 2.4 (half dns-01, half http-01)'
          % count)
    print('  one run (--tags request,install -f %s): %.1f s wall, %d chains issued into the intake, %d bindings '
          'installed, 0 manual steps' % (forks, one_wall, issued, installed))
    print('  ACME phase alone (--tags acme), the same %d orders: %.1f s with -f %s (concurrent), %.1f s with -f 1 '
          '(sequential)' % (issued, walls['concurrent'], forks, walls['sequential']))
    print('WinRM module executions per host (2 certificates)')
    for kind in ('dns-01', 'http-01'):
        hosts = [h for h, v in hostvars.items() if v['hkpost_acme_challenge'] == kind]
        acme_calls = one[hosts[0]]
        acme_phase = [c for c in acme_calls if c.startswith('acme_')]
        per_host = sorted({len(one[h]) for h in hosts})
        print('  %-8s ACME run, request + challenges + install, measured: %s (of which ACME challenges: %d: %s)'
              % (kind, '/'.join(str(n) for n in per_host), len(acme_phase), ', '.join(acme_phase) or 'none'))
    print('  portal mode, two phases, DCV by DNS (controller): request %d + install %d = %d'
          % (portal_request, portal_install, portal_request + portal_install))
    print('  portal mode, two phases, DCV by fileauth.txt in IIS: request %d + DCV publish %d + install %d + DCV '
          'removal %d = %d' % (portal_request, file_publish, portal_install, file_remove,
                               portal_request + file_publish + portal_install + file_remove))


if __name__ == '__main__':
    main()
