# -*- coding: utf-8 -*-
"""The certificate inventory page in headless Chromium: counts match the JSON, tables sort, it reads on a phone.

The fleet is the sample fleet (tests/support/inventory_fleet.py) read by the module from fake hosts, joined
with a real served-chain audit of TLS servers on loopback serving what two of the hosts hold or do not.
"""

from __future__ import annotations

import html
import json
import os
import re

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._fleet import build
from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._report import render_html
from tests.integration.served_chain.test_fleet_report_chromium import CHROMIUM, OUTPUT, _chromium
from tests.support.inventory_fleet import read_fleet, sample_certs, sample_hosts
from tests.support.peers import tls_servers

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason='Chromium is not installed (Debian: apt-get install -y '
                                                         'chromium); the HTML report cannot be rendered')

# Appended to a copy of the page: reads what a user sees, clicks a header, measures the layout.
_DRIVER = """<script>
(function(){
  function texts(selector){return Array.prototype.map.call(document.querySelectorAll(selector),function(e){return e.textContent;});}
  var table=document.getElementById('certificates');
  function column(label){var h=table.tHead.rows[0].cells;for(var i=0;i<h.length;i++){if(h[i].textContent===label){return i;}}}
  function order(label){var i=column(label);return Array.prototype.map.call(table.tBodies[0].rows,function(r){return r.cells[i].getAttribute('data-sort');});}
  var out={};
  out.counts={};Array.prototype.forEach.call(document.querySelectorAll('.summary .n'),function(n){out.counts[n.id]=n.textContent;});
  out.rows=table.tBodies[0].rows.length;
  out.served=order('Served');
  out.stale={};Array.prototype.forEach.call(document.querySelectorAll('details.stale'),function(d){
    out.stale[d.getAttribute('data-reason')]={count:d.querySelector('summary .n').textContent,open:d.open,
      rows:d.querySelectorAll('tbody tr').length,in_use:d.querySelectorAll('tbody tr.in-use').length};});
  out.bars=document.querySelectorAll('#forecast-plot rect.bar').length;
  out.forecast_rows=document.querySelectorAll('#forecast tbody tr').length;
  out.plot_width=document.getElementById('forecast-plot').getBoundingClientRect().width;
  out.viewport=window.innerWidth;
  out.page_width=document.documentElement.scrollWidth;
  out.head_shown=getComputedStyle(table.tHead).display!=='none';
  out.label=getComputedStyle(table.tBodies[0].rows[0].cells[0],'::before').content;
  table.tHead.rows[0].cells[column('Days left')].click();out.days_up=order('Days left');
  table.tHead.rows[0].cells[column('Days left')].click();out.days_down=order('Days left');
  out.hosts=texts('#hosts tbody tr td:first-child');
  parent.postMessage(JSON.stringify(out),'*');
})();
</script>"""

# Headless Chromium's window is at least 500 px wide: the page is opened in an iframe as wide as a phone, and
# its driver hands the result up to the frame page, which writes it where --dump-dom shows it.
_FRAME = """<!DOCTYPE html><html><body style="margin:0">
<script>window.addEventListener('message',function(e){var pre=document.createElement('pre');pre.id='test-result';
pre.textContent=e.data;document.body.appendChild(pre);});</script>
<iframe src="driven.html" style="width:%dpx;height:900px;border:0"></iframe></body></html>"""


@pytest.fixture(scope='module')
def report(pki, tmp_path_factory):
    certs = sample_certs(pki)
    servers = [tls_servers.tls_endpoint([certs['www'].pem, pki.ssl_new.pem], certs['www'].key_pem),
               tls_servers.tls_endpoint([certs['gw'].pem, pki.ssl_new.pem], certs['gw'].key_pem)]
    # The same fleet with its IIS bindings on the ports the servers listen on.
    hosts, _certs = sample_hosts(pki, ports={'web1': servers[0].port, 'web2': servers[1].port}, certs=certs)
    results = read_fleet(hosts)
    directory = tmp_path_factory.mktemp('inventory-report')
    trust = directory / 'trust.pem'
    trust.write_text(pki.root.pem)
    try:
        audit = audit_endpoints([{'host': '127.0.0.1', 'port': servers[0].port, 'server_name': 'www.example.hk',
                                  'inventory_name': 'web1'},
                                 {'host': '127.0.0.1', 'port': servers[1].port, 'server_name': 'shop.example.hk',
                                  'inventory_name': 'web2'}], trust=str(trust), timeout=5)
    finally:
        for server in servers:
            server.stop()
    model = build(results, audit=audit, today=pki.now.date())
    (directory / 'inventory.html').write_text(render_html(model, title='Test fleet'))
    (directory / 'model.json').write_text(json.dumps(model))
    return directory


def _drive(report, tmp_path, width):
    (tmp_path / 'driven.html').write_text((report / 'inventory.html').read_text().replace('</body>',
                                                                                          _DRIVER + '</body>'))
    frame = tmp_path / 'frame.html'
    frame.write_text(_FRAME % width)
    dom = _chromium(tmp_path, '--window-size=1300,900', '--virtual-time-budget=5000', '--dump-dom',
                    frame.as_uri()).stdout
    match = re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S)
    assert match, 'the page did not run its script in Chromium: %s' % dom[:500]
    return json.loads(html.unescape(match.group(1)))


def test_counts_match_the_json_and_the_table_sorts(report, tmp_path):
    model = json.loads((report / 'model.json').read_text())
    result = _drive(report, tmp_path, 1280)
    summary = model['summary']
    assert result['counts']['count-hosts'] == '3/3'
    assert result['counts']['count-leaves'] == str(summary['leaf_certificates']) == str(result['rows'])
    assert result['counts']['count-stale'] == str(summary['stale']) == '4'
    assert result['counts']['count-old-generation'] == '1' and result['counts']['count-dangling'] == '1'
    # The real audit: web1 serves the www certificate it holds; web2 serves one it does not hold.
    assert sorted(result['served']).count('served') == 1 and 'not served' in result['served']
    assert result['counts']['count-not-served'] == '1'
    assert {k: (v['count'], v['in_use']) for k, v in result['stale'].items()} == {
        'expired': ('1', 0), 'superseded': ('1', 1), 'orphaned_key': ('1', 0), 'old_pending_request': ('1', 0)}
    weeks = [w for w in model['forecast']['weeks'] if w['due']]
    assert result['forecast_rows'] == len(weeks)
    assert result['bars'] == sum(bool(w['hkpost']) + bool(w['other']) for w in weeks)
    up = [float(d) for d in result['days_up']]
    assert up == sorted(up) and [float(d) for d in result['days_down']] == sorted(up, reverse=True)
    assert result['hosts'] == ['gw1', 'web1', 'web2']
    assert result['head_shown'] is True


def test_reads_on_a_phone(report, tmp_path):
    result = _drive(report, tmp_path, 390)
    assert result['viewport'] <= 400
    # Nothing wider than the screen: no sideways scrolling; each row is a card with its labels.
    assert result['page_width'] <= result['viewport'] + 1, result
    assert result['head_shown'] is False and result['label'] == '"Certificate"'
    assert 300 < result['plot_width'] <= result['viewport']


def test_phone_screenshot_is_kept(report, tmp_path):
    os.makedirs(OUTPUT, exist_ok=True)
    target = os.path.join(OUTPUT, 'certificate_inventory_phone.png')
    if os.path.exists(target):
        os.unlink(target)
    frame = tmp_path / 'frame.html'
    frame.write_text((_FRAME % 390).replace('driven.html', (report / 'inventory.html').as_uri()).replace(
        'height:900px', 'height:1600px'))
    _chromium(tmp_path, '--window-size=500,1600', '--hide-scrollbars', '--screenshot=%s' % target, frame.as_uri())
    with open(target, 'rb') as handle:
        assert handle.read(8) == b'\x89PNG\r\n\x1a\n'
    assert os.path.getsize(target) > 10000
