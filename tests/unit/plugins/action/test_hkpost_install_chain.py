# -*- coding: utf-8 -*-
"""hkpost_install with ``chain`` against the fake host: the chain migration planned from the install's one read
(retire_read with ChainStores) and run in its first write, before the completions and bindings (issue 21)."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleActionFail

from tests.support.windows.chain import put, thumbprints
from tests.support.windows.exchange import exchange_state
from tests.unit.plugins.action.test_hkpost_install import args, fleet_host, run  # noqa: F401  # pylint: disable=unused-import
from tests.unit.plugins.action.test_hkpost_install_exchange import args as exchange_args
from tests.unit.plugins.action.test_hkpost_install_exchange import run as exchange_run
from tests.unit.plugins.action.test_hkpost_install_exchange import server  # noqa: F401  # pylint: disable=unused-import

DAY = datetime.timedelta(days=1)


@pytest.fixture
def chain_files(pki, tmp_path):
    """The test hierarchy's root and new SSL intermediate as controller files (the shipped ones are the real ones)."""
    folder = tmp_path / 'chain-files'
    folder.mkdir()
    (folder / 'root.pem').write_text(pki.root.pem)
    (folder / 'ssl.pem').write_text(pki.ssl_new.pem)
    return {'root_certificate_file': str(folder / 'root.pem'), 'ssl_intermediate_file': str(folder / 'ssl.pem')}


def _old_chain(host, pki):
    """A host still carrying the old (no-EKU) intermediate, without Root CA 3 in Root."""
    put(host, 'CA', pki.ssl_old.cert)


def test_chain_and_install_in_one_apply_chain_steps_first_then_a_rerun_is_the_read(fleet_host, tmp_path, pki,
                                                                                   chain_files):
    host, old, _other, new = fleet_host
    _old_chain(host, pki)
    result = run(host, args(new, tmp_path, chain=chain_files))
    assert result['changed'] is True
    # one read (the chain stores with the install's), one write (the chain steps in it), the retiring
    assert host.call_names() == ['retire_read', 'iis_apply', 'retire_apply']
    read = host.calls[0][1]
    assert read['StoreNames'] == ['My', 'WebHosting', 'REQUEST'] and read['ChainStores'] == ['CA', 'Root', 'Disallowed']
    kinds = [s['kind'] for s in host.calls[1][1]['Steps']]
    chain_count = len(result['chain']['plan'])
    # the intermediates are in the store before any completion or binding write
    assert chain_count >= 3 and kinds == ['chain'] * chain_count + ['complete'] * 3 + [
        'export', 'binding_replace', 'binding_add', 'binding_add']
    assert {(s['op'], s['store']) for s in result['chain']['plan']} == {
        ('add_cert', 'CA'), ('add_cert', 'Root'), ('remove_cert', 'CA')}
    assert result['chain']['applied'] == result['chain']['plan'] and 'not_applied' not in result['chain']
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint] and thumbprints(host, 'Root') == [pki.root.thumbprint]
    # the retire planner still sees its stores only: the replaced leaf retired, nothing of CA or Root
    assert [(r['store'], r['thumbprint']) for r in result['retired']] == [('My', old.thumbprint)]
    for key in ('changed', 'removed', 'added', 'disallowed', 'leaves', 'warnings', 'plan', 'applied'):
        assert key in result['chain'], key
    host.calls.clear()
    again = run(host, args(new, tmp_path, chain=chain_files))
    assert again['changed'] is False and host.call_names() == ['retire_read']
    assert again['chain']['changed'] is False and again['chain']['plan'] == []


def test_a_host_whose_install_is_done_still_gets_its_chain_in_one_trip(fleet_host, tmp_path, pki, chain_files):
    """The rerun plans the chain too: an installed host with the old intermediate is migrated (read, one write)."""
    host, _old, _other, new = fleet_host
    run(host, args(new, tmp_path))
    _old_chain(host, pki)
    host.calls.clear()
    result = run(host, args(new, tmp_path, chain=chain_files))
    assert result['changed'] is True and host.call_names() == ['retire_read', 'iis_apply']
    assert {s['kind'] for s in host.calls[1][1]['Steps']} == {'chain'}
    assert result['completed'] == [] and not any(b['changed'] for b in result['bindings'])
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]


def test_a_host_with_nothing_to_install_is_the_chain_alone(pki, tmp_path, chain_files):
    from tests.support.windows.host import FakeWindowsHost  # pylint: disable=import-outside-toplevel
    from tests.support.windows.certstore import entry_for  # pylint: disable=import-outside-toplevel
    host = FakeWindowsHost()
    _old_chain(host, pki)
    # a replaced certificate beside its replacement: not this task's to retire, as it installs nothing
    older = pki.issue_leaf('a.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    newer = pki.issue_leaf('a.example.hk', not_before=pki.now - DAY)
    host.stores['My'] += [entry_for(older.cert, older.key), entry_for(newer.cert, newer.key)]
    arguments = {'certificates': [], 'verify': False, 'backup': False, 'chain': chain_files}
    result = run(host, arguments)
    assert result['changed'] is True and host.call_names() == ['retire_read', 'iis_apply']
    assert result['retired'] == [] and result['completed'] == [] and len(host.stores['My']) == 2
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    host.calls.clear()
    assert run(host, arguments)['changed'] is False and host.call_names() == ['retire_read']


def test_a_failed_chain_step_stops_before_any_completion_binding_or_retiring(fleet_host, tmp_path, pki, chain_files):
    host, old, _other, new = fleet_host
    _old_chain(host, pki)
    host.state['chain_fail_at'] = ('remove_cert', 'CA')
    with pytest.raises(AnsibleActionFail) as err:
        run(host, args(new, tmp_path, chain=chain_files))
    message = str(err.value)
    assert 'chain write stopped at step' in message and 'Access is denied' in message
    assert 'Nothing was installed, bound or retired' in message
    assert 'Not applied: remove_cert %s' % pki.ssl_old.thumbprint in message
    chain = err.value.result['chain']
    assert [s['op'] for s in chain['not_applied']] == ['remove_cert'] and chain['applied']
    assert host.call_names() == ['retire_read', 'iis_apply']
    # nothing after the failed step ran: no completion, no binding, nothing retired
    assert len(host.stores['REQUEST']) == 3
    assert host.state['iis']['sslcert']['hostnameport']['a.example.hk:443']['thumbprint'] == old.thumbprint
    assert old.thumbprint in [e['thumbprint'] for e in host.stores['My']]
    # never less than before: the old intermediate is still there beside the new one
    assert sorted(thumbprints(host, 'CA')) == sorted([pki.ssl_old.thumbprint, pki.ssl_new.thumbprint])


def test_check_mode_reads_once_and_shows_the_chain_plan_and_diff(fleet_host, tmp_path, pki, chain_files):
    host, _old, _other, new = fleet_host
    _old_chain(host, pki)
    result = run(host, args(new, tmp_path, chain=chain_files), check_mode=True, diff=True)
    assert result['changed'] is True and host.call_names() == ['retire_read']
    assert result['chain']['plan'] and 'applied' not in result['chain']
    assert result['diff']['before']['chain'] != result['diff']['after']['chain']
    assert thumbprints(host, 'CA') == [pki.ssl_old.thumbprint]
    # the chain alone makes a change in check mode too
    done = fleet_host
    run(done[0], args(new, tmp_path))
    done[0].calls.clear()
    only_chain = run(done[0], args(new, tmp_path, chain=chain_files), check_mode=True)
    assert only_chain['changed'] is True and done[0].call_names() == ['retire_read']


@pytest.mark.parametrize('bad,message', [
    ({'warn_days': -1}, 'chain.warn_days is -1'),
    ({'download_timeout': 0}, 'chain.download_timeout is 0'),
    ({'download_urls': {'nope': 'http://x'}}, 'chain.download_urls: unknown key'),
    ({'key_stores': ['Root']}, 'key_stores'),
    ({'ssl_intermediate_file': '/nonexistent/ssl.pem'}, 'ssl_intermediate_file'),
])
def test_bad_chain_options_are_refused_before_the_host_is_read(fleet_host, tmp_path, chain_files, bad, message):
    host, _old, _other, new = fleet_host
    with pytest.raises(AnsibleActionFail, match=message):
        run(host, args(new, tmp_path, chain=dict(chain_files, **bad)))
    assert host.call_names() == []


def test_exchange_chain_rides_in_the_import_trip_then_a_rerun_is_the_read(server, tmp_path, pki, chain_files):
    host, old, new = server
    _old_chain(host, pki)
    result = exchange_run(host, exchange_args(new, tmp_path, chain=chain_files))
    assert host.call_names() == ['retire_read', 'exchange_enable', 'retire_apply']
    assert [s['op'] for s in host.calls[1][1]['ChainSteps']] == [s['op'] for s in result['chain']['plan']]
    assert result['chain']['applied'] == result['chain']['plan']
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    assert [r['thumbprint'] for r in result['retired']] == [old.thumbprint]
    host.calls.clear()
    again = exchange_run(host, exchange_args(new, tmp_path, chain=chain_files))
    assert again['changed'] is False and host.call_names() == ['retire_read']


def test_exchange_chain_failure_imports_nothing(server, tmp_path, pki, chain_files):
    host, _old, new = server
    _old_chain(host, pki)
    host.state['chain_fail_at'] = ('add_cert', 'CA')
    with pytest.raises(AnsibleActionFail, match='chain write stopped at step 2.*Nothing was installed'):
        exchange_run(host, exchange_args(new, tmp_path, chain=chain_files))
    assert host.call_names() == ['retire_read', 'exchange_enable']
    assert [c['status'] for c in exchange_state(host)['certificates']].count('PendingRequest') == 1


def test_exchange_chain_alone_is_one_chain_apply(server, tmp_path, pki, chain_files):
    host, _old, new = server
    exchange_run(host, exchange_args(new, tmp_path))
    _old_chain(host, pki)
    host.calls.clear()
    result = exchange_run(host, exchange_args(new, tmp_path, chain=chain_files))
    assert result['changed'] is True and host.call_names() == ['retire_read', 'chain_apply']
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]


def test_the_chain_options_are_one_spec_documented_once_for_both_modules():
    from ansible_collections.hkpost.ecert.plugins.action.hkpost_chain import ActionModule as Chain  # pylint: disable=import-outside-toplevel
    from ansible_collections.hkpost.ecert.plugins.action.hkpost_install import ActionModule as Install  # pylint: disable=import-outside-toplevel
    from ansible_collections.hkpost.ecert.plugins.plugin_utils._chain_inputs import ARGUMENT_SPEC  # pylint: disable=import-outside-toplevel
    from tests.support.module_docs import documented_options  # pylint: disable=import-outside-toplevel
    assert Chain.ARGUMENT_SPEC is ARGUMENT_SPEC and Install.ARGUMENT_SPEC['chain']['options'] is ARGUMENT_SPEC
    chain_docs = documented_options('hkpost_chain')
    assert documented_options('hkpost_install')['chain']['suboptions'] == chain_docs
    assert sorted(chain_docs) == sorted(ARGUMENT_SPEC)
    for name, spec in ARGUMENT_SPEC.items():
        assert chain_docs[name]['type'] == spec['type'] and chain_docs[name].get('default') == spec.get('default'), name


def test_a_chain_step_runs_only_as_the_sent_script_dispatches_it(fleet_host, tmp_path, pki, chain_files, monkeypatch):
    """iis_apply's handler reads each step kind's function from the script's switch: an iis_apply without the
    chain clause fails its first (chain) step, and the install stops before any completion or binding."""
    from ansible_collections.hkpost.ecert.plugins.plugin_utils import _win_payload  # pylint: disable=import-outside-toplevel
    original = _win_payload.load_payload
    clause = "'chain' { Invoke-ChainStep -ChainStep $step.step }"

    def without_chain_clause(name):
        text = original(name)
        if name == 'iis_apply':
            assert clause in text
            text = text.replace(clause, '')
        return text
    monkeypatch.setattr(_win_payload, 'load_payload', without_chain_clause)
    host, old, _other, new = fleet_host
    _old_chain(host, pki)
    with pytest.raises(AnsibleActionFail, match="stopped at step 1.*unknown step kind 'chain'"):
        run(host, args(new, tmp_path, chain=chain_files))
    assert len(host.stores['REQUEST']) == 3 and thumbprints(host, 'CA') == [pki.ssl_old.thumbprint]
    assert host.state['iis']['sslcert']['hostnameport']['a.example.hk:443']['thumbprint'] == old.thumbprint


def test_an_exchange_server_with_nothing_issued_gets_its_chain_and_loses_nothing(server, tmp_path, pki, chain_files):
    """install.yml gives every host its chain: on an Exchange server with nothing issued, the read and chain_apply;
    its certificates and services as they were."""
    host, old, _new = server
    _old_chain(host, pki)
    before = {c['thumbprint']: c['services'] for c in exchange_state(host)['certificates']}
    result = exchange_run(host, {'platform': 'exchange', 'certificates': [], 'verify': False, 'backup': False,
                                 'chain': chain_files})
    assert result['changed'] is True and host.call_names() == ['retire_read', 'chain_apply']
    assert result['retired'] == [] and thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    assert {c['thumbprint']: c['services'] for c in exchange_state(host)['certificates']} == before
    assert old.thumbprint in [e['thumbprint'] for e in host.stores['My']]


def test_without_chain_the_read_asks_for_no_chain_store_and_the_result_has_no_chain(fleet_host, tmp_path):
    host, _old, _other, new = fleet_host
    result = run(host, args(new, tmp_path), check_mode=True, diff=True)
    assert not host.calls[0][1].get('ChainStores') and 'chain' not in result  # the payload's default: none
    assert 'chain' not in result['diff']['before'] and 'chain' not in result['diff']['after']


def test_the_chain_leaves_are_the_keyed_certificates_of_key_stores(fleet_host, tmp_path, pki, chain_files):
    from tests.support.windows.certstore import entry_for  # pylint: disable=import-outside-toplevel
    host, old, _other, new = fleet_host
    keyless = pki.issue_leaf('k.example.hk', not_before=pki.now - 10 * DAY)
    host.stores['My'].append(entry_for(keyless.cert))   # a Hongkong Post certificate without its key: not a leaf in use
    found = run(host, args(new, tmp_path, chain=chain_files), check_mode=True)
    assert [leaf['thumbprint'] for leaf in found['chain']['leaves']] == [old.thumbprint]
    only_webhosting = run(host, args(new, tmp_path, chain=dict(chain_files, key_stores=['WebHosting'])), check_mode=True)
    assert only_webhosting['chain']['leaves'] == []


def test_an_exchange_answer_without_the_chain_outcome_fails_the_install(server, tmp_path, pki, chain_files, monkeypatch):
    """A host that does not say which chain steps it applied (an exchange_enable without ChainSteps) is a failure,
    never read as "all applied"."""
    from tests.support.windows.host import _HANDLERS  # pylint: disable=import-outside-toplevel
    real = _HANDLERS['exchange_enable']

    def silent(host, params):
        answer = real(host, params)
        answer.pop('chain', None)
        return answer
    monkeypatch.setitem(_HANDLERS, 'exchange_enable', silent)
    host, _old, new = server
    _old_chain(host, pki)
    with pytest.raises(AnsibleActionFail, match='the host did not answer for the chain steps'):
        exchange_run(host, exchange_args(new, tmp_path, chain=chain_files))
    assert 'retire_apply' not in host.call_names()
