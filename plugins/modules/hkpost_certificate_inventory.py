#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_certificate_inventory
short_description: List every certificate a Windows host holds and everything on it that uses one
version_added: 0.3.0
description:
  - Reads, in one execution per host, every certificate of the C(LocalMachine) stores C(My), C(WebHosting),
    C(Remote Desktop), C(CA), C(Root), C(Disallowed) and C(REQUEST) - Hongkong Post and any other issuer, managed by
    this collection or not - with its private key's provider (CNG or CAPI) and whether the key is exportable.
  - And every consumer on the host configured with a certificate thumbprint - IIS https bindings and the http.sys
    certificate mappings behind them (IP and SNI, and mappings no IIS binding explains), the RDP listener
    (C(Win32_TSGeneralSetting) through CIM, never C(wmic)), the WinRM HTTPS listeners (C(WSMan:\localhost\Listener)),
    RD Gateway where the role is installed, SQL Server instances (their C(SuperSocketNetLib) C(Certificate) value),
    and, with O(exchange=true), the services of each Exchange certificate.
  - Each consumer is attached to the certificates it uses; a consumer naming a certificate the host does not hold is
    returned in RV(dangling). A consumer source that cannot be read (Exchange not answering, the TerminalServices
    namespace missing) is reported in RV(sources) with its error and as a warning; the rest of the read stands.
  - Changes nothing. Hand the registered results of a fleet, by host, to M(hkpost.ecert.hkpost_fleet_report)
    (O(hkpost.ecert.hkpost_fleet_report#module:kind=inventory)) for the fleet report and renewal forecast; the role
    C(hkpost.ecert.inventory) and the playbook C(hkpost.ecert.certificate_inventory) do both.
extends_documentation_fragment:
  - hkpost.ecert.exchange_session
  - hkpost.ecert.exchange_session.exchange_host
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.windows
options:
  stores:
    description: The LocalMachine stores to list.
    type: list
    elements: str
    choices: [My, WebHosting, Remote Desktop, CA, Root, Disallowed, REQUEST]
    default: [My, WebHosting, Remote Desktop, CA, Root, Disallowed, REQUEST]
attributes:
  check_mode:
    support: full
    details: A read; it runs the same in check mode.
  diff_mode:
    support: none
notes:
  - The provider of RSA and ECDSA keys is read; for any other key C(key_error) says it was not.
  - The same read is what a blast-radius rule needs - a certificate is never removed while any consumer listed here
    uses it.
seealso:
  - module: hkpost.ecert.hkpost_served_chain
  - module: hkpost.ecert.hkpost_retire
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Every certificate on the host and what uses it
  hkpost.ecert.hkpost_certificate_inventory:
  register: hkpost_certificate_inventory

- name: On an Exchange server, with the Exchange services
  hkpost.ecert.hkpost_certificate_inventory:
    exchange: true
  register: hkpost_certificate_inventory

- name: The fleet report, on the controller (each host's result, by host)
  hkpost.ecert.hkpost_fleet_report:
    kind: inventory
    results: "{{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, 'hkpost_certificate_inventory'))) }}"
    dest: reports
  delegate_to: localhost
  run_once: true
'''

RETURN = r'''
host:
  description: The inventory name of the host.
  returned: always
  type: str
certificates:
  description:
    - One entry per store entry - store, thumbprint, sha256, subject, subject_cn, issuer, issuer_cn, serial,
      not_before, not_after, dns_names, role, is_hkpost, generation (old or new Hongkong Post intermediate), is_ca,
      self_signed, key_type, key_size, has_private_key, key_provider, key_storage (CNG or CAPI), exportable,
      key_error, friendly_name, archived, and consumers (each with kind and name).
  returned: always
  type: list
  elements: dict
consumers:
  description: Every consumer found - kind (iis, http.sys, exchange, rdp, winrm, rd_gateway, sql), name, thumbprint,
    store (when the consumer names one) and endpoint (http.sys mappings).
  returned: always
  type: list
  elements: dict
dangling:
  description: Consumers whose thumbprint no personal store of the host holds, with the reason.
  returned: always
  type: list
  elements: dict
sources:
  description: Per consumer source (iis, exchange, rdp, winrm, rd_gateway, sql) - read, not installed, not asked, or
    the error it reported.
  returned: always
  type: dict
os_build:
  description: The Windows build number.
  returned: always
  type: int
'''
