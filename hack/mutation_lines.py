# -*- coding: utf-8 -*-
"""pytest plugin for hack/mutation.py: which test executes which line of the module under mutation.

Loaded by the baseline run (``-p hack.mutation_lines``) with two environment variables: the file to watch
(HKPOST_MUTATION_TARGET) and where to write the answer (HKPOST_MUTATION_LINES). It writes JSON:
``{"tests": {nodeid: [line, ...]}, "outside": [line, ...], "seconds": {nodeid: s}}`` - "outside" are the lines run
while no test runs (module import at collection, session fixtures), which any test may depend on.

Why a tracer of our own and not coverage.py's per-test contexts: it is the one thing needed (lines of one file per
test), sys.settrace does it in 40 lines, and it keeps the mutation runner free of a dependency the tests do not use.
A mutant whose lines no test executes cannot change what any test sees; one whose lines some tests execute is run
against those tests only, quickest first. A fixture wider than one test (module, session scope) runs once, inside the
first test that asks for it: its lines are given to every test that uses it.
"""

import json
import os
import sys
import threading
import time

import pytest

TARGET = os.path.realpath(os.environ.get('HKPOST_MUTATION_TARGET', '/nonexistent'))
_seen = {}
_tests = {}
_outside = set()
_seconds = {}
_current = [None]
_fixture_lines = {}


def _is_target(filename):
    answer = _seen.get(filename)
    if answer is None:
        answer = _seen[filename] = os.path.realpath(filename) == TARGET
    return answer


def _record(line):
    test = _current[0]
    (_outside if test is None else _tests.setdefault(test, set())).add(line)


def _local(frame, event, _arg):
    if event == 'line':
        _record(frame.f_lineno)
    return _local


def _global(frame, _event, _arg):
    if _is_target(frame.f_code.co_filename):
        _record(frame.f_lineno)
        return _local
    return None


def pytest_configure(config):  # pylint: disable=unused-argument
    sys.settrace(_global)
    threading.settrace(_global)  # the loopback servers some action tests start answer in threads


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):  # pylint: disable=unused-argument
    """A fixture wider than one test runs inside the first test that asks for it; its lines belong to every test
    that uses its value, so they are kept apart and given to each such test when it runs."""
    if fixturedef.scope == 'function':
        yield
        return
    before = set(_tests.get(_current[0], ()))
    _tests[_current[0]] = set()
    yield
    ran = _tests[_current[0]]
    _fixture_lines.setdefault(id(fixturedef), set()).update(ran)
    _tests[_current[0]] = before | ran


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):  # pylint: disable=unused-argument
    _current[0] = item.nodeid
    started = time.monotonic()
    yield
    _seconds[item.nodeid] = time.monotonic() - started
    for defs in getattr(getattr(item, '_fixtureinfo', None), 'name2fixturedefs', {}).values():
        for fixturedef in defs:
            if id(fixturedef) in _fixture_lines:
                _tests.setdefault(item.nodeid, set()).update(_fixture_lines[id(fixturedef)])
    _current[0] = None


def pytest_unconfigure(config):  # pylint: disable=unused-argument
    sys.settrace(None)
    threading.settrace(None)
    out = os.environ.get('HKPOST_MUTATION_LINES')
    if out:
        with open(out, 'w', encoding='utf-8') as handle:
            json.dump({'tests': {k: sorted(v) for k, v in _tests.items()}, 'outside': sorted(_outside),
                       'seconds': _seconds}, handle)
