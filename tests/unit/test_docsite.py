# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The guides under docs/docsite/rst parse as reStructuredText without errors, every guide is listed in
docs/docsite/extra-docs.yml, every listed guide exists, and every :ref: points at a label a guide defines.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

docutils_core = pytest.importorskip('docutils.core')
from docutils import nodes  # noqa: E402
from docutils.parsers.rst import roles  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCSITE = os.path.join(ROOT, 'docs', 'docsite')
RST = os.path.join(DOCSITE, 'rst')
GUIDES = sorted(name[:-4] for name in os.listdir(RST) if name.endswith('.rst'))


def _sphinx_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """:ref: is Sphinx's; plain docutils only needs to accept it here (labels are checked below)."""
    return [nodes.literal(rawtext, text)], []


roles.register_local_role('ref', _sphinx_role)


def _listed():
    with open(os.path.join(DOCSITE, 'extra-docs.yml'), encoding='utf-8') as handle:
        data = yaml.safe_load(handle)
    return [entry for section in data['sections'] for entry in section['toctree']]


def _text(name):
    with open(os.path.join(RST, name + '.rst'), encoding='utf-8') as handle:
        return handle.read()


def test_every_guide_listed_and_every_listed_guide_exists():
    listed = _listed()
    assert sorted(set(listed)) == sorted(listed), 'duplicate entries in extra-docs.yml'
    assert not set(GUIDES) - set(listed), 'guides missing from extra-docs.yml: %s' % sorted(set(GUIDES) - set(listed))
    assert not set(listed) - set(GUIDES), 'extra-docs.yml lists missing guides: %s' % sorted(set(listed) - set(GUIDES))


@pytest.mark.parametrize('name', GUIDES)
def test_guide_parses_without_errors(name):
    messages = []
    settings = {'report_level': 2, 'halt_level': 5, 'warning_stream': False}
    doctree = docutils_core.publish_doctree(_text(name), settings_overrides=settings)
    for message in doctree.findall(nodes.system_message):
        if message['level'] >= 2:
            messages.append('%s line %s: %s' % (name, message.get('line'), message.astext()))
    assert not messages, '\n'.join(messages)


def test_references_resolve():
    labels = set()
    for name in GUIDES:
        labels.update(re.findall(r'^\.\. _([^:]+):\s*$', _text(name), re.M))
    broken = []
    for name in GUIDES:
        for target in re.findall(r':ref:`(?:[^`<]*<)?([^`>]+)>?`', _text(name)):
            if target.startswith('ansible_collections.hkpost.ecert.docsite.') and target not in labels:
                broken.append('%s: %s' % (name, target))
    assert not broken, broken
