#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_intake
short_description: Match the certificates downloaded from the Hongkong Post portal to the hosts' pending requests, by key
version_added: 0.2.0
description:
  - Reads one intake folder on the controller, where the operator saved whatever the portal gave (any file names, PEM or
    DER, the leaf alone or with the chain appended), and gives each host exactly the certificates whose public key
    (SubjectPublicKeyInfo SHA-256) is the key of one of its pending requests. No per-host file paths are needed.
  - The pending requests come from the submission sheet (O(sheet), the CSV C(request.yml) and C(renew.yml --tags
    request) write, with the C(public_key_sha256) M(hkpost.ecert.hkpost_csr) returned) and/or from O(requests) (for
    example what the hosts' pending-request stores hold).
  - Everything is reported before anything is installed, in RV(findings). Refused (errors; the file is not installed
    and its request waits) - a file that is not one issued certificate, an expired certificate, one not issued by a
    Hongkong Post intermediate, one issued under the old (no-EKU) intermediate (before 2025-05-01), one naming other
    names than requested, two different certificates for one request. Reported (warnings) - a file matching no pending
    request (its subject and SPKI are given), a file for a request of a host outside O(hosts) (left for its run),
    the same certificate in two files (one copy is used), a certificate not
    yet valid, an appended chain carrying the old intermediate (the file's chain is then not used).
  - Runs on the controller only and changes nothing (C(changed) is always false).
extends_documentation_fragment:
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.controller
options:
  path:
    description: The intake folder. Hidden files and C(.csv), C(.json), C(.yml), C(.csr), C(.req), C(.pfx), C(.p12),
      C(.key) files are skipped; every other file is read.
    type: path
    required: true
  sheet:
    description:
      - The submission sheet (CSV with a header row). Columns C(host), C(common_name), C(public_key_sha256) are
        required; C(certificate_type), C(names) (the names applied for, space separated) and C(pending_thumbprint) are
        used when present. Rows made in check mode (no key yet) are skipped.
    type: path
  requests:
    description:
      - Pending requests given as data, merged with the sheet's (one request per host and key).
    type: list
    elements: dict
    default: []
    suboptions:
      host:
        description: Inventory name of the host holding the request.
        type: str
        required: true
      public_key_sha256:
        description: SHA-256 of the request's SubjectPublicKeyInfo, as M(hkpost.ecert.hkpost_csr) returns it.
        type: str
        required: true
      common_name:
        description: The requested common name (ASCII form).
        type: str
      certificate_type:
        description: The product applied for; multi-domain types may carry names the sheet does not list.
        type: str
      names:
        description: Every name applied for; the certificate must name all of them and nothing else (a wildcard may
          also name its base domain).
        type: list
        elements: str
      pending_thumbprint:
        description: Thumbprint of the pending request on the host.
        type: str
  hosts:
    description: Only match requests of these hosts (for example C(ansible_play_hosts)); default all. A file for a
      request of another host is reported (C(other_host)), not matched.
    type: list
    elements: str
  strict:
    description: Fail, installing nothing anywhere, when there is any finding at all (errors or warnings).
    type: bool
    default: false
  acme_trusted_issuers:
    description:
      - The hosts in ACME mode (C(hkpost_issuance=acme)), each with its allow-list of issuers - the PEM file(s) of the
        ACME CA's issuing CA or root (C(hkpost_acme_trusted_issuers)); a relative path is taken from the directory
        C(ansible-playbook) runs in. Hosts not listed are in the portal mode (only Hongkong Post certificates).
      - For a listed host a certificate not issued by Hongkong Post is accepted only when the ACME phase recorded its
        file (the C(<file>.acme.json) C(renew_acme.yml) writes, naming the ACME directory, the host and the key), its
        signature chains to one of the host's allowed issuers through the file's own chain, and it is a TLS server
        certificate; otherwise it is refused (C(not_hkpost)) with the reason. A host listed with no file accepts none.
      - See R(automated issuance,ansible_collections.hkpost.ecert.docsite.automated_issuance).
    type: dict
    default: {}
attributes:
  check_mode:
    support: full
    details: Reads files only; the same in check mode.
  diff_mode:
    support: none
notes:
  - Run it once, on the controller (C(run_once), or a play on C(localhost)), then give each host its part of
    RV(assignments) (C(hkpost_complete_request) and C(exchange_cert) take the PEM as O(hkpost.ecert.exchange_cert#module:content)).
seealso:
  - module: hkpost.ecert.hkpost_csr
  - module: hkpost.ecert.hkpost_complete_request
  - module: hkpost.ecert.exchange_cert
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Match the portal downloads to the fleet's pending requests
  hkpost.ecert.hkpost_intake:
    path: "{{ hkpost_output_dir }}/intake"
    sheet: "{{ hkpost_output_dir }}/csr/submission.csv"
    hosts: "{{ ansible_play_hosts }}"
  delegate_to: localhost
  run_once: true
  register: intake

- name: Install each host's certificates
  hkpost.ecert.hkpost_complete_request:
    content: "{{ item.pem }}"
  loop: "{{ intake.assignments[inventory_hostname] | default([]) }}"
  loop_control:
    label: "{{ item.common_name }}"
'''

RETURN = r'''
assignments:
  description:
    - Per host, the certificates to install - host, common_name, certificate_type, public_key_sha256,
      pending_thumbprint, thumbprint (SHA-1 of the issued certificate), sha256, subject, names, not_after, file (the
      file used), files (every file holding it), chain (subjects of the chain certificates kept) and pem (the leaf
      followed by that chain; for C(acme), when the file holds no certificate that signed the leaf, the allowed issuer
      that did follows it, so that pem names the signing key for O(hkpost.ecert.hkpost_install#module:retire_issuers)),
      issuer (C(hkpost), or C(acme) when accepted by the ACME issuer rule) and for C(acme)
      acme_directory (the directory the ACME phase recorded) and acme_intermediates (PEM of the CA certificates
      between the leaf and the allowed issuer, for LocalMachine\\CA - the chain role's O(hkpost.ecert.hkpost_chain#module:acme_intermediates)).
  returned: always
  type: dict
  sample: {"web1": [{"common_name": "www.example.com.hk", "file": "cert (2).cer", "thumbprint": "A1B2...", "pem": "-----BEGIN CERTIFICATE-----..."}]}
findings:
  description:
    - Everything noticed, errors first - kind (unreadable, expired, not_hkpost, old_intermediate, names, conflict,
      no_match, other_host, duplicate, not_yet_valid, chain_old_intermediate), severity (error or warning), file, message, and where
      known subject, public_key_sha256, thumbprint, host, common_name.
  returned: always
  type: list
  elements: dict
waiting:
  description: Requests with no certificate in the folder yet (host, common_name, public_key_sha256).
  returned: always
  type: list
  elements: dict
files:
  description: Number of files read from the folder.
  returned: always
  type: int
requests:
  description: Number of pending requests matched against.
  returned: always
  type: int
certificates:
  description: Number of certificates assigned to hosts.
  returned: always
  type: int
errors:
  description: Number of findings of severity error.
  returned: always
  type: int
'''
