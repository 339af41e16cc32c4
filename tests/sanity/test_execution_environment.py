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
        wanted = {name.split('[')[0] for name in _requirement_names(handle.read())}
    # What the plugins import on the controller, and every controller requirement except ansible-core
    # (which the EE definition provides).
    assert {'cryptography', 'dnspython', 'pywinrm', 'pypsrp'} <= wanted
    with open(os.path.join(ROOT, 'requirements.txt'), encoding='utf-8') as handle:
        controller = _requirement_names(handle.read()) - {'ansible-core'}
    assert controller <= wanted, 'requirements-ee.txt lacks %s from requirements.txt' % sorted(controller - wanted)


def test_ee_definition_structure():
    ee = _yaml('execution-environment.yml')
    assert ee['version'] == 3
    assert ee['images']['base_image']['name']
    deps = ee['dependencies']
    assert deps['python'] == 'requirements-ee.txt' and deps['galaxy'] == 'requirements.yml' and deps['system'] == 'bindep.txt'
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
    for name in ('execution-environment.yml', 'requirements-ee.txt', 'requirements.yml', 'bindep.txt'):
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
    # Kerberos (Active Directory fleets): the Python bindings with the libraries they build against
    python = _requirement_names((context / '_build' / 'requirements.txt').read_text())
    assert {'pywinrm[kerberos]', 'pypsrp[kerberos]'} <= python, python
    system = _bindep((context / '_build' / 'bindep.txt').read_text())
    assert {'krb5-workstation', 'krb5-libs'} <= system['run'], system     # kinit and libkrb5 in the final image
    assert {'gcc', 'krb5-devel', 'python3-devel'} <= system['compile'], system   # to build pykerberos / gssapi
    # ...and the generated build installs the compile profile in the builder stage
    assert 'bindep -b compile' in (context / '_build' / 'scripts' / 'assemble').read_text()


def _requirement_names(text):
    return {line.split('>')[0].split('=')[0].strip().lower() for line in text.splitlines()
            if line.strip() and not line.startswith('#')}


def _bindep(text):
    """rpm packages of a bindep file by profile: 'run' (no profile) and 'compile'."""
    found = {'run': set(), 'compile': set()}
    for line in text.splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        name, _sep, selector = line.partition('[')
        selector = selector.rstrip(']').split()
        if 'platform:dpkg' in selector:
            continue
        found['compile' if 'compile' in selector else 'run'].add(name.strip())
    return found


def test_the_base_image_is_pinned_and_its_python_is_used():
    """issue 22: a moving tag (:latest) builds a different system from the same definition; the image's own Python
    runs Ansible (no second interpreter)."""
    ee = _yaml('execution-environment.yml')
    image = ee['images']['base_image']['name']
    assert '@sha256:' in image or (':' in image.rsplit('/', 1)[-1] and not image.endswith(':latest')), image
    interpreter = ee['dependencies']['python_interpreter']
    assert interpreter == {'package_system': 'python3', 'python_path': '/usr/bin/python3'}


def test_the_build_stops_without_the_collection_tarball(tmp_path):
    """ansible-builder only warns about a missing additional_build_files source: the wrapper refuses to start, and
    the Containerfile's own step fails, each saying to build the tarball first."""
    for name in ('execution-environment.yml', 'requirements-ee.txt', 'requirements.yml', 'bindep.txt'):
        shutil.copy(os.path.join(ROOT, name), tmp_path / name)
    (tmp_path / 'hack').mkdir()
    shutil.copy(os.path.join(ROOT, 'hack', 'build_ee.sh'), tmp_path / 'hack' / 'build_ee.sh')
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get('PATH', ''), EE_BUILDER_COMMAND='create')
    proc = subprocess.run(['bash', 'hack/build_ee.sh', '--context', 'context'], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1 and 'no collection tarball in build/' in proc.stderr, proc.stdout + proc.stderr
    assert not (tmp_path / 'context').exists()
    (tmp_path / 'build').mkdir()
    (tmp_path / 'build' / 'hkpost-ecert-0.1.0.tar.gz').write_bytes(b'stand-in')
    proc = subprocess.run(['bash', 'hack/build_ee.sh', '--context', 'context'], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = next(p for p in (tmp_path / 'context' / 'Containerfile', tmp_path / 'context' / 'Dockerfile')
                         if p.exists()).read_text()
    check = containerfile.index('no collection')
    assert check < containerfile.index('ansible-galaxy collection install --offline')
