# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One summary of a fleet's chain migration: a row per host, counts, and a printable table."""

from __future__ import annotations

STATUSES = ('changed', 'already right', 'failed', 'not run')


def host_row(host, result, error=None):
    """``result`` is the registered hkpost_chain result (or None when the host never ran it)."""
    if result is None and error is None:
        return {'host': host, 'status': 'not run', 'removed': 0, 'added': 0, 'reissue': [], 'warnings': [],
                'error': 'no result: unreachable, or the rollout stopped before this host'}
    result = result or {}
    leaves = result.get('leaves') or []
    reissue = sorted({leaf['subject'] for leaf in leaves if leaf.get('issued_under') == 'old'})
    failed = bool(error) or bool(result.get('failed'))
    status = 'failed' if failed else ('changed' if result.get('changed') else 'already right')
    return {'host': host, 'status': status, 'removed': len(result.get('removed') or []),
            'added': len(result.get('added') or []), 'reissue': reissue,
            'warnings': list(result.get('warnings') or []),
            'error': error or (result.get('msg') if failed else '') or ''}


def summarize(results):
    """``results``: host -> (result or None, error or None). Rows sorted by host."""
    rows = [host_row(host, *results[host]) for host in sorted(results)]
    counts = {status: sum(1 for r in rows if r['status'] == status) for status in STATUSES}
    counts['leaves to re-issue'] = sum(len(r['reissue']) for r in rows)
    table = ['%-28s %-14s %7s %5s %8s  %s' % ('HOST', 'STATUS', 'REMOVED', 'ADDED', 'RE-ISSUE', 'NOTE')]
    for r in rows:
        note = r['error'] or ('; '.join(r['reissue']) if r['reissue'] else '')
        table.append('%-28s %-14s %7d %5d %8d  %s' % (r['host'][:28], r['status'], r['removed'], r['added'],
                                                      len(r['reissue']), note[:100]))
    table.append('hosts changed: %(changed)d, already right: %(already right)d, failed: %(failed)d, '
                 'not run: %(not run)d, leaves to re-issue: %(leaves to re-issue)d' % counts)
    return {'rows': rows, 'counts': counts, 'table': table}


def to_csv_rows(summary):
    header = ['host', 'status', 'removed', 'added', 'leaves_to_reissue', 'warnings', 'error']
    rows = [[r['host'], r['status'], r['removed'], r['added'], ' | '.join(r['reissue']), ' | '.join(r['warnings']),
             r['error']] for r in summary['rows']]
    return [header] + rows
