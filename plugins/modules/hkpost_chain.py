#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module: the work is done by the action plugin of the same name
# (plugins/action/hkpost_chain.py), which decides on the controller with
# plugins/module_utils/chain/_plan.py and runs plugins/payloads/chain_*.ps1 on the host.

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_chain
short_description: Migrate a Windows host to the new Hongkong Post intermediates, safely
version_added: 0.1.0
description:
  - Makes the C(LocalMachine) certificate stores of a Windows host carry exactly the right Hongkong Post chain.
    Hongkong Post re-issued C(Hongkong Post e-Cert SSL CA 3 - 17) and C(Hongkong Post e-Cert EV SSL CA 3 - 17) in
    2025 with the serverAuth EKU, under the B(same name and key), and revokes the old (no-EKU) ones before
    2026-06-15. While the old one sits in C(Intermediate Certification Authorities), Windows may build - and IIS
    may send - the chain through it.
  - One read payload returns the certificates in C(CA), C(Root) and C(Disallowed), the CRLs in C(CA) and the
    certificates with private keys in O(key_stores). Classification and planning happen on the controller.
  - The plan removes every old SSL and EV intermediate from C(CA) (and from C(Root), where it is sometimes
    misplaced), installs the new SSL intermediate (shipped with the collection) and, when supplied, the new EV
    intermediate, the cross certificate (Root CA 3 by GlobalSign Root CA - R3) and the ARL of Root CA 3; makes
    sure Root CA 3 is in C(Root); takes any of those out of C(Disallowed).
  - B(Safety.) An old intermediate is removed only when the new one of the same product is present or installed
    in the same write; otherwise it is kept with a warning. All steps run in one write payload, additions first,
    removals last; if a step fails the payload stops and the task fails naming what was and was not done.
    Supplied files are checked before anything on the host changes.
  - A host that is already right costs one read and nothing else.
extends_documentation_fragment:
  - hkpost.ecert.chain_options
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.windows
attributes:
  check_mode:
    support: full
    details: The read runs and the plan is returned; no write payload is sent.
  diff_mode:
    support: full
    details: Before and after lists of the Hongkong Post entries per store (thumbprint and subject), never key material.
notes:
  - Needs local administrator rights on the host (writes to C(LocalMachine) stores, runs C(certutil)).
  - Planning happens on the controller with the Python C(cryptography) library.
seealso:
  - module: hkpost.ecert.hkpost_served_chain
    description: Check what each server actually serves after the migration.
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Migrate to the new intermediate (shipped), remove the old one
  hkpost.ecert.hkpost_chain:
  register: chain

- name: Full chain with EV, cross certificate and ARL from the Hongkong Post web site, old ones disallowed
  hkpost.ecert.hkpost_chain:
    download: true
    old_intermediate: disallow

- name: Files fetched once by the change board and kept with the playbook
  hkpost.ecert.hkpost_chain:
    ev_intermediate_file: files/ecert_ev_ssl_ca_3-17_pem.crt
    cross_certificate_file: files/root_ca_3_x_gsca_r3_pem.crt
    arl_file: files/RootCA3ARL.crl

- name: Leaves that still need a re-issue
  ansible.builtin.debug:
    msg: "{{ chain.leaves | selectattr('issued_under', 'equalto', 'old') | map(attribute='subject') | list }}"
'''

RETURN = r'''
removed:
  description: Certificates and CRLs removed (or to be removed, in check mode).
  returned: always
  type: list
  elements: dict
  contains:
    thumbprint:
      description: SHA-1 thumbprint (for CRLs the SHA-1 of the CRL).
      type: str
    subject:
      description: Subject (issuer for CRLs), RFC 4514.
      type: str
    role:
      description: C(root), C(cross), C(intermediate), C(arl), ...
      type: str
    generation:
      description: C(old) or C(new) for intermediates.
      type: str
    product:
      description: C(ssl) or C(ev) for intermediates.
      type: str
    store:
      description: Store name (C(CA), C(Root), C(Disallowed)).
      type: str
    reason:
      description: Why.
      type: str
added:
  description: Certificates and CRLs added, same shape as RV(removed).
  returned: always
  type: list
  elements: dict
disallowed:
  description: Old intermediates added to C(Disallowed), same shape as RV(removed).
  returned: always
  type: list
  elements: dict
leaves:
  description: Hongkong Post certificates with a private key in O(key_stores), as they will chain after the plan.
  returned: always
  type: list
  elements: dict
  contains:
    thumbprint:
      description: SHA-1 thumbprint.
      type: str
    subject:
      description: Subject, RFC 4514.
      type: str
    store:
      description: C(My) or C(WebHosting).
      type: str
    dns_names:
      description: DNS names.
      type: list
      elements: str
    not_after:
      description: Expiry, ISO 8601 UTC.
      type: str
    issued_under:
      description: C(old) (issued before 2025-05-01) or C(new).
      type: str
    chains:
      description: Whether it chains to a root in C(Root) through a new intermediate in C(CA).
      type: bool
warnings:
  description: Things a person must act on, such as leaves to re-issue or about to expire.
  returned: always
  type: list
  elements: str
plan:
  description: The ordered write steps (op, store, thumbprint, subject, reason); empty when the host is right.
  returned: always
  type: list
  elements: dict
applied:
  description: The steps the write payload applied.
  returned: when a write was sent
  type: list
  elements: dict
not_applied:
  description: The steps not applied because an earlier one failed.
  returned: when a write step failed
  type: list
  elements: dict
'''
