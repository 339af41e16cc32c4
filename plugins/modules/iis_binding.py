#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: iis_binding
short_description: Bind a Hongkong Post certificate to an IIS site's https binding, safely
version_added: 0.1.0
description:
  - Manages one https binding of one IIS site (Bindings - Add - https in IIS Manager) and the certificate
    http.sys serves for it, from C(LocalMachine\My) or C(LocalMachine\WebHosting).
  - The certificate is given by O(certificate_thumbprint), or chosen by O(certificate_common_name) - the newest
    valid Hongkong Post server certificate with a private key that serves that name (one naming it exactly is
    preferred to a wildcard).
  - A certificate that is expired, has no private key on the host, or does not serve O(host_header) is refused.
  - C(sslFlags) is a bitmask. Only the SNI bit (1) and the central certificate store bit (2) are managed;
    every other bit (4 HTTP/2 off, 8 OCSP stapling off, 16, 32, 64...) is kept as it is.
  - A non-SNI binding on C(*:443) (or C(IP:443)) has one http.sys certificate shared by every site bound there.
    Changing it is refused, naming the sites, unless O(shared_ok=true).
  - An C(netsh http sslcert ipport=IP:PORT) mapping for a specific address is looked up by http.sys before SNI and
    overrides an SNI binding for clients connecting to that address; it is reported as a warning and in
    RV(sni_overrides), with the command that removes a stray one.
  - The binding before the change is recorded. The binding and its certificate are written in two steps; if a
    step fails (or O(verify) fails) the previous binding and certificate are put back, and the task fails saying so.
  - With O(verify=true) the controller connects to the site after binding and checks the chain it actually serves
    (the check of M(hkpost.ecert.hkpost_served_chain)). The served leaf must be the bound certificate and the chain
    must have no critical finding (missing or old intermediate, expired, wrong name, untrusted).
extends_documentation_fragment:
  - hkpost.ecert.install_options.verify_check
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.windows
options:
  site:
    description: IIS site name as IIS Manager shows it.
    type: str
    required: true
  port:
    description: TCP port.
    type: int
    default: 443
  ip:
    description:
      - IP address of the binding, or V(*) for all unassigned.
      - An IPv6 address goes in brackets (V([2001:db8::10])); without them, or when it is not an address, it is
        refused before anything is read or changed.
    type: str
    default: '*'
  host_header:
    description:
      - Host name of the binding. Empty for a binding without host name.
      - A Unicode (U-label) name is converted to its A-label (punycode), the form IIS and http.sys match; the
        result's RV(host_header_converted) shows both. A name that is not a host name is refused.
    type: str
    default: ''
  sni:
    description:
      - Require Server Name Indication. Defaults to V(true) when O(host_header) is given, V(false) otherwise.
    type: bool
  certificate_thumbprint:
    description:
      - Thumbprint of the certificate to bind. Spaces, colons and the invisible mark certlm.msc copies along are ignored.
      - Mutually exclusive with O(certificate_common_name).
    type: str
  certificate_common_name:
    description:
      - Bind the newest valid Hongkong Post certificate with a private key that serves this name.
    type: str
  certificate_store:
    description: Store holding the certificate.
    type: str
    choices: [My, WebHosting]
    default: My
  state:
    description: V(present) makes the binding serve the certificate; V(absent) removes the binding.
    type: str
    choices: [present, absent]
    default: present
  shared_ok:
    description:
      - Allow changing the certificate of a non-SNI binding whose http.sys mapping other sites share; they all switch.
    type: bool
    default: false
  verify:
    description:
      - After binding, connect from the controller and check the served chain; roll back if it is not right.
      - O(verify_timeout), O(verify_trust) and O(verify_address) are checked before the binding changes.
    type: bool
    default: false
  verify_address:
    description: Address the controller connects to for O(verify). Defaults to C(ansible_host), then the inventory name.
    type: str
attributes:
  check_mode:
    support: full
    details: Reads bindings, mappings and the store and reports the change; sends no write.
  diff_mode:
    support: full
    details: Shows the binding (site, ip, port, host, sni, ssl_flags, thumbprint, store) before and after.
notes:
  - The http.sys mappings are read from the registry (C(HTTP\Parameters\SslBindingInfo) and C(SslSniBindingInfo)),
    where netsh keeps them, so the module does not depend on the display language.
seealso:
  - module: hkpost.ecert.hkpost_complete_request
  - module: hkpost.ecert.hkpost_served_chain
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: SNI binding with the newest certificate for the name, checked from the controller
  hkpost.ecert.iis_binding:
    site: Default Web Site
    host_header: www.example.com.hk
    certificate_common_name: www.example.com.hk
    verify: true

- name: The one non-SNI *:443 binding of a single-site server
  hkpost.ecert.iis_binding:
    site: Default Web Site
    certificate_thumbprint: 0123456789ABCDEF0123456789ABCDEF01234567

- name: Remove an old binding
  hkpost.ecert.iis_binding:
    site: Old site
    host_header: old.example.com.hk
    state: absent
'''

RETURN = r'''
host_header_converted:
  description: The O(host_header) as given and the A-label the binding uses, when they differ.
  returned: when a Unicode host_header was converted
  type: dict
  sample: {given: 香港郵政.hk, a_label: xn--5bvv2rbn4a0hh.hk}
before:
  description: The binding before the task (site, ip, port, host, sni, ssl_flags, thumbprint, store), or null.
  returned: always
  type: dict
after:
  description: The binding after the task (same keys), or null when removed.
  returned: always
  type: dict
certificate:
  description: The certificate bound (sha1, subject, subject_cn, dns_names, not_before, not_after, issuer_cn, friendly_name, store).
  returned: when state is present
  type: dict
shared_with:
  description: Other sites sharing the non-SNI http.sys mapping of this binding.
  returned: always
  type: list
  elements: str
sni_overrides:
  description: ipport mappings that override this SNI binding for some addresses (endpoint, thumbprint, sites, message).
  returned: always
  type: list
  elements: dict
rolled_back:
  description: Whether the previous binding was put back after a failed step.
  returned: when a step failed
  type: bool
verify:
  description: The served-chain check (verdict, findings, served_leaf, address, server_name).
  returned: when verify is true
  type: dict
'''
