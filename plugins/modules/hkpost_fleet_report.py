#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_fleet_report
short_description: Write the report files of a fleet run from the results the run's modules returned
version_added: 0.3.0
description:
  - Runs on the controller once (a play on C(localhost), or C(run_once) with C(delegate_to=localhost)) and writes
    the report files of one kind of run into O(dest), from the results handed to it in O(audit) or O(results) -
    the documented results of the collection's modules, never variables it would look up by name.
  - O(kind=audit) - from the result of M(hkpost.ecert.hkpost_served_chain) in O(audit) - writes C(NAME.html) (one
    self-contained page - counts per verdict and per finding with what to do, the certificates to renew, an expiry
    timeline, the endpoints worst first, grouped by finding above 50), C(NAME.csv), C(NAME.json) and
    C(NAME-to-renew.json) (the expired and expiring leaf certificates with the hosts serving them, the input of a
    renewal run). NAME defaults to C(fleet).
  - O(kind=inventory) - from the results of M(hkpost.ecert.hkpost_certificate_inventory) by host in O(results),
    and optionally an audit in O(audit) to compare held with served - writes C(NAME.html), C(NAME.csv),
    C(NAME.json) and C(renewal-forecast.json). NAME defaults to C(certificate-inventory).
  - O(kind=chain) - from each host's M(hkpost.ecert.hkpost_chain) result and error in O(results) -
    writes C(NAME.csv) and C(NAME.json), one row per host. Rows of hosts not in O(hosts) (a C(--limit) run) are
    kept from the C(NAME.json) written before. NAME defaults to C(chain_migration).
  - Replaces the filters C(fleet_report_html), C(fleet_report_csv), C(fleet_report_json),
    C(certificate_inventory_reports), C(chain_summary) and C(chain_summary_csv).
extends_documentation_fragment:
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.controller
options:
  kind:
    description: Which report to write.
    type: str
    required: true
    choices: [audit, inventory, chain]
  dest:
    description: The folder on the controller the files go in; created if missing.
    type: path
    required: true
  name:
    description: The files' name, without extension; default per O(kind) (see above).
    type: str
  title:
    description: The title of the HTML page; default C(TLS chain audit) or C(Certificate inventory).
    type: str
  audit:
    description:
      - With O(kind=audit), required - the registered result of M(hkpost.ecert.hkpost_served_chain).
      - With O(kind=inventory), optional - the same result, or the C(fleet.json) an audit wrote (parsed, or its
        controller path), to compare what each host holds with what its endpoints serve.
    type: raw
  results:
    description:
      - With O(kind=inventory), a dictionary host name -> that host's registered result of
        M(hkpost.ecert.hkpost_certificate_inventory); a failed or unreachable host's result lists it as not read.
      - With O(kind=chain), a dictionary host name -> C({result, error}) - the host's registered result of
        M(hkpost.ecert.hkpost_chain) (null for a host that was not run) and the error that stopped it (null if none).
    type: dict
  hosts:
    description: With O(kind=chain), the hosts of this run; default the keys of O(results).
    type: list
    elements: str
  warn_days:
    description: A certificate with this many days left or fewer is expiring (O(kind=audit) and O(kind=inventory)).
    type: int
    default: 30
  revoked:
    description: With O(kind=audit), SHA-256 fingerprints or serial numbers of revoked certificates, listed to renew.
    type: list
    elements: str
  today:
    description: With O(kind=inventory), the day the report is as of, C(YYYY-MM-DD); default today (UTC).
    type: str
  subscriptions:
    description: With O(kind=inventory), subscription end (C(YYYY-MM-DD)) per SHA-1 thumbprint, SHA-256 or common name.
    type: dict
    default: {}
  pending_days:
    description: With O(kind=inventory), a pending request older than this many days is stale.
    type: int
    default: 30
  batch:
    description: With O(kind=inventory), at most this many Hongkong Post renewals in one portal session; 0 for no limit.
    type: int
    default: 0
attributes:
  check_mode:
    support: full
    details:
      - The report of a dry run is the point of a dry run, so the files are written in check mode too.
      - A report of what a run changes (O(kind=chain)) is written as C(NAME.check.EXT) in check mode,
        beside the real one and never over it; a report of what was read (O(kind=audit), O(kind=inventory)) is the
        same in check mode and is written under its own name.
  diff_mode:
    support: none
  platform:
    details: Runs on the controller only and contacts no host.
notes:
  - C(changed) is true when a file's content changed (each file is rewritten only when it differs).
seealso:
  - module: hkpost.ecert.hkpost_served_chain
  - module: hkpost.ecert.hkpost_certificate_inventory
  - module: hkpost.ecert.hkpost_chain
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Audit the endpoints
  hkpost.ecert.hkpost_served_chain:
    endpoints:
      - {host: www.example.hk, port: 443}
  register: audit

- name: Write the audit's reports (fleet.html, .csv, .json, fleet-to-renew.json)
  hkpost.ecert.hkpost_fleet_report:
    kind: audit
    audit: "{{ audit }}"
    dest: hkpost-output/reports
  register: audit_report

- name: Print the summary
  ansible.builtin.debug:
    msg: "{{ audit_report.lines }}"

- name: Inventory report of the hosts read by a play on ecert_servers (each registered inventory_result)
  hkpost.ecert.hkpost_fleet_report:
    kind: inventory
    results: "{{ dict(groups['ecert_servers'] | zip(groups['ecert_servers'] | map('extract', hostvars, 'inventory_result'))) }}"
    audit: hkpost-output/reports/fleet.json
    dest: hkpost-output/reports
  run_once: true
  delegate_to: localhost
'''

RETURN = r'''
files:
  description: The files written (or left as they were, already holding that content), absolute paths.
  returned: always
  type: list
  elements: str
  sample: [/srv/project/hkpost-output/reports/fleet.html, /srv/project/hkpost-output/reports/fleet.csv]
json_file:
  description: The path of C(NAME.json) (C(NAME.check.json) in a dry run of O(kind=chain)), the whole report as data.
  returned: always
  type: str
  sample: /srv/project/hkpost-output/reports/fleet.json
html_file:
  description: The path of C(NAME.html), the page to link to.
  returned: kind is audit or inventory
  type: str
  sample: /srv/project/hkpost-output/reports/fleet.html
changed_files:
  description: Those of RV(files) whose content changed.
  returned: always
  type: list
  elements: str
dest:
  description: The folder, absolute.
  returned: always
  type: str
title:
  description: The title the report was written with (O(title) or the default of O(kind)).
  returned: always
  type: str
lines:
  description: A summary to print, one line each (with a table of hosts for O(kind=chain)).
  returned: always
  type: list
  elements: str
summary:
  description:
    - O(kind=audit) - C(total), C(by_verdict), C(by_code) and C(to_renew) (how many certificates are listed to renew).
    - O(kind=inventory) - the C(summary) of C(certificate-inventory.json) (C(hosts), C(hosts_read),
      C(leaf_certificates), C(in_use), C(expiring), C(expired), C(old_generation), C(stale_by_reason)...).
    - O(kind=chain) - C(counts) by status and C(rows), one per host of this run.
  returned: always
  type: dict
at_or_above:
  description: With O(kind=audit), endpoints at or above each verdict - C(error), C(critical) (error and critical),
    C(warning) (all three); what a run failing at a verdict tests.
  returned: kind is audit
  type: dict
  sample: {error: 0, critical: 2, warning: 3}
to_renew:
  description: With O(kind=audit), how many certificates C(NAME-to-renew.json) lists.
  returned: kind is audit
  type: int
forecast:
  description: With O(kind=inventory), the totals of C(renewal-forecast.json) (C(renewals), C(portal_sessions), C(busiest_week)...).
  returned: kind is inventory
  type: dict
counts:
  description: With O(kind=chain), hosts per status, and C(leaves to re-issue).
  returned: kind is chain
  type: dict
  sample: {changed: 3, already right: 10, failed: 1, unreachable: 0, not run: 4, leaves to re-issue: 2}
'''
