# -*- coding: utf-8 -*-
"""hkpost_run_check's checks (issue 22, "Silence is not success"): a run that would do nothing says so."""

from __future__ import annotations

import re

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._run_check import check_targets
from ansible_collections.hkpost.ecert.plugins.plugin_utils._known_variables import known_variables

KNOWN = known_variables()
CERTS = [{'common_name': 'www.example.com.hk'}]


def _check(term_matches, targeted, variables, certificates='required', pattern='ecert_servers', limit=None):
    return check_targets(pattern, term_matches, targeted, variables, KNOWN, certificates, limit)


@pytest.mark.parametrize('pattern, term_matches, targeted, limit, message', [
    # the group does not exist, or is empty: ansible-core warns and exits 0
    ('ecert_servers', [('ecert_servers', [])], [], None, r"'ecert_servers', which matches no host"),
    # one part of a list misspelt: the rest would run, the misspelt host silently not
    ('web01,wbe02', [('web01', ['web01']), ('wbe02', [])], ['web01'], None, r"names 'wbe02', which matches no host"),
    # an exclusion that excludes nothing is a typo all the same
    ('ecert_servers:!db01', [('ecert_servers', ['web01']), ('db01', [])], ['web01'], None, r"names 'db01'"),
    # every part matches, but --limit leaves none of them
    ('ecert_servers', [('ecert_servers', ['web01'])], [], 'db01', r"within --limit 'db01' selects no host"),
])
def test_a_pattern_that_selects_nothing_is_an_error_naming_it(pattern, term_matches, targeted, limit, message):
    found = _check(term_matches, targeted, {h: {'hkpost_certificates': CERTS} for h in targeted}, pattern=pattern,
                   limit=limit)
    assert len(found['errors']) == 1
    assert re.search(message, found['errors'][0]), found['errors']
    assert '--limit' in found['errors'][0]   # and how to pick hosts instead


def test_a_misspelt_part_of_the_limit_is_named():
    found = check_targets('ecert_servers', [('ecert_servers', ['web01', 'web02'])], ['web01'],
                          {'web01': {'hkpost_certificates': CERTS}}, KNOWN, limit='web01,wbe02',
                          limit_matches=[('web01', ['web01']), ('wbe02', [])])
    assert found['errors'] == ["--limit 'web01,wbe02' names 'wbe02', which matches no host of the inventory; correct "
                               "it, or leave it out."]


def test_hosts_that_say_what_they_need_pass():
    found = _check([('ecert_servers', ['web01', 'web02'])], ['web02', 'web01'],
                   {'web01': {'hkpost_certificates': CERTS, 'hkpost_platform': None},
                    'web02': {'hkpost_certificates': CERTS, 'hkpost_iis_verify': None, 'hkpost_audit_title': None}})
    assert found == {'errors': [], 'warnings': [], 'hosts': ['web01', 'web02']}


@pytest.mark.parametrize('certificates, errors, warnings', [
    ('required', 1, 0),   # request, install, renew: the host would do nothing
    ('optional', 0, 1),
    ('ignored', 0, 0),    # migrate_intermediate, backup, restore, dcv do not read it
])
def test_a_host_without_certificates_is_reported_as_the_playbook_needs(certificates, errors, warnings):
    found = _check([('ecert_servers', ['web01'])], ['web01'], {'web01': {}}, certificates=certificates)
    assert (len(found['errors']), len(found['warnings'])) == (errors, warnings), found
    assert all('web01 has no hkpost_certificates' in m for m in found['errors'] + found['warnings'])


@pytest.mark.parametrize('name', ['hkpost_iis_certificate_file', 'hkpost_exchange_certificates', 'hkpost_csr_certificates'])
def test_a_role_variable_naming_the_certificates_is_enough(name):
    found = _check([('ecert_servers', ['web01'])], ['web01'], {'web01': {name: 'given'}})
    assert found['errors'] == [] and found['warnings'] == []


def test_a_misspelt_certificates_list_is_named_with_the_right_name():
    found = _check([('ecert_servers', ['web01'])], ['web01'], {'web01': {'hkpost_certificate': None}})
    assert found['errors'] == [
        "host web01 has no hkpost_certificates (the certificates it needs; certificates_list.rst); it sets "
        "'hkpost_certificate' - did you mean 'hkpost_certificates'? Add the list to its host_vars, or leave the host "
        "out with --limit."]
    assert found['warnings'] == [
        "hkpost_certificate set for web01 has no effect: no role or playbook of hkpost.ecert reads it. Did you mean "
        "'hkpost_certificates'?"]


def test_an_unknown_variable_is_reported_once_with_its_hosts_even_where_certificates_are_not_read():
    found = _check([('all', ['a', 'b'])], ['a', 'b'],
                   {'a': {'hkpost_chain_serail': None}, 'b': {'hkpost_chain_serail': None, 'hkpost_my_own': None}},
                   certificates='ignored')
    assert found['errors'] == []
    assert len(found['warnings']) == 2
    assert found['warnings'][0].startswith('hkpost_chain_serail set for a, b has no effect')
    assert "Did you mean 'hkpost_chain_serial'" in found['warnings'][0]
    assert found['warnings'][1] == 'hkpost_my_own set for b has no effect: no role or playbook of hkpost.ecert reads it.'


def test_the_known_variables_come_from_the_roles_and_the_table_of_the_guide():
    assert {'hkpost_csr_organization', 'hkpost_iis_backup', 'hkpost_dcv_certificates'} <= KNOWN   # argument_specs
    assert {'hkpost_hosts', 'hkpost_certificates', 'hkpost_backup_password'} <= KNOWN            # collection-wide
    assert {'hkpost_renew_list_file', 'hkpost_install_serial', 'hkpost_audit_group'} <= KNOWN    # entry points
    assert {'hkpost_acme_directory', 'hkpost_acme_eab_hmac'} <= KNOWN   # the acme role (formerly a playbook's table)
    assert 'hkpost_certificate' not in KNOWN   # the prose around the table is not read as a row
