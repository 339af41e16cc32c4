#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_retire
short_description: Remove the Hongkong Post certificates a renewal replaced, once nothing on the host uses them
version_added: 0.2.0
description:
  - After a renewal the previous certificate stays in C(LocalMachine\My) (or C(WebHosting)) until someone deletes it.
    This module removes it - only when it is safe, decided on the controller from one read of the host.
  - A certificate is replaced when it is a Hongkong Post server certificate and a newer one (issued later, not expired,
    with its private key on the host) serves every name it serves. Only replaced certificates are candidates;
    certificates of other CAs, CA certificates and Hongkong Post certificates nothing replaces are never touched.
  - A candidate is kept, with the reason in RV(kept), while an IIS https binding is served with it, while any
    http.sys certificate mapping (C(netsh http sslcert), ipport or hostnameport, with or without an IIS binding) names
    it, while an Exchange service is enabled on it, while Exchange cannot be read (O(exchange=true) and the remoting
    session failed - "no service" cannot be told from "no answer"), or while its replacement was issued less than
    O(grace_days) ago.
  - One read payload gathers the stores, the IIS bindings, the http.sys mappings and the Exchange services in one trip;
    one apply payload removes everything decided. With O(backup=true) each certificate is first exported with its key
    to O(backup_dir) as PFX (as M(hkpost.ecert.hkpost_pfx) does) and read back before anything is removed.
options:
  replaced_by:
    description: Only retire certificates these thumbprints replace (for example the certificates just installed).
      Default - any newer valid Hongkong Post certificate with its key on the host.
    type: list
    elements: str
    default: []
  thumbprints:
    description:
      - Retire exactly these certificates. Each must be a replaced Hongkong Post certificate nothing uses; otherwise the
        task fails naming the reason and nothing is removed.
    type: list
    elements: str
    default: []
  grace_days:
    description: Keep a replaced certificate until its replacement was issued at least this many days ago.
    type: int
    default: 0
  backup:
    description: Export each certificate with its key as PFX to O(backup_dir) before removing it.
    type: bool
    default: false
  backup_dir:
    description: Controller directory of the backups (C(DIR/HOST/THUMBPRINT.pfx)).
    type: path
  backup_password:
    description: PFX password. Never logged.
    type: str
  exchange:
    description: The host is an Exchange server - read the services of each Exchange certificate (implicit remoting).
    type: bool
    default: false
  server:
    description:
      - Exchange server name; defaults to the inventory name.
      - With O(authentication=Kerberos) and no O(connection_uri), the fully qualified domain name (see O(second_hop)).
    type: str
  connection_uri:
    description:
      - Exchange remoting endpoint; defaults to C(http://SERVER/PowerShell/).
      - Must be an http(s) URL with a host; anything else is refused before the host is contacted.
    type: str
  authentication:
    description: Exchange remoting authentication.
    type: str
    choices: [Kerberos, Negotiate, Basic, Default]
    default: Kerberos
  username:
    description: Account for the Exchange remoting session; without it the connected identity is used, which the
      connection must be able to delegate (O(second_hop)).
    type: str
  password:
    description:
      - Password of O(username), sent as a SecureString. Never logged.
      - Must be text; an unquoted number or a dictionary in YAML is refused. Quote it.
    type: str
  second_hop:
    description:
      - With O(exchange=true), how the Exchange remoting session, opened I(from the managed host), authenticates - a second hop, which a
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
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Reads the host and reports what would be retired; sends no write.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: The thumbprints in C(My) and C(WebHosting) before and after.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: [windows]
notes:
  - The key container stays on disk, as with certlm.msc's Delete; keep a backup (O(backup=true)) if the old
    certificate might be needed again.
seealso:
  - module: hkpost.ecert.hkpost_complete_request
  - module: hkpost.ecert.iis_binding
  - module: hkpost.ecert.exchange_cert
  - module: hkpost.ecert.hkpost_pfx
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: What would be retired (run with --check --diff)
  hkpost.ecert.hkpost_retire:
  check_mode: true
  register: would_retire

- name: Retire what the certificates just installed replaced, after backing each up
  hkpost.ecert.hkpost_retire:
    replaced_by: "{{ hkpost_iis_completed.results | map(attribute='thumbprint') | list }}"
    backup: true
    backup_dir: "{{ hkpost_output_dir }}/backup"
    backup_password: "{{ vault_pfx_password }}"

- name: On an Exchange server, keep anything a service still uses
  hkpost.ecert.hkpost_retire:
    exchange: true
    grace_days: 7
'''

RETURN = r'''
retired:
  description: The certificates removed (or, in check mode, that would be) - thumbprint, store, subject, names,
    not_after, has_private_key, replaced_by.
  returned: always
  type: list
  elements: dict
kept:
  description: Replaced certificates kept, with the same keys and C(reason) (who uses it, Exchange unknown, grace period).
  returned: always
  type: list
  elements: dict
exchange_known:
  description: Whether every usage could be read (false when O(exchange=true) and Exchange did not answer).
  returned: always
  type: bool
exchange_error:
  description: What the Exchange session said when it failed.
  returned: when Exchange did not answer
  type: str
backups:
  description: Per retired certificate - thumbprint, path of the PFX (null without a key on the host) and reason.
  returned: when O(backup=true) and something was retired
  type: list
  elements: dict
'''
