# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report files of a fleet run, from the typed results the run's modules returned (hkpost_fleet_report).

One function per kind of report, each taking plain data and returning ``(files, info)``: ``files`` the text of
each file by name, ``info`` what the playbook prints and decides on (summary lines, counts). Nothing here reads
an inventory or a register name: the caller hands over the results themselves, by host where there are hosts.
These were filters (fleet_report_html/csv/json, certificate_inventory_reports, chain_summary, chain_summary_csv)
until the reports became one module; the renderers underneath are unchanged.
"""

from __future__ import annotations

import csv
import io
import json

from ansible_collections.hkpost.ecert.plugins.module_utils._dry_run import check_path, keep_rows_of_other_hosts
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError, kind_of
from ansible_collections.hkpost.ecert.plugins.module_utils.audit import _fleet_report as audit_report
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._audit_inputs import check_title, check_warn_days
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._summary import summarize, to_csv_rows
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory import _report as inventory_report
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._fleet import build

KINDS = ('audit', 'inventory', 'chain')
DEFAULT_NAMES = {'audit': 'fleet', 'inventory': 'certificate-inventory', 'chain': 'chain_migration'}
DEFAULT_TITLES = {'audit': 'TLS chain audit', 'inventory': 'Certificate inventory', 'chain': 'Chain migration'}
# Worst first: "at or above critical" counts error and critical (hkpost_audit_fail_on).
VERDICTS = ('error', 'critical', 'warning')
# A report of what a run changes is written beside the real one in check mode (check_path); a report of what a
# run read is the same in check mode, so a dry run writes it under its own name.
DRY_RUN_NAMES = {'audit': False, 'inventory': False, 'chain': True}


def _plain(value):
    return json.loads(json.dumps(value, default=str))


def _count(value, what):
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise HkpostError('%s must be a whole number, 0 or more; got %r' % (what, value))
    return int(text)


def audit_files(audit, name='fleet', title='TLS chain audit', warn_days=30, revoked=None, dest='.'):
    """The audit's four files from an hkpost_served_chain result, and the counts the playbook acts on."""
    if not hasattr(audit, 'get') or not isinstance(audit.get('endpoints'), list):
        raise HkpostError('audit: expects the result of hkpost.ecert.hkpost_served_chain (a dict with "endpoints"), '
                          'got %s.' % kind_of(audit))
    check_title(title)
    warn_days = check_warn_days(warn_days)
    try:
        renew_text = audit_report.render_to_renew_json(audit, warn_days=warn_days, revoked=revoked)
        files = {
            name + '.html': audit_report.render_html(audit, title=title, warn_days=warn_days),
            name + '.csv': audit_report.render_csv(audit),
            name + '.json': audit_report.render_json(audit),
            name + '-to-renew.json': renew_text,
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise HkpostError('audit: %s' % exc)
    by_verdict = dict((audit.get('summary') or {}).get('by_verdict') or {})
    by_code = dict((audit.get('summary') or {}).get('by_code') or {})
    at_or_above = {}
    for index, verdict in enumerate(VERDICTS):
        at_or_above[verdict] = sum(int(by_verdict.get(v) or 0) for v in VERDICTS[:index + 1])
    to_renew = len(json.loads(renew_text).get('certificates') or [])
    total = (audit.get('summary') or {}).get('total', len(audit['endpoints']))
    info = {'summary': {'total': total, 'by_verdict': by_verdict, 'by_code': by_code, 'to_renew': to_renew},
            'at_or_above': at_or_above, 'to_renew': to_renew}
    info['lines'] = [
        '%s endpoints: %s ok, %s warning, %s critical, %s could not be audited'
        % (total, by_verdict.get('ok', 0), by_verdict.get('warning', 0), by_verdict.get('critical', 0),
           by_verdict.get('error', 0)),
        'findings: %s' % json.dumps(by_code, sort_keys=True),
        'to renew: %d certificates, listed in %s' % (to_renew, file_path(dest, name + '-to-renew.json', 'audit', False)),
        'report: %s (also .csv, .json)' % file_path(dest, name + '.html', 'audit', False),
    ]
    return files, info


def inventory_files(results, audit=None, today=None, subscriptions=None, title='Certificate inventory',
                    warn_days=30, pending_days=30, batch=0, name='certificate-inventory', dest='.'):
    """The inventory's files from the hosts' hkpost_certificate_inventory results (a dict by host)."""
    check_title(title)
    try:
        model = build(results, audit=audit or None, today=today or None, subscriptions=subscriptions,
                      warn_days=_count(warn_days, 'warn_days'), pending_days=_count(pending_days, 'pending_days'),
                      batch=_count(batch, 'batch'))
        inventory_json = inventory_report.render_json(model)
        forecast_json = inventory_report.render_forecast_json(model)
        files = {name + '.html': inventory_report.render_html(model, title=title),
                 name + '.csv': inventory_report.render_csv(model),
                 name + '.json': inventory_json,
                 'renewal-forecast.json': forecast_json}
    except (ValueError, KeyError, TypeError) as exc:
        raise HkpostError('inventory: %s' % exc)
    # From the model, not the JSON read back: a fleet's JSON parsed again would double the memory of the report.
    summary = _plain(model['summary'])
    totals = _plain(model['forecast']['totals'])
    info = {'summary': summary, 'forecast': totals}
    info['lines'] = [
        '%s/%s hosts read; %s leaf certificates (%s in use), %s expiring, %s expired, %s under the old intermediate'
        % (summary['hosts_read'], summary['hosts'], summary['leaf_certificates'], summary['in_use'],
           summary['expiring'], summary['expired'], summary['old_generation']),
        'to clean up: %s' % json.dumps(summary['stale_by_reason'], sort_keys=True),
        'next 52 weeks: %s renewals, %s portal sessions, busiest week %s'
        % (totals['renewals'], totals['portal_sessions'], totals['busiest_week']),
        'report: %s (also .csv, .json, renewal-forecast.json)' % file_path(dest, name + '.html', 'inventory', False),
    ]
    return files, info


def chain_files(results, hosts=None, check_mode=False, previous=None, name='chain_migration', dest='.'):
    """The chain migration's CSV and JSON from each host's hkpost_chain result and error.

    ``results``: host -> {result: the registered hkpost_chain result or None (not run), error: text or None}.
    ``previous``: the JSON written before (its rows for hosts not in ``hosts`` are kept, as after a --limit run).
    """
    if not hasattr(results, 'items'):
        raise HkpostError('results: expects a dict host -> {result, error}, got %s.' % kind_of(results))
    pairs = {}
    for host, entry in results.items():
        entry = entry if hasattr(entry, 'get') else {}
        result = entry.get('result')
        pairs[str(host)] = (dict(result) if hasattr(result, 'items') else None, entry.get('error') or None)
    summary = summarize(pairs, bool(check_mode))
    report = keep_rows_of_other_hosts(summary, previous, list(hosts) if hosts is not None else list(pairs))
    out = io.StringIO()
    csv.writer(out, lineterminator='\n').writerows(to_csv_rows(report))
    files = {name + '.csv': out.getvalue(), name + '.json': json.dumps(report['rows'], indent=4, sort_keys=True)}
    info = {'summary': {'counts': summary['counts'], 'rows': summary['rows']}, 'counts': summary['counts'],
            'lines': summary['table'] + ['files: %s and .json' % file_path(dest, name + '.csv', 'chain', check_mode)]}
    return files, info


def file_path(dest, file_name, kind, check_mode):
    """Where ``file_name`` goes: in ``dest``, as NAME.check.EXT in check mode for a report of changes."""
    return check_path('%s/%s' % (dest.rstrip('/'), file_name), bool(check_mode) and DRY_RUN_NAMES[kind])
