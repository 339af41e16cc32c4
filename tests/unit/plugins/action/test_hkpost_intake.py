# -*- coding: utf-8 -*-
"""hkpost_intake on the controller: a real folder and sheet, findings reported, strict refuses everything."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_intake import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.action_harness import run_action


@pytest.fixture
def intake(tmp_path, pki):
    folder = tmp_path / 'intake'
    folder.mkdir()
    (folder / 'www.cer').write_bytes(pki.leaves['standard'].der)
    (folder / 'unknown.pem').write_text(pki.leaves['ev'].pem)
    sheet = tmp_path / 'submission.csv'
    sheet.write_text('host,common_name,certificate_type,public_key_sha256,csr_file\n'
                     'web1,www.example.hk,standard,%s,\n'
                     'web2,*.example.hk,wildcard,%s,\n'
                     % (spki_sha256(pki.leaves['standard'].key.public_key()),
                        spki_sha256(pki.leaves['wildcard'].key.public_key())))
    return folder, sheet


def test_assigns_reports_and_changes_nothing(pki, intake):
    folder, sheet = intake
    result = run_action(ActionModule, {'path': str(folder), 'sheet': str(sheet)}, shell_family='sh')
    assert result['changed'] is False
    assert [c['thumbprint'] for c in result['assignments']['web1']] == [pki.leaves['standard'].thumbprint]
    assert [f['kind'] for f in result['findings']] == ['no_match']
    assert [w['host'] for w in result['waiting']] == ['web2']
    assert (result['files'], result['requests'], result['certificates'], result['errors']) == (2, 2, 1, 0)


def test_hosts_limits_the_requests(pki, intake):
    folder, sheet = intake
    result = run_action(ActionModule, {'path': str(folder), 'sheet': str(sheet), 'hosts': ['web2']}, shell_family='sh')
    assert result['assignments'] == {} and result['requests'] == 1
    # web1's certificate is web1's, outside this run - not a file that "matches nothing" (issue 22)
    assert sorted(f['kind'] for f in result['findings']) == ['no_match', 'other_host']
    other = next(f for f in result['findings'] if f['kind'] == 'other_host')
    assert other['file'] == 'www.cer' and other['host'] == 'web1' and 'outside this run' in other['message']


def test_strict_fails_on_any_finding(intake):
    folder, sheet = intake
    with pytest.raises(AnsibleActionFail, match='strict is set, so nothing is installed'):
        run_action(ActionModule, {'path': str(folder), 'sheet': str(sheet), 'strict': True}, shell_family='sh')


def test_missing_sheet_and_no_requests_are_named(tmp_path, intake):
    folder, _sheet = intake
    with pytest.raises(AnsibleActionFail, match='does not exist'):
        run_action(ActionModule, {'path': str(folder), 'sheet': str(tmp_path / 'nope.csv')}, shell_family='sh')
    with pytest.raises(AnsibleActionFail, match='no pending requests to match'):
        run_action(ActionModule, {'path': str(folder)}, shell_family='sh')


def test_acme_trusted_issuers_read_from_where_ansible_playbook_runs(pki, tmp_path, monkeypatch):
    """The foreign CA's chain of an ACME host, recorded by the ACME phase: accepted with the root given by a relative
    path; a leaf given as an issuer, or a missing file, is refused before anything is matched."""
    import json
    foreign = pki.leaves['foreign']
    folder = tmp_path / 'intake'
    folder.mkdir()
    name = 'acme-web1-www.example.com-0123456789abcdef.pem'
    (folder / name).write_text(foreign.pem)
    spki = spki_sha256(foreign.key.public_key())
    record = {'acme_directory': 'https://acme.example/dir', 'host': 'web1', 'public_key_sha256': spki}
    (folder / (name + '.acme.json')).write_text(json.dumps(record))
    sheet = tmp_path / 'submission.csv'
    sheet.write_text('host,common_name,certificate_type,public_key_sha256,csr_file\nweb1,www.example.com,standard,%s,\n'
                     % spki)
    (tmp_path / 'roots').mkdir()
    (tmp_path / 'roots' / 'acme-root.pem').write_text(pki.foreign_root.pem)
    (tmp_path / 'roots' / 'leaf.pem').write_text(foreign.pem)
    monkeypatch.chdir(tmp_path)
    args = {'path': str(folder), 'sheet': str(sheet)}
    refused = run_action(ActionModule, args, shell_family='sh')
    assert [f['kind'] for f in refused['findings']] == ['not_hkpost'] and refused['assignments'] == {}
    accepted = run_action(ActionModule, dict(args, acme_trusted_issuers={'web1': ['roots/acme-root.pem']}),
                          shell_family='sh')
    assert accepted['findings'] == [] and accepted['assignments']['web1'][0]['issuer'] == 'acme'
    with pytest.raises(AnsibleActionFail, match='not a CA certificate'):
        run_action(ActionModule, dict(args, acme_trusted_issuers={'web1': 'roots/leaf.pem'}), shell_family='sh')
    with pytest.raises(AnsibleActionFail, match='was not found on the controller'):
        run_action(ActionModule, dict(args, acme_trusted_issuers={'web1': ['roots/missing.pem']}), shell_family='sh')
