#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Benchmark: WinRM module executions per host for each phase of renew.yml, first run and rerun.

    .venv/bin/python benchmarks/renewal.py

Runs the real playbooks/renew.yml with ansible-playbook over WinRM on two simulated IIS hosts (tests/support/
winrm: only what PowerShell does on each host is simulated) - one serving 1 certificate, one serving
3 - through a whole cycle: request, rerun, the portal (the test PKI signs the CSRs), install, rerun. Every
module execution that reaches a host is one WinRM round trip set; controller-side modules (the intake, the
served-chain check) cost none and are not counted. Prints the figures beside a model of the obvious alternative
built from ansible.windows / community.windows modules, and beside the figures measured before hkpost_install became
the one install path (BEFORE, commit bd88e3b). Controller CPU per host per phase is ansible-playbook's CPU time
(user + system, its workers included) divided by the number of hosts. Targets (issue 21): a first install <= 3
executions per host (read; apply; retire after verify), each rerun 1; controller CPU of the install halved.
Prints only; asserts nothing. The install CPU against an older checkout at the same load: benchmarks/install_cpu.py.
"""

from __future__ import annotations

import datetime
import itertools
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, 'collections'))

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

_AnsibleCollectionFinder(paths=[os.path.join(ROOT, 'collections')])._install()


from tests.support.pki import build_pki  # noqa: E402
from tests.support.portal import issue_sheet  # noqa: E402
from tests.support.windows.certstore import entry_for  # noqa: E402
from tests.support.windows.exchange import add_account, add_certificate, exchange_state  # noqa: E402
from tests.support.windows.host import FakeWindowsHost  # noqa: E402
from tests.support.windows.iis import add_site  # noqa: E402
from tests.support.winrm.fleet import run_over_winrm  # noqa: E402
from tests.support.winrm.hoststate import load_host, save_host  # noqa: E402

HOSTS = {
    'one': ['one.example.hk'],
    'three': ['a.example.hk', 'b.example.hk', 'c.example.hk'],
    # An Exchange server (2010's build) renewing the certificate it serves IIS and SMTP with: the install also
    # retires the replaced one.
    'mail': ['mail.example.hk'],
}
EXCHANGE_USER, EXCHANGE_PASSWORD = 'CORP\\svc-exchange', 'benchmark-only-exchange'


def setup(tmp, pki):
    state = os.path.join(tmp, 'hosts')
    os.makedirs(state)
    hostvars = {}
    for name, names in HOSTS.items():
        if name == 'mail':
            host = FakeWindowsHost(os_build=7601)
            exchange_state(host)
            add_account(host, EXCHANGE_USER, EXCHANGE_PASSWORD)
            old = pki.issue_leaf(names[0], not_before=pki.now - 300 * DAY, not_after=pki.now + 20 * DAY)
            add_certificate(host, old.cert, old.key, services=['IIS', 'SMTP'])
            host.stores['My'].append(entry_for(old.cert, old.key))
            save_host(state, name, host)
            hostvars[name] = {'hkpost_platform': 'exchange', 'hkpost_exchange_verify': False,
                              'hkpost_exchange_server': 'mail.corp.example.hk',
                              'hkpost_exchange_username': EXCHANGE_USER, 'hkpost_exchange_password': EXCHANGE_PASSWORD,
                              'hkpost_certificates': [{'common_name': cn, 'exchange_services': ['IIS', 'SMTP']}
                                                      for cn in names]}
            continue
        host = FakeWindowsHost()
        for cn in names:
            add_site(host, cn, [('http', '*:80:', 0)])
        save_host(state, name, host)
        hostvars[name] = {'hkpost_platform': 'iis', 'hkpost_certificates': [
            {'common_name': cn, 'iis_bindings': [{'site': cn, 'host_header': cn}]} for cn in names]}
    for name, cert in (('root.pem', pki.root), ('ssl.pem', pki.ssl_new)):
        with open(os.path.join(tmp, name), 'w', encoding='ascii') as f:
            f.write(cert.pem)
    inventory = {'all': {'vars': {'hkpost_output_dir': os.path.join(tmp, 'out'),
                                  'hkpost_backup_password': 'benchmark-only',
                                  'hkpost_csr_organization': 'Example Ltd'},
                         'children': {'ecert_servers': {
                             'vars': {'hkpost_chain_root_certificate_file': os.path.join(tmp, 'root.pem'),
                                      'hkpost_chain_ssl_intermediate_file': os.path.join(tmp, 'ssl.pem'),
                                      'hkpost_iis_verify': False, 'hkpost_renew_audit': False},
                             'hosts': hostvars}}}}
    return state, inventory


RUNS = itertools.count()
# The renew.yml to run: the checkout's, or (HKPOST_BENCH_RENEW) a copy of playbooks/ with a change to measure before
# it is merged - e.g. a request phase ported to the csr role (issue 21).
RENEW = os.environ.get('HKPOST_BENCH_RENEW') or os.path.join(ROOT, 'playbooks', 'renew.yml')
DAY = datetime.timedelta(days=1)
# Measured with this script at commit bd88e3b (before issue 21's one install path), on the same three hosts:
# executions per host {host: (request, rerun, install, rerun)} and controller CPU seconds per host per phase.
BEFORE = {'executions': {'one': (4, 1, 6, 2), 'three': (10, 1, 8, 2), 'mail': (4, 1, 10, 4)},
          'cpu_s': (1.11, 1.10, 2.07, 1.91)}


def run_phase(tmp, state, inventory, tag):
    before = {name: len(load_host(state, name).calls) for name in HOSTS}
    proc, _report = run_over_winrm(state, os.path.join(tmp, 'winrm-%d' % next(RUNS)), inventory,
                                   RENEW, '--tags', tag, cwd=tmp)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        raise SystemExit('renew.yml --tags %s failed' % tag)
    calls = {}
    for name in HOSTS:
        host = load_host(state, name)
        calls[name] = [c[0] for c in host.calls[before[name]:]]
    return calls, proc.cpu_s / len(HOSTS)


def portal(pki, tmp):
    out = os.path.join(tmp, 'out')
    os.makedirs(os.path.join(out, 'intake'))
    issued = issue_sheet(pki, os.path.join(out, 'csr', 'submission.csv'))
    for index, leaf in enumerate(issued.values()):
        with open(os.path.join(out, 'intake', 'download-%d.cer' % index), 'wb') as f_out:
            f_out.write(leaf.der)


def alternative(certs, bindings):
    """Module executions of the same cycle built from ansible.windows / community.windows modules, per host.

    Request, per certificate: win_shell certreq -new, win_shell certutil -store REQUEST (to learn the request
    thumbprint), fetch the CSR, win_shell certutil -exportPFX of the pending key, fetch the PFX = 5. A rerun runs the
    same tasks (win_shell with creates: still executes on the host to check).
    Install, per host: win_certificate_store for the intermediate (+1); per certificate: win_copy the issued file,
    win_shell certreq -accept, win_shell Export-PfxCertificate, fetch, win_certificate_info to find the old one,
    win_certificate_store state=absent for it = 6; per binding: win_iis_webbinding = 1. Every rerun the same.
    """
    request = 5 * certs
    install = 1 + 6 * certs + bindings
    return request, request, install, install


def main():
    pki = build_pki()
    with tempfile.TemporaryDirectory() as tmp:
        state, inventory = setup(tmp, pki)
        first_request, cpu_request = run_phase(tmp, state, inventory, 'request')
        rerun_request, cpu_request_rerun = run_phase(tmp, state, inventory, 'request')
        portal(pki, tmp)
        first_install, cpu_install = run_phase(tmp, state, inventory, 'install')
        rerun_install, cpu_install_rerun = run_phase(tmp, state, inventory, 'install')
    phases = (first_request, rerun_request, first_install, rerun_install)
    cpu = (cpu_request, cpu_request_rerun, cpu_install, cpu_install_rerun)
    print('Module executions per host (renew.yml; targets: first install <= 3, rerun 1), now [before]')
    print('  %-25s %12s %12s %12s %12s' % ('host', 'request', 'rerun', 'install', 'rerun'))
    for name, names in HOSTS.items():
        label = '%d certificate%s%s' % (len(names), 's' if len(names) > 1 else '',
                                        ' (Exchange)' if name == 'mail' else '')
        print('  %-25s %12s %12s %12s %12s' % ((label,) + tuple(
            '%d [%s]' % (len(phase[name]), '?' if old is None else old)
            for phase, old in zip(phases, BEFORE['executions'][name]))))
    print('Controller CPU per host (s), now [before]')
    print('  %-25s %12s %12s %12s %12s' % (('per host',) + tuple(
        '%.2f [%s]' % (now, '?' if old is None else '%.2f' % old) for now, old in zip(cpu, BEFORE['cpu_s']))))
    print('Module executions per host (ansible.windows modules chained, model in alternative.__doc__)')
    print('  %-14s %8s %8s %8s %8s' % ('host', 'request', 'rerun', 'install', 'rerun'))
    for name, names in HOSTS.items():
        if name == 'mail':
            continue
        label = '%d certificate%s' % (len(names), 's' if len(names) > 1 else '')
        print('  %-14s %8d %8d %8d %8d' % ((label,) + alternative(len(names), len(names))))
    for label, calls in (('first install', first_install), ('install rerun', rerun_install)):
        print('Payloads of the %s on the 3-certificate host: %s' % (label, ', '.join(calls['three'])))
        print('Payloads of the %s on the Exchange host: %s' % (label, ', '.join(calls['mail'])))


if __name__ == '__main__':
    main()
