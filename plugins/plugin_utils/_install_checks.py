# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options every installing module shares, checked once and the same way before the host changes.

``iis_binding``, ``hkpost_install``, ``hkpost_pfx`` and ``hkpost_retire`` all back up and some verify; a rule
kept in each of them was fixed in one and not its twin (issue 21: an empty backup password accepted by
hkpost_install, which completed the request and wrote the binding before the export failed; verify_timeout 0
checked by iis_binding but by hkpost_install only after the binding was written). Each module calls these
before its first payload, so a refusal never leaves a half-changed host.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import check_destination
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import load_trust
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import a_label_host
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import ipaddress_or_none
from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text

# The shared options' ARGUMENT_SPEC entries, one definition each (documented once: doc fragments
# hkpost.ecert.install_options.backup_files and .verify_check).
BACKUP_FILE_OPTIONS = {
    'backup_dir': {'type': 'path'},
    'backup_password': {'type': quoted_text, 'no_log': True},
}
VERIFY_CHECK_OPTIONS = {
    'verify_trust': {'type': 'str', 'default': 'bundled'},
    'verify_timeout': {'type': 'float', 'default': 10.0},
}


def check_backup_options(backup_dir, password, dir_option='backup_dir', password_option='backup_password'):
    """A backup needs a directory that can hold files and a non-empty password (the types already refused
    a password YAML turned into a number: plugin_utils/_arg_types.quoted_text)."""
    if not password:
        raise HkpostError('%s is empty; a PFX backup without a password leaves the private key readable by anyone '
                          'who gets the file. Give a password (from a vault). Nothing was changed.' % password_option)
    if backup_dir is not None:
        check_destination(dir_option, backup_dir, 'directory')


def check_verify_options(verify_timeout, verify_address, verify_trust):
    """verify: true checked in full before the binding changes (a failure after it would need a rollback)."""
    if not verify_timeout > 0:
        raise HkpostError('verify_timeout is %s; give the seconds to wait for the TLS handshake, more than 0. '
                          'Nothing was changed.' % verify_timeout)
    if verify_address:
        address = verify_address.strip()
        if ipaddress_or_none(address.strip('[]')) is None:
            a_label_host(address, 'verify_address')
    try:
        load_trust(verify_trust)
    except HkpostError as e:
        raise HkpostError('verify_%s Nothing was changed.' % e)
