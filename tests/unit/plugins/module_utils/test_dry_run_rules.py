# -*- coding: utf-8 -*-
"""keep_rows_of_other_hosts' rules for what it finds written before (issue 21): a run that reports no rows of its
own keeps every earlier row, and a report file that holds no rows - or entries that are not rows - adds none and
does not stop the run (only text that is not JSON does, test_dry_run.py)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._dry_run import keep_rows_of_other_hosts

EARLIER = [{'host': 'web1', 'status': 'installed'}, {'host': 'web2', 'status': 'failed'}]


def test_a_run_with_no_rows_of_its_own_keeps_the_rows_of_the_hosts_it_did_not_run_on():
    merged = keep_rows_of_other_hosts({'rows': [], 'counts': {}}, json.dumps(EARLIER), ['web2'])
    assert merged['rows'] == [{'host': 'web1', 'status': 'installed'}]
    assert keep_rows_of_other_hosts({'rows': []}, json.dumps(EARLIER), [])['rows'] == EARLIER


@pytest.mark.parametrize('previous', ['null', '{}', '{"hosts": null}', '[]'])
def test_a_report_written_before_without_rows_adds_none(previous):
    summary = {'rows': [{'host': 'web2', 'status': 'installed'}]}
    assert keep_rows_of_other_hosts(summary, previous, ['web2'])['rows'] == summary['rows']


def test_entries_of_the_report_written_before_that_are_not_rows_are_left_out():
    previous = json.dumps(['web1', 7, None, ['web3'], {'host': 'web4', 'status': 'installed'}])
    summary = {'rows': [{'host': 'web2', 'status': 'installed'}]}
    assert keep_rows_of_other_hosts(summary, previous, ['web2'])['rows'] == [
        {'host': 'web2', 'status': 'installed'}, {'host': 'web4', 'status': 'installed'}]


def test_a_host_with_a_row_of_this_run_is_not_given_its_earlier_row_too():
    # results may cover a host the caller's ``hosts`` leaves out: it must still have one row, this run's
    summary = {'rows': [{'host': 'web2', 'status': 'installed'}]}
    assert keep_rows_of_other_hosts(summary, json.dumps(EARLIER), ['web3'])['rows'] == [
        {'host': 'web1', 'status': 'installed'}, {'host': 'web2', 'status': 'installed'}]
