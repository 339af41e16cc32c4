# -*- coding: utf-8 -*-
"""check_targets' rules the first tests left open (issue 21): how the message names what selects nothing, what
holds without the list of known names, and how many hosts a warning names."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._run_check import check_targets

KNOWN = {'hkpost_hosts', 'hkpost_certificates', 'hkpost_iis_backup'}
CERTS = [{'common_name': 'www.example.com.hk'}]


def test_a_pattern_whose_parts_all_match_but_select_nothing_together_is_named_without_a_limit():
    # web and db servers both exist, none is both: every part matches, the intersection is empty
    found = check_targets('ecert_servers:&db', [('ecert_servers', ['web01']), ('db', ['db01'])], [], {}, KNOWN)
    assert len(found['errors']) == 1
    assert found['errors'][0].startswith("the host pattern 'ecert_servers:&db' selects no host, so nothing would be "
                                         "done. Put the hosts in the inventory group ecert_servers")


def test_without_the_known_names_the_hosts_are_still_checked():
    # the guide could not be read (hkpost_run_check warns so): names are not judged, certificates still are
    found = check_targets('ecert_servers', [('ecert_servers', ['web01', 'web02'])], ['web01', 'web02'],
                          {'web01': {'hkpost_certificates': CERTS, 'hkpost_iis_bakup': None},
                           'web02': {'hkpost_iis_bakup': None}}, None)
    assert found['warnings'] == []
    assert [e.split(' (')[0] for e in found['errors']] == ['host web02 has no hkpost_certificates']


def _unknown_on(count):
    hosts = ['web%02d' % n for n in range(1, count + 1)]
    found = check_targets('ecert_servers', [('ecert_servers', hosts)], hosts,
                          {h: {'hkpost_certificates': CERTS, 'hkpost_iis_bakup': None} for h in hosts}, KNOWN)
    assert found['errors'] == []
    return found['warnings']


@pytest.mark.parametrize('count, named', [
    (1, 'web01'),
    (5, 'web01, web02, web03, web04, web05'),
    (6, 'web01, web02, web03, web04, web05 and 1 more hosts'),
    (7, 'web01, web02, web03, web04, web05 and 2 more hosts'),
])
def test_a_warning_names_up_to_five_hosts_and_counts_the_rest(count, named):
    assert _unknown_on(count) == ["hkpost_iis_bakup set for %s has no effect: no role or playbook of hkpost.ecert "
                                  "reads it. Did you mean 'hkpost_iis_backup'?" % named]
