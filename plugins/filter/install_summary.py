# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""install_summary / install_summary_csv filters: the fleet view of an install rollout (docs in the .yml files)."""

from __future__ import annotations

import csv
import io

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils.install._summary import summarize, to_csv_rows
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters

# What host_row reads; hostvars is lazy, so only these are templated.
_KEYS = ('hkpost_chain_result', 'hkpost_install_error', 'hkpost_platform', 'hkpost_install_result')


def install_summary(hostvars, hosts, check_mode=False):
    facts = {}
    for host in hosts:
        if host not in hostvars:
            raise AnsibleFilterError('install_summary: host %s is not in the inventory (hostvars); pass the rollout\'s '
                                     'host names, e.g. ansible_play_hosts_all.' % host)
        host_vars = hostvars[host]
        facts[host] = {key: host_vars.get(key) for key in _KEYS} if hasattr(host_vars, 'get') else {}
    return summarize(facts, bool(check_mode))


def install_summary_csv(summary):
    if 'rows' not in summary:
        raise AnsibleFilterError('install_summary_csv: its input is not what install_summary returns (it has no '
                                 '"rows"); write install_summary(...) | hkpost.ecert.install_summary_csv.')
    out = io.StringIO()
    csv.writer(out, lineterminator='\n').writerows(to_csv_rows(summary))
    return out.getvalue()


class FilterModule:
    def filters(self):
        return checked_filters({'install_summary': install_summary, 'install_summary_csv': install_summary_csv})
