# -*- coding: utf-8 -*-
"""The modules' ``attributes`` are written once (doc fragment hkpost.ecert._attributes): what check_mode, diff_mode and
platform mean comes from the fragment, where a module runs from its WINDOWS or CONTROLLER variant when one fits, and
each module states only its own support levels and their details. tests/support/module_docs reads them the way
ansible-doc does (checked here against ansible-doc itself), and hack/module_docs_diff.py's comparison, which
compares the rendering with an earlier revision, reports a lost support level."""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.hkpost.ecert.plugins.doc_fragments._attributes import ModuleDocFragment
from tests.support import module_docs

ROOT = module_docs.ROOT
MODULES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py'))
                 if not os.path.basename(p).startswith('_'))
FRAGMENT = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['attributes']
VARIANTS = {'hkpost.ecert._attributes.' + name.lower(): yaml.safe_load(getattr(ModuleDocFragment, name))['attributes']
            for name in ('WINDOWS', 'CONTROLLER')}
SUPPORT = {'full', 'partial', 'none', 'N/A'}


def _diff_script():
    spec = importlib.util.spec_from_file_location('hkpost_module_docs_diff', os.path.join(ROOT, 'hack', 'module_docs_diff.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _own(module):
    with open(os.path.join(ROOT, 'plugins', 'modules', module + '.py'), encoding='utf-8') as handle:
        return yaml.safe_load(module_docs._DOCUMENTATION.search(handle.read()).group(2))


@pytest.fixture(scope='module')
def rendered():
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_NOCOLOR='1')
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-doc'), '--json',
                           *['hkpost.ecert.' + m for m in MODULES]],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    docs = json.loads(proc.stdout)
    return {m: docs['hkpost.ecert.' + m]['doc'].get('attributes') for m in MODULES}


def test_module_docs_reads_attributes_as_ansible_doc_renders_them(rendered):
    for module in MODULES:
        assert module_docs.documented_attributes(module) == rendered[module], module


@pytest.mark.parametrize('module', MODULES)
def test_every_module_states_each_attribute_with_the_fragments_meaning(module):
    attributes = module_docs.documented_attributes(module)
    assert sorted(attributes) == sorted(FRAGMENT), module
    for name, attribute in attributes.items():
        assert attribute['description'] == FRAGMENT[name]['description'], (module, name)
        assert attribute.get('support') in SUPPORT, '%s states no support level for %s' % (module, name)
    platforms = attributes['platform']['platforms']
    assert isinstance(platforms, list) and platforms and set(platforms) <= {'posix', 'windows'}, (module, platforms)


@pytest.mark.parametrize('module', MODULES)
def test_each_module_writes_only_what_differs(module):
    own = _own(module)
    fragments = own.get('extends_documentation_fragment') or []
    assert 'hkpost.ecert._attributes' in fragments, module
    variants = [f for f in fragments if f in VARIANTS]
    assert len(variants) <= 1, (module, variants)
    for name, attribute in own['attributes'].items():
        assert 'description' not in attribute, '%s repeats (or replaces) the meaning of %s; say it in details' % (module, name)
    platform = own['attributes'].get('platform') or {}
    if variants:
        repeated = {k for k, v in VARIANTS[variants[0]]['platform'].items() if platform.get(k) == v}
        assert not repeated, '%s repeats %s of %s' % (module, sorted(repeated), variants[0])
    else:
        for name, variant in VARIANTS.items():
            assert {k: platform.get(k) for k in variant['platform']} != variant['platform'], (
                '%s writes out %s; extend it instead' % (module, name))


def test_the_comparison_reports_a_lost_support_level_and_accepts_a_moved_sentence():
    diff = _diff_script()
    before = {'check_mode': {'description': diff.STANDARD['check_mode'], 'support': 'full', 'details': 'Reads only.'},
              'platform': {'description': diff.STANDARD['platform'], 'support': 'full', 'platforms': 'posix'}}
    same = {'check_mode': dict(before['check_mode']), 'platform': dict(before['platform'], platforms=['posix'])}
    assert diff.compare(before, same)[0] == []
    lost = {'check_mode': {'description': diff.STANDARD['check_mode'], 'details': ['Reads only.']},
            'platform': same['platform']}
    assert diff.compare(before, lost)[0] == ["check_mode: support 'full' -> None"]
    own_description = {'check_mode': {'description': 'Reads only.', 'support': 'full'}, 'platform': before['platform']}
    moved = {'check_mode': {'description': diff.STANDARD['check_mode'], 'details': 'Reads only.', 'support': 'full'},
             'platform': before['platform']}
    assert diff.compare(own_description, moved) == ([], ['check_mode: description moved to details'])
    reworded = {'check_mode': dict(moved['check_mode'], details='Reads.'), 'platform': before['platform']}
    assert diff.compare(own_description, reworded)[0] == ["check_mode: ['Reads only.'] -> ['Reads.']"]
    assert diff.compare(before, {'check_mode': before['check_mode']})[0] == [
        "attributes ['check_mode', 'platform'] -> ['check_mode']"]
    meaningless = {'check_mode': {'support': 'full', 'details': 'Reads only.'}, 'platform': before['platform']}
    assert diff.compare(before, meaningless)[0] == ["check_mode: description %r -> None" % diff.STANDARD['check_mode']]
    windows = {'check_mode': before['check_mode'], 'platform': dict(before['platform'], platforms=['windows'])}
    assert diff.compare(before, windows)[0] == ["platform: platforms 'posix' -> ['windows']"]


def test_the_standard_sentences_of_the_comparison_are_the_fragments():
    assert _diff_script().STANDARD == {name: attribute['description'] for name, attribute in FRAGMENT.items()}
