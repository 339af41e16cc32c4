# -*- coding: utf-8 -*-
"""Where hkpost_run_check learns the variable names the collection reads (issues 21, 22): every role's argument
specs and defaults, and the rows of one table of the guide - whatever shape those files legitimately take."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.plugin_utils._known_variables import (
    GLOBALS_LABEL, GUIDE, known_variables, role_variables, table_names)

LABEL = '.. _globals:'


def _role(root, name, specs=None, defaults=None):
    role = root / 'roles' / name
    if specs is not None:
        (role / 'meta').mkdir(parents=True)
        (role / 'meta' / 'argument_specs.yml').write_text(specs)
    if defaults is not None:
        (role / 'defaults').mkdir(parents=True)
        (role / 'defaults' / 'main.yml').write_text(defaults)


@pytest.mark.parametrize('specs, defaults', [
    ('---\n# no entry point yet\n', '---\n# every default is set by the playbook\n'),   # comment-only files
    ('argument_specs:\n', ''),                                                          # no entry point under the key
    ('argument_specs:\n  main:\n', None),                                               # an entry point with nothing
    ('argument_specs:\n  main:\n    short_description: Takes no option\n', None),      # an entry point without options
    ('argument_specs:\n  main:\n    options:\n', None),                                # options: with none under it
])
def test_a_role_that_declares_nothing_adds_nothing_and_breaks_nothing(tmp_path, specs, defaults):
    _role(tmp_path, 'quiet', specs, defaults)
    _role(tmp_path, 'iis', 'argument_specs:\n  main:\n    options:\n      hkpost_iis_backup: {type: bool}\n',
          'hkpost_iis_verify: true\n')
    assert role_variables(str(tmp_path)) == {'hkpost_iis_backup', 'hkpost_iis_verify'}


GUIDE_TEXT = """Guide
=====

Other variables
---------------

==================  ====
``hkpost_before``   a table of another section
==================  ====

%s

Variables of the whole collection
---------------------------------
Set these once (``hkpost_hosts`` and the like):

%s

``hkpost_in_prose`` is a sentence about a variable, not a row of the table.
%s
"""

HEADERLESS = """================  ==========
``hkpost_hosts``  the hosts
``hkpost_pass``   the password
================  =========="""

WITH_HEADER = """================  ==========
name              meaning
================  ==========
``hkpost_hosts``  the hosts
``hkpost_pass``   the password
================  =========="""

NEXT = """
Certificates
------------

================  ====
``hkpost_after``  a table of the next section
================  ===="""


@pytest.mark.parametrize('table', [HEADERLESS, WITH_HEADER], ids=['headerless', 'header'])
@pytest.mark.parametrize('following', [NEXT, ''], ids=['section-follows', 'last-section'])
def test_only_the_rows_of_the_labelled_sections_table_are_read(table, following):
    text = GUIDE_TEXT % (LABEL, table, following)
    assert table_names(text, LABEL) == {'hkpost_hosts', 'hkpost_pass'}


def test_a_section_listing_its_variables_without_a_table_is_read_whole():
    text = '%s\n\nVariables\n---------\n\n``hkpost_hosts``\n    the hosts\n``hkpost_pass``\n    the password\n%s' % (
        LABEL, NEXT)
    assert table_names(text, LABEL) == {'hkpost_hosts', 'hkpost_pass'}


def test_the_known_variables_are_the_roles_and_the_guides(tmp_path):
    _role(tmp_path, 'iis', 'argument_specs:\n  main:\n    options:\n      hkpost_iis_backup: {type: bool}\n')
    guide = tmp_path / GUIDE
    guide.parent.mkdir(parents=True)
    guide.write_text(GUIDE_TEXT % (GLOBALS_LABEL, HEADERLESS, NEXT))
    assert known_variables(str(tmp_path)) == {'hkpost_iis_backup', 'hkpost_hosts', 'hkpost_pass'}
