# -*- coding: utf-8 -*-
"""The fleet report's rules (issue 21): what a reader of the page, the CSV, the JSON and the to-renew list sees.

Endpoints are written as hkpost_served_chain returns them (plain dicts), including the shapes of endpoints it
could not audit (no ``served``, no ``days_left``) and of results from a newer collection (an unknown verdict)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._actions import action_for
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import (
    GROUP_ABOVE, render_csv, render_html, render_json, render_to_renew_json, rows, to_renew)

SVG = '{http://www.w3.org/2000/svg}'
STAMP = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d UTC$')


def cert(sha, cn='www.example.hk', is_ca=False, **extra):
    return dict({'sha256': sha, 'subject_cn': cn, 'issuer_cn': 'Hongkong Post e-Cert SSL CA 3 - 22', 'is_ca': is_ca,
                 'serial': sha[:4], 'dns_names': [cn], 'not_after': '2027-04-01T00:00:00Z'}, **extra)


def ep(name, verdict='ok', days=100, findings=None, served=None, port=443, **extra):
    findings = [{'code': 'ok', 'severity': 'ok', 'message': 'fine', 'action': 'Nothing to do.'}] \
        if findings is None else findings
    return dict({'inventory_name': name, 'host': '10.0.0.1', 'port': port, 'server_name': 'www.example.hk',
                 'starttls': None, 'verdict': verdict, 'days_left': days, 'not_after': '2027-04-01T00:00:00Z',
                 'tls_version': 'TLSv1.3', 'findings': findings,
                 'served': [cert('AA' * 32)] if served is None else served}, **extra)


def finding(code, severity, sha=None, action='do something'):
    f = {'code': code, 'severity': severity, 'message': code + ' message', 'action': action}
    if sha:
        f['certificate'] = sha
    return f


def csv_rows(audit):
    return list(csv.DictReader(io.StringIO(render_csv(audit))))


def order(audit):
    return [(r['host'], r['port']) for r in rows(audit)]


# -- input -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('bad', [['endpoints'], 'report', {'endpoints': 'x'}, None])
def test_anything_but_a_served_chain_result_is_refused_with_what_was_given(bad):
    for render in (render_html, render_csv, render_json, to_renew):
        with pytest.raises(ValueError, match='expected the registered result of hkpost.ecert.hkpost_served_chain'):
            render(bad)


# -- order: worst first ----------------------------------------------------------------------------------------

def test_within_a_verdict_the_soonest_expiry_comes_first_and_no_expiry_last():
    audit = {'endpoints': [ep('a', 'critical', None), ep('b', 'critical', 200), ep('c', 'critical', -5)]}
    assert order(audit) == [('c', 443), ('b', 443), ('a', 443)]


def test_ties_are_broken_by_host_then_port_and_a_missing_port_sorts_first():
    audit = {'endpoints': [ep('b', port=443), ep('a', port=8443), ep('a', port=443), ep('a', port=None)]}
    assert order(audit) == [('a', None), ('a', 443), ('a', 8443), ('b', 443)]


def test_a_verdict_the_report_does_not_know_ranks_with_the_errors_first():
    audit = {'endpoints': [ep('crit', 'critical', 1), ep('new', 'mystery', 500, findings=[finding('x', 'mystery')]),
                           ep('fine', 'ok', 1)]}
    assert [h for h, _p in order(audit)] == ['new', 'crit', 'fine']
    page = render_html(audit)
    assert re.search(r'<tr class="v-mystery"><td data-sort="0">', page)  # sorted with the errors by the page too
    # its finding leads the findings table, before a critical finding of more endpoints
    audit['endpoints'].append(ep('crit2', 'critical', 1, findings=[finding('x2', 'critical')]))
    audit['endpoints'][0]['findings'] = [finding('x2', 'critical')]
    assert re.findall(r'<tr data-code="(\w+)">', render_html(audit)) == ['x', 'x2', 'ok']


# -- the row: what each column shows ---------------------------------------------------------------------------

def test_the_leaf_is_the_first_non_ca_certificate_sent_else_the_first_sent():
    inter = cert('CC' * 32, cn='Intermediate', is_ca=True)
    audit = {'endpoints': [ep('wrong-order', served=[inter, cert('AA' * 32, cn='leaf.example.hk')]),
                           ep('only-ca', served=[inter]), ep('none', served=[])]}
    got = {r['host']: r['leaf_subject'] for r in csv_rows(audit)}
    assert got == {'wrong-order': 'leaf.example.hk', 'only-ca': 'Intermediate', 'none': ''}


def test_names_fall_back_to_the_whole_subject_and_issuer_then_to_empty():
    audit = {'endpoints': [
        ep('dn', served=[{'sha256': 'AA' * 32, 'subject': 'O=X, CN=y', 'issuer': 'O=CA'}]),
        ep('bare', served=[{'sha256': 'BB' * 32}])]}
    got = {r['host']: (r['leaf_subject'], r['leaf_issuer']) for r in csv_rows(audit)}
    assert got == {'dn': ('O=X, CN=y', 'O=CA'), 'bare': ('', '')}


def test_an_endpoint_that_could_not_be_audited_has_empty_cells_not_none():
    failed = {'host': '10.0.0.9', 'port': 25, 'verdict': 'error',
              'findings': [{'code': 'unreachable', 'severity': 'error', 'message': 'refused'}]}
    row = csv_rows({'endpoints': [failed]})[0]
    assert row['host'] == '10.0.0.9' and row['address'] == '10.0.0.9'  # no inventory name: the address
    assert {k: row[k] for k in ('server_name', 'starttls', 'leaf_subject', 'not_after', 'days_left', 'tls_version',
                                'chain_read_over', 'served_sha256', 'actions')} == dict.fromkeys(
        ('server_name', 'starttls', 'leaf_subject', 'not_after', 'days_left', 'tls_version', 'chain_read_over',
         'served_sha256', 'actions'), '')
    assert rows({'endpoints': [failed]})[0]['starttls'] == ''
    page = render_html({'endpoints': [failed, dict(failed, findings=None, host='10.0.0.8')]})
    assert 'None' not in page
    # an unknown number of days sorts after every real one when the Days left column is sorted; empty text first
    assert '<td data-sort="25">25</td><td data-sort=""></td><td data-sort="unreachable">' in page
    assert '<td data-sort="99999"></td><td data-sort=""></td></tr>' in page


def test_every_column_shows_the_endpoint_values():
    e = ep('web1', 'warning', days=0, starttls='smtp', port=25, chain_read_over='openssl', tls_version='TLSv1.2',
           served=[cert('AA' * 32), cert('CC' * 32, cn='CA', is_ca=True)],
           findings=[finding('expiring', 'warning', action=None), finding('wrong_order', 'warning', action='Fix it.')])
    row = csv_rows({'endpoints': [e]})[0]
    assert (row['starttls'], row['days_left'], row['tls_version'], row['chain_read_over'], row['not_after']) == (
        'smtp', '0', 'TLSv1.2', 'openssl', '2027-04-01T00:00:00Z')
    assert row['served_sha256'] == 'AA' * 32 + ' ' + 'CC' * 32 and row['actions'] == ' | Fix it.'
    assert row['leaf_issuer'] == 'Hongkong Post e-Cert SSL CA 3 - 22'
    page = render_html({'endpoints': [e]})
    assert '<td data-sort="25">25 (SMTP STARTTLS)</td>' in page
    assert '<td data-sort="0">0</td>' in page  # 0 days left is a number, not "unknown"
    assert '<time datetime="2027-04-01T00:00:00Z">2027-04-01</time>' in page
    assert '<td data-sort="2"><span class="badge" style="background:#b7791f">warning</span></td>' in page
    assert '<td data-sort="TLSv1.2">TLSv1.2</td>' in page and '<td data-sort="web1">web1</td>' in page
    assert '<li><b>wrong_order</b> wrong_order message<div class="action">Fix it.</div></li>' in page


# -- the findings table and the groups -------------------------------------------------------------------------

def test_the_findings_table_says_what_to_do_for_the_whole_fleet():
    audit = {'endpoints': [
        ep('a', 'critical', 3, findings=[finding('expiring', 'warning', action='Renew: expires in 3 days.'),
                                         finding('missing_intermediate', 'critical', action=None)]),
        ep('b', 'critical', 9, findings=[finding('missing_intermediate', 'critical', action='Install it.'),
                                         finding('silent', 'warning', action=None)])]}
    page = render_html(audit)
    todo = dict(re.findall(r'<tr data-code="(\w+)">.*?<td class="num" id="finding-\w+">\d+</td><td>(.*?)</td></tr>',
                           page))
    # expiry: the generic sentence, not one endpoint's days; others: the first endpoint's own action there is
    assert todo == {'expiring': action_for('expiring'), 'missing_intermediate': 'Install it.', 'silent': ''}


def test_an_expiring_intermediate_is_replaced_not_renewed_in_the_fleet_wide_action():
    leaf, inter = cert('AB' * 32), cert('CC' * 32, cn='CA', is_ca=True)
    replace = action_for('expiring', role='intermediate', days=12)
    by_inter = ep('a', 'warning', 90, served=[leaf, inter],
                  findings=[finding('expiring', 'warning', sha='CC' * 32, action=replace),
                            finding('wrong_order', 'warning')])
    later = ep('c', 'warning', 95, served=[cert('AE' * 32), inter],
               findings=[finding('expiring', 'warning', sha='CC' * 32,
                                 action=action_for('expiring', role='intermediate', days=40))])
    unread = ep('d', 'warning', 30, findings=[finding('expiring', 'warning', sha='AF' * 32)])
    del unread['served']
    by_leaf = ep('b', 'warning', 20, served=[cert('AD' * 32), inter],
                 findings=[finding('expiring', 'warning', sha='AD' * 32, action=action_for('expiring', days=20))])

    def todo(endpoints, **kw):
        page = render_html({'endpoints': endpoints}, **kw)
        return re.search(r'<tr data-code="expiring">.*?<td class="num" id="finding-expiring">\d+</td><td>(.*?)</td>',
                         page).group(1), page
    alone, page = todo([by_inter, later], group_above=0)
    assert alone == replace and 'renew.yml' not in alone  # the to-renew list leaves intermediates out
    assert '&middot; 2 endpoints &middot; %s</summary>' % replace in page  # the group says the same, worst first
    both, _page = todo([by_inter, by_leaf])
    assert both == action_for('expiring') + ' ' + replace
    assert todo([unread])[0] == action_for('expiring')  # no certificates read: not known to be an intermediate


def test_findings_of_one_severity_are_ordered_by_endpoint_count_then_name():
    audit = {'endpoints': [ep('a', 'critical', findings=[finding('name_mismatch', 'critical'),
                                                         finding('expired', 'critical')]),
                           ep('b', 'critical', findings=[finding('untrusted', 'critical')]),
                           ep('c', 'critical', findings=[finding('untrusted', 'critical')]),
                           ep('d', 'ok', findings=None)]}
    audit['endpoints'][3]['findings'] = None
    assert re.findall(r'<tr data-code="(\w+)">', render_html(audit)) == ['untrusted', 'expired', 'name_mismatch']


def test_a_fleet_of_more_than_group_above_endpoints_is_grouped_and_no_more():
    assert GROUP_ABOVE == 50
    fleet = [ep('web%02d' % i) for i in range(GROUP_ABOVE)]
    assert 'id="by-finding"' not in render_html({'endpoints': fleet})
    assert 'id="by-finding"' in render_html({'endpoints': fleet + [ep('one-more')]})


def test_a_group_lists_only_its_own_finding_and_counts_in_words():
    audit = {'endpoints': [ep('a', 'critical', findings=[finding('expired', 'critical', action='Renew now.'),
                                                         finding('wrong_order', 'warning', action='Reorder.')]),
                           ep('b', 'warning', findings=[finding('wrong_order', 'warning', action='Reorder.')])]}
    page = render_html(audit, group_above=1)
    expired = re.search(r'<details class="group" data-code="expired" open>(.*?)</details>', page).group(1)
    assert '&middot; 1 endpoint &middot;' in expired and 'Reorder.' not in expired
    assert '<b>expired</b> expired message' in expired
    wrong = re.search(r'<details class="group" data-code="wrong_order" open>(.*?)</details>', page).group(1)
    assert '&middot; 2 endpoints &middot;' in wrong and 'Renew now.' not in wrong


# -- the page header, counts and defaults ----------------------------------------------------------------------

def test_the_page_says_when_it_was_generated_and_warns_30_days_by_default():
    audit = {'endpoints': [ep('a')], 'trust': 'roots'}
    assert 'Generated 2026-12-01 00:00 UTC by' in render_html(audit, generated='2026-12-01 00:00 UTC')
    page = render_html(audit)
    assert re.search(r'Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC by', page) and 'trust: roots' in page
    assert 'expiring within 30 days' in page


def test_unknown_verdicts_are_counted_in_the_total_only():
    page = render_html({'endpoints': [ep('a', 'mystery'), ep('b', 'ok')]})
    assert 'id="count-total">2<' in page and 'id="count-ok" style="color:#1a7f37">1<' in page
    assert 'id="count-warning" style="color:#b7791f">0<' in page


# -- the to-renew table ----------------------------------------------------------------------------------------

def test_the_to_renew_table_or_the_nothing_expires_line():
    assert 'id="to-renew-empty"' in render_html({'endpoints': [ep('a')]})
    names = ['n%d.example.hk' % i for i in range(8)]
    leaf = cert('AB' * 32, cn='n0.example.hk', dns_names=names)
    page = render_html({'endpoints': [ep('a', 'warning', 5, served=[leaf],
                                         findings=[finding('expiring', 'warning', sha='AB' * 32)])]})
    assert 'id="to-renew-empty"' not in page
    row = re.search(r'<table id="to-renew">.*?<tbody>(.*?)</tbody>', page).group(1)
    assert row == ('<tr class="renew-expiring"><td>n0.example.hk</td><td>%s</td><td>2027-04-01</td>'
                   '<td class="num">5</td><td>a</td><td class="mono">%s</td></tr>' % (', '.join(names[:6]), 'AB' * 8))
    undated = cert('AB' * 32, not_after=None)
    page = render_html({'endpoints': [ep('a', 'warning', 5, served=[undated],
                                         findings=[finding('expiring', 'warning', sha='AB' * 32)])]})
    assert '<td class="num">5</td>' in page and '<td></td><td class="num">5</td>' in page


# -- the to-renew list -----------------------------------------------------------------------------------------

def test_one_certificate_is_listed_once_per_distinct_endpoint_and_once_per_host():
    sha = 'AB' * 32
    exp = [finding('expiring', 'warning', sha=sha)]
    endpoints = [ep('web1', 'warning', 5, served=[cert(sha)], findings=exp),
                 ep('web1', 'warning', 5, served=[cert(sha)], findings=exp, port=8443),
                 ep('web1', 'warning', 5, served=[cert(sha)], findings=exp, host='10.0.0.2'),
                 ep('web1', 'warning', 5, served=[cert(sha)], findings=exp, server_name='shop.example.hk'),
                 dict(ep('web1', 'warning', 5, served=[cert(sha)], findings=exp), inventory_name='web0')]
    listed = to_renew({'endpoints': endpoints})['certificates']
    assert len(listed) == 1 and listed[0]['hosts'] == ['web0', 'web1'] and len(listed[0]['endpoints']) == 5


def test_only_leaves_with_an_expiry_finding_about_a_served_certificate_are_listed():
    leaf, inter = cert('AB' * 32), cert('CC' * 32, cn='CA', is_ca=True)
    audit = {'endpoints': [
        ep('a', 'warning', 5, served=[leaf, inter], findings=[
            finding('expiring', 'warning', sha='CC' * 32), finding('expiring', 'warning', sha='DD' * 32),
            finding('expiring', 'warning'), finding('wrong_order', 'warning', sha='AB' * 32)]),
        {'host': 'b', 'port': 443, 'verdict': 'error', 'findings': None}]}
    assert to_renew(audit, generated='now') == {'generated': 'now', 'warn_days': None, 'certificates': [],
                                                'hosts': {}}


def test_listed_names_fall_back_to_subject_and_issuer_and_dns_names_to_empty():
    bare = {'sha256': 'AB' * 32, 'subject': 'O=X, CN=y', 'issuer': 'O=CA', 'not_after': None}
    listed = to_renew({'endpoints': [ep('a', 'warning', 5, served=[bare],
                                        findings=[finding('expired', 'critical', sha='AB' * 32)])]})
    entry = listed['certificates'][0]
    assert (entry['common_name'], entry['issuer'], entry['dns_names']) == ('O=X, CN=y', 'O=CA', [])
    named = to_renew({'endpoints': [ep('a', 'warning', 5, served=[cert('AB' * 32, issuer='O=HK, CN=CA 3 - 22')],
                                       findings=[finding('expired', 'critical', sha='AB' * 32)])]})
    assert named['certificates'][0]['issuer'] == 'Hongkong Post e-Cert SSL CA 3 - 22'  # the common name first


def test_revoked_first_then_soonest_and_unknown_days_count_as_today():
    def leaf_at(host, sha, days, code='expiring'):
        return ep(host, 'warning', days, served=[cert(sha, cn=host)], findings=[finding(code, 'warning', sha=sha)])
    audit = {'endpoints': [leaf_at('later', 'A1' * 32, 20), leaf_at('gone', 'A2' * 32, -5, 'expired'),
                           leaf_at('unknown', 'A3' * 32, None), leaf_at('one', 'A4' * 32, 1),
                           ep('rev', 'ok', 300, served=[cert('A5' * 32, cn='rev')])]}
    listed = to_renew(audit, revoked=['a5' * 32])['certificates']
    assert [c['common_name'] for c in listed] == ['rev', 'gone', 'unknown', 'one', 'later']
    assert listed[0]['status'] == 'revoked'


@pytest.mark.parametrize('revoked', [[None], [''], ['0'], [':']])
def test_an_empty_revoked_entry_matches_no_certificate_without_a_serial(revoked):
    audit = {'endpoints': [ep('a', served=[{'sha256': 'AB' * 32, 'subject_cn': 'x'}])]}
    assert to_renew(audit, revoked=revoked)['certificates'] == []


def test_the_to_renew_list_is_stamped_and_its_json_stable_and_readable():
    audit = {'endpoints': [ep('a', 'warning', 5, served=[cert('AB' * 32, cn='網站.example.hk')],
                              findings=[finding('expiring', 'warning', sha='AB' * 32)])]}
    assert STAMP.match(to_renew(audit)['generated']) and to_renew(audit, generated='x')['generated'] == 'x'
    text = render_to_renew_json(audit, generated='x', warn_days=30)
    assert '網站.example.hk' in text and text.endswith('}\n')
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + '\n'
    assert text.startswith('{\n  "certificates": [\n    {\n')


def test_the_report_json_is_stamped_stable_and_readable():
    audit = {'endpoints': [ep('網站')], 'trust': 't', 'summary': {'total': 1}, 'changed': False}
    data = json.loads(render_json(audit))
    assert STAMP.match(data['generated']) and sorted(data) == ['endpoints', 'generated', 'summary', 'trust']
    text = render_json(audit, generated='x')
    assert '網站' in text and text.startswith('{\n  "endpoints": [\n    {\n')


# -- the expiry timeline ---------------------------------------------------------------------------------------

def _svg(endpoints, warn_days=30):
    for e in endpoints:
        e['server_name'] = e['inventory_name']  # the dot's tooltip: address:port (server name)
    page = render_html({'endpoints': endpoints}, warn_days=warn_days)
    return ET.fromstring(re.search(r'<svg id="timeline".*?</svg>', page, re.S).group(0))


def _dots(svg):
    return {dot.find(SVG + 'title').text.split('(')[1].split(')')[0]: (float(dot.get('cx')), float(dot.get('cy')))
            for dot in svg.iter(SVG + 'circle')}


def _ticks(svg):
    texts = [t for t in svg.iter(SVG + 'text') if t.get('class') == 'axis' and t.text.startswith('+')]
    lines = [ln for ln in svg.iter(SVG + 'line') if ln.get('class') == 'tick']
    return {t.text: float(ln.get('x1')) for t, ln in zip(texts, lines)}


def _lanes(svg):
    labels = [t for t in svg.iter(SVG + 'text') if t.get('class') == 'lane']
    lines = [ln for ln in svg.iter(SVG + 'line') if ln.get('class') == 'grid']
    return {t.text: (float(ln.get('y1')), float(ln.get('x1')), float(ln.get('x2')), float(t.get('y')))
            for t, ln in zip(labels, lines)}


def test_the_timeline_draws_every_mark_inside_its_box_and_the_dots_on_top():
    svg = _svg([ep('h%d' % i, days=d) for i, d in enumerate((-900, -30, 0, 45, 300, 2000))] +
               [ep('x', days=None)])
    _0, _0, width, height = (float(v) for v in svg.get('viewBox').split())
    for el in svg.iter():
        for attr in ('x', 'x1', 'x2', 'cx'):
            if el.get(attr) is not None:
                assert 0 <= float(el.get(attr)) <= width, (el.tag, attr, el.get(attr))
        for attr in ('y', 'y1', 'y2', 'cy'):
            if el.get(attr) is not None:
                assert 0 <= float(el.get(attr)) <= height, (el.tag, attr, el.get(attr))
        if el.get('height') is not None:
            assert 0 < float(el.get('y')) + float(el.get('height')) <= height
    kinds = [el.get('class') or el.tag.replace(SVG, '') for el in svg]
    assert kinds.index('warnzone') < kinds.index('today') < kinds.index('dot')  # today over the zone, dots over all
    assert set(kinds[kinds.index('dot'):]) == {'dot'} and len(_dots(svg)) == 6  # one per dated endpoint
    # the lane labels sit on their lanes, left of the plot
    for y, x1, _x2, label_y in _lanes(svg).values():
        assert y < label_y <= y + 6 and x1 > 40


def test_the_timeline_axis_runs_from_60_days_ago_to_the_latest_expiry_within_400_to_800_days():
    dots = _dots(_svg([ep('a', days=-60), ep('b', days=-400), ep('c', days=400), ep('d', days=5)]))
    svg = _svg([ep('a', days=-60), ep('b', days=-400), ep('c', days=400), ep('d', days=5)])
    lanes = _lanes(svg)
    _y, left, right, _l = lanes['ok']
    assert dots['a'][0] == dots['b'][0] == left and dots['c'][0] == right
    assert list(_ticks(svg)) == ['+0d', '+90d', '+180d', '+270d', '+360d']
    svg = _svg([ep('a', days=800), ep('b', days=1500), ep('c', days=700)])
    dots = _dots(svg)
    assert dots['a'][0] == dots['b'][0] == right > dots['c'][0]
    assert list(_ticks(svg))[-1] == '+720d'
    # a tick every 90 days up to the end of the axis, the end itself included, never beyond
    assert list(_ticks(_svg([ep('a', days=720)])))[-1] == '+720d'
    assert list(_ticks(_svg([ep('a', days=719)])))[-1] == '+630d'


def test_the_timeline_labels_start_left_of_their_mark_to_sit_centred_under_it():
    svg = _svg([ep('a', days=100)])
    texts = {t.text: float(t.get('x')) for t in svg.iter(SVG + 'text') if t.get('class') == 'axis'}
    for label, x in _ticks(svg).items():
        assert x - 15 < texts[label] < x
    today = next(ln for ln in svg.iter(SVG + 'line') if ln.get('class') == 'today')
    assert float(today.get('x1')) - 15 < texts['today'] < float(today.get('x1'))


def test_the_timeline_places_dots_today_and_the_warn_zone_on_one_scale():
    svg = _svg([ep('a', days=0), ep('b', days=90), ep('c', days=180), ep('w', days=45)], warn_days=45)
    dots, ticks = _dots(svg), _ticks(svg)
    assert dots['a'][0] == ticks['+0d'] and dots['b'][0] == ticks['+90d'] and dots['c'][0] == ticks['+180d']
    today = next(ln for ln in svg.iter(SVG + 'line') if ln.get('class') == 'today')
    zone = next(svg.iter(SVG + 'rect'))
    assert float(today.get('x1')) == float(today.get('x2')) == ticks['+0d'] == float(zone.get('x'))
    assert float(zone.get('x')) + float(zone.get('width')) == pytest.approx(dots["w"][0], abs=0.15)
    assert zone.find(SVG + 'title').text == 'expiring within 45 days'


def test_the_timeline_puts_each_dot_on_its_verdict_lane_spread_around_it():
    verdicts = ['ok'] * 5 + ['critical', 'mystery']
    svg = _svg([ep('h%d' % i, v, days=10) for i, v in enumerate(verdicts)])
    lanes, dots = _lanes(svg), _dots(svg)
    assert sorted(dots['h%d' % i][1] - lanes['ok'][0] for i in range(5)) == [-8, -4, 0, 4, 8]
    assert abs(dots['h5'][1] - lanes['critical'][0]) <= 8
    assert abs(dots['h6'][1] - lanes['error'][0]) <= 8  # an unknown verdict on the error lane
    ys = [lanes[v][0] for v in ('error', 'critical', 'warning', 'ok')]
    assert ys == sorted(ys) and len({b - a for a, b in zip(ys, ys[1:])}) == 1  # evenly spaced, worst on top
