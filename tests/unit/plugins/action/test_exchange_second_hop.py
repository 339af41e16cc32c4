# -*- coding: utf-8 -*-
"""The Exchange session's second hop, refused before the host is contacted, by every action plugin that opens it
(issue 20).

Each row is a host as a user writes it in the inventory - ansible-core's real winrm/psrp plugin is configured from
those variables (tests/support/connections.py) - plus the task's Exchange options -> a fragment of the refusal
(and no payload ran, the fake host unchanged), or the session the fake Exchange server saw open.
"""

from __future__ import annotations

import glob
import importlib
import os
import re

import pytest
from ansible.errors import AnsibleActionFail
from ansible.template import trust_as_template

from ansible_collections.hkpost.ecert.plugins.action import (
    exchange_cert, hkpost_certificate_inventory, hkpost_csr, hkpost_install, hkpost_retire)
from tests.support.action_harness import run_action
from tests.support.connections import inventory_connection
from tests.support.unchanged import host_state
from tests.support.windows import retire as fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import inventory as fake_inventory  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.exchange import add_account, exchange_state
from tests.support.windows.host import FakeWindowsHost

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
HOST = 'mail01.corp.example.hk'
USER, PASSWORD = 'CORP\\svc-exchange', 'Exch-Session-4417'
# The plugins that open the session, each with the options of a task that opens it.
PLUGINS = {
    'exchange_cert': (exchange_cert.ActionModule,
                      {'state': 'requested', 'common_name': 'mail.example.hk', 'organization': 'Example Co., Ltd.'}),
    'hkpost_retire': (hkpost_retire.ActionModule, {'exchange': True}),
    'hkpost_install': (hkpost_install.ActionModule, {'platform': 'exchange', 'certificates': [], 'backup': False,
                                                     'verify': False}),
    'hkpost_certificate_inventory': (hkpost_certificate_inventory.ActionModule, {'exchange': True}),
    # the csr role's read of an Exchange server (state: present reads through the same method when not given one)
    'hkpost_csr': (hkpost_csr.ActionModule, {'list_pending': True, 'platform': 'exchange'}),
}
WINRM = {'ansible_connection': 'winrm', 'ansible_port': 5986, 'ansible_winrm_scheme': 'https',
         'ansible_user': 'svc-ecert@CORP.EXAMPLE.HK', 'ansible_password': 'Conn-Pass-1'}
NTLM = dict(WINRM, ansible_winrm_transport='ntlm', ansible_user='CORP\\svc-ecert')
PSRP = {'ansible_connection': 'psrp', 'ansible_psrp_protocol': 'https', 'ansible_user': 'svc-ecert@CORP.EXAMPLE.HK',
        'ansible_password': 'Conn-Pass-1'}
NO_CREDENTIALS = r'a second hop .*no username was given, and the %s does not delegate.*0x8009030e\. Choose one'

REFUSED = [
    ('winrm ntlm', NTLM, {}, NO_CREDENTIALS % r'winrm connection \(ntlm\)'),
    ('winrm kerberos (a UPN, no transport) without delegation', WINRM, {},
     NO_CREDENTIALS % r'winrm connection \(kerberos, no delegation\)'),
    ('winrm basic (no transport, not a UPN)', dict(WINRM, ansible_user='Administrator'), {},
     NO_CREDENTIALS % r'winrm connection \(basic\)'),
    # the winrm plugin's remote_user is None then: its transport guess (not a UPN) is basic
    ('winrm with no ansible_user and no transport', {k: v for k, v in WINRM.items() if k != 'ansible_user'}, {},
     NO_CREDENTIALS % r'winrm connection \(basic\)'),
    ('winrm kerberos, delegation false', dict(WINRM, ansible_winrm_transport='kerberos',
                                              ansible_winrm_kerberos_delegation='false'), {},
     NO_CREDENTIALS % r'winrm connection \(kerberos, no delegation\)'),
    # not a boolean: pywinrm (transport.py, strtobool) and the winrm plugin's kinit (boolean, strict) would both
    # fail on it; it is refused here as no delegation, before the host is contacted, not a traceback
    ('winrm kerberos, delegation not a boolean', dict(WINRM, ansible_winrm_transport='kerberos',
                                                      ansible_winrm_kerberos_delegation='maybe'), {},
     NO_CREDENTIALS % r'winrm connection \(kerberos, no delegation\)'),
    ('psrp negotiate (its default)', PSRP, {}, NO_CREDENTIALS % r'psrp connection \(negotiate, no delegation\)'),
    ('psrp ntlm with negotiate_delegate', dict(PSRP, ansible_psrp_auth='ntlm', ansible_psrp_negotiate_delegate=True), {},
     NO_CREDENTIALS % r'psrp connection \(ntlm\)'),
    ('second_hop credssp over ntlm', NTLM, {'second_hop': 'credssp'}, r'second_hop is credssp but the winrm connection'),
    ('a bad hkpost_exchange_second_hop', dict(NTLM, hkpost_exchange_second_hop='delegation'), {},
     r'hkpost_exchange_second_hop is "delegation"; give one of auto, credentials, kerberos_delegation, credssp'),
    ('an IP address as server', NTLM, {'server': '192.0.2.25', 'username': USER, 'password': PASSWORD},
     r'"192\.0\.2\.25" \(from server\) is an IP address, and authentication Kerberos needs'),
    ('become runas without a password (an S4U logon: no credentials either)',
     dict(NTLM, ansible_become=True, ansible_become_method='runas', ansible_become_user=USER),
     {}, NO_CREDENTIALS % r'winrm connection \(ntlm\)'),
    ('a short inventory name', dict(NTLM, inventory_hostname='mail01'), {'username': USER, 'password': PASSWORD},
     r'"mail01" \(from the inventory name \(server is not set\)\) is a short name'),
]

ACCEPTED = [
    ('credentials over ntlm', NTLM, {'username': USER, 'password': PASSWORD}, USER),
    ('winrm kerberos with delegation', dict(WINRM, ansible_winrm_transport='kerberos',
                                            ansible_winrm_kerberos_delegation=True), {}, None),
    ('winrm kerberos with delegation, as an ini inventory writes it',
     dict(WINRM, ansible_winrm_transport='kerberos', ansible_winrm_kerberos_delegation='true'), {}, None),
    ('winrm credssp', dict(WINRM, ansible_winrm_transport='credssp'), {}, None),
    ('psrp credssp', dict(PSRP, ansible_psrp_auth='credssp'), {}, None),
    ('psrp kerberos with negotiate_delegate', dict(PSRP, ansible_psrp_auth='kerberos',
                                                   ansible_psrp_negotiate_delegate=True), {}, None),
    ('second_hop kerberos_delegation (resource-based, out of band) over ntlm', NTLM,
     {'second_hop': 'kerberos_delegation'}, None),
    ('hkpost_exchange_second_hop in the inventory', dict(NTLM, hkpost_exchange_second_hop='kerberos_delegation'), {},
     None),
    # task_vars hold inventory variables untemplated (trusted templates in ansible-core 2.19): rendered first
    ('hkpost_exchange_second_hop as a template', dict(NTLM, hkpost_exchange_second_hop=trust_as_template(
        "{{ 'kerberos' ~ '_delegation' }}")), {}, None),
    ('become runas with a password', dict(NTLM, ansible_become=True, ansible_become_method='runas', ansible_become_user=USER,
                                          ansible_become_password=PASSWORD), {}, None),
    ('a short server name with Negotiate', NTLM, {'server': 'mail01', 'authentication': 'Negotiate',
                                                  'username': USER, 'password': PASSWORD}, USER),
]


def exchange_host():
    host = FakeWindowsHost(os_build=7601)
    exchange_state(host)
    add_account(host, USER, PASSWORD)
    return host


def run(plugin, hostvars, options, host):
    action, args = PLUGINS[plugin]
    task_vars = dict({'inventory_hostname': HOST}, **hostvars)
    return run_action(action, dict(args, **options), host=host, task_vars=task_vars,
                      connection=inventory_connection(hostvars))


@pytest.mark.parametrize('plugin', sorted(PLUGINS))
@pytest.mark.parametrize('hostvars,options,fragment', [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_refused_before_the_host_is_contacted(plugin, hostvars, options, fragment):
    host = exchange_host()
    before = host_state(host)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run(plugin, hostvars, options, host)
    assert host.calls == [] and host_state(host) == before


@pytest.mark.parametrize('plugin', sorted(PLUGINS))
@pytest.mark.parametrize('hostvars,options,user', [r[1:] for r in ACCEPTED], ids=[r[0] for r in ACCEPTED])
def test_accepted_and_the_session_opens(plugin, hostvars, options, user):
    host = exchange_host()
    run(plugin, hostvars, options, host)
    (session,) = host.state['exchange']['sessions'][:1]
    assert session['user'] == user
    assert session['uri'] == 'http://%s/PowerShell/' % options.get('server', HOST)


def test_every_plugin_that_opens_the_session_is_in_the_tables_and_builds_it_in_one_place():
    """A plugin taking the session's options is covered by the rows above, and none builds the session's
    parameters itself (a twin of plugin_utils/_exchange_session.py would skip the refusal)."""
    actions = os.path.join(ROOT, 'plugins', 'action')
    takes = set()
    for path in sorted(glob.glob(os.path.join(actions, '*.py'))):
        name = os.path.basename(path)[:-3]
        module = importlib.import_module('ansible_collections.hkpost.ecert.plugins.action.' + name)
        if 'connection_uri' in getattr(module.ActionModule, 'ARGUMENT_SPEC', {}):
            takes.add(name)
        with open(path, encoding='utf-8') as handle:
            # a dict entry or keyword that sets it; reading it back (['ConnectionUri']) is fine
            assert not re.search(r'[\'"]ConnectionUri[\'"]\s*:|ConnectionUri\s*=', handle.read()), \
                '%s builds the Exchange session parameters itself' % name
    assert takes == set(PLUGINS)
