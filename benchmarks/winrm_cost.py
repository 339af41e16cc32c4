# -*- coding: utf-8 -*-
"""What a fleet run costs on the wire: ansible-playbook over real WinRM against simulated hosts.

    .venv/bin/python benchmarks/winrm_cost.py                       # phases, then 1,000 hosts with forks 50
    .venv/bin/python benchmarks/winrm_cost.py --fleet 200 --forks 20
    .venv/bin/python benchmarks/winrm_cost.py --no-fleet

Per host and per phase (request, migrate, rerun of the migration, install), for https+NTLM,
http+NTLM (every body sealed) and https+basic: module executions, HTTP requests, KiB sent and
received by the controller (HTTP headers and bodies, as the endpoint counted them; TLS record
overhead not included), and controller CPU ms (ansible-playbook and its forks, endpoint excluded:
it runs in its own process). Then the migration over a fleet of N simulated hosts with its wall
time. The endpoint is tests.support.winrm; the Windows side is the fake host.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, 'collections'))

from tests.support.pki import build_pki  # noqa: E402
from tests.support.winrm.hoststate import save_host  # noqa: E402
from tests.support.windows.certstore import pending_entry  # noqa: E402
from tests.support.windows.chain import put  # noqa: E402
from tests.support.windows.host import FakeWindowsHost  # noqa: E402
from tests.support.windows.iis import add_site  # noqa: E402
from tests.support.winrm.fleet import WinrmFleet  # noqa: E402

PHASE_HOSTS = 4
CONFIGS = [('https', 'ntlm'), ('http', 'ntlm'), ('https', 'basic')]


def _chain_vars(pki, work):
    with open(os.path.join(work, 'root.pem'), 'w', encoding='utf-8') as f:
        f.write(pki.root.pem)
    with open(os.path.join(work, 'ssl.pem'), 'w', encoding='utf-8') as f:
        f.write(pki.ssl_new.pem)
    return {'hkpost_chain_root_certificate_file': os.path.join(work, 'root.pem'),
            'hkpost_chain_ssl_intermediate_file': os.path.join(work, 'ssl.pem')}


def _run(fleet, work, inventory, playbook, *args):
    path = fleet.write_inventory(inventory, os.path.join(work, 'inventory.yml'))
    proc = fleet.run_playbook(os.path.join(ROOT, 'playbooks', playbook), path, *args, cwd=work)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-2000:])
        raise SystemExit('%s failed (rc %d)' % (playbook, proc.returncode))
    return proc


def _per_host(report, hosts, proc):
    stats = [report['stats'].get(h, {}) for h in hosts]
    n = len(hosts)
    return {'executions': sum(sum(s.get('executions', {}).values()) for s in stats) / n,
            'requests': sum(s.get('requests', 0) for s in stats) / n,
            'kib_sent': sum(s.get('bytes_received', 0) for s in stats) / n / 1024,
            'kib_received': sum(s.get('bytes_sent', 0) for s in stats) / n / 1024,
            'cpu_ms': proc.cpu_s * 1000 / n, 'wall_s': proc.wall_s}


def _phase(pki, base, scheme, transport, phase):
    """One phase on PHASE_HOSTS fresh hosts; each phase gets its own endpoint so its counters are its own."""
    work = tempfile.mkdtemp(prefix='%s-%s-%s-' % (phase, scheme, transport), dir=base)
    state = os.path.join(work, 'hosts')
    os.mkdir(state)
    names = ['win%02d' % i for i in range(PHASE_HOSTS)]
    www = pki.leaves['standard']
    for name in names:
        host = FakeWindowsHost()
        if phase in ('migrate', 'rerun'):
            put(host, 'CA', pki.ssl_old.cert)
        if phase == 'install':
            host.stores['REQUEST'].append(pending_entry(www.key, 'www.example.hk', 'www request'))
            add_site(host, 'Default Web Site', [('http', '*:80:', 0)])
        save_host(state, name, host)
    hostvars = {name: {} for name in names}
    if phase == 'request':
        inventory = {'ecert_servers': {'hosts': hostvars, 'vars': {
            'hkpost_csr_output_dir': os.path.join(work, 'csr'),
            'hkpost_csr_certificates': [{'common_name': 'www.example.hk', 'certificate_type': 'standard',
                                         'organization': 'Example Ltd'}]}}}
        playbook = 'request.yml'
    elif phase == 'install':
        with open(os.path.join(work, 'www.cer'), 'w', encoding='utf-8') as f:
            f.write(www.pem)
        inventory = {'ecert_servers': {'hosts': hostvars, 'vars': dict(
            _chain_vars(pki, work), hkpost_install_platform='iis',
            hkpost_iis_certificate_file=os.path.join(work, 'www.cer'), hkpost_iis_verify=False,
            hkpost_iis_backup_dir=os.path.join(work, 'backup'), hkpost_iis_backup_password='Bench-Backup-Pass-1',
            hkpost_iis_bindings=[{'site': 'Default Web Site', 'host_header': 'www.example.hk', 'port': 443}])}}
        playbook = 'install.yml'
    else:
        inventory = {'ecert_servers': {'hosts': hostvars, 'vars': _chain_vars(pki, work)}}
        playbook = 'migrate_intermediate.yml'
    if phase == 'rerun':   # the migration once, uncounted; the rerun is what is measured
        with WinrmFleet(state, os.path.join(work, 'first'), scheme=scheme, transport=transport) as fleet:
            _run(fleet, work, inventory, playbook)
    with WinrmFleet(state, os.path.join(work, 'winrm'), scheme=scheme, transport=transport) as fleet:
        proc = _run(fleet, work, inventory, playbook)
    return _per_host(fleet.report, names, proc)


def _fleet_run(pki, base, size, forks):
    work = tempfile.mkdtemp(prefix='fleet-', dir=base)
    state = os.path.join(work, 'hosts')
    os.mkdir(state)
    names = ['win%04d' % i for i in range(size)]
    for name in names:
        host = FakeWindowsHost()
        put(host, 'CA', pki.ssl_old.cert)
        save_host(state, name, host)
    inventory = {'ecert_servers': {'hosts': {name: {} for name in names}, 'vars': _chain_vars(pki, work)}}
    with WinrmFleet(state, os.path.join(work, 'winrm'), scheme='https', transport='ntlm') as fleet:
        # the playbook's own serial (rolling batches) stays; forks is the parallelism within a batch
        proc = _run(fleet, work, inventory, 'migrate_intermediate.yml', '--forks', str(forks),
                    '-e', 'hkpost_chain_serial=%d' % size)
    return _per_host(fleet.report, names, proc), fleet.report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--fleet', type=int, default=1000, help='simulated hosts in the fleet run (default 1000)')
    parser.add_argument('--forks', type=int, default=50)
    parser.add_argument('--no-fleet', action='store_true')
    parser.add_argument('--no-phases', action='store_true')
    parser.add_argument('--phases', default='request,migrate,rerun,install')
    args = parser.parse_args(argv)
    pki = build_pki()
    base = tempfile.mkdtemp(prefix='winrm-cost-')
    print('WinRM cost per host (ansible-playbook over tests.support.winrm, %d hosts per phase, this machine: %d cores)'
          % (PHASE_HOSTS, os.cpu_count()))
    if not args.no_phases:
        print('%-8s %-12s %11s %9s %9s %9s %8s' % ('phase', 'transport', 'executions', 'requests', 'KiB sent',
                                                   'KiB recv', 'CPU ms'))
        for phase in args.phases.split(','):
            for scheme, transport in CONFIGS:
                r = _phase(pki, base, scheme, transport, phase)
                print('%-8s %-12s %11.1f %9.1f %9.1f %9.1f %8.0f' % (
                    phase, '%s+%s' % (scheme, transport), r['executions'], r['requests'], r['kib_sent'],
                    r['kib_received'], r['cpu_ms']), flush=True)
    if not args.no_fleet:
        start = time.monotonic()
        r, report = _fleet_run(pki, base, args.fleet, args.forks)
        total_sent = sum(h['bytes_received'] for h in report['stats'].values()) / 1024 / 1024
        print('\nfleet: migration of %d hosts, forks %d, https+NTLM: wall %.1f s (%.1f s with setup), %.1f executions/host, '
              '%.1f MiB sent in all, controller CPU %.1f s (%.0f ms/host)'
              % (args.fleet, args.forks, r['wall_s'], time.monotonic() - start, r['executions'], total_sent,
                 r['cpu_ms'] * args.fleet / 1000, r['cpu_ms']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
