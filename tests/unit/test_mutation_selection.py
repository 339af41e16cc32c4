# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hack/mutation.py runs each mutant only against the tests that execute its lines (hack/mutation_lines.py).

Three joints decide whether a figure stays honest: the tracer plugin's JSON is what the runner reads; every mutant
has the lines it needs to run (a mutant without them would be counted "no test runs it" and never run); and a
mutant touching code run at import time is run against every mapped test, not against none.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.unit.test_mutation_map import MUTATION, ROOT


@pytest.mark.parametrize('module', sorted(MUTATION.MODULES))
def test_every_mutant_has_the_lines_it_needs_to_run(module):
    with open(os.path.join(ROOT, MUTATION._path(module)), encoding='utf-8') as handle:
        source = handle.read()
    spans = MUTATION.probe_lines(source)
    for mid, _n, _key, line, _desc in MUTATION.mutants(source):
        assert spans[mid], mid
        if line and '.swap.' not in mid:  # a swap's id names its parent's line, its span the two statements
            assert line in spans[mid], mid


def test_a_condition_written_over_several_lines_is_probed_on_each_of_them():
    source = 'def f(a, b):\n    x = (a if\n         b else 0)\n    return x\n'
    spans = MUTATION.probe_lines(source)
    ifexp = [mid for mid in spans if mid.endswith('.true')]
    assert ifexp and all(spans[mid] == {2, 3} for mid in ifexp)


def test_a_statement_swap_is_probed_on_both_statements():
    source = 'def f(log):\n    log.append(1)\n    log.append(2)\n'
    spans = MUTATION.probe_lines(source)
    assert [spans[mid] for mid in spans if '.swap.' in mid] == [{2, 3}]


def test_two_mutants_of_one_line_are_told_apart_in_the_report():
    # An id names a line only: inventory/_host's survivor "L76:394.true: ifexp condition -> True" was read as the
    # server-name condition a test pins, while it was the port condition on the same line.
    source = "def f(kind, port):\n    return [int(port)] if port.isdigit() else [], 'x' if kind == 'sni' else None, False, False\n"
    described = {mid: desc for mid, _n, _key, _line, desc in MUTATION.mutants(source)}
    ifexp = sorted(desc for mid, desc in described.items() if mid.endswith('.true'))
    assert ifexp == ["ifexp condition -> True in `kind == 'sni'`", 'ifexp condition -> True in `port.isdigit()`']
    flips = sorted(desc for mid, desc in described.items() if mid.endswith('.flipbool'))
    first = source.splitlines()[1].index('False') + 1
    assert flips == ['False -> True (column %d)' % first, 'False -> True (column %d)' % (first + 7)]


COVERAGE = {'tests': {'t.py::slow': {5, 6}, 't.py::quick': {6}, 't.py::other': {9}}, 'outside': [1, 2],
            'seconds': {'t.py::slow': 2.0, 't.py::quick': 0.1, 't.py::other': 0.5}}


def test_tests_that_run_the_line_are_chosen_quickest_first():
    assert MUTATION.select_tests({6}, COVERAGE, ['t.py']) == ['t.py::quick', 't.py::slow']
    assert MUTATION.select_tests({5}, COVERAGE, ['t.py']) == ['t.py::slow']


def test_code_run_at_import_is_tested_by_every_mapped_test():
    assert MUTATION.select_tests({2, 40}, COVERAGE, ['t.py', 'u.py']) == ['t.py', 'u.py']


def test_a_line_no_test_runs_selects_nothing():
    assert MUTATION.select_tests({40}, COVERAGE, ['t.py']) == []


def _traced(tmp_path):
    """Run the tests in tmp_path under the tracer plugin, watching tmp_path/target.py; its JSON answer."""
    out = tmp_path / 'lines.json'
    env = dict(os.environ, HKPOST_MUTATION_TARGET=str(tmp_path / 'target.py'), HKPOST_MUTATION_LINES=str(out),
               PYTHONPATH=os.pathsep.join([ROOT, str(tmp_path)]))
    subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-p', 'no:randomly', '-p',
                    'hack.mutation_lines', '-c', os.devnull, '--rootdir', str(tmp_path), str(tmp_path)],
                   cwd=str(tmp_path), env=env, check=True, capture_output=True)
    return json.loads(out.read_text())


def test_the_tracer_writes_what_the_runner_reads(tmp_path):
    (tmp_path / 'target.py').write_text('VALUE = 1\n\n\ndef double(x):\n    y = x * 2\n    return y\n')
    (tmp_path / 'test_target.py').write_text(textwrap.dedent('''
        import target

        def test_uses_it():
            assert target.double(2) == 4

        def test_does_not():
            assert True
    '''))
    answer = _traced(tmp_path)
    assert answer['tests'] == {'test_target.py::test_uses_it': [4, 5, 6]}
    assert 1 in answer['outside'] and 5 not in answer['outside']
    assert set(answer['seconds']) == {'test_target.py::test_uses_it', 'test_target.py::test_does_not'}
    coverage = dict(answer, tests={k: set(v) for k, v in answer['tests'].items()})
    assert MUTATION.select_tests({5}, coverage, ['x']) == ['test_target.py::test_uses_it']


def test_a_module_fixture_s_lines_belong_to_every_test_that_uses_it(tmp_path):
    # the second test never runs the fixture (its value is cached), yet a mutant in target.double changes what it sees
    (tmp_path / 'target.py').write_text('def double(x):\n    return x * 2\n')
    (tmp_path / 'test_target.py').write_text(textwrap.dedent('''
        import pytest
        import target

        @pytest.fixture(scope='module')
        def four():
            return target.double(2)

        def test_first(four):
            assert four == 4

        def test_second(four):
            assert four > 3

        def test_neither():
            assert True
    '''))
    tests = _traced(tmp_path)['tests']
    assert tests == {'test_target.py::test_first': [1, 2], 'test_target.py::test_second': [1, 2]}


def test_a_kept_traced_run_is_reused_only_while_the_module_and_its_tests_are_unchanged(tmp_path, monkeypatch):
    """``--baselines DIR``: the traced unmutated run (the longest phase for a module called by 50 test files) is read
    back while its fingerprint holds; an edit of the module makes it run again, so no mutant is chosen by stale lines."""
    (tmp_path / 'target.py').write_text('def double(x):\n    return x * 2\n')
    (tmp_path / 'test_target.py').write_text('import target\n\n\ndef test_it():\n    assert target.double(2) == 4\n')
    monkeypatch.setattr(MUTATION, 'ROOT', str(tmp_path))
    monkeypatch.setitem(MUTATION.MODULES, 'target', ['test_target.py'])
    monkeypatch.setattr(MUTATION, '_path', lambda module: module + '.py')
    monkeypatch.setenv('PYTHONPATH', os.pathsep.join([ROOT, str(tmp_path)]))
    keep, scratch = tmp_path / 'keep', tmp_path / 'scratch'
    keep.mkdir()
    scratch.mkdir()
    first = MUTATION._baseline('target', str(tmp_path), str(scratch), str(keep))
    assert first[1]['tests'] == {'test_target.py::test_it': {1, 2}}

    real_run = MUTATION.subprocess.run
    monkeypatch.setattr(MUTATION.subprocess, 'run', lambda *a, **k: pytest.fail('traced again though unchanged'))
    assert MUTATION._baseline('target', str(tmp_path), str(scratch), str(keep))[1]['tests'] == first[1]['tests']

    monkeypatch.setattr(MUTATION.subprocess, 'run', real_run)
    (tmp_path / 'target.py').write_text('\n\ndef double(x):\n    return x * 2\n')  # its lines move
    assert MUTATION._baseline('target', str(tmp_path), str(scratch), str(keep))[1]['tests'] == {
        'test_target.py::test_it': {3, 4}}


def test_a_mutant_s_time_limit_follows_the_tests_it_runs_not_the_whole_map():
    coverage = {'seconds': {'quick': 0.5, 'slow': 40.0}}
    assert MUTATION.time_limit(['quick'], coverage, 4000.0) == 30.0  # at least 30 s: the collection's imports
    assert MUTATION.time_limit(['quick', 'slow'], coverage, 4000.0) == 20.0 + 4 * 40.5
    assert MUTATION.time_limit(['quick', 'slow'], coverage, 100.0) == 100.0  # never more than the whole map's
