# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""check_path / keep_rows_of_other_hosts filters: the controller's files of a dry run or a partial run (docs in the .yml files)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._dry_run import check_path, keep_rows_of_other_hosts
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def report_rows(summary, previous, hosts):
    try:
        return keep_rows_of_other_hosts(summary, previous, hosts)
    except HkpostError as e:
        raise AnsibleFilterError('report_rows: %s' % e)


class FilterModule:
    def filters(self):
        return checked_filters({'check_path': check_path, 'report_rows': report_rows})
