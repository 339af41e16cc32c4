# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certificates_to_install filter: a host's hkpost_certificates paired with its intake (docs in the .yml)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._pairing import certificates_to_install as _pair
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def certificates_to_install(certificates, issued=None, certificate_file='', bindings=None, services=None,
                            friendly_name=''):
    try:
        return _pair(certificates, issued, certificate_file, bindings, services, friendly_name)
    except HkpostError as e:
        raise AnsibleFilterError(str(e))


class FilterModule:
    def filters(self):
        return checked_filters({'certificates_to_install': certificates_to_install})
