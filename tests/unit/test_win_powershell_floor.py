# -*- coding: utf-8 -*-
"""The win_powershell emulator models the release this collection declares as its floor, and cites it right.

galaxy.yml and requirements.yml accept ansible.windows >= X; the emulator (tests/support/windows/boundary.py)
must answer as X's win_powershell does, or a payload passing here could fail for a user on X. These tests
hold the declared floor, the modelled release (win_powershell_floor.VERSION), the copy of its source and
every line the emulator cites together, so none of them can move alone.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import os
import re

import pytest
import yaml

from tests.support.windows import boundary, win_powershell_floor as floor

# The emulator's own tables (_OPTIONS, _REQUIRED, _ERROR_ACTIONS) are what is compared with the floor.
# pylint: disable=protected-access

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The emulator: the fake host's files and the WinRM endpoint's.
EMULATOR_FILES = sorted(glob.glob(os.path.join(ROOT, 'tests', 'support', 'windows', '*.py'))
                        + glob.glob(os.path.join(ROOT, 'tests', 'support', 'winrm', '*.py')))
# "ps1 line 37", "ps1 lines 11-40", "win_powershell.ps1 lines 726 and 763-764", "ps1 lines 825-829, 841 and 843-869"
_CITATION = re.compile(r'ps1 lines? (\d+(?:-\d+)?(?:(?:, | and )\d+(?:-\d+)?)*)')
# Where the docs state the ansible.windows floor: "ansible.windows`` 2.4.0 or later", "ansible.windows` (>= 2.4.0".
_DOC_FLOOR = re.compile(r'ansible\.windows(?:\.win_powershell)?`*\s+(?:(\d+\.\d+\.\d+) or later|\(?>= ?(\d+\.\d+\.\d+))')
DOCS = ['README.md'] + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, 'docs', '**', '*.rst'),
                                                                          recursive=True))


def _floor(spec):
    match = re.fullmatch(r'>=\s*(\d+\.\d+\.\d+)', str(spec).strip())
    assert match, 'the ansible.windows requirement %r is not a floor (>=X.Y.Z)' % spec
    return match.group(1)


def test_the_modelled_release_is_the_floor_galaxy_and_requirements_declare():
    with open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8') as f:
        galaxy = yaml.safe_load(f)
    with open(os.path.join(ROOT, 'requirements.yml'), encoding='utf-8') as f:
        requirements = yaml.safe_load(f)
    entry = next(c for c in requirements['collections'] if c['name'] == 'ansible.windows')
    assert _floor(galaxy['dependencies']['ansible.windows']) == floor.VERSION
    assert _floor(entry['version']) == floor.VERSION


@pytest.mark.parametrize('doc', DOCS)
def test_the_docs_state_the_same_floor(doc):
    with open(os.path.join(ROOT, doc), encoding='utf-8') as f:
        text = ' '.join(f.read().split())
    stated = {later or at_least for later, at_least in _DOC_FLOOR.findall(text)}
    assert stated <= {floor.VERSION}, '%s states ansible.windows %s; the floor is %s' % (doc, stated, floor.VERSION)


def test_the_reference_copy_is_that_release_file():
    # git's blob id of the file at the 2.4.0 tag: the copy is byte for byte what that release ships.
    with gzip.open(floor.REFERENCE, 'rb') as f:
        data = f.read()
    assert hashlib.sha1(b'blob %d\0' % len(data) + data).hexdigest() == floor.BLOB
    assert os.path.basename(floor.REFERENCE) == 'win_powershell-%s.ps1.gz' % floor.VERSION


def _citations():
    for path in EMULATOR_FILES:
        with open(path, encoding='utf-8') as f:
            text = ' '.join(f.read().split())
        for match in _CITATION.finditer(text):
            for part in re.split(r', | and ', match.group(1)):
                first, _sep, last = part.partition('-')
                yield os.path.relpath(path, ROOT), (int(first), int(last or first))


def test_every_line_the_emulator_cites_is_a_known_range_of_the_floor():
    cited = list(_citations())
    assert cited, 'no "ps1 line N" citation found: the pattern no longer matches how the emulator cites'
    unknown = sorted({(path, span) for path, span in cited if span not in floor.CITED})
    assert not unknown, ('citations not in win_powershell_floor.CITED (add the range with a text it holds, '
                         'after checking it against %s): %s' % (floor.REFERENCE, unknown))
    unused = sorted(set(floor.CITED) - {span for _path, span in cited})
    assert not unused, 'win_powershell_floor.CITED ranges no file cites: %s' % unused


@pytest.mark.parametrize('span', sorted(floor.CITED), ids=lambda span: '%d-%d' % span)
def test_each_cited_range_holds_what_it_is_cited_for(span):
    lines = floor.reference_lines()
    first, last = span
    assert 1 <= first <= last <= len(lines)
    assert floor.CITED[span] in '\n'.join(lines[first - 1:last]), (span, lines[first - 1:last])


def test_the_emulated_argument_spec_is_the_floor_spec():
    # ps1 lines 11-40: each top-level option is `        name = @{ ... }` (eight spaces) inside options.
    spec = '\n'.join(floor.reference_lines()[10:40])
    options = dict(re.findall(r'^ {8}(\w+) = @\{(.*)$', spec, re.M))
    assert set(options) == set(boundary._OPTIONS)
    assert sorted(k for k, v in options.items() if 'required = $true' in v) == sorted(boundary._REQUIRED)
    for name, (kind, default) in boundary._OPTIONS.items():
        assert "type = '%s'" % kind in options[name] or (kind == 'list' and name == 'sensitive_parameters'), name
        if default is not None:
            assert ('default = %s' % ('$false' if default is False else
                                      "'%s'" % default if isinstance(default, str) else default)) in options[name]
    assert re.findall(r"'(\w+)'", options['error_action'].split('choices =')[1].split(';')[0]) == \
        list(boundary._ERROR_ACTIONS)


def test_options_newer_than_the_floor_are_refused_as_the_floor_refuses_them():
    # path and remote_src came in 3.1.0: 2.4.0's Ansible.Basic refuses them; script is required there.
    result = boundary.run({'path': 'C:\\x.ps1', '_ansible_module_name': 'ansible.windows.win_powershell'},
                          lambda p, s: None)
    assert result['failed'] and result['msg'].startswith(
        'Unsupported parameters for (ansible.windows.win_powershell) module: path. Supported parameters include: ')
    assert 'path' not in result['msg'].split('include: ')[1].split(', ')
    result = boundary.run({'parameters': {}}, lambda p, s: None)
    assert result == {'failed': True, 'msg': 'missing required arguments: script'}
