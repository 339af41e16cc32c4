# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet inventory model (_fleet.build) as files: one self-contained HTML page, CSV, JSON and the renewal
forecast JSON.

The page reads on a phone: below 720 px every table turns into one card per row, each cell labelled, and the
forecast plot (inline SVG) scales to the width. The order leads to action: counts, what to clean up, the
renewal workload, then the certificates (leaves, sortable; CA and root certificates folded), then the hosts.
Every value that came from a host or a server is escaped; nothing is fetched from the network.
"""

from __future__ import annotations

import csv
import io
import json

from ansible_collections.hkpost.ecert.plugins.module_utils._html_page import SORTABLE_TABLE_CSS, sort_script
from ansible_collections.hkpost.ecert.plugins.module_utils._html_page import escape as _e
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import _csv_cell

CSV_FIELDS = ('host', 'store', 'thumbprint', 'sha256', 'common_name', 'dns_names', 'issuer', 'is_hkpost',
              'generation', 'not_after', 'days_left', 'status', 'has_private_key', 'key_provider', 'exportable',
              'consumers', 'served', 'stale')
_STATUS_COLOURS = {'expired': '#c53030', 'expiring': '#b7791f', 'valid': '#1a7f37'}
_REASON_TEXT = {'expired': 'Expired', 'superseded': 'Superseded by a newer certificate for the same names',
                'orphaned_key': 'Orphaned keys (requests left over or without their key)',
                'old_pending_request': 'Pending requests older than the limit'}


def _dumps(value):
    # Compact: with an indent Python's json falls back to its pure-Python encoder, 5x slower on a fleet of
    # 20,000 certificates; jq or any JSON viewer lays it out.
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(',', ':')) + '\n'


def render_json(model):
    return _dumps({k: v for k, v in model.items() if k != 'forecast'})


def render_forecast_json(model):
    return _dumps(model['forecast'])


def render_csv(model):
    """One row per certificate per host and store that holds it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\n')
    writer.writerow(CSV_FIELDS)
    for cert in model['certificates']:
        for held in cert['held']:
            consumers = '; '.join(c['kind'] + ': ' + c['name'] for c in cert['consumers'] if c['host'] == held['host'])
            served = ('served' if held['host'] in cert['served_on'] else 'not served'
                      if held['host'] in cert['not_served_on'] else '')
            stale = '; '.join(s for s in cert['stale'] if ' on %s (' % held['host'] in s)
            row = (held['host'], held['store'], cert['thumbprint'], cert['sha256'], cert['common_name'],
                   ' '.join(cert['dns_names']), cert['issuer'], cert['is_hkpost'], cert['generation'] or '',
                   cert['not_after'], cert['days_left'], cert['status'], held['has_private_key'],
                   held['key_provider'] or '', '' if held['exportable'] is None else held['exportable'],
                   consumers, served, stale)
            writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def _cards(summary):
    items = [('hosts', '%d/%d' % (summary['hosts_read'], summary['hosts']), 'hosts read', '#2d3748'),
             ('leaves', summary['leaf_certificates'], 'leaf certificates', '#2d3748'),
             ('in-use', summary['in_use'], 'in use', '#2b6cb0'),
             ('expiring', summary['expiring'], 'expiring', _STATUS_COLOURS['expiring']),
             ('expired', summary['expired'], 'expired', _STATUS_COLOURS['expired']),
             ('old-generation', summary['old_generation'], 'under the old intermediate', '#6b46c1'),
             ('stale', summary['stale'], 'to clean up', '#4a5568'),
             ('not-served', summary['not_served'], 'held but not served', '#c05621'),
             ('dangling', summary['dangling_consumers'], 'consumers pointing at nothing', '#c53030')]
    return '<section class="summary">%s</section>' % ''.join(
        '<div class="card" style="border-color:%s"><span class="n" id="count-%s" style="color:%s">%s</span>'
        '<span>%s</span></div>' % (colour, key, colour, _e(value), _e(label)) for key, value, label, colour in items)


def _table(table_id, head, rows, classes='cards'):
    """A table whose cells carry their column label (data-label), shown before each value on a phone."""
    labels = [label for label, _kind in head]
    header = ''.join('<th data-type="%s" tabindex="0">%s<span class="arrow"></span></th>' % (kind, _e(label))
                     for label, kind in head)
    body = []
    for row_class, cells in rows:
        body.append('<tr%s>%s</tr>' % (' class="%s"' % row_class if row_class else '', ''.join(
            '<td data-label="%s" data-sort="%s">%s</td>' % (labels[i], _e(sort), shown)
            for i, (sort, shown) in enumerate(cells))))
    return '<table id="%s" class="%s"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (
        table_id, classes, header, ''.join(body))


def _stale_html(model):
    stale = model['stale']
    if not stale:
        return '<p id="stale-empty">Nothing to clean up.</p>'
    groups = {}
    for item in stale:
        groups.setdefault(item['reason'], []).append(item)
    parts = []
    for reason, items in groups.items():
        rows = [('in-use' if s['in_use'] else '', [
            (s['host'], _e(s['host'])), (s['store'], _e(s['store'])),
            (s['common_name'], '%s<div class="mono">%s</div>' % (_e(s['common_name']), _e(s['thumbprint']))),
            (s['detail'], _e(s['detail'])),
            (len(s['in_use']), ('<b>in use - move it first:</b> %s' % _e('; '.join(s['in_use']))) if s['in_use']
             else 'nothing uses it')]) for s in items]
        parts.append('<details class="stale" data-reason="%s"%s><summary><b>%s</b> &middot; <span class="n">%d</span>'
                     '</summary>%s</details>' % (
                         _e(reason), ' open' if len(items) <= 200 else '', _e(_REASON_TEXT.get(reason, reason)),
                         len(items), _table('stale-%s' % reason, [('Host', 'text'), ('Store', 'text'),
                                                                  ('Certificate', 'text'), ('Why', 'text'),
                                                                  ('Used by', 'num')], rows)))
    return ''.join(parts)


def _forecast_svg(forecast):
    """Renewals due per week, stacked: Hongkong Post (portal sessions marked) and other issuers."""
    weeks = forecast['weeks']
    top = max([1] + [w['due'] for w in weeks])
    width, height, left, bottom, right = 720, 220, 34, 28, 8
    plot_w, plot_h = width - left - right, height - bottom - 12
    bar_width = plot_w / float(max(1, len(weeks)))

    def y(value):
        return 12 + plot_h - plot_h * value / float(top)

    parts = ['<svg id="forecast-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" '
             'aria-label="Certificates due for renewal per week">' % (width, height)]
    for tick in sorted({0, top // 2, top}):
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" class="grid"/><text x="%d" y="%.1f" class="axis" '
                     'text-anchor="end">%d</text>' % (left, width - right, y(tick), y(tick), left - 4, y(tick) + 4, tick))
    for week in weeks:
        x = left + bar_width * week['week']
        if week['hkpost']:
            parts.append('<rect class="bar hk" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>week of %s: %d '
                         'Hongkong Post, %d portal session(s)</title></rect>' % (
                             x + 1, y(week['hkpost']), max(1.0, bar_width - 2), y(0) - y(week['hkpost']), week['start'],
                             week['hkpost'], week['portal_sessions']))
        if week['other']:
            parts.append('<rect class="bar other" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>week of %s: %d '
                         'other issuers</title></rect>' % (x + 1, y(week['due']), max(1.0, bar_width - 2),
                                                           y(week['hkpost']) - y(week['due']), week['start'],
                                                           week['other']))
        if week['start'][8:10] <= '07':
            parts.append('<text x="%.1f" y="%d" class="axis">%s</text>' % (x, height - 8, week['start'][:7]))
    parts.append('</svg>')
    return ''.join(parts)


def _forecast_html(forecast):
    totals = forecast['totals']
    rows = [('', [(w['start'], '%s &ndash; %s' % (_e(w['start']), _e(w['end'][5:]))), (w['due'], w['due']),
                  (w['hkpost'], w['hkpost']), (w['portal_sessions'], w['portal_sessions']), (w['other'], w['other']),
                  (w['overdue'] + w['subscription_ended'], _e('%s%s' % (
                      '%d overdue ' % w['overdue'] if w['overdue'] else '',
                      '%d new subscription' % w['subscription_ended'] if w['subscription_ended'] else '')))])
            for w in forecast['weeks'] if w['due']]
    return ''.join([
        '<p class="meta" id="forecast-totals">Next %d weeks: <b>%d</b> renewals (%d Hongkong Post in <b>%d</b> portal '
        'sessions, %d other issuers); busiest week %s with %d. Rule: %s.</p>' % (
            len(forecast['weeks']), totals['renewals'], totals['hkpost'], totals['portal_sessions'], totals['other'],
            _e(totals['busiest_week'] or '-'), totals['busiest_week_due'], _e(forecast['rule'])),
        _forecast_svg(forecast),
        '<details id="forecast-weeks"><summary>Weeks with renewals due (%d)</summary>%s</details>' % (
            len(rows), _table('forecast', [('Week', 'text'), ('Due', 'num'), ('Hongkong Post', 'num'),
                                           ('Portal sessions', 'num'), ('Other issuers', 'num'), ('Notes', 'text')],
                              rows)),
        '<p class="meta">For planning: renewal-forecast.json next to this page.</p>'])


def _list(values, limit=5):
    values = list(values)
    shown = ', '.join(_e(v) for v in values[:limit])
    return shown + (' <i>+%d more</i>' % (len(values) - limit) if len(values) > limit else '')


def _cert_rows(certificates):
    for cert in certificates:
        consumers = ['%s (%s)' % (c['name'], c['host']) for c in cert['consumers']]
        keys = sorted({'%s%s' % (h['key_provider'] or ('no key' if not h['has_private_key'] else 'key unreadable'),
                                 '' if h['exportable'] is None else (', exportable' if h['exportable']
                                                                     else ', not exportable'))
                       for h in cert['held']})
        generation = (' &middot; <b>%s</b> intermediate' % _e(cert['generation'])) if cert['generation'] else ''
        served = _e(cert['served']) + (': %s' % _list(cert['not_served_on']) if cert['not_served_on'] else '')
        yield ('s-%s' % cert['status'], [
            (cert['common_name'], '<b>%s</b><div class="names">%s</div><div class="mono">%s</div>' % (
                _e(cert['common_name']), _list(cert['dns_names'], 4), _e(cert['thumbprint']))),
            (cert['issuer'], '%s%s' % (_e(cert['issuer']), generation)),
            (cert['days_left'] if cert['days_left'] is not None else -99999,
             '<span class="badge" style="background:%s">%s</span> %s' % (
                 _STATUS_COLOURS[cert['status']], _e(cert['days_left']), _e((cert['not_after'] or '')[:10]))),
            (len(cert['hosts']), '%d: %s' % (len(cert['hosts']), _list(cert['hosts']))),
            (', '.join(cert['stores']), _e(', '.join(cert['stores']))),
            (len(consumers), _list(consumers, 4) or '<i>none</i>'),
            (cert['served'], served),
            (', '.join(keys), _e('; '.join(keys))),
        ])


_CERT_HEAD = [('Certificate', 'text'), ('Issuer', 'text'), ('Days left', 'num'), ('Hosts', 'num'),
              ('Stores', 'text'), ('Used by', 'num'), ('Served', 'text'), ('Key', 'text')]


def _hosts_html(hosts):
    rows = []
    for host in hosts:
        problems = ['%s: %s' % (k, v) for k, v in sorted(host['sources'].items()) if str(v).startswith('error')]
        problems += ['%s points at %s, which this host does not hold' % (d['name'], d['thumbprint'])
                     for d in host['dangling']]
        rows.append(('' if host['read'] else 'unread', [
            (host['host'], _e(host['host'])), (host['certificates'], host['certificates']),
            (host['consumers'], host['consumers']),
            (len(problems) + (0 if host['read'] else 1000),
             _e(host['error']) if not host['read'] else (_list(problems, 6) or 'ok'))]))
    return _table('hosts', [('Host', 'text'), ('Certificates', 'num'), ('Consumers', 'num'), ('Problems', 'num')],
                  rows)


_CSS = SORTABLE_TABLE_CSS + """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:20px;color:#1a202c;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:22px 0 8px}.meta{color:#4a5568;margin:4px 0 12px}
.summary{display:flex;gap:10px;flex-wrap:wrap}.card{border:2px solid #cbd5e0;border-radius:8px;padding:8px 14px;
min-width:84px;display:flex;flex-direction:column}.card .n{font-size:26px;font-weight:700}
svg{width:100%;max-width:720px;height:auto;border:1px solid #e2e8f0;border-radius:6px}
.axis{font-size:11px;fill:#4a5568}.grid{stroke:#edf2f7}.bar.hk{fill:#2b6cb0}.bar.other{fill:#a0aec0}
th,td{overflow-wrap:break-word}.mono{font-family:monospace;font-size:12px;
color:#4a5568;word-break:break-all}.names{color:#4a5568}details{margin:8px 0}summary{cursor:pointer;padding:4px 0}
tr.in-use td:last-child{color:#c05621}tr.unread td{color:#c53030}
@media (max-width:720px){body{margin:10px}table.cards thead{display:none}table.cards,table.cards tbody,
table.cards tr,table.cards td{display:block;width:auto}table.cards tr{border:1px solid #e2e8f0;border-radius:8px;
margin:0 0 10px;padding:4px 8px}table.cards td{border:0;padding:3px 0;overflow-wrap:anywhere}table.cards td:before{content:attr(data-label);
display:block;font-size:11px;color:#718096;text-transform:uppercase}.card{min-width:70px;padding:6px 10px}}
"""

# Every table of certificates sorts by a header click.
_JS = sort_script('table.cards')


def render_html(model, title='Certificate inventory', generated=None):
    summary = model['summary']
    leaves = [c for c in model['certificates'] if not c['is_ca']]
    authorities = [c for c in model['certificates'] if c['is_ca']]
    audit_note = ('joined with the served-chain audit' if summary['audited'] else
                  'no served-chain audit given: run audit.yml first to compare held with served')
    served_not_held = model['served_not_held']
    mismatch = ''
    if served_not_held:
        mismatch = '<h2>Served but not held</h2><p class="meta">These endpoints serve a certificate their host does ' \
                   'not hold (a load balancer in front, or a binding elsewhere).</p>' + _table(
                       'served-not-held', [('Host', 'text'), ('Endpoint', 'text'), ('Serves', 'text')],
                       [('', [(s['host'], _e(s['host'])), (s['endpoint'], _e(s['endpoint'])),
                              (s['subject_cn'], '%s <span class="mono">%s</span>' % (_e(s['subject_cn']),
                                                                                     _e((s['sha256'] or '')[:16])))])
                        for s in served_not_held])
    return ''.join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        '<title>%s</title><style>%s</style></head><body>' % (_e(title), _CSS),
        '<h1>%s</h1><div class="meta">As of %s%s by hkpost.ecert.hkpost_certificate_inventory &middot; %s</div>' % (
            _e(title), _e(model['today']), (' (generated %s)' % _e(generated)) if generated else '', _e(audit_note)),
        _cards(summary),
        '<h2>To clean up</h2>', _stale_html(model),
        '<h2>Renewal workload</h2>', _forecast_html(model['forecast']),
        mismatch,
        '<h2>Certificates in use and held</h2><p class="meta">Leaf certificates, soonest expiry first (sortable); '
        'CSV and JSON next to this page.</p>',
        _table('certificates', _CERT_HEAD, _cert_rows(leaves)),
        '<details id="authorities"><summary>CA and root certificates (%d)</summary>%s</details>' % (
            len(authorities), _table('authorities-table', _CERT_HEAD, _cert_rows(authorities))),
        '<h2>Hosts</h2>', _hosts_html(model['hosts']),
        '<script>%s</script></body></html>\n' % _JS,
    ])
