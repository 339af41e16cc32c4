# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet view of the lifecycle playbooks (request.yml, install.yml, renew.yml), from typed per-host results.

Each host's role entry point records one result (a plain dict) and the play hands the results of every host of
the run to hkpost.ecert.hkpost_renewal_report, in the order of its ``hosts``; a host that recorded nothing (it
failed before, was unreachable, or its batch never ran) is ``None`` (or false, as the play's map() gives it). Nothing here reads an inventory, a
register name or hostvars (issue 21): what a row says comes from the result alone.

Controller files keep two rules (issue 22, module_utils._dry_run): a dry run writes ``*.check.*`` beside the real
file, never in its place; a run on part of the fleet rewrites the rows of its own hosts and keeps the others'.
"""

from __future__ import annotations

import csv
import io
import json
import os

from ansible_collections.hkpost.ecert.plugins.module_utils._dry_run import check_path, keep_rows_of_other_hosts
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import write_sheet
from ansible_collections.hkpost.ecert.plugins.module_utils.install._record import install_record
from ansible_collections.hkpost.ecert.plugins.module_utils.install._summary import summarize, to_csv_rows
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import ascii_name as _ascii
from ansible_collections.hkpost.ecert.plugins.module_utils.request._renewal_selection import (
    binding_endpoints, phase_summary_of)


def by_host(hosts, results):
    """``{host: result or None}`` from the two aligned lists the play passes."""
    hosts = list(hosts or [])
    results = list(results or [])
    if len(results) != len(hosts):
        raise HkpostError('results has %d entries for %d hosts: pass one result per host, in the order of hosts '
                          '(e.g. ansible_play_hosts_all | map("extract", hostvars) | map(attribute=NAME, '
                          'default=false)).' % (len(results), len(hosts)))
    # false: what map(attribute=NAME, default=false) gives for a host that recorded nothing (Jinja's map takes
    # default=none for "no default", so none cannot be the marker).
    results = [None if result is False else result for result in results]
    for host, result in zip(hosts, results):
        if result is not None and not isinstance(result, (dict, list)):
            raise HkpostError('the result of host %s is %s, not what its role entry point records (a dictionary).'
                              % (host, type(result).__name__))
    return dict(zip(hosts, results))


# --- the submission sheet -------------------------------------------------------------------------------

def sheet_rows(csr_by_host, check_mode=False):
    """(rows, hosts that ran): a row per pending request the csr role returned (``hkpost_csr_results``).

    A host whose csr results are None did not run (failed, unreachable, --limit): its earlier rows are kept.
    In ``check_mode`` a request that would be made has no key yet: its row says "(check mode)" (the intake skips
    such rows), so the dry run's sheet (submission.check.csv) lists what would be requested."""
    rows, ran = [], []
    for host, results in csr_by_host.items():
        if results is None:
            continue
        ran.append(host)
        for r in results:
            if not r.get('public_key_sha256') and not check_mode:
                continue  # check mode before the key exists
            item = r.get('item') or {}
            applied = [r['common_name_ascii']]
            for name in item.get('subject_alt_names') or []:
                if _ascii(name) not in applied:
                    applied.append(_ascii(name))
            rows.append({'host': host, 'common_name': r['common_name_ascii'], 'certificate_type': r.get('certificate_type'),
                         'public_key_sha256': r.get('public_key_sha256') or '(check mode)', 'csr_file': r.get('csr_path'),
                         'names': ' '.join(applied), 'pending_thumbprint': r.get('thumbprint')})
    return rows, ran


def submission_sheet(csr_by_host, existing=None, check_mode=False):
    rows, ran = sheet_rows(csr_by_host, check_mode)
    return write_sheet(rows, existing, ran)


def submission_table(csr_by_host, active_hosts, sheet, check_mode=False):
    """What to paste into the portal, a line per request, and where the files are (request.yml)."""
    line = '%-18s %-34s %-16s %-20s %s'
    lines = [line % ('HOST', 'COMMON NAME', 'TYPE', 'SPKI SHA-256', 'CSR')]
    for host, results in csr_by_host.items():
        for r in results or []:
            lines.append(line % (host, r.get('common_name_ascii'), r.get('certificate_type'),
                                 (r.get('public_key_sha256') or '(check mode)')[:16] + '...',
                                 os.path.basename(r.get('csr_path') or '')))
        if host not in active_hosts:
            lines.append('%-18s %s' % (host, 'FAILED or unreachable: no CSR (see the errors above)'))
    lines += ['CSRs: %s/<host>/' % os.path.dirname(sheet), 'Sheet: %s' % check_path(sheet, check_mode)]
    if check_mode:
        lines.append('Dry run: no key or CSR was made, and the sheet itself was left as it was.')
    return lines


# --- renew.yml, request phase --------------------------------------------------------------------------

def request_row(record, check_mode=False):
    """A host's row of the request phase, in words: a dry run "would request", a rerun "already pending"."""
    if record is None:
        return None
    if record.get('error'):
        return {'status': 'failed', 'detail': record['error']}
    csr = record.get('csr') or []
    new = [r.get('common_name_ascii') for r in csr if r.get('changed')]
    pending = [r.get('common_name_ascii') for r in csr if r.get('common_name_ascii') not in new]
    parts = []
    if new:
        parts.append('%s %s' % ('would request' if check_mode else 'requested', ', '.join(new)))
    if pending:
        parts.append('already pending %s' % ', '.join(pending))
    return {'status': 'skipped' if not record.get('selected') else 'ok',
            'detail': '; '.join(parts) or 'nothing to renew',
            'requested': [r.get('common_name_ascii') for r in csr], 'backups': list(record.get('backups') or [])}


def request_phase(records, existing_sheet=None, check_mode=False):
    """(summary, sheet text) of renew.yml --tags request. A failed host's csr results are None: its rows stay."""
    summary = phase_summary_of({host: request_row(record, check_mode) for host, record in records.items()})
    csr = {host: (None if record is None or record.get('error') else record.get('csr') or [])
           for host, record in records.items()}
    return summary, submission_sheet(csr, existing_sheet, check_mode)


# --- renew.yml, install phase --------------------------------------------------------------------------

def install_row(host, record, intake, check_mode=False):
    if record is None:
        return None
    if record.get('error'):
        return {'status': 'failed', 'detail': record['error']}
    result = record.get('install') or {}
    if not isinstance(result, dict) or result.get('skipped'):
        result = {}
    waiting = [w for w in (intake or {}).get('waiting') or [] if w.get('host') == host]
    return install_record(record.get('issued') or [], [result], result, waiting, check_mode)


def install_phase(records, intake=None, previous_report=None, check_mode=False):
    """(summary, report JSON text, endpoints) of renew.yml --tags install."""
    summary = phase_summary_of({host: install_row(host, record, intake, check_mode) for host, record in records.items()})
    rows = keep_rows_of_other_hosts(summary, previous_report, list(records))['rows']
    intake = intake or {}
    report = json.dumps({'hosts': rows, 'counts': summary['counts'], 'intake_findings': intake.get('findings') or [],
                         'waiting': intake.get('waiting') or []}, indent=4, sort_keys=True)
    serves = [record['serves'] for record in records.values()
              if isinstance(record, dict) and isinstance(record.get('serves'), dict)]
    return summary, report, binding_endpoints(serves)


# --- renew.yml, ACME issuance (renew_acme.yml) ---------------------------------------------------------

def acme_row(record, check_mode=False):
    """A host's row of the ACME issuance, from what the acme role's order entry point records
    (``hkpost_acme_issue``: ``ordered``, the common names, or ``error``)."""
    if record is None:
        return None
    if record.get('error'):
        return {'status': 'failed', 'detail': record['error']}
    ordered = [str(name) for name in record.get('ordered') or []]
    if not ordered:
        return {'status': 'skipped', 'detail': 'nothing to order', 'ordered': []}
    return {'status': 'ok', 'detail': '%s %s' % ('would order' if check_mode else 'issued', ', '.join(ordered)),
            'ordered': ordered}


def acme_phase(records, check_mode=False):
    """The fleet summary of the ACME issuance; a host that recorded nothing failed before or was unreachable."""
    return phase_summary_of({host: acme_row(record, check_mode) for host, record in records.items()})


# --- install.yml --------------------------------------------------------------------------------------

def rollout(records, previous_report=None, check_mode=False):
    """(summary with rows kept from earlier runs, CSV text, JSON text) of install.yml."""
    facts = {}
    for host, record in records.items():
        record = record or {}
        facts[host] = {'hkpost_chain_result': record.get('chain'), 'hkpost_install_error': record.get('error'),
                       'hkpost_platform': record.get('platform'), 'hkpost_install_result': record.get('install')}
    summary = summarize(facts, check_mode)
    report = keep_rows_of_other_hosts(summary, previous_report, list(records))
    out = io.StringIO()
    csv.writer(out, lineterminator='\n').writerows(to_csv_rows(report))
    return summary, out.getvalue(), json.dumps(report['rows'], indent=4, sort_keys=True)
