# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The renewal_summary filter (docs in renewal_summary.yml), kept for renew_acme.yml until it hands its hosts'
results to hkpost.ecert.hkpost_renewal_report; renew.yml's other filters are functions that module calls."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.request._renewal_selection import phase_summary
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def renewal_summary(hostvars, hosts, fact):
    return phase_summary(hostvars, hosts, fact)


class FilterModule:
    def filters(self):
        return checked_filters({'renewal_summary': renewal_summary})
