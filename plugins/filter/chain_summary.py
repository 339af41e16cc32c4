# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""chain_summary / chain_summary_csv filters: the fleet view of hkpost_chain results (docs in the .yml files)."""

from __future__ import annotations

import csv
import io

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import kind_of
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._summary import summarize, to_csv_rows
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def chain_summary(hostvars, hosts, check_mode=False):
    if not hasattr(hostvars, 'get') or isinstance(hosts, (str, bytes)) or not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError('chain_summary: use it as hostvars | hkpost.ecert.chain_summary(HOSTS), with HOSTS a '
                                 'list of host names (e.g. ansible_play_hosts_all); got %s and %s.'
                                 % (kind_of(hostvars), kind_of(hosts)))
    results = {}
    for host in hosts:
        if host not in hostvars:
            raise AnsibleFilterError('chain_summary: %r is not a host of this inventory.' % (host,))
        facts = hostvars[host]
        result = facts.get('hkpost_chain_result') if hasattr(facts, 'get') else None
        error = facts.get('hkpost_chain_error') if hasattr(facts, 'get') else None
        results[host] = (dict(result) if result is not None else None, error)
    return summarize(results, bool(check_mode))


def chain_summary_csv(summary):
    if not hasattr(summary, 'get') or not isinstance(summary.get('rows'), list):
        raise AnsibleFilterError('chain_summary_csv: expects the result of hkpost.ecert.chain_summary (a dict with '
                                 '"rows"), got %s.' % kind_of(summary))
    out = io.StringIO()
    csv.writer(out, lineterminator='\n').writerows(to_csv_rows(summary))
    return out.getvalue()


class FilterModule:
    def filters(self):
        return checked_filters({'chain_summary': chain_summary, 'chain_summary_csv': chain_summary_csv})
