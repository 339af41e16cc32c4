# -*- coding: utf-8 -*-
"""Report rendering (CSV, JSON, HTML structure) and endpoint sources (list file, inventory)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._endpoint_list import (
    inventory_endpoints, parse_endpoint_list)
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import render_csv, render_html, render_json
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain import (
    ChainJudge, TrustAnchors, failed, summarise)


@pytest.fixture(scope='module')
def audit(pki):
    judge = ChainJudge(TrustAnchors([pki.root.cert], 'test roots'), now=pki.now)
    endpoints = [
        dict({'host': 'a.example.hk', 'port': 443, 'server_name': 'www.example.hk', 'tls_version': 'TLSv1.2'},
             **judge.judge([pki.leaves['standard'].der, pki.ssl_new.der], 'www.example.hk')),
        dict({'host': '=cmd|calc', 'port': 8443, 'server_name': '-2+3', 'tls_version': None},
             **failed('unreachable', 'connection refused')),
        dict({'host': 'c.example.hk', 'port': 443, 'server_name': 'c.example.hk', 'tls_version': 'TLSv1.2'},
             **judge.judge([pki.leaves['expired'].der], 'old.example.hk')),
    ]
    return {'endpoints': endpoints, 'summary': summarise(endpoints), 'trust': 'test roots', 'changed': False}


def test_csv_one_row_per_endpoint_and_no_formulas(audit):
    rows = list(csv.DictReader(io.StringIO(render_csv(audit))))
    assert [r['verdict'] for r in rows] == ['ok', 'error', 'critical']
    assert rows[0]['codes'] == 'ok' and rows[0]['days_left'].isdigit()
    assert rows[2]['codes'] == 'missing_intermediate;expired'
    assert rows[1]['host'] == "'=cmd|calc" and rows[1]['server_name'] == "'-2+3"
    assert rows[2]['days_left'].startswith('-')  # a negative number is data, not a formula
    assert len(rows[0]['served_sha256'].split()) == 2


def test_json_keeps_summary_and_endpoints(audit):
    data = json.loads(render_json(audit, generated='2026-11-21 00:00 UTC'))
    assert data['summary'] == audit['summary'] and len(data['endpoints']) == 3
    assert data['generated'] == '2026-11-21 00:00 UTC' and 'changed' not in data


def test_html_has_counts_rows_and_timeline(audit):
    page = render_html(audit, title='T & T', warn_days=45)
    assert '<title>T &amp; T</title>' in page
    assert 'id="count-ok" style="color:#1a7f37">1<' in page and 'id="count-error" style="color:#6b46c1">1<' in page
    assert page.count('<tr class="v-') == 3
    assert page.count('class="dot"') == 2  # the unreachable endpoint has no expiry
    assert 'expiring within 45 days' in page
    assert '{{' not in page and '{%' not in page and '{#' not in page  # nothing Jinja could take for syntax


def test_render_refuses_other_input():
    with pytest.raises(ValueError, match='hkpost_served_chain'):
        render_html({'msg': 'something else'})


def test_endpoint_list_file():
    text = '''
    # comment
    www.example.hk
    192.0.2.10:8443 portal.example.hk   # trailing comment
    [2001:db8::1]:443 a.example.hk b.example.hk
    2001:db8::2
    '''
    assert parse_endpoint_list(text) == [
        {'host': 'www.example.hk', 'port': 443, 'server_name': 'www.example.hk'},
        {'host': '192.0.2.10', 'port': 8443, 'server_name': 'portal.example.hk'},
        {'host': '2001:db8::1', 'port': 443, 'server_name': 'a.example.hk'},
        {'host': '2001:db8::1', 'port': 443, 'server_name': 'b.example.hk'},
        {'host': '2001:db8::2', 'port': 443, 'server_name': '2001:db8::2'},
    ]
    with pytest.raises(HkpostError, match='line 1: port .99999'):
        parse_endpoint_list('a.example.hk:99999')


def test_inventory_endpoints():
    hosts = [{'inventory_hostname': 'web1', 'ansible_host': '192.0.2.1', 'hkpost_served_names': ['a.hk', 'b.hk']},
             {'inventory_hostname': 'web2.example.hk', 'hkpost_served_port': 8443},
             {'inventory_hostname': 'web3', 'hkpost_served_names': 'c.hk'}]
    assert inventory_endpoints(hosts) == [
        {'host': '192.0.2.1', 'port': 443, 'server_name': 'a.hk'},
        {'host': '192.0.2.1', 'port': 443, 'server_name': 'b.hk'},
        {'host': 'web2.example.hk', 'port': 8443, 'server_name': 'web2.example.hk'},
        {'host': 'web3', 'port': 443, 'server_name': 'c.hk'},
    ]
