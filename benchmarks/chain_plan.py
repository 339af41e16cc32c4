#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Benchmark: controller cost of planning the intermediate migration, and host round trips.

    .venv/bin/python benchmarks/chain_plan.py [--hosts 1000]

Prints (1) controller CPU time per host for planning 1,000 simulated hosts whose stores hold a
realistic mix (fresh, old only, old+new, already right, EV, ARL, leaves with keys), and (2) module
executions per host through the real action plugin for a host to migrate and a host already right,
next to what an equivalent role built from ansible.windows.win_certificate_store needs.
Targets (issue 3): <= 2 executions to migrate, 1 when right, < 5 ms planning per host.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, 'collections'))

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

_AnsibleCollectionFinder(paths=[os.path.join(ROOT, 'collections')])._install()

from cryptography.hazmat.primitives import serialization  # noqa: E402

from ansible_collections.hkpost.ecert.plugins.module_utils.chain._plan import plan_chain  # noqa: E402
from tests.support.pki import build_pki  # noqa: E402


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def snapshots(pki, count, seed=1):
    rng = random.Random(seed)
    shapes = {
        'fresh': lambda: {'CA': [], 'Root': []},
        'old only': lambda: {'CA': [der(pki.ssl_old.cert)], 'Root': [der(pki.root.cert)]},
        'old and new': lambda: {'CA': [der(pki.ssl_old.cert), der(pki.ssl_new.cert)], 'Root': [der(pki.root.cert)]},
        'already right': lambda: {'CA': [der(pki.ssl_new.cert), der(pki.ev_new.cert), der(pki.cross.cert)],
                                  'Root': [der(pki.root.cert)]},
        'ev and ssl old': lambda: {'CA': [der(pki.ssl_old.cert), der(pki.ev_old.cert)], 'Root': [der(pki.root.cert)]},
    }
    leaves = [der(leaf.cert) for leaf in pki.leaves.values()]
    # Every Windows host also carries dozens of unrelated CAs; they must be read and skipped.
    noise = [der(pki.globalsign.cert), der(pki.foreign_root.cert), der(pki.trial_root.cert)] * 10
    names = list(shapes)
    for i in range(count):
        shape = names[i % len(names)]
        snap = shapes[shape]()
        snap['Root'] = snap['Root'] + noise
        snap['Disallowed'] = []
        older_arl = pki.arl_older.public_bytes(serialization.Encoding.DER)
        snap['crls'] = [older_arl] if rng.random() < 0.5 else []
        snap['keyed'] = [{'store': 'My', 'der': d} for d in rng.sample(leaves, 2)]
        yield shape, snap


def planning(pki, hosts):
    wanted = {'root': pki.root.cert, 'intermediates': [pki.ssl_new.cert, pki.ev_new.cert], 'cross': pki.cross.cert,
              'arl': pki.arl}
    per_shape = {}
    total_start = time.process_time()
    for shape, snap in snapshots(pki, hosts):
        start = time.process_time()
        plan_chain(snap, wanted, now=pki.now)
        per_shape.setdefault(shape, []).append((time.process_time() - start) * 1000)
    total = (time.process_time() - total_start) * 1000
    print('Planning %d simulated hosts: %.2f ms CPU per host on average (target < 5 ms)' % (hosts, total / hosts))
    for shape, times in per_shape.items():
        print('  %-15s n=%4d  median %.2f ms  p95 %.2f ms' % (
            shape, len(times), statistics.median(times), sorted(times)[int(len(times) * 0.95) - 1]))


def executions(pki):
    from ansible_collections.hkpost.ecert.plugins.action.hkpost_chain import ActionModule
    from tests.support.action_harness import run_action
    from tests.support.windows.chain import put
    from tests.support.windows.host import FakeWindowsHost
    import tempfile
    tmp = tempfile.mkdtemp()
    paths = {}
    for name, cert in (('root', pki.root.cert), ('ssl', pki.ssl_new.cert), ('ev', pki.ev_new.cert),
                       ('cross', pki.cross.cert)):
        paths[name] = os.path.join(tmp, name + '.pem')
        with open(paths[name], 'wb') as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
    paths['arl'] = os.path.join(tmp, 'arl.crl')
    with open(paths['arl'], 'wb') as f:
        f.write(pki.arl.public_bytes(serialization.Encoding.DER))
    args = {'root_certificate_file': paths['root'], 'ssl_intermediate_file': paths['ssl'],
            'ev_intermediate_file': paths['ev'], 'cross_certificate_file': paths['cross'], 'arl_file': paths['arl']}
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    put(host, 'CA', pki.ev_old.cert)
    run_action(ActionModule, args, host=host)
    migrate = len(host.calls)
    host.calls.clear()
    run_action(ActionModule, args, host=host)
    right = len(host.calls)
    # ansible.windows.win_certificate_store: one task per certificate state (root, SSL new, EV new, cross
    # present; SSL old, EV old absent), one win_command certutil -addstore for the ARL, and a
    # win_certificate_info check to find the old ones by thumbprint first - each a module execution,
    # on every run, migrated or not.
    baseline = 6 + 1 + 1
    print('Module executions per host (hkpost_chain): migrate %d (target <= 2), already right %d (target 1)'
          % (migrate, right))
    print('Module executions per host (win_certificate_store role): migrate %d, already right %d'
          % (baseline, baseline))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--hosts', type=int, default=1000)
    args = parser.parse_args()
    pki = build_pki()
    planning(pki, args.hosts)
    executions(pki)


if __name__ == '__main__':
    main()
