#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""The chain-migration part of `make demo`: playbooks/migrate_intermediate.yml on a simulated fleet.

There is no Windows here, so each "server" is a simulated host (tests/support/windows/host.py)
holding real certificate stores - the REAL Hongkong Post certificates shipped with the collection:
the 2017 no-EKU "e-Cert SSL CA 3 - 17" where a fleet still has it, the 2025 one where it is right.
ansible-playbook itself runs unchanged and talks WinRM (NTLM over https) to a loopback WS-Management
endpoint (tests/support/winrm); only what PowerShell does on the host is answered by the simulation.
The run: a dry run with --check --diff, the migration, then a rerun that finds nothing to do.
"""

from __future__ import annotations

import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, 'collections'))

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

_AnsibleCollectionFinder(paths=[os.path.join(ROOT, 'collections')])._install()

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import shipped  # noqa: E402
from tests.support.windows.chain import put  # noqa: E402
from tests.support.windows.host import FakeWindowsHost  # noqa: E402
from tests.support.winrm.hoststate import load_host, save_host  # noqa: E402
from tests.support.winrm.fleet import WinrmFleet  # noqa: E402

OUT = os.path.join(ROOT, 'demo-output', 'fleet')


def build_fleet():
    root, new, old = shipped('root_ca_3'), shipped('ssl_ca_3_17_new'), shipped('ssl_ca_3_17_old')
    fleet = {}
    fleet['iis-web-01'] = FakeWindowsHost()                       # never had the chain installed
    fleet['iis-web-02'] = FakeWindowsHost()
    put(fleet['iis-web-02'], 'CA', old)                           # the old one only
    put(fleet['iis-web-02'], 'Root', root)
    fleet['iis-web-03'] = FakeWindowsHost()
    put(fleet['iis-web-03'], 'CA', old)                           # both, so Windows may pick the old one
    put(fleet['iis-web-03'], 'CA', new)
    put(fleet['iis-web-03'], 'Root', root)
    fleet['exch-01'] = FakeWindowsHost(os_build=9600)             # Exchange 2010 on Server 2012 R2
    put(fleet['exch-01'], 'Root', old)                            # misplaced in Root
    put(fleet['exch-01'], 'Root', root)
    fleet['iis-web-04'] = FakeWindowsHost()
    put(fleet['iis-web-04'], 'CA', new)                           # already right
    put(fleet['iis-web-04'], 'Root', root)
    fleet['iis-web-05'] = FakeWindowsHost()
    put(fleet['iis-web-05'], 'CA', old)
    fleet['iis-web-05'].state['chain_fail_at'] = ('remove_cert', 'CA')  # a store locked by another agent
    return fleet


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    state = os.path.join(OUT, 'hosts')
    os.makedirs(state)
    fleet = build_fleet()
    for name, host in fleet.items():
        save_host(state, name, host)
    inventory = {'ecert_servers': {'hosts': {name: {} for name in fleet}}}
    playbook = os.path.join(ROOT, 'playbooks', 'migrate_intermediate.yml')
    with WinrmFleet(state, os.path.join(OUT, 'winrm'), scheme='https', transport='ntlm') as winrm:
        path = winrm.write_inventory(inventory, os.path.join(OUT, 'inventory.yml'))
        for title, extra in (('1/3 dry run (--check --diff): what would change', ['--check', '--diff']),
                             ('2/3 the migration, rolling in batches of 3', []),
                             ('3/3 rerun: every host costs one read', [])):
            print('\n' + '=' * 100 + '\n' + 'CHAIN MIGRATION on a SIMULATED fleet over WinRM (no Windows here): '
                  + title + '\n' + '=' * 100, flush=True)
            winrm.run_playbook(playbook, path, '-e', 'hkpost_chain_serial=3', '-e', 'hkpost_chain_max_fail_percentage=50',
                               '-e', 'hkpost_output_dir=%s' % OUT,
                               *extra, cwd=OUT, env={'ANSIBLE_DISPLAY_SKIPPED_HOSTS': '0'}, capture=False)
            if title.startswith('2/3'):
                # the operator frees the locked store; the rerun finishes that host
                host = load_host(state, 'iis-web-05')
                host.state.pop('chain_fail_at', None)
                save_host(state, 'iis-web-05', host)
    print('\nFleet summary files: %s/reports/chain_migration.csv and .json' % OUT)


if __name__ == '__main__':
    main()
