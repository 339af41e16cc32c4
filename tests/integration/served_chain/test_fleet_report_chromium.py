# -*- coding: utf-8 -*-
"""The HTML report of a real audit, opened in headless Chromium: it renders, counts match the JSON, it sorts."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import render_html, render_json
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
from tests.support.peers import tls_servers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUTPUT = os.path.join(ROOT, 'tests', 'output')
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason='Chromium is not installed (Debian: apt-get install -y '
                                                         'chromium); the HTML report cannot be rendered')

# Appended to a copy of the report: clicks headers the way a user does and records the row order.
_DRIVER = """<script>
(function(){
  var table=document.getElementById('endpoints');
  function column(key){var h=table.tHead.rows[0].cells;for(var i=0;i<h.length;i++){if(h[i].getAttribute('data-key')===key){return i;}}}
  function order(key){var i=column(key);return Array.prototype.map.call(table.tBodies[0].rows,function(r){return r.cells[i].getAttribute('data-sort');});}
  function click(key){table.tHead.rows[0].cells[column(key)].click();}
  function texts(selector){return Array.prototype.map.call(document.querySelectorAll(selector),function(e){return e.textContent;});}
  var out={};
  out.initial_verdicts=order('verdict');out.initial_hosts=texts('#endpoints tbody td:nth-child(2)');
  out.initial_addresses=texts('#endpoints tbody td:nth-child(3)');
  out.findings={};Array.prototype.forEach.call(document.querySelectorAll('#findings tbody tr'),function(r){
    out.findings[r.getAttribute('data-code')]={count:r.cells[2].textContent,action:r.cells[3].textContent};});
  out.finding_order=Array.prototype.map.call(document.querySelectorAll('#findings tbody tr'),function(r){return r.getAttribute('data-code');});
  out.renew=Array.prototype.map.call(document.querySelectorAll('#to-renew tbody tr'),function(r){
    return {cn:r.cells[0].textContent,days:r.cells[3].textContent,hosts:r.cells[4].textContent,visible:r.getBoundingClientRect().height>0};});
  out.groups=Array.prototype.map.call(document.querySelectorAll('details.group'),function(d){
    var rows=d.querySelectorAll('tbody tr');return {code:d.getAttribute('data-code'),open:d.open,rows:rows.length,
    shown:Array.prototype.filter.call(rows,function(r){return r.checkVisibility?r.checkVisibility():r.getBoundingClientRect().height>0;}).length,
    height:d.getBoundingClientRect().height};});
  out.all_folded=document.getElementById('all-endpoints')?!document.getElementById('all-endpoints').open:null;
  click('days_left');out.days_up=order('days_left');
  click('days_left');out.days_down=order('days_left');out.days_aria=table.tHead.rows[0].cells[column('days_left')].getAttribute('aria-sort');
  click('host');out.host_up=order('port');
  click('verdict');out.verdict_up=order('verdict');
  out.counts={};['total','ok','warning','critical','error'].forEach(function(k){out.counts[k]=document.getElementById('count-'+k).textContent;});
  out.rows=table.tBodies[0].rows.length;
  out.dots=document.querySelectorAll('#timeline circle.dot').length;
  out.svg_width=document.getElementById('timeline').getBoundingClientRect().width;
  var pre=document.createElement('pre');pre.id='test-result';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
})();
</script>"""


def _chromium(tmp_path, *args):
    command = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--no-first-run', '--disable-dev-shm-usage', '--user-data-dir=%s' % (tmp_path / 'profile')] + list(args)
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope='module')
def report(pki, tmp_path_factory):
    leaves = pki.leaves
    specs = [(leaves['standard'], [pki.ssl_new], 'www.example.hk'),
             (leaves['standard'], [], 'www.example.hk'),
             (leaves['expiring'], [pki.ssl_new], 'soon.example.hk'),
             (leaves['expired'], [pki.ssl_new], 'old.example.hk'),
             (leaves['wildcard'], [pki.ssl_new], 'a.example.hk'),
             (leaves['under_old'], [pki.ssl_old], 'legacy.example.hk')]
    servers = [tls_servers.tls_endpoint([leaf.pem] + [c.pem for c in chain], leaf.key_pem) for leaf, chain, _name in specs]
    closed = tls_servers.free_port_nobody_listens()
    directory = tmp_path_factory.mktemp('report')
    trust = directory / 'trust.pem'
    trust.write_text(pki.root.pem)
    endpoints = [{'host': '127.0.0.1', 'port': s.port, 'server_name': name, 'inventory_name': 'web%d' % index}
                 for index, (s, (_l, _c, name)) in enumerate(zip(servers, specs))]
    endpoints.append({'host': '127.0.0.1', 'port': closed, 'server_name': '<script>alert(1)</script>.example.hk'})
    try:
        audit = audit_endpoints(endpoints, trust=str(trust), timeout=5)
    finally:
        for server in servers:
            server.stop()
    (directory / 'fleet.html').write_text(render_html(audit, title='Test fleet'))
    # The same audit as a large fleet (repeated to 320 endpoints): grouped by finding, ok folded away.
    big = dict(audit, endpoints=[dict(e, inventory_name='host%03d' % i)
                                 for i, e in enumerate((audit['endpoints'] * 46)[:320])])
    (directory / 'large.html').write_text(render_html(big, title='Large fleet'))
    (directory / 'fleet.json').write_text(render_json(audit))
    return directory


def test_report_is_self_contained_and_escaped(report):
    page = (report / 'fleet.html').read_text()
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', page)
    assert 'http://' not in page.replace('http://www.w3.org/2000/svg', '')
    assert '<script>alert(1)</script>' not in page and html.escape('<script>alert(1)</script>') in page


def test_report_renders_counts_match_json_and_table_sorts(report, tmp_path):
    data = json.loads((report / 'fleet.json').read_text())
    driven = tmp_path / 'driven.html'
    driven.write_text((report / 'fleet.html').read_text().replace('</body>', _DRIVER + '</body>'))
    dom = _chromium(tmp_path, '--virtual-time-budget=5000', '--dump-dom', driven.as_uri()).stdout
    match = re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S)
    assert match, 'the page did not run its script in Chromium: %s' % dom[:500]
    result = json.loads(html.unescape(match.group(1)))

    summary = data['summary']
    assert result['counts'] == {'total': str(summary['total']),
                                **{k: str(v) for k, v in summary['by_verdict'].items()}}
    assert summary['by_verdict'] == {'ok': 2, 'warning': 1, 'critical': 3, 'error': 1}
    assert result['rows'] == summary['total'] == 7
    assert result['dots'] == 6  # the unreachable endpoint has no expiry to plot
    assert result['svg_width'] > 300

    days = [int(d) for d in result['days_up']]
    assert days == sorted(days) and days != [int(d) for d in result['days_down']]
    assert [int(d) for d in result['days_down']] == sorted(days, reverse=True)
    assert result['days_aria'] == 'descending'
    assert [int(r) for r in result['verdict_up']] == sorted(int(r) for r in result['verdict_up'])
    assert result['verdict_up'][0] == '0'  # error (worst) first

    # As opened, before any click: worst first, Host = inventory name, the address beside it.
    initial = [int(v) for v in result['initial_verdicts']]
    assert initial == sorted(initial) and initial[0] == 0 and initial[-1] == 3
    assert result['initial_hosts'][-1].startswith('web') and set(result['initial_addresses']) == {'127.0.0.1'}
    # Counts by finding at the top, worst severity first, each with one sentence of what to do.
    assert result['finding_order'][0] == 'unreachable' and result['finding_order'][-1] == 'ok'
    assert {k: int(v['count']) for k, v in result['findings'].items()} == summary['by_code']
    assert result['findings']['missing_intermediate']['action'].startswith("Install the intermediate 'Hongkong Post")
    assert result['findings']['expiring']['action'].startswith('Renew before it expires')
    # The to-renew list: expired first, then expiring, each with the host serving it.
    assert [(r['cn'], r['hosts'], r['visible']) for r in result['renew']] == [
        ('old.example.hk', 'web3', True), ('soon.example.hk', 'web2', True)]
    assert int(result['renew'][0]['days']) < 0 < int(result['renew'][1]['days'])


def test_large_fleet_reads_by_finding_without_scrolling_through_ok(report, tmp_path):
    driven = tmp_path / 'driven.html'
    driven.write_text((report / 'large.html').read_text().replace('</body>', _DRIVER + '</body>'))
    dom = _chromium(tmp_path, '--virtual-time-budget=5000', '--dump-dom', driven.as_uri()).stdout
    result = json.loads(html.unescape(re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S).group(1)))
    groups = {g['code']: g for g in result['groups']}
    assert [g['code'] for g in result['groups']][:1] == ['unreachable'] and result['groups'][-1]['code'] == 'ok'
    assert groups['ok']['open'] is False and groups['ok']['rows'] > 80 and groups['ok']['shown'] == 0
    assert groups['ok']['height'] < 60 < groups['unreachable']['height']  # one summary line, not 92 rows
    assert all(g['open'] and g['shown'] == g['rows'] for code, g in groups.items() if code != 'ok')
    assert result['all_folded'] is True and result['counts']['total'] == '320'


def test_screenshot_is_kept(report, tmp_path):
    os.makedirs(OUTPUT, exist_ok=True)
    target = os.path.join(OUTPUT, 'served_chain_fleet_report.png')
    if os.path.exists(target):
        os.unlink(target)
    _chromium(tmp_path, '--window-size=1280,1400', '--hide-scrollbars', '--screenshot=%s' % target,
              (report / 'fleet.html').as_uri())
    with open(target, 'rb') as handle:
        assert handle.read(8) == b'\x89PNG\r\n\x1a\n'
    assert os.path.getsize(target) > 10000
