# -*- coding: utf-8 -*-
"""The one table sorter of the HTML reports (module_utils/_html_page.py), clicked in headless Chromium: numeric
columns as numbers, text in natural order, ties stable, direction in aria-sort, only the tables it was given."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._html_page import SORTABLE_TABLE_CSS, escape, sort_script

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason='Chromium is not installed (Debian: apt-get install -y '
                                                         'chromium); the sorter cannot be run')

# id, amount (num), rank (a page-specific numeric type), name (text). As text in natural order 10.5 comes before
# 10.25 (5 < 25), 2.5 before 2.25, and -5 is not the smallest, so only a numeric sort gives the numeric order.
ROWS = [('a', '10.5', '3', 'host10'), ('b', '-5', '10', 'host9'), ('c', '10.25', '2.5', 'host1'),
        ('d', '100', '10', 'host9'), ('e', '9', '2.25', 'Host2')]

_DRIVER = """<script>
(function(){
  function run(id){
    var table=document.getElementById(id);var heads=table.tHead.rows[0].cells;var out={};
    function ids(){return Array.prototype.map.call(table.tBodies[0].rows,function(r){return r.getAttribute('data-id');});}
    ['amount','rank','name'].forEach(function(key,i){
      heads[i].click();out[key+'_up']=ids();out[key+'_up_aria']=heads[i].getAttribute('aria-sort');
      heads[i].click();out[key+'_down']=ids();out[key+'_down_aria']=heads[i].getAttribute('aria-sort');
    });
    heads[1].dispatchEvent(new KeyboardEvent('keydown',{key:'Enter'}));out.enter=ids();
    out.others_aria=heads[0].getAttribute('aria-sort');
    return out;
  }
  var pre=document.createElement('pre');pre.id='test-result';
  pre.textContent=JSON.stringify({sorted:run('sorted'),untouched:run('untouched')});document.body.appendChild(pre);
})();
</script>"""


def _table(table_id, css_class):
    head = ''.join('<th data-type="%s" tabindex="0">%s<span class="arrow"></span></th>' % (kind, label)
                   for kind, label in (('num', 'Amount'), ('rank', 'Rank'), ('text', 'Name')))
    rows = []
    for rid, *values in ROWS:
        cells = ''.join('<td data-sort="%s">%s</td>' % (escape(v), escape(v)) for v in values)
        rows.append('<tr data-id="%s">%s</tr>' % (rid, cells))
    body = ''.join(rows)
    return '<table id="%s" class="%s"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (
        table_id, css_class, head, body)


def _sorted_by(column, reverse=False):
    return [row[0] for row in sorted(ROWS, key=lambda row: float(row[column]), reverse=reverse)]


def test_the_sorter_orders_numbers_as_numbers_and_text_naturally(tmp_path):
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>%s</style></head><body>%s%s'
            '<script>%s</script>%s</body></html>' % (
                SORTABLE_TABLE_CSS, _table('sorted', 'cards'), _table('untouched', 'other'),
                sort_script('table.cards', numeric=('num', 'rank')), _DRIVER))
    path = tmp_path / 'sort.html'
    path.write_text(page)
    command = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--no-first-run', '--disable-dev-shm-usage', '--user-data-dir=%s' % (tmp_path / 'profile'),
               '--virtual-time-budget=5000', '--dump-dom', path.as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    match = re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S)
    assert match, 'the page did not run its script in Chromium: %s' % dom[:500]
    result = json.loads(html.unescape(match.group(1)))

    done = result['sorted']
    assert done['amount_up'] == _sorted_by(1) == ['b', 'e', 'c', 'a', 'd']
    assert done['amount_down'] == _sorted_by(1, reverse=True)
    assert (done['amount_up_aria'], done['amount_down_aria']) == ('ascending', 'descending')
    # rank is numeric because the page said so; b and d tie at 10 and keep the order the previous sort left them in.
    assert done['rank_up'] == ['e', 'c', 'a', 'd', 'b']
    assert done['rank_down'] == ['d', 'b', 'a', 'c', 'e']
    assert done['name_up'][:1] == ['c'] and done['name_up'][-1] == 'a'  # host1 ... host10, not host1, host10, ...
    assert done['name_up'].index('e') < done['name_up'].index('b')  # Host2 before host9
    assert done['enter'] == ['e', 'c', 'a', 'd', 'b'] and done['others_aria'] is None
    # A table the selector does not match is left as it is.
    untouched = result['untouched']
    assert all(order == [row[0] for row in ROWS] for key, order in untouched.items() if not key.endswith('aria')
               and key != 'others_aria')
    assert untouched['amount_up_aria'] is None
