# -*- coding: utf-8 -*-
"""Benchmark hkpost_served_chain against N real TLS endpoints, side by side with sslyze.

    .venv/bin/python benchmarks/served_chain.py                 # N = 200 and 1000, then SMTP at N = 200
    .venv/bin/python benchmarks/served_chain.py --sizes 1000 --smtp 0 --no-sslyze
    .venv/bin/python benchmarks/served_chain.py --sizes 1000 --smtp 0 --protocols TLSv1.3 --sslyze-tls13

HTTPS: one nginx (2 workers) listening on N ports of 127.0.0.1, each sending a test-PKI leaf and
intermediate, with ``ssl_protocols TLSv1.2 TLSv1.3`` (TLS 1.3 allowed), then ``TLSv1.3`` only. The
audit runs with ``handshake=auto`` (TLS 1.2 reader, full TLS 1.3 handshake where 1.2 is refused) and
``handshake=full`` (a full handshake with Python's ssl for every endpoint): the second line is the
measured reason the hand-written reader is kept. SMTP: one Postfix master with N smtpd services on N
ports (STARTTLS), audited with ``starttls: smtp``, beside sslyze with SMTP STARTTLS (what
``sslyze --starttls smtp --certinfo`` runs). Postfix needs root (tests/install-system-deps.sh installs it).

Each audit runs in a fresh process, so its peak RSS is its own. sslyze needs cryptography < 47 and
this collection's venv has a newer one, so sslyze goes into its own venv, ``.venv-bench`` (created
here on first use; it carries a ``.gitignore``), and scans the same endpoints with only its
certificate-info command.

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


def start_nginx(directory, ports, chain_pem, key_pem, protocols='TLSv1.2 TLSv1.3'):
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
            ssl_protocols %s;
        ''') % (('user root;' if os.geteuid() == 0 else ''), directory, directory, *([directory] * 5),
                directory, directory, protocols)
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


def audit_worker(ports_file, trust, concurrency, handshake, starttls):
    """In a fresh process: audit every port, print rate, memory and versions as JSON."""
    _import_collection()
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
    with open(ports_file) as handle:
        ports = json.load(handle)
    endpoints = [{'host': '127.0.0.1', 'port': p, 'server_name': 'www.example.hk', 'starttls': starttls}
                 for p in ports]
    before = resource.getrusage(resource.RUSAGE_SELF)
    baseline = before.ru_maxrss
    started = time.perf_counter()
    audit = audit_endpoints(endpoints, trust=trust, timeout=20, concurrency=concurrency, handshake=handshake)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak = after.ru_maxrss
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    versions, causes = {}, {}
    for endpoint in audit['endpoints']:
        key = '%s/%s' % (endpoint['tls_version'], endpoint['chain_read_over'])
        versions[key] = versions.get(key, 0) + 1
        if endpoint['verdict'] == 'error':
            cause = endpoint['findings'][0]['message']
            causes[cause] = causes.get(cause, 0) + 1
    print(json.dumps({'n': len(ports), 'seconds': elapsed, 'per_second': len(ports) / elapsed,
                      'rss_baseline_kib': baseline, 'rss_peak_kib': peak, 'summary': audit['summary'],
                      'versions': versions, 'errors': causes, 'cpu_ms_per_endpoint': 1000.0 * cpu / len(ports),
                      'result_json_bytes': len(json.dumps(audit['endpoints']))}))


SSLYZE_SCRIPT = '''
import json, sys, time
from sslyze import (Scanner, ServerScanRequest, ServerNetworkLocation, ScanCommand, ServerNetworkConfiguration,
                    ProtocolWithOpportunisticTlsEnum)
ports = json.load(open(sys.argv[1]))
# sys.argv[3] == "smtp": exactly what `sslyze --starttls smtp` sets (tls_wrapped_protocol=SMTP).
config = lambda: ServerNetworkConfiguration(tls_server_name_indication="www.example.hk",
    tls_opportunistic_encryption=ProtocolWithOpportunisticTlsEnum.SMTP if sys.argv[3] == "smtp" else None)
requests = [ServerScanRequest(server_location=ServerNetworkLocation(hostname="www.example.hk", port=p,
            ip_address="127.0.0.1"), network_configuration=config(),
            scan_commands={ScanCommand.CERTIFICATE_INFO}) for p in ports]
scanner = Scanner(concurrent_server_scans_limit=int(sys.argv[2]))
import resource
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
scanner.queue_scans(requests)
done = ok = 0
for result in scanner.get_results():
    done += 1
    ok += result.scan_result is not None and result.scan_result.certificate_info.result is not None
elapsed = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF)  # every thread of the scanner
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print(json.dumps({"n": len(ports), "completed": done, "with_certificates": ok, "seconds": elapsed,
                  "per_second": len(ports) / elapsed, "cpu_ms_per_endpoint": 1000.0 * cpu / len(ports)}))
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


def _run_ours(ports_file, trust, concurrency, handshake, starttls='none'):
    return json.loads(subprocess.run([sys.executable, __file__, '--worker', ports_file, trust, str(concurrency),
                                      handshake, starttls], capture_output=True, text=True, check=True).stdout)


def _print_ours(label, n, ours):
    print('N=%-5d %-34s %7.1f endpoints/s (%.2fs, audit CPU %.2f ms/endpoint), peak RSS %.1f MiB (baseline %.1f MiB, '
          '+%.1f MiB), result %.0f KiB, verdicts %s, tls_version/chain_read_over %s'
          % (n, label, ours['per_second'], ours['seconds'], ours['cpu_ms_per_endpoint'], ours['rss_peak_kib'] / 1024.0,
             ours['rss_baseline_kib'] / 1024.0, (ours['rss_peak_kib'] - ours['rss_baseline_kib']) / 1024.0,
             ours['result_json_bytes'] / 1024.0, ours['summary']['by_verdict'], ours['versions']))
    for cause, count in sorted(ours['errors'].items(), key=lambda item: -item[1])[:3]:
        print('        %d endpoints could not be audited: %s' % (count, cause))


def _run_sslyze(sslyze_python, ports_file, concurrency, starttls='none'):
    return json.loads(subprocess.run([sslyze_python, '-c', SSLYZE_SCRIPT, ports_file, str(concurrency), starttls],
                                     capture_output=True, text=True, check=True).stdout)


def _print_sslyze(label, n, theirs, ours):
    print('N=%-5d %-34s %7.1f endpoints/s (%.2fs, scan CPU %.2f ms/endpoint, %d/%d with certificates) -> hkpost %.1fx '
          'faster, %.1fx less CPU per endpoint'
          % (n, label, theirs['per_second'], theirs['seconds'], theirs['cpu_ms_per_endpoint'],
             theirs['with_certificates'], theirs['n'], ours['per_second'] / theirs['per_second'],
             theirs['cpu_ms_per_endpoint'] / ours['cpu_ms_per_endpoint']))


def bench_https(n, pki, args, sslyze_python):
    leaf = pki.leaves['standard']
    for protocols in args.protocols:
        with tempfile.TemporaryDirectory(prefix='hkpost-bench-') as directory:
            ports = free_ports(n)
            ports_file = os.path.join(directory, 'ports.json')
            with open(ports_file, 'w') as handle:
                json.dump(ports, handle)
            trust = os.path.join(directory, 'trust.pem')
            with open(trust, 'w') as handle:
                handle.write(pki.root.pem)
            nginx = start_nginx(directory, ports, leaf.pem + pki.ssl_new.pem, leaf.key_pem, protocols)
            try:
                print('-- nginx ssl_protocols %s (after one untimed pass, so that neither mode pays for nginx\'s first '
                      'connections; --rounds alternates the modes)' % protocols)
                _run_ours(ports_file, trust, args.concurrency, 'full')
                for _round in range(args.rounds):
                    auto = _run_ours(ports_file, trust, args.concurrency, 'auto')
                    _print_ours('hkpost_served_chain handshake=auto', n, auto)
                    full = _run_ours(ports_file, trust, args.concurrency, 'full')
                    _print_ours('hkpost_served_chain handshake=full', n, full)
                if sslyze_python and (protocols != 'TLSv1.3' or args.sslyze_tls13):
                    theirs = _run_sslyze(sslyze_python, ports_file, args.sslyze_concurrency)
                    _print_sslyze('sslyze certinfo (auto vs it)', n, theirs, auto)
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)


def bench_smtp(n, pki, args, sslyze_python):
    from tests.support.peers import mail_servers
    why = mail_servers.available()
    if why:
        print('N=%-5d SMTP STARTTLS skipped: %s' % (n, why))
        return
    leaf = pki.leaves['standard']
    postfix = mail_servers.Postfix([{'chain': [leaf.pem, pki.ssl_new.pem], 'key': leaf.key_pem}] * n).start()
    try:
        with tempfile.TemporaryDirectory(prefix='hkpost-bench-') as directory:
            ports_file = os.path.join(directory, 'ports.json')
            with open(ports_file, 'w') as handle:
                json.dump(postfix.ports, handle)
            trust = os.path.join(directory, 'trust.pem')
            with open(trust, 'w') as handle:
                handle.write(pki.root.pem)
            print('-- Postfix, %d smtpd services, STARTTLS (after one untimed pass, so that neither tool pays for '
                  'master starting the smtpd processes)' % n)
            _run_ours(ports_file, trust, min(args.concurrency, n), 'auto', 'smtp')
            auto = _run_ours(ports_file, trust, min(args.concurrency, n), 'auto', 'smtp')
            _print_ours('hkpost_served_chain starttls=smtp', n, auto)
            if sslyze_python:
                theirs = _run_sslyze(sslyze_python, ports_file, args.sslyze_concurrency, 'smtp')
                _print_sslyze('sslyze --starttls smtp certinfo', n, theirs, auto)
    finally:
        postfix.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--sizes', type=int, nargs='+', default=[200, 1000])
    parser.add_argument('--smtp', type=int, default=200, help='SMTP STARTTLS endpoints on Postfix (0: skip)')
    parser.add_argument('--concurrency', type=int, default=200)
    parser.add_argument('--no-sslyze', action='store_true')
    parser.add_argument('--sslyze-tls13', action='store_true', help='also run sslyze against TLS 1.3-only nginx')
    parser.add_argument('--sslyze-concurrency', type=int, default=100)
    parser.add_argument('--rounds', type=int, default=1, help='timed auto/full pairs per nginx (default 1)')
    parser.add_argument('--protocols', nargs='+', default=['TLSv1.2 TLSv1.3', 'TLSv1.3'],
                        help="nginx ssl_protocols values to run, e.g. --protocols TLSv1.3 (default: both)")
    parser.add_argument('--worker', nargs=5, metavar=('PORTS_FILE', 'TRUST', 'CONCURRENCY', 'HANDSHAKE', 'STARTTLS'),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return audit_worker(args.worker[0], args.worker[1], int(args.worker[2]), args.worker[3], args.worker[4])

    _import_collection()
    from tests.support.pki import build_pki
    pki = build_pki()
    sslyze_python = None if args.no_sslyze else ensure_sslyze()
    print('machine: %d CPUs, load %s, %s; nginx 2 workers; audit concurrency %d'
          % (os.cpu_count(), ' '.join('%.1f' % v for v in os.getloadavg()), sys.version.split()[0], args.concurrency))
    for n in args.sizes:
        bench_https(n, pki, args, sslyze_python)
    if args.smtp:
        bench_smtp(args.smtp, pki, args, sslyze_python)


if __name__ == '__main__':
    main()
