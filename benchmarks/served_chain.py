# -*- coding: utf-8 -*-
"""Benchmark hkpost_served_chain against N real TLS endpoints, side by side with sslyze.

    .venv/bin/python benchmarks/served_chain.py                 # N = 200 and 1000
    .venv/bin/python benchmarks/served_chain.py --sizes 200 --no-sslyze

The endpoints are one nginx (2 workers) listening on N ports of 127.0.0.1, each sending a test-PKI
leaf and intermediate. Each audit runs in a fresh process, so its peak RSS is its own. sslyze needs
cryptography < 47 and this collection's venv has a newer one, so sslyze goes into its own venv,
``.venv-bench`` (created here on first use; it carries a ``.gitignore``), and scans the same
endpoints with only its certificate-info command.

Prints figures; asserts nothing (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_VENV = os.path.join(ROOT, '.venv-bench')
NGINX = shutil.which('nginx') or '/usr/sbin/nginx'


def _import_collection():
    sys.path.insert(0, ROOT)
    sys.path.insert(0, os.path.join(ROOT, 'collections'))
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    _AnsibleCollectionFinder(paths=[os.path.join(ROOT, 'collections')])._install()


def free_ports(count):
    socks = []
    for _index in range(count):
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def start_nginx(directory, ports, chain_pem, key_pem):
    with open(os.path.join(directory, 'chain.pem'), 'w') as handle:
        handle.write(chain_pem)
    with open(os.path.join(directory, 'key.pem'), 'w') as handle:
        handle.write(key_pem)
    servers = '\n'.join('    server { listen 127.0.0.1:%d ssl; }' % port for port in ports)
    conf = textwrap.dedent('''\
        %s
        worker_processes 2;
        worker_rlimit_nofile 20000;
        pid %s/nginx.pid;
        error_log %s/error.log warn;
        events { worker_connections 8192; }
        http {
            access_log off;
            client_body_temp_path %s; proxy_temp_path %s; fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;
            ssl_certificate %s/chain.pem;
            ssl_certificate_key %s/key.pem;
            ssl_session_cache off;
            ssl_session_tickets off;
        ''') % (('user root;' if os.geteuid() == 0 else ''), directory, directory, *([directory] * 5),
                directory, directory)
    with open(os.path.join(directory, 'nginx.conf'), 'w') as handle:
        handle.write(conf + servers + '\n}\n')
    process = subprocess.Popen([NGINX, '-p', directory, '-c', os.path.join(directory, 'nginx.conf'),
                                '-g', 'daemon off;'], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    for port in (ports[0], ports[-1]):
        while True:
            try:
                socket.create_connection(('127.0.0.1', port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit('nginx did not start: %s' % process.stderr.read().decode())
                time.sleep(0.05)
    return process


def audit_worker(ports_file, trust, concurrency):
    """In a fresh process: audit every port, print rate and memory as JSON."""
    _import_collection()
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
    with open(ports_file) as handle:
        ports = json.load(handle)
    endpoints = [{'host': '127.0.0.1', 'port': p, 'server_name': 'www.example.hk'} for p in ports]
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    audit = audit_endpoints(endpoints, trust=trust, timeout=10, concurrency=concurrency)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({'n': len(ports), 'seconds': elapsed, 'per_second': len(ports) / elapsed,
                      'rss_baseline_kib': baseline, 'rss_peak_kib': peak, 'summary': audit['summary'],
                      'result_json_bytes': len(json.dumps(audit['endpoints']))}))


SSLYZE_SCRIPT = '''
import json, sys, time
from sslyze import Scanner, ServerScanRequest, ServerNetworkLocation, ScanCommand
ports = json.load(open(sys.argv[1]))
requests = [ServerScanRequest(server_location=ServerNetworkLocation(hostname="www.example.hk", port=p,
            ip_address="127.0.0.1"), scan_commands={ScanCommand.CERTIFICATE_INFO}) for p in ports]
scanner = Scanner(concurrent_server_scans_limit=int(sys.argv[2]))
started = time.perf_counter()
scanner.queue_scans(requests)
done = ok = 0
for result in scanner.get_results():
    done += 1
    ok += result.scan_result is not None and result.scan_result.certificate_info.result is not None
elapsed = time.perf_counter() - started
print(json.dumps({"n": len(ports), "completed": done, "with_certificates": ok, "seconds": elapsed,
                  "per_second": len(ports) / elapsed}))
'''


def ensure_sslyze():
    python = os.path.join(BENCH_VENV, 'bin', 'python')
    if not os.path.exists(python):
        print('creating %s for sslyze (it needs cryptography<47; the collection venv has a newer one)' % BENCH_VENV)
        subprocess.run([sys.executable, '-m', 'venv', BENCH_VENV], check=True)
        with open(os.path.join(BENCH_VENV, '.gitignore'), 'w') as handle:
            handle.write('*\n')
    if subprocess.run([python, '-c', 'import sslyze'], capture_output=True, check=False).returncode:
        subprocess.run([python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', 'sslyze'],
                       check=True)
    return python


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--sizes', type=int, nargs='+', default=[200, 1000])
    parser.add_argument('--concurrency', type=int, default=200)
    parser.add_argument('--no-sslyze', action='store_true')
    parser.add_argument('--sslyze-concurrency', type=int, default=100)
    parser.add_argument('--worker', nargs=3, metavar=('PORTS_FILE', 'TRUST', 'CONCURRENCY'), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return audit_worker(args.worker[0], args.worker[1], int(args.worker[2]))

    _import_collection()
    from tests.support.pki import build_pki
    pki = build_pki()
    leaf = pki.leaves['standard']
    sslyze_python = None if args.no_sslyze else ensure_sslyze()
    print('machine: %d CPUs, %s; nginx 2 workers; audit concurrency %d' % (os.cpu_count(), sys.version.split()[0],
                                                                           args.concurrency))
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix='hkpost-bench-') as directory:
            ports = free_ports(n)
            ports_file = os.path.join(directory, 'ports.json')
            with open(ports_file, 'w') as handle:
                json.dump(ports, handle)
            trust = os.path.join(directory, 'trust.pem')
            with open(trust, 'w') as handle:
                handle.write(pki.root.pem)
            nginx = start_nginx(directory, ports, leaf.pem + pki.ssl_new.pem, leaf.key_pem)
            try:
                ours = json.loads(subprocess.run([sys.executable, __file__, '--worker', ports_file, trust,
                                                  str(args.concurrency)], capture_output=True, text=True,
                                                 check=True).stdout)
                print('N=%-5d hkpost_served_chain: %7.1f endpoints/s (%.2fs), peak RSS %.1f MiB (baseline %.1f MiB, '
                      '+%.1f MiB), result %.0f KiB, verdicts %s'
                      % (n, ours['per_second'], ours['seconds'], ours['rss_peak_kib'] / 1024.0,
                         ours['rss_baseline_kib'] / 1024.0, (ours['rss_peak_kib'] - ours['rss_baseline_kib']) / 1024.0,
                         ours['result_json_bytes'] / 1024.0, ours['summary']['by_verdict']))
                if sslyze_python:
                    theirs = json.loads(subprocess.run([sslyze_python, '-c', SSLYZE_SCRIPT, ports_file,
                                                        str(args.sslyze_concurrency)], capture_output=True, text=True,
                                                       check=True).stdout)
                    print('N=%-5d sslyze (certinfo only): %7.1f endpoints/s (%.2fs, %d/%d with certificates) -> '
                          'ratio %.1fx' % (n, theirs['per_second'], theirs['seconds'], theirs['with_certificates'],
                                           theirs['n'], ours['per_second'] / theirs['per_second']))
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)


if __name__ == '__main__':
    main()
