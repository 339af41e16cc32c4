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
options:
  state:
    description: V(exported) backs up, V(imported) restores.
    type: str
    choices: [exported, imported]
    default: exported
  thumbprint:
    description: Certificate to back up. Required with O(state=exported).
    type: str
  store:
    description: C(LocalMachine) store to export from or import into (V(REQUEST) only for export).
    type: str
    choices: [My, WebHosting, REQUEST]
    default: My
  dest:
    description:
      - Controller directory for backups (created if missing). Required with O(state=exported).
      - Refused before the host is contacted when it, or a directory on its way, is a file.
    type: path
  src:
    description:
      - PFX file on the controller to restore. Required with O(state=imported).
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
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Reports whether a backup would be written or a PFX imported; exports and imports nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: [windows]
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

- name: Restore it on a rebuilt server
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
  returned: always
  type: str
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
