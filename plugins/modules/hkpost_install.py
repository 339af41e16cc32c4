#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_install
short_description: Install a host's issued certificates on IIS or Exchange - complete, bind or enable, check, back up, retire - from one read
version_added: 0.2.0
description:
  - The one install path of C(install.yml) and C(renew.yml --tags install) (the C(iis) and C(exchange) roles are this
    module with their variables), planned on the controller from B(one) read of the host - the certificate stores
    including the pending requests, every IIS https binding with its sslFlags, every http.sys mapping, and with
    O(platform=exchange) every Exchange certificate with its services and status and the hybrid configuration - so
    that a host already right costs that one read, whatever its number of certificates.
  - O(platform=iis), for each certificate in order - the pending request it completes (by public key, as
    M(hkpost.ecert.hkpost_complete_request)), each of its C(iis_bindings) (as M(hkpost.ecert.iis_binding) plans it -
    sslFlags bits kept, shared non-SNI C(*:443) refused unless C(shared_ok), the certificate must serve the host header).
  - O(platform=exchange), for each certificate in order - the pending Exchange request it completes and the services it
    is enabled for (C(exchange_services), else O(services); as M(hkpost.ecert.exchange_cert) plans it - a wildcard is
    refused for POP and IMAP), import and enable in one trip.
  - Then a PFX backup to the controller (as M(hkpost.ecert.hkpost_pfx)) and - only once the new certificates are served -
    the retirement of the Hongkong Post certificates they replace (as M(hkpost.ecert.hkpost_retire), decided on the
    state the host will be in, with one policy for both platforms) - backed up first, after O(retire_grace_days),
    never while an IIS binding, an http.sys mapping or an Exchange service the replacement does not serve still uses
    it, never the certificate an Exchange hybrid configuration names (C(Get-HybridConfiguration) C(TlsCertificateName))
    and never one in O(keep_thumbprints).
  - Every refusal is found before anything is sent. On IIS, when a binding step, a backup's read-back or a served-chain
    check (O(verify)) fails, every binding the task wrote is put back to its recorded previous state (one more trip);
    an Exchange certificate whose check fails has the previous holders of its services put back. The task then fails
    with nothing retired.
  - 'Executions per host: a rerun is the read alone. A first install on Exchange is the read, one trip per certificate
    to import and enable (the backups ride in the last) and one to retire - 3 for one certificate; on IIS the read,
    one trip that completes, backs up and binds everything (the plan sent as a list of steps), and one to retire - 3
    whatever the number of certificates and bindings. With O(chain) the chain costs no execution of its own - its
    stores are read in the same read and its steps run in the first write (a host with nothing else to do, the read
    and one write) - and a rerun is still the read alone.'
extends_documentation_fragment:
  - hkpost.ecert.install_options.backup_files
  - hkpost.ecert.install_options.verify_check
  - hkpost.ecert.exchange_session
  - hkpost.ecert.chain_options.install
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.windows
options:
  platform:
    description: What serves the certificates on this host - V(iis) (bindings) or V(exchange) (Exchange services, through
      the implicit-remoting session of the O(server) options).
    type: str
    choices: [iis, exchange]
    default: iis
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
        description: Friendly name; by default C(Hongkong Post e-Cert) followed by the certificate's name and, in parentheses, C(expires) and its expiry date.
        type: str
      iis_bindings:
        description: With O(platform=iis), https bindings to serve the certificate - site (required), host_header, ip,
          port, sni, certificate_store, shared_ok (the options of M(hkpost.ecert.iis_binding)).
        type: list
        elements: dict
        default: []
      exchange_services:
        description: With O(platform=exchange), the services to enable this certificate for; default O(services).
        type: list
        elements: str
      public_key_sha256:
        description: Ignored (the C(certificates_to_install) filter returns it).
        type: str
      thumbprint:
        description: Ignored (the C(certificates_to_install) filter returns it); the thumbprint is read from the certificate.
        type: str
  services:
    description: With O(platform=exchange), the Exchange services for certificates that list none
      (IIS, SMTP, POP, IMAP, UM, UMCallRouter, Federation).
    type: list
    elements: str
    default: [IIS, SMTP]
  verify:
    description:
      - After binding, check from the controller the chain the host serves for the binding's name (SNI, connecting to
        O(verify_address)); a wrong chain, or another certificate served, rolls the binding back.
      - With O(platform=exchange), after enabling a certificate for IIS, the same check on O(verify_port) for the
        certificate's own name (or O(verify_server_name)); when wrong the previous services are put back.
    type: bool
    default: true
  verify_port:
    description: With O(platform=exchange), the https port of the check.
    type: int
    default: 443
  verify_server_name:
    description: With O(platform=exchange), the name asked for (SNI) in the check; default the certificate's first
      name that is not a wildcard (or O(server) under a wildcard).
    type: str
  verify_address:
    description: Address to connect to for the check; default C(ansible_host) or the inventory name.
    type: str
  backup:
    description: Back each certificate up with its key as PFX to O(backup_dir) (C(DIR/HOST/THUMBPRINT.pfx)), and
      each certificate retired before it is removed; a valid backup already there is kept without asking the host.
    type: bool
    default: true
  retire:
    description: Remove the Hongkong Post certificates the new ones replace, once nothing uses them.
    type: bool
    default: true
  retire_grace_days:
    description: Keep a replaced certificate until its replacement was issued at least this many days ago.
    type: int
    default: 0
  keep_thumbprints:
    description: Thumbprints never retired here, listed in RV(kept) instead - what is used where the host cannot see it
      (a load balancer's copy, an Edge subscription, a hybrid deployment whose configuration cannot be read).
    type: list
    elements: str
    default: []
  retire_issuers:
    description:
      - ACME mode (C(hkpost_issuance=acme)) - PEM text of the chains M(hkpost.ecert.hkpost_intake) accepted from an
        ACME issuer (the C(pem) of its assignments with C(issuer=acme)); only their CA certificates are used.
      - A certificate on the host issued by one of them is retired by the same rules as a Hongkong Post one (backed up
        first, O(retire_grace_days), every consumer, O(keep_thumbprints)), but only when a newer certificate signed by
        the same issuing key serves all of its names - compared by signature, never by name. Certificates of any other
        issuer are never touched.
      - C(renew.yml) passes the ACME certificates' chains here through the C(iis) and C(exchange) roles. Empty (the
        default, and portal mode) retires Hongkong Post certificates only.
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    support: full
    details: One read; reports completions, bindings before and after, backups, retirements and the chain plan; sends no
      write.
  diff_mode:
    support: full
    details: Completed thumbprints, bindings or Exchange services before and after, retired thumbprints, and with
      O(chain) the Hongkong Post entries per store before and after (thumbprint and subject).
seealso:
  - module: hkpost.ecert.hkpost_intake
  - module: hkpost.ecert.hkpost_complete_request
  - module: hkpost.ecert.iis_binding
  - module: hkpost.ecert.hkpost_retire
  - module: hkpost.ecert.exchange_cert
  - module: hkpost.ecert.hkpost_chain
    description: The chain migration alone; O(chain) takes its options.
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

- name: Install on Exchange, keep the old certificate 14 days after its replacement was issued
  hkpost.ecert.hkpost_install:
    platform: exchange
    certificates:
      - src: intake/mail.example.hk.cer
        exchange_services: [IIS, SMTP, POP]
    backup_dir: "{{ hkpost_output_dir }}/backup"
    backup_password: "{{ vault_pfx_password }}"
    retire_grace_days: 14
'''

RETURN = r'''
platform:
  description: V(iis) or V(exchange), as given.
  returned: always
  type: str
certificates:
  description: The certificates given - thumbprint, subject, names, not_after.
  returned: always
  type: list
  elements: dict
completed:
  description: Thumbprints of the certificates whose pending request was (or would be) completed (IIS) or imported
    (Exchange).
  returned: always
  type: list
  elements: str
bindings:
  description: With O(platform=iis), per binding - site, host, port, before, after and changed. Empty on Exchange.
  returned: always
  type: list
  elements: dict
  sample: [{site: Default Web Site, host: www.example.hk, port: 443, changed: true,
            before: null, after: {thumbprint: 0123ABCD, ssl_flags: 1}}]
services:
  description: With O(platform=exchange), per certificate - thumbprint, before and after (its Exchange services) and
    changed. Empty on IIS.
  returned: always
  type: list
  elements: dict
  sample: [{thumbprint: 0123ABCD, before: [], after: [IIS, SMTP], changed: true}]
backups:
  description: Per certificate installed or retired - thumbprint, path (null without a key) and reason (written, a
    valid backup already there, or why not).
  returned: always
  type: list
  elements: dict
retired:
  description: The replaced certificates removed (or that would be) - thumbprint, store (My or WebHosting), subject,
    names, not_after, has_private_key, replaced_by - as M(hkpost.ecert.hkpost_retire) returns them.
  returned: always
  type: list
  elements: dict
kept:
  description: Replaced certificates kept - the same keys as RV(retired) and the reason (still used by a binding, a
    mapping or an Exchange service, the grace period, the hybrid configuration, O(keep_thumbprints), Exchange unknown).
  returned: always
  type: list
  elements: dict
verify:
  description: Each served-chain check made - address, port, server_name, expected, served (thumbprint or null), ok and
    problems. Empty when O(verify=false), in check mode or when nothing changed.
  returned: always
  type: list
  elements: dict
chain:
  description:
    - With O(chain), what M(hkpost.ecert.hkpost_chain) returns for the chain, planned from this task's read - the same
      keys; C(changed) is whether the chain had steps (the task's C(changed) includes it).
  returned: when O(chain) is given
  type: dict
  contains:
    changed:
      description: Whether the chain plan had steps.
      type: bool
    removed:
      description: Certificates and CRLs removed (or to be removed, in check mode) - thumbprint, subject, role, generation,
        product, store, reason.
      type: list
      elements: dict
    added:
      description: Certificates and CRLs added, same shape as RV(chain.removed).
      type: list
      elements: dict
    disallowed:
      description: Old intermediates added to C(Disallowed), same shape as RV(chain.removed).
      type: list
      elements: dict
    leaves:
      description: Hongkong Post certificates with a private key in O(chain.key_stores) as the read found them, as they
        will chain after the plan - thumbprint, subject, store, dns_names, not_after, issued_under, chains.
      type: list
      elements: dict
    warnings:
      description: Things a person must act on, such as leaves to re-issue or about to expire.
      type: list
      elements: str
    plan:
      description: The ordered chain steps (op, store, thumbprint, subject, reason); empty when the chain is right.
      type: list
      elements: dict
    applied:
      description: The chain steps the write applied; present when a write was sent.
      type: list
      elements: dict
    not_applied:
      description: The chain steps not applied because an earlier one failed; present when a chain step failed.
      type: list
      elements: dict
'''
