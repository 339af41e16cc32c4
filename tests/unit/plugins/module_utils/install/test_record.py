# -*- coding: utf-8 -*-
"""renew.yml's install-phase row for one host says what happened, and only that (issue 22)."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.install._record import install_record

WWW = {'common_name': 'www.example.hk', 'thumbprint': 'AA'}


@pytest.mark.parametrize('results, check_mode, detail', [
    ([{'changed': True}], False, 'installed www.example.hk'),
    ([{'changed': False}], False, 'already installed www.example.hk'),   # a rerun
    ([{'changed': True}], True, 'would install www.example.hk'),        # a dry run
    ([{'changed': False}], True, 'already installed www.example.hk'),
    ([{'changed': False}, {'changed': True}], False, 'installed www.example.hk'),   # Exchange: one per certificate
])
def test_installed_already_installed_or_would_install(results, check_mode, detail):
    row = install_record([WWW], results, check_mode=check_mode)
    assert (row['status'], row['detail'], row['installed']) == ('ok', detail, ['AA'])


def test_retired_and_kept_are_named_and_a_dry_run_would_retire():
    retire = {'retired': [{'thumbprint': 'OLD'}], 'kept': [{'thumbprint': 'SHARED'}]}
    assert install_record([WWW], [{'changed': True}], retire)['detail'] == \
        'installed www.example.hk; retired OLD; kept SHARED'
    assert install_record([WWW], [{'changed': True}], retire, check_mode=True)['detail'] == \
        'would install www.example.hk; would retire OLD; kept SHARED'


def test_a_host_outside_the_cycle_is_not_waiting():
    row = install_record([], [], waiting=[])
    assert row['status'] == 'skipped' and 'not in this renewal cycle' in row['detail']
    row = install_record([], [], waiting=[{'host': 'web1', 'common_name': 'www.example.hk'}])
    assert row['status'] == 'waiting' and row['detail'] == 'no certificate in the intake folder yet for www.example.hk'
