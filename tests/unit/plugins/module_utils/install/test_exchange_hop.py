# -*- coding: utf-8 -*-
"""check_exchange_session: the Exchange session's second hop and Kerberos endpoint, decided on the controller (issue 20).

One row per case: the task's Exchange options and the connection (as plugin_utils/_connection_auth describes it)
-> a fragment of the refusal, or the way the session authenticates. The action-level tables
(tests/unit/plugins/action/test_exchange_second_hop.py) run the same decisions through the real plugins.
"""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange_hop import check_exchange_session

FQDN = 'mail1.corp.example.hk'


def winrm(*auth, delegates=False, become=False):
    return {'plugin': 'winrm', 'auth': list(auth), 'delegates': delegates, 'become': become}


def psrp(auth, delegates=False):
    return {'plugin': 'psrp', 'auth': [auth], 'delegates': delegates, 'become': False}


UNKNOWN = {'plugin': None, 'auth': [], 'delegates': False, 'become': False}
CREDENTIALS = {'username': 'CORP\\svc-ecert', 'password': 'S3cret!pass'}


def options(**change):
    return dict({'server': FQDN, 'connection_uri': None, 'authentication': 'Kerberos', 'username': None,
                 'password': None, 'second_hop': 'auto'}, **change)


THREE_WAYS = r'Choose one: give the Exchange session its own account: username and password.*Kerberos delegation.*' \
             r'ansible_winrm_kerberos_delegation: true.*second_hop: kerberos_delegation.*CredSSP: ' \
             r'ansible_winrm_transport: credssp.*Nothing was sent to the host'

REFUSED = [
    ('ntlm, no username', options(), winrm('ntlm'),
     r'a second hop - .*no username was given, and the winrm connection \(ntlm\) does not delegate.*0x8009030e\. '
     + THREE_WAYS),
    ('basic (the winrm default), no username', options(), winrm('basic'), r'winrm connection \(basic\) does not delegate'),
    ('certificate, no username', options(), winrm('certificate'), r'winrm connection \(certificate\) does not delegate'),
    ('kerberos without delegation', options(), winrm('kerberos'),
     r'winrm connection \(kerberos, no delegation\) does not delegate'),
    ('psrp negotiate without delegation', options(), psrp('negotiate'), r'psrp connection \(negotiate, no delegation\)'),
    ('psrp ntlm: negotiate_delegate is ignored', options(), psrp('ntlm', delegates=True),
     r'psrp connection \(ntlm\) does not delegate'),
    ('username without password', options(username='CORP\\svc-ecert'), winrm('credssp'), r'username needs password'),
    ('Basic to Exchange without a username', options(authentication='Basic', server='mail1'), winrm('credssp'),
     r'authentication Basic sends a user name and password, and none was given'),
    ('second_hop credentials without a username', options(second_hop='credentials'), winrm('kerberos', delegates=True),
     r'second_hop is credentials but no username was given'),
    ('second_hop credssp over ntlm', options(second_hop='credssp'), winrm('ntlm'),
     r'second_hop is credssp but the winrm connection authenticates with ntlm; set ansible_winrm_transport: credssp'),
    ('second_hop credssp over psrp kerberos', options(second_hop='credssp'), psrp('kerberos'),
     r'set ansible_psrp_auth: credssp'),
    ('an IP address as server', options(server='192.0.2.25', **CREDENTIALS), winrm('ntlm'),
     r'endpoint host "192\.0\.2\.25" \(from server\) is an IP address, and authentication Kerberos needs the '
     r'server\'s fully qualified domain name.*HTTP/<fqdn>.*Nothing was sent'),
    ('a short server name', options(server='mail1', **CREDENTIALS), winrm('ntlm'),
     r'"mail1" \(from server\) is a short name'),
    ('localhost', options(server='localhost', **CREDENTIALS), winrm('ntlm'), r'"localhost" \(from server\) is a short name'),
    ('the short inventory name', options(server=None, **CREDENTIALS), winrm('ntlm'),
     r'"ex1" \(from the inventory name \(server is not set\)\) is a short name.*Set server \(hkpost_exchange_server\)'),
    ('the short inventory name given as server', options(server='ex1', **CREDENTIALS), winrm('ntlm'),
     r'"ex1" \(from server\) is a short name'),
    ('an IP address in connection_uri', options(connection_uri='https://10.0.0.5/PowerShell/', **CREDENTIALS),
     winrm('credssp'), r'"10\.0\.0\.5" \(from connection_uri\) is an IP address'),
    ('an IPv6 address in connection_uri', options(connection_uri='http://[2001:db8::5]/PowerShell/'), UNKNOWN,
     r'"2001:db8::5" \(from connection_uri\) is an IP address'),
    ('a short name in connection_uri over an FQDN server', options(connection_uri='http://mail1/PowerShell/'), UNKNOWN,
     r'"mail1" \(from connection_uri\) is a short name'),
    ('connection_uri not a URL', options(connection_uri='mail1/PowerShell'), UNKNOWN, r'is not an http\(s\) URL'),
]

ACCEPTED = [
    ('credentials over ntlm', options(**CREDENTIALS), winrm('ntlm'), 'credentials'),
    ('credentials declared and given', options(second_hop='credentials', **CREDENTIALS), winrm('basic'), 'credentials'),
    ('kerberos with delegation', options(), winrm('kerberos', delegates=True), 'kerberos_delegation'),
    ('psrp kerberos with negotiate_delegate', options(), psrp('kerberos', delegates=True), 'kerberos_delegation'),
    ('psrp negotiate with negotiate_delegate', options(), psrp('negotiate', delegates=True), 'kerberos_delegation'),
    ('winrm credssp', options(), winrm('credssp'), 'credssp'),
    ('psrp credssp', options(), psrp('credssp'), 'credssp'),
    ('credssp among the transports tried', options(), winrm('ntlm', 'credssp'), 'credssp'),
    ('credssp declared, connection unreadable', options(second_hop='credssp'), UNKNOWN, 'credssp'),
    ('delegation configured out of band, over ntlm', options(second_hop='kerberos_delegation'), winrm('ntlm'),
     'kerberos_delegation'),
    ('become runas logs on with a password', options(), winrm('ntlm', become=True), 'become'),
    ('a connection whose authentication cannot be read', options(), UNKNOWN, 'unknown'),
    ('a short name with Negotiate', options(server='mail1', authentication='Negotiate', **CREDENTIALS), winrm('ntlm'),
     'credentials'),
    ('an FQDN with its root dot', options(server=FQDN + '.', **CREDENTIALS), winrm('ntlm'), 'credentials'),
]


@pytest.mark.parametrize('given,connection,fragment', [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_refused(given, connection, fragment):
    with pytest.raises(HkpostError, match=fragment):
        check_exchange_session(given, connection, 'ex1')


@pytest.mark.parametrize('given,connection,way', [r[1:] for r in ACCEPTED], ids=[r[0] for r in ACCEPTED])
def test_accepted(given, connection, way):
    assert check_exchange_session(given, connection, 'ex1')['second_hop'] == way


def test_endpoint_defaults_to_the_server_then_the_inventory_name():
    decided = check_exchange_session(options(server=None), UNKNOWN, FQDN)
    assert (decided['server'], decided['uri']) == (FQDN, 'http://%s/PowerShell/' % FQDN)
    decided = check_exchange_session(options(connection_uri=' https://%s:444/PowerShell/ ' % FQDN), UNKNOWN, 'ex1')
    assert (decided['server'], decided['uri'], decided['host']) == (FQDN, 'https://%s:444/PowerShell/' % FQDN, FQDN)
