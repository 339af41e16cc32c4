# -*- coding: utf-8 -*-
"""A lab of real TLS endpoints on 127.0.0.1 for the audit demo, with a clearly labelled lab hierarchy.

    python -m tests.support.peers.tls_lab start --dir DIR   # from the repository root; prints the lab as JSON
    python -m tests.support.peers.tls_lab stop --dir DIR

Every certificate comes from ``build_pki(label='LAB ')``: organisation names start with "LAB ", so
nothing here can be mistaken for a real Hongkong Post certificate, and the real bundled roots do not
trust it (the audit uses the lab's ``trust.pem``). ``start`` runs the servers in a background
process and returns once they listen; ``DIR`` then holds ``lab.json`` (pid, endpoints, trust file),
``trust.pem`` and ``endpoints.txt`` (the plain list-file form the audit playbook reads).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

LAB = (
    # name, leaf key in pki.leaves, chain attributes, server name asked for, what the audit should say
    ('lab-correct', 'standard', ('ssl_new',), 'www.example.hk', 'ok'),
    ('lab-missing-intermediate', 'under_new', (), 'fresh.example.hk', 'missing_intermediate'),
    ('lab-old-intermediate', 'under_old', ('ssl_old',), 'legacy.example.hk', 'old_intermediate'),
    ('lab-expiring', 'expiring', ('ssl_new',), 'soon.example.hk', 'expiring'),
    ('lab-wrong-name', 'multi_domain', ('ssl_new',), 'portal.example.hk', 'name_mismatch'),
    ('lab-foreign', 'foreign', ('foreign_root',), 'www.example.com', 'not_hkpost'),
)


def serve(directory):
    from tests.support.pki import build_pki
    from tests.support.peers.tls_servers import tls_endpoint

    pki = build_pki(label='LAB ')
    trust = os.path.join(directory, 'trust.pem')
    with open(trust, 'w') as handle:
        handle.write(pki.root.pem + pki.globalsign.pem)
    endpoints, servers = [], []
    for name, leaf_key, chain, server_name, expect in LAB:
        leaf = pki.leaves[leaf_key]
        server = tls_endpoint([leaf.pem] + [getattr(pki, attr).pem for attr in chain], leaf.key_pem)
        servers.append(server)
        endpoints.append({'name': name, 'host': '127.0.0.1', 'port': server.port, 'server_name': server_name,
                          'expect': expect})
    with open(os.path.join(directory, 'endpoints.txt'), 'w') as handle:
        handle.write('# hkpost.ecert TLS lab (LAB hierarchy, not real certificates)\n')
        handle.writelines('127.0.0.1:%d %s   # %s, expect %s\n' % (e['port'], e['server_name'], e['name'], e['expect'])
                          for e in endpoints)
    state = {'pid': os.getpid(), 'endpoints': endpoints, 'trust': trust, 'directory': directory}
    tmp = os.path.join(directory, 'lab.json.tmp')
    with open(tmp, 'w') as handle:
        json.dump(state, handle, indent=2)
    os.replace(tmp, os.path.join(directory, 'lab.json'))  # appears complete or not at all

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1):
        pass
    for server in servers:
        server.stop()


def start(directory, wait=120):
    directory = os.path.abspath(directory)
    os.makedirs(directory, exist_ok=True)
    state_file = os.path.join(directory, 'lab.json')
    if os.path.exists(state_file):
        stop(directory)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    with open(os.path.join(directory, 'lab.log'), 'ab') as log:
        process = subprocess.Popen([sys.executable, '-m', 'tests.support.peers.tls_lab', 'serve', '--dir', directory],
                                   cwd=root, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + wait
    while not os.path.exists(state_file):
        if process.poll() is not None:
            log = os.path.join(directory, 'lab.log')
            raise SystemExit('the TLS lab exited with %s; see %s' % (process.returncode, log))
        if time.monotonic() > deadline:
            process.terminate()
            raise SystemExit('the TLS lab did not start within %ds' % wait)
        time.sleep(0.1)
    with open(state_file) as handle:
        return json.load(handle)


def stop(directory):
    state_file = os.path.join(os.path.abspath(directory), 'lab.json')
    try:
        with open(state_file) as handle:
            pid = json.load(handle)['pid']
    except FileNotFoundError:
        return False
    try:
        os.kill(pid, signal.SIGTERM)
        for _attempt in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.unlink(state_file)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('command', choices=('start', 'stop', 'serve'))
    parser.add_argument('--dir', required=True, help='state directory (lab.json, trust.pem, endpoints.txt)')
    args = parser.parse_args(argv)
    if args.command == 'serve':
        serve(os.path.abspath(args.dir))
    elif args.command == 'start':
        print(json.dumps(start(args.dir)))
    else:
        print(json.dumps({'stopped': stop(args.dir)}))


if __name__ == '__main__':
    main()
