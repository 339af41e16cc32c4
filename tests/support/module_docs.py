# -*- coding: utf-8 -*-
"""A module's documented options and attributes as ansible-doc renders them: its own DOCUMENTATION merged with the doc
fragments it extends (plugins/doc_fragments/, ``hkpost.ecert.NAME``). Every test that reads a module's options or
attributes reads them here, so what is documented once in a fragment counts for each module that extends it.
tests/unit/plugins/doc_fragments/test_attributes.py checks this reading against ansible-doc's for every module."""

from __future__ import annotations

import importlib
import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_DOCUMENTATION = re.compile(r'^DOCUMENTATION\s*=\s*r?([\'"]{3})(.*?)\1', re.S | re.M)


def _documentation(path):
    with open(path, encoding='utf-8') as handle:
        match = _DOCUMENTATION.search(handle.read())
    return yaml.safe_load(match.group(2)) if match else {}


def _fragment(name):
    if not name.startswith('hkpost.ecert.'):
        raise AssertionError('doc fragment %s is not one of this collection; extend it here first' % name)
    # hkpost.ecert.FILE is FILE's DOCUMENTATION; hkpost.ecert.FILE.PART its attribute PART.upper(), as
    # ansible-core's add_fragments reads it (ansible/utils/plugin_docs.py add_fragments: fragment_var = splitname[1].upper()).
    parts = name.split('.')[2:]
    module = importlib.import_module('ansible_collections.hkpost.ecert.plugins.doc_fragments.' + parts[0])
    text = getattr(module.ModuleDocFragment, parts[1].upper() if len(parts) > 1 else 'DOCUMENTATION')
    return yaml.safe_load(text) or {}


def _module_documentation(module, modules_dir):
    path = os.path.join(modules_dir or os.path.join(ROOT, 'plugins', 'modules'), module + '.py')
    return (_documentation(path) or {}) if os.path.exists(path) else None


def documented_options(module, modules_dir=None):
    """{option: spec} of plugins/modules/<module>.py with its fragments; None when there is no such module."""
    documentation = _module_documentation(module, modules_dir)
    if documentation is None:
        return None
    options = {}
    for fragment in documentation.get('extends_documentation_fragment') or []:
        options.update(_fragment(fragment).get('options') or {})
    options.update(documentation.get('options') or {})
    return options


def documented_attributes(module, modules_dir=None):
    """{attribute: {description, support, details, platforms, ...}} of plugins/modules/<module>.py with its fragments;
    None when there is no such module.

    Merged one level deep, the module's keys and then the earlier fragment's winning, as ansible-core does it
    (ansible/utils/plugin_docs.py add_fragments -> merge_fragment: ``value.update(target[key])`` per attribute)."""
    documentation = _module_documentation(module, modules_dir)
    if documentation is None:
        return None
    attributes = {name: dict(attribute) for name, attribute in (documentation.get('attributes') or {}).items()}
    for fragment in documentation.get('extends_documentation_fragment') or []:
        for name, attribute in (_fragment(fragment).get('attributes') or {}).items():
            attributes[name] = dict(attribute, **attributes.get(name, {}))
    return attributes
