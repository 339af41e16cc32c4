# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One summary of an install rollout (install.yml): a row per host, counts, and a printable table.

Reads one result per host: ``hkpost_install_result``, what hkpost_install returned there (the iis and exchange
roles register it, and so does renew.yml) - its documented RETURN, the same for IIS and Exchange, the chain's outcome
included (RETURN ``chain``: install.yml migrates the chain in the install) - and the play's ``hkpost_install_error``.
``hkpost_chain_result`` (the record's ``chain``) is read only when the install result has no chain (a record of an
earlier version, when the chain role ran first). No role's task names are read.
"""

from __future__ import annotations

STATUSES = ('installed', 'already installed', 'nothing issued', 'failed', 'unreachable', 'not run')
# A dry run predicts: its rows and table say what would happen, never that it happened.
DRY_RUN = {'installed': 'would install'}


def _targets(result):
    """The bindings (IIS) or services (Exchange) the host now serves its certificates with."""
    targets = []
    for binding in result.get('bindings') or []:
        targets.append('%s %s:%s' % (binding.get('site', '?'), binding.get('host') or '', binding.get('port', 443)))
    for entry in result.get('services') or []:
        targets.extend(entry.get('after') or [])
    return targets


def _chain(installed, recorded):
    """The chain's outcome: hkpost_install's RV chain - failed when a chain step failed (it lists not_applied) -, the
    unreachable result itself when the host could not be reached, else the recorded one."""
    if isinstance(installed, dict) and installed.get('unreachable'):
        return installed
    chain = installed.get('chain') if isinstance(installed, dict) else None
    if isinstance(chain, dict):
        return dict(chain, failed=True) if 'not_applied' in chain else chain
    return recorded


def host_row(host, facts):
    """``facts``: the host's variables (hostvars[host]) as a plain mapping."""
    chain = _chain(facts.get('hkpost_install_result'), facts.get('hkpost_chain_result'))
    error = facts.get('hkpost_install_error') or ''
    installed = facts.get('hkpost_install_result')
    if not isinstance(installed, dict) or installed.get('skipped'):
        installed = {}  # nothing issued for this host yet (the role skipped the module), or not reached
    platform = installed.get('platform') or facts.get('hkpost_platform') or 'iis'
    if chain is None and not error:
        return {'host': host, 'platform': platform, 'status': 'not run', 'chain': '', 'thumbprints': [],
                'targets': [], 'backups': [], 'retired': [], 'kept': [], 'changed': False,
                'error': 'not reached: the rollout stopped before this host (or --limit left it out)'}
    changed = bool(installed.get('changed')) or (isinstance(chain, dict) and bool(chain.get('changed')))
    if isinstance(chain, dict) and chain.get('unreachable'):
        status = 'unreachable'
    elif error:
        status = 'failed'
    elif not installed.get('certificates') and not installed.get('changed'):
        # the role had no certificate to give hkpost_install: not "already installed", which would claim one is
        status = 'installed' if changed else 'nothing issued'
    else:
        status = 'installed' if changed else 'already installed'
    chain_status = ''
    if isinstance(chain, dict):
        chain_status = 'failed' if chain.get('failed') or chain.get('unreachable') else \
            ('changed' if chain.get('changed') else 'already right')
    return {'host': host, 'platform': platform, 'status': status, 'chain': chain_status,
            'thumbprints': sorted({c['thumbprint'] for c in installed.get('certificates') or [] if c.get('thumbprint')}),
            'targets': _targets(installed),
            'backups': [b['path'] for b in installed.get('backups') or [] if b.get('path')],
            'retired': [r['thumbprint'] for r in installed.get('retired') or []],
            'kept': ['%s: %s' % (k['thumbprint'], k['reason']) for k in installed.get('kept') or []],
            'changed': changed, 'error': error}


def summarize(facts_by_host, check_mode=False):
    """``facts_by_host``: host -> its variables. Rows sorted by host; in ``check_mode`` worded as a prediction."""
    rows = [host_row(host, facts_by_host[host]) for host in sorted(facts_by_host)]
    counts = {status: sum(1 for r in rows if r['status'] == status) for status in STATUSES}
    if check_mode:
        for r in rows:
            r['status'] = DRY_RUN.get(r['status'], r['status'])
    table = ['%-24s %-9s %-17s %-14s %-42s %s' % ('HOST', 'PLATFORM', 'STATUS', 'CHAIN', 'THUMBPRINT', 'BINDINGS / SERVICES / NOTE')]
    for r in rows:
        note = r['error'] or ', '.join(r['targets']) + ('; retired %s' % ', '.join(r['retired']) if r['retired'] else '')
        table.append('%-24s %-9s %-17s %-14s %-42s %s' % (r['host'][:24], r['platform'], r['status'], r['chain'],
                                                          ' '.join(r['thumbprints']) or '-', note[:120]))
    first = 'dry run, nothing was changed - hosts that would install' if check_mode else 'hosts installed'
    table.append(('%s: %%(installed)d, already installed: %%(already installed)d, nothing issued: %%(nothing issued)d, '
                  'failed: %%(failed)d, '
                  'unreachable: %%(unreachable)d, not run: %%(not run)d' % first) % counts)
    return {'rows': rows, 'counts': counts, 'table': table}


def to_csv_rows(summary):
    header = ['host', 'platform', 'status', 'chain', 'thumbprints', 'bindings_or_services', 'backups', 'error',
              'retired', 'kept']
    return [header] + [[r['host'], r['platform'], r['status'], r['chain'], ' | '.join(r['thumbprints']),
                        ' | '.join(r['targets']), ' | '.join(r['backups']), r['error'], ' | '.join(r['retired']),
                        ' | '.join(r['kept'])] for r in summary['rows']]
