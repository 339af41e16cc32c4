# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Release hygiene: the changelog is valid and generated from every fragment, and the collection
tarball carries the collection and nothing else (no tests, caches, virtualenvs or local output).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
ENV = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), PATH=BIN + os.pathsep + os.environ.get('PATH', ''))

# Top-level paths that must never be in the tarball, and path parts that must appear nowhere.
FORBIDDEN_TOP = ('tests', 'collections', 'reports', 'demo-output', 'build', 'benchmarks', 'hack', '.ansible',
                 '.cache', '.git', '.ci', '.pytest_cache', 'extensions')
FORBIDDEN_PARTS = ('__pycache__', '.pytest_cache')
# Files that only work from the checkout (the demo imports tests.support; ansible.cfg and the demo inventory
# point into the repository) or are local caches: an installed user must not get them.
FORBIDDEN_FILES = ('ansible.cfg', 'playbooks/demo.yml', 'playbooks/demo_audit.yml', 'roles/demo', 'playbooks/inventory',
                   'changelogs/.plugin-cache.yaml', 'hkpost-output')
REQUIRED = ('MANIFEST.json', 'FILES.json', 'meta/runtime.yml', 'meta/execution-environment.yml', 'bindep.txt',
            'requirements.txt', 'requirements-ee.txt', 'changelogs/changelog.yaml', 'docs/docsite/extra-docs.yml',
            'plugins/modules/hkpost_csr.py', 'roles/csr/meta/argument_specs.yml', 'README.md',
            'playbooks/request.yml', 'playbooks/dcv.yml', 'playbooks/migrate_intermediate.yml', 'playbooks/install.yml',
            'playbooks/backup.yml', 'playbooks/restore.yml', 'playbooks/audit.yml', 'playbooks/audit_tasks.yml',
            'roles/renew/meta/argument_specs.yml', 'roles/install/tasks/main.yml', 'playbooks/renew_acme.yml',
            'roles/acme/meta/argument_specs.yml', 'roles/acme/tasks/order.yml', 'plugins/payloads/acme/acme_iis_write.ps1',
            'plugins/modules/hkpost_fleet_report.py', 'roles/audit/meta/argument_specs.yml',
            'roles/inventory/meta/argument_specs.yml', 'roles/backup/meta/argument_specs.yml',
            'roles/restore/meta/argument_specs.yml')


def tarball_problems(members):
    """Why a list of tarfile members (name, is_symlink, link target) is not a clean release."""
    problems = []
    names = {name for name, _link, _target in members}
    tops = set()
    for name, is_link, target in members:
        parts = name.split('/')
        if parts[0] in FORBIDDEN_TOP or parts[0].startswith('.venv'):
            if parts[0] not in tops:  # one line per directory, not one per file in it
                tops.add(parts[0])
                problems.append('%s/ is not part of the collection (add it to galaxy.yml build_ignore)' % parts[0])
        elif any(part in FORBIDDEN_PARTS for part in parts) or name.endswith(('.pyc', '.pyo', '.tar.gz')):
            problems.append('%s: cache or build output' % name)
        elif is_link:
            problems.append('%s: symlink to %s (a collection tarball carries files)' % (name, target))
        elif any(name == f or name.startswith(f + '/') for f in FORBIDDEN_FILES):
            problems.append('%s works from the checkout only (add it to galaxy.yml build_ignore)' % name)
    problems.extend('%s is missing' % name for name in REQUIRED if name not in names)
    return problems


def test_changelog_fragments_lint():
    proc = subprocess.run([os.path.join(BIN, 'antsibull-changelog'), 'lint'], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0 and not proc.stdout.strip(), 'antsibull-changelog lint:\n' + proc.stdout + proc.stderr


def test_changelog_yaml_lint():
    proc = subprocess.run([os.path.join(BIN, 'antsibull-changelog'), 'lint-changelog-yaml', 'changelogs/changelog.yaml'],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_changelog_yaml_generated_from_every_fragment():
    with open(os.path.join(ROOT, 'changelogs', 'config.yaml'), encoding='utf-8') as handle:
        config = yaml.safe_load(handle)
    assert config['keep_fragments'] is True, 'keep_fragments must stay true: hack/changelog.sh reruns release'
    with open(os.path.join(ROOT, 'changelogs', 'changelog.yaml'), encoding='utf-8') as handle:
        changelog = yaml.safe_load(handle)
    with open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8') as handle:
        version = str(yaml.safe_load(handle)['version'])
    assert version in changelog['releases'], 'changelogs/changelog.yaml has no %s entry: run hack/changelog.sh' % version
    listed = {name for release in changelog['releases'].values() for name in release.get('fragments', [])}
    fragments = {name for name in os.listdir(os.path.join(ROOT, 'changelogs', 'fragments')) if name.endswith(('.yml', '.yaml'))}
    missing = sorted(fragments - listed)
    assert not missing, 'fragments not yet in changelogs/changelog.yaml (run hack/changelog.sh): %s' % missing
    gone = sorted(listed - fragments)
    assert not gone, 'changelogs/changelog.yaml lists fragments that no longer exist: %s' % gone


def test_tarball_check_can_fail():
    bad = [('tests/unit/test_x.py', False, ''), ('plugins/modules/__pycache__/x.cpython-311.pyc', False, ''),
           ('.venv-bench/bin/python', True, '/usr/bin/python3'), ('docs/x', True, '../..'),
           ('playbooks/demo.yml', False, ''), ('playbooks/inventory/demo.yml', False, '')]
    problems = tarball_problems(bad)
    assert len([p for p in problems if 'missing' not in p]) == 6, problems


def test_galaxy_build_tarball_is_clean(tmp_path):
    proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(tmp_path), ROOT],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [tarball] = list(tmp_path.glob('hkpost-ecert-*.tar.gz'))
    with tarfile.open(tarball) as archive:
        members = [(m.name.rstrip('/'), m.issym() or m.islnk(), m.linkname) for m in archive.getmembers()]
    problems = tarball_problems(members)
    assert not problems, 'collection tarball:\n  ' + '\n  '.join(problems[:50])


@pytest.mark.parametrize('name', ['README.md', 'galaxy.yml'])
def test_release_metadata_present(name):
    assert os.path.isfile(os.path.join(ROOT, name))
