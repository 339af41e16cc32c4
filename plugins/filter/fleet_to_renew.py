# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""fleet_to_renew_json: the certificates to renew from a registered hkpost_served_chain result (docs in the .yml).

The audit's report files (HTML, CSV, JSON) are written by the hkpost_fleet_report module; this list is a filter
because a user's own playbook builds a renewal run from it.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._audit_inputs import check_warn_days
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import render_to_renew_json
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def fleet_to_renew_json(audit, warn_days=None, revoked=None):
    try:
        if warn_days is not None:
            warn_days = check_warn_days(warn_days)
        if revoked is not None and (isinstance(revoked, (str, bytes, dict)) or not hasattr(revoked, '__iter__')):
            raise ValueError('revoked must be a list of SHA-256 fingerprints or serial numbers')
        return render_to_renew_json(audit, warn_days=warn_days, revoked=revoked)
    except (HkpostError, ValueError, KeyError, TypeError) as exc:
        raise AnsibleFilterError('fleet_to_renew_json: %s' % exc)


class FilterModule:
    def filters(self):
        return checked_filters({'fleet_to_renew_json': fleet_to_renew_json})
