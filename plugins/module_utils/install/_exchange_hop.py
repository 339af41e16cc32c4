# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Exchange remoting session's second hop, decided before any payload runs.

The payloads open ``New-PSSession -ConnectionUri http://SERVER/PowerShell/`` *from the managed host*: a
second hop. Over a connection whose logon left no credentials on the host (NTLM, Basic, certificate, Kerberos
without a forwardable ticket) Windows has nothing to authenticate that session with and fails there with WinRM
0x8009030e (SEC_E_NO_CREDENTIALS) - after the host was contacted, with a message that names neither cause nor fix.
Everything needed to see that coming is on the controller: the task's Exchange options and the connection's
authentication, described by ``plugin_utils/_connection_auth.py`` as plain data. This module is the one place
that decides, for every action plugin that opens the session.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import check_connection_uri

SECOND_HOP_CHOICES = ('auto', 'credentials', 'kerberos_delegation', 'credssp')
# The variable second_hop falls back to, so a host's delegation is declared once in the inventory and every
# task that opens the session (the exchange role, renew.yml's own exchange_cert and hkpost_retire) honours it.
SECOND_HOP_VARIABLE = 'hkpost_exchange_second_hop'

THREE_WAYS = (
    'give the Exchange session its own account: username and password (hkpost_exchange_username / '
    'hkpost_exchange_password in the roles, from a vault); or Kerberos delegation: connect with Kerberos and '
    'ansible_winrm_kerberos_delegation: true (psrp: ansible_psrp_auth: kerberos and '
    'ansible_psrp_negotiate_delegate: true), or configure constrained or resource-based delegation for the managed '
    'host to the Exchange server\'s HTTP service and say so with second_hop: kerberos_delegation; or CredSSP: '
    'ansible_winrm_transport: credssp (psrp: ansible_psrp_auth: credssp). See "The second hop" in '
    'docs/docsite/rst/windows_connection.rst.')


def exchange_endpoint(server, connection_uri, inventory_hostname):
    """``{'server', 'uri', 'host', 'host_from'}``: the -Server name, the remoting URI, the host Kerberos is
    asked a ticket for, and the option that host came from (for the message that refuses it)."""
    name = server or inventory_hostname
    if connection_uri:
        connection_uri = check_connection_uri(connection_uri)
        return {'server': name, 'uri': connection_uri, 'host': urlparse(connection_uri).hostname,
                'host_from': 'connection_uri'}
    return {'server': name, 'uri': 'http://%s/PowerShell/' % name, 'host': name,
            'host_from': 'server' if server else 'the inventory name (server is not set)'}


def refuse_non_fqdn_kerberos_target(endpoint, authentication):
    """Kerberos finds the Exchange server by its SPN ``HTTP/fqdn``: an IP address has no SPN (the client falls
    back to nothing and the logon fails) and a single-label name is not the name the SPN is registered under
    in every forest. Negotiate/Default may fall back to NTLM (where the endpoint accepts it), so only Kerberos is
    held to this."""
    if authentication != 'Kerberos':
        return
    host = (endpoint['host'] or '').rstrip('.')
    try:
        ipaddress.ip_address(host)
        kind = 'an IP address'
    except ValueError:
        kind = None if '.' in host else 'a short name'
    if kind:
        raise HkpostError(
            'the Exchange endpoint host "%s" (from %s) is %s, and authentication Kerberos needs the server\'s fully '
            'qualified domain name: Kerberos asks for a ticket to HTTP/<fqdn>. Set server (hkpost_exchange_server) '
            'or connection_uri (hkpost_exchange_connection_uri) to the FQDN, e.g. http://mail1.corp.example.hk/'
            'PowerShell/. Nothing was sent to the host.'
            % (host, endpoint['host_from'], kind))


def second_hop(options, connection):
    """How the session from the managed host authenticates; raises ``HkpostError`` when it cannot.

    ``options``: ``username``, ``password``, ``authentication`` and ``second_hop`` (one of
    ``SECOND_HOP_CHOICES``). ``connection``: ``{'plugin': 'winrm'|'psrp'|None, 'auth': [...], 'delegates': bool,
    'become': bool}`` - ``plugin`` None for a connection whose authentication cannot be read (nothing is refused
    on a guess). Returns ``credentials``, ``kerberos_delegation``, ``credssp``, ``become`` or ``unknown``.
    """
    username, declared = options.get('username'), options.get('second_hop') or 'auto'
    if username and not options.get('password'):
        raise HkpostError('username needs password (or leave both out when the connection delegates: see "The second '
                          'hop" in docs/docsite/rst/windows_connection.rst). Nothing was sent to the host.')
    if options.get('authentication') == 'Basic' and not username:
        raise HkpostError('authentication Basic sends a user name and password, and none was given: set username and '
                          'password. Nothing was sent to the host.')
    if declared == 'credentials' and not username:
        raise HkpostError('second_hop is credentials but no username was given: set username and password '
                          '(hkpost_exchange_username / hkpost_exchange_password). Nothing was sent to the host.')
    if username:
        return 'credentials'
    if declared == 'kerberos_delegation':
        # Constrained or resource-based delegation lives in Active Directory, where the controller cannot look;
        # with protocol transition it does not depend on how the first hop authenticated. The declaration is
        # trusted (the docs ask to prove it on one host: Microsoft lists WinRM as a target it may not serve).
        return 'kerberos_delegation'
    plugin, auth = connection.get('plugin'), set(connection.get('auth') or ())
    if declared == 'credssp':
        if plugin and 'credssp' not in auth:
            raise HkpostError('second_hop is credssp but the %s connection authenticates with %s; set %s. Nothing '
                              'was sent to the host.'
                              % (plugin, ', '.join(sorted(auth)) or 'its default',
                                 'ansible_psrp_auth: credssp' if plugin == 'psrp' else 'ansible_winrm_transport: credssp'))
        return 'credssp'
    if plugin is None:
        return 'unknown'
    if 'credssp' in auth:
        return 'credssp'
    # psrp's negotiate delegates only when it settles on Kerberos; that cannot be known here, so it is not refused.
    if auth & {'kerberos', 'negotiate'} and connection.get('delegates'):
        return 'kerberos_delegation'
    if connection.get('become'):
        # become: runas logs on anew with the account's password: that logon holds credentials.
        return 'become'
    raise HkpostError(
        'the Exchange session is opened from the managed host to the Exchange endpoint - a second hop - and it has '
        'no credentials for it: no username was given, and the %s connection (%s%s) does not delegate, so Windows '
        'would fail it on the host with WinRM 0x8009030e. Choose one: %s Nothing was sent to the host.'
        % (plugin, ', '.join(sorted(auth)) or 'default authentication',
           ', no delegation' if auth & {'kerberos', 'negotiate'} else '', THREE_WAYS))


def check_exchange_session(options, connection, inventory_hostname):
    """Both checks, in the order a user fixes them: the endpoint, then the second hop. Returns the endpoint
    (``exchange_endpoint``) with the way the second hop authenticates under ``second_hop``."""
    endpoint = exchange_endpoint(options.get('server'), options.get('connection_uri'), inventory_hostname)
    refuse_non_fqdn_kerberos_target(endpoint, options.get('authentication'))
    return dict(endpoint, second_hop=second_hop(options, connection))
