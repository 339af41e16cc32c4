# -*- coding: utf-8 -*-
"""The inventory the docs print is the one the fleets run with, and a Windows host in it is Windows (issue 20).

The csr role used to decide Windows from ``ansible_shell_type | default('sh')``: an inventory written as
docs/docsite/rst/windows_connection.rst shows it (``ansible_connection: winrm``, no ``ansible_shell_type``)
sent Windows hosts down the POSIX path - request.yml hung on the loopback endpoint, a real server fails - and
the test fleet, which added ``ansible_shell_type: powershell``, hid it. Here request.yml runs against the
docs' own example (its group, its host names, its variables), filled in only where the docs say to.
"""

from __future__ import annotations

import csv
import os

import pytest
import yaml

from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm import doc_inventory
from tests.support.winrm.fleet import ROOT, WinrmFleet, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

# What the docs tell a user to fill in (windows_connection.rst, "Fill in"), and nothing else.
FILLED = {'ansible_winrm_transport', 'ansible_user', 'ansible_winrm_ca_trust_path'}


def docs_fleet(tmp_path):
    """The docs' example hosts as simulated Windows hosts, and the user's inventory naming them."""
    group, names, _vars = doc_inventory.example()
    state = tmp_path / 'hosts'
    state.mkdir()
    for name in names:
        save_host(str(state), name, FakeWindowsHost(os_build=20348))
    inventory = {group: {'hosts': {name: {'hkpost_certificates': [{'common_name': 'www.example.hk'}]}
                                   for name in names},
                         'vars': {'hkpost_csr_organization': 'Example Ltd'}}}
    return state, names, inventory


def offline_fleet(tmp_path, names):
    """A fleet whose hosts have addresses but no endpoint: enough to write the inventory."""
    (tmp_path / 'empty').mkdir(exist_ok=True)
    fleet = WinrmFleet(tmp_path / 'empty', tmp_path / 'work', password='Docs-Inventory-1')
    fleet.addresses = {name: ('127.88.0.%d' % (i + 1), 40000 + i) for i, name in enumerate(names)}
    return fleet


def test_the_docs_example_is_one_group_the_playbooks_run_on_and_names_no_shell():
    group, names, variables = doc_inventory.example()
    with open(os.path.join(ROOT, 'playbooks', 'request.yml'), encoding='utf-8') as handle:
        # the first play that runs on hosts (run_check.yml, imported first, runs on all:localhost)
        play_hosts = next(play['hosts'] for play in yaml.safe_load(handle) if 'hosts' in play)
    assert play_hosts == "{{ hkpost_hosts | default('%s') }}" % group, (play_hosts, group)
    assert names and variables['ansible_connection'] == 'winrm'
    assert 'ansible_shell_type' not in variables


def test_the_written_inventory_is_the_docs_example_filled_in(tmp_path):
    _state, names, inventory = docs_fleet(tmp_path)
    fleet = offline_fleet(tmp_path, names)
    group, _names, example = doc_inventory.example()
    written = fleet.winrm_inventory(inventory)[group]
    assert written['vars'].pop('hkpost_csr_organization') == 'Example Ltd'
    assert written['vars'].pop('vault_svc_ecert_password') == 'Docs-Inventory-1'   # the user's vault
    assert set(written['vars']) == set(example)
    assert {k: v for k, v in written['vars'].items() if k not in FILLED} == \
        {k: v for k, v in example.items() if k not in FILLED}
    assert written['vars']['ansible_winrm_server_cert_validation'] == 'validate'
    for index, name in enumerate(names):
        assert written['hosts'][name] == {'hkpost_certificates': [{'common_name': 'www.example.hk'}],
                                          'ansible_host': '127.88.0.%d' % (index + 1), 'ansible_port': 40000 + index}


@pytest.mark.parametrize('variable', ['ansible_shell_type', 'ansible_connection'])
def test_a_test_inventory_setting_its_own_connection_is_refused(tmp_path, variable):
    _state, names, inventory = docs_fleet(tmp_path)
    inventory['ecert_servers']['vars'][variable] = 'powershell'
    with pytest.raises(ValueError, match="sets %s: the simulated hosts connect with the docs' inventory" % variable):
        offline_fleet(tmp_path, names).winrm_inventory(inventory)


def test_request_yml_on_the_docs_inventory_takes_the_windows_path(tmp_path):
    state, names, inventory = docs_fleet(tmp_path)
    # generous: on the old role the POSIX path hung until the client gave up
    proc, report = run_over_winrm(state, tmp_path / 'winrm', inventory, os.path.join(ROOT, 'playbooks', 'request.yml'),
                                  cwd=tmp_path, timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    for name in names:
        host = load_host(str(state), name)
        # the Windows path: one read of the REQUEST store, then certreq; the key waits in REQUEST
        assert host.call_names() == ['csr_pending_read', 'csr_create_many'], (name, host.call_names(), out[-3000:])
        assert len(host.stores['REQUEST']) == 1
        assert (tmp_path / 'hkpost-output' / 'csr' / name / 'www.example.hk.csr').is_file()
        assert set(report['stats'][name]['executions']) == {'ansible.windows.win_powershell'}
    rows = list(csv.DictReader((tmp_path / 'hkpost-output' / 'csr' / 'submission.csv').open()))
    assert sorted(r['host'] for r in rows) == sorted(names) and all(r['pending_thumbprint'] for r in rows), rows
