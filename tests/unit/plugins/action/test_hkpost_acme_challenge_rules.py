# -*- coding: utf-8 -*-
"""hkpost_acme_challenge's decision points left open by the issue 21 mutation run: what it requires, which provider
and which IIS read it uses, the TTL it publishes, and how it takes PowerShell's null for an empty list."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_acme_challenge import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.host import FakeWindowsHost
from tests.unit.plugins.action.test_hkpost_acme_challenge import ORDERS, FakeDns, _data, dns_host, iis_host, run


@pytest.mark.parametrize('missing', ['challenge', 'challenge_data'])
def test_challenge_and_challenge_data_are_required(missing):
    args = {'challenge': 'http-01', 'challenge_data': ORDERS}
    del args[missing]
    host = iis_host()
    with pytest.raises(AnsibleActionFail, match='missing required arguments: %s' % missing):
        run_action(ActionModule, args, host=host, task_vars={'inventory_hostname': 'web1'},
                   action_name='hkpost.ecert.hkpost_acme_challenge')
    assert host.calls == []


def test_rfc2136_publishes_with_a_ttl_of_60_seconds_by_default(monkeypatch):
    dns = FakeDns({}).install(monkeypatch)
    run(FakeWindowsHost(), 'dns-01', [_data('example.hk')], dns_server='192.0.2.53')
    assert [u[3] for u in dns.updates] == [60]


def test_rfc2136_a_tsig_secret_that_is_not_strict_base64_is_refused(monkeypatch):
    # dnspython decodes leniently: 'c2VjcmV0*' would become some other key and the server answer BADSIG.
    dns = FakeDns({}).install(monkeypatch)
    with pytest.raises(AnsibleActionFail, match='tsig_key_secret for key acme. is not base64'):
        run(FakeWindowsHost(), 'dns-01', [_data('example.hk')], dns_server='192.0.2.53', tsig_key_name='acme.',
            tsig_key_secret='c2VjcmV0c2VjcmV0*')
    assert dns.updates == [] and dns.zones_asked == []


def test_http01_publishes_in_iis_whatever_dns_provider_says():
    # dns_provider is a dns-01 option, often set for a whole group: http-01 still writes the tokens in IIS.
    host = iis_host()
    result = run(host, 'http-01', ORDERS, dns_provider='windows')
    assert host.call_names() == ['acme_iis_read', 'acme_iis_write'] and result['changed'] is True


def test_http01_present_reads_iis_even_given_a_published_list():
    host = iis_host()
    published = run(host, 'http-01', ORDERS)['published']
    del host.calls[:]
    run(host, 'http-01', ORDERS, published=published)
    assert host.call_names()[0] == 'acme_iis_read'


def _answers(monkeypatch, answers):
    """Payload answers as PowerShell's ConvertTo-Json gives an empty result: an empty array piped on is $null."""
    sent = []

    def payload(self, task_vars, name, parameters=None, sensitive_parameters=None):
        sent.append((name, parameters))
        answer = answers[name]
        return answer(parameters) if callable(answer) else answer
    monkeypatch.setattr(ActionModule, 'payload', payload)
    return sent


def test_windows_dns_a_null_zone_list_is_no_zone(monkeypatch):
    _answers(monkeypatch, {'dcv_windows_dns_read': {'zones': None}})
    with pytest.raises(AnsibleActionFail, match=r'\(zones: none\)'):
        run(dns_host(), 'dns-01', [_data('www.example.hk')], dns_provider='windows')


@pytest.mark.parametrize('records', [{'records': None},
                                     {'records': [{'zone': 'example.hk', 'host': '_acme-challenge.www',
                                                   'values': None}]}])
def test_windows_dns_null_records_or_values_are_no_values(monkeypatch, records):
    sent = _answers(monkeypatch, {'dcv_windows_dns_read': lambda p: records if p else {'zones': ['example.hk']},
                                  'dcv_windows_dns_write': {}})
    result = run(dns_host(), 'dns-01', [_data('www.example.hk')], dns_provider='windows')
    assert [n for n, _p in sent] == ['dcv_windows_dns_read', 'dcv_windows_dns_read', 'dcv_windows_dns_write']
    assert result['changed'] is True


def test_http01_a_null_done_list_is_no_change(monkeypatch):
    host = iis_host()
    read = run(host, 'http-01', ORDERS, check_mode=True)
    assert read['changed'] is True
    real = ActionModule.payload
    monkeypatch.setattr(ActionModule, 'payload', lambda self, tv, name, parameters=None, sensitive_parameters=None: (
        {'done': None} if name == 'acme_iis_write' else real(self, tv, name, parameters, sensitive_parameters)))
    result = run(host, 'http-01', ORDERS)
    assert result['changed'] is False and result['done'] == []
