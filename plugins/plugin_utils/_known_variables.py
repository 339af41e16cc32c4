# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every hkpost_* variable the collection reads, from the files that declare them.

No list of names is kept here. Each playbook is a sequence of role entry points, and every variable it reads
from the user is an option of one of them in that role's meta/argument_specs.yml (tests/unit/test_known_variables.py
keeps it so): those options, and the roles' defaults, are the known names, with the collection-wide variables of
the table "Variables of the whole collection" of the guide using_the_collection.rst. So a new variable is declared
once, where ``ansible-doc -t role`` shows it.
"""

from __future__ import annotations

import glob
import os
import re

import yaml

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUIDE = os.path.join('docs', 'docsite', 'rst', 'using_the_collection.rst')
GLOBALS_LABEL = '.. _ansible_collections.hkpost.ecert.docsite.global_variables:'


def _yaml(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle) or {}


def role_variables(root=COLLECTION_ROOT):
    """Options of every entry point of every role's argument_specs, and every role default."""
    names = set()
    for path in glob.glob(os.path.join(root, 'roles', '*', 'meta', 'argument_specs.yml')):
        for entry in (_yaml(path).get('argument_specs') or {}).values():
            names.update((entry or {}).get('options') or {})
    for path in glob.glob(os.path.join(root, 'roles', '*', 'defaults', 'main.yml')):
        names.update(_yaml(path))
    return names


def table_names(text, label):
    """The ``name`` that starts each row of the table in the section under ``label`` of an rst guide."""
    section = text[text.index(label):]
    # the section's own title is its first underlined line; it ends where the next title starts
    titles = [m.start() for m in re.finditer(r'^\S.*\n[-=^~]{3,}\n', section, re.M)]
    section = section[:titles[1]] if len(titles) > 1 else section
    # only the table's rows: between its first and last border line, not the prose around it
    borders = [m.start() for m in re.finditer(r'^={3,}\s', section, re.M)]
    if len(borders) >= 2:
        section = section[borders[0]:borders[-1]]
    return set(re.findall(r'^``([A-Za-z_]\w*)``\s', section, re.M))


def guide_variables(root=COLLECTION_ROOT):
    with open(os.path.join(root, GUIDE), encoding='utf-8') as handle:
        text = handle.read()
    return table_names(text, GLOBALS_LABEL)


def known_variables(root=COLLECTION_ROOT):
    """Every option of every role entry point and every role default, and the collection-wide variables."""
    return role_variables(root) | guide_variables(root)
