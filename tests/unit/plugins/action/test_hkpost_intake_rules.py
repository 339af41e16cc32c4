# -*- coding: utf-8 -*-
"""hkpost_intake's own decisions (issue 21, mutation survivors): path required and no connection, requests as data
merged after the sheet, the hosts limit, what the "nothing to match" message names, strict only on findings, and the
acme_trusted_issuers option's shapes, each file read once."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action import hkpost_intake
from ansible_collections.hkpost.ecert.plugins.action.hkpost_intake import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.action_harness import run_action


def run(args):
    return run_action(ActionModule, args, shell_family='sh')


@pytest.fixture
def intake(tmp_path, pki):
    folder = tmp_path / 'intake'
    folder.mkdir()
    (folder / 'www.cer').write_bytes(pki.leaves['standard'].der)
    sheet = tmp_path / 'submission.csv'
    sheet.write_text('host,common_name,certificate_type,public_key_sha256,csr_file\n'
                     'web1,www.example.hk,standard,%s,\n'
                     'web2,*.example.hk,wildcard,%s,\n'
                     % (spki_sha256(pki.leaves['standard'].key.public_key()),
                        spki_sha256(pki.leaves['wildcard'].key.public_key())))
    return folder, sheet


def test_path_is_required_and_no_connection_is_opened():
    with pytest.raises(AnsibleActionFail, match='missing required arguments: path'):
        run({})
    # The intake folder is on the controller: the task runs for hosts that need not be reachable.
    assert ActionModule._requires_connection is False


def test_requests_as_data_are_merged_after_the_sheet(pki, intake):
    folder, sheet = intake
    # The request as data names no certificate_type ("standard" by default): the sheet's wildcard stays.
    spki = spki_sha256(pki.leaves['wildcard'].key.public_key())
    (folder / 'wildcard.cer').write_bytes(pki.leaves['wildcard'].der)
    result = run({'path': str(folder), 'sheet': str(sheet),
                  'requests': [{'host': 'web2', 'public_key_sha256': spki, 'pending_thumbprint': 'ab' * 20},
                               {'host': 'web3', 'public_key_sha256': spki_sha256(pki.leaves['ev'].key.public_key()),
                                'common_name': 'ev.example.hk'}]})
    assert result['requests'] == 3
    web2 = result['assignments']['web2'][0]
    assert result['findings'] == [] and web2['file'] == 'wildcard.cer'
    assert web2['certificate_type'] == 'wildcard' and web2['pending_thumbprint'] == 'AB' * 20


def test_requests_as_data_alone_are_matched(pki, intake):
    folder, _sheet = intake
    result = run({'path': str(folder), 'requests': [
        {'host': 'web1', 'public_key_sha256': spki_sha256(pki.leaves['standard'].key.public_key()),
         'common_name': 'www.example.hk'}]})
    assert [c['thumbprint'] for c in result['assignments']['web1']] == [pki.leaves['standard'].thumbprint]


def test_hosts_keeps_the_requests_of_the_hosts_named(intake):
    folder, sheet = intake
    assert run({'path': str(folder), 'sheet': str(sheet), 'hosts': ['web1']})['requests'] == 1


@pytest.mark.parametrize('extra,fragment', [
    ({}, r'\(sheet not given, 0 requests given\)'),
    ({'hosts': ['web9']}, r'\(sheet .*submission\.csv, 0 requests given, limited to hosts web9\)'),
])
def test_nothing_to_match_names_the_sheet_and_the_hosts_limit(intake, extra, fragment):
    folder, sheet = intake
    args = dict({'path': str(folder)}, **extra)
    if extra:
        args['sheet'] = str(sheet)
    with pytest.raises(AnsibleActionFail, match='no pending requests to match ' + fragment):
        run(args)


def test_strict_fails_only_on_findings_and_returns_the_match(pki, intake):
    folder, sheet = intake
    clean = run({'path': str(folder), 'sheet': str(sheet), 'strict': True})
    assert clean['findings'] == [] and clean['certificates'] == 1
    (folder / 'unknown.pem').write_text(pki.leaves['ev'].pem)
    with pytest.raises(AnsibleActionFail) as e:
        run({'path': str(folder), 'sheet': str(sheet), 'strict': True})
    assert [f['kind'] for f in e.value.result['findings']] == ['no_match'] and e.value.result['certificates'] == 1


@pytest.mark.parametrize('files', [None, ''], ids=['null', 'empty'])
def test_a_host_with_no_issuer_files_has_an_empty_allow_list(intake, files):
    folder, sheet = intake
    assert run({'path': str(folder), 'sheet': str(sheet), 'acme_trusted_issuers': {'web1': files}})['certificates'] == 1


@pytest.mark.parametrize('files', [42, [''], [42], {'a': 'b'}],
                         ids=['a number', 'an empty path', 'a number in the list', 'a dictionary'])
def test_acme_trusted_issuers_of_another_shape_are_refused(intake, files):
    folder, sheet = intake
    with pytest.raises(AnsibleActionFail, match='acme_trusted_issuers.web1: give a list of PEM file paths'):
        run({'path': str(folder), 'sheet': str(sheet), 'acme_trusted_issuers': {'web1': files}})


def test_an_issuer_file_named_for_two_hosts_is_read_once(pki, intake, tmp_path, monkeypatch):
    folder, sheet = intake
    root = tmp_path / 'acme-root.pem'
    root.write_text(pki.foreign_root.pem)
    reads = []
    real = hkpost_intake.read_controller_file

    def counting(action, what, path):
        reads.append(path)
        return real(action, what, path)
    monkeypatch.setattr(hkpost_intake, 'read_controller_file', counting)
    run({'path': str(folder), 'sheet': str(sheet), 'acme_trusted_issuers': {'web1': str(root), 'web2': [str(root)]}})
    assert reads == [str(root)]
