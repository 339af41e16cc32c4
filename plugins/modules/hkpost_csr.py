#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_csr
short_description: Generate the key and CSR for a Hongkong Post e-Cert (Server), on the server
version_added: 0.1.0
description:
  - Creates an RSA key and a PKCS#10 certificate signing request that follow Hongkong Post's subject rules for
    e-Cert (Server) certificates (standard, multi-domain, wildcard, EV, EV multi-domain, Chinese IDN names),
    ready to paste into the Hongkong Post portal.
  - Windows or POSIX is decided from the connection, not from inventory variables - a host reached with
    C(ansible_connection=winrm) or C(psrp) (shell family C(powershell)) is a Windows host; every result says which
    (RV(platform)).
  - On a Windows host the action plugin runs C(certreq -new -machine) with an INF that
    asks for RSA in the C(Microsoft RSA SChannel Cryptographic Provider) (C(ProviderType 12)), C(MachineKeySet),
    C(Exportable) and sha256. The key never leaves the server; it waits in the machine's
    C(Certificate Enrollment Requests) store (C(LocalMachine\REQUEST)) for the issued certificate.
    A copy of the CSR is kept in O(request_dir) on the host so that a rerun reuses the pending request.
  - On a POSIX host the module generates the key at O(privatekey_path) (mode 0600) and the CSR with the Python
    C(cryptography) library.
  - A rerun never makes a second key. An existing matching key or pending request is reused unless O(force=true).
    This matters because the CSR already submitted to the portal pins the key.
  - Returns the CSR and its public key's SHA-256 (RV(public_key_sha256)); later steps match the issued
    certificate back to this request by that value.
extends_documentation_fragment:
  - hkpost.ecert.exchange_session
  - hkpost.ecert._attributes
options:
  common_name:
    description:
      - The server name registered with Hongkong Post, for example V(www.example.com.hk).
      - For O(certificate_type=wildcard), C(*.) must be the whole leftmost label (V(*.example.com.hk)).
      - Chinese (IDN) names are accepted and become A-labels (punycode) unless O(idn=unicode).
      - Refused - before the host is contacted - when it is an IP address (an e-Cert (Server) names a domain), or when
        a label mixes scripts or is written wholly in letters that look like Latin ones (Unicode UTS 39; for example a
        Cyrillic C(а) in C(exаmple)). The message shows the U-label and the A-label side by side; give the A-label
        if the name really is registered that way.
      - Required unless O(list_pending=true).
    type: str
  certificate_type:
    description:
      - The e-Cert (Server) product applied for.
      - V(multi_domain) and V(ev_multi_domain) CSRs carry only the common name; Hongkong Post adds the other names
        from the application form.
    type: str
    choices: [standard, multi_domain, wildcard, ev, ev_multi_domain]
    default: standard
  organization:
    description:
      - The organisation name registered with Hongkong Post (C(O)).
      - Required unless O(list_pending=true).
    type: str
  organizational_unit:
    description: Organisation unit (C(OU)).
    type: str
  locality:
    description: Locality (C(L)). Must be the full name, not an abbreviation.
    type: str
    default: Hong Kong
  state_or_province:
    description: State or province (C(ST)). Must be the full name, not an abbreviation.
    type: str
    default: Hong Kong
  country:
    description: Country code (C(C)). Only V(HK) is accepted.
    type: str
    default: HK
  key_size:
    description:
      - RSA key size in bits. V(2048) is what Hongkong Post recommends.
      - V(3072) and V(4096) are allowed with a warning quoting the guide (larger keys "may be incompatible with some
        browsers"); anything below 2048 is refused.
    type: int
    default: 2048
  subject_alt_names:
    description:
      - Additional DNS names for the CSR's subjectAltName extension (the common name is always included).
      - Ignored with a warning for multi-domain types, where the CA adds the names itself.
    type: list
    elements: str
  idn:
    description:
      - How Chinese (IDN) server names go into the CN. SAN entries are always A-labels.
    type: str
    choices: [punycode, unicode]
    default: punycode
  csr_path:
    description:
      - Path B(on the controller) where the CSR PEM is written, for both Windows and POSIX hosts.
      - Written only when its content changes. Missing directories are created; a path that is a directory, or
        that runs through a file, is refused before the host is contacted.
    type: path
  privatekey_path:
    description:
      - POSIX hosts only, required there. Path on the host of the PEM private key (written with mode 0600).
        An existing key of the right size is reused.
      - Its directory must exist; a missing directory or a path that is a directory is refused before a key is made.
    type: path
  friendly_name:
    description: Windows only. Friendly name of the pending request, e.g. V(Hong Kong Post e-cert).
    type: str
  request_dir:
    description: Windows only. Directory on the host where copies of the CSRs are kept so reruns can reuse them.
    type: str
    default: '%ProgramData%\hkpost.ecert\requests'
  force:
    description:
      - Make a new key and request even when a matching one exists.
      - The previous pending request is left in place (delete it in C(certlm.msc) once you are sure it is not the
        one submitted).
    type: bool
    default: false
  list_pending:
    description:
      - Only read the host's pending requests (C(LocalMachine\REQUEST)) and the CSR copies in O(request_dir) - with
        O(platform=exchange) the server's requests through Exchange - and
        return them as RV(pending_requests), with the host's RV(platform); nothing is made or changed, and the
        certificate options (O(common_name), O(organization), ...) are not needed and are ignored.
      - One read for all of a host's certificates - each certificate's task then takes the result as
        O(pending_requests) and costs no further round trip when its request already exists. The C(csr) role does this,
        on every host, and decides the host's later steps from RV(platform).
      - On a POSIX host, which keeps its keys at O(privatekey_path) and has no such store, the listing is empty and
        the host is not contacted.
    type: bool
    default: false
  certificates:
    description:
      - With O(list_pending=true), every certificate the host will request (the C(csr) role's
        C(hkpost_csr_certificates)), each checked by the rules one request is checked by - O(organization) and
        O(organizational_unit) of this task are the entries' defaults. The first entry that would be refused fails
        the task before the host is read, naming its index and common name, so that no key is made for a list that
        cannot be requested whole.
      - Keys of an entry other than the request's (C(iis_bindings), C(exchange_services), C(friendly_name)...) are
        not checked here.
      - Each entry is a dictionary (C(common_name), C(certificate_type), C(subject_alt_names)...); anything else is
        refused, naming the entry.
      - With O(state=present), the certificates to make - every one checked first, and a common name given twice
        refused - each entry's keys over this task's O(organization), O(organizational_unit), O(friendly_name),
        O(key_size)...
    type: list
    elements: raw
  state:
    description:
      - V(present) with O(certificates) - Windows hosts only - makes every missing key and CSR of the host in one
        execution (issue 21), decided from one read of its pending requests (O(pending_requests), or a read by this
        task), and writes each CSR to O(csr_dir) on the controller. A request that exists is reused; a rerun where
        every request exists costs the one read. With O(backup_dir) each pending key is also backed up (PFX) in that
        same execution - a key whose backup is already on the controller and opens with O(backup_password) is not
        exported again.
      - The answer is RV(requests), one result per certificate in the same shape whatever the O(platform).
      - Not set - one certificate (O(common_name)), or the listing (O(list_pending=true)).
    type: str
    choices: [present]
  platform:
    description:
      - Windows hosts - how requests are read and made. V(iis) - C(certreq -new -machine) and C(LocalMachine\REQUEST).
      - V(exchange) - through the Exchange management endpoint (the session options below), by the planner
        M(hkpost.ecert.exchange_cert) uses with O(hkpost.ecert.exchange_cert#module:state=requested) - a pending request
        for the common name is reused, else C(New-ExchangeCertificate -GenerateRequest) makes one (exportable key).
        With O(list_pending=true) the listing is Exchange's own requests (C(Get-ExchangeCertificate)); it is used with
        O(state=present) and the same O(platform) only.
      - Ignored on POSIX hosts.
    type: str
    choices: [iis, exchange]
    default: iis
  csr_dir:
    description:
      - With O(state=present), the controller directory each CSR is written to, as C(<file name>.csr) - the common
        name in A-label form with a wildcard's C(*) written C(_wildcard_) (P(hkpost.ecert.file_name#filter)). Required
        with O(state=present); refused before the host is contacted when it cannot be a directory.
    type: path
  backup_dir:
    description:
      - With O(state=present), back up every pending key of O(certificates) to
        C(<backup_dir>/<inventory_hostname>/<thumbprint>.pfx) on the controller, in the execution that makes the
        requests (the guide's section F - before the CSR is submitted). Each PFX is opened with O(backup_password)
        and checked to hold the pending request's key before it is written (mode 0600).
      - Encrypted AES-256 on Windows Server 2019 (build 17763) and later, TripleDES-SHA1 before.
    type: path
  backup_password:
    description:
      - Password of the PFX backups; required with O(backup_dir). Never logged; it reaches the host as a SecureString.
      - Must be text; an unquoted number or a dictionary in YAML is refused. Quote it.
    type: str
  pending_requests:
    description:
      - Windows only (ignored on POSIX hosts). The RV(pending_requests) an earlier O(list_pending=true) task returned
        for this host and this O(request_dir), unmodified. hkpost_csr then decides from it whether the request
        exists, instead of reading the host again; a new key and request are made only when it does not.
      - Read it in the same play, just before the certificates' tasks. The listing does not show requests made after
        it was read, so do not give one listing to two tasks for the same certificate (the second would make another
        key); read it again instead.
      - Refused, before the host is contacted, when it was read on another host or from another O(request_dir), or is
        not such a listing.
    type: dict
attributes:
  check_mode:
    support: full
    details: Reads the host and reports what would be created; creates no key and writes no file.
  diff_mode:
    support: full
    details: Shows the CSR file's before and after content (public data only).
  platform:
    support: full
    platforms: [windows, posix]
notes:
  - The CSR is public; the key is not returned and never leaves the host.
  - New application and renewal are the same procedure for Hongkong Post - always a new request; do not use IIS
    "Renew".
seealso:
  - name: Hongkong Post e-Cert (Server)
    description: The CA's product page and user guides.
    link: https://www.ecert.gov.hk/
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Request a standard e-Cert (Server) on an IIS server
  hkpost.ecert.hkpost_csr:
    common_name: www.example.com.hk
    organization: Example Company Limited
    organizational_unit: IT Department
    friendly_name: Hong Kong Post e-cert
    csr_path: "csr/{{ inventory_hostname }}/www.example.com.hk.csr"
  register: request

- name: A wildcard request
  hkpost.ecert.hkpost_csr:
    common_name: "*.example.com.hk"
    certificate_type: wildcard
    organization: Example Company Limited

- name: A Chinese server name, on a Linux host
  hkpost.ecert.hkpost_csr:
    common_name: 香港郵政.hk
    organization: Example Company Limited
    privatekey_path: /etc/pki/tls/private/example.key
    csr_path: csr/example.csr

- name: Read the host's pending requests once (and whether it is a Windows host)
  hkpost.ecert.hkpost_csr:
    list_pending: true
  register: listing

- name: Only on the Windows hosts
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }} has {{ listing.pending_requests.pending | length }} pending requests"
  when: listing.platform == 'windows'

- name: Request several certificates, deciding from that one read
  hkpost.ecert.hkpost_csr:
    common_name: "{{ item }}"
    organization: Example Company Limited
    pending_requests: "{{ listing.pending_requests }}"
    csr_path: "csr/{{ inventory_hostname }}/{{ item }}.csr"
  loop: [www.example.com.hk, shop.example.com.hk]

- name: Every missing key and CSR of the host in one execution, each pending key backed up (PFX)
  hkpost.ecert.hkpost_csr:
    state: present
    certificates:
      - common_name: www.example.com.hk
      - common_name: "*.example.com.hk"
        certificate_type: wildcard
    organization: Example Company Limited
    pending_requests: "{{ listing.pending_requests }}"
    csr_dir: "csr/{{ inventory_hostname }}"
    backup_dir: backup
    backup_password: "{{ vault_backup_password }}"
  register: batch

- name: The same on an Exchange server, through its remoting endpoint
  hkpost.ecert.hkpost_csr:
    state: present
    platform: exchange
    certificates: [{common_name: mail.example.com.hk, subject_alt_names: [autodiscover.example.com.hk]}]
    organization: Example Company Limited
    csr_dir: "csr/{{ inventory_hostname }}"
    server: ex1.corp.example.com.hk
    username: CORP\svc-exchange
    password: "{{ vault_exchange_password }}"

- name: Show what to match the issued certificate against
  ansible.builtin.debug:
    msg: "{{ request.common_name_ascii }}: {{ request.public_key_sha256 }}"
'''

RETURN = r'''
platform:
  description:
    - V(windows) when the connection runs PowerShell (for example C(ansible_connection) V(winrm) or V(psrp)), V(posix)
      otherwise. Decided from the connection plugin's shell family, never from a variable such as
      C(ansible_shell_type), which an inventory written as the docs show it does not set.
    - What a play decides the host's later steps from (the C(csr) role reads it from its O(list_pending=true) task).
  returned: always
  type: str
  sample: windows
csr:
  description: The CSR, PEM (base64 PKCS#10 with BEGIN/END lines), as pasted into the portal.
  returned: success, except in check mode when a key would first have to be created
  type: str
subject:
  description: The CSR subject, RFC 4514.
  returned: success
  type: str
  sample: CN=www.example.com.hk,O=Example Company Limited,L=Hong Kong,ST=Hong Kong,C=HK
common_name_ascii:
  description: The common name in ASCII (A-label) form.
  returned: success
  type: str
  sample: xn--5bvv2rbn4a0hh.hk
public_key_sha256:
  description: SHA-256 of the CSR's SubjectPublicKeyInfo, upper-case hex; the issued certificate carries the same.
  returned: success, except in check mode when a key would first have to be created
  type: str
key_size:
  description: RSA key size of the request.
  returned: success
  type: int
subject_alt_names:
  description: DNS names in the CSR's subjectAltName extension.
  returned: success
  type: list
  elements: str
certificate_type:
  description: The certificate type the request was checked against.
  returned: success
  type: str
request_action:
  description:
    - C(reuse) (existing key and CSR), C(rederive) (existing key, new CSR text), C(create) (new key).
  returned: success
  type: str
csr_path:
  description: Where the CSR was written on the controller.
  returned: when O(csr_path) is set
  type: str
thumbprint:
  description:
    - Windows hosts - thumbprint of the pending request in C(LocalMachine\REQUEST) that holds the key, so the key can
      be backed up before the CSR is submitted (M(hkpost.ecert.hkpost_pfx) with O(hkpost.ecert.hkpost_pfx#module:store=REQUEST))
      without copying a thumbprint from certlm.msc.
  returned: Windows hosts, except in check mode when a key would first have to be created
  type: str
requests:
  description:
    - With O(state=present), one result per entry of O(certificates), in their order and in the same shape for both
      platforms - what the C(csr) role sets as C(hkpost_csr_results) for the submission sheet.
    - C(common_name), C(common_name_ascii), C(certificate_type), C(key_size), C(request_action) (V(reuse),
      V(rederive), V(create)), C(changed), C(csr) (PEM), C(csr_path), C(public_key_sha256), C(thumbprint) (of the pending
      request), C(backup) (its PFX on the controller, or null), C(item) (the entry); C(subject) and
      C(subject_alt_names) where the CSR was read; C(host_csr_file) where certreq made it.
    - In check mode a request that would be made has no C(csr), C(public_key_sha256) or C(thumbprint) yet.
  returned: when O(state=present)
  type: list
  elements: dict
request_platform:
  description: With O(state=present), the O(platform) the requests were made by.
  returned: when O(state=present)
  type: str
  sample: iis
backups:
  description: With O(state=present) and O(backup_dir), the PFX files of the pending keys on the controller.
  returned: when O(state=present)
  type: list
  elements: str
encryption:
  description: With O(state=present) and O(backup_dir), the PFX encryption for the host's build.
  returned: when O(state=present)
  type: str
  sample: AES256_SHA256
pending_requests:
  description:
    - With O(list_pending=true), the host's pending requests and saved CSR copies, for O(pending_requests) of the
      certificates' tasks. Public data only (placeholder certificates and CSRs); no key.
    - On a POSIX host, an empty listing (no pending requests, no saved CSRs).
  returned: when O(list_pending=true)
  type: dict
  contains:
    host:
      description: The inventory name of the host it was read on.
      type: str
    request_dir:
      description: The O(request_dir) it was read from.
      type: str
    pending:
      description:
        - One entry per pending request - C(thumbprint), C(der) (the placeholder certificate, base64 DER),
          C(friendly_name), C(has_private_key), C(key_container).
      type: list
      elements: dict
    saved_csrs:
      description: The CSR texts found in O(request_dir).
      type: list
      elements: str
    platform:
      description: The O(platform) it was read for.
      type: str
    os_build:
      description: The host's Windows build number (which PFX encryption its backups can use).
      type: int
    exchange:
      description:
        - With O(platform=exchange), the server's Exchange certificates - C(thumbprint), C(der), C(status),
          C(has_private_key), C(friendly_name), C(certificate_request).
      type: list
      elements: dict
'''

import os  # noqa: E402
import tempfile  # noqa: E402

from ansible.module_utils.basic import AnsibleModule, missing_required_lib  # noqa: E402

try:
    from cryptography.hazmat.primitives import serialization
    HAS_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover
    HAS_CRYPTOGRAPHY = False

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError  # noqa: E402
from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr_options import (  # noqa: E402
    CSR_ARGUMENT_SPEC, CSR_REQUIRED_IF)


def _load_key(path):
    with open(path, 'rb') as f:
        return serialization.load_pem_private_key(f.read(), password=None)


def _write_key(path, key):
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.hkpost-key-')
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main():
    module = AnsibleModule(argument_spec=CSR_ARGUMENT_SPEC, required_if=CSR_REQUIRED_IF, supports_check_mode=True)
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'))
    from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import (
        build_csr, describe_csr, generate_key, key_matches)
    from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request

    params = module.params
    # list_pending never reaches the module: the action plugin answers it (an empty listing on a POSIX host).
    path = params['privatekey_path']
    if not path:
        module.fail_json(msg='privatekey_path is required on a POSIX host: it is where the private key is kept.')
    # Checked before any key is made, so a wrong path never leaves a generated key (or a temp file) behind.
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        module.fail_json(msg='privatekey_path %s is a directory on this host; give the path of the key file, e.g. %s. '
                             'Nothing was written.' % (path, os.path.join(path, 'server.key')))
    if not os.path.isdir(directory):
        module.fail_json(msg='privatekey_path %s: the directory %s does not exist on this host (or is not a '
                             'directory); create it first (ansible.builtin.file state=directory mode=0700) or choose '
                             'an existing one. Nothing was written.' % (path, directory))
    try:
        request = csr_request(params)
    except HkpostError as e:
        module.fail_json(msg=str(e))
    for warning in request['warnings']:
        module.warn(warning)

    key = None
    if os.path.exists(path) and not params['force']:
        try:
            key = _load_key(path)
        except (ValueError, TypeError) as e:
            module.fail_json(msg='%s is not an unencrypted PEM private key (%s); move it away or set force: true.'
                             % (path, e))
        if not key_matches(key.public_key(), request):
            module.fail_json(msg='%s holds a key that is not RSA %d; set force: true to replace it with a new key '
                             '(a CSR already submitted for the old key then becomes useless).'
                             % (path, request['key_size']))
    changed = key is None
    result = dict(changed=changed, common_name_ascii=request['common_name_ascii'],
                  certificate_type=request['certificate_type'], key_size=request['key_size'],
                  request_action='create' if changed else 'reuse')
    if key is None:
        if module.check_mode:
            module.exit_json(**result)
        key = generate_key(request['key_size'])
        _write_key(path, key)
    # RSA PKCS#1 v1.5 signatures are deterministic: the same key and subject give the same CSR.
    result.update(describe_csr(build_csr(key, request)))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
