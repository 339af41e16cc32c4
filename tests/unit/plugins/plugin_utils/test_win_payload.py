# -*- coding: utf-8 -*-
"""Payload composition (plugins/plugin_utils/_win_payload.py): a block several payloads share is kept once,
as a prelude in plugins/payloads/_preludes/, and composed into each payload that declares it - after its
param() block - before the script is sent. The host receives the composed script and nothing else."""

from __future__ import annotations

import glob
import os
import re

import pytest
import tree_sitter
import tree_sitter_powershell

from ansible_collections.hkpost.ecert.plugins.plugin_utils import _win_payload
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import (
    PayloadError, compose, load_payload, payload_names, payload_path, run_payload)
from tests.support.windows import exchange as _exchange  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as _retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.exchange import add_account, exchange_state
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert
from tests.support.windows.powershell import parse_script

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PRELUDES = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(ROOT, 'plugins/payloads/_preludes/*.ps1')))
DECLARATION = re.compile(r'^[ \t]*# hkpost\.ecert prelude: (\w+)[ \t]*$', re.M)
_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
# Which payloads share which block: the Exchange session (three exchange_* payloads, retire_read and
# certificate_inventory_read), the IIS binding read (iis_bindings_read, retire_read, certificate_inventory_read) and
# the blocks named below.
USERS = {'exchange_session': ['certificate_inventory_read', 'exchange_enable', 'exchange_read',
                              'exchange_request', 'exchange_request_many', 'retire_read'],
         'iis_bindings': ['certificate_inventory_read', 'iis_bindings_read', 'retire_read'],
         'native_command': ['chain_apply', 'complete_request', 'csr_create', 'csr_create_many', 'exchange_enable',
                            'iis_apply'],
         # the chain: read once (chain_read, and retire_read when hkpost_install is given a chain), its plan's steps
         # run once (chain_apply, and in the install's first write: iis_apply's chain steps, exchange_enable)
         'chain_stores': ['chain_read', 'retire_read'],
         'chain_steps': ['chain_apply', 'exchange_enable', 'iis_apply'],
         'pfx_export': ['csr_create_many', 'exchange_enable', 'exchange_request_many', 'iis_apply', 'pfx_export_many'],
         # certreq -accept -machine and the IIS binding writes: functions iis_apply's step loop calls
         'certreq_accept': ['complete_request', 'iis_apply'],
         'iis_binding_write': ['iis_apply'],
         'host_consumers': ['certificate_inventory_read', 'retire_read'],
         # The Exchange certificates with their services and status, read once (exchange_read adds the request text)
         'exchange_certificates': ['certificate_inventory_read', 'exchange_read', 'retire_read'],
         # New-ExchangeCertificate -GenerateRequest and the pending requests' listing, one way for one request or many
         'exchange_requests': ['exchange_request', 'exchange_request_many'],
         # the Cert: drive's LocalMachine stores, each certificate's thumbprint, DER, key present and friendly name
         'machine_stores': ['certificate_inventory_read', 'csr_pending_read', 'ecert_store_read', 'retire_read'],
         # Get-DnsServerResourceRecord -Node and its "nothing there yet" (WIN32 9714), for the TXT read and write
         'dns_txt': ['dcv_windows_dns_read', 'dcv_windows_dns_write'],
         # Get-Website: each site's state, physical path and bindings, for the http-01 and the DCV webroots
         'web_sites': ['acme_iis_read', 'dcv_iis_read']}
PASSWORD = 'c0rrect-Horse-battery'


def _file(name):
    with open(payload_path(name), encoding='utf-8') as f:
        return f.read()


def _prelude(prelude):
    with open(os.path.join(ROOT, 'plugins/payloads/_preludes', prelude + '.ps1'), encoding='utf-8') as f:
        return f.read()


def test_each_prelude_is_declared_by_exactly_the_payloads_that_share_it():
    declared = {}
    for name in payload_names():
        for prelude in DECLARATION.findall(_file(name)):
            declared.setdefault(prelude, []).append(name)
    assert declared == USERS and sorted(USERS) == PRELUDES


def test_a_payload_without_a_declaration_is_sent_as_its_file():
    for name in payload_names():
        if not DECLARATION.search(_file(name)):
            assert load_payload(name) == _file(name)


@pytest.mark.parametrize('name', sorted({n for names in USERS.values() for n in names}))
def test_each_prelude_is_composed_in_at_its_declaration_with_its_indentation(name):
    text, composed = _file(name), load_payload(name)
    undone = composed
    for line in re.finditer(r'^([ \t]*)# hkpost\.ecert prelude: (\w+)$', text, re.M):
        indent, prelude = line.group(1), line.group(2)
        block = ''.join(indent + row if row.strip() else row for row in _prelude(prelude).rstrip('\n').splitlines(True))
        expected = line.group(0) + '\n' + block + '\n' + indent + '# hkpost.ecert prelude %s ends' % prelude
        assert composed.count(expected) == 1, prelude
        undone = undone.replace(expected, line.group(0))
    # Nothing else changes: without the preludes' lines the composed script is the file.
    assert undone == text
    # After param(): the composed script still binds the parameters the file declares.
    assert [p.name for p in parse_script(composed).parameters] == [p.name for p in parse_script(text).parameters]


def _walk(node):
    """The nodes of a script outside its function definitions (a function's body runs only when called)."""
    if node.type == 'function_statement':
        return
    yield node
    for child in node.children:
        yield from _walk(child)


def _variables(root):
    """The variables the script reads at its top level, and those it assigns there (lower case, with $)."""
    assigned = set()
    for node in _walk(root):
        if node.type == 'left_assignment_expression':
            assigned |= {n.text.decode().lower() for n in _walk(node)
                         if n.type == 'variable' and n.parent.type != 'member_access'}
        elif node.type == 'foreach_statement':
            # foreach ($item in $Items) assigns its loop variable, the first variable of the statement.
            loop = next((n for n in node.children if n.type == 'variable'), None)
            if loop is not None:
                assigned.add(loop.text.decode().lower())
    # A splat (@sessionArgs) reads the variable $sessionArgs.
    read = {'$' + n.text.decode().lower()[1:] for n in _walk(root) if n.type == 'variable'}
    return read - assigned, assigned


def _function_parameters(name, prelude):
    """The parameters of the function a payload declares ``prelude`` in (iis_apply's Export-PfxItem takes the
    $Items the pfx_export prelude reads), empty when it is declared at script level."""
    line = ('# hkpost.ecert prelude: %s' % prelude).encode('utf-8')
    nodes = [_PARSER.parse(_file(name).encode('utf-8')).root_node]
    while nodes:
        node = nodes.pop()
        if node.type == 'function_statement' and line in node.text:
            declaration = [c for c in node.children if c.type == 'function_parameter_declaration']
            return {v.text.decode().lower()[1:] for c in declaration for v in _walk(c) if v.type == 'variable'}
        nodes.extend(node.children)
    return set()


@pytest.mark.parametrize('prelude', PRELUDES)
def test_a_prelude_reads_only_parameters_every_payload_using_it_declares(prelude):
    """A prelude cannot take arguments: what it reads must be a parameter of each payload that declares it."""
    found, _assigned = _variables(_PARSER.parse(_prelude(prelude).encode('utf-8')).root_node)
    automatic = {'$true', '$false', '$null', '$_'}
    read = {v[1:] for v in found if v not in automatic and not v.startswith('$env:')}
    for name in USERS[prelude]:
        parameters = {p.name.lower(): p for p in parse_script(load_payload(name)).parameters}
        assert read <= set(parameters) | _function_parameters(name, prelude), \
            '%s does not declare %s, which prelude %s reads' % (name, sorted(read - set(parameters)), prelude)
        if 'credential' in read:
            # Secrets stay sensitive_parameters: win_powershell makes the PSCredential.
            assert parameters['credential'].type == 'pscredential'
    if prelude == 'exchange_session':
        assert read == {'connectionuri', 'authentication', 'credential'}


def test_the_shared_blocks_stand_in_one_file_each():
    for name in payload_names():
        text = _file(name)
        assert 'New-PSSession' not in text and '$sessionArgs' not in text, name
        assert 'function Read-SslMapping' not in text and 'function Read-IisSite' not in text, name
        assert "GetAttributeValue('sslFlags')" not in text, name
        assert 'function Invoke-NativeCommand' not in text, name
        # the blocks issue 21 made preludes: the store read, the Exchange certificate and request reads, the DNS
        # TXT read, the IIS site read
        assert 'Get-ChildItem -LiteralPath $path' not in text and 'Get-Website' not in text, name
        assert 'New-ExchangeCertificate @' not in text and "[string]$_.Status -eq 'PendingRequest'" not in text, name
        assert '[string]$_.Services' not in text and 'Get-DnsServerResourceRecord' not in text, name
        assert "Read-SslMapping 'SslBindingInfo'" not in text and 'Microsoft.Web.Administration.dll' not in text, name
    assert not os.path.exists(os.path.join(ROOT, 'plugins/payloads/install/pfx_export.ps1'))


# -- what compose refuses -------------------------------------------------------------------------

HEAD = '# hkpost.ecert payload: demo\n[CmdletBinding()]\nparam(\n    [string]$ConnectionUri\n)\n'


def test_compose_refuses_a_declaration_before_param():
    text = '# hkpost.ecert payload: demo\n# hkpost.ecert prelude: exchange_session\nparam(\n    [string]$X\n)\n'
    with pytest.raises(PayloadError, match='declared before the end of its param'):
        compose('demo', text)
    with pytest.raises(PayloadError, match='declared before the end of its param'):
        compose('demo', '# hkpost.ecert payload: demo\n# hkpost.ecert prelude: exchange_session\n$x = 1\n')


def test_compose_finds_the_end_of_an_empty_param_block():
    text = '# hkpost.ecert payload: demo\n[CmdletBinding()]\nparam()\n# hkpost.ecert prelude: iis_bindings\n'
    assert 'function Read-SslMapping' in compose('demo', text)
    with pytest.raises(PayloadError, match='declared before the end of its param'):
        compose('demo', '# hkpost.ecert payload: demo\nparam(\n# hkpost.ecert prelude: iis_bindings\n    [string]$X\n)\n')


def test_compose_refuses_an_unknown_or_repeated_prelude():
    with pytest.raises(PayloadError, match='prelude no_such_block, which is not in'):
        compose('demo', HEAD + '# hkpost.ecert prelude: no_such_block\n')
    with pytest.raises(PayloadError, match='declared twice'):
        compose('demo', HEAD + '# hkpost.ecert prelude: exchange_session\n# hkpost.ecert prelude: exchange_session\n')


def test_compose_refuses_a_prelude_that_declares_another(tmp_path, monkeypatch):
    (tmp_path / 'outer.ps1').write_text('# hkpost.ecert prelude file: outer\n# hkpost.ecert prelude: inner\n')
    monkeypatch.setattr(_win_payload, 'PRELUDE_DIR', str(tmp_path))
    with pytest.raises(PayloadError, match='preludes do not nest'):
        compose('demo', HEAD + '# hkpost.ecert prelude: outer\n')


def test_a_mention_of_a_prelude_inside_a_line_is_not_a_declaration():
    text = HEAD + '$x = 1  # hkpost.ecert prelude: exchange_session\n'
    assert compose('demo', text) == text


def test_payload_index_skips_the_prelude_folder():
    assert not set(PRELUDES) & set(payload_names())
    with pytest.raises(PayloadError, match='no such payload'):
        payload_path('exchange_session')


# -- what the host receives -----------------------------------------------------------------------

class _Action:
    """An action plugin's _execute_module, wired to the fake host (what the task's connection would carry)."""

    def __init__(self, host):
        self.host = host
        self.sent = []

    def _execute_module(self, module_name=None, module_args=None, task_vars=None):
        self.sent.append(module_args['script'])
        return self.host.execute_module(module_name, module_args, task_vars)


def _exchange_host():
    host = FakeWindowsHost()
    exchange_state(host)
    add_account(host, 'EX\\svc-ecert', PASSWORD)
    return host


EXCHANGE = {'Server': 'ex1', 'ConnectionUri': 'https://ex1/PowerShell/', 'Authentication': 'Negotiate'}
CREDENTIAL = {'Credential': {'username': 'EX\\svc-ecert', 'password': PASSWORD}}


def test_run_payload_sends_the_composed_script_and_the_host_opens_the_session_it_holds():
    host = _exchange_host()
    action = _Action(host)
    answer = run_payload(action, {}, 'exchange_read', EXCHANGE, CREDENTIAL)
    assert action.sent == [load_payload('exchange_read')] and 'New-PSSession @sessionArgs' in action.sent[0]
    assert host.script == action.sent[0]
    # What the host did: one logon with the credential, the session opened and closed.
    assert exchange_state(host)['sessions'] == [{'uri': 'https://ex1/PowerShell/', 'auth': 'Negotiate',
                                                 'user': 'EX\\svc-ecert'}]
    assert answer == {'version': 'Version 14.3 (Build 123.4)', 'certificates': [], 'os_build': host.os_build}


def _raw(host, name, parameters, sensitive=None):
    """The payload's file sent as it is, without its preludes: what a host would get if composition broke."""
    args = {'script': _file(name), 'parameters': parameters, 'error_action': 'stop'}
    if sensitive:
        args['sensitive_parameters'] = [{'name': 'Credential', 'username': sensitive['Credential']['username'],
                                         'password': sensitive['Credential']['password']}]
    return host.execute_module('ansible.windows.win_powershell', args)


def test_the_host_fails_an_exchange_payload_sent_without_its_session_prelude():
    host = _exchange_host()
    result = _raw(host, 'exchange_read', EXCHANGE, CREDENTIAL)
    assert result['failed'] and "parameter 'Session'. The argument is null" in result['error'][0]['output']
    assert exchange_state(host)['sessions'] == []


def test_the_host_fails_an_iis_read_sent_without_its_functions():
    host = FakeWindowsHost()
    add_site(host, 'Default Web Site', [('https', '*:443:www.example.hk', 1)])
    map_sslcert(host, 'hostnameport', 'www.example.hk:443', 'AB' * 20)
    result = _raw(host, 'iis_bindings_read', {})
    assert result['failed'] and "The term 'Read-IisSite' is not recognized" in result['error'][0]['output']
    answer = run_payload(_Action(host), {}, 'iis_bindings_read', {})
    assert answer['sites'][0]['bindings'] == [{'protocol': 'https', 'binding_information': '*:443:www.example.hk',
                                               'ssl_flags': 1}]
    assert answer['sslcert']['hostnameport'] == [{'endpoint': 'www.example.hk:443', 'thumbprint': 'AB' * 20,
                                                  'store': 'My'}]


def test_retire_read_without_its_preludes_stops_at_its_first_read():
    """retire_read reads the stores first (the machine_stores prelude's Read-MachineStore): without its preludes it
    stops there, before any Exchange session is opened."""
    host = _exchange_host()
    result = _raw(host, 'retire_read', dict(EXCHANGE, Exchange=True), CREDENTIAL)
    assert result['failed'] and "The term 'Read-MachineStore' is not recognized" in result['error'][0]['output']
    assert exchange_state(host)['sessions'] == []
    answer = run_payload(_Action(host), {}, 'retire_read', dict(EXCHANGE, Exchange=True), CREDENTIAL)
    assert answer['exchange'] == {'present': True, 'known': True, 'error': None, 'certificates': [],
                                  'hybrid': {'known': True, 'tls_certificate_name': None}}
    assert [s['user'] for s in exchange_state(host)['sessions']] == ['EX\\svc-ecert']


def test_a_prelude_with_a_here_string_is_declared_at_the_start_of_a_line(monkeypatch):
    """chain_stores holds Add-Type's C# source as a here-string, whose closing '@ must start its line: composing
    refuses to indent it, and every payload that uses it declares it unindented."""
    assert "'@" in _prelude('chain_stores')
    for name in USERS['chain_stores']:
        assert re.search(r'^# hkpost\.ecert prelude: chain_stores$', _file(name), re.M), name
        assert "\n'@\n" in load_payload(name)
    indented = _file('chain_read').replace('# hkpost.ecert prelude: chain_stores', '    # hkpost.ecert prelude: chain_stores')
    with pytest.raises(PayloadError, match='here-string'):
        compose('chain_read', indented)
