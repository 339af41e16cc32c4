# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hack/mutation.py's map is a joint between the code, the tests and the figures in quality_gates.rst.

A module entry naming a test file that does not exist makes every run of that module fail before the first mutant;
an EQUIVALENT id that no longer names a mutant of the current code (the lines moved) is silently not applied, and
the module's published score quietly stops being the one a run prints. Both are checked here, without running a
mutant (ids come from the same AST walk ``--list`` prints).
"""

from __future__ import annotations

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _mutation():
    spec = importlib.util.spec_from_file_location('hkpost_mutation', os.path.join(ROOT, 'hack', 'mutation.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MUTATION = _mutation()


@pytest.mark.parametrize('module', sorted(MUTATION.MODULES))
def test_every_mapped_module_and_test_file_exists(module):
    assert os.path.isfile(os.path.join(ROOT, MUTATION._path(module))), module
    missing = [t for t in MUTATION.MODULES[module] if not os.path.exists(os.path.join(ROOT, t))]
    assert not missing, '%s maps test files that do not exist: %s' % (module, missing)


@pytest.mark.parametrize('module', sorted({module for module, _mid in MUTATION.EQUIVALENT}))
def test_every_equivalent_names_a_mutant_of_the_current_code(module):
    assert module in MUTATION.MODULES, '%s has EQUIVALENT entries but no MODULES entry' % module
    with open(os.path.join(ROOT, MUTATION._path(module)), encoding='utf-8') as handle:
        ids = {item[0] for item in MUTATION.mutants(handle.read())}
    stale = sorted(mid for mod, mid in MUTATION.EQUIVALENT if mod == module and mid not in ids)
    assert not stale, ('%s: EQUIVALENT ids that name no mutant of the current code (its lines moved): %s. '
                       'Find each one again with hack/mutation.py --list %s and re-judge it, or drop it.'
                       % (module, stale, module))


@pytest.mark.parametrize('table', ['MODULES', 'EQUIVALENT'])
def test_no_module_or_mutant_is_named_twice_in_a_table(table):
    """A key written twice in the dict literal silently keeps the second value: a module loses the test files of
    its first entry (two merges once left _report_files without its rules file), an equivalent its first reason."""
    import ast
    with open(os.path.join(ROOT, 'hack', 'mutation.py'), encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    node = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == table)
    seen, twice = set(), []
    for key in node.keys:
        if key is None:  # a **{...} block: its keys are built by a comprehension
            continue
        text = ast.unparse(key)
        if text in seen:
            twice.append(text)
        seen.add(text)
    assert not twice, '%s names these twice: %s' % (table, twice)
