# -*- coding: utf-8 -*-
"""hkpost_preflight's own rules, one test each (issue 21): which options it refuses before any lookup, which trust
anchor and resolvers it uses when the task names none, that a name given twice is checked once, and that the
options documented in plugins/modules/hkpost_preflight.py are the ones it validates.

Lookups go to a real BIND 9 serving a small signed tree (tests/support/peers/bind_dnssec.py), as in
test_hkpost_preflight.py; where the rule is about the controller's own defaults (its root anchor files, its
resolvers) those are pointed at the tree, since a test cannot rely on what the machine has installed.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_preflight import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dnssec
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns as _dcv_dns
from tests.support.module_docs import documented_options
# the signed tree (BIND 9) and the task runner of the module's main tests
from tests.unit.plugins.action.test_hkpost_preflight import run, tree  # noqa: F401  # pylint: disable=unused-import


def test_documented_options_are_the_ones_validated():
    options = documented_options('hkpost_preflight')
    spec = ActionModule.ARGUMENT_SPEC
    assert set(options) == set(spec)
    for name, option in options.items():
        for key in ('type', 'default', 'choices', 'elements', 'required'):
            stated = spec[name].get(key)
            assert option.get(key) == (list(stated) if isinstance(stated, tuple) else stated), (name, key)


def test_without_dnspython_the_task_says_what_to_install(tree, monkeypatch):
    monkeypatch.setattr(_dcv_dns, 'DNS_IMPORT_ERROR', "No module named 'dns'")
    with pytest.raises(AnsibleActionFail, match=r"needs dnspython on the controller \(pip install dnspython\): "
                                                r"No module named 'dns'"):
        run(tree)


def test_timeout_is_one_second_or_more(tree):
    with pytest.raises(AnsibleActionFail, match='timeout must be 1 second or more'):
        run(tree, timeout=0)
    one = run(tree, timeout=1)
    assert one['refused'] == [] and one['names'][0]['dnssec']['status'] == 'secure'


def test_domains_must_be_given_and_not_empty(tree):
    with pytest.raises(AnsibleActionFail, match='missing required arguments: domains'):
        run(tree, domains=None)
    with pytest.raises(AnsibleActionFail, match='domains is empty; list every name in the certificate'):
        run(tree, domains=[])


def test_a_dnssec_only_check_needs_no_caa_issuer_domains(tree):
    result = run(tree, checks=['dnssec'], caa_issuer_domains=[])
    assert result['refused'] == [] and not result.get('failed')
    assert result['names'][0]['caa'] is None and result['names'][0]['dnssec']['status'] == 'secure'


def test_a_name_given_twice_is_checked_and_reported_once_under_its_first_spelling(tree):
    result = run(tree, domains=['WWW.Good.test', 'www.good.test'])
    assert [(e['name'], e['ascii_name']) for e in result['names']] == [('WWW.Good.test', 'www.good.test')]


def test_without_a_trust_anchor_option_the_controllers_root_anchor_is_used(tree, tmp_path, monkeypatch):
    # dns-root-data's two files: root.ds absent, root.key present -> the second one is read.
    files = (str(tmp_path / 'root.ds'), str(tmp_path / 'root.key'))
    (tmp_path / 'root.key').write_text(tree.anchor)
    monkeypatch.setattr(_dnssec, 'ROOT_ANCHOR_FILES', files)
    result = run(tree, dnssec_trust_anchor=None)
    assert result['trust_anchor'] == 'root (%s, %s)' % files
    assert result['names'][0]['dnssec']['status'] == 'secure' and not result.get('warnings')


def test_without_any_trust_anchor_dnssec_is_reported_not_checked(tree, tmp_path, monkeypatch):
    monkeypatch.setattr(_dnssec, 'ROOT_ANCHOR_FILES', (str(tmp_path / 'root.ds'), str(tmp_path / 'root.key')))
    result = run(tree, dnssec_trust_anchor=None)
    assert result['trust_anchor'] is None and result['refused'] == [] and not result.get('failed')
    assert result['names'][0]['dnssec']['status'] == 'no_anchor'
    assert result['warnings'] == ['www.good.test: DNSSEC not checked: no trust anchor (give dnssec_trust_anchor)']
    assert result['names'][0]['caa']['allowed'] is True   # the CAA check still ran


def test_without_nameservers_the_controllers_resolvers_are_asked(tree, monkeypatch):
    # Stands in for /etc/resolv.conf (dnspython's Resolver), which cannot point at the tree's port.
    monkeypatch.setattr(_dcv_dns, 'system_servers', lambda: [('127.0.0.1', tree.port)])
    result = run(tree, nameservers=None)
    assert result['refused'] == [] and not result.get('warnings')
    assert result['names'][0]['caa']['owner'] == 'good.test'
    assert result['names'][0]['dnssec']['status'] == 'secure'
