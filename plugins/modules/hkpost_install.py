#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_install
short_description: Install a host's issued certificates on IIS - complete, bind, check, back up, retire - from one read
version_added: 0.2.0
description:
  - Everything the C(iis) role does for a list of certificates, planned on the controller from B(one) read of the host
    (the certificate stores including the pending requests, every IIS https binding with its sslFlags, every http.sys
    mapping), so that a host already right costs that one read, whatever its number of certificates.
  - For each certificate, in order - the pending request it completes (by public key, as
    M(hkpost.ecert.hkpost_complete_request)), each of its C(iis_bindings) (as M(hkpost.ecert.iis_binding) plans it -
    sslFlags bits kept, shared non-SNI C(*:443) refused unless C(shared_ok), the certificate must serve the host header),
    a PFX backup to the controller (as M(hkpost.ecert.hkpost_pfx)), and - once the new certificates are bound - the
    retirement of the Hongkong Post certificates they replace that nothing uses any more (as
    M(hkpost.ecert.hkpost_retire), decided on the state the host will be in).
  - Every refusal is found before anything is sent. A binding whose step or served-chain check (O(verify)) fails is
    rolled back to the recorded previous binding, and the task fails with nothing retired.
  - IIS hosts. On Exchange use the C(exchange) role and M(hkpost.ecert.hkpost_retire) with O(hkpost.ecert.hkpost_retire#module:exchange=true).
options:
  certificates:
    description: The issued certificates to install on this host, for example the host's part of
      M(hkpost.ecert.hkpost_intake)'s C(assignments) paired by the C(certificates_to_install) filter.
    type: list
    elements: dict
    required: true
    suboptions:
      content:
        description: The issued certificate, PEM (a chain appended is fine). Exactly one of O(certificates[].content)
          and O(certificates[].src).
        type: str
      src:
        description: Controller path of the issued certificate file (PEM or DER).
        type: path
      common_name:
        description: A label for messages.
        type: str
      friendly_name:
        description: Friendly name; default C(Hongkong Post e-Cert <name> (expires <date>)).
        type: str
      iis_bindings:
        description: https bindings to serve the certificate - site (required), host_header, ip, port, sni,
          certificate_store, shared_ok (the options of M(hkpost.ecert.iis_binding)).
        type: list
        elements: dict
        default: []
      exchange_services:
        description: Ignored (the C(certificates_to_install) filter returns it).
        type: list
        elements: str
      public_key_sha256:
        description: Ignored (the C(certificates_to_install) filter returns it).
        type: str
      thumbprint:
        description: Ignored (the C(certificates_to_install) filter returns it); the thumbprint is read from the certificate.
        type: str
  verify:
    description: After binding, check from the controller the chain the host serves for the binding's name (SNI,
      connecting to O(verify_address)); a wrong chain rolls the binding back.
    type: bool
    default: true
  verify_address:
    description: Address to connect to for the check; default C(ansible_host) or the inventory name.
    type: str
  verify_trust:
    description: Trust anchors for the check - V(bundled), V(system) or a PEM path.
    type: str
    default: bundled
  verify_timeout:
    description: Seconds for each check.
    type: float
    default: 10.0
  backup:
    description: Back each certificate up with its key as PFX to O(backup_dir) (C(DIR/HOST/THUMBPRINT.pfx)), and
      each certificate retired before it is removed; a valid backup already there is kept without asking the host.
    type: bool
    default: true
  backup_dir:
    description: Controller directory of the backups.
    type: path
  backup_password:
    description: PFX password. Never logged.
    type: str
  retire:
    description: Remove the Hongkong Post certificates the new ones replace, once nothing uses them.
    type: bool
    default: true
  retire_grace_days:
    description: Keep a replaced certificate until its replacement was issued at least this many days ago.
    type: int
    default: 0
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: One read; reports completions, bindings before and after, backups and retirements; sends no write.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: Completed thumbprints, bindings before and after, retired thumbprints.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: [windows]
seealso:
  - module: hkpost.ecert.hkpost_intake
  - module: hkpost.ecert.hkpost_complete_request
  - module: hkpost.ecert.iis_binding
  - module: hkpost.ecert.hkpost_retire
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Install what the intake assigned to this host
  hkpost.ecert.hkpost_install:
    certificates: >-
      {{ hkpost_certificates | hkpost.ecert.certificates_to_install(intake.assignments[inventory_hostname] | default([])) }}
    backup_dir: "{{ hkpost_output_dir }}/backup"
    backup_password: "{{ vault_pfx_password }}"
'''

RETURN = r'''
certificates:
  description: The certificates given - thumbprint, subject, names, not_after.
  returned: always
  type: list
  elements: dict
completed:
  description: Thumbprints of the certificates whose pending request was (or would be) completed.
  returned: always
  type: list
  elements: str
bindings:
  description: Per binding - site, host, port, before, after and changed.
  returned: always
  type: list
  elements: dict
backups:
  description: Per certificate - thumbprint, path and reason (written, or why not).
  returned: always
  type: list
  elements: dict
retired:
  description: The replaced certificates removed (or that would be), as M(hkpost.ecert.hkpost_retire) returns them.
  returned: always
  type: list
  elements: dict
kept:
  description: Replaced certificates kept, with the reason.
  returned: always
  type: list
  elements: dict
'''
