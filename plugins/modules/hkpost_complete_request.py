#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_complete_request
short_description: Complete a pending certificate request with the issued Hongkong Post certificate (IIS "Complete Certificate Request")
version_added: 0.1.0
description:
  - The unattended form of IIS Manager's B(Complete Certificate Request) and of C(certreq -accept -machine);
    installs the certificate Hongkong Post issued into C(LocalMachine\My), paired with the private key that is
    waiting in the pending request (C(LocalMachine\REQUEST), "Certificate Enrollment Requests").
  - The issued certificate file is read on the controller as operators have it - PEM or DER, with a UTF-8 BOM, CRLF
    line ends, or with the chain pasted before or after it. The leaf (the one non-CA certificate) is installed; the
    rest is returned as RV(chain) / RV(chain_pem) for the chain role.
  - Before anything is sent, the certificate is matched to a pending request by the SHA-256 of its public key
    (the RV(public_key_sha256) that M(hkpost.ecert.hkpost_csr) returned). A certificate that matches no pending
    request fails, naming the certificate and listing the pending requests; nothing changes.
  - An expired certificate is refused. A certificate already installed with its key gives C(changed=false).
extends_documentation_fragment:
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.windows
options:
  src:
    description:
      - Path on the controller of the issued certificate (searched like M(ansible.builtin.copy)'s C(src), so a
        role's C(files/) works). Mutually exclusive with O(content).
    type: path
  content:
    description:
      - The issued certificate as text (PEM or base64 DER), instead of O(src).
    type: str
  friendly_name:
    description:
      - Friendly name shown in certlm.msc and IIS Manager.
      - Defaults to "Hongkong Post e-Cert <common name> (expires <date>)" so renewals can be told apart.
    type: str
attributes:
  check_mode:
    support: full
    details: Reads the stores and reports whether the request would be completed; runs no certreq.
  diff_mode:
    support: full
    details: Shows the thumbprint before and after in C(LocalMachine\My).
notes:
  - Install the chain first (role C(hkpost.ecert.chain)); C(certreq -accept) wants to build the chain to a trusted root.
  - Run it on the host that made the request; the key never leaves it. To move a key, use M(hkpost.ecert.hkpost_pfx).
seealso:
  - module: hkpost.ecert.hkpost_csr
  - module: hkpost.ecert.iis_binding
  - module: hkpost.ecert.hkpost_pfx
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Complete the pending request with the certificate downloaded from the portal
  hkpost.ecert.hkpost_complete_request:
    src: files/www.example.com.hk.cer
  register: completed

- name: Bind it
  hkpost.ecert.iis_binding:
    site: Default Web Site
    host_header: www.example.com.hk
    certificate_thumbprint: "{{ completed.thumbprint }}"
'''

RETURN = r'''
thumbprint:
  description: Windows thumbprint (SHA-1) of the installed certificate.
  returned: always
  type: str
public_key_sha256:
  description: SHA-256 of the certificate's SubjectPublicKeyInfo, the value hkpost_csr returned for the request.
  returned: always
  type: str
certificate:
  description: Facts about the issued certificate (subject, issuer, dns_names, not_before, not_after, sha256, generation...).
  returned: always
  type: dict
chain:
  description: Facts about the other certificates found in the file (the chain), in file order.
  returned: always
  type: list
  elements: dict
chain_pem:
  description: Those other certificates as PEM, for the chain role.
  returned: always
  type: str
request:
  description: The pending request that was (or would be) completed - sha1 of its placeholder, friendly_name, subject, spki_sha256.
  returned: when a request is completed
  type: dict
friendly_name:
  description: Friendly name of the certificate in C(LocalMachine\My).
  returned: always
  type: str
certreq_output:
  description: What certreq printed.
  returned: when certreq ran
  type: str
'''
