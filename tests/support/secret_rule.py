# -*- coding: utf-8 -*-
"""Which options are secrets: the rule of issue 22 ("Secrets stay masked because a test says so"), kept as data.

tests/unit/test_secrets_spec.py holds every spec, role and task to it; tests/integration/winrm/test_secrets_at_vvvv.py
runs every option it finds at -vvvv. One rule, so a new secret option is held to both.
"""

from __future__ import annotations

import glob
import importlib
import os
import re

from tests.support.module_docs import documented_options

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, 'plugins/modules/*.py'))
                 if not os.path.basename(p).startswith('_'))
ROLES = sorted(os.path.basename(os.path.dirname(os.path.dirname(p)))
               for p in glob.glob(os.path.join(ROOT, 'roles/*/meta/argument_specs.yml')))

# -- the rule, as data ------------------------------------------------------------------------------

# A name that carries a secret: passwords, TSIG keys, DCV verification codes, PINs, EAB keys and HMACs, tokens,
# credentials. Matched against option names, role variable names and the names a template reads.
SECRET_NAME = re.compile(r'password|passphrase|secret|private_?key|(^|_)pins?($|_)|hmac|verification_code|token|'
                         r'credential|(^|_)eab($|_)|api_key|tsig', re.I)
# A description that says the value is secret, whatever the option is called.
SECRET_DESCRIPTION = re.compile(r'never logged|\bno_log\b|keep it in a vault', re.I)
# Names the rule matches that are not secrets, each with the reason. An entry nothing matches any more fails
# tests/unit/test_secrets_spec.py::test_every_exclusion_is_still_needed, so the list cannot rot into a blanket pass.
NOT_SECRET = {
    'tsig_key_name': 'the name of the TSIG key, which every signed DNS message carries in clear (RFC 8945)',
    'hkpost_dcv_tsig_key_name': 'the role variable for tsig_key_name',
    'tsig_algorithm': 'an algorithm name such as hmac-sha256',
    'hkpost_dcv_tsig_algorithm': 'the role variable for tsig_algorithm',
    'privatekey_path': 'a path on the host; the key itself never passes through an option',
    'hkpost_acme_eab_alg': 'the MAC algorithm name of the external account binding (HS256...), not the key',
}


def is_secret_name(name):
    return name not in NOT_SECRET and bool(SECRET_NAME.search(name))


def text_of(description):
    return ' '.join(description) if isinstance(description, list) else str(description or '')


def is_secret_option(name, option):
    return is_secret_name(name) or bool(SECRET_DESCRIPTION.search(text_of((option or {}).get('description'))))


def walk_options(options, prefix=''):
    """(dotted path, name, option) for every option and suboption of a spec or a DOCUMENTATION options block."""
    for name, option in (options or {}).items():
        option = option or {}
        yield prefix + name, name, option
        yield from walk_options(option.get('options') or option.get('suboptions'), prefix + name + '.')


def module_documentation(module):
    """The module's options as ansible-doc shows them, doc fragments included."""
    return documented_options(module)


def validated_spec(module):
    """The spec the action plugin hands to validate_argument_spec (HkpostAction.run): its ARGUMENT_SPEC."""
    action = importlib.import_module('ansible_collections.hkpost.ecert.plugins.action.' + module)
    return action.ActionModule.ARGUMENT_SPEC


def lookup(options, path):
    option = None
    for part in path.split('.'):
        option = (options or {}).get(part)
        if option is None:
            return None
        options = option.get('options') or option.get('suboptions')
    return option


def secret_module_options():
    """(module, dotted option path) of every option the rule calls secret, in its documentation or its spec."""
    found = set()
    for module in MODULES:
        documentation = module_documentation(module)
        for source in (documentation, validated_spec(module)):
            for path, name, option in walk_options(source):
                if is_secret_option(name, option) or is_secret_option(name, lookup(documentation, path)):
                    found.add((module, path))
    return found
