# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for renew_acme.yml: acme_orders, acme_problems (docs in the .yml files)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.filter.ascii_name import file_name
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.acme._orders import order_problems, pending_orders
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def acme_orders(sheet_text, host, intake_dir, intake_files=None):
    try:
        return pending_orders(sheet_text, host, intake_dir, intake_files, file_name)
    except HkpostError as e:
        raise AnsibleFilterError(str(e))


def acme_problems(info_results):
    return order_problems(info_results)


class FilterModule:
    def filters(self):
        return checked_filters({'acme_orders': acme_orders, 'acme_problems': acme_problems})
