#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_pfx
short_description: Back up a certificate with its private key as PFX to the controller, and restore it
version_added: 0.1.0
description:
  - Hongkong Post's guides say to back up the key before submitting the CSR and after installing the certificate
    - a lost key makes the certificate useless. This is the unattended "Export - Yes, export the private key" and
    "Import" of certlm.msc / IIS Manager.
  - O(state=exported) exports the certificate, its key and (O(include_chain)) the chain as PFX into
    C(DEST/INVENTORY_HOSTNAME/THUMBPRINT.pfx) on the controller (mode 0600), one file per host and certificate.
    The bytes are opened on the controller with the password before the file is written. A backup that already
    opens with the password and holds the certificate and key gives C(changed=false) without asking the host (a
    rerun costs no round trip).
  - The encryption follows the host's Windows build - AES-256 with SHA-256 from build 17763 (Server 2019) on,
    3DES with SHA-1 before, because older Windows cannot import an AES-256 PFX and then wrongly reports "The
    specified network password is not correct".
  - O(state=imported) restores a PFX from the controller into C(LocalMachine\My) with the key in the machine key
    store (a key imported into a user profile cannot be read by IIS), exportable only with O(exportable=true).
    A wrong password is reported before anything is sent; an AES-256 PFX for a host before build 17763 is refused.
  - Works for pending requests too (O(store=REQUEST)), the backup the guides ask for before submitting the CSR.
  - O(state=exported) with O(all_hongkong_post=true) backs up every Hongkong Post server certificate with its key in
    O(store) - what the collection installs; CA certificates and other CAs' certificates are left out - from one read
    of the host and one export for all of them (the default of C(backup.yml)).
  - O(state=restored) restores from a backup folder (O(src), the O(dest) of the backups), reading
    C(SRC/HOST/*.pfx) on the controller (HOST is the inventory name as the backup wrote it, each character other
    than a letter, digit, C(.), C(_) or C(-) made C(_)) - every backup whose certificate an IIS binding of the host uses
    (http.sys mapping), and the newest backup of each other common name. Never restored, each listed in RV(not_restored)
    with its reason - an older backup of a name whose newer (or bound) certificate is restored (a retired one), a
    pending request's backup (the self-signed placeholder C(certreq) makes, not an issued certificate), another CA's
    certificate, an expired one, a backup without its key. Every file must open with O(password) before the host
    is contacted (the default of C(restore.yml)).
extends_documentation_fragment:
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.windows
options:
  state:
    description:
      - V(exported) backs up, V(imported) restores one file, V(restored) restores what a backup folder holds for the
        host (see the description).
    type: str
    choices: [exported, imported, restored]
    default: exported
  thumbprint:
    description: Certificate to back up. With O(state=exported), this or O(all_hongkong_post) is required.
    type: str
  all_hongkong_post:
    description:
      - With O(state=exported), back up every Hongkong Post server certificate with its private key in O(store)
        instead of one O(thumbprint).
    type: bool
    default: false
  store:
    description: C(LocalMachine) store to export from or import into (V(REQUEST) only for export).
    type: str
    choices: [My, WebHosting, REQUEST]
    default: My
  dest:
    description:
      - Controller directory for backups (created if missing), written as C(DEST/HOST/THUMBPRINT.pfx), HOST the
        inventory name made safe for a file name. Required with O(state=exported).
      - Refused before the host is contacted when it, or a directory on its way, is a file.
    type: path
  src:
    description:
      - PFX file on the controller to restore. Required with O(state=imported).
      - With O(state=restored), the backup folder (the O(dest) the backups were written to); a relative path is
        taken from the directory ansible-playbook runs in, as C(hkpost_output_dir) is.
      - A directory, an empty file, or a PFX whose certificate has expired (see O(allow_expired)) is refused before
        the host is contacted.
    type: path
  password:
    description:
      - PFX password. Never logged. Forgetting it makes the backup useless - keep it in a vault.
      - Must be text. An unquoted number or a dictionary in YAML is refused (unquoted V(0123456) would be read as
        the number 42798); quote it.
    type: str
    required: true
  encryption:
    description: V(auto) chooses by the host's build; V(aes256_sha256) is refused for hosts before build 17763.
    type: str
    choices: [auto, aes256_sha256, tripledes_sha1]
    default: auto
  include_chain:
    description: Include the certificates of the chain ("Include all certificates in the certification path").
    type: bool
    default: true
  exportable:
    description: On restore, allow the key to be exported again (needed for a later backup from that host).
    type: bool
    default: false
  friendly_name:
    description: Friendly name to give the restored certificate.
    type: str
  force:
    description: Export again even when a backup exists (also replaces one made with another password).
    type: bool
    default: false
  allow_expired:
    description:
      - Restore a PFX whose certificate has expired. By default such a restore is refused before the host is
        touched (an expired backup is usually the wrong file); with V(true) it is restored with a warning.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    details: Reports whether a backup would be written or a PFX imported; exports and imports nothing.
  diff_mode:
    support: none
notes:
  - The password travels as a C(sensitive_parameters) entry of M(ansible.windows.win_powershell) (a SecureString on
    the host, handed straight to C(Export-PfxCertificate) or the certificate loader) and is never in the task
    result. The PFX bytes are already encrypted and travel as plain parameters.
  - Requires ansible.windows 2.4.0 or later.
seealso:
  - module: hkpost.ecert.hkpost_complete_request
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Back up the installed certificate with its key
  hkpost.ecert.hkpost_pfx:
    thumbprint: "{{ completed.thumbprint }}"
    dest: "{{ playbook_dir }}/backups"
    password: "{{ vault_pfx_password }}"

- name: Back up every Hongkong Post certificate of the host (what backup.yml does by default)
  hkpost.ecert.hkpost_pfx:
    all_hongkong_post: true
    dest: hkpost-output/backup
    password: "{{ vault_pfx_password }}"

- name: Restore what the host uses, from its backup folder (what restore.yml does by default)
  hkpost.ecert.hkpost_pfx:
    state: restored
    src: hkpost-output/backup
    password: "{{ vault_pfx_password }}"
    exportable: true

- name: Restore one file on a rebuilt server
  hkpost.ecert.hkpost_pfx:
    state: imported
    src: "{{ playbook_dir }}/backups/web1/0123456789ABCDEF0123456789ABCDEF01234567.pfx"
    password: "{{ vault_pfx_password }}"
    exportable: true
'''

RETURN = r'''
path:
  description: Controller path of the backup.
  returned: state is exported
  type: str
thumbprint:
  description: Thumbprint of the certificate backed up or restored.
  returned: O(state=imported), or O(state=exported) with O(thumbprint)
  type: str
backups:
  description: Each certificate O(all_hongkong_post) took, with C(thumbprint), C(subject), C(path), C(changed), C(reason).
  returned: O(state=exported) with O(all_hongkong_post=true)
  type: list
  elements: dict
restored:
  description: The backups restored (or that would be, in check mode), with C(thumbprint), C(subject), C(path).
  returned: O(state=restored)
  type: list
  elements: dict
already_present:
  description: Thumbprints chosen for restore that are already on the host with their key.
  returned: O(state=restored)
  type: list
  elements: str
not_restored:
  description: Backups not restored, with C(path), C(thumbprint) and C(reason) (retired, placeholder, another CA, expired, no key).
  returned: O(state=restored)
  type: list
  elements: dict
encryption:
  description: PFX encryption used (AES256_SHA256 or TripleDES_SHA1).
  returned: state is exported
  type: str
os_build:
  description: Windows build of the host; null when a valid backup was already on the controller and the host was not asked.
  returned: state is exported
  type: int
reason:
  description: Why a backup was or was not written.
  returned: state is exported
  type: str
chain:
  description: Common names of the chain certificates in the PFX.
  returned: when a backup was written
  type: list
  elements: str
store:
  description: Store restored into.
  returned: state is imported
  type: str
exportable:
  description: Whether the restored key is exportable.
  returned: state is imported
  type: bool
key_storage:
  description: Always C(machine).
  returned: state is imported
  type: str
subject:
  description: Subject of the restored certificate.
  returned: state is imported
  type: str
not_after:
  description: Expiry of the restored certificate.
  returned: state is imported
  type: str
'''
