# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of renew.yml: renewal_selection, renewal_endpoints, renewal_summary, renewal_install_record (docs in the .yml files)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._record import install_record
from ansible_collections.hkpost.ecert.plugins.module_utils.request._renewal_selection import (
    binding_endpoints, phase_summary, select_for_renewal)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def renewal_selection(certificates, to_renew=None, host=None):
    try:
        return select_for_renewal(certificates, to_renew, host)
    except HkpostError as e:
        raise AnsibleFilterError(str(e))


def renewal_endpoints(hosts):
    try:
        return binding_endpoints(hosts)
    except (HkpostError, KeyError) as e:
        raise AnsibleFilterError('renewal_endpoints: %s' % e)


def renewal_summary(hostvars, hosts, fact):
    return phase_summary(hostvars, hosts, fact)


def renewal_install_record(issued, results, retire=None, waiting=None, check_mode=False):
    return install_record(issued, results, retire, waiting or [], bool(check_mode))


class FilterModule:
    def filters(self):
        return checked_filters({'renewal_selection': renewal_selection, 'renewal_endpoints': renewal_endpoints,
                                'renewal_summary': renewal_summary, 'renewal_install_record': renewal_install_record})
