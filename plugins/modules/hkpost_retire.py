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
extends_documentation_fragment:
  - hkpost.ecert.install_options.backup_files
  - hkpost.ecert.exchange_session
  - hkpost.ecert.exchange_session.exchange_host
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.windows
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
attributes:
  check_mode:
    support: full
    details: Reads the host and reports what would be retired; sends no write.
  diff_mode:
    support: full
    details: The thumbprints in C(My) and C(WebHosting) before and after.
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

- name: Retire what the certificates just installed (hkpost_install, registered as installed) replaced, backed up first
  hkpost.ecert.hkpost_retire:
    replaced_by: "{{ installed.certificates | map(attribute='thumbprint') | list }}"
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
