# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the logic is the action plugin plugins/action/hkpost_dcv_token.py.

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_dcv_token
short_description: Publish, verify and remove the Hongkong Post domain control validation code
version_added: 0.1.0
description:
  - Proves control of every name in a Hongkong Post e-Cert (Server) certificate with the verification code
    the Hongkong Post portal gives (required from 2026-03-15 for non-government subscribers).
  - C(method=file) writes C(/.well-known/pki-validation/fileauth.txt) holding exactly the code. On a Windows
    host the IIS site answering each name is found from the bindings' host headers (then a wildcard host header,
    then the site answering requests without a host header, preferring the C(Default Web Site)); the file goes
    under the site's physical path with C(%SystemDrive%)-style variables expanded. A C(web.config) mapping C(.txt)
    to C(text/plain) is written only when the site does not already serve C(.txt) that way, and only a
    C(web.config) this module wrote is ever removed. On a POSIX host the file goes under O(webroot).
  - C(method=dns) adds the code as one TXT value at each name (for C(*.example.com) at C(example.com)),
    with RFC 2136 dynamic updates signed with TSIG from the controller, or on a Windows DNS server target with
    O(dns_provider=windows). Only this one TXT value is ever added or deleted; other TXT values at the name
    (SPF, other CAs' tokens) survive, and their TTL is kept (an RRset has one TTL).
  - C(method=email) publishes nothing and returns the constructed addresses (admin, administrator, webmaster,
    hostmaster, postmaster at each name). CA/Browser Forum ballot SC-081 (BR 3.2.2.4.4) makes the method SHOULD NOT
    from 2026-03-15 (a warning naming the rule and methods V(dns) and V(file)) and MUST NOT from 2028-03-15 (refused
    before anything else, with the same message). The day is today, or O(as_of).
  - With O(validated_on), each name's result says until when that validation may be reused and whether the name
    needs fresh validation before the next issuance (BR 4.2.1 as amended by SC-081 - 398 days for certificates issued
    before 2026-03-15, 200 from 2026-03-15, 100 from 2027-03-15, 10 from 2029-03-15, by issuance day).
  - Refused before anything is touched, with a message naming the rule; C(file) for wildcard certificates;
    C(email) for C(multi_domain) and C(ev_multi_domain) certificates; a code more than 30 days old (the message
    gives the day it expired); a name that is not a valid host name (IDN names are used as A-labels).
  - With O(verify=true) the controller checks what the CA will check, until every name passes or
    O(wait_timeout) passes, and the task fails naming each name that did not pass. For C(file) it fetches the
    C(http://) and C(https://) URL, following only 301/302/307/308 redirects to http(s) on port 80 or 443, and
    compares the body exactly (a trailing newline is ignored, a UTF-8 BOM is refused); a name passes when either
    scheme serves the code. For C(dns) it finds the zone's authoritative servers and asks each one directly.
  - O(state=absent) removes exactly what O(state=present) published (a file holding another code is left in place,
    with a warning).
author:
  - hkpost.ecert contributors (@hkpost-ecert)
extends_documentation_fragment:
  - hkpost.ecert._dns_update
  - hkpost.ecert._attributes
options:
  method:
    description: How control is proved, as chosen on the Hongkong Post portal.
    type: str
    required: true
    choices: [file, dns, email]
  domains:
    description:
      - Every name in the certificate (the subject name and, for multi-domain certificates, every extra name).
      - Chinese (IDN) names may be given as U-labels; they are published and checked as A-labels (punycode).
    type: list
    elements: str
    required: true
  verification_code:
    description:
      - The code the portal gave, exactly. Never logged; results show it as C(<verification_code>).
      - Must be text; an unquoted number or a dictionary in YAML is refused (unquoted V(0123456) would be read as
        the number 42798). Quote it.
    type: str
    required: true
  certificate_type:
    description: The certificate type applied for (same values as M(hkpost.ecert.hkpost_csr)).
    type: str
    default: standard
    choices: [standard, multi_domain, wildcard, ev, ev_multi_domain]
  issued_on:
    description:
      - The day the portal issued the code (C(YYYY-MM-DD)); DCV must be completed within 30 days of it.
      - Defaults to today. Not checked for O(state=absent), so an expired token can always be removed.
    type: str
  state:
    description: C(present) publishes (and verifies); C(absent) removes what C(present) published.
    type: str
    default: present
    choices: [present, absent]
  verify:
    description: Check from the controller that every name proves the code (O(state=present) only).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to keep re-checking names that do not pass yet; C(0) checks once.
    type: int
    default: 300
  webroot:
    description:
      - For C(method=file) on a POSIX host, the directory the web server serves for the names.
      - One path for all names, or a dictionary name -> path (names as given or as A-labels).
      - Not used on Windows hosts, where IIS tells where each site lives.
    type: raw
  ttl:
    description: TTL of a new TXT record set. When other TXT values exist at the name their TTL is kept.
    type: int
    default: 3600
  nameservers:
    description:
      - Servers (C(address) or C(address:port)) the DNS check asks for the zone and its NS records.
        Defaults to the controller's resolvers. The TXT value itself is always read from each authoritative server.
    type: list
    elements: str
    default: []
  resolve:
    description:
      - Name -> address map used instead of DNS (split-horizon setups, labs, tests).
      - For the file check the value is an IP address. For the DNS check it pins a name server's address and may
        carry a port, for example C(127.0.0.1:5353).
    type: dict
    default: {}
  port_map:
    description:
      - "Lab and test setups only, for the file check. Connect to these TCP ports instead of 80 and 443
        (for example C({80: 18080, 443: 18443}))."
      - The checked URLs, the Host header and the redirect rule stay on 80/443, so a redirect to any other port is
        still refused exactly as the CA refuses it.
    type: dict
    default: {}
  validate_certs:
    description:
      - Validate the TLS certificate for the C(https://) check. Off by default because the check runs before the
        new certificate exists and the CA's fetch does not depend on it.
    type: bool
    default: false
  timeout:
    description: Seconds for each HTTP request or DNS query.
    type: int
    default: 10
  validated_on:
    description:
      - The day the CA last validated the names (C(YYYY-MM-DD)), or a dictionary name -> day (names as given or as
        A-labels; a name missing from it needs fresh validation).
      - Adds RV(domains[].validation_valid_until) and RV(domains[].needs_fresh_validation) for an issuance on
        today (or O(as_of)), and RV(needs_fresh_validation).
    type: raw
    version_added: 0.2.0
  as_of:
    description:
      - Apply the dated rules (the e-mail method's dates, DCV reuse, the code's 30 days) as on this day
        (C(YYYY-MM-DD)) instead of today - to plan ahead or to test. Publishing and checking still happen now.
    type: str
    version_added: 0.2.0
attributes:
  check_mode:
    support: full
    details: Computes what would change and publishes nothing; checks run only when nothing would change.
  diff_mode:
    support: partial
    details: Lists the files or TXT records that are (or would be) added or removed; never the code.
  platform:
    support: full
    platforms: [posix, windows]
    details: Windows targets (IIS, Windows DNS) use PowerShell payloads; POSIX targets ansible.builtin modules.
notes:
  - RFC 2136, the DNS check and the file check run on the controller and need C(dnspython) and network access
    to the DNS and web servers.
  - The verification code is C(no_log); returned values show it as C(<verification_code>).
seealso:
  - name: CA/Browser Forum Baseline Requirements 3.2.2.4
    description: The domain validation methods (3.2.2.4.7 DNS, 3.2.2.4.18 file, 3.2.2.4.4 e-mail).
    link: https://cabforum.org/working-groups/server/baseline-requirements/requirements/
'''

EXAMPLES = r'''
- name: Publish the code over RFC 2136 and wait until every authoritative server serves it
  hkpost.ecert.hkpost_dcv_token:
    method: dns
    domains: [www.example.com.hk, shop.example.com.hk]
    certificate_type: multi_domain
    verification_code: "{{ hkpost_code }}"
    issued_on: "2026-11-20"
    dns_server: ns1.example.com.hk
    tsig_key_name: dcv-key
    tsig_key_secret: "{{ vault_dcv_tsig_secret }}"
  delegate_to: localhost

- name: Website change on an IIS server (site found from the bindings)
  hkpost.ecert.hkpost_dcv_token:
    method: file
    domains: [www.example.com.hk]
    verification_code: "{{ hkpost_code }}"

- name: Website change on a Linux web server, one web root per name
  hkpost.ecert.hkpost_dcv_token:
    method: file
    domains: [www.example.com.hk, 香港郵政.hk]
    verification_code: "{{ hkpost_code }}"
    webroot:
      www.example.com.hk: /var/www/main
      香港郵政.hk: /var/www/idn

- name: After issuance, remove the TXT value (SPF and other values stay)
  hkpost.ecert.hkpost_dcv_token:
    method: dns
    state: absent
    domains: ['*.example.com.hk']
    certificate_type: wildcard
    verification_code: "{{ hkpost_code }}"
    dns_server: ns1.example.com.hk
    tsig_key_name: dcv-key
    tsig_key_secret: "{{ vault_dcv_tsig_secret }}"
  delegate_to: localhost

- name: Which names need fresh validation before the next issuance (DCV reuse shrinks to 10 days by 2029)
  hkpost.ecert.hkpost_dcv_token:
    method: dns
    domains: [www.example.com.hk, shop.example.com.hk]
    certificate_type: multi_domain
    verification_code: "{{ hkpost_code }}"
    validated_on:
      www.example.com.hk: "2026-10-02"
      shop.example.com.hk: "2026-06-15"
    dns_server: ns1.example.com.hk
    tsig_key_name: dcv-key
    tsig_key_secret: "{{ vault_dcv_tsig_secret }}"
  delegate_to: localhost

- name: Constructed e-mail addresses to pick from on the portal (deprecated method)
  hkpost.ecert.hkpost_dcv_token:
    method: email
    domains: [www.example.com.hk]
    verification_code: "{{ hkpost_code }}"
  register: dcv_mail
'''

RETURN = r'''
method:
  description: The method used.
  returned: always
  type: str
  sample: dns
code_expires_on:
  description: The last day the code is valid (issued_on + 30 days).
  returned: always
  type: str
  sample: '2026-12-20'
as_of:
  description: The day the dated rules were applied for (today, or O(as_of)).
  returned: always
  type: str
  sample: '2026-12-07'
needs_fresh_validation:
  description: The names (A-labels) whose last validation may not be reused for an issuance on RV(as_of).
  returned: when validated_on is given
  type: list
  elements: str
  sample: [shop.example.com.hk]
verified:
  description: Whether every name passed the check; null when no check ran.
  returned: always
  type: bool
addresses:
  description: For C(method=email), every constructed address.
  returned: when method is email
  type: list
  elements: str
  sample: [admin@www.example.com.hk, postmaster@www.example.com.hk]
domains:
  description: One entry per distinct name.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The name as given.
      type: str
    ascii_name:
      description: The A-label form used everywhere.
      type: str
      sample: xn--5bvv2rbn4a0hh.hk
    record_name:
      description: Where a TXT value or e-mail goes (the name without a leading C(*.)).
      type: str
    changed:
      description: Whether publishing or removal changed something for this name.
      type: bool
    published:
      description:
        - Where the token is. File on IIS - site, reason (host header, wildcard host header, default site),
          directory, path, web_config. File on POSIX - host, path, url_path. DNS - provider, server, zone, name,
          type, ttl, other_values (how many other TXT values share the name).
      type: list
      elements: dict
    ok:
      description: Whether the check passed (null when no check ran).
      type: bool
    problem:
      description: What was wrong, per scheme or per server.
      type: str
      sample: 'http: HTTP 404 Not Found; https: HTTP 404 Not Found'
    checks:
      description:
        - What each check saw. File - url, status, redirects, final_url, address, content_type, body, ok, problem.
          DNS - server, address, port, values, rcode, ok, problem.
      type: list
      elements: dict
    addresses:
      description: For C(method=email), the constructed addresses for this name.
      type: list
      elements: str
    validated_on:
      description: The day given in O(validated_on) for this name; null when none was given for it.
      type: str
      returned: when validated_on is given
    validation_valid_until:
      description: The last issuance day that may reuse that validation (BR 4.2.1, SC-081); null when none.
      type: str
      returned: when validated_on is given
      sample: '2027-03-14'
    reuse_days:
      description: The reuse period for an issuance on RV(as_of), in days.
      type: int
      returned: when validated_on is given
      sample: 200
    needs_fresh_validation:
      description: Whether the name must be validated again before an issuance on RV(as_of).
      type: bool
      returned: when validated_on is given
'''
