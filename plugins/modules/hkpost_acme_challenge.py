# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the logic is the action plugin plugins/action/hkpost_acme_challenge.py.

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_acme_challenge
short_description: Publish and remove the challenges of ACME orders (dns-01 by RFC 2136, http-01 in IIS)
version_added: 0.2.0
description:
  - Takes the C(challenge_data) that M(community.crypto.acme_certificate_order_create) returns (the lists of several
    orders may be concatenated) and publishes every pending challenge of one type, or removes it with O(state=absent).
  - C(dns-01) adds each value as one TXT value at C(_acme-challenge.<name>) with RFC 2136 updates signed with TSIG,
    from the controller, or on a Windows DNS server target with O(dns_provider=windows). Other TXT values at the
    name stay; a wildcard and its base name share one name and get both values.
  - C(http-01) writes each key authorization to C(/.well-known/acme-challenge/<token>) of every IIS site answering
    the name (found from the bindings as M(hkpost.ecert.hkpost_dcv_token) finds them for C(fileauth.txt)), with a
    C(web.config) that makes IIS serve the extensionless token as C(text/plain); every token of the host in one
    execution. Removal deletes the tokens and only a C(web.config) this module wrote. A wildcard name is refused
    (RFC 8555 section 8.3).
  - The ACME client is community.crypto's; this module only publishes. Used by C(playbooks/renew_acme.yml).
author:
  - hkpost.ecert contributors (@hkpost-ecert)
extends_documentation_fragment:
  - hkpost.ecert._dns_update
  - hkpost.ecert._attributes
options:
  challenge:
    description: The challenge type to publish for every pending authorization.
    type: str
    required: true
    choices: [dns-01, http-01]
  challenge_data:
    description: RV(community.crypto.acme_certificate_order_create#module:challenge_data), of one or several orders.
    type: list
    elements: dict
    required: true
  state:
    description: C(present) publishes; C(absent) removes exactly those values or files.
    type: str
    default: present
    choices: [present, absent]
  published:
    description:
      - For C(http-01) with O(state=absent), the RV(published) list the O(state=present) call returned; the token
        files are then removed without reading IIS again. Only files named after the orders' tokens inside an
        C(acme-challenge) directory are ever removed.
    type: list
    elements: dict
  ttl:
    description: TTL of a new TXT record set.
    type: int
    default: 60
  timeout:
    description: Seconds for each DNS query or update.
    type: int
    default: 10
attributes:
  check_mode:
    support: full
    details: Says what would change and changes nothing.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: [posix, windows]
    details: C(dns-01) runs on the controller; C(http-01) needs a Windows host with IIS.
notes:
  - C(dns-01) needs C(dnspython) on the controller.
seealso:
  - name: RFC 8555 section 8 (ACME identifier validation challenges)
    description: The dns-01 and http-01 challenges this module publishes and removes.
    link: https://www.rfc-editor.org/rfc/rfc8555#section-8
  - module: community.crypto.acme_certificate_order_create
'''

EXAMPLES = r'''
- name: Publish the dns-01 values of this host's orders
  hkpost.ecert.hkpost_acme_challenge:
    challenge: dns-01
    challenge_data: "{{ orders.results | map(attribute='challenge_data') | flatten }}"
    dns_server: ns1.example.com.hk
    tsig_key_name: acme-key
    tsig_key_secret: "{{ vault_acme_tsig_secret }}"
  delegate_to: localhost

- name: Publish the http-01 tokens in the IIS sites of the host
  hkpost.ecert.hkpost_acme_challenge:
    challenge: http-01
    challenge_data: "{{ orders.results | map(attribute='challenge_data') | flatten }}"
'''

RETURN = r'''
published:
  description:
    - Where the challenges are. dns-01 - provider, server, zone, name, type, values (how many values).
      http-01 - name, site, reason, directory, path.
  returned: always
  type: list
  elements: dict
done:
  description: What the host did (http-01).
  returned: when the host changed something
  type: list
  elements: str
'''
