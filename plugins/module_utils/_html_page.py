# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the self-contained HTML reports share: escaping, the sortable table's style and its sorter.

The served-chain fleet report (audit/_fleet_report.py) and the certificate inventory page (inventory/_report.py)
each kept a copy of the same table rules and the same header-click sorter, which differed only in which tables they
sort and which column types are numeric. One copy here, so a fix to sorting reaches both pages.
"""

from __future__ import annotations

import html
import json


def escape(value):
    """Text for HTML content or a quoted attribute; None is empty."""
    return html.escape('' if value is None else str(value), quote=True)


# A sortable table: header cells are clickable (th[aria-sort] shows the direction), rows separated by a rule.
SORTABLE_TABLE_CSS = """
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e2e8f0;padding:6px 8px;text-align:left;
vertical-align:top}th{background:#f7fafc;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending] .arrow:after{content:" \\25B2"}th[aria-sort=descending] .arrow:after{content:" \\25BC"}
.badge{color:#fff;border-radius:4px;padding:1px 6px;font-weight:600}
"""

# Sorts each table matching SELECTOR by a header click (or Enter) on the cells' data-sort values: columns whose
# header data-type is in NUMERIC numerically, others as text in natural order (localeCompare numeric); stable on
# ties; the clicked header's aria-sort says the direction.
_SORT_JS = """
(function(){
  var numeric=%(numeric)s;
  Array.prototype.forEach.call(document.querySelectorAll(%(selector)s),function(table){
    var heads=table.tHead.rows[0].cells;
    function sortBy(index,type,dir){
      var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
      rows.forEach(function(r,i){r._i=i;});
      rows.sort(function(a,b){
        var x=a.cells[index].getAttribute('data-sort'),y=b.cells[index].getAttribute('data-sort');
        var c=numeric.indexOf(type)>=0?(parseFloat(x)-parseFloat(y)):x.localeCompare(y,undefined,{numeric:true});
        return (c*dir)||(a._i-b._i);
      });
      rows.forEach(function(r){body.appendChild(r);});
      for(var i=0;i<heads.length;i++){heads[i].removeAttribute('aria-sort');}
      heads[index].setAttribute('aria-sort',dir>0?'ascending':'descending');
    }
    Array.prototype.forEach.call(heads,function(th,index){
      function go(){sortBy(index,th.getAttribute('data-type'),th.getAttribute('aria-sort')==='ascending'?-1:1);}
      th.addEventListener('click',go);
      th.addEventListener('keydown',function(e){if(e.key==='Enter'){go();}});
    });
  });
})();
"""


def sort_script(selector, numeric=('num',)):
    """The sorter for the tables matching the CSS ``selector``, as the text of a <script> element."""
    # json.dumps gives JavaScript string and array literals; '<' is escaped so no value can close the script element.
    def literal(value):
        return json.dumps(value).replace('<', '\\u003c')
    return _SORT_JS % {'selector': literal(selector), 'numeric': literal(list(numeric))}
