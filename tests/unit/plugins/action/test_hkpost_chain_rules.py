# -*- coding: utf-8 -*-
"""hkpost_chain rules the mutation run (issue 21) found no test pinning: the options are checked before any file
is read, and the diff is returned only when asked for."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from tests.support.windows.host import FakeWindowsHost
from tests.unit.plugins.action.test_hkpost_chain import chain, files  # noqa: F401  # pylint: disable=unused-import


def test_the_options_are_refused_before_any_file_is_read(files, tmp_path):  # pylint: disable=redefined-outer-name
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='warn_days is -1') as err:
        chain(host, files, warn_days=-1, ssl_intermediate_file=str(tmp_path / 'not-there.pem'))
    assert 'not-there' not in str(err.value) and host.call_names() == []


def test_no_diff_unless_asked(files):  # pylint: disable=redefined-outer-name
    host = FakeWindowsHost()
    result = chain(host, files, check_mode=True)
    assert result['changed'] is True and 'diff' not in result
    assert chain(host, files, check_mode=True, diff=True)['diff']['after'] != {}
