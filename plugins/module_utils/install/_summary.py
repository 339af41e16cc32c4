# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One summary of an install rollout (install.yml): a row per host, counts, and a printable table.

Reads what the chain, iis and exchange roles registered on each host. A registered result may be a
single module result or a loop result (``results`` list), so the summary keeps working when a role
installs several certificates per host.
"""

from __future__ import annotations

STATUSES = ('installed', 'already installed', 'failed', 'unreachable', 'not run')
# A dry run predicts: its rows and table say what would happen, never that it happened.
DRY_RUN = {'installed': 'would install'}


def _results(registered):
    """The module results in a registered variable: itself, or its loop ``results``."""
    if not isinstance(registered, dict) or registered.get('skipped') and 'results' not in registered:
        return []
    if isinstance(registered.get('results'), list):
        return [r for r in registered['results'] if isinstance(r, dict) and not r.get('skipped')]
    return [registered]


def _per_certificate(facts, listed, registered):
    """The results of a role that registers inside an include_tasks loop (exchange): the list it keeps
    (``listed``, one entry per certificate), else the single registered result of older runs."""
    if isinstance(facts.get(listed), list):
        return _results({'results': facts[listed]})
    return _results(facts.get(registered))


def host_row(host, facts):
    """``facts``: the host's variables (hostvars[host]) as a plain mapping."""
    chain = facts.get('hkpost_chain_result')
    error = facts.get('hkpost_install_error') or ''
    platform = facts.get('hkpost_platform') or 'iis'
    if chain is None and not error:
        return {'host': host, 'platform': platform, 'status': 'not run', 'chain': '', 'thumbprints': [],
                'targets': [], 'backups': [], 'changed': False,
                'error': 'not reached: the rollout stopped before this host (or --limit left it out)'}
    installed = _per_certificate(facts, 'hkpost_exchange_installed', 'hkpost_exchange_result') \
        if platform == 'exchange' else _results(facts.get('hkpost_iis_completed'))
    targets = []
    if platform == 'exchange':
        for r in installed:
            targets.extend('%s' % s for s in r.get('services') or [])
    else:
        for r in _results(facts.get('hkpost_iis_bound')):
            item = r.get('item') or {}
            if isinstance(item, list):  # a loop over subelements: (completed certificate, binding)
                item = item[-1] if item and isinstance(item[-1], dict) else {}
            targets.append('%s %s:%s' % (item.get('site', '?'), item.get('host_header', ''), item.get('port', 443)))
    backup_results = _per_certificate(facts, 'hkpost_exchange_backups', 'hkpost_exchange_backup_result') \
        if platform == 'exchange' else _results(facts.get('hkpost_iis_backup_result'))
    backups = [r['path'] for r in backup_results if r.get('path')]
    steps = [chain] + installed + _results(facts.get('hkpost_iis_bound')) if isinstance(chain, dict) else installed
    changed = any(isinstance(r, dict) and r.get('changed') for r in steps)
    if isinstance(chain, dict) and chain.get('unreachable'):
        status = 'unreachable'
    elif error:
        status = 'failed'
    else:
        status = 'installed' if changed else 'already installed'
    chain_status = ''
    if isinstance(chain, dict):
        chain_status = 'failed' if chain.get('failed') or chain.get('unreachable') else \
            ('changed' if chain.get('changed') else 'already right')
    return {'host': host, 'platform': platform, 'status': status, 'chain': chain_status,
            'thumbprints': sorted({r['thumbprint'] for r in installed if r.get('thumbprint')}),
            'targets': targets, 'backups': backups, 'changed': changed, 'error': error}


def summarize(facts_by_host, check_mode=False):
    """``facts_by_host``: host -> its variables. Rows sorted by host; in ``check_mode`` worded as a prediction."""
    rows = [host_row(host, facts_by_host[host]) for host in sorted(facts_by_host)]
    counts = {status: sum(1 for r in rows if r['status'] == status) for status in STATUSES}
    if check_mode:
        for r in rows:
            r['status'] = DRY_RUN.get(r['status'], r['status'])
    table = ['%-24s %-9s %-17s %-14s %-42s %s' % ('HOST', 'PLATFORM', 'STATUS', 'CHAIN', 'THUMBPRINT', 'BINDINGS / SERVICES / NOTE')]
    for r in rows:
        note = r['error'] or ', '.join(r['targets'])
        table.append('%-24s %-9s %-17s %-14s %-42s %s' % (r['host'][:24], r['platform'], r['status'], r['chain'],
                                                          ' '.join(r['thumbprints']) or '-', note[:120]))
    first = 'dry run, nothing was changed - hosts that would install' if check_mode else 'hosts installed'
    table.append(('%s: %%(installed)d, already installed: %%(already installed)d, failed: %%(failed)d, '
                  'unreachable: %%(unreachable)d, not run: %%(not run)d' % first) % counts)
    return {'rows': rows, 'counts': counts, 'table': table}


def to_csv_rows(summary):
    header = ['host', 'platform', 'status', 'chain', 'thumbprints', 'bindings_or_services', 'backups', 'error']
    return [header] + [[r['host'], r['platform'], r['status'], r['chain'], ' | '.join(r['thumbprints']),
                        ' | '.join(r['targets']), ' | '.join(r['backups']), r['error']] for r in summary['rows']]
