# -*- coding: utf-8 -*-
"""The WinRM test endpoint's own pieces, each against the real counterpart it emulates.

Packaging is decoded from what ansible-core's own builder produces; the SOAP and HTTP side is
driven by pywinrm's Protocol (the client ansible's winrm plugin uses); NTLM by pyspnego's and
requests_ntlm's initiator side.
"""

from __future__ import annotations

import base64
import json
import os

import pytest
import spnego
import winrm
from ansible.executor.powershell import module_manifest
from requests_ntlm.requests_ntlm import ShimSessionSecurity

from tests.support.winrm.hoststate import save_host
from tests.support.windows.host import FakeWindowsHost
from tests.support.winrm import auth, packaging, tls
from tests.support.winrm.hoststate import HostStore
from tests.support.winrm.server import Endpoint, HostConfig

WIN_PING = os.path.join(os.path.dirname(module_manifest.__file__), '..', '..', '..',
                        'ansible_collections', 'ansible', 'windows', 'plugins', 'modules', 'win_ping.ps1')
# The command line ansible's winrm plugin runs for a module: this venv's bootstrap wrapper, encoded.
with open(os.path.join(os.path.dirname(module_manifest.__file__), 'bootstrap_wrapper.ps1'), encoding='utf-8') as _f:
    BOOTSTRAP = _f.read()


def _encoded(script):
    return base64.b64encode(script.encode('utf-16-le')).decode()


def _ansible_stdin(args):
    """What ansible-core (this venv: 2.19+) pipes into the bootstrap wrapper for win_ping."""
    with open(WIN_PING, 'rb') as f:
        data = f.read()
    return module_manifest._create_powershell_wrapper(  # pylint: disable=protected-access
        name='ansible_collections.ansible.windows.plugins.modules.win_ping', module_data=data, module_path=WIN_PING,
        module_args=args, environment={}, async_timeout=0, become_plugin=None, substyle='powershell', task_vars={},
        profile='legacy')


def _legacy_stdin(args):
    # ansible-core 2.16-2.18 _create_powershell_wrapper: exec wrapper text, \0\0\0\0, JSON manifest
    manifest = {'module_entry': base64.b64encode(b'#!powershell\n').decode(), 'module_args': args,
                'actions': ['module_powershell_wrapper'], 'powershell_modules': {}, 'csharp_utils': {}}
    return b'$json_raw = ...exec wrapper...\n\0\0\0\0' + json.dumps(manifest).encode()


def test_decodes_the_current_packaging():
    call = packaging.decode_stdin(_ansible_stdin({'data': 'hi', '_ansible_module_name': 'win_ping'}))
    assert (call.name, call.layout, call.args['data']) == ('ansible.windows.win_ping', '2.19+', 'hi')
    assert '$module.Result.ping = $data' in call.source


def test_decodes_the_legacy_packaging():
    call = packaging.decode_stdin(_legacy_stdin({'_ansible_module_name': 'ansible.windows.win_powershell',
                                                 'script': 'x'}))
    assert (call.name, call.layout, call.args['script']) == ('ansible.windows.win_powershell', '2.16-2.18', 'x')


@pytest.mark.parametrize('stdin, match', [
    (b'plain text', 'neither'),
    (_legacy_stdin({'script': 'x'}), '_ansible_module_name'),
    (_legacy_stdin({'_ansible_module_name': 'x'}).replace(b'module_powershell_wrapper', b'async_wrapper'),
     'only module_powershell_wrapper'),
])
def test_unknown_packaging_fails_loudly(stdin, match):
    with pytest.raises(packaging.UnknownPackaging, match=match):
        packaging.decode_stdin(stdin)


def test_become_in_the_manifest_is_refused():
    stdin = _ansible_stdin({'_ansible_module_name': 'win_ping'})
    bootstrap, manifest = stdin.split(packaging.NEW_SEPARATOR, 1)
    manifest = json.loads(manifest)
    manifest['actions'].insert(0, {'name': 'become_wrapper.ps1', 'params': {}, 'secure_params': {}})
    with pytest.raises(packaging.UnknownPackaging, match='become'):
        packaging.decode_stdin(bootstrap + packaging.NEW_SEPARATOR + json.dumps(manifest).encode())


def test_decode_command_reads_the_encoded_bootstrap():
    script = 'if ($PSVersionTable) { "x" }'
    encoded = base64.b64encode(script.encode('utf-16-le')).decode()
    assert packaging.decode_command('PowerShell', '-NoProfile -EncodedCommand ' + encoded) == script
    with pytest.raises(packaging.UnknownPackaging):
        packaging.decode_command('cmd.exe', '/c dir')


@pytest.fixture
def ntlm_users(tmp_path, monkeypatch):
    path = tmp_path / 'users'
    auth.write_user_file(str(path), 'ansible', 'Secret-1')
    monkeypatch.setenv('NTLM_USER_FILE', str(path))


def _handshake(server, password, bindings=None):
    client = spnego.client('ansible', password, protocol='ntlm', channel_bindings=bindings,
                           options=spnego.NegotiateOptions.use_ntlm)
    challenge = server.step('Negotiate ' + base64.b64encode(client.step()).decode())
    assert server.step('Negotiate ' + base64.b64encode(client.step(challenge)).decode()) is None
    return client


def test_ntlm_seals_both_ways_like_pywinrm(ntlm_users):
    server = auth.NtlmSession()
    client = ShimSessionSecurity(_handshake(server, 'Secret-1'))
    assert server.complete
    # the client's side of pywinrm's Encryption: 4-byte length, signature, sealed data
    sealed, signature = client.wrap(b'<s:Envelope/>')
    body = (auth.BOUNDARY + b'\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n'
            b'\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=13\r\n' + auth.BOUNDARY + b'\r\n'
            b'\tContent-Type: application/octet-stream\r\n' + len(signature).to_bytes(4, 'little') + signature + sealed
            + auth.BOUNDARY + b'--\r\n')
    assert server.unseal(body) == b'<s:Envelope/>'
    reply = server.seal(b'<answer/>')
    payload = reply.split(b'application/octet-stream\r\n', 1)[1][:-len(auth.BOUNDARY + b'--\r\n')]
    assert client.unwrap(payload[20:], payload[4:20]) == b'<answer/>'


def test_ntlm_rejects_a_wrong_password(ntlm_users):
    with pytest.raises(auth.AuthFailed):
        _handshake(auth.NtlmSession(), 'Wrong-1')


def test_ntlm_rejects_mismatched_channel_bindings(ntlm_users, tmp_path):
    _context, der = tls.make_context(str(tmp_path))
    _other, other_der = tls.make_context(str(tmp_path))
    _handshake(auth.NtlmSession(auth.tls_server_end_point(der)), 'Secret-1', auth.tls_server_end_point(der))
    with pytest.raises(auth.AuthFailed, match='bindings'):
        _handshake(auth.NtlmSession(auth.tls_server_end_point(der)), 'Secret-1', auth.tls_server_end_point(other_der))


def test_basic_checks_user_and_password():
    header = 'Basic ' + base64.b64encode(b'Ansible:pw').decode()
    assert auth.check_basic(header, 'ansible', 'pw')
    with pytest.raises(auth.AuthFailed):
        auth.check_basic(header, 'ansible', 'other')


@pytest.fixture
def endpoint(tmp_path, ntlm_users):
    save_host(str(tmp_path), 'win1', FakeWindowsHost())
    ep = Endpoint(HostStore(str(tmp_path)), {'win1': HostConfig()}, transports=('ntlm', 'basic'),
                  password='Secret-1').start()
    yield ep
    ep.stop()


@pytest.mark.parametrize('transport', ['ntlm', 'basic'])
def test_pywinrm_runs_ansible_packaging_through_a_shell(endpoint, transport):
    address, port = endpoint.addresses['win1']
    proto = winrm.Protocol('http://%s:%d/wsman' % (address, port), transport=transport, username='ansible',
                           password='Secret-1', operation_timeout_sec=5, read_timeout_sec=10)
    shell = proto.open_shell(codepage=65001)
    command = proto.run_command(shell, 'PowerShell', ['-NoProfile', '-EncodedCommand', _encoded(BOOTSTRAP)],
                                console_mode_stdin=False)
    proto.send_command_input(shell, command, _ansible_stdin({'data': 'over-the-wire',
                                                             '_ansible_module_name': 'win_ping'}), end=True)
    stdout, stderr, rc = proto.get_command_output(shell, command)
    proto.cleanup_command(shell, command)
    proto.close_shell(shell)
    assert (rc, stderr) == (0, b'')
    assert json.loads(stdout)['ping'] == 'over-the-wire'
    stats = endpoint.stats.as_dict()['win1']
    assert stats['actions'] == {'Create': 1, 'Command': 1, 'Send': 1, 'Receive': 1, 'Signal': 1, 'Delete': 1}
    assert endpoint.errors == []


def test_a_command_that_is_not_ansibles_exits_1_and_is_recorded(endpoint):
    address, port = endpoint.addresses['win1']
    proto = winrm.Protocol('http://%s:%d/wsman' % (address, port), transport='basic', username='ansible',
                           password='Secret-1', operation_timeout_sec=5, read_timeout_sec=10)
    shell = proto.open_shell(codepage=65001)
    command = proto.run_command(shell, 'ipconfig', ['/all'])
    proto.send_command_input(shell, command, b'', end=True)
    _stdout, stderr, rc = proto.get_command_output(shell, command)
    assert rc == 1 and b'not an encoded PowerShell command' in stderr
    assert any('ipconfig' in e for e in endpoint.errors)


@pytest.mark.parametrize('command,arguments,named', [
    ('ipconfig', ['/all'], "not an encoded PowerShell command: 'ipconfig /all'"),
    ('/bin/sh', ['-c', 'echo ~'], "not an encoded PowerShell command: '/bin/sh -c echo ~'"),
    # ansible's raw commands and the shell text of a play on the POSIX path: encoded, but reading no stdin
    ('PowerShell', ['-NoProfile', '-EncodedCommand', _encoded('echo ~')],
     "a command that reads no stdin): PowerShell -EncodedCommand of 'echo ~'"),
])
def test_a_command_given_no_stdin_that_is_not_ansibles_is_refused_at_once(endpoint, command, arguments, named):
    # No Send at all: the command never gets stdin, so only an answer given when it is created ends it.
    # One Receive (a generous 20 s OperationTimeout): a host waiting for stdin answers it with the
    # OperationTimeout fault, which pywinrm raises as WinRMOperationTimeoutError.
    address, port = endpoint.addresses['win1']
    proto = winrm.Protocol('http://%s:%d/wsman' % (address, port), transport='basic', username='ansible',
                           password='Secret-1', operation_timeout_sec=20, read_timeout_sec=30)
    shell = proto.open_shell(codepage=65001)
    command_id = proto.run_command(shell, command, arguments)
    stdout, stderr, rc, done = proto.get_command_output_raw(shell, command_id)
    assert (stdout, rc, done) == (b'', 1, True) and named.encode() in stderr
    stats = endpoint.stats.as_dict()['win1']
    assert stats['actions']['Receive'] == 1 and stats['operation_timeouts'] == 0
    assert any(named in e for e in endpoint.errors)


def test_decode_command_keeps_only_scripts_reading_stdin():
    assert packaging.reads_stdin(BOOTSTRAP) == BOOTSTRAP
    # the 2.16-2.18 bootstrap wrapper reads stdin as `$input | Out-String`
    assert packaging.reads_stdin('&chcp.com 65001 > $null\n$exec_wrapper_str = $input | Out-String\n')
    with pytest.raises(packaging.UnknownPackaging, match="reads no stdin.*'echo FOUND; command -v python3'"):
        packaging.reads_stdin('echo FOUND; command -v python3')


def test_a_posix_module_on_stdin_is_named():
    ansiballz = (b'#!/usr/bin/python3\nfrom __future__ import annotations\n\nif __name__ == "__main__":\n'
                 b"    _ansiballz_main(\nansible_module='file',\nmodule_fqn='ansible.modules.file',\n)\n")
    with pytest.raises(packaging.UnknownPackaging,
                       match=r'a POSIX module \(ansible.modules.file, #!/usr/bin/python3\) sent to a Windows host'):
        packaging.decode_stdin(ansiballz)


def test_pass_vars_come_from_the_shipped_ansible_basic():
    # 2.19+ ships Ansible.Basic.cs in the manifest; its passVars are what the module accepts
    call = packaging.decode_stdin(_ansible_stdin({'_ansible_module_name': 'win_ping'}))
    assert {'check_mode', 'module_name', 'no_log', 'verbosity'} <= set(call.pass_vars)
    # a 2.16-2.18 manifest carries Ansible.Basic in csharp_utils; its list has string_conversion_action
    basic = ('private Dictionary<string, string> passVars = new Dictionary<string, string>()\n{\n'
             '    { "check_mode", "CheckMode" },\n    { "string_conversion_action", null },\n};')
    stdin = _legacy_stdin({'_ansible_module_name': 'win_ping'})
    wrapper, manifest = stdin.split(packaging.OLD_SEPARATOR, 1)
    manifest = json.loads(manifest)
    manifest['csharp_utils']['Ansible.Basic'] = base64.b64encode(basic.encode()).decode()
    call = packaging.decode_stdin(wrapper + packaging.OLD_SEPARATOR + json.dumps(manifest).encode())
    assert call.pass_vars == ('check_mode', 'string_conversion_action')
