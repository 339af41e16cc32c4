# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""execution-environment.yml and meta/execution-environment.yml are valid for ansible-builder.

`ansible-builder create` renders the build context without network or a container runtime, so
it is run for real on a copy of the definition and its files, with a stand-in collection tarball.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def _yaml(*parts):
    with open(os.path.join(ROOT, *parts), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def test_collection_ee_metadata_points_at_existing_files():
    meta = _yaml('meta', 'execution-environment.yml')
    assert meta['version'] == 1
    for key in ('python', 'system'):
        path = meta['dependencies'][key]
        assert os.path.isfile(os.path.join(ROOT, path)), 'meta/execution-environment.yml %s: %s is missing' % (key, path)
    with open(os.path.join(ROOT, meta['dependencies']['python']), encoding='utf-8') as handle:
        wanted = {line.split('>')[0].split('=')[0].strip().lower() for line in handle
                  if line.strip() and not line.startswith('#')}
    # What the plugins import on the controller.
    assert {'cryptography', 'dnspython', 'pywinrm', 'pypsrp'} <= wanted


def test_ee_definition_structure():
    ee = _yaml('execution-environment.yml')
    assert ee['version'] == 3
    assert ee['images']['base_image']['name']
    deps = ee['dependencies']
    assert deps['python'] == 'requirements.txt' and deps['galaxy'] == 'requirements.yml' and deps['system'] == 'bindep.txt'
    assert 'ansible_core' in deps and 'ansible_runner' in deps
    galaxy = _yaml('requirements.yml')
    assert 'ansible.windows' in [c['name'] for c in galaxy['collections']]


def test_ansible_windows_floor_has_sensitive_parameters():
    """Payloads take secrets through win_powershell sensitive_parameters, added in ansible.windows 2.4.0
    (its changelog); galaxy.yml, requirements.yml and so the execution environment require at least that."""
    floor = {_yaml('galaxy.yml')['dependencies']['ansible.windows'],
             [c['version'] for c in _yaml('requirements.yml')['collections'] if c['name'] == 'ansible.windows'][0]}
    assert floor == {'>=2.4.0'}
    import ansible_collections.ansible.windows as installed
    changelog = open(os.path.join(os.path.dirname(installed.__file__), 'CHANGELOG.rst'), encoding='utf-8').read()
    v240 = changelog.split('\nv2.4.0\n')[1].split('\nv2.3.0\n')[0]
    assert 'Added the ``sensitive_parameters`` option' in v240


def test_ansible_builder_renders_the_build_context(tmp_path):
    builder = os.path.join(BIN, 'ansible-builder')
    if not os.path.exists(builder):
        pytest.fail('ansible-builder not installed in %s (pip install -r tests/requirements.txt)' % BIN)
    for name in ('execution-environment.yml', 'requirements.txt', 'requirements.yml', 'bindep.txt'):
        shutil.copy(os.path.join(ROOT, name), tmp_path / name)
    (tmp_path / 'build').mkdir()
    (tmp_path / 'build' / 'hkpost-ecert-0.1.0.tar.gz').write_bytes(b'stand-in')
    proc = subprocess.run([builder, 'create', '--file', 'execution-environment.yml', '--context', 'context'],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    context = tmp_path / 'context'
    containerfile = next(p for p in (context / 'Containerfile', context / 'Dockerfile') if p.exists()).read_text()
    assert 'ansible-galaxy collection install --offline --no-deps' in containerfile
    for name in ('requirements.txt', 'requirements.yml', 'bindep.txt', 'hkpost-collection/hkpost-ecert-0.1.0.tar.gz'):
        assert (context / '_build' / name).exists(), name
