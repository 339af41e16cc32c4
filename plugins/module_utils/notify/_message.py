# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The message one notification carries, built from what a run produced - never from its inputs.

Three kinds of report, each already free of secrets by construction (they are what the summaries, reports and
to-renew files hold); even so only named fields are read from them (an allow-list, never a dump), so that a key
someone adds to a summary later - or a host variable that leaks into a row - cannot reach a message:

- ``rollout``: an install, chain or renewal summary (hkpost_renewal_report's summary; hkpost_fleet_report's summary of a chain migration):
  ``rows`` (``host``, ``status``, ``error``/``detail``), ``counts`` per status;
- ``audit``: the result of hkpost_served_chain (``summary``; the to-renew list is derived as fleet-to-renew.json
  derives it) or the to-renew JSON itself;
- ``inventory``: certificate-inventory.json (``summary``, ``certificates``, ``forecast``).

The outcome is ``failure`` or ``success``: a rollout host failed or was unreachable; an audited endpoint is
critical or could not be audited; an inventoried certificate expired or a host could not be read.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import to_renew as audit_to_renew

KINDS = ('rollout', 'audit', 'inventory')
TITLES = {'rollout': 'Certificate rollout', 'audit': 'TLS chain audit', 'inventory': 'Certificate inventory'}
FAILED_STATUSES = ('failed', 'unreachable')
MAX_LINES = 50  # chat payloads have size limits; the full lists are in the report files
_RENEW_FIELDS = ('common_name', 'status', 'days_left', 'not_after', 'sha256')


def _text(value, limit=200):
    return ('' if value is None else str(value))[:limit]


def _renew_item(entry):
    if not isinstance(entry, dict):
        return None
    item = {field: entry.get(field) for field in _RENEW_FIELDS}
    item['common_name'] = _text(item['common_name'])
    item['status'] = _text(item['status'], 20)
    item['hosts'] = [_text(h, 100) for h in entry.get('hosts') or [] if isinstance(h, (str, int))]
    return item


def renew_list(value):
    """A to-renew list from ``fleet_to_renew_json`` (the dict or its ``certificates``), or such a list."""
    if isinstance(value, dict):
        value = value.get('certificates')
    return [item for item in map(_renew_item, value or []) if item is not None]


def _rollout(report):
    rows = [r for r in report.get('rows') or [] if isinstance(r, dict)]
    counts = {_text(k, 40): v for k, v in (report.get('counts') or {}).items() if isinstance(v, int)}
    bad = [r for r in rows if r.get('status') in FAILED_STATUSES]
    failed = bool(bad) or any(counts.get(s) for s in FAILED_STATUSES) or bool(report.get('failed'))
    lines = ['%s: %s%s' % (_text(r.get('host'), 100), _text(r.get('status'), 20),
                           (' - %s' % _text(r.get('error') or r.get('detail'))) if r.get('error') or r.get('detail')
                           else '') for r in (bad or rows)]
    headline = '%d hosts: %s' % (len(rows), ', '.join('%s %d' % item for item in counts.items() if item[1]) or 'none')
    return failed, headline, [(k, str(v)) for k, v in counts.items()], lines, []


def _audit(report, warn_days):
    if 'certificates' in report and 'summary' not in report:  # the to-renew JSON itself
        renew = renew_list(report)
        return bool(renew), '%d certificates to renew' % len(renew), [], [], renew
    summary = report.get('summary') or {}
    verdicts = {_text(k, 20): v for k, v in (summary.get('by_verdict') or {}).items() if isinstance(v, int)}
    failed = bool(verdicts.get('critical') or verdicts.get('error'))
    renew = renew_list(audit_to_renew(report, warn_days=warn_days)) if report.get('endpoints') is not None else []
    headline = '%s endpoints: %s' % (summary.get('total', sum(verdicts.values())),
                                     ', '.join('%d %s' % (n, v) for v, n in verdicts.items()))
    codes = summary.get('by_code') or {}
    lines = ['%s: %d' % (_text(code, 40), n) for code, n in sorted(codes.items()) if isinstance(n, int)]
    return failed, headline, [(v, str(n)) for v, n in verdicts.items()], lines, renew


def _inventory(report):
    summary = report.get('summary') or {}
    number = {k: v for k, v in summary.items() if isinstance(v, int) and not isinstance(v, bool)}
    failed = bool(number.get('expired')) or number.get('hosts_read', 0) < number.get('hosts', 0)
    renew = renew_list([c for c in report.get('certificates') or []
                        if isinstance(c, dict) and not c.get('is_ca') and c.get('status') in ('expired', 'expiring')])
    totals = (report.get('forecast') or {}).get('totals') or {}
    shown = ('hosts', 'hosts_read', 'leaf_certificates', 'expiring', 'expired', 'stale', 'old_generation')
    facts = [(k.replace('_', ' '), str(number[k])) for k in shown if k in number]
    lines = []
    if totals:
        lines.append('next 52 weeks: %s renewals, %s portal sessions, busiest week %s (%s due)' % (
            _text(totals.get('renewals'), 12), _text(totals.get('portal_sessions'), 12),
            _text(totals.get('busiest_week'), 12) or '-', _text(totals.get('busiest_week_due'), 12)))
    headline = '%s of %s hosts read; %s leaf certificates, %s expiring, %s expired' % (
        number.get('hosts_read', 0), number.get('hosts', 0), number.get('leaf_certificates', 0),
        number.get('expiring', 0), number.get('expired', 0))
    return failed, headline, facts, lines, renew


def build(kind, report, title=None, outcome='auto', to_renew=None, warn_days=30, link=None):
    """``{'kind', 'title', 'outcome', 'headline', 'facts': [[name, value]], 'lines', 'to_renew', 'to_renew_total',
    'link'}`` - lists cut at ``MAX_LINES`` (the totals say how many there were)."""
    if kind not in KINDS:
        raise HkpostError('kind must be one of %s, not %r' % (', '.join(KINDS), kind))
    if not isinstance(report, dict):
        raise HkpostError('report must be a dictionary (the %s), got %s' % (
            {'rollout': 'summary a *_summary filter returns', 'audit': 'registered hkpost_served_chain result',
             'inventory': 'certificate-inventory.json'}[kind], type(report).__name__))
    if kind == 'rollout':
        failed, headline, facts, lines, renew = _rollout(report)
    elif kind == 'audit':
        failed, headline, facts, lines, renew = _audit(report, warn_days)
    else:
        failed, headline, facts, lines, renew = _inventory(report)
    if to_renew is not None:
        renew = renew_list(to_renew)
    if outcome == 'auto':
        outcome = 'failure' if failed else 'success'
    return {'kind': kind, 'title': _text(title or TITLES[kind]), 'outcome': outcome, 'headline': headline,
            'facts': [[_text(n, 60), _text(v, 60)] for n, v in facts], 'lines': lines[:MAX_LINES],
            'lines_total': len(lines), 'to_renew': renew[:MAX_LINES], 'to_renew_total': len(renew),
            'link': _text(link, 500) or None}


def renew_line(item):
    days = item.get('days_left')
    when = ('expired %d days ago' % -days if days < 0 else 'expires in %d days' % days) if isinstance(days, int) \
        else 'expiry unknown'
    return '%s - %s, %s%s%s' % (item['common_name'] or '(no name)', item['status'] or 'renew', when,
                                ' (%s)' % item['not_after'] if item.get('not_after') else '',
                                '; hosts: %s' % ', '.join(item['hosts']) if item['hosts'] else '')


def subject(message):
    more = ', %d to renew' % message['to_renew_total'] if message['to_renew_total'] else ''
    return '[hkpost.ecert] %s: %s - %s%s' % (message['outcome'].upper(), message['title'], message['headline'], more)


def plain_text(message):
    """The whole message as text: the e-mail body, and the fallback text of chat payloads."""
    out = ['%s: %s' % (message['title'], message['outcome'].upper()), message['headline'], '']
    if message['to_renew_total']:
        out.append('To renew (%d):' % message['to_renew_total'])
        out += ['- ' + renew_line(item) for item in message['to_renew']]
        if message['to_renew_total'] > len(message['to_renew']):
            out.append('- ... and %d more (see the to-renew file)' % (message['to_renew_total'] - len(message['to_renew'])))
        out.append('')
    if message['lines']:
        out.append('Details:')
        out += ['- ' + line for line in message['lines']]
        if message['lines_total'] > len(message['lines']):
            out.append('- ... and %d more (see the report)' % (message['lines_total'] - len(message['lines'])))
        out.append('')
    if message['link']:
        out.append('Report: %s' % message['link'])
    out.append('-- hkpost.ecert')
    return '\n'.join(out) + '\n'
