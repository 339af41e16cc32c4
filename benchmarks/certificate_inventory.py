#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Benchmark: the certificate inventory of 1,000 hosts x 20 certificates - one execution per host, and the report.

    .venv/bin/python benchmarks/certificate_inventory.py [--hosts 1000]

1. Builds 1,000 fake Windows hosts (tests/support/windows), each holding 20 certificates across the seven
   LocalMachine stores - unique leaves (some superseded, some expired), a wildcard shared by 100 hosts, its own
   RDP self-signed certificate, a pending request, shared intermediates and roots - and consumers (IIS SNI and
   IP bindings, RDP, WinRM HTTPS, SQL Server on some). Runs the real action plugin against each through the
   win_powershell boundary and counts the payload executions per host.
2. Renders the fleet report from those results in a fresh process, as the playbook's hkpost_fleet_report does (the results
   as Ansible hands them, the model built once, HTML, CSV, JSON and the forecast JSON): wall time and peak RSS
   of that process, and the report sizes.

Targets (issue 24): the report renders in under 10 s and 200 MiB on this machine; one execution per host.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, 'collections'))

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

_AnsibleCollectionFinder(paths=[os.path.join(ROOT, 'collections')])._install()

TODAY = datetime.date(2026, 12, 7)
CERTS_PER_HOST = 20


def _fleet(count):
    """(hosts by name) - 20 store entries each; EC keys so that issuing 11,000 certificates takes seconds."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from tests.support.windows import inventory as fake_inventory
    from tests.support.windows.certstore import entry_for
    from tests.support.windows.host import FakeWindowsHost
    from tests.support.windows.iis import add_site, map_sslcert

    now = datetime.datetime(2026, 12, 7, tzinfo=datetime.timezone.utc)
    day = datetime.timedelta(days=1)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, 'HK'), x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def make(subject, key, issuer, issuer_key, start, days, ca=False, sans=()):
        builder = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(start + days * day)
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    def key():
        return ec.generate_private_key(ec.SECP256R1())

    root_key, ca_key, other_key = key(), key(), key()
    root = make('Hongkong Post Root CA 3', root_key, 'Hongkong Post Root CA 3', root_key, now - 3000 * day, 7000, True)
    inter = make('Hongkong Post e-Cert SSL CA 3 - 17', ca_key, 'Hongkong Post Root CA 3', root_key, now - 2000 * day,
                 4000, True)
    other = make('Example Issuing CA', other_key, 'Example Issuing CA', other_key, now - 2000 * day, 4000, True)
    roots = [root, other] + [make('Root %d' % i, k, 'Root %d' % i, k, now - 3000 * day, 6000, True)
                             for i, k in enumerate(key() for _unused in range(3))]
    disallowed = make('Distrusted CA', root_key, 'Distrusted CA', root_key, now - 3000 * day, 6000, True)
    wildcards = {}
    hosts = {}
    for index in range(count):
        host = FakeWindowsHost()
        site = 'site%04d.example.hk' % index
        group = index // 100
        if group not in wildcards:
            wk = key()
            wildcards[group] = (make('*.g%d.example.hk' % group, wk, 'Hongkong Post e-Cert SSL CA 3 - 17', ca_key,
                                     now - (20 + group) * day, 200, sans=['*.g%d.example.hk' % group]), wk)
        leaves = []
        for n in range(8):
            lk = key()
            cn = 'n%d.%s' % (n % 6, site)       # n0/n6 and n1/n7 share names: the older of each is superseded
            start = now - ((n * 37 + index) % 380 + (120 if n >= 6 else 0)) * day
            issuer, issuer_key = (('Hongkong Post e-Cert SSL CA 3 - 17', ca_key) if n % 3 else
                                  ('Example Issuing CA', other_key))
            leaves.append((make(cn, lk, issuer, issuer_key, start, 398 if start.date() < datetime.date(2026, 3, 15)
                                else 200, sans=[cn]), lk))
        rdp_key = key()
        host.stores['My'] = [entry_for(c, k) for c, k in leaves] + [entry_for(*wildcards[group])]
        web_key = key()
        host.stores['WebHosting'] = [entry_for(make('web.' + site, web_key, 'Hongkong Post e-Cert SSL CA 3 - 17',
                                                    ca_key, now - 50 * day, 200, sans=['web.' + site]), web_key)]
        host.stores['Remote Desktop'] = [entry_for(make('HOST%04d' % index, rdp_key, 'HOST%04d' % index, rdp_key,
                                                        now - 100 * day, 182), rdp_key)]
        host.stores['CA'] = [entry_for(inter), entry_for(other)]
        host.stores['Root'] = [entry_for(c) for c in roots]
        host.stores['Disallowed'] = [entry_for(disallowed)]
        # Every tenth host completed a request by importing a PFX: its REQUEST entry is an orphaned key.
        request_key = leaves[1][1] if index % 10 == 0 else key()
        host.stores['REQUEST'] = [entry_for(make('next.' + site, request_key, 'next.' + site, request_key,
                                                 now - (index % 60) * day, 365), request_key)]
        thumbprints = [e['thumbprint'] for e in host.stores['My']]
        add_site(host, site, [('https', '*:443:n0.%s' % site, 1), ('https', '*:443:n1.%s' % site, 1),
                              ('https', '*:443:', 0)])
        map_sslcert(host, 'hostnameport', 'n0.%s:443' % site, thumbprints[0])
        map_sslcert(host, 'hostnameport', 'n1.%s:443' % site, thumbprints[7])
        map_sslcert(host, 'ipport', '0.0.0.0:443', thumbprints[8])
        fake_inventory.set_rdp_certificate(host, None)
        fake_inventory.add_winrm_https_listener(host, thumbprints[2])
        if index % 4 == 0:
            fake_inventory.add_sql_instance(host, 'MSSQLSERVER', 'MSSQL16.MSSQLSERVER', thumbprints[3])
        assert sum(len(v) for v in host.stores.values()) == CERTS_PER_HOST
        hosts['host%04d' % index] = host
    return hosts


def read(hosts):
    from ansible_collections.hkpost.ecert.plugins.action.hkpost_certificate_inventory import ActionModule
    from tests.support.action_harness import run_action

    results = []
    for name, host in hosts.items():
        results.append(run_action(ActionModule, {}, host=host, task_vars={'inventory_hostname': name}))
    executions = {name: len(host.calls) for name, host in hosts.items()}
    return results, executions


def _peak_mib():
    """The process's peak resident set (VmHWM). Not getrusage's ru_maxrss: Linux carries the parent's figure
    across fork and exec, so a child started by a large parent would report the parent's peak."""
    with open('/proc/self/status', encoding='ascii') as f:
        return next(int(line.split()[1]) for line in f if line.startswith('VmHWM:')) / 1024.0


def render(path):
    """In a fresh process: load the results as Ansible would hand them, build once, write the four files."""
    start_rss = _peak_mib()
    from ansible_collections.hkpost.ecert.plugins.module_utils._report_files import inventory_files
    with open(path, encoding='utf-8') as f:
        results = json.load(f)
    loaded_rss = _peak_mib()
    begin = time.perf_counter()
    files, _info = inventory_files(results, today=TODAY.isoformat())
    seconds = time.perf_counter() - begin
    print(json.dumps({'seconds': seconds, 'peak_rss_mib': _peak_mib(),
                      'rss_before_load_mib': start_rss, 'rss_after_load_mib': loaded_rss,
                      'sizes': {k: len(v.encode('utf-8')) for k, v in files.items()},
                      'summary': json.loads(files['certificate-inventory.json'])['summary'],
                      'forecast': json.loads(files['renewal-forecast.json'])['totals']}))


def main(count):
    begin = time.perf_counter()
    hosts = _fleet(count)
    built = time.perf_counter() - begin
    begin = time.perf_counter()
    results, executions = read(hosts)
    seconds_read = time.perf_counter() - begin
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'results.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(results, f)
        size = os.path.getsize(path)
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), '--render', path], capture_output=True,
                              text=True, check=True)
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    calls = sorted(set(executions.values()))
    print('hkpost_certificate_inventory, %d hosts x %d certificates (%d store entries)' % (
        count, CERTS_PER_HOST, sum(len(r['certificates']) for r in results)))
    print('  fleet built in %.1f s; %d module runs in %.1f s (%.1f ms per host, fake host included)' % (
        built, len(results), seconds_read, 1000.0 * seconds_read / count))
    print('  payload executions per host: %s   (target: 1)' % ', '.join(str(c) for c in calls))
    print('  results as registered: %.1f MiB of JSON' % (size / 1048576.0))
    print('report (fresh process; hkpost_fleet_report, kind inventory: join + HTML + CSV + JSON + forecast):')
    print('  render time: %.2f s   (target: < 10 s)' % figures['seconds'])
    print('  peak RSS: %.0f MiB   (target: < 200 MiB; %.0f MiB at start, %.0f MiB with the report code imported and the '
          'results loaded)' % (
              figures['peak_rss_mib'], figures['rss_before_load_mib'], figures['rss_after_load_mib']))
    print('  files: %s' % ', '.join('%s %.1f MiB' % (k, v / 1048576.0) for k, v in sorted(figures['sizes'].items())))
    summary, forecast = figures['summary'], figures['forecast']
    print('  fleet: %d unique certificates (%d leaves, %d in use), %d stale %s' % (
        summary['certificates'], summary['leaf_certificates'], summary['in_use'], summary['stale'],
        summary['stale_by_reason']))
    print('  forecast: %d renewals in 52 weeks, %d portal sessions, busiest week %s (%d due)' % (
        forecast['renewals'], forecast['portal_sessions'], forecast['busiest_week'], forecast['busiest_week_due']))


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--render':
        render(sys.argv[2])
    else:
        main(int(sys.argv[sys.argv.index('--hosts') + 1]) if '--hosts' in sys.argv else 1000)
