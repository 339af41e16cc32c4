# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ascii_name and file_name filters: a server name as Hongkong Post's rules validate it, in A-label form,
and the same as a file name every shell and Windows accept (docs in ascii_name.yml and file_name.yml)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import normalize_name
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import file_name as _file_name
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def ascii_name(name, certificate_type=None):
    if certificate_type is None:
        certificate_type = 'wildcard' if str(name).startswith('*') else 'standard'
    try:
        return normalize_name(name, certificate_type)
    except HkpostError as e:
        raise AnsibleFilterError(str(e))


def file_name(name, certificate_type=None):
    try:
        return _file_name(name, certificate_type)
    except HkpostError as e:
        raise AnsibleFilterError(str(e))


class FilterModule:
    def filters(self):
        return checked_filters({'ascii_name': ascii_name, 'file_name': file_name})
