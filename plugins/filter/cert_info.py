# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cert_info filter: what a certificate is in the Hongkong Post hierarchy (docs in cert_info.yml)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info as _cert_info
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificate
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def cert_info(data):
    try:
        return _cert_info(load_certificate(data, 'cert_info input'))
    except HkpostError as e:
        raise AnsibleFilterError(str(e))


class FilterModule:
    def filters(self):
        return checked_filters({'cert_info': cert_info})
