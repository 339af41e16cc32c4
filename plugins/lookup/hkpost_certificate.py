# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: hkpost_certificate
version_added: 0.1.0
short_description: The real Hongkong Post certificates shipped with the collection, as PEM
description:
  - Returns the PEM text of certificates the collection ships, each checked against its published SHA-256 pin
    before it is returned.
  - V(root_ca_3) Hongkong Post Root CA 3; V(ssl_ca_3_17_new) the new (2025, serverAuth EKU)
    "Hongkong Post e-Cert SSL CA 3 - 17"; V(ssl_ca_3_17_old) the old (2017, no EKU) one, shipped only so it can be
    recognised; V(globalsign_root_r3) GlobalSign Root CA - R3.
options:
  _terms:
    description: Names of shipped certificates.
    type: list
    elements: str
    required: true
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: The new intermediate, for a non-Windows server's chain file
  ansible.builtin.copy:
    content: "{{ lookup('hkpost.ecert.hkpost_certificate', 'ssl_ca_3_17_new') }}"
    dest: /etc/ssl/certs/hkpost-ecert-ssl-ca-3-17.pem
    mode: "0644"
'''

RETURN = r'''
_raw:
  description: One PEM string per term.
  type: list
  elements: str
'''

from ansible.errors import AnsibleLookupError  # noqa: E402
from ansible.plugins.lookup import LookupBase  # noqa: E402

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError  # noqa: E402
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._shipped_certs import SHIPPED  # noqa: E402


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import shipped
        from cryptography.hazmat.primitives import serialization
        result = []
        for term in terms:
            if term not in SHIPPED:
                raise AnsibleLookupError('no shipped certificate "%s"; the names are %s.' % (term, ', '.join(SHIPPED)))
            try:
                result.append(shipped(term).public_bytes(serialization.Encoding.PEM).decode('ascii'))
            except HkpostError as e:
                raise AnsibleLookupError(str(e))
        return result
