#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: exchange_cert
short_description: Request, complete, enable and clean up Hongkong Post certificates on Exchange 2010 to SE
version_added: 0.1.0
description:
  - Talks to Exchange through implicit remoting to the management endpoint C(http://SERVER/PowerShell/) or C(https://SERVER/PowerShell/)
    (configuration C(Microsoft.Exchange), Kerberos by default), the one code path that serves Exchange 2010, 2013,
    2016, 2019 and Subscription Edition from a Windows PowerShell 5.1 host. Reports the version it talked to.
  - O(state=requested) is the Exchange "New Exchange Certificate" wizard - C(New-ExchangeCertificate -GenerateRequest)
    with the same subject rules as M(hkpost.ecert.hkpost_csr) (C=HK, S and L V(Hong Kong) in full, RSA 2048,
    multi-domain requests carry only the common name, wildcard as C(*.) leftmost label, IDN as A-labels), an
    exportable key from the CAPI SChannel provider Exchange's default (Exchange 2010 cannot use CNG keys). The request
    text is returned and written to O(csr_path) on the controller. An existing pending request for the same common
    name is reused, never a second key.
  - O(state=present) is "Complete Pending Request" - the issued certificate (PEM or DER, BOM, CRLF, chain appended
    all accepted; the leaf is picked) is matched to a pending request by public key on the controller, then imported
    with C(Import-ExchangeCertificate -FileData) (C(-FileName) is gone from recent builds), then enabled for
    O(services) with C(Enable-ExchangeCertificate -Force), so SMTP does not stop at its overwrite prompt.
  - O(state=enabled) enables an installed certificate, given by O(thumbprint), for O(services) - what the
    C(exchange) role sends to put the previous assignment back (RV(rollback)) when the served-chain check after
    enabling a new certificate fails.
  - A wildcard certificate is refused for POP and IMAP, with the reason.
  - O(remove_superseded=true) retires, after enabling and a fresh read, the older Hongkong Post certificates the new
    one replaces, by the one retire policy of M(hkpost.ecert.hkpost_install) and M(hkpost.ecert.hkpost_retire) -
    backed up first (O(backup)), after O(retire_grace_days), never while an Exchange service the new certificate does
    not serve, an IIS binding or an http.sys mapping uses one, never the certificate a hybrid configuration names;
    the others are listed in RV(kept) with the reason.
  - For installing, M(hkpost.ecert.hkpost_install) with O(hkpost.ecert.hkpost_install#module:platform=exchange) does
    the same from one read and also checks what is served.
extends_documentation_fragment:
  - hkpost.ecert.install_options.backup_files
  - hkpost.ecert.exchange_session
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.windows
options:
  state:
    description:
      - V(requested) makes the key and request; V(present) imports and enables the issued certificate;
        V(enabled) enables the installed certificate O(thumbprint) for O(services).
    type: str
    choices: [requested, present, enabled]
    default: present
  thumbprint:
    description: The installed certificate to enable (O(state=enabled)).
    type: str
  common_name:
    description: Registered server name (O(state=requested)).
    type: str
  certificate_type:
    description: e-Cert (Server) product, as in M(hkpost.ecert.hkpost_csr).
    type: str
    choices: [standard, multi_domain, wildcard, ev, ev_multi_domain]
    default: standard
  organization:
    description: Registered organisation name (O(state=requested)).
    type: str
  organizational_unit:
    description: Organisation unit.
    type: str
  locality:
    description: City, in full.
    type: str
    default: Hong Kong
  state_or_province:
    description: State or province, in full.
    type: str
    default: Hong Kong
  country:
    description: Must be V(HK).
    type: str
    default: HK
  subject_alt_names:
    description: Extra names (not for multi-domain types, where Hongkong Post adds them).
    type: list
    elements: str
    default: []
  idn:
    description: Chinese names as V(punycode) A-labels or V(unicode) in the CN.
    type: str
    choices: [punycode, unicode]
    default: punycode
  key_size:
    description: RSA key size; 2048 is Hongkong Post's recommendation and smaller is refused.
    type: int
    default: 2048
  friendly_name:
    description: Friendly name of the request.
    type: str
    default: Hongkong Post e-Cert
  csr_path:
    description: Controller path to write the request to (O(state=requested)).
    type: path
  src:
    description: Controller path of the issued certificate (O(state=present)).
    type: path
  content:
    description: The issued certificate as text, instead of O(src).
    type: str
  services:
    description: Exchange services to enable the certificate for.
    type: list
    elements: str
    default: [IIS, SMTP]
  remove_superseded:
    description: Retire the older Hongkong Post certificates the new one replaces, once nothing uses them.
    type: bool
    default: false
  retire_grace_days:
    description: With O(remove_superseded=true), keep a replaced certificate until the new one was issued at least this
      many days ago.
    type: int
    default: 0
  backup:
    description: With O(remove_superseded=true), back each certificate up with its key (PFX, read back on the
      controller) to O(backup_dir) before it is removed; then O(backup_dir) and O(backup_password) are required.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    details: Reads the server and predicts request, import, enable and removals; sends no write.
  diff_mode:
    support: full
    details: Shows each certificate's services before and after (O(state=present)).
notes:
  - The Windows host running the task needs to reach the Exchange endpoint, and the session to it is a second hop;
    give O(username)/O(password), or let the connection delegate (Kerberos delegation or CredSSP); O(second_hop)
    refuses, before the host is contacted, a task that has neither.
seealso:
  - module: hkpost.ecert.hkpost_csr
  - module: hkpost.ecert.hkpost_pfx
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Make the request on Exchange
  hkpost.ecert.exchange_cert:
    state: requested
    common_name: mail.example.com.hk
    organization: Example Co., Ltd.
    csr_path: "{{ playbook_dir }}/csr/mail.example.com.hk.req"

- name: Complete it and enable it for IIS and SMTP, then retire the old certificate (backed up first)
  hkpost.ecert.exchange_cert:
    src: files/mail.example.com.hk.cer
    services: [IIS, SMTP]
    remove_superseded: true
    backup_dir: "{{ playbook_dir }}/backup"
    backup_password: "{{ vault_pfx_password }}"
'''

RETURN = r'''
exchange_version:
  description: AdminDisplayVersion of the server, for example "Version 14.3 (Build 123.4)".
  returned: always
  type: str
exchange_product:
  description: Product name derived from the version (Exchange Server 2010, 2013, 2016, 2019, Subscription Edition).
  returned: always
  type: str
connection_uri:
  description: The remoting endpoint used.
  returned: always
  type: str
csr:
  description: The request text (PEM).
  returned: state is requested
  type: str
csr_path:
  description: Where the request was written.
  returned: state is requested and csr_path is given
  type: str
subject:
  description: The -SubjectName sent.
  returned: state is requested
  type: str
domain_names:
  description: The -DomainName list sent.
  returned: state is requested
  type: list
  elements: str
public_key_sha256:
  description: SHA-256 of the request's public key (compare with the issued certificate).
  returned: state is requested and the request text is known
  type: str
thumbprint:
  description:
    - Thumbprint of the issued certificate (state present), or of the pending request (state requested) - found by
      the CSR's key among the server's pending requests when Exchange returns only the request text (2010, 2016+);
      M(hkpost.ecert.hkpost_pfx) O(hkpost.ecert.hkpost_pfx#module:store=REQUEST) backs that key up before submission.
  returned: always
  type: str
names:
  description: The names the issued certificate serves (O(state=present)).
  returned: state is present
  type: list
  elements: str
server_name:
  description:
    - The name to send as SNI when checking what the server serves after enabling - the certificate's first
      non-wildcard name, or for a wildcard the Exchange server's name when the wildcard covers it; null otherwise.
    - The check connects to the host's address but must ask for this name, not the inventory name.
  returned: state is present
  type: str
rollback:
  description:
    - The previous holders of the single-certificate services (IIS, POP, IMAP, UM) the new certificate took, with those
      services - a list of thumbprint and services to re-enable (O(state=enabled)) if the check fails. Empty when
      nothing moved.
  returned: state is present
  type: list
  elements: dict
services:
  description: Services requested for the certificate.
  returned: state is present
  type: list
  elements: str
steps:
  description: What was (or would be) done - import, enable, remove.
  returned: state is present
  type: list
  elements: str
superseded:
  description: Thumbprints of older certificates the new one replaces and that nothing else uses (retired, or that
    would be).
  returned: state is present
  type: list
  elements: str
removed:
  description: Thumbprints removed (or that would be).
  returned: state is present
  type: list
  elements: str
kept:
  description: Older certificates for the same names kept, with the reason (services still on them, grace period,
    hybrid configuration).
  returned: state is present
  type: list
  elements: dict
retired:
  description: With O(remove_superseded=true), the certificates retired, as M(hkpost.ecert.hkpost_retire) returns them.
  returned: remove_superseded and not check mode
  type: list
  elements: dict
backups:
  description: With O(remove_superseded=true) and O(backup=true), per retired certificate - thumbprint, path and reason.
  returned: remove_superseded and not check mode
  type: list
  elements: dict
chain:
  description: Common names of the other certificates in the issued file.
  returned: state is present
  type: list
  elements: str
'''
