# -*- coding: utf-8 -*-
"""renew.yml publishes the DCV codes in the request phase (and alone with --tags dcv) and removes them in the
install phase, on the hosts and with the variables of dcv.yml (renewal.rst steps 2, 4 and 6; issue 20).

Before the fix the DCV plays ran on a group no doc names (``hkpost_dcv``) and passed names the dcv role had
dropped (``dcv_state``): --tags dcv published nothing with rc=0, and the clean-up published again.
Real ansible-playbook over the loopback WinRM endpoint (tests.support.winrm) for the Windows host, and a
real BIND for the codes (method dns, RFC 2136 from the controller, as the dcv role sends it).
"""

from __future__ import annotations

import itertools
import os

import pytest

from tests.support.peers.bind_server import BindServer
from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm.fleet import ROOT, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

PASSWORD = 'Renew-DCV-5e1f-secret'
SPF = 'v=spf1 -all'
CODE = 'HKP-renew-dns-77ee88ff'
RUNS = itertools.count()


@pytest.fixture
def bind(tmp_path):
    server = BindServer(tmp_path / 'bind', records=['@ IN TXT "%s"' % SPF])
    os.makedirs(server.directory)
    server.start()
    yield server
    server.stop()


def _fleet(tmp_path, bind):
    state = tmp_path / 'hosts'
    state.mkdir()
    save_host(str(state), 'web3', FakeWindowsHost(os_build=20348))
    # The codes in the host_vars of the host that publishes them, as dcv.yml and renewal.rst say.
    web3 = {'hkpost_certificates': [{'common_name': 'a.example.hk'}],
            'hkpost_dcv_certificates': [{'name': 'example.test', 'method': 'dns', 'certificate_type': 'wildcard',
                                         'domains': ['*.example.test', 'example.test'], 'verification_code': CODE}],
            'hkpost_dcv_dns_server': '127.0.0.1', 'hkpost_dcv_dns_port': bind.port,
            'hkpost_dcv_tsig_key_name': bind.key_name, 'hkpost_dcv_tsig_key_secret': bind.secret,
            'hkpost_dcv_nameservers': ['127.0.0.1:%d' % bind.port],
            'hkpost_dcv_resolve': {'ns1.example.test': '127.0.0.1:%d' % bind.port},
            'hkpost_dcv_wait_timeout': 5, 'hkpost_dcv_timeout': 3}
    inventory = {'all': {
        'vars': {'hkpost_csr_organization': 'Example Ltd', 'hkpost_output_dir': str(tmp_path / 'out'),
                 'hkpost_backup_password': PASSWORD, 'hkpost_renew_audit': False},
        'children': {'ecert_servers': {'vars': {'hkpost_platform': 'iis'}, 'hosts': {'web3': web3}}}}}
    return state, inventory


def _renew(state, inventory, *args):
    work = state.parent / ('winrm-%d' % next(RUNS))
    proc, _report = run_over_winrm(state, work, inventory, os.path.join(ROOT, 'playbooks', 'renew.yml'), *args,
                                   cwd=state.parent, timeout=600)
    return proc.returncode, proc.stdout + proc.stderr


def test_tags_dcv_publishes_request_keeps_install_removes(tmp_path, bind):
    state, inventory = _fleet(tmp_path, bind)

    rc, out = _renew(state, inventory, '--tags', 'dcv')
    assert rc == 0, out[-3000:]
    assert bind.txt('example.test') == sorted([SPF, CODE]), out[-3000:]
    assert 'dns    OK' in out and CODE not in out
    assert load_host(str(state), 'web3').call_names() == [], 'only the DCV play runs with --tags dcv'

    rc, out = _renew(state, inventory, '--tags', 'request')
    assert rc == 0, out[-3000:]
    assert bind.txt('example.test') == sorted([SPF, CODE])  # published once, still there
    assert (tmp_path / 'out' / 'csr' / 'submission.csv').exists()

    (tmp_path / 'out' / 'intake').mkdir()
    rc, out = _renew(state, inventory, '--tags', 'install')
    assert rc == 0, out[-3000:]
    assert bind.txt('example.test') == [SPF], 'the install phase removes the code (it published it again before)'
    assert 'removed' in out
