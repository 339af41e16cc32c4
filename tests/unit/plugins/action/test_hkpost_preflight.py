# -*- coding: utf-8 -*-
"""hkpost_preflight end to end on the controller against a real BIND 9 serving a signed tree with CAA records:
one run checks every name, refuses what the CA would refuse (naming the record or signature) and only warns
where it could not check."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_preflight import ActionModule
from tests.support.action_harness import run_action
from tests.support.peers.bind_dnssec import SignedTree

HKPOST = '@ IN CAA 0 issue "hongkongpost.gov.hk"'


@pytest.fixture(scope='module')
def tree(tmp_path_factory):
    server = SignedTree(tmp_path_factory.mktemp('bind-preflight'), {
        'good': {'records': ['www IN A 127.0.0.1', HKPOST]},
        'other': {'records': ['www IN A 127.0.0.1', '@ IN CAA 0 issue "letsencrypt.org"']},
        'plain': {'mode': 'unsigned', 'records': ['www IN A 127.0.0.1']},
        'broken': {'mode': 'tampered', 'records': ['www IN A 127.0.0.1', HKPOST],
                   'tamper': ('"hongkongpost.gov.hk"', '"hongkongpost.gov.hx"')},
    }).start()
    yield server
    server.stop()


def run(tree, **kwargs):
    args = {'domains': ['www.good.test'], 'nameservers': ['127.0.0.1:%d' % tree.port],
            'dnssec_trust_anchor': tree.anchor, 'timeout': 3}
    args.update(kwargs)
    for name in [k for k, v in args.items() if v is None]:
        del args[name]   # None: the option is not given at all
    return run_action(ActionModule, args, shell_family='sh', action_name='hkpost.ecert.hkpost_preflight')


def test_good_and_unsigned_names_pass_in_one_run(tree):
    result = run(tree, domains=['www.good.test', 'www.plain.test', 'WWW.good.test'])
    assert result['refused'] == [] and not result.get('failed') and result['changed'] is False
    by_name = {e['ascii_name']: e for e in result['names']}
    assert list(by_name) == ['www.good.test', 'www.plain.test']
    assert by_name['www.good.test']['caa']['owner'] == 'good.test'
    assert by_name['www.good.test']['dnssec']['status'] == 'secure'
    assert by_name['www.plain.test']['dnssec']['status'] == 'unsigned'
    assert result['trust_anchor'] == 'dnssec_trust_anchor'


def test_caa_for_another_ca_and_a_bogus_zone_are_refused_before_any_request(tree):
    with pytest.raises(AnsibleActionFail) as info:
        run(tree, domains=['www.good.test', 'www.other.test', 'broken.test'])
    text = str(info.value)
    assert 'the CA would refuse www.other.test, broken.test' in text
    assert 'other.test CAA 0 issue "hongkongpost.gov.hk"' in text      # the fix
    assert 'will refuse this too' in text


def test_report_only_and_caa_only(tree):
    result = run(tree, domains=['broken.test'], fail_on_refusal=False)
    assert result['refused'] == ['broken.test'] and not result.get('failed')
    caa_only = run(tree, domains=['www.good.test'], checks=['caa'])
    assert caa_only['refused'] == [] and caa_only['names'][0]['dnssec'] is None and caa_only['trust_anchor'] is None


def test_uncovered_names_and_failed_lookups_only_warn(tree):
    result = run(tree, domains=['www.good.test'], dnssec_trust_anchor='example.org. IN DS 1 13 2 ' + '00' * 32)
    assert result['refused'] == [] and any('no trust anchor covers it' in w for w in result['warnings'])
    elsewhere = run(tree, domains=['www.example.org'], checks=['caa'])
    assert elsewhere['refused'] == [] and any('CAA not checked' in w for w in elsewhere['warnings'])


@pytest.mark.parametrize('kwargs,message', [
    ({'dnssec_trust_anchor': 'nonsense'}, 'not a DS or DNSKEY record'),
    ({'caa_issuer_domains': []}, 'caa_issuer_domains is empty'),
    ({'nameservers': ['127.0.0.1:99999']}, 'port .* is not 1-65535'),
    ({'domains': ['bad_name!.test']}, 'bad_name'),
    ({'checks': ['ocsp']}, 'ocsp'),
])
def test_bad_options_are_refused(tree, kwargs, message):
    with pytest.raises(AnsibleActionFail, match=message):
        run(tree, **kwargs)
