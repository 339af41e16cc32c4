# -*- coding: utf-8 -*-
"""hkpost_csr state: present (plugin_utils._csr_batch) and the action's own decision points: rules the mutation run
(issue 21) found unpinned, one test per rule. The host's answers that the fake host cannot be made to give (a short
answer, no exports) are given by a stand-in action object."""

from __future__ import annotations

import base64
import datetime

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import build_csr, csr_pem
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request
from ansible_collections.hkpost.ecert.plugins.plugin_utils import _csr_batch
from tests.support.pki import rsa_key
from tests.support.windows.exchange import add_pending, exchange_state
from tests.support.windows.host import FakeWindowsHost
from ansible_collections.hkpost.ecert.plugins.action import hkpost_csr
from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule
from tests.support.action_harness import make_action, run_action
from tests.unit.plugins.action.test_hkpost_csr_batch import CERTS, PASSWORD
from tests.unit.plugins.action.test_hkpost_csr_batch import batch as _batch
from tests.unit.plugins.module_utils.request.test_csr import pending_entry


def batch(host, tmp_path, diff=False, **extra):
    """test_hkpost_csr_batch's batch(), in diff mode when asked (the listing read first, as the role does)."""
    if not diff:
        return _batch(host, tmp_path, **extra)
    args = dict({'state': 'present', 'certificates': CERTS, 'organization': 'Example Ltd', 'csr_dir': str(tmp_path / 'csr'),
                 'backup_dir': str(tmp_path / 'backup'), 'backup_password': PASSWORD}, **extra)
    return run_action(ActionModule, args, host=host, diff=True, shell_family='powershell',
                      task_vars={'inventory_hostname': 'win1'}, action_name='hkpost.ecert.hkpost_csr')


REQUEST = csr_request({'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited'})


def _csr_text(key, request=None):
    return csr_pem(build_csr(key, request or REQUEST))


# ---- Exchange's request text ------------------------------------------------------------------------------


def test_exchange_request_text_without_armour_becomes_pem_and_armoured_text_is_kept():
    body = 'MIIBfake\r\nMore'
    expected = '-----BEGIN NEW CERTIFICATE REQUEST-----\nMIIBfake\nMore\n-----END NEW CERTIFICATE REQUEST-----\n'
    assert _csr_batch._pem(body + '\r\n') == expected
    armoured = '-----BEGIN NEW CERTIFICATE REQUEST-----\r\nMIIB\r\n-----END NEW CERTIFICATE REQUEST-----\r\n'
    assert _csr_batch._pem(armoured) == armoured.replace('\r\n', '\n')


def test_exchange_entries_without_a_certificate_are_not_described():
    assert _csr_batch._exchange_certificates([{'thumbprint': 'AB', 'der': None, 'status': 'PendingRequest'}, {}]) == []


def _exchange_pending(tmp_path, request_text):
    host = FakeWindowsHost(os_build=7601)
    exchange_state(host)
    key = rsa_key(slot='csr-exchange-a')
    add_pending(host, key, 'a.example.hk')
    exchange_state(host)['certificates'][-1]['certificate_request'] = request_text
    return host, key


def test_a_reused_exchange_request_without_its_text_writes_no_csr(tmp_path):
    host, key = _exchange_pending(tmp_path, None)
    result = batch(host, tmp_path, host_name='ex1.example.hk', platform='exchange', certificates=CERTS[:1],
                   backup_dir=None, backup_password=None)
    [item] = result['requests']
    assert item['request_action'] == 'reuse' and 'csr' not in item and result['changed'] is False
    assert item['public_key_sha256'] == spki_sha256(key.public_key())
    assert not (tmp_path / 'csr' / 'a.example.hk.csr').exists()


def test_a_reused_exchange_request_is_written_as_its_own_csr_describes_it(tmp_path):
    key = rsa_key(slot='csr-exchange-a')
    request = csr_request({'common_name': 'a.example.hk', 'organization': 'Example Ltd'})
    text = _csr_text(key, request)
    body = ''.join(text.splitlines()[1:-1])
    host, _key = _exchange_pending(tmp_path, body)
    result = batch(host, tmp_path, host_name='ex1.example.hk', platform='exchange', certificates=CERTS[:1],
                   backup_dir=None, backup_password=None)
    [item] = result['requests']
    assert item['csr'] == text and item['subject_alt_names'] == ['a.example.hk'] and item['key_size'] == 2048
    assert (tmp_path / 'csr' / 'a.example.hk.csr').read_text() == text


def test_a_reused_exchange_request_whose_text_holds_another_key_keeps_exchanges_facts(tmp_path):
    other = rsa_key(slot='csr-exchange-b')
    body = ''.join(_csr_text(other).splitlines()[1:-1])
    host, key = _exchange_pending(tmp_path, body)
    result = batch(host, tmp_path, host_name='ex1.example.hk', platform='exchange', certificates=CERTS[:1],
                   backup_dir=None, backup_password=None)
    [item] = result['requests']
    assert item['public_key_sha256'] == spki_sha256(key.public_key())
    assert 'subject_alt_names' not in item


# ---- options -------------------------------------------------------------------------------------------------


def test_a_backup_password_without_backup_dir_is_refused(tmp_path):
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='backup_password is given without backup_dir'):
        batch(host, tmp_path, listing=False, backup_dir=None)
    assert host.calls == []


# ---- what a run returns --------------------------------------------------------------------------------------


def test_pfx_encryption_is_reported_only_with_backups(tmp_path):
    assert batch(FakeWindowsHost(os_build=7601), tmp_path)['encryption'] == 'TripleDES_SHA1'
    assert batch(FakeWindowsHost(), tmp_path / 'other', backup_dir=None, backup_password=None)['encryption'] is None


def test_a_rerun_without_backups_asks_nothing_more(tmp_path):
    host = FakeWindowsHost()
    batch(host, tmp_path, backup_dir=None, backup_password=None)
    del host.calls[:]
    again = batch(host, tmp_path, backup_dir=None, backup_password=None)
    assert host.call_names() == ['csr_pending_read'] and again['changed'] is False and again['backups'] == []


def test_a_csr_file_lost_on_the_controller_is_written_again_and_is_a_change(tmp_path):
    host = FakeWindowsHost()
    first = batch(host, tmp_path)
    (tmp_path / 'csr' / 'a.example.hk.csr').unlink()
    del host.calls[:]
    again = batch(host, tmp_path, diff=True)
    assert host.call_names() == ['csr_pending_read'] and again['changed'] is True
    assert [r['changed'] for r in again['requests']] == [True, False, False]
    assert (tmp_path / 'csr' / 'a.example.hk.csr').read_text() == first['requests'][0]['csr']


def test_diff_shows_each_csr_file_written_with_what_was_there(tmp_path):
    host = FakeWindowsHost()
    result = batch(host, tmp_path, certificates=CERTS[:1], diff=True)
    path = str(tmp_path / 'csr' / 'a.example.hk.csr')
    assert result['diff'] == [{'before': '', 'after': result['requests'][0]['csr'], 'before_header': path,
                               'after_header': path}]
    (tmp_path / 'csr' / 'a.example.hk.csr').write_text('old text')
    again = batch(host, tmp_path, certificates=CERTS[:1], diff=True)
    assert again['diff'][0]['before'] == 'old text'
    assert 'diff' not in batch(host, tmp_path, certificates=CERTS[:1], diff=True)
    (tmp_path / 'csr' / 'a.example.hk.csr').write_text('old text')
    assert 'diff' not in batch(host, tmp_path, certificates=CERTS[:1])


def test_pending_key_backups_are_exported_without_a_chain(tmp_path):
    host = FakeWindowsHost()
    batch(host, tmp_path, certificates=CERTS[:1])
    sent = [p for n, p in host.calls if n == 'csr_create_many'][0]
    assert sent['IncludeChain'] is False


def test_an_exchange_backup_only_run_exports_without_a_chain(tmp_path):
    host, _key = _exchange_pending(tmp_path, None)
    batch(host, tmp_path, host_name='ex1.example.hk', platform='exchange', certificates=CERTS[:1])
    sent = [p for n, p in host.calls if n == 'pfx_export_many'][0]
    assert sent['IncludeChain'] is False


def test_a_host_failing_the_write_still_reports_what_was_planned(tmp_path):
    host = FakeWindowsHost()
    host.fail_on['csr_create_many'] = 'Access is denied.'
    with pytest.raises(AnsibleActionFail) as err:
        batch(host, tmp_path, certificates=CERTS[:1])
    assert err.value.result['request_platform'] == 'iis'
    assert [r['request_action'] for r in err.value.result['requests']] == ['create']


# ---- one request the host made (_created) --------------------------------------------------------------------


def _plan():
    return {'request': REQUEST}


def test_a_made_request_without_text_is_refused():
    with pytest.raises(HkpostError, match='the host returned no certificate request text for www.example.com.hk'):
        _csr_batch._created(_plan(), {'csr': ''}, [], {}, 'iis')


def test_certreq_making_another_request_than_asked_is_refused():
    other = csr_request({'common_name': 'other.example.com.hk', 'organization': 'Example Company Limited'})
    with pytest.raises(HkpostError, match='certreq produced a CSR for .* that is not what was asked for'):
        _csr_batch._created(_plan(), {'csr': _csr_text(rsa_key(slot='csr-a'), other), 'thumbprint': 'ab'}, [], {}, 'iis')


def test_the_thumbprint_the_host_names_wins_and_is_upper_case():
    result = {}
    _csr_batch._created(_plan(), {'csr': _csr_text(rsa_key(slot='csr-a')), 'thumbprint': 'ab12', 'csr_file': 'C:\\r.csr'},
                        None, result, 'iis')
    assert result['thumbprint'] == 'AB12' and result['host_csr_file'] == 'C:\\r.csr'


def test_without_a_thumbprint_the_pending_request_holding_the_key_is_found():
    key = rsa_key(slot='csr-a')
    entry = pending_entry(key, datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    listed = [{'thumbprint': 'cd34', 'der': base64.b64encode(entry['der']).decode()}]
    result = {}
    _csr_batch._created(_plan(), {'csr': _csr_text(key)}, listed, result, 'iis')
    assert result['thumbprint'] == 'CD34'
    with pytest.raises(HkpostError, match='the pending request holding the key of the CSR made for www.example.com.hk '
                                          'is not listed'):
        _csr_batch._created(_plan(), {'csr': _csr_text(key), 'thumbprint': ''}, [], {}, 'iis')


def test_exchange_request_text_is_read_without_armour():
    key = rsa_key(slot='csr-a')
    body = ''.join(_csr_text(key).splitlines()[1:-1])
    result = {}
    _csr_batch._created(_plan(), {'csr': body, 'thumbprint': 'EF'}, [], result, 'exchange')
    assert result['public_key_sha256'] == spki_sha256(key.public_key())


# ---- the write execution (_make), answered by a stand-in ---------------------------------------------------------


class Stub:
    """The action methods _make calls; ``answer`` is what the host returns."""

    def __init__(self, answer):
        self.answer, self.sent = answer, []

    def payload(self, task_vars, name, params, sensitive_parameters=None):
        self.sent.append((name, params))
        return self.answer


def _make(tmp_path, answer, backup=True):
    key = rsa_key(slot='csr-a')
    args = {'backup_dir': str(tmp_path / 'backup') if backup else None, 'backup_password': PASSWORD if backup else None,
            'request_dir': 'C:\\requests', 'platform': 'iis'}
    plans = [{'action': 'create', 'request': REQUEST, 'create': {'inf': 'x'}}]
    results = [{'thumbprint': None, 'backup': None}]
    stub = Stub(answer)
    _csr_batch._make(stub, args, {'inventory_hostname': 'win1'}, 'iis', plans, results, [], {'os_build': 20348})
    return stub, results, key


def test_a_host_answering_for_fewer_requests_than_asked_is_refused(tmp_path):
    for answer in ({}, {'created': None}, {'created': []}):
        with pytest.raises(AnsibleActionFail, match='the host answered for 0 of the 1 requests'):
            _make(tmp_path, answer, backup=False)


def test_a_host_that_exported_no_pfx_for_a_new_key_is_refused_before_any_backup_is_written(tmp_path):
    key = rsa_key(slot='csr-a')
    made = {'csr': _csr_text(key), 'thumbprint': 'AB12'}
    for exports in (None, [], ['junk'], [{'thumbprint': 'OTHER', 'pfx': ''}]):
        with pytest.raises(AnsibleActionFail, match='exported no PFX for the pending key\\(s\\) AB12; no CSR was written'):
            _make(tmp_path, {'created': [made], 'exports': exports})
    assert not (tmp_path / 'backup').exists() or not any((tmp_path / 'backup').rglob('*.pfx'))


def test_without_backups_nothing_is_exported(tmp_path):
    key = rsa_key(slot='csr-a')
    stub, results, _key = _make(tmp_path, {'created': [{'csr': _csr_text(key), 'thumbprint': 'AB12'}]}, backup=False)
    assert stub.sent[0][1]['Backup'] is False and stub.sent[0][1]['Items'] == [] and results[0]['backup'] is None
    assert results[0]['thumbprint'] == 'AB12'


# ---- the action's own decision points (plugins/action/hkpost_csr.py) ---------------------------------------------

SINGLE = {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited'}


def _single(host=None, shell_family='powershell', check_mode=False, diff=False, module=None, answers=None, **extra):
    """One hkpost_csr task; ``module`` answers a POSIX host's module run, ``answers`` the Windows payloads by name."""
    plugin = make_action(ActionModule, dict(SINGLE, **extra), host=host or FakeWindowsHost(), check_mode=check_mode,
                         diff=diff, shell_family=shell_family, action_name='hkpost.ecert.hkpost_csr')
    sent = []
    if module is not None:
        plugin._execute_module = lambda module_name=None, module_args=None, task_vars=None, **_k: (
            sent.append((module_name, module_args)) or dict(module))
    if answers is not None:
        def payload(task_vars, name, params, sensitive_parameters=None):
            sent.append((name, params))
            return answers[name]
        plugin.payload = payload
    return plugin.run(task_vars={'inventory_hostname': 'win1'}), sent


@pytest.mark.parametrize('module_result, message', [
    ({'msg': 'MODULE FAILURE', 'exception': 'Traceback\n  line\nValueError: bad key\n\n'}, 'MODULE FAILURE: ValueError: bad key'),
    ({'msg': 'MODULE FAILURE.', 'module_stderr': 'boom on stderr\n'}, 'MODULE FAILURE: boom on stderr'),
    ({'msg': 'MODULE FAILURE', 'module_stdout': 'first\nlast words'}, 'MODULE FAILURE: last words'),
    ({'msg': 'key exists: bad key', 'exception': 'bad key'}, 'key exists: bad key'),
    ({'msg': 'plain', 'exception': '   \n '}, 'plain'),
    ({}, 'hkpost_csr failed on the host'),
])
def test_a_posix_module_failure_gives_its_message_and_the_last_line_of_the_cause(module_result, message):
    assert hkpost_csr._failure_text(module_result) == message


def test_a_failure_message_on_several_lines_is_one_line_with_its_cause():
    assert hkpost_csr._failure_text({'msg': 'a\nb.', 'exception': 'Error: c'}) == 'a b: Error: c'


def test_a_posix_module_failure_fails_the_task_with_its_result():
    with pytest.raises(AnsibleActionFail, match='MODULE FAILURE: OSError: denied') as err:
        _single(shell_family='sh', privatekey_path='/k.pem',
                module={'failed': True, 'msg': 'MODULE FAILURE', 'exception': 'OSError: denied'})
    assert err.value.result.get('exception') == 'OSError: denied'


def test_a_posix_result_passes_on_without_the_modules_invocation_and_shows_its_warnings():
    result, sent = _single(shell_family='sh', privatekey_path='/k.pem',
                           module={'changed': True, 'csr': 'x', 'warnings': None, 'invocation': {'module_args': {}}})
    assert sent[0][0] == 'hkpost.ecert.hkpost_csr' and 'invocation' not in result and result['changed'] is True
    result, _sent = _single(shell_family='sh', privatekey_path='/k.pem',
                            module={'changed': False, 'warnings': ['careful'], 'invocation': {'module_args': {}}})
    assert 'invocation' not in result and 'warnings' not in result


def test_the_csr_file_written_from_a_posix_result_is_a_change_even_when_the_key_was_not(tmp_path):
    path = tmp_path / 'www.csr'
    result, _sent = _single(shell_family='sh', privatekey_path='/k.pem', csr_path=str(path),
                            module={'changed': False, 'csr': 'CSR TEXT\n'})
    assert result['changed'] is True and path.read_text() == 'CSR TEXT\n' and result['csr_path'] == str(path)
    result, _sent = _single(shell_family='sh', privatekey_path='/k.pem', csr_path=str(path),
                            module={'changed': False, 'csr': 'CSR TEXT\n'})
    assert result['changed'] is False
    result, _sent = _single(shell_family='sh', privatekey_path='/k.pem', csr_path=str(path),
                            module={'changed': True, 'csr': 'CSR TEXT\n'})
    assert result['changed'] is True


def test_diff_of_the_csr_file_only_when_it_changes(tmp_path):
    path = tmp_path / 'www.csr'
    result, _sent = _single(shell_family='sh', privatekey_path='/k.pem', csr_path=str(path), diff=True,
                            module={'changed': True, 'csr': 'NEW\n'})
    assert result['diff'] == {'before': '', 'after': 'NEW\n', 'before_header': str(path), 'after_header': str(path)}
    path.write_text('OLD\n')
    result, _sent = _single(shell_family='sh', privatekey_path='/k.pem', csr_path=str(path), diff=True,
                            module={'changed': True, 'csr': 'NEW\n'})
    assert result['diff']['before'] == 'OLD\n'
    result, _sent = _single(shell_family='sh', privatekey_path='/k.pem', csr_path=str(path), diff=True,
                            module={'changed': False, 'csr': 'NEW\n'})
    assert 'diff' not in result
    path.write_text('OLD\n')
    result, _sent = _single(shell_family='sh', privatekey_path='/k.pem', csr_path=str(path),
                            module={'changed': False, 'csr': 'NEW\n'})
    assert 'diff' not in result and result['changed'] is True


@pytest.mark.parametrize('extra, message', [
    ({'state': 'present', 'list_pending': True, 'certificates': CERTS}, 'state: present makes every missing request'),
    ({'state': 'present'}, 'state: present makes every missing request'),
    ({'common_name': None}, 'list_pending is False but all of the following are missing: common_name'),
    ({'organization': None}, 'missing: organization'),
    ({'certificates': CERTS}, 'certificates is checked with list_pending: true'),
])
def test_task_shapes_that_are_refused_before_the_host_is_asked(extra, message):
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match=message):
        _single(host, **extra)
    assert host.calls == []


def test_list_pending_checks_every_certificate_before_reading():
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match=r'certificates\[1\]'):
        _single(host, list_pending=True, certificates=[CERTS[0], {'common_name': 'bad_name.example.hk'}])
    assert host.calls == []


def test_list_pending_refuses_a_request_dir_with_a_line_break_before_reading():
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='request_dir holds the control character'):
        _single(host, list_pending=True, request_dir='C:\\req\nExportable = FALSE')
    assert host.calls == []


def test_a_posix_listing_is_empty_and_asks_the_host_nothing():
    result, sent = _single(shell_family='sh', list_pending=True, request_dir='C:\\req\nx', module={})
    assert sent == [] and result['pending_requests']['pending'] == [] and result['platform'] == 'posix'


def test_a_windows_request_from_a_host_answering_no_lists_is_made():
    key = rsa_key(slot='csr-a')
    result, sent = _single(answers={'csr_pending_read': {'pending': None, 'saved_csrs': None},
                                    'csr_create': {'csr': _csr_text(key), 'thumbprint': None, 'pending': None}})
    assert [n for n, _p in sent] == ['csr_pending_read', 'csr_create'] and result['request_action'] == 'create'
    assert result['thumbprint'] is None and result['public_key_sha256'] == spki_sha256(key.public_key())


def test_certreq_answering_no_csr_or_another_csr_is_refused():
    with pytest.raises(AnsibleActionFail, match='the CSR certreq produced is not a valid PKCS#10'):
        _single(answers={'csr_pending_read': {}, 'csr_create': {}})
    other = csr_request({'common_name': 'other.example.com.hk', 'organization': 'Example Company Limited'})
    with pytest.raises(AnsibleActionFail, match='certreq produced a CSR for .* that is not what was asked for'):
        _single(answers={'csr_pending_read': {}, 'csr_create': {'csr': _csr_text(rsa_key(slot='csr-a'), other)}})


def test_a_pending_request_without_its_csr_or_key_container_is_refused_unless_forced():
    key = rsa_key(slot='csr-a')
    entry = pending_entry(key, datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc), name=None, container=None)
    pending = {'pending': [dict(entry, der=base64.b64encode(entry['der']).decode())], 'saved_csrs': []}
    request = csr_request(dict(SINGLE, organizational_unit='IT'))
    with pytest.raises(AnsibleActionFail, match='exists .* but its CSR text is gone and its key cannot be reused'):
        _single(organizational_unit='IT', answers={'csr_pending_read': pending})
    result, sent = _single(organizational_unit='IT', force=True, answers={
        'csr_pending_read': pending, 'csr_create': {'csr': _csr_text(rsa_key(slot='csr-b'), request)}})
    assert result['request_action'] == 'create' and 'KeyContainer' not in sent[-1][1]['Inf']


def test_the_exchange_session_is_worked_out_once_per_task(monkeypatch):
    calls = []

    def session(action, args, task_vars):
        calls.append(args['server'])
        return {'Server': args['server']}, {}, None
    monkeypatch.setattr(hkpost_csr, 'exchange_session', session)
    plugin = make_action(ActionModule, dict(SINGLE), host=FakeWindowsHost(), action_name='hkpost.ecert.hkpost_csr')
    args = {'server': 'ex1'}
    assert plugin.exchange_connection(args, {}) == ({'Server': 'ex1'}, {})
    assert plugin.exchange_connection({'server': 'other'}, {}) == ({'Server': 'ex1'}, {})
    assert calls == ['ex1']


def test_the_backup_password_is_never_logged():
    assert ActionModule.ARGUMENT_SPEC['backup_password']['no_log'] is True


def test_an_exchange_listing_sends_the_session_credentials_as_sensitive_parameters(monkeypatch):
    monkeypatch.setattr(hkpost_csr, 'exchange_session',
                        lambda action, args, task_vars: ({'Server': 'ex1'}, {'Password': 'S3cret'}, None))
    plugin = make_action(ActionModule, {'list_pending': True, 'platform': 'exchange'}, host=FakeWindowsHost(),
                         action_name='hkpost.ecert.hkpost_csr')
    sent = []
    plugin.payload = lambda task_vars, name, params, sensitive_parameters=None: (
        sent.append((name, params, sensitive_parameters)) or {'certificates': []})
    result = plugin.run(task_vars={'inventory_hostname': 'ex1'})
    assert sent == [('exchange_read', {'Server': 'ex1'}, {'Password': 'S3cret'})]
    assert result['pending_requests']['platform'] == 'exchange'
