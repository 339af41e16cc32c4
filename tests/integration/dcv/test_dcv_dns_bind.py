# -*- coding: utf-8 -*-
"""hkpost_dcv_token method dns against a real BIND 9 with a dynamic zone and a TSIG key."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns as _dcv_dns
from tests.support.action_harness import run_action
from tests.support.peers.bind_server import BindServer

CODE = 'HKP-dns-5b2e91c0'
SPF = 'v=spf1 include:_spf.example.test -all'


@pytest.fixture
def bind(tmp_path):
    server = BindServer(tmp_path, records=['@ IN TXT "%s"' % SPF, 'www IN A 127.0.0.1']).start()
    yield server
    server.stop()


def dns_args(bind, **kwargs):
    base = {'method': 'dns', 'domains': ['example.test', 'www.example.test'], 'verification_code': CODE,
            'dns_server': '127.0.0.1', 'dns_port': bind.port, 'tsig_key_name': bind.key_name,
            'tsig_key_secret': bind.secret, 'nameservers': ['127.0.0.1:%d' % bind.port],
            'resolve': {'ns1.example.test': '127.0.0.1:%d' % bind.port}, 'wait_timeout': 10}
    base.update(kwargs)
    return base


def run(bind, check_mode=False, **kwargs):
    return run_action(ActionModule, dns_args(bind, **kwargs), shell_family='sh', check_mode=check_mode,
                      task_vars={'inventory_hostname': 'localhost'}, action_name='hkpost.ecert.hkpost_dcv_token')


def test_publish_verify_spf_survives_idempotent_and_remove(bind):
    result = run(bind, check_mode=True)
    assert result['changed'] and result['verified'] is None
    assert bind.txt('example.test') == [SPF] and bind.txt('www.example.test') == []

    result = run(bind)
    assert result['changed'] and result['verified'] is True
    assert bind.txt('example.test') == sorted([SPF, CODE])
    assert bind.txt('www.example.test') == [CODE]
    # The SPF record's TTL (300 in the zone) is kept; a new RRset gets ttl 3600.
    assert bind.ttl('example.test') == [300] and bind.ttl('www.example.test') == [3600]
    apex = result['domains'][0]
    assert apex['published'][0]['zone'] == 'example.test' and apex['published'][0]['other_values'] == 1
    check = apex['checks'][0]
    assert check['ok'] and check['server'] == 'ns1.example.test' and check['port'] == bind.port
    assert sorted(check['values']) == sorted([SPF, '<verification_code>'])
    assert CODE not in repr(result)

    assert not run(bind, check_mode=True)['changed']
    again = run(bind)
    assert not again['changed'] and again['verified']
    assert bind.txt('example.test') == sorted([SPF, CODE])

    removed = run(bind, state='absent', check_mode=True)
    assert removed['changed'] and bind.txt('www.example.test') == [CODE]
    removed = run(bind, state='absent')
    assert removed['changed']
    assert bind.txt('example.test') == [SPF] and bind.txt('www.example.test') == []
    assert not run(bind, state='absent')['changed']


def test_wildcard_token_goes_at_the_base_name(bind):
    result = run(bind, certificate_type='wildcard', domains=['*.example.test'], verify=False)
    assert result['domains'][0]['record_name'] == 'example.test'
    assert bind.txt('example.test') == sorted([SPF, CODE])


def test_wrong_tsig_secret_is_a_clear_error(bind):
    wrong = 'c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1yaWdodC1vbmU='
    with pytest.raises(AnsibleActionFail, match=r'rejected the TSIG signature of key dcv-key \(BADSIG\): '
                                                r'tsig_key_secret or tsig_algorithm does not match'):
        run(bind, tsig_key_secret=wrong)
    assert bind.txt('example.test') == [SPF]


def test_unknown_key_and_no_key(bind):
    with pytest.raises(AnsibleActionFail, match=r'does not know TSIG key nokey \(BADKEY\)'):
        run(bind, tsig_key_name='nokey')
    args = dns_args(bind)
    del args['tsig_key_name'], args['tsig_key_secret']
    with pytest.raises(AnsibleActionFail, match='failed with REFUSED'):
        run_action(ActionModule, args, shell_family='sh', task_vars={'inventory_hostname': 'localhost'})
    assert bind.txt('www.example.test') == []


def test_verification_reports_a_missing_value_per_server(bind):
    # Publish elsewhere (check mode off, verify on) is not possible here; check a name nobody published.
    checks = _dcv_dns.check_authoritative('www.example.test', CODE, 'example.test', [('127.0.0.1', bind.port)],
                                          {'ns1.example.test': '127.0.0.1:%d' % bind.port})
    assert checks[0]['ok'] is False and 'does not hold the code yet' in checks[0]['problem']


def test_verification_failure_fails_the_task_with_per_domain_results(bind):
    # The value is published on the primary, but the only "authoritative server" the check is told about
    # is a port where nothing answers: the check must fail after wait_timeout and say why, per name.
    from tests.support.peers.bind_server import free_port
    dead = free_port()
    with pytest.raises(AnsibleActionFail) as failure:
        run(bind, resolve={'ns1.example.test': '127.0.0.1:%d' % dead}, wait_timeout=0, timeout=1)
    assert 'domain control validation check failed' in str(failure.value)
    domains = failure.value.result['domains']
    assert [d['ok'] for d in domains] == [False, False]
    assert 'no answer from the DNS server 127.0.0.1 port %d' % dead in domains[0]['problem']
    assert bind.txt('www.example.test') == [CODE]


def test_refusals_touch_nothing(bind):
    with pytest.raises(AnsibleActionFail, match='expired on'):
        run(bind, issued_on='2020-01-01')
    with pytest.raises(AnsibleActionFail, match='underscore'):
        run(bind, domains=['www.example.test', 'bad_name.example.test'])
    assert bind.txt('example.test') == [SPF] and bind.txt('www.example.test') == []
