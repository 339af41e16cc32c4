# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""chain_summary / chain_summary_csv filters: the fleet view of hkpost_chain results (docs in the .yml files)."""

from __future__ import annotations

import csv
import io

from ansible_collections.hkpost.ecert.plugins.module_utils.chain._summary import summarize, to_csv_rows


def chain_summary(hostvars, hosts):
    results = {}
    for host in hosts:
        facts = hostvars[host]
        result = facts.get('hkpost_chain_result') if hasattr(facts, 'get') else None
        error = facts.get('hkpost_chain_error') if hasattr(facts, 'get') else None
        results[host] = (dict(result) if result is not None else None, error)
    return summarize(results)


def chain_summary_csv(summary):
    out = io.StringIO()
    csv.writer(out, lineterminator='\n').writerows(to_csv_rows(summary))
    return out.getvalue()


class FilterModule:
    def filters(self):
        return {'chain_summary': chain_summary, 'chain_summary_csv': chain_summary_csv}
