# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Exchange implicit-remoting session's options, documented once for every module that opens it.

plugin_utils/_exchange_session.py holds the same options once (SESSION_OPTIONS) and the one check of the second
hop; exchange_cert, hkpost_install, hkpost_retire and hkpost_certificate_inventory take both, so the defaults
cannot differ.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  server:
    description:
      - Exchange server name for C(-Server), and the host in the default O(connection_uri). Defaults to the inventory name.
      - With O(authentication=Kerberos) and no O(connection_uri), the fully qualified domain name (see O(second_hop)).
    type: str
  connection_uri:
    description:
      - Remoting endpoint. Defaults to C(http://SERVER/PowerShell/).
      - Must be an http(s) URL with a host; anything else is refused before the host is contacted.
    type: str
  authentication:
    description: Remoting authentication.
    type: str
    choices: [Kerberos, Negotiate, Basic, Default]
    default: Kerberos
  username:
    description:
      - Account for the remoting session, the simplest way to make its second hop (O(second_hop)); without it the
        connected identity is used, which the connection must be able to delegate.
    type: str
  password:
    description:
      - Password of O(username). Never logged.
      - Must be text; an unquoted number or a dictionary in YAML is refused. Quote it.
    type: str
  second_hop:
    description:
      - How the Exchange remoting session, opened I(from the managed host), authenticates (for modules where it is
        optional, when it is asked for) - a second hop, which a
        logon without credentials on the host (NTLM, Basic, certificate, Kerberos without delegation) cannot make -
        Windows fails it there with WinRM C(0x8009030e).
      - V(auto) decides from the task and its connection, before anything is sent to the host - O(username) given;
        or the connection delegates (C(ansible_winrm_transport=credssp), or C(kerberos) with
        C(ansible_winrm_kerberos_delegation=true); psrp C(ansible_psrp_auth=credssp), or C(kerberos)/C(negotiate)
        with C(ansible_psrp_negotiate_delegate=true)); or C(become) with C(runas) and a password. Otherwise the task is refused,
        naming the three ways. A connection other than winrm and psrp is not judged.
      - V(credentials) requires O(username) and O(password).
      - V(kerberos_delegation) says delegation is configured where the controller cannot see it - constrained or
        resource-based constrained delegation from the managed host's computer account to the Exchange server's
        C(HTTP) service - and is trusted.
      - V(credssp) says the connection uses CredSSP; refused when the connection is winrm or psrp with another
        authentication.
      - Not set, the host variable C(hkpost_exchange_second_hop), else V(auto) - declare a host's delegation once
        in the inventory.
      - With O(authentication=Kerberos) the endpoint host (O(server), or the host of O(connection_uri)) must be
        the fully qualified domain name; an IP address or a short name is refused (Kerberos asks for C(HTTP/fqdn)).
      - See "The second hop" in C(docs/docsite/rst/windows_connection.rst).
    type: str
    choices: [auto, credentials, kerberos_delegation, credssp]
'''

    # The read-only modules' switch: read the host's Exchange certificates through the same session.
    EXCHANGE_HOST = r'''
options:
  exchange:
    description: The host is an Exchange server - read the services of each Exchange certificate (implicit remoting).
    type: bool
    default: false
'''
