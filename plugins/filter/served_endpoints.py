# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters building hkpost_served_chain endpoints from a plain list file or from inventory hosts."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._endpoint_list import (
    inventory_endpoints, parse_endpoint_list)
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._audit_inputs import check_hosts_vars, check_list_text
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def endpoint_list(text):
    try:
        check_list_text(text)
        return parse_endpoint_list(text)
    except HkpostError as exc:
        raise AnsibleFilterError(str(exc))


def served_endpoints(hosts_vars):
    try:
        check_hosts_vars(hosts_vars)
        return inventory_endpoints([dict(hv) for hv in hosts_vars or []])
    except (HkpostError, TypeError, ValueError) as exc:
        raise AnsibleFilterError('served_endpoints: %s' % exc)


class FilterModule:
    def filters(self):
        return checked_filters({'endpoint_list': endpoint_list, 'served_endpoints': served_endpoints})
