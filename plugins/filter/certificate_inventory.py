# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet inventory report files (HTML, CSV, JSON, renewal forecast JSON) from the hosts' inventory results."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._fleet import build
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._report import (
    render_csv, render_forecast_json, render_html, render_json)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters

FILES = ('certificate-inventory.html', 'certificate-inventory.csv', 'certificate-inventory.json',
         'renewal-forecast.json')


def _count(value, what):
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise ValueError('%s must be a whole number, 0 or more; got %r' % (what, value))
    return int(text)


def certificate_inventory_reports(results, audit=None, today=None, subscriptions=None, title='Certificate inventory',
                                  warn_days=30, pending_days=30, batch=0):
    """Every report file's text, by file name; the fleet is joined once for all of them."""
    try:
        model = build(results, audit=audit or None, today=today or None, subscriptions=subscriptions,
                      warn_days=_count(warn_days, 'warn_days'), pending_days=_count(pending_days, 'pending_days'),
                      batch=_count(batch, 'batch'))
    except (ValueError, KeyError, TypeError) as exc:
        raise AnsibleFilterError('certificate_inventory_reports: %s' % exc)
    return dict(zip(FILES, (render_html(model, title=title), render_csv(model), render_json(model),
                            render_forecast_json(model))))


class FilterModule:
    def filters(self):
        return checked_filters({'certificate_inventory_reports': certificate_inventory_reports})
