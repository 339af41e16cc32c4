# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render an hkpost_served_chain result as a self-contained HTML page, CSV and JSON, and the to-renew list.

The page leads to action: counts per finding with what to do about each at the top, the certificates
to renew, then the endpoints worst first - grouped by finding when the fleet is large, so 300
endpoints read without scrolling through every ``ok``. The Host column is the inventory name; the
address it was reached at has its own column.

The HTML needs nothing from the network to be read: CSS, the table sorter and the expiry timeline
(inline SVG) are all in the page. Every value from a server (names, subjects) is escaped; the page
carries no template syntax, so Ansible passes it through untouched.
"""

from __future__ import annotations

import csv
import datetime
import io
import json

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import kind_of
from ansible_collections.hkpost.ecert.plugins.module_utils._html_page import SORTABLE_TABLE_CSS, sort_script
from ansible_collections.hkpost.ecert.plugins.module_utils._html_page import escape as _e
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._actions import action_for

VERDICT_ORDER = ('error', 'critical', 'warning', 'ok')
_COLOURS = {'ok': '#1a7f37', 'warning': '#b7791f', 'critical': '#c53030', 'error': '#6b46c1'}
_CSV_FIELDS = ('host', 'address', 'port', 'starttls', 'server_name', 'verdict', 'codes', 'messages', 'actions',
               'leaf_subject', 'leaf_issuer', 'not_after', 'days_left', 'tls_version', 'chain_read_over',
               'served_sha256')
# Above this many endpoints the page groups them by finding, and the flat table starts folded.
GROUP_ABOVE = 50
_RENEW_CODES = ('expired', 'expiring')


def _plain(value):
    """Ansible's tagged and lazy containers, as plain dict/list/str for rendering."""
    return json.loads(json.dumps(value, default=str))


def _endpoints(audit):
    audit = _plain(audit)
    if not isinstance(audit, dict) or not isinstance(audit.get('endpoints'), list):
        raise ValueError('expected the registered result of hkpost.ecert.hkpost_served_chain (a dict with '
                         '"endpoints"), got %s' % kind_of(audit))
    return audit, audit['endpoints']


def _leaf(endpoint):
    served = endpoint.get('served') or []
    return next((c for c in served if not c.get('is_ca')), served[0] if served else None)


def _rank(endpoint):
    """Worst first: verdict, then the soonest expiry, then host and port."""
    verdict = endpoint.get('verdict')
    days = endpoint.get('days_left')
    return (VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else 0,
            days if days is not None else 10 ** 6, str(_host(endpoint)), endpoint.get('port') or 0)


def worst_first(endpoints):
    return sorted(endpoints, key=_rank)


def _host(endpoint):
    return endpoint.get('inventory_name') or endpoint.get('host')


def _service(endpoint):
    if endpoint.get('starttls'):
        return '%s (%s STARTTLS)' % (endpoint.get('port'), endpoint['starttls'].upper())
    return str(endpoint.get('port'))


def _row(endpoint):
    leaf = _leaf(endpoint) or {}
    findings = endpoint.get('findings') or []
    return {
        'host': _host(endpoint), 'address': endpoint.get('host'), 'port': endpoint.get('port'),
        'starttls': endpoint.get('starttls') or '', 'server_name': endpoint.get('server_name'),
        'verdict': endpoint.get('verdict'),
        'codes': ';'.join(f['code'] for f in findings),
        'messages': ' | '.join(f['message'] for f in findings),
        'actions': ' | '.join(f.get('action') or '' for f in findings),
        'leaf_subject': leaf.get('subject_cn') or leaf.get('subject') or '',
        'leaf_issuer': leaf.get('issuer_cn') or leaf.get('issuer') or '',
        'not_after': endpoint.get('not_after') or '',
        'days_left': endpoint.get('days_left') if endpoint.get('days_left') is not None else '',
        'tls_version': endpoint.get('tls_version') or '',
        'chain_read_over': endpoint.get('chain_read_over') or '',
        'served_sha256': ' '.join(c['sha256'] for c in endpoint.get('served') or []),
    }


def rows(audit):
    """One flat row per endpoint, worst first: what the CSV holds and the HTML table shows."""
    _audit, endpoints = _endpoints(audit)
    return [_row(endpoint) for endpoint in worst_first(endpoints)]


def to_renew(audit, generated=None, warn_days=None, revoked=None):
    """The leaf certificates that are expired or expiring, each with the hosts and endpoints serving it.

    Shape (also documented in docs/docsite/rst/served_chain_audit.rst), soonest first::

        {"generated": "...", "warn_days": 30,
         "certificates": [{"sha256", "common_name", "dns_names", "issuer", "not_after", "days_left",
                           "status": "revoked"|"expired"|"expiring", "hosts": [inventory names],
                           "endpoints": [{"host", "address", "port", "starttls", "server_name"}]}],
         "hosts": {inventory name: [{"common_name", "sha256", "status", "days_left"}]}}

    ``revoked``: SHA-256 fingerprints or serial numbers (hex, any case, colons allowed) of leaves the user knows
    are revoked; a served leaf among them is "revoked" - renew now - whatever its dates say.
    """
    _audit, endpoints = _endpoints(audit)
    revoked = {_fingerprint(value) for value in revoked or []} - {None}
    certificates = {}
    for endpoint in endpoints:
        served = {c.get('sha256'): c for c in endpoint.get('served') or []}
        renew = [(f.get('code'), served.get(f.get('certificate'))) for f in endpoint.get('findings') or []]
        renew = [(code, cert) for code, cert in renew if code in _RENEW_CODES]
        for cert in served.values():
            if not cert.get('is_ca') and revoked & {_fingerprint(cert.get('sha256')), _fingerprint(cert.get('serial'))}:
                renew.insert(0, ('revoked', cert))
        for code, cert in renew:
            if not cert or cert.get('is_ca'):
                continue  # intermediates are Hongkong Post's to replace; their findings say what to install
            entry = certificates.setdefault(cert['sha256'], {
                'sha256': cert['sha256'], 'common_name': cert.get('subject_cn') or cert.get('subject'),
                'dns_names': cert.get('dns_names') or [], 'issuer': cert.get('issuer_cn') or cert.get('issuer'),
                'not_after': cert.get('not_after'), 'days_left': endpoint.get('days_left'),
                'status': code, 'hosts': [], 'endpoints': []})
            if any(e['host'] == _host(endpoint) and e['port'] == endpoint.get('port') and e['address'] ==
                   endpoint.get('host') and e['server_name'] == endpoint.get('server_name') for e in entry['endpoints']):
                continue  # revoked and expiring: one certificate, listed once per endpoint
            if _host(endpoint) not in entry['hosts']:
                entry['hosts'].append(_host(endpoint))
            entry['endpoints'].append({'host': _host(endpoint), 'address': endpoint.get('host'),
                                       'port': endpoint.get('port'), 'starttls': endpoint.get('starttls'),
                                       'server_name': endpoint.get('server_name')})
    ordered = sorted(certificates.values(), key=lambda c: (c['status'] != 'revoked',
                                                           c['days_left'] if c['days_left'] is not None else 0,
                                                           str(c['common_name'])))
    by_host = {}
    for entry in ordered:
        entry['hosts'].sort()
        for host in entry['hosts']:
            by_host.setdefault(host, []).append({'common_name': entry['common_name'], 'sha256': entry['sha256'],
                                                 'status': entry['status'], 'days_left': entry['days_left']})
    return {'generated': generated or _now_text(), 'warn_days': warn_days, 'certificates': ordered,
            'hosts': by_host}


def render_to_renew_json(audit, generated=None, warn_days=None, revoked=None):
    return json.dumps(to_renew(audit, generated, warn_days, revoked), indent=2, sort_keys=True,
                      ensure_ascii=False) + '\n'


def _fingerprint(value):
    return str(value or '').replace(':', '').strip().upper().lstrip('0') or None


def _csv_cell(value):
    text = '' if value is None else str(value)
    # A cell starting like a formula is run by spreadsheet programs; server-supplied names must not be.
    return "'" + text if text[:1] in ('=', '+', '-', '@', '\t', '\r') and not text.lstrip('-').isdigit() else text


def render_csv(audit):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_FIELDS, lineterminator='\n')
    writer.writeheader()
    for row in rows(audit):
        writer.writerow({k: _csv_cell(row[k]) for k in _CSV_FIELDS})
    return buffer.getvalue()


def render_json(audit, generated=None):
    audit, _endpoints_ = _endpoints(audit)
    keep = {k: audit[k] for k in ('summary', 'trust', 'endpoints') if k in audit}
    keep['generated'] = generated or _now_text()
    return json.dumps(keep, indent=2, sort_keys=True, ensure_ascii=False) + '\n'


def _now_text():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')


def _summary_html(endpoints):
    counts = {v: 0 for v in VERDICT_ORDER}
    for endpoint in endpoints:
        counts[endpoint.get('verdict')] = counts.get(endpoint.get('verdict'), 0) + 1
    cards = ['<div class="card total"><span class="n" id="count-total">%d</span><span>endpoints</span></div>'
             % len(endpoints)]
    for verdict in ('ok', 'warning', 'critical', 'error'):
        cards.append('<div class="card" style="border-color:%s"><span class="n" id="count-%s" style="color:%s">%d'
                     '</span><span>%s</span></div>' % (_COLOURS[verdict], verdict, _COLOURS[verdict],
                                                       counts.get(verdict, 0), verdict))
    return '<section class="summary">%s</section>' % ''.join(cards)


def _by_finding(endpoints):
    """Finding code -> (severity, endpoints having it, worst first); codes ordered worst severity, then count."""
    groups = {}
    for endpoint in worst_first(endpoints):
        for code in dict.fromkeys(f['code'] for f in endpoint.get('findings') or []):
            severity = next(f['severity'] for f in endpoint['findings'] if f['code'] == code)
            groups.setdefault(code, (severity, []))[1].append(endpoint)
    return sorted(groups.items(), key=lambda item: (VERDICT_ORDER.index(item[1][0]) if item[1][0] in VERDICT_ORDER
                                                    else 0, -len(item[1][1]), item[0]))


def _generic_action(code, members):
    """One sentence for every endpoint having the finding: without the days of any one of them for a leaf's expiry."""
    if code in _RENEW_CODES:
        # A leaf is renewed (the to-renew list), an expiring or expired intermediate replaced with Hongkong Post's
        # current one - to_renew leaves intermediates out. A group holding both says both, the intermediate's in
        # the first (worst) such endpoint's own words.
        leaf = replace = None
        for endpoint in members:
            authorities = {c.get('sha256') for c in endpoint.get('served') or [] if c.get('is_ca')}
            for finding in endpoint.get('findings') or []:
                if finding['code'] != code:
                    continue
                if finding.get('certificate') in authorities:
                    replace = replace or finding.get('action')
                else:
                    leaf = action_for(code)
        return ' '.join(sentence for sentence in (leaf, replace) if sentence)
    for endpoint in members:
        for finding in endpoint.get('findings') or []:
            if finding['code'] == code and finding.get('action'):
                return finding['action']
    return ''


def _findings_html(groups):
    body = ''.join('<tr data-code="%s"><td><span class="badge" style="background:%s">%s</span></td><td><b>%s</b></td>'
                   '<td class="num" id="finding-%s">%d</td><td>%s</td></tr>'
                   % (_e(code), _COLOURS.get(severity, '#555'), _e(severity), _e(code), _e(code), len(members),
                      _e(_generic_action(code, members)))
                   for code, (severity, members) in groups)
    return ('<table id="findings"><thead><tr><th>Severity</th><th>Finding</th><th>Endpoints</th><th>What to do</th>'
            '</tr></thead><tbody>%s</tbody></table>' % body)


def _renew_html(renew):
    if not renew['certificates']:
        return '<p id="to-renew-empty">Nothing expires within the warning period.</p>'
    body = ''.join('<tr class="renew-%s"><td>%s</td><td>%s</td><td>%s</td><td class="num">%s</td><td>%s</td>'
                   '<td class="mono">%s</td></tr>'
                   % (_e(c['status']), _e(c['common_name']), _e(', '.join(c['dns_names'][:6])),
                      _e((c['not_after'] or '')[:10]), _e(c['days_left']), _e(', '.join(c['hosts'])),
                      _e(c['sha256'][:16]))
                   for c in renew['certificates'])
    return ('<table id="to-renew"><thead><tr><th>Certificate</th><th>Names</th><th>Expires</th><th>Days left</th>'
            '<th>Hosts serving it</th><th>SHA-256</th></tr></thead><tbody>%s</tbody></table>'
            '<p class="meta">Machine-readable for renew.yml or your own playbook: fleet-to-renew.json next to '
            'this page.</p>' % body)


def _timeline_svg(endpoints, warn_days):
    """Leaf expiry per endpoint: x = days left (clamped), one lane per verdict, today and warn_days marked."""
    dated = [e for e in endpoints if e.get('days_left') is not None]
    lo, hi = -60, max([400] + [min(int(e['days_left']), 800) for e in dated])
    width, left, right, lane = 960, 90, 20, 34
    height = 40 + lane * 4

    def x(days):
        days = max(lo, min(hi, days))
        return left + (days - lo) * (width - left - right) / float(hi - lo)

    parts = ['<svg id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" '
             'aria-label="Leaf certificate expiry timeline">' % (width, height)]
    for i, verdict in enumerate(VERDICT_ORDER):
        y = 20 + lane * i + lane / 2
        parts.append('<text x="4" y="%.0f" class="lane">%s</text>' % (y + 4, verdict))
        parts.append('<line x1="%d" x2="%d" y1="%.0f" y2="%.0f" class="grid"/>' % (left, width - right, y, y))
    for days in range(0, hi + 1, 90):
        parts.append('<line x1="%.1f" x2="%.1f" y1="14" y2="%d" class="tick"/><text x="%.1f" y="%d" '
                     'class="axis">+%dd</text>' % (x(days), x(days), height - 14, x(days) - 10, height - 2, days))
    parts.append('<rect x="%.1f" y="14" width="%.1f" height="%d" class="warnzone"><title>expiring within %d days'
                 '</title></rect>' % (x(0), x(warn_days) - x(0), height - 28, warn_days))
    parts.append('<line x1="%.1f" x2="%.1f" y1="10" y2="%d" class="today"/><text x="%.1f" y="10" class="axis">'
                 'today</text>' % (x(0), x(0), height - 14, x(0) - 12))
    for index, endpoint in enumerate(dated):
        verdict = endpoint.get('verdict') if endpoint.get('verdict') in VERDICT_ORDER else 'error'
        y = 20 + lane * VERDICT_ORDER.index(verdict) + lane / 2 + ((index % 5) - 2) * 4
        parts.append('<circle class="dot" cx="%.1f" cy="%.1f" r="5" fill="%s"><title>%s:%s (%s) expires %s, %s days'
                     '</title></circle>' % (x(int(endpoint['days_left'])), y, _COLOURS[verdict],
                                            _e(endpoint.get('host')), _e(endpoint.get('port')),
                                            _e(endpoint.get('server_name')), _e(endpoint.get('not_after')),
                                            _e(endpoint.get('days_left'))))
    parts.append('</svg>')
    return ''.join(parts)


_COLUMNS = (('verdict', 'Verdict', 'rank'), ('host', 'Host', 'text'), ('address', 'Address', 'text'),
            ('port', 'Port', 'num'), ('server_name', 'Server name', 'text'), ('codes', 'Findings and what to do', 'text'),
            ('leaf_subject', 'Leaf', 'text'), ('leaf_issuer', 'Issuer', 'text'), ('not_after', 'Expires', 'text'),
            ('days_left', 'Days left', 'num'), ('tls_version', 'TLS', 'text'))


def _cells(endpoint, only_code=None):
    row = _row(endpoint)
    cells = []
    for key, _label, kind in _COLUMNS:
        value = row[key]
        if key == 'verdict':
            sort = VERDICT_ORDER.index(value) if value in VERDICT_ORDER else 0
            shown = '<span class="badge" style="background:%s">%s</span>' % (_COLOURS.get(value, '#555'), _e(value))
        elif key == 'codes':
            sort = value
            shown = '<ul>%s</ul>' % ''.join('<li><b>%s</b> %s<div class="action">%s</div></li>'
                                            % (_e(f['code']), _e(f['message']), _e(f.get('action')))
                                            for f in endpoint.get('findings') or []
                                            if only_code is None or f['code'] == only_code)
        elif key == 'port':
            sort = value
            shown = _e(_service(endpoint))
        elif key == 'not_after':
            sort = value
            shown = '<time datetime="%s">%s</time>' % (_e(value), _e(value[:10]))
        else:
            sort = value if value != '' else (99999 if kind == 'num' else '')
            shown = _e(value)
        cells.append('<td data-sort="%s">%s</td>' % (_e(sort), shown))
    return '<tr class="v-%s">%s</tr>' % (_e(row['verdict']), ''.join(cells))


def _head():
    return ''.join('<th data-key="%s" data-type="%s" tabindex="0">%s<span class="arrow"></span></th>'
                   % (key, kind, label) for key, label, kind in _COLUMNS)


def _table_html(endpoints):
    body = ''.join(_cells(endpoint) for endpoint in worst_first(endpoints))
    return '<table id="endpoints"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (_head(), body)


def _groups_html(groups):
    """One folding section per finding, worst first; ``ok`` starts folded so problems read first."""
    parts = []
    for code, (severity, members) in groups:
        parts.append('<details class="group" data-code="%s"%s><summary><span class="badge" style="background:%s">%s'
                     '</span> <b>%s</b> &middot; %d endpoint%s &middot; %s</summary><table class="grouped"><thead><tr>'
                     '%s</tr></thead><tbody>%s</tbody></table></details>'
                     % (_e(code), '' if code == 'ok' else ' open', _COLOURS.get(severity, '#555'), _e(severity),
                        _e(code), len(members), '' if len(members) == 1 else 's', _e(_generic_action(code, members)),
                        _head(), ''.join(_cells(endpoint, only_code=code) for endpoint in members)))
    return '<section id="by-finding">%s</section>' % ''.join(parts)


_CSS = SORTABLE_TABLE_CSS + """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1a202c;background:#fff}
h1{font-size:22px;margin:0 0 4px}.meta{color:#4a5568;margin-bottom:16px}
.summary{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:20px}
.card{border:2px solid #cbd5e0;border-radius:8px;padding:10px 18px;min-width:90px;display:flex;flex-direction:column}
.card .n{font-size:28px;font-weight:700}
svg{width:100%;max-width:960px;height:auto;border:1px solid #e2e8f0;border-radius:6px;margin-bottom:20px}
.lane,.axis{font-size:11px;fill:#4a5568}.grid{stroke:#edf2f7}.tick{stroke:#e2e8f0}
.today{stroke:#2d3748;stroke-dasharray:4 3}.warnzone{fill:#fefcbf;opacity:.6}
td ul{margin:0;padding-left:16px}
.action{color:#2b6cb0}.action:before{content:"\\2192  "}.num{text-align:right}.mono{font-family:monospace}
#findings,#to-renew{width:auto;margin-bottom:20px}details.group{margin-bottom:12px}
details.group summary{cursor:pointer;padding:6px 0;font-size:15px}tr.renew-expired td:first-child{color:#c53030}
"""

# The endpoints table sorts by a header click; the verdict column's data-sort is its rank (worst first).
_JS = sort_script('#endpoints', numeric=('num', 'rank'))


def render_html(audit, title='TLS chain audit', generated=None, warn_days=30, group_above=GROUP_ABOVE):
    """The whole report page as one string; above ``group_above`` endpoints they are grouped by finding."""
    audit, endpoints = _endpoints(audit)
    groups = _by_finding(endpoints)
    grouped = len(endpoints) > group_above
    table = _table_html(endpoints)
    return ''.join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        '<title>%s</title><style>%s</style></head><body>' % (_e(title), _CSS),
        '<h1>%s</h1><div class="meta">Generated %s by hkpost.ecert.hkpost_served_chain &middot; trust: %s &middot; '
        'chains as sent by each server, not as repaired by a client</div>'
        % (_e(title), _e(generated or _now_text()), _e(audit.get('trust', ''))),
        _summary_html(endpoints),
        '<h2>Findings</h2>', _findings_html(groups),
        '<h2>To renew</h2>', _renew_html(to_renew(audit, generated, warn_days)),
        '<h2>Leaf expiry</h2>', _timeline_svg(endpoints, warn_days),
        ('<h2>Endpoints by finding</h2>%s<details id="all-endpoints"><summary>All %d endpoints, worst first '
         '(sortable)</summary>%s</details>' % (_groups_html(groups), len(endpoints), table)) if grouped else
        ('<h2>Endpoints, worst first</h2>' + table),
        '<script>%s</script></body></html>\n' % _JS,
    ])
