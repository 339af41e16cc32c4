# -*- coding: utf-8 -*-
"""One full renewal cycle of a fleet through real ansible-playbook on simulated Windows hosts.

Six hosts with 1-3 certificates each (IIS and Exchange, a wildcard, a multi-domain, an IDN name):
renew.yml --tags request -> the CSRs are "issued" by the test PKI from the CSR files (the portal) ->
the intake folder gets them shuffled, renamed, one as DER, one with the chain appended, plus a stray and a
duplicate -> renew.yml --tags install. Then every host serves its new certificates (the simulated IIS
http.sys mappings and Exchange services), the replaced certificates are gone and nothing else is, and a
second run of each phase changes nothing.

The Windows side is the fake host behind the loopback WinRM endpoint (tests.support.winrm): ansible-playbook
talks WinRM (https, NTLM) to it with the real winrm connection plugin. The served-chain checks after
binding/enabling need real TLS servers and are exercised in tests/integration/install; here they are off
(hkpost_iis_verify, hkpost_exchange_verify, hkpost_renew_audit false).
"""

from __future__ import annotations

import copy
import csv
import datetime
import itertools
import json
import os
import random
import re
import shutil

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.pki import IDN_ASCII, IDN_UNICODE
from tests.support.portal import issue_sheet
from tests.support.winrm.fleet import ROOT, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host
from tests.support.windows.certstore import entry_for
from tests.support.windows.exchange import add_account, add_certificate, exchange_state
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert

PASSWORD = 'Renewal-Fleet-PFX-3b9d'
# What an Exchange host's inventory needs over this NTLM connection (issue 20): the session's own account for the
# second hop, and the server's FQDN for Kerberos to the Exchange endpoint (the inventory names are short).
EXCHANGE_USER, EXCHANGE_PASSWORD = 'CORP\\svc-exchange', 'Exch-Session-5e90'


def exchange_vars(name):
    return {'hkpost_exchange_server': '%s.corp.example.hk' % name, 'hkpost_exchange_username': EXCHANGE_USER,
            'hkpost_exchange_password': EXCHANGE_PASSWORD}


DAY = datetime.timedelta(days=1)

FLEET = {
    'web1': ('iis', [{'common_name': 'www.example.hk',
                      'iis_bindings': [{'site': 'Default Web Site', 'host_header': 'www.example.hk'}]}]),
    'web2': ('iis', [{'common_name': '*.example.hk', 'certificate_type': 'wildcard',
                      'iis_bindings': [{'site': 'Shop', 'host_header': 'shop.example.hk'},
                                       {'site': 'Pay', 'host_header': 'pay.example.hk'}]},
                     {'common_name': 'portal.example.hk', 'certificate_type': 'multi_domain',
                      'subject_alt_names': ['api.example.hk'],
                      'iis_bindings': [{'site': 'Portal', 'host_header': 'portal.example.hk'}]},
                     {'common_name': IDN_UNICODE,
                      'iis_bindings': [{'site': 'IDN', 'host_header': IDN_ASCII}]}]),
    'web3': ('iis', [{'common_name': 'a.example.org', 'iis_bindings': [{'site': 'A', 'host_header': 'a.example.org'}]},
                     {'common_name': 'b.example.org', 'iis_bindings': [{'site': 'B', 'host_header': 'b.example.org'}]}]),
    'web4': ('iis', [{'common_name': 'www.example.net',
                      'iis_bindings': [{'site': 'Default Web Site', 'host_header': 'www.example.net'}]}]),
    'ex1': ('exchange', [{'common_name': 'mail.example.hk', 'exchange_services': ['IIS', 'SMTP']}]),
    'ex2': ('exchange', [{'common_name': 'mail.example.org', 'exchange_services': ['IIS', 'SMTP']},
                         {'common_name': 'imap.example.org', 'exchange_services': ['IMAP', 'POP']}]),
}


def _sites(host, names):
    for name in names:
        add_site(host, name, [('http', '*:80:', 0)])


@pytest.fixture
def fleet(pki, tmp_path):
    state = tmp_path / 'hosts'
    state.mkdir()
    out = tmp_path / 'out'
    old_www = pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    other_ca = pki.issue_leaf('www.example.hk', issuer=pki.foreign_root, not_before=pki.now - 100 * DAY)
    old_wild = pki.issue_leaf('*.example.hk', sans=['*.example.hk', 'example.hk'], not_before=pki.now - 190 * DAY,
                              not_after=pki.now + 9 * DAY)
    old_mail = pki.issue_leaf('mail.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)

    web1 = FakeWindowsHost()
    web1.stores['My'] += [entry_for(old_www.cert, old_www.key), entry_for(other_ca.cert, other_ca.key)]
    add_site(web1, 'Default Web Site', [('http', '*:80:', 0), ('https', '*:443:www.example.hk', 1)])
    map_sslcert(web1, 'hostnameport', 'www.example.hk:443', old_www.thumbprint)
    web2 = FakeWindowsHost()
    web2.stores['My'].append(entry_for(old_wild.cert, old_wild.key))
    _sites(web2, ['Portal', 'IDN'])
    add_site(web2, 'Shop', [('https', '*:443:shop.example.hk', 1)])
    add_site(web2, 'Pay', [('https', '*:443:pay.example.hk', 1)])
    map_sslcert(web2, 'hostnameport', 'shop.example.hk:443', old_wild.thumbprint)
    map_sslcert(web2, 'hostnameport', 'pay.example.hk:443', old_wild.thumbprint)
    web3 = FakeWindowsHost(os_build=17763)
    _sites(web3, ['A', 'B'])
    web4 = FakeWindowsHost(os_build=14393)
    _sites(web4, ['Default Web Site'])
    ex1 = FakeWindowsHost(os_build=7601)
    exchange_state(ex1)
    add_certificate(ex1, old_mail.cert, old_mail.key, services=['IIS', 'SMTP'])
    ex1.stores['My'].append(entry_for(old_mail.cert, old_mail.key, exportable=True))
    ex2 = FakeWindowsHost(os_build=9600)
    exchange_state(ex2, 'Version 15.1 (Build 2507.6)')
    for host in (ex1, ex2):
        add_account(host, EXCHANGE_USER, EXCHANGE_PASSWORD)
    for name, host in (('web1', web1), ('web2', web2), ('web3', web3), ('web4', web4), ('ex1', ex1), ('ex2', ex2)):
        save_host(str(state), name, host)

    (tmp_path / 'root.pem').write_text(pki.root.pem)
    (tmp_path / 'ssl.pem').write_text(pki.ssl_new.pem)
    inventory = {'all': {
        'vars': {'hkpost_output_dir': str(out), 'hkpost_backup_password': PASSWORD,
                 'hkpost_csr_organization': 'Example Ltd'},
        'children': {'ecert_servers': {
            'vars': {'hkpost_chain_root_certificate_file': str(tmp_path / 'root.pem'),
                     'hkpost_chain_ssl_intermediate_file': str(tmp_path / 'ssl.pem'),
                     'hkpost_iis_verify': False, 'hkpost_exchange_verify': False, 'hkpost_renew_audit': False},
            'hosts': {name: dict({'hkpost_platform': platform, 'hkpost_certificates': certs},
                                 **(exchange_vars(name) if platform == 'exchange' else {}))
                      for name, (platform, certs) in FLEET.items()}}}}}
    return {'state': state, 'out': out, 'inventory': inventory, 'runs': itertools.count(), 'old': [old_www, old_wild, old_mail],
            'other_ca': other_ca, 'tmp': tmp_path}


def renew(fleet, *args):
    # Over the loopback WinRM endpoint (tests/support/winrm): the real winrm connection plugin, NTLM over https,
    # Ansible's PowerShell packaging; started from another directory, as from the user's project, so the
    # outputs must land in hkpost_output_dir.
    work = fleet['tmp'] / ('winrm-%d' % next(fleet['runs']))
    work.mkdir()
    proc, _report = run_over_winrm(fleet['state'], work, copy.deepcopy(fleet['inventory']),
                                   os.path.join(ROOT, 'playbooks', 'renew.yml'), *args, cwd=fleet['tmp'], timeout=1200)
    output = proc.stdout + proc.stderr
    assert PASSWORD not in output and EXCHANGE_PASSWORD not in output and 'PRIVATE KEY' not in output
    return proc.returncode, output


def flat(output):
    """The output with its line wrapping undone (tables are lists of lines, folded by the yaml result format)."""
    return ' '.join(output.split())


def recap(output):
    found = {}
    for line in output.splitlines():
        match = re.match(r'^(\S+)\s+:\s+(ok=.*)$', line)
        if match:
            found[match.group(1)] = dict(part.split('=') for part in match.group(2).split())
    return found


def hosts(fleet):
    return {name: load_host(str(fleet['state']), name) for name in FLEET}


def fill_intake(pki, fleet, issued):
    intake = fleet['out'] / 'intake'
    intake.mkdir(parents=True)
    rng = random.Random(12)
    leaves = list(issued.values())
    rng.shuffle(leaves)
    for index, leaf in enumerate(leaves):
        if index == 0:
            (intake / 'download.cer').write_bytes(leaf.der)                         # DER
        elif index == 1:
            (intake / 'cert (1).crt').write_text(leaf.pem + pki.ssl_new.pem)        # chain appended
        else:
            (intake / ('%08x.pem' % rng.getrandbits(32))).write_text(leaf.pem)      # renamed
    shutil.copy(intake / 'download.cer', intake / 'download (2).cer')              # the same file twice
    (intake / 'stray.pem').write_text(pki.leaves['ev'].pem)                         # someone else's certificate


def served(host):
    return {endpoint.split(':')[0]: m['thumbprint'] for endpoint, m in host.state['iis']['sslcert']['hostnameport'].items()}


def test_request_intake_install_and_reruns_change_nothing(pki, fleet):
    before = hosts(fleet)
    rc, out = renew(fleet, '--tags', 'request', '--check', '--diff')
    assert rc == 0, out[-4000:]
    assert {n: h.stores['REQUEST'] for n, h in hosts(fleet).items()} == {n: h.stores['REQUEST'] for n, h in before.items()}
    # a dry run leaves the sheet the intake reads alone and writes its prediction beside it (issue 22)
    assert not (fleet['out'] / 'csr' / 'submission.csv').exists()
    with open(fleet['out'] / 'csr' / 'submission.check.csv', encoding='utf-8') as f:
        predicted = list(csv.DictReader(f))
    assert len(predicted) == 10 and {r['public_key_sha256'] for r in predicted} == {'(check mode)'}
    assert 'would request www.example.hk' in flat(out)

    rc, out = renew(fleet, '--tags', 'request')
    assert rc == 0, out[-4000:]
    with open(fleet['out'] / 'csr' / 'submission.csv', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10 and {r['host'] for r in rows} == set(FLEET)
    now = hosts(fleet)
    for row in rows:  # every pending key backed up before submission, by the thumbprint the sheet records
        pending = {e['thumbprint']: e for e in now[row['host']].stores['REQUEST']}
        assert spki_sha256(pending[row['pending_thumbprint']]['key'].public_key()) == row['public_key_sha256']
        assert (fleet['out'] / 'backup' / row['host'] / ('%s.pfx' % row['pending_thumbprint'])).exists()
    assert 'Fleet summary of the request phase' in out

    rc, out = renew(fleet, '--tags', 'request')
    assert rc == 0, out[-4000:]
    assert {h: r['changed'] for h, r in recap(out).items() if h in FLEET} == {h: '0' for h in FLEET}, out[-4000:]
    assert 'already pending www.example.hk' in flat(out) and 'requested www.example.hk' not in flat(out)

    issued = issue_sheet(pki, fleet['out'] / 'csr' / 'submission.csv')
    fill_intake(pki, fleet, issued)

    snapshot = {n: (sorted(e['thumbprint'] for e in h.stores['My']), dict(h.state.get('iis', {})))
                for n, h in hosts(fleet).items()}
    rc, out = renew(fleet, '--tags', 'install', '--check', '--diff')
    assert rc == 0, out[-4000:]
    reports = fleet['out'] / 'reports'
    assert not (reports / 'renewal.json').exists()   # no record of an install that did not happen
    predicted = json.loads((reports / 'renewal.check.json').read_text())['hosts']
    assert {r['host']: r['detail'].split(' ')[:2] for r in predicted} == {h: ['would', 'install'] for h in FLEET}
    assert {n: (sorted(e['thumbprint'] for e in h.stores['My']), dict(h.state.get('iis', {})))
            for n, h in hosts(fleet).items()} == snapshot

    rc, out = renew(fleet, '--tags', 'install')
    assert rc == 0, out[-6000:]
    after = hosts(fleet)
    new = {key: leaf.thumbprint for key, leaf in issued.items()}
    assert served(after['web1']) == {'www.example.hk': new[('web1', 'www.example.hk')]}
    assert served(after['web2']) == {'shop.example.hk': new[('web2', '*.example.hk')],
                                     'pay.example.hk': new[('web2', '*.example.hk')],
                                     'portal.example.hk': new[('web2', 'portal.example.hk')],
                                     IDN_ASCII: new[('web2', IDN_ASCII)]}
    assert served(after['web3']) == {'a.example.org': new[('web3', 'a.example.org')],
                                     'b.example.org': new[('web3', 'b.example.org')]}
    assert served(after['web4']) == {'www.example.net': new[('web4', 'www.example.net')]}
    for name in ('ex1', 'ex2'):
        services = {c['thumbprint']: sorted(c['services']) for c in after[name].state['exchange']['certificates']}
        for cert in FLEET[name][1]:
            assert services[new[(name, cert['common_name'])]] == sorted(cert['exchange_services'])
    # The replaced certificates are gone, and nothing else: each My store is exactly the new ones plus the
    # certificates that were not replaced (the other CA's).
    for name in FLEET:
        mine = sorted(e['thumbprint'] for e in after[name].stores['My'])
        expected = sorted(t for (host, _cn), t in new.items() if host == name)
        if name == 'web1':
            expected = sorted(expected + [fleet['other_ca'].thumbprint])
        assert mine == expected, name
        assert after[name].stores['REQUEST'] == []
    assert [c['thumbprint'] for c in after['ex1'].state['exchange']['certificates']] == [new[('ex1', 'mail.example.hk')]]
    report = (fleet['out'] / 'reports' / 'renewal.json').read_text()
    assert '"no_match"' in report and '"duplicate"' in report
    summary = json.loads(report)
    for old in fleet['old']:  # backed up before it was retired, on Exchange too (one retire policy), and listed
        host = {'www.example.hk': 'web1', '*.example.hk': 'web2', 'mail.example.hk': 'ex1'}[old.cert.subject.rfc4514_string().split('CN=')[1].split(',')[0]]
        assert (fleet['out'] / 'backup' / host / ('%s.pfx' % old.thumbprint)).exists(), host
        assert old.thumbprint in json.dumps(summary), host

    rc, out = renew(fleet, '--tags', 'install')
    assert rc == 0, out[-4000:]
    assert {h: r['changed'] for h, r in recap(out).items() if h in FLEET} == {h: '0' for h in FLEET}, out[-6000:]
    rows = json.loads((fleet['out'] / 'reports' / 'renewal.json').read_text())['hosts']
    assert {r['host']: r['detail'].split(' ')[:2] for r in rows} == {h: ['already', 'installed'] for h in FLEET}

    # --limit, as the docs advise: the summary plays still run (they are not plays on localhost, which a limit
    # skips), and the report keeps the other hosts' rows
    rc, out = renew(fleet, '--tags', 'install', '--limit', 'web1')
    assert rc == 0, out[-4000:]
    assert 'Fleet summary of the install phase' in out
    rows = json.loads((fleet['out'] / 'reports' / 'renewal.json').read_text())['hosts']
    assert sorted(r['host'] for r in rows) == sorted(FLEET)
