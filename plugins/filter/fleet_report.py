# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters turning a registered hkpost_served_chain result into report files (HTML, CSV, JSON, to-renew JSON)."""

from __future__ import annotations

import inspect

from ansible.errors import AnsibleFilterError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._audit_inputs import check_title, check_warn_days

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import (
    render_csv, render_html, render_json, render_to_renew_json)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def _guard(render):
    def wrapper(audit, *args, **kwargs):
        try:
            # The options every report filter shares, checked by name however they were passed.
            given = inspect.signature(render).bind(audit, *args, **kwargs).arguments
            if given.get('warn_days') is not None:
                given['warn_days'] = check_warn_days(given['warn_days'])
            if 'title' in given:
                check_title(given['title'])
            return render(**given)
        except (ValueError, KeyError, TypeError) as exc:
            raise AnsibleFilterError('%s: %s' % (render.__name__, exc))
    wrapper.__name__ = render.__name__
    return wrapper


def fleet_report_html(audit, title='TLS chain audit', warn_days=30, group_above=50):
    return render_html(audit, title=title, warn_days=warn_days, group_above=group_above)


def fleet_report_csv(audit):
    return render_csv(audit)


def fleet_report_json(audit):
    return render_json(audit)


def fleet_to_renew_json(audit, warn_days=None, revoked=None):
    if revoked is not None and (isinstance(revoked, (str, bytes, dict)) or not hasattr(revoked, '__iter__')):
        raise ValueError('revoked must be a list of SHA-256 fingerprints or serial numbers')
    return render_to_renew_json(audit, warn_days=warn_days, revoked=revoked)


class FilterModule:
    def filters(self):
        return checked_filters({
            'fleet_report_html': _guard(fleet_report_html),
            'fleet_report_csv': _guard(fleet_report_csv),
            'fleet_report_json': _guard(fleet_report_json),
            'fleet_to_renew_json': _guard(fleet_to_renew_json),
        })
