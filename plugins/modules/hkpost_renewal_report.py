#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_renewal_report
short_description: Selection, submission sheet, fleet summaries and reports of the lifecycle playbooks, on the controller
version_added: 0.3.0
description:
  - The controller side of C(request.yml), C(install.yml) and C(renew.yml), as the entry points of the
    P(hkpost.ecert.renew#role) and P(hkpost.ecert.install#role) roles call it. It reads only what it is given - each
    host's typed result, passed explicitly in O(results) in the order of O(hosts) - never an inventory or another
    task's register name.
  - V(select) - the entries of one host's O(certificates) that O(renew_list) names for O(host) (all of them without a
    list). Writes nothing.
  - V(sheet) - the submission sheet O(sheet) for the portal session from each host's C(hkpost_csr_results) (the
    P(hkpost.ecert.csr#role) role's result), and the table of what to paste, in RV(lines).
  - V(request) - the sheet C(<output_dir>/csr/submission.csv) and the fleet summary of C(renew.yml --tags request),
    from each host's record (C(selected), C(csr), C(backups), or C(error)).
  - V(install) - C(<output_dir>/reports/renewal.json) and the fleet summary of C(renew.yml --tags install), from each
    host's record (C(issued), C(install) - the M(hkpost.ecert.hkpost_install) result -, C(serves), or C(error)) and
    the M(hkpost.ecert.hkpost_intake) result in O(intake); RV(endpoints) are what the audit after the install checks.
  - V(rollout) - C(<output_dir>/reports/install.csv) and C(install.json) of C(install.yml), from each host's record
    (C(platform), C(chain) - the P(hkpost.ecert.chain#role) role's result -, C(install), C(error)).
  - V(pending_orders) - the requests of C(<output_dir>/csr/submission.csv) for O(host) that have no certificate in
    C(<output_dir>/intake/) yet, in RV(orders) - what the P(hkpost.ecert.acme#role) role's C(order) entry point
    orders from the CA. The intake file is named after the request's key, so a rerun orders only what is not issued.
    Writes nothing.
  - V(order_problems) - what the CA said about each order that did not become valid, in words (per name and
    challenge), in RV(problems), from the C(community.crypto.acme_certificate_order_info) results in O(results).
    Writes nothing.
  - V(acme) - the fleet summary of the ACME issuance, from each host's record (C(ordered), the common names, or
    C(error)) - the C(hkpost_acme_issue) the P(hkpost.ecert.acme#role) role's C(order) entry point records.
    Writes nothing.
  - A host whose result is null (or false) recorded nothing - it failed before, was unreachable, or its batch never ran - and
    is reported so (V(failed), or V(not run) in a rollout); its earlier rows in the sheet are kept.
  - In check mode every file is written beside the real one with C(.check) before its extension
    (C(submission.check.csv), C(renewal.check.json), C(install.check.csv)) and the real file is left as it was;
    the rows of hosts not in O(hosts) (a run with C(--limit)) are kept from the file written before.
extends_documentation_fragment:
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.controller
options:
  report:
    description: What to make, as described above.
    type: str
    required: true
    choices: [select, sheet, request, install, rollout, pending_orders, order_problems, acme]
  hosts:
    description: The hosts of the run, usually C(ansible_play_hosts_all).
    type: list
    elements: str
    default: []
  results:
    description:
      - One result per host of O(hosts), in the same order; null or false for a host that recorded none.
      - For example the hosts mapped through C(hostvars), then C(map) with C(attribute=hkpost_renew_install) and
        C(default=false) - Jinja's C(map) reads C(default=none) as no default.
      - For V(order_problems), the C(community.crypto.acme_certificate_order_info) results (no O(hosts)).
    type: list
    elements: raw
    default: []
  active_hosts:
    description:
      - For V(sheet), the hosts still running (C(ansible_play_hosts)); the others are listed as failed or
        unreachable. Default O(hosts).
    type: list
    elements: str
  output_dir:
    description:
      - The output folder on the controller (C(hkpost_output_dir)); required for V(request), V(install), V(rollout) and
        V(pending_orders).
    type: path
  sheet:
    description: The submission sheet to write; required for V(sheet), default C(<output_dir>/csr/submission.csv).
    type: path
  intake:
    description: For V(install), the M(hkpost.ecert.hkpost_intake) result (its findings and waiting requests).
    type: dict
    default: {}
  host:
    description: For V(select), the host whose certificates are selected; for V(pending_orders), the host whose requests are ordered.
    type: str
  certificates:
    description: For V(select), the host's certificates list (C(hkpost_certificates)).
    type: list
    elements: dict
    default: []
  renew_list:
    description:
      - For V(select), what needs renewing - the audit's to-renew JSON (text or data) or a list of
        C({host, common_name}); null selects every certificate.
    type: raw
attributes:
  check_mode:
    support: full
    details: Writes C(*.check.*) files on the controller instead of the real ones; no host is contacted.
  diff_mode:
    support: none
notes:
  - Runs on the controller only (an action plugin; no host is contacted). Run it once (C(run_once)) for V(sheet),
    V(request), V(install) and V(rollout). C(changed) is always false - the files are the controller's, not a
    change to any host.
seealso:
  - module: hkpost.ecert.hkpost_acme_challenge
  - module: hkpost.ecert.hkpost_intake
  - module: hkpost.ecert.hkpost_install
  - module: hkpost.ecert.hkpost_notify
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Install summary of every host of the rollout so far
  hkpost.ecert.hkpost_renewal_report:
    report: rollout
    output_dir: "{{ hkpost_output_dir | default('hkpost-output') | ansible.builtin.realpath }}"
    hosts: "{{ ansible_play_hosts_all }}"
    results: "{{ ansible_play_hosts_all | map('extract', hostvars) | map(attribute='hkpost_install_record', default=false) | list }}"
  run_once: true
  delegate_to: localhost
  register: install_report

- name: Print it
  ansible.builtin.debug:
    msg: "{{ install_report.lines }}"

- name: The certificates of this host that the audit's to-renew list names
  hkpost.ecert.hkpost_renewal_report:
    report: select
    host: "{{ inventory_hostname }}"
    certificates: "{{ hkpost_certificates }}"
    renew_list: "{{ lookup('ansible.builtin.file', 'hkpost-output/reports/fleet-to-renew.json') }}"
  register: selection
'''

RETURN = r'''
orders:
  description:
    - For V(pending_orders), a request per entry - C(common_name), C(csr_file), C(names), C(public_key_sha256), C(dest)
      (the chain's file in the intake) and C(record) (the C(<dest>.acme.json) naming the directory, host and key).
  returned: report is pending_orders
  type: list
  elements: dict
problems:
  description:
    - For V(order_problems), what the CA said - per name that did not validate, the name, the challenge type in
      parentheses, the ACME error type and the CA's detail; or the order's own error, or that it expired.
  returned: report is order_problems
  type: list
  elements: str
certificates:
  description: For V(select), the entries of O(certificates) to renew.
  returned: report is select
  type: list
  elements: dict
summary:
  description:
    - The fleet summary - C(rows) (a row per host, sorted by host), C(counts) (per status) and C(table) (printable
      lines); for V(request) and V(install) also C(failed), the hosts that failed. What
      M(hkpost.ecert.hkpost_notify) takes as a V(rollout) report.
  returned: report is request, install, rollout or acme
  type: dict
lines:
  description: What to print - the table, where the files are, and what to do next.
  returned: report is not select, pending_orders or order_problems
  type: list
  elements: str
files:
  description: The files written (their C(.check) names in check mode).
  returned: report is not select, pending_orders or order_problems
  type: list
  elements: str
endpoints:
  description:
    - For V(install), what every host should now serve - host, port, server_name, inventory_name and, for SMTP,
      IMAP or POP, starttls - as M(hkpost.ecert.hkpost_served_chain) takes them.
  returned: report is install
  type: list
  elements: dict
'''
