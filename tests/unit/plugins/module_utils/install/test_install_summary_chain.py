# -*- coding: utf-8 -*-
"""The install summary reads the chain's outcome from hkpost_install's RETURN ``chain`` (install.yml migrates the
chain in the install's one task): changed, already right, failed (a chain step failed: ``not_applied``), and an
unreachable host from the install's unreachable result; the recorded chain only when the result has none."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.install._summary import host_row


def row(facts):
    return host_row('web1', facts)


def test_the_chain_comes_from_the_install_result():
    found = row({'hkpost_install_result': {'platform': 'iis', 'certificates': [], 'changed': True,
                                           'chain': {'changed': True, 'plan': [{'op': 'add_cert'}]}}})
    assert found['chain'] == 'changed' and found['status'] == 'installed' and found['changed'] is True
    right = row({'hkpost_install_result': {'certificates': [], 'changed': False, 'chain': {'changed': False}},
                 'hkpost_chain_result': {'changed': True}})
    assert right['chain'] == 'already right' and right['status'] == 'nothing issued'


def test_a_failed_chain_step_reads_failed_and_an_unreachable_install_unreachable():
    failed = row({'hkpost_install_result': {'failed': True, 'chain': {'changed': True, 'not_applied': [{}]}},
                  'hkpost_install_error': 'the chain write stopped at step 2'})
    assert failed['chain'] == 'failed' and failed['status'] == 'failed'
    applied = row({'hkpost_install_result': {'failed': True, 'chain': {'changed': True, 'applied': [{}]}},
                   'hkpost_install_error': 'binding refused'})
    assert applied['chain'] == 'changed' and applied['status'] == 'failed'
    unreachable = row({'hkpost_install_result': {'unreachable': True, 'msg': 'timed out'},
                       'hkpost_install_error': 'unreachable: timed out'})
    assert unreachable['status'] == 'unreachable' and unreachable['chain'] == 'failed'


def test_the_recorded_chain_is_read_only_when_the_install_result_has_none():
    assert row({'hkpost_install_result': {'changed': False}, 'hkpost_chain_result': {'changed': True}})['chain'] == 'changed'
    assert row({'hkpost_install_result': {'chain': None}, 'hkpost_chain_result': {'changed': False}})['chain'] == \
        'already right'
    assert row({})['status'] == 'not run'
