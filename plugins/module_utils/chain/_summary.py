# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One summary of a fleet's chain migration: a row per host, counts, and a printable table."""

from __future__ import annotations

STATUSES = ('changed', 'already right', 'failed', 'unreachable', 'not run')
# A dry run predicts: its rows and table say what would happen, never that it happened.
DRY_RUN = {'changed': 'would migrate'}


def _step(step):
    return '%s %s %s' % (step.get('op', '?'), step.get('thumbprint', '?'), step.get('store', '?'))


def host_row(host, result, error=None):
    """``result`` is the registered hkpost_chain result (or None when the host never ran it).

    ``applied`` lists the steps the host really applied: all of the plan when it succeeded, the
    steps before the failing one when the write stopped part-way (hkpost_chain returns them with
    the failure), so a host that applied 2 of 3 steps says so even though its recap shows a failure.
    """
    if result is None and error is None:
        return {'host': host, 'status': 'not run', 'removed': 0, 'added': 0, 'reissue': [], 'warnings': [],
                'planned': 0, 'applied': [],
                'error': 'not reached: the rollout stopped before this host (or --limit left it out)'}
    result = result or {}
    leaves = result.get('leaves') or []
    reissue = sorted({leaf['subject'] for leaf in leaves if leaf.get('issued_under') == 'old'})
    failed = bool(error) or bool(result.get('failed'))
    plan = result.get('plan') or []
    if result.get('unreachable'):
        status = 'unreachable'
    elif failed:
        status = 'failed'
    else:
        status = 'changed' if result.get('changed') else 'already right'
    if 'applied' in result:
        applied = [_step(s) for s in result.get('applied') or []]
    else:  # check mode, or nothing to do: nothing was written
        applied = []
    return {'host': host, 'status': status, 'removed': len(result.get('removed') or []),
            'added': len(result.get('added') or []), 'reissue': reissue,
            'warnings': list(result.get('warnings') or []), 'planned': len(plan), 'applied': applied,
            'error': error or (result.get('msg') if failed else '') or ''}


def summarize(results, check_mode=False):
    """``results``: host -> (result or None, error or None). Rows sorted by host; in ``check_mode`` worded as a
    prediction."""
    rows = [host_row(host, *results[host]) for host in sorted(results)]
    counts = {status: sum(1 for r in rows if r['status'] == status) for status in STATUSES}
    counts['leaves to re-issue'] = sum(len(r['reissue']) for r in rows)
    if check_mode:
        for r in rows:
            r['status'] = DRY_RUN.get(r['status'], r['status'])
    table = ['%-28s %-14s %7s %5s %7s %8s  %s' % ('HOST', 'STATUS', 'REMOVED', 'ADDED', 'APPLIED', 'RE-ISSUE', 'NOTE')]
    for r in rows:
        note = r['error'] or ('; '.join(r['reissue']) if r['reissue'] else '')
        table.append('%-28s %-14s %7d %5d %7s %8d  %s' % (r['host'][:28], r['status'], r['removed'], r['added'],
                                                          '%d/%d' % (len(r['applied']), r['planned']),
                                                          len(r['reissue']), note[:100]))
    first = 'dry run, nothing was changed - hosts that would migrate' if check_mode else 'hosts changed'
    table.append(('%s: %%(changed)d, already right: %%(already right)d, failed: %%(failed)d, unreachable: '
                  '%%(unreachable)d, not run: %%(not run)d, leaves to re-issue: %%(leaves to re-issue)d' % first) % counts)
    return {'rows': rows, 'counts': counts, 'table': table}


def to_csv_rows(summary):
    header = ['host', 'status', 'removed', 'added', 'planned_steps', 'applied_steps', 'leaves_to_reissue',
              'warnings', 'error']
    rows = [[r['host'], r['status'], r['removed'], r['added'], r['planned'], ' | '.join(r['applied']),
             ' | '.join(r['reissue']), ' | '.join(r['warnings']), r['error']] for r in summary['rows']]
    return [header] + rows
