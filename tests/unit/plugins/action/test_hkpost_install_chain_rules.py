# -*- coding: utf-8 -*-
"""Rules of hkpost_install's ``chain`` option that the mutation run (issue 21) found no test pinning: on Exchange the
chain steps ride in the FIRST import-and-enable trip only, and the IIS apply reads the chain steps' answers apart
from the completions' and bindings'."""

from __future__ import annotations

# pylint: disable=redefined-outer-name

import datetime

import pytest
from ansible.errors import AnsibleActionFail

from tests.support.windows.chain import put, thumbprints
from tests.support.windows.exchange import add_pending, exchange_state
from tests.unit.plugins.action.test_hkpost_install import args, fleet_host, run  # noqa: F401  # pylint: disable=unused-import
from tests.unit.plugins.action.test_hkpost_install_chain import chain_files  # noqa: F401  # pylint: disable=unused-import
from tests.unit.plugins.action.test_hkpost_install_exchange import args as exchange_args
from tests.unit.plugins.action.test_hkpost_install_exchange import run as exchange_run
from tests.unit.plugins.action.test_hkpost_install_exchange import server  # noqa: F401  # pylint: disable=unused-import


@pytest.fixture
def two_pending(server, pki):
    """The Exchange server with a second pending request, issued: two certificates to import and enable."""
    host, old, new = server
    second = pki.issue_leaf('autodiscover.example.hk', not_before=pki.now - datetime.timedelta(days=1))
    add_pending(host, second.key, 'autodiscover.example.hk')
    put(host, 'CA', pki.ssl_old.cert)
    return host, old, new, second


def _two(new, second, tmp_path, chain):
    arguments = exchange_args(new, tmp_path, chain=chain)
    arguments['certificates'] = [{'content': new.pem, 'common_name': 'mail.example.hk'},
                                 {'content': second.pem, 'common_name': 'autodiscover.example.hk',
                                  'exchange_services': ['POP']}]
    return arguments


def test_exchange_chain_steps_ride_in_the_first_enable_trip_only(two_pending, tmp_path, pki, chain_files):
    host, _old, new, second = two_pending
    result = exchange_run(host, _two(new, second, tmp_path, chain_files))
    enables = [params for name, params in host.calls if name == 'exchange_enable']
    assert len(enables) == 2, host.call_names()
    # the intermediates are in the store before the first certificate is served; the second trip sends none again
    assert [s['op'] for s in enables[0]['ChainSteps']] == [s['op'] for s in result['chain']['plan']]
    # (the fake records the parameters as the script binds them: one not sent is its default, an empty list)
    assert not enables[1].get('ChainSteps')
    assert result['chain']['applied'] == result['chain']['plan'] and 'chain_apply' not in host.call_names()
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    # the backups ride in the last trip only
    assert not enables[0].get('Items') and enables[1].get('Items')
    statuses = {c['thumbprint']: c['status'] for c in exchange_state(host)['certificates']}
    assert statuses[new.thumbprint] != 'PendingRequest' and statuses[second.thumbprint] != 'PendingRequest'


def test_iis_chain_outcome_counts_only_the_chain_steps(fleet_host, tmp_path, pki, chain_files):
    """The apply's answers after the chain steps (completions, export, bindings) are not the chain's: applied is the
    plan, nothing more, and not_applied is absent."""
    host, _old, _other, new = fleet_host
    put(host, 'CA', pki.ssl_old.cert)
    result = run(host, args(new, tmp_path, chain=chain_files))
    steps = host.calls[1][1]['Steps']
    assert len(steps) > len(result['chain']['plan'])
    assert result['chain']['applied'] == result['chain']['plan'] and 'not_applied' not in result['chain']


def test_a_chain_answer_cut_short_fails_at_the_first_unanswered_step(fleet_host, tmp_path, pki, chain_files, monkeypatch):
    """An iis_apply answer listing fewer steps than were sent (a host stopped mid-way) is a failure at the first
    unanswered chain step, never "all applied"."""
    from tests.support.windows.host import _HANDLERS  # pylint: disable=import-outside-toplevel
    real = _HANDLERS['iis_apply']

    def cut(host, params):
        answer = real(host, params)
        answer['steps'] = answer['steps'][:1]
        return answer
    monkeypatch.setitem(_HANDLERS, 'iis_apply', cut)
    host, _old, _other, new = fleet_host
    put(host, 'CA', pki.ssl_old.cert)
    with pytest.raises(AnsibleActionFail, match='stopped at step 2 .*the host did not answer'):
        run(host, args(new, tmp_path, chain=chain_files))


def _answer_changed(monkeypatch, change):
    from tests.support.windows.host import _HANDLERS  # pylint: disable=import-outside-toplevel
    real = _HANDLERS['retire_read']

    def changed(host, params):
        answer = real(host, params)
        change(answer)
        return answer
    monkeypatch.setitem(_HANDLERS, 'retire_read', changed)


def test_a_read_without_the_chain_stores_fails_before_any_write(fleet_host, tmp_path, chain_files, monkeypatch):
    _answer_changed(monkeypatch, lambda answer: answer.pop('chain', None))
    host, _old, _other, new = fleet_host
    with pytest.raises(AnsibleActionFail, match='the host did not answer the chain stores'):
        run(host, args(new, tmp_path, chain=chain_files))
    assert host.call_names() == ['retire_read']


def test_a_key_store_the_host_does_not_have_gives_no_leaves_not_an_error(fleet_host, tmp_path, chain_files, monkeypatch):
    """WebHosting exists from IIS 8 (Server 2012) on: a host answering without it has no leaves there."""
    _answer_changed(monkeypatch, lambda answer: answer['stores'].pop('WebHosting', None))
    host, old, _other, new = fleet_host
    found = run(host, args(new, tmp_path, chain=chain_files), check_mode=True)
    assert [leaf['thumbprint'] for leaf in found['chain']['leaves']] == [old.thumbprint]


def test_an_iis_apply_without_chain_records_no_chain_outcome(fleet_host, tmp_path):
    host, _old, _other, new = fleet_host
    result = run(host, args(new, tmp_path))
    assert result['changed'] is True and 'iis_apply' in host.call_names() and 'chain' not in result
