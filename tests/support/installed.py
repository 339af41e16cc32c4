# -*- coding: utf-8 -*-
"""The collection as a user gets it: built into a tarball, installed with ansible-galaxy, run by FQCN.

    build_tarballs(dest)                   -> [hkpost-ecert-*.tar.gz, ansible-windows-*.tar.gz]
    install(tarballs, collections_path)    -> ansible-galaxy collection install --offline -p ...
    with Project(directory, collections_path, state_dir) as project:   # starts the hosts' WinRM endpoint
        project.write_inventory(inventory)                              # the user's inventory.yml, as the docs show it
        project.run('hkpost.ecert.install', '-vvvv')

Galaxy is not reachable here, so ansible.windows comes from the `ansible` package in the virtualenv: the
directory it installed is an *installed* collection (MANIFEST.json, FILES.json listing files the package
left out), which ansible-galaxy neither builds nor installs from; it is copied, given back a galaxy.yml
made from its MANIFEST.json, and built with ``ansible-galaxy collection build`` like any source tree.

Windows hosts are the simulated ones behind the loopback WinRM endpoint (tests.support.winrm, its own process): the
project's inventory connects them with the docs' WinRM example (windows_connection.rst, read by
tests.support.winrm.doc_inventory: ``ansible_connection: winrm``, NTLM over https with the certificate validated)
and gives each host its address, and nothing a user would not write; a run is the virtualenv's ``ansible-playbook``
as a user types it - nothing of this checkout is on its path: the collections come only from the install path
(ANSIBLE_COLLECTIONS_SCAN_SYS_PATH off), there is no ansible.cfg, and the working directory is the project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import yaml

from tests.support.winrm.fleet import WinrmFleet

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
GALAXY_KEYS = ('namespace', 'name', 'version', 'readme', 'authors', 'description', 'license', 'license_file', 'tags',
               'dependencies', 'repository', 'documentation', 'homepage', 'issues')


def _galaxy(*args, cwd, env=None):
    proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', *args], cwd=cwd,
                          env=dict(os.environ, **(env or {})), capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, 'ansible-galaxy collection %s:\n%s%s' % (args[0], proc.stdout, proc.stderr)
    return proc


def installed_windows_collection():
    """The ansible.windows directory the `ansible` package put in site-packages."""
    for entry in sys.path:
        candidate = os.path.join(entry, 'ansible_collections', 'ansible', 'windows')
        if os.path.isfile(os.path.join(candidate, 'MANIFEST.json')):
            return candidate
    raise AssertionError('ansible.windows is not installed in this virtualenv (pip install -r tests/requirements.txt)')


def installed_collection(namespace, name):
    """The directory the `ansible` package put ``namespace.name`` in (site-packages)."""
    for entry in sys.path:
        candidate = os.path.join(entry, 'ansible_collections', namespace, name)
        if os.path.isfile(os.path.join(candidate, 'MANIFEST.json')):
            return candidate
    raise AssertionError('%s.%s is not installed in this virtualenv (pip install -r tests/requirements.txt)'
                         % (namespace, name))


def build_installed_tarball(dest, namespace, name):
    """A tarball of the virtualenv's ``namespace.name`` (as build_tarballs makes ansible.windows's) into ``dest``:
    community.crypto for the ACME mode, which is not a dependency of hkpost.ecert."""
    dest = str(dest)
    source = installed_collection(namespace, name)
    tree = os.path.join(dest, '%s.%s-source' % (namespace, name))
    shutil.copytree(source, tree, ignore=shutil.ignore_patterns('__pycache__', 'MANIFEST.json', 'FILES.json'))
    with open(os.path.join(source, 'MANIFEST.json'), encoding='utf-8') as handle:
        info = json.load(handle)['collection_info']
    with open(os.path.join(tree, 'galaxy.yml'), 'w', encoding='utf-8') as handle:
        yaml.safe_dump({k: info[k] for k in GALAXY_KEYS if info.get(k) not in (None, [], {})}, handle)
    _galaxy('build', '--output-path', dest, tree, cwd=dest)
    shutil.rmtree(tree)
    return os.path.join(dest, '%s-%s-%s.tar.gz' % (namespace, name, info['version']))


def build_tarballs(dest):
    """Build hkpost.ecert from this checkout and ansible.windows from the virtualenv's copy into ``dest``."""
    dest = str(dest)
    _galaxy('build', '--output-path', dest, ROOT, cwd=ROOT)
    source = installed_windows_collection()
    tree = os.path.join(dest, 'ansible.windows-source')
    shutil.copytree(source, tree, ignore=shutil.ignore_patterns('__pycache__', 'MANIFEST.json', 'FILES.json'))
    with open(os.path.join(source, 'MANIFEST.json'), encoding='utf-8') as handle:
        info = json.load(handle)['collection_info']
    with open(os.path.join(tree, 'galaxy.yml'), 'w', encoding='utf-8') as handle:
        yaml.safe_dump({k: info[k] for k in GALAXY_KEYS if info.get(k) not in (None, [], {})}, handle)
    _galaxy('build', '--output-path', dest, tree, cwd=dest)
    shutil.rmtree(tree)
    return sorted(os.path.join(dest, name) for name in os.listdir(dest) if name.endswith('.tar.gz'))


def install(tarballs, collections_path):
    """``ansible-galaxy collection install`` into ``collections_path``, offline, seeing nothing else."""
    _galaxy('install', '--offline', '-p', str(collections_path), *tarballs, cwd=str(collections_path),
            env={'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'False', 'ANSIBLE_CONFIG': os.devnull + '.none'})
    return os.path.join(str(collections_path), 'ansible_collections')


class Project:
    """A user's project directory outside the checkout: its own inventory, no ansible.cfg, Windows hosts over WinRM.

    ``hosts``: per-host wire behaviour of the endpoint (tests.support.winrm.server.HostConfig fields, e.g.
    ``{'refused': True}``). The endpoint keeps its files (TLS key, NTLM user file, report) beside the
    project, not in it, so that the project holds only what the user and the playbooks put there.
    """

    def __init__(self, directory, collections_path, state_dir, hosts=None, scheme='https', transport='ntlm'):
        self.directory = str(directory)
        self.collections_path = str(collections_path)
        self.state_dir = str(state_dir)
        self.log = os.path.join(self.directory, 'ansible.log')
        self.inventory = os.path.join(self.directory, 'inventory.yml')
        self.outputs = []   # stdout + stderr of every run, for the secret scan
        self.fleet = WinrmFleet(state_dir, self.directory.rstrip(os.sep) + '-winrm', scheme=scheme,
                                transport=transport, hosts=hosts)

    def __enter__(self):
        self.fleet.start()
        return self

    def __exit__(self, *exc):
        self.fleet.stop()
        if exc[0] is None:
            self.fleet.check_errors()  # a module or packaging the endpoint does not emulate

    def address(self, name):
        """The loopback address ``name`` answers WinRM on: its ``ansible_host``, where its sites listen too."""
        return self.fleet.addresses[name][0]

    @property
    def winrm_password(self):
        return self.fleet.password

    def write_inventory(self, inventory):
        """``inventory.yml`` in the project from a YAML inventory as a dict, connected as the docs' example shows.

        The hosts stay in the order given: it is the order ansible-playbook runs them in.
        """
        with open(self.inventory, 'w', encoding='utf-8') as handle:
            yaml.safe_dump(self.fleet.winrm_inventory(inventory), handle, sort_keys=False)
        return self.inventory

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith('ANSIBLE_')}
        env.update(
            ANSIBLE_CONFIG=os.path.join(self.directory, 'ansible.cfg'),  # does not exist: no configuration file
            ANSIBLE_COLLECTIONS_PATH=self.collections_path,
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='False',  # not the copy in the virtualenv: only what was installed
            ANSIBLE_LOG_PATH=self.log, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0',
            ANSIBLE_LOCAL_TEMP=os.path.join(self.directory, '.ansible-tmp'),
            ANSIBLE_HOME=os.path.join(self.directory, '.ansible-home'),
            PYTHONDONTWRITEBYTECODE='1',  # so that the installed collection can be compared file by file
            PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
        env.pop('PYTHONPATH', None)  # nothing of the checkout: the hosts are reached over WinRM
        env.pop('PWD', None)  # playbooks must not depend on it
        return env

    def run(self, playbook, *args):
        """Run ``playbook`` (an FQCN) on the project's inventory; returns (returncode, stdout + stderr)."""
        proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), playbook, '-i', self.inventory, *args],
                              cwd=self.directory, env=self.env(), capture_output=True, text=True, timeout=600,
                              check=False)
        output = proc.stdout + proc.stderr
        self.outputs.append((playbook + ' ' + ' '.join(args), output))
        return proc.returncode, output
