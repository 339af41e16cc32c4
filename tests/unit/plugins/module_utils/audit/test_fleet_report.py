# -*- coding: utf-8 -*-
"""Report rendering (CSV, JSON, HTML structure) and endpoint sources (list file, inventory)."""

from __future__ import annotations

import csv
import io
import json
import re

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
    assert [r['verdict'] for r in rows] == ['error', 'critical', 'ok']  # worst first
    assert rows[2]['codes'] == 'ok' and rows[2]['days_left'].isdigit()
    assert rows[1]['codes'] == 'missing_intermediate;expired'
    assert rows[0]['host'] == "'=cmd|calc" and rows[0]['server_name'] == "'-2+3"
    assert rows[1]['days_left'].startswith('-')  # a negative number is data, not a formula
    assert len(rows[2]['served_sha256'].split()) == 2
    assert rows[1]['actions'].startswith("Install the intermediate") and 'Renew now' in rows[1]['actions']


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
        {'host': '192.0.2.1', 'port': 443, 'server_name': 'a.hk', 'inventory_name': 'web1'},
        {'host': '192.0.2.1', 'port': 443, 'server_name': 'b.hk', 'inventory_name': 'web1'},
        {'host': 'web2.example.hk', 'port': 8443, 'server_name': 'web2.example.hk', 'inventory_name': 'web2.example.hk'},
        {'host': 'web3', 'port': 443, 'server_name': 'c.hk', 'inventory_name': 'web3'},
    ]


def _fleet(pki, judge, count):
    """``count`` endpoints on inventory hosts: most ok, two serving one expiring leaf, one expired."""
    endpoints = []
    for index in range(count):
        if index in (3, 7):
            ders, name = [pki.leaves['expiring'].der, pki.ssl_new.der], 'soon.example.hk'
        elif index == 5:
            ders, name = [pki.leaves['expired'].der, pki.ssl_new.der], 'old.example.hk'
        else:
            ders, name = [pki.leaves['standard'].der, pki.ssl_new.der], 'www.example.hk'
        endpoints.append(dict({'host': '10.0.0.%d' % index, 'port': 443, 'server_name': name, 'starttls': None,
                               'inventory_name': 'web%02d' % index, 'tls_version': 'TLSv1.3'},
                              **judge.judge(ders, name)))
    return {'endpoints': endpoints, 'summary': summarise(endpoints), 'trust': 'test roots'}


def test_to_renew_lists_each_leaf_once_with_the_hosts_serving_it(pki):
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._fleet_report import to_renew
    audit = _fleet(pki, ChainJudge(TrustAnchors([pki.root.cert], 'test roots'), now=pki.now), 10)
    renew = to_renew(audit, generated='2026-11-23 00:00 UTC', warn_days=30)
    assert [c['status'] for c in renew['certificates']] == ['expired', 'expiring']  # soonest first
    expiring = renew['certificates'][1]
    assert expiring['common_name'] == 'soon.example.hk' and expiring['hosts'] == ['web03', 'web07']
    assert expiring['sha256'] == pki.leaves['expiring'].cert.fingerprint(__import__(
        'cryptography.hazmat.primitives.hashes', fromlist=['SHA256']).SHA256()).hex().upper()
    assert [e['address'] for e in expiring['endpoints']] == ['10.0.0.3', '10.0.0.7']
    assert renew['hosts'] == {'web05': [{'common_name': 'old.example.hk', 'sha256': renew['certificates'][0]['sha256'],
                                         'status': 'expired', 'days_left': renew['certificates'][0]['days_left']}],
                              'web03': [{'common_name': 'soon.example.hk', 'sha256': expiring['sha256'],
                                         'status': 'expiring', 'days_left': expiring['days_left']}],
                              'web07': [{'common_name': 'soon.example.hk', 'sha256': expiring['sha256'],
                                         'status': 'expiring', 'days_left': expiring['days_left']}]}


def test_large_fleet_is_grouped_by_finding_small_one_is_not(pki):
    judge = ChainJudge(TrustAnchors([pki.root.cert], 'test roots'), now=pki.now)
    small = render_html(_fleet(pki, judge, 10))
    assert 'id="by-finding"' not in small and small.count('<tr class="v-') == 10
    large = render_html(_fleet(pki, judge, 300))
    groups = re.findall(r'<details class="group" data-code="(\w+)"( open)?>', large)
    assert [code for code, _open in groups] == ['expired', 'expiring', 'ok']  # worst first
    assert dict(groups) == {'expired': ' open', 'expiring': ' open', 'ok': ''}  # every ok folded away
    assert re.search(r'id="finding-ok">297<', large) and re.search(r'id="finding-expiring">2<', large)
    assert '<th data-key="host" data-type="text" tabindex="0">Host<' in large and '<th data-key="address"' in large
    assert '>web03<' in large and '>10.0.0.3<' in large


def test_inventory_exchange_hosts_get_mail_endpoints():
    hosts = [{'inventory_hostname': 'ex1', 'ansible_host': '10.0.0.9', 'hkpost_platform': 'exchange',
              'hkpost_served_names': ['mail.example.hk']},
             {'inventory_hostname': 'ex2', 'hkpost_platform': 'exchange',
              'hkpost_certificates': [{'exchange_services': ['IMAP']}, {'exchange_services': ['POP', 'IMAP']}]},
             {'inventory_hostname': 'ex3', 'hkpost_platform': 'exchange',
              'hkpost_served_ports': [443, {'port': 2525, 'starttls': 'smtp'}]}]
    got = [(e['inventory_name'], e['host'], e['port'], e.get('starttls')) for e in inventory_endpoints(hosts)]
    assert got == [('ex1', '10.0.0.9', 443, None), ('ex1', '10.0.0.9', 25, 'smtp'), ('ex1', '10.0.0.9', 587, 'smtp'),
                   ('ex2', 'ex2', 993, None), ('ex2', 'ex2', 143, 'imap'), ('ex2', 'ex2', 995, None),
                   ('ex2', 'ex2', 110, 'pop3'),
                   ('ex3', 'ex3', 443, None), ('ex3', 'ex3', 2525, 'smtp')]
    with pytest.raises(HkpostError, match="ex9: exchange_services entry 'UM' is not one of IIS, SMTP, IMAP, POP"):
        inventory_endpoints([{'inventory_hostname': 'ex9', 'hkpost_platform': 'exchange',
                              'hkpost_certificates': [{'exchange_services': ['UM']}]}])


def test_endpoint_list_mail_schemes():
    assert parse_endpoint_list('smtp://mx.example.hk:2525\nimap://10.0.0.1:1143 mail.example.hk\ntls://mx:25') == [
        {'host': 'mx.example.hk', 'port': 2525, 'server_name': 'mx.example.hk', 'starttls': 'smtp'},
        {'host': '10.0.0.1', 'port': 1143, 'server_name': 'mail.example.hk', 'starttls': 'imap'},
        {'host': 'mx', 'port': 25, 'server_name': 'mx', 'starttls': 'none'},
    ]
    with pytest.raises(HkpostError, match='line 1: ftp:// is not one of'):
        parse_endpoint_list('ftp://a.example.hk')
