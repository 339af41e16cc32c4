# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ascii_name filter: a server name as Hongkong Post's rules validate it, in A-label form (docs in ascii_name.yml)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import normalize_name


def ascii_name(name, certificate_type=None):
    if certificate_type is None:
        certificate_type = 'wildcard' if str(name).startswith('*') else 'standard'
    try:
        return normalize_name(name, certificate_type)
    except HkpostError as e:
        raise AnsibleFilterError(str(e))


class FilterModule:
    def filters(self):
        return {'ascii_name': ascii_name}
