# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options the installing modules share, documented once with one set of defaults.

plugin_utils/_install_checks.py holds the same options once (BACKUP_FILE_OPTIONS, VERIFY_CHECK_OPTIONS) and
checks them once, before the first change, for every module that takes them.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r'''
options: {}
'''

    # exchange_cert, hkpost_install, hkpost_retire: where a PFX backup goes, and its password.
    BACKUP_FILES = r'''
options:
  backup_dir:
    description:
      - Controller directory of the backups, C(DIR/HOST/THUMBPRINT.pfx); a relative path is taken from the directory
        ansible-playbook runs in. A file there, or a directory that cannot be made, is refused before the host changes.
    type: path
  backup_password:
    description:
      - PFX password. Never logged. Quote it in YAML (an unquoted C(0777123) is a number and is refused); an empty
        one is refused before the host changes.
    type: str
'''

    # iis_binding, hkpost_install: how the served chain is checked after a binding changes.
    VERIFY_CHECK = r'''
options:
  verify_trust:
    description:
      - Trust anchors for the served-chain check - V(bundled) (Hongkong Post Root CA 3 and GlobalSign Root CA - R3),
        V(system), or the path of a PEM file (relative paths from the directory ansible-playbook runs in; a file that
        cannot be found is refused before the host changes, never replaced by the bundled roots).
    type: str
    default: bundled
  verify_timeout:
    description: Seconds to wait for each TLS handshake of the check; more than 0, checked before the host changes.
    type: float
    default: 10.0
'''
