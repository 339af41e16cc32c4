# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the logic is the action plugin plugins/action/hkpost_preflight.py.

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_preflight
short_description: Check CAA and DNSSEC for every name before asking Hongkong Post for a certificate
version_added: 0.2.0
description:
  - Checks, from the controller and before any request, what the CA checks at issuance, so a request is not
    rejected days later on the portal. Read-only; one execution on the controller, no connection to the target.
  - "CAA (RFC 8659, BR 3.2.2.8): for each name the relevant CAA record set - the name, then each parent up to the
    top-level domain, the first non-empty set wins. A CNAME at a name is followed (the target's set counts), but
    the climb goes on from the name's own parent. For C(*.) names C(issuewild) records are used first. Hongkong
    Post may issue when there is no CAA set, when the set has no C(issue)/C(issuewild) property, or when one names
    one of O(caa_issuer_domains). A set naming only other CAs refuses the name, with the record and the line to add.
    A critical property the CA does not know (flag 128) refuses too (RFC 8659 section 4.5)."
  - "The RFC 8657 parameters of the matching record are returned: C(accounturi) (a warning: a portal request is not
    made from an ACME account) and C(validationmethods) (a warning when O(method) is not among them)."
  - "DNSSEC (ballot SC-085: from 2026-03-15 the CA validates DNSSEC on every DCV and CAA lookup): the DNSKEY/RRSIG
    chain of the zone holding each name is validated with dnspython to O(dnssec_trust_anchor) - DNSKEY matched to the
    anchor, the DS at each delegation signed by its parent, the zone's DNSKEY matched to its DS, then the CAA answer
    itself (and the TXT answer the CA reads when O(method=dns)). A bad or expired signature, or a DS no key
    matches, refuses the name (the CA will refuse it too). A zone
    below a delegation without DS is V(unsigned), which is fine for the CA."
  - A CAA lookup that fails, or a name no trust anchor covers, only warns.
author:
  - hkpost.ecert contributors (@hkpost-ecert)
extends_documentation_fragment:
  - hkpost.ecert._attributes
options:
  domains:
    description: Every name in the certificate; IDN names may be U-labels (checked as A-labels).
    type: list
    elements: str
    required: true
  certificate_type:
    description: The certificate type, for the name rules (same values as M(hkpost.ecert.hkpost_csr)).
    type: str
    default: standard
    choices: [standard, multi_domain, wildcard, ev, ev_multi_domain]
  method:
    description:
      - The DCV method you will use. Compared with a CAA C(validationmethods) parameter
        (V(dns) as C(dns-01), V(file) as C(http-01)); with V(dns) the DNSSEC check validates the TXT answer too.
    type: str
    choices: [file, dns, email]
  checks:
    description: Which pre-flights run.
    type: list
    elements: str
    default: [caa, dnssec]
    choices: [caa, dnssec]
  caa_issuer_domains:
    description:
      - The issuer domain names that let Hongkong Post issue in CAA C(issue)/C(issuewild) records.
      - The default is the value public CAA data lists for Hongkong Post. Change it only if Hongkong Post's CPS
        (section 4.2) names others.
    type: list
    elements: str
    default: [hongkongpost.gov.hk]
  dnssec_trust_anchor:
    description:
      - DS or DNSKEY records, as zone-file lines, that the DNSSEC chain must lead to.
      - Defaults to the root trust anchor installed on the controller (C(/usr/share/dns/root.ds) or
        C(/usr/share/dns/root.key) from the Debian/Ubuntu C(dns-root-data) package), which is what the CA uses.
        Without one, DNSSEC is reported as not checked (a warning).
      - Give one for a lab or an internal tree, for example a zone's KSK as C(dnssec-keygen) writes it.
    type: str
  nameservers:
    description:
      - Resolvers (C(address) or C(address:port)) asked for CAA, DS and DNSKEY records. Defaults to the controller's.
      - Queries set the DO and CD bits, so a validating resolver hands over the signatures to check.
    type: list
    elements: str
    default: []
  timeout:
    description: Seconds for each DNS query.
    type: int
    default: 5
  fail_on_refusal:
    description: Fail the task when a name would be refused. With V(false) the result still lists O(domains) refused.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    details: Read-only; runs the same in check mode.
  diff_mode:
    support: none
    details: Nothing changes, so there is no diff.
  platform:
    support: full
    platforms: [posix, windows]
    details: Runs on the controller only; the target's connection is not used.
notes:
  - Needs C(dnspython) (and C(cryptography) for DNSSEC) on the controller, and DNS access to the names' zones.
  - A missing DS is accepted as unsigned when the parent's signed NSEC/NSEC3 records say so (signatures validated;
    for NSEC the type bitmap is read, NSEC3 hashes are not matched). The CA's resolver does the full proof.
seealso:
  - name: RFC 8659 DNS Certification Authority Authorization (CAA) Resource Record
    description: Tree climbing (section 3) and the issue/issuewild properties (section 4).
    link: https://www.rfc-editor.org/rfc/rfc8659
  - name: RFC 8657 CAA Record Extensions for Account URI and ACME Method Binding
    description: The accounturi and validationmethods parameters.
    link: https://www.rfc-editor.org/rfc/rfc8657
  - name: Automated issuance and the 2026-2029 validation rules
    description: What the collection checks before a request and what to ask Hongkong Post for.
    link: https://github.com/hkpost-ecert/hkpost.ecert/blob/main/docs/docsite/rst/automated_issuance.rst
'''

EXAMPLES = r'''
- name: Check CAA and DNSSEC for every name before the request
  hkpost.ecert.hkpost_preflight:
    domains: [www.example.com.hk, shop.example.com.hk]
    certificate_type: multi_domain
    method: dns
  delegate_to: localhost
  run_once: true

- name: Lab tree signed with its own key, asked at a lab resolver
  hkpost.ecert.hkpost_preflight:
    domains: ['*.lab.example.test']
    certificate_type: wildcard
    dnssec_trust_anchor: "{{ lookup('ansible.builtin.file', 'Kexample.test.+013+12345.key') }}"
    nameservers: ['192.0.2.53']
  delegate_to: localhost

- name: Report only (the dcv role's table), failing later
  hkpost.ecert.hkpost_preflight:
    domains: [www.example.com.hk]
    checks: [caa]
    fail_on_refusal: false
  register: preflight
'''

RETURN = r'''
checks:
  description: The pre-flights that ran.
  returned: always
  type: list
  elements: str
  sample: [caa, dnssec]
trust_anchor:
  description: Where the DNSSEC trust anchor came from; null when DNSSEC was not checked.
  returned: always
  type: str
  sample: root (/usr/share/dns/root.ds, /usr/share/dns/root.key)
refused:
  description: The names (A-labels) the CA would refuse.
  returned: always
  type: list
  elements: str
names:
  description: One entry per distinct name.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The name as given.
      type: str
    ascii_name:
      description: The A-label form checked.
      type: str
    ok:
      description: Whether nothing refuses the name.
      type: bool
    problems:
      description: Why the CA would refuse it, each naming the record or signature and the fix.
      type: list
      elements: str
    caa:
      description:
        - The CAA result, null when not checked. C(allowed) (true, false, or null when the lookup failed),
          C(owner) (where the relevant set was found), C(records), C(matched), C(accounturi),
          C(validationmethods), C(reason), C(warnings), C(asked) (the names queried), C(cname).
      type: dict
      sample: {allowed: false, owner: example.com.hk, records: ['example.com.hk CAA 0 issue "letsencrypt.org"'],
               reason: 'the relevant CAA record set for www.example.com.hk (at example.com.hk) allows only
               letsencrypt.org to issue ...'}
    dnssec:
      description:
        - The DNSSEC result, null when not checked. C(zone), C(status) (V(secure), V(unsigned), V(bogus),
          V(no_anchor), V(error)) and C(problem).
      type: dict
      sample: {zone: example.com.hk, status: secure, problem: null}
'''
