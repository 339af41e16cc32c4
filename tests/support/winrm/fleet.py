# -*- coding: utf-8 -*-
"""Run ansible-playbook over WinRM against simulated Windows hosts.

    with WinrmFleet(state_dir, work_dir, scheme='https', transport='ntlm') as fleet:
        fleet.write_inventory(inventory_dict, path)       # the docs' inventory example, filled in
        proc = fleet.run_playbook(playbook, path, '-e', ...)
    fleet.report  # per-host HTTP/WS-Man/execution counters and the endpoint's errors

The endpoint runs as its own process (tests.support.winrm.serve) and answers every host whose
``<name>.pickle`` is in ``state_dir`` (tests.support.winrm.hoststate.save_host writes them).
ansible-playbook runs unchanged as a subprocess, from any virtualenv (``bin_dir``), with
``ansible_connection: winrm``: pywinrm, NTLM/basic, TLS, Ansible's PowerShell packaging and the
result parsing all run for real.

The hosts connect with the inventory example the docs print (tests.support.winrm.doc_inventory), filled in
as the docs tell a user - the account, the password (the vault variable the example names), the CA file
(the endpoint's certificate), the transport and scheme the test chose among the documented ones - and
each host's ``ansible_host``/``ansible_port``. Nothing else: in particular no ``ansible_shell_type``,
which the docs never print and which once hid that the csr role read it (issue 20).
"""

from __future__ import annotations

import copy
import json
import os
import re
import resource
import secrets
import subprocess
import sys
import time

import yaml

from tests.support.winrm import doc_inventory

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
# the virtualenv running the tests: its ansible-playbook, and its site-packages carry ansible.windows
MAIN_BIN = os.path.dirname(sys.executable)


def _site_packages(bin_dir):
    out = subprocess.run([os.path.join(bin_dir, 'python'), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


class EndpointError(AssertionError):
    """The endpoint met something it does not emulate (unknown module or packaging, bad envelope)."""


class WinrmFleet:
    def __init__(self, state_dir, work_dir, scheme='https', transport='ntlm', hosts=None, username='ansible',
                 password=None, operation_timeout=None):
        self.state_dir = str(state_dir)
        self.work_dir = str(work_dir)
        os.makedirs(self.work_dir, exist_ok=True)
        self.scheme = scheme
        self.transport = transport
        self.username = username
        self.password = password or 'Winrm-' + secrets.token_hex(8)
        self.operation_timeout = operation_timeout
        names = sorted(f[:-len('.pickle')] for f in os.listdir(self.state_dir) if f.endswith('.pickle'))
        self.host_configs = {name: {} for name in names}
        for name, config in (hosts or {}).items():
            self.host_configs[name] = dict(config)
        self.addresses = {}
        self.process = None
        self.report = None

    # -- endpoint lifecycle -------------------------------------------------------------------
    def start(self):
        config_path = os.path.join(self.work_dir, 'endpoint.json')
        with open(config_path, 'w', encoding='utf-8') as f:
            json.dump({'state_dir': self.state_dir, 'work_dir': self.work_dir, 'scheme': self.scheme,
                       'transports': ['ntlm', 'basic'], 'username': self.username, 'password': self.password,
                       'hosts': self.host_configs}, f)
        self.process = subprocess.Popen([sys.executable, '-m', 'tests.support.winrm.serve', config_path], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError('the WinRM endpoint did not start (exit %s)' % self.process.wait(10))
        self.addresses = {name: tuple(addr) for name, addr in json.loads(line)['hosts'].items()}
        return self

    def stop(self):
        if self.process is None:
            return self.report
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process.stdout.close()
        self.process = None
        with open(os.path.join(self.work_dir, 'endpoint-report.json'), encoding='utf-8') as f:
            self.report = json.load(f)
        return self.report

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if exc[0] is None:
            self.check_errors()

    def check_errors(self):
        if self.report and self.report['errors']:
            raise EndpointError('WinRM endpoint errors:\n' + '\n'.join(self.report['errors']))

    # -- inventory ----------------------------------------------------------------------------
    def connection_vars(self):
        """The docs' example group vars, with only what the docs tell a user to fill in filled in."""
        _group, _hosts, example = doc_inventory.example()
        password_var = re.fullmatch(r'\{\{\s*(\w+)\s*\}\}', str(example.get('ansible_password', '')))
        assert password_var, 'the docs\' example no longer takes the password from a (vault) variable: %r' % example
        filled = {'ansible_winrm_transport': self.transport, 'ansible_user': self.username}
        if self.scheme == 'https':
            # validate, as the docs say: the endpoint's self-signed certificate is the CA to trust
            filled['ansible_winrm_ca_trust_path'] = os.path.join(self.work_dir, 'winrm-cert.pem')
        else:
            filled['ansible_winrm_scheme'] = 'http'
        missing = sorted(set(filled) - set(example))
        assert not missing, 'the docs\' example has no %s to fill in: %r' % (missing, example)
        result = dict(example, **filled)
        if self.scheme == 'http':   # no certificate to validate over http (the docs: NTLM encrypts the payload)
            for key in ('ansible_winrm_server_cert_validation', 'ansible_winrm_ca_trust_path'):
                result.pop(key, None)
        result[password_var.group(1)] = self.password   # what the user keeps in the vault
        return result

    def host_vars(self, name, password=None):
        """What a user writes per host: the address its name does not resolve to, and its listener's port."""
        address, port = self.addresses[name]
        hv = {'ansible_host': address, 'ansible_port': port}
        if password:
            hv['ansible_password'] = password   # a host with an account of its own
        if self.operation_timeout:
            hv['ansible_winrm_operation_timeout_sec'] = self.operation_timeout
            hv['ansible_winrm_read_timeout_sec'] = self.operation_timeout + 10
        return hv

    def winrm_inventory(self, inventory, passwords=None):
        """A copy of ``inventory`` (YAML inventory as a dict) where the simulated hosts connect as the docs show.

        Each group that lists simulated hosts gets the docs' example group vars (filled in); each simulated
        host its address and port. A test inventory that sets a connection variable itself, or mixes
        simulated and other hosts in one group, is refused: it would not be the docs' inventory.
        """
        inventory = copy.deepcopy(inventory)
        connection = self.connection_vars()
        refused = set(connection) | {'ansible_connection', 'ansible_shell_type', 'ansible_shell_executable'}

        def refuse(where, variables):
            clash = sorted(refused & set(variables or {}))
            if clash:
                raise ValueError('%s sets %s: the simulated hosts connect with the docs\' inventory example only '
                                 '(docs/docsite/rst/windows_connection.rst)' % (where, ', '.join(clash)))

        def walk(name, group):
            refuse('group %s' % name, group.get('vars'))
            hosts = group.get('hosts') or {}
            simulated = [h for h in hosts if h in self.addresses]
            if simulated:
                others = sorted(set(hosts) - set(simulated))
                assert not others, 'group %s mixes simulated hosts with %s' % (name, others)
                group['vars'] = dict(group.get('vars') or {}, **connection)
            for host in simulated:
                refuse('host %s' % host, hosts[host])
                hosts[host] = dict(hosts[host] or {}, **self.host_vars(host, (passwords or {}).get(host)))
            for child_name, child in (group.get('children') or {}).items():
                walk(child_name, child or {})

        for name, group in inventory.items():
            walk(name, group)
        return inventory

    def write_inventory(self, inventory, path, passwords=None):
        with open(path, 'w', encoding='utf-8') as f:
            yaml.safe_dump(self.winrm_inventory(inventory, passwords), f)
        return path

    # -- running ------------------------------------------------------------------------------
    def run_playbook(self, playbook, inventory_path, *args, bin_dir=MAIN_BIN, cwd=None, env=None, timeout=900,
                     capture=True):
        """ansible-playbook as a subprocess; the CompletedProcess gets ``cpu_s`` (controller CPU) and ``wall_s``.

        ``capture=False`` lets its output through to the terminal (the demo).
        """
        collections = [os.path.join(ROOT, 'collections')]
        if os.path.realpath(bin_dir) != os.path.realpath(MAIN_BIN):
            # ansible.windows comes from the main virtualenv (the `ansible` package carries it).
            collections.append(_site_packages(MAIN_BIN))
        full_env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
                        ANSIBLE_FORCE_COLOR='0', ANSIBLE_COLLECTIONS_PATH=os.pathsep.join(collections),
                        ANSIBLE_HOST_KEY_CHECKING='False', PATH=bin_dir + os.pathsep + os.environ.get('PATH', ''))
        full_env.pop('PYTHONPATH', None)
        full_env.update(env or {})
        if cwd:
            full_env['PWD'] = str(cwd)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        proc = subprocess.run([os.path.join(bin_dir, 'ansible-playbook'), str(playbook), '-i', str(inventory_path),
                               *args], cwd=str(cwd or ROOT), env=full_env, capture_output=capture, text=True,
                              timeout=timeout, check=False)
        proc.wall_s = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc.cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return proc


def recap(output, host):
    """The PLAY RECAP counters of ``host`` from ansible-playbook's default output."""
    line = next(line for line in output.splitlines() if line.startswith(host + ' ') and 'ok=' in line)
    return {k: int(v) for k, v in (part.split('=') for part in line.split(':', 1)[1].split())}


def run_over_winrm(state_dir, work_dir, inventory, playbook, *args, scheme='https', transport='ntlm', hosts=None,
                   passwords=None, bin_dir=MAIN_BIN, cwd=None, env=None, timeout=900, operation_timeout=None):
    """Start an endpoint for ``state_dir``, run ``playbook`` over it, stop it: (CompletedProcess, report).

    ``inventory`` is a YAML inventory as a dict (with ``ansible_connection: local`` or none); every
    host that has a pickle in ``state_dir`` gets its WinRM connection vars. Endpoint errors (an
    unknown module or packaging) raise EndpointError.
    """
    with WinrmFleet(state_dir, work_dir, scheme=scheme, transport=transport, hosts=hosts,
                    operation_timeout=operation_timeout) as fleet:
        path = fleet.write_inventory(inventory, os.path.join(str(work_dir), 'inventory.yml'), passwords)
        proc = fleet.run_playbook(playbook, path, *args, bin_dir=bin_dir, cwd=cwd, env=env, timeout=timeout)
    return proc, fleet.report
