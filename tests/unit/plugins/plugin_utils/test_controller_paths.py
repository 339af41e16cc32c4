# -*- coding: utf-8 -*-
"""One path rule for input files (issue 22): relative to where ansible-playbook runs, as the outputs are."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.plugin_utils._controller_input import read_controller_file


class _Action:
    """An action whose ``_find_needle`` would find the file inside the collection, as the old rule did."""

    def __init__(self, found):
        self.found = found

    def _find_needle(self, _kind, _path):
        return self.found


def test_a_relative_path_is_read_from_the_directory_ansible_playbook_runs_in(tmp_path, monkeypatch):
    project, collection = tmp_path / 'project', tmp_path / 'collection'
    project.mkdir()
    collection.mkdir()
    (project / 'chain.pem').write_text('the user\'s file')
    (collection / 'chain.pem').write_text('a file inside the installed collection')
    monkeypatch.chdir(project)
    assert read_controller_file(_Action(str(collection / 'chain.pem')), 'ssl_intermediate_file',
                                'chain.pem') == b"the user's file"


def test_a_relative_path_missing_from_that_directory_names_it_and_never_looks_elsewhere(tmp_path, monkeypatch):
    (tmp_path / 'collection').mkdir()
    (tmp_path / 'collection' / 'chain.pem').write_text('inside the collection')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnsibleActionFail, match=r"chain\.pem: %s/chain\.pem was not found on the controller \(a "
                                                r"relative path is taken from the directory ansible-playbook runs in, "
                                                % tmp_path):
        read_controller_file(_Action(str(tmp_path / 'collection' / 'chain.pem')), 'chain.pem', 'chain.pem')
