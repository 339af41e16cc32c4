# -*- coding: utf-8 -*-
"""The documentation is the contract: DOCUMENTATION options equal the action's ARGUMENT_SPEC, and the
role's meta/argument_specs.yml equals its defaults/main.yml."""

from __future__ import annotations

import os

import yaml

from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from ansible_collections.hkpost.ecert.plugins.modules import hkpost_dcv_token as doc
from tests.support.module_docs import documented_options

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


def test_documented_options_match_argument_spec():
    options = documented_options('hkpost_dcv_token')   # with the DNS-update doc fragment, as ansible-doc renders it
    spec = ActionModule.ARGUMENT_SPEC
    assert set(options) == set(spec)
    for name, option in options.items():
        for key in ('type', 'default', 'choices', 'elements', 'required'):
            stated = spec[name].get(key)
            assert option.get(key) == getattr(stated, 'doc_type', stated), (name, key)  # a callable type documents its doc_type
    assert spec['verification_code']['no_log'] and spec['tsig_key_secret']['no_log']


def test_examples_and_return_parse():
    assert yaml.safe_load(doc.EXAMPLES)
    assert 'domains' in yaml.safe_load(doc.RETURN)


def test_role_argument_specs_equal_defaults():
    role = os.path.join(ROOT, 'roles', 'dcv')
    with open(os.path.join(role, 'defaults', 'main.yml')) as f:
        defaults = yaml.safe_load(f)
    with open(os.path.join(role, 'meta', 'argument_specs.yml')) as f:
        options = yaml.safe_load(f)['argument_specs']['main']['options']
    assert set(defaults) == set(options)
    assert all(name.startswith(('dcv_', 'hkpost_dcv_')) for name in defaults)
    for name, value in defaults.items():
        assert options[name]['default'] == value, name
