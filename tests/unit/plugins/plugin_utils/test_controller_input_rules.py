# -*- coding: utf-8 -*-
"""Controller input files' rules (issue 21, mutation survivors of plugin_utils/_controller_input)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.host import FakeWindowsHost


@pytest.mark.parametrize('blank', [' ', '   \t'])
def test_a_blank_path_is_refused_as_empty_naming_the_option_before_the_host_is_read(tmp_path, monkeypatch, blank):
    # A blank path is not "a file called ' ' in the current directory": the operator left the option empty
    # (an unset variable, a template that rendered to spaces).
    monkeypatch.chdir(tmp_path)
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail) as failed:
        run_action(ActionModule, {'state': 'imported', 'src': blank, 'password': 'Pfx-Input-Rules-1'}, host=host)
    assert str(failed.value) == 'src is empty; give the path of a file on the controller.'
    assert not host.calls
