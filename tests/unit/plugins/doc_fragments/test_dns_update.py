# -*- coding: utf-8 -*-
"""The DNS-update options are documented once (doc fragment hkpost.ecert._dns_update) as they are specified once
(plugin_utils/_dns_options.py DNS_UPDATE_OPTIONS): every module that takes them extends the fragment, repeats none
of them in its own DOCUMENTATION, and documents each as its action plugin validates it."""

from __future__ import annotations

import importlib

import pytest
import yaml

from ansible_collections.hkpost.ecert.plugins.doc_fragments._dns_update import ModuleDocFragment
from ansible_collections.hkpost.ecert.plugins.plugin_utils._dns_options import DNS_UPDATE_OPTIONS
from tests.support.module_docs import documented_options

MODULES = ['hkpost_dcv_token', 'hkpost_acme_challenge']


def test_the_fragment_documents_exactly_the_shared_spec():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    assert list(documented) == list(DNS_UPDATE_OPTIONS)
    for name, option in documented.items():
        for key in ('type', 'default', 'choices', 'elements', 'required'):
            stated = DNS_UPDATE_OPTIONS[name].get(key)
            assert option.get(key) == getattr(stated, 'doc_type', stated), (name, key)


@pytest.mark.parametrize('module', MODULES)
def test_each_module_takes_the_options_from_the_fragment(module):
    doc = importlib.import_module('ansible_collections.hkpost.ecert.plugins.modules.' + module)
    own = yaml.safe_load(doc.DOCUMENTATION)
    assert 'hkpost.ecert._dns_update' in (own.get('extends_documentation_fragment') or [])
    assert not set(own['options']) & set(DNS_UPDATE_OPTIONS), 'documented twice: %s' % (
        set(own['options']) & set(DNS_UPDATE_OPTIONS))
    spec = importlib.import_module('ansible_collections.hkpost.ecert.plugins.action.' + module).ActionModule.ARGUMENT_SPEC
    options = documented_options(module)
    for name in DNS_UPDATE_OPTIONS:
        assert spec[name] is DNS_UPDATE_OPTIONS[name] or spec[name] == DNS_UPDATE_OPTIONS[name], name
        assert options[name]['type'] == getattr(spec[name]['type'], 'doc_type', spec[name]['type']), name
