# -*- coding: utf-8 -*-
"""The certificate inventory files' rules (inventory/_report, issue 21): what a reader of the page, the CSV and the
JSON sees, cell by cell.

The models are written by hand in the shape inventory/_fleet.build returns (its certificate entry, L112-123 and
L164-166; its host entry, L95-101; its return, L183-185) and the forecast in the shape inventory/_forecast.forecast
returns (L90-93, L122-133). The page is parsed (html.parser) into a small tree, so each test reads the cells, the
rows and the plot the way a browser lays them out, not the markup text.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._report import (
    render_csv, render_forecast_json, render_html, render_json)

IIS_PROVIDER = 'Microsoft RSA SChannel Cryptographic Provider'


# -- models -------------------------------------------------------------------------------------------------------

def held(host='web1', store='My', has_private_key=True, key_provider=IIS_PROVIDER, exportable=None):
    return {'host': host, 'store': store, 'has_private_key': has_private_key, 'key_provider': key_provider,
            'exportable': exportable, 'key_error': None, 'friendly_name': None}


def cert(cn='www.example.hk', n=1, holders=None, **extra):
    holders = [held()] if holders is None else holders
    entry = {'sha256': ('%02x' % n) * 32, 'thumbprint': ('%02X' % n) * 20, 'common_name': cn, 'dns_names': [cn],
             'issuer': 'Hongkong Post e-Cert SSL CA 3 - 22', 'is_hkpost': True, 'generation': 'new', 'role': 'leaf',
             'is_ca': False, 'self_signed': False, 'not_before': '2026-01-01T00:00:00+00:00',
             'not_after': '2027-04-01T00:00:00+00:00', 'key': 'RSA 2048', 'days_left': 120,
             'hosts': sorted({h['host'] for h in holders}), 'stores': sorted({h['store'] for h in holders}),
             'held': holders, 'consumers': [], 'served_on': [], 'not_served_on': [], 'not_audited_on': [],
             'stale': [], 'error': None, 'served': 'no audit given', 'status': 'valid'}
    entry.update(extra)
    return entry


def host(name='web1', read=True, **extra):
    entry = {'host': name, 'read': read, 'error': None if read else 'Connection refused',
             'certificates': 3 if read else 0, 'consumers': 1 if read else 0, 'dangling': [], 'sources': {}}
    entry.update(extra)
    return entry


def stale_item(reason='expired', host_name='web1', n=1, in_use=(), detail='expired on 2026-01-01'):
    return {'reason': reason, 'host': host_name, 'store': 'My', 'thumbprint': ('%02X' % n) * 20,
            'sha256': ('%02x' % n) * 32, 'common_name': 'c%d.example.hk' % n, 'detail': detail, 'in_use': list(in_use)}


def week(i, start, due_hk=0, due_other=0, overdue=0, subscription_ended=0, end=None):
    return {'week': i, 'start': start, 'end': end or start, 'due': due_hk + due_other, 'hkpost': due_hk,
            'other': due_other, 'overdue': overdue, 'subscription_ended': subscription_ended,
            'portal_sessions': 1 if due_hk else 0, 'certificates': []}


def forecast(weeks=()):
    weeks = list(weeks)
    busiest = max(weeks, key=lambda w: (w['due'], -w['week'])) if weeks else None
    return {'today': '2026-11-30', 'weeks': weeks, 'certificates': [], 'rule': 'two thirds of the life',
            'fraction': 2.0 / 3, 'margin_days': 30, 'batch': 0, 'schedule': [],
            'totals': {'renewals': sum(w['due'] for w in weeks), 'hkpost': sum(w['hkpost'] for w in weeks),
                       'other': sum(w['other'] for w in weeks),
                       'portal_sessions': sum(w['portal_sessions'] for w in weeks), 'overdue': 0,
                       'subscription_ended': 0,
                       'busiest_week': busiest['start'] if busiest and busiest['due'] else None,
                       'busiest_week_due': busiest['due'] if busiest else 0}}


def model(certificates=(), stale=(), hosts=None, served_not_held=(), plan=None, audited=False):
    certificates, stale = list(certificates), list(stale)
    hosts = [host()] if hosts is None else hosts
    summary = {'hosts': len(hosts), 'hosts_read': sum(1 for h in hosts if h['read']), 'certificates': len(certificates),
               'leaf_certificates': sum(1 for c in certificates if not c['is_ca']), 'in_use': 0, 'hkpost': 0,
               'old_generation': 0, 'expired': 0, 'expiring': 0, 'stale': len(stale), 'stale_by_reason': {},
               'pending_requests': 0, 'dangling_consumers': 0, 'not_served': 0,
               'served_not_held': len(served_not_held), 'audited': audited}
    return {'today': '2026-11-30', 'warn_days': 30, 'pending_days': 30, 'summary': summary, 'hosts': hosts,
            'certificates': certificates, 'stale': stale, 'pending_requests': [],
            'served_not_held': list(served_not_held), 'forecast': plan or forecast()}


# -- reading the page -------------------------------------------------------------------------------------------

class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return ''.join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag=None, **attrs):
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and all(child.attrs.get(k.replace('_', '-')) == v
                                                             for k, v in attrs.items()):
                    yield child
                yield from child.all(tag, **attrs)

    def one(self, tag=None, **attrs):
        (found,) = list(self.all(tag, **attrs))
        return found

    def num(self, name):
        return float(self.attrs[name])


class _Tree(HTMLParser):
    VOID = ('meta', 'br', 'hr', 'img', 'input', 'link')

    def __init__(self):
        HTMLParser.__init__(self)
        self.root = self.node = Node('#document', {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.node)
        self.node.children.append(node)
        if tag not in self.VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Node(tag, attrs, self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, 'a </%s> closes nothing' % tag
        self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def page(the_model, **options):
    tree = _Tree()
    tree.feed(render_html(the_model, **options))
    tree.close()
    return tree.root


def table(root, table_id):
    """The rows of a table as a reader sees them: [(row class or None, {column label: cell})]."""
    found = root.one('table', id=table_id)
    return [(tr.attrs.get('class') or None, {td.attrs['data-label']: td for td in tr.all('td')})
            for tr in found.one('tbody').all('tr')]


def cells(root, table_id, label):
    return [row[label].text() for _cls, row in table(root, table_id)]


def csv_rows(the_model):
    return list(csv.DictReader(io.StringIO(render_csv(the_model))))


# -- JSON -------------------------------------------------------------------------------------------------------

def test_the_json_files_list_their_keys_sorted_so_two_runs_diff_line_by_line():
    the_model = model([cert(consumers=[{'name': 'b', 'kind': 'iis', 'host': 'web1', 'ports': [], 'server_name': None}])])
    seen = []

    def pairs(items):
        seen.append([k for k, _v in items])
        return dict(items)

    json.loads(render_json(the_model), object_pairs_hook=pairs)
    json.loads(render_forecast_json(the_model), object_pairs_hook=pairs)
    assert seen and all(keys == sorted(keys) for keys in seen)


def test_the_json_files_keep_chinese_names_readable_not_escaped():
    name = '香港郵政.hk'
    the_model = model([cert(name)])
    the_model['forecast']['certificates'] = [{'common_name': name}]
    assert name in render_json(the_model) and name in render_forecast_json(the_model)
    assert json.loads(render_json(the_model))['certificates'][0]['common_name'] == name


# -- CSV: one row per host and store ----------------------------------------------------------------------------

def test_csv_served_column_says_served_not_served_or_nothing_for_each_host():
    the_model = model([cert(holders=[held('web1'), held('web2'), held('web3')], served_on=['web1'],
                            not_served_on=['web2'], not_audited_on=['web3'])])
    assert [(r['host'], r['served']) for r in csv_rows(the_model)] == [
        ('web1', 'served'), ('web2', 'not served'), ('web3', '')]


def test_csv_stale_column_lists_only_what_is_stale_on_the_rows_host():
    the_model = model([cert(holders=[held('web1'), held('web10'), held('web2')],
                            stale=['superseded on web1 (My)', 'expired on web10 (WebHosting)'])])
    assert [(r['host'], r['stale']) for r in csv_rows(the_model)] == [
        ('web1', 'superseded on web1 (My)'), ('web10', 'expired on web10 (WebHosting)'), ('web2', '')]


def test_csv_generation_key_provider_and_exportable_are_blank_when_unknown():
    the_model = model([
        cert('old.example.hk', 1, generation='old', holders=[held(exportable=True), held('web2', exportable=False)]),
        cert('other.example.hk', 2, generation=None, is_hkpost=False,
             holders=[held(key_provider=None, has_private_key=False)])])
    got = [(r['common_name'], r['host'], r['generation'], r['key_provider'], r['exportable']) for r in csv_rows(the_model)]
    assert got == [('old.example.hk', 'web1', 'old', IIS_PROVIDER, 'True'),
                   ('old.example.hk', 'web2', 'old', IIS_PROVIDER, 'False'),
                   ('other.example.hk', 'web1', '', '', '')]


# -- to clean up ------------------------------------------------------------------------------------------------

def test_nothing_to_clean_up_is_said_only_when_nothing_is_stale():
    empty = page(model())
    assert empty.one('p', id='stale-empty').text() == 'Nothing to clean up.'
    assert not list(empty.all('details', **{'class': 'stale'}))
    some = page(model(stale=[stale_item()]))
    assert not list(some.all('p', id='stale-empty'))
    assert some.one('details', data_reason='expired').one('summary').text() == 'Expired · 1'


def test_a_stale_entry_still_in_use_is_flagged_with_what_to_move_first():
    root = page(model(stale=[stale_item('superseded', n=1, in_use=['IIS site "a" binding *:443:', 'SQL Server']),
                             stale_item('superseded', n=2)]))
    rows = table(root, 'stale-superseded')
    assert [cls for cls, _row in rows] == ['in-use', None]
    assert [row['Used by'].text() for _cls, row in rows] == [
        'in use - move it first: IIS site "a" binding *:443:; SQL Server', 'nothing uses it']
    assert [row['Used by'].attrs['data-sort'] for _cls, row in rows] == ['2', '0']
    assert rows[0][1]['Certificate'].text() == 'c1.example.hk' + '01' * 20


def test_a_reason_with_up_to_200_entries_opens_and_a_longer_one_is_folded():
    root = page(model(stale=[stale_item('expired', n=i % 250) for i in range(200)]
                      + [stale_item('superseded', n=i % 250) for i in range(201)]))
    assert 'open' in root.one('details', data_reason='expired').attrs
    assert 'open' not in root.one('details', data_reason='superseded').attrs
    assert root.one('details', data_reason='superseded').one('summary').text() == \
        'Superseded by a newer certificate for the same names · 201'


# -- renewal workload: the plot ---------------------------------------------------------------------------------

def svg(root):
    return root.one('svg', id='forecast-plot')


def test_every_bar_and_label_of_the_plot_is_inside_the_svg():
    weeks = [week(0, '2026-11-30', due_hk=1), week(1, '2026-12-07', due_other=2)]
    root = page(model(plan=forecast(weeks)))
    plot = svg(root)
    assert len(list(plot.all('rect'))) == 2 and len(list(root.all('rect'))) == 2
    assert [t.text() for t in plot.all('text', **{'class': 'axis'}) if '-' in t.text()] == ['2026-12']


def test_the_axis_is_marked_at_zero_half_and_the_busiest_week():
    def ticks(weeks):
        return [t.text() for t in svg(page(model(plan=forecast(weeks)))).all('text', text_anchor='end')]

    assert ticks([week(0, '2026-11-30', due_hk=4, due_other=6), week(1, '2026-12-07', due_hk=1)]) == ['0', '5', '10']
    assert ticks([week(0, '2026-11-30', due_hk=3)]) == ['0', '1', '3']
    # Nothing due: the axis still runs from 0 to 1 (no division by zero, no lone 0).
    assert ticks([week(0, '2026-11-30'), week(1, '2026-12-07')]) == ['0', '1']
    assert ticks([]) == ['0', '1']


def test_the_plot_layout_bars_stack_hongkong_post_under_other_issuers_to_scale():
    """A 720 x 220 plot: 34 units on the left for the axis labels, 8 on the right, 12 on top, 28 below for the
    month labels. The weeks tile the plot's width (a unit of gap each side); a bar's height is its count over the
    busiest week's, Hongkong Post at the bottom, other issuers on top."""
    weeks = [week(0, '2026-11-30', due_hk=2, due_other=2), week(1, '2026-12-07', due_hk=1),
             week(2, '2026-12-14'), week(3, '2026-12-21', due_other=1)]
    plot = svg(page(model(plan=forecast(weeks))))
    assert plot.attrs['viewbox'] == '0 0 720 220'
    bars = [(r.attrs['class'], r.num('x'), r.num('y'), r.num('width'), r.num('height'), r.one('title').text())
            for r in plot.all('rect')]
    # 678 wide / 4 weeks = 169.5 each; 180 high, the busiest week 4 due: 45 per certificate, baseline at y=192.
    assert bars == [
        ('bar hk', 35.0, 102.0, 167.5, 90.0, 'week of 2026-11-30: 2 Hongkong Post, 1 portal session(s)'),
        ('bar other', 35.0, 12.0, 167.5, 90.0, 'week of 2026-11-30: 2 other issuers'),
        ('bar hk', 204.5, 147.0, 167.5, 45.0, 'week of 2026-12-07: 1 Hongkong Post, 1 portal session(s)'),
        ('bar other', 543.5, 147.0, 167.5, 45.0, 'week of 2026-12-21: 1 other issuers')]
    grid = [(g.num('x1'), g.num('x2'), g.num('y1'), g.num('y2')) for g in plot.all('line', **{'class': 'grid'})]
    assert grid == [(34.0, 712.0, 192.0, 192.0), (34.0, 712.0, 102.0, 102.0), (34.0, 712.0, 12.0, 12.0)]
    # The tick labels end 4 units left of the plot, a third of the 11-unit font below their grid line.
    labels = [(t.num('x'), t.num('y'), t.text()) for t in plot.all('text', text_anchor='end')]
    assert labels == [(30.0, 196.0, '0'), (30.0, 106.0, '2'), (30.0, 16.0, '4')]
    months = [(t.num('x'), t.num('y'), t.text()) for t in plot.all('text') if 'text-anchor' not in t.attrs]
    assert months == [(203.5, 212.0, '2026-12')]


def test_a_week_draws_a_bar_only_for_the_issuers_that_have_renewals_due():
    weeks = [week(0, '2026-11-30', due_hk=1), week(1, '2026-12-07', due_other=1), week(2, '2026-12-14')]
    plot = svg(page(model(plan=forecast(weeks))))
    assert [(r.attrs['class'], r.one('title').text()[:18]) for r in plot.all('rect')] == [
        ('bar hk', 'week of 2026-11-30'), ('bar other', 'week of 2026-12-07')]


def test_a_month_is_labelled_under_the_first_week_starting_in_it():
    weeks = [week(0, '2026-11-30'), week(1, '2026-12-07'), week(2, '2026-12-14'), week(3, '2026-12-28'),
             week(4, '2027-01-04'), week(5, '2027-01-08'), week(6, '2027-02-01')]
    plot = svg(page(model(plan=forecast(weeks))))
    months = [t.text() for t in plot.all('text') if 'text-anchor' not in t.attrs]
    # Weeks start on Mondays: the one starting on day 1 to 7 is the month's first (2027-01-08 is a made-up
    # eighth day, to show the limit).
    assert months == ['2026-12', '2027-01', '2027-02']


# -- renewal workload: the numbers ------------------------------------------------------------------------------

def test_the_weeks_table_reads_week_start_to_end_day_with_its_counts_and_notes():
    weeks = [week(0, '2026-11-30', due_hk=2, due_other=1, overdue=2, end='2026-12-06'),
             week(1, '2026-12-07', due_hk=1, subscription_ended=1, end='2026-12-13'),
             week(2, '2026-12-14', due_other=3, overdue=1, subscription_ended=1, end='2026-12-20'),
             week(3, '2026-12-21', due_other=1, end='2026-12-27'),
             week(4, '2026-12-28', end='2027-01-03')]
    root = page(model(plan=forecast(weeks)))
    rows = table(root, 'forecast')
    assert [row['Week'].text() for _cls, row in rows] == [
        '2026-11-30 – 12-06', '2026-12-07 – 12-13', '2026-12-14 – 12-20', '2026-12-21 – 12-27']
    assert [(row['Due'].text(), row['Hongkong Post'].text(), row['Other issuers'].text()) for _cls, row in rows] == [
        ('3', '2', '1'), ('1', '1', '0'), ('3', '0', '3'), ('1', '0', '1')]
    assert [row['Notes'].text() for _cls, row in rows] == [
        '2 overdue ', '1 new subscription', '1 overdue 1 new subscription', '']
    # Sorting by Notes puts the weeks with the most to say last (ascending): overdue and new subscriptions count.
    assert [row['Notes'].attrs['data-sort'] for _cls, row in rows] == ['2', '1', '2', '0']
    assert root.one('details', id='forecast-weeks').one('summary').text() == 'Weeks with renewals due (4)'


def test_the_totals_line_names_the_busiest_week_or_a_dash_when_nothing_is_due():
    busy = page(model(plan=forecast([week(0, '2026-11-30', due_hk=1), week(1, '2026-12-07', due_other=2)])))
    assert busy.one('p', id='forecast-totals').text() == (
        'Next 2 weeks: 3 renewals (1 Hongkong Post in 1 portal sessions, 2 other issuers); busiest week 2026-12-07 '
        'with 2. Rule: two thirds of the life.')
    idle = page(model(plan=forecast([week(0, '2026-11-30')])))
    assert idle.one('p', id='forecast-totals').text() == (
        'Next 1 weeks: 0 renewals (0 Hongkong Post in 0 portal sessions, 0 other issuers); busiest week - with 0. '
        'Rule: two thirds of the life.')


# -- certificates -----------------------------------------------------------------------------------------------

def only_cert(**extra):
    (row,) = table(page(model([cert(**extra)])), 'certificates')
    return row[1]


def test_the_hosts_cell_names_five_hosts_then_how_many_more():
    def hosts_cell(count):
        return only_cert(holders=[held('web%d' % i) for i in range(1, count + 1)])['Hosts']

    assert hosts_cell(5).text() == '5: web1, web2, web3, web4, web5'
    six = hosts_cell(7)
    assert six.text() == '7: web1, web2, web3, web4, web5 +2 more' and six.attrs['data-sort'] == '7'


def test_the_certificate_cell_names_four_dns_names_then_how_many_more():
    names = ['n%d.example.hk' % i for i in range(1, 7)]
    cell = only_cert(dns_names=names)['Certificate']
    assert cell.one('div', **{'class': 'names'}).text() == 'n1.example.hk, n2.example.hk, n3.example.hk, ' \
                                                           'n4.example.hk +2 more'
    assert only_cert(dns_names=names[:4])['Certificate'].one('div', **{'class': 'names'}).text() == \
        'n1.example.hk, n2.example.hk, n3.example.hk, n4.example.hk'


def test_the_used_by_cell_names_four_consumers_then_how_many_more_or_says_none():
    consumers = [{'host': 'web1', 'kind': 'iis', 'name': 'site %d' % i, 'ports': [443], 'server_name': None}
                 for i in range(1, 6)]
    cell = only_cert(consumers=consumers)['Used by']
    assert cell.text() == 'site 1 (web1), site 2 (web1), site 3 (web1), site 4 (web1) +1 more'
    assert cell.attrs['data-sort'] == '5'
    assert only_cert()['Used by'].text() == 'none'


def test_the_key_cell_says_the_provider_or_why_there_is_none_and_whether_it_exports():
    def key(**options):
        return only_cert(holders=[held(**options)])['Key'].text()

    assert key() == IIS_PROVIDER
    assert key(exportable=True) == IIS_PROVIDER + ', exportable'
    assert key(exportable=False) == IIS_PROVIDER + ', not exportable'
    assert key(key_provider=None, has_private_key=False) == 'no key'
    assert key(key_provider=None, has_private_key=True, exportable=False) == 'key unreadable, not exportable'
    both = only_cert(holders=[held('web1', exportable=True), held('web2', key_provider=None, has_private_key=False)])
    assert both['Key'].text() == IIS_PROVIDER + ', exportable; no key'


def test_the_issuer_cell_names_the_hongkong_post_intermediate_generation_when_known():
    assert only_cert(generation='old')['Issuer'].text() == 'Hongkong Post e-Cert SSL CA 3 - 22 · old intermediate'
    assert only_cert(generation=None, issuer='Other CA')['Issuer'].text() == 'Other CA'


def test_the_served_cell_names_five_hosts_that_do_not_serve_it_then_how_many_more():
    assert only_cert(served='served')['Served'].text() == 'served'
    hosts = ['web%d' % i for i in range(1, 7)]
    cell = only_cert(served='not served', not_served_on=hosts)['Served']
    # Six hosts do not serve it: the sixth is counted, not silently left out.
    assert cell.text() == 'not served: web1, web2, web3, web4, web5 +1 more' and cell.attrs['data-sort'] == 'not served'
    assert only_cert(served='not served', not_served_on=['<b>web1</b>'])['Served'].text() == 'not served: <b>web1</b>'


def test_the_days_left_cell_shows_the_expiry_day_and_an_unread_expiry_sorts_first():
    rows = table(page(model([cert('a.example.hk', 1, days_left=-400, status='expired',
                                  not_after='2025-10-26T00:00:00+00:00'),
                             cert('b.example.hk', 2, days_left=None, not_after=None)])), 'certificates')
    days = {row['Certificate'].one('b').text(): row['Days left'] for _cls, row in rows}
    assert days['a.example.hk'].text() == '-400 2025-10-26' and days['a.example.hk'].attrs['data-sort'] == '-400'
    assert days['b.example.hk'].text() == ' '
    # The Days left column sorts numerically: no expiry read comes before any expired certificate.
    assert float(days['b.example.hk'].attrs['data-sort']) < -400


def test_ca_and_root_certificates_are_folded_apart_from_the_leaves():
    root = page(model([cert('leaf.example.hk', 1), cert('Hongkong Post Root CA 3', 2, is_ca=True, role='root')]))
    assert [row['Certificate'].one('b').text() for _cls, row in table(root, 'certificates')] == ['leaf.example.hk']
    assert [row['Certificate'].one('b').text() for _cls, row in table(root, 'authorities-table')] == [
        'Hongkong Post Root CA 3']
    assert root.one('details', id='authorities').one('summary').text() == 'CA and root certificates (1)'


# -- hosts ------------------------------------------------------------------------------------------------------

def test_a_hosts_problems_are_its_failed_sources_and_its_consumers_pointing_at_nothing():
    dangling = [{'name': 'IIS site "b" binding *:443:b.example.hk', 'thumbprint': 'AB' * 20}]
    hosts = [host('web1', sources={'iis': 'ok', 'exchange': 'error: no Exchange shell'}, dangling=dangling),
             host('web2')]
    rows = table(page(model(hosts=hosts)), 'hosts')
    assert [row['Problems'].text() for _cls, row in rows] == [
        'exchange: error: no Exchange shell, IIS site "b" binding *:443:b.example.hk points at ' + 'AB' * 20
        + ', which this host does not hold', 'ok']
    assert [row['Problems'].attrs['data-sort'] for _cls, row in rows] == ['2', '0']


def test_a_hosts_problems_cell_shows_six_then_how_many_more():
    dangling = [{'name': 'site %d' % i, 'thumbprint': 'T%d' % i} for i in range(1, 9)]
    (row,) = table(page(model(hosts=[host('web1', dangling=dangling)])), 'hosts')
    assert row[1]['Problems'].text().endswith('site 6 points at T6, which this host does not hold +2 more')


def test_an_unread_host_is_flagged_with_its_error_and_sorts_above_every_read_host():
    hosts = [host('down1', read=False), host('web1', dangling=[{'name': 'x', 'thumbprint': 'T'}] * 3), host('web2')]
    rows = table(page(model(hosts=hosts)), 'hosts')
    assert [cls for cls, _row in rows] == ['unread', None, None]
    assert [row['Problems'].text() for _cls, row in rows][0] == 'Connection refused'
    assert [row['Certificates'].text() for _cls, row in rows] == ['0', '3', '3']
    sort = [float(row['Problems'].attrs['data-sort']) for _cls, row in rows]
    assert sort[1:] == [3.0, 0.0] and sort[0] > max(sort[1:])


# -- the page ---------------------------------------------------------------------------------------------------

def test_the_page_says_whether_it_was_joined_with_the_served_chain_audit():
    def meta(audited):
        return page(model(audited=audited)).one('div', **{'class': 'meta'}).text()

    assert meta(True).endswith('· joined with the served-chain audit')
    assert meta(False).endswith('· no served-chain audit given: run audit.yml first to compare held with served')


def test_the_page_says_when_it_was_generated_only_when_told():
    def meta(**options):
        return page(model(), **options).one('div', **{'class': 'meta'}).text()

    assert meta(generated='2026-11-30 08:00 UTC').startswith(
        'As of 2026-11-30 (generated 2026-11-30 08:00 UTC) by hkpost.ecert.hkpost_certificate_inventory ·')
    assert meta().startswith('As of 2026-11-30 by hkpost.ecert.hkpost_certificate_inventory ·')


def test_endpoints_serving_what_their_host_does_not_hold_are_listed_only_when_there_are_some():
    assert 'Served but not held' not in [h.text() for h in page(model()).all('h2')]
    extra = {'host': 'web2', 'endpoint': 'web2:443 (shop.example.hk)', 'subject_cn': 'gw.example.hk',
             'sha256': '0123456789abcdef' + 'ff' * 24}
    root = page(model(served_not_held=[extra], audited=True))
    assert 'Served but not held' in [h.text() for h in root.all('h2')]
    ((_cls, row),) = table(root, 'served-not-held')
    assert (row['Host'].text(), row['Endpoint'].text(), row['Serves'].text()) == (
        'web2', 'web2:443 (shop.example.hk)', 'gw.example.hk 0123456789abcdef')
