# -*- coding: utf-8 -*-
"""Controller result files' rules (issue 21, mutation survivors of _controller_files): which destinations are refused
before anything runs, what check mode writes, and what a failed write leaves behind."""

from __future__ import annotations

import os

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import check_destination, write_if_changed
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError


@pytest.mark.parametrize('blank', [' ', ' \t '])
def test_a_blank_destination_is_refused_as_empty(tmp_path, monkeypatch, blank):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(HkpostError, match=r'^csr_path is empty; give a path on the controller\.$'):
        check_destination('csr_path', blank)


@pytest.mark.parametrize('missing', [['sub'], ['sub', 'deeper'], ['sub', 'deeper', 'deepest']])
def test_a_destination_under_a_file_several_missing_levels_down_is_refused_naming_that_file(tmp_path, missing):
    (tmp_path / 'a-file').write_text('not a directory')
    dest = tmp_path.joinpath('a-file', *missing, 'www.csr')
    with pytest.raises(HkpostError, match=r'^csr_path: %s cannot be created because %s is a file, not a directory'
                       % (dest, tmp_path / 'a-file')):
        check_destination('csr_path', str(dest))


def test_a_destination_whose_missing_directories_can_be_created_is_accepted(tmp_path):
    dest = tmp_path / 'sub' / 'deeper' / 'www.csr'
    assert check_destination('csr_path', str(dest)) == str(dest)


def test_check_mode_reports_a_new_or_changed_file_and_writes_nothing(tmp_path):
    new, old = tmp_path / 'out' / 'new.csr', tmp_path / 'old.csr'
    old.write_text('before')
    assert write_if_changed(str(new), 'csr', check_mode=True) is True
    assert write_if_changed(str(old), 'after', check_mode=True) is True
    assert not new.parent.exists()
    assert old.read_text() == 'before'
    assert write_if_changed(str(old), 'before', check_mode=True) is False


def test_a_failed_write_leaves_no_temporary_file_and_the_old_file_untouched(tmp_path, monkeypatch):
    old = tmp_path / 'report.json'
    old.write_text('before')

    def refused(_src, _dst):
        raise PermissionError(13, 'Permission denied')  # e.g. the old file is locked or read-only on a share

    monkeypatch.setattr(os, 'replace', refused)
    with pytest.raises(PermissionError):
        write_if_changed(str(old), 'after')
    assert sorted(os.listdir(tmp_path)) == ['report.json']
    assert old.read_text() == 'before'
