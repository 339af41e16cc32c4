# -*- coding: utf-8 -*-
"""A module's documented options as ansible-doc renders them: its own DOCUMENTATION merged with the doc fragments
it extends (plugins/doc_fragments/, ``hkpost.ecert.NAME``). Every test that reads a module's options reads them here,
so an option documented once in a fragment counts for each module that extends it."""

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


def _fragment_options(name):
    if not name.startswith('hkpost.ecert.'):
        raise AssertionError('doc fragment %s is not one of this collection; extend it here first' % name)
    # hkpost.ecert.FILE is FILE's DOCUMENTATION; hkpost.ecert.FILE.PART its attribute PART.upper(), as
    # ansible-core's add_fragments reads it (ansible/utils/plugin_docs.py add_fragments: fragment_var = splitname[1].upper()).
    parts = name.split('.')[2:]
    module = importlib.import_module('ansible_collections.hkpost.ecert.plugins.doc_fragments.' + parts[0])
    text = getattr(module.ModuleDocFragment, parts[1].upper() if len(parts) > 1 else 'DOCUMENTATION')
    return (yaml.safe_load(text) or {}).get('options') or {}


def documented_options(module, modules_dir=None):
    """{option: spec} of plugins/modules/<module>.py with its fragments; None when there is no such module."""
    path = os.path.join(modules_dir or os.path.join(ROOT, 'plugins', 'modules'), module + '.py')
    if not os.path.exists(path):
        return None
    documentation = _documentation(path) or {}
    options = {}
    for fragment in documentation.get('extends_documentation_fragment') or []:
        options.update(_fragment_options(fragment))
    options.update(documentation.get('options') or {})
    return options
