#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_run_check
short_description: Refuse a run whose host pattern selects nothing; report hosts missing their certificates and misspelt variables
version_added: 0.2.0
description:
  - Runs on the controller before a playbook contacts any host, so that a run that would do nothing does not end
    like one that succeeded (ansible-core only warns, and exits 0, when a play's host pattern matches nothing).
  - Fails when a part of O(pattern) matches no host of the inventory (naming that part), or when the pattern within
    O(limit) selects no host.
  - For each selected host, reports a missing C(hkpost_certificates) (a failure with O(certificates=required), a
    warning with V(optional); a role's own list such as C(hkpost_iis_certificates) or C(hkpost_iis_certificate_file)
    counts as given) and warns about every C(hkpost_*) variable that nothing in the collection reads (a typo
    such as C(hkpost_certificate)), with the closest known name.
  - The known variables are the options of every role entry point (C(meta/argument_specs.yml), the variables
    C(ansible-doc -t role) shows for each playbook), the roles' defaults, and the collection-wide variables - the
    table "Variables of the whole collection" of the guide C(using_the_collection.rst).
  - Changes nothing.
extends_documentation_fragment:
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.controller
options:
  pattern:
    description: The host pattern of the playbook's plays - the value of C(hkpost_hosts), by default C(ecert_servers).
    type: str
    required: true
  limit:
    description:
      - The C(--limit) of the run (C(ansible_limit)); the hosts checked are the pattern's hosts within it.
      - Each part must match a host of the inventory, except a part naming a file (C(@install.retry)), which
        ansible-core reads wherever it stands in the list.
    type: str
    default: ''
  certificates:
    description: What a selected host without C(hkpost_certificates) is - an error, a warning, or not looked at.
    type: str
    choices: [required, optional, ignored]
    default: required
attributes:
  check_mode:
    support: full
    details: Reads the inventory only; the same in check mode.
  diff_mode:
    support: none
notes:
  - Run it once, on the controller (C(run_once) and C(delegate_to=localhost)), in a first play whose hosts survive
    C(--limit) (C(all:localhost)); a play on C(localhost) alone is skipped when C(--limit) leaves localhost out.
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
# The first task of a play whose hosts are all:localhost (so that --limit does not skip it), with
# any_errors_fatal: true (playbooks/run_check.yml is that play).
- name: The pattern selects hosts, each has its certificates list, no hkpost_ variable is misspelt
  hkpost.ecert.hkpost_run_check:
    pattern: "{{ hkpost_hosts | default('ecert_servers') }}"
    limit: "{{ ansible_limit | default('') }}"
    certificates: required
  run_once: true
  delegate_to: localhost
'''

RETURN = r'''
hosts:
  description: The hosts the playbook will run on (the pattern's hosts within the limit), sorted.
  returned: always
  type: list
  elements: str
warnings_found:
  description: The warnings printed (missing optional certificates lists, unknown hkpost_ variables).
  returned: always
  type: list
  elements: str
'''
