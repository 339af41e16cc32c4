# -*- coding: utf-8 -*-
"""Every finding code, produced by a real TLS server (Python ssl / OpenSSL) on 127.0.0.1 with test-PKI chains."""

from __future__ import annotations

import datetime
import ssl
import time

import pytest
from cryptography.hazmat.primitives import hashes

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
from tests.support.peers import tls_servers

DAY = datetime.timedelta(days=1)


def _case(leaf, chain, server_name, **server_options):
    return {'leaf': leaf, 'chain': chain, 'server_name': server_name, 'server_options': server_options}


@pytest.fixture(scope='module')
def lab(pki, tmp_path_factory):
    leaves = pki.leaves
    future = pki.issue_leaf('future.example.hk', not_before=pki.now + 5 * DAY, not_after=pki.now + 200 * DAY)
    weak = pki.issue_leaf('weak.example.hk', bits=1024)
    cases = {
        'ok': _case(leaves['standard'], [pki.ssl_new], 'www.example.hk'),
        'ok_cross': _case(leaves['standard'], [pki.ssl_new, pki.cross], 'www.example.hk'),
        'ok_wildcard': _case(leaves['wildcard'], [pki.ssl_new], 'shop.example.hk'),
        'ok_ev': _case(leaves['ev'], [pki.ev_new], 'secure.example.hk'),
        'missing_intermediate': _case(leaves['standard'], [], 'www.example.hk'),
        'old_intermediate': _case(leaves['under_old'], [pki.ssl_old], 'legacy.example.hk'),
        'wrong_order': _case(leaves['standard'], [pki.cross, pki.ssl_new], 'www.example.hk'),
        'extra_root': _case(leaves['standard'], [pki.ssl_new, pki.root], 'www.example.hk'),
        'extra_unrelated': _case(leaves['standard'], [pki.ssl_new, pki.trial_ssl], 'www.example.hk'),
        'expired': _case(leaves['expired'], [pki.ssl_new], 'old.example.hk'),
        'expiring': _case(leaves['expiring'], [pki.ssl_new], 'soon.example.hk'),
        'not_yet_valid': _case(future, [pki.ssl_new], 'future.example.hk'),
        'name_mismatch': _case(leaves['standard'], [pki.ssl_new], 'shop.example.hk'),
        'wildcard_two_labels': _case(leaves['wildcard'], [pki.ssl_new], 'a.b.example.hk'),
        'foreign': _case(leaves['foreign'], [], 'www.example.com'),
        'untrusted_trial': _case(leaves['trial'], [pki.trial_ssl], 'trial.example.hk'),
        'weak_key': _case(weak, [pki.ssl_new], 'weak.example.hk', allow_weak=True),
    }
    servers, endpoints = [], []
    for case in cases.values():
        server = tls_servers.tls_endpoint([case['leaf'].pem] + [c.pem for c in case['chain']], case['leaf'].key_pem,
                                          **case['server_options'])
        servers.append(server)
        endpoints.append({'host': '127.0.0.1', 'port': server.port, 'server_name': case['server_name']})
    trust = tmp_path_factory.mktemp('trust') / 'trust.pem'
    trust.write_text(pki.root.pem + pki.globalsign.pem)
    audit = audit_endpoints(endpoints, trust=str(trust), timeout=5, concurrency=8)
    yield dict(zip(cases, audit['endpoints'])), audit, str(trust)
    for server in servers:
        server.stop()


def codes(result):
    return sorted(f['code'] for f in result['findings'])


@pytest.mark.parametrize('name, expected, verdict', [
    ('ok', ['ok'], 'ok'),
    ('ok_cross', ['ok'], 'ok'),
    ('ok_wildcard', ['ok'], 'ok'),
    ('ok_ev', ['ok'], 'ok'),
    ('missing_intermediate', ['missing_intermediate'], 'critical'),
    ('old_intermediate', ['old_intermediate'], 'critical'),
    ('wrong_order', ['wrong_order'], 'warning'),
    ('extra_root', ['extra_certificates'], 'warning'),
    ('extra_unrelated', ['extra_certificates'], 'warning'),
    ('expired', ['expired'], 'critical'),
    ('expiring', ['expiring'], 'warning'),
    ('not_yet_valid', ['not_yet_valid'], 'critical'),
    ('name_mismatch', ['name_mismatch'], 'critical'),
    ('wildcard_two_labels', ['name_mismatch'], 'critical'),
    ('foreign', ['missing_intermediate', 'not_hkpost'], 'critical'),
    ('untrusted_trial', ['untrusted'], 'critical'),
    ('weak_key', ['weak_key'], 'critical'),
])
def test_finding_codes_from_real_servers(lab, name, expected, verdict):
    results, _audit, _trust = lab
    result = results[name]
    assert codes(result) == expected, result['findings']
    assert result['verdict'] == verdict
    assert all(f['message'] and '\n' not in f['message'] for f in result['findings'])


def test_served_is_the_chain_as_sent_in_order(lab, pki):
    results, _audit, _trust = lab
    sent = [pki.leaves['standard'], pki.cross, pki.ssl_new]
    assert [c['sha256'] for c in results['wrong_order']['served']] == [
        i.cert.fingerprint(hashes.SHA256()).hex().upper() for i in sent]
    assert [c['role'] for c in results['wrong_order']['served']] == ['leaf', 'cross', 'intermediate']
    assert [c['role'] for c in results['missing_intermediate']['served']] == ['leaf']
    old = results['old_intermediate']['served'][1]
    assert (old['role'], old['generation'], old['eku']) == ('intermediate', 'old', None)
    # Python's ssl server speaks TLS 1.3 too: read over TLS 1.2, TLS 1.3 known from its downgrade sentinel.
    assert (results['ok']['tls_version'], results['ok']['chain_read_over']) == ('TLSv1.3', 'TLSv1.2')
    assert results['ok']['served'][0]['subject_cn'] == 'www.example.hk'


def test_messages_name_the_problem(lab):
    results, _audit, _trust = lab
    missing = results['missing_intermediate']['findings'][0]['message']
    assert "Hongkong Post e-Cert SSL CA 3 - 17" in missing and 'unable to get local issuer certificate' in missing
    assert 'RSA 1024-bit' in results['weak_key']['findings'][0]['message']
    assert "'shop.example.hk'" in results['name_mismatch']['findings'][0]['message']
    expiring = results['expiring']['findings'][0]['message']
    assert 'soon.example.hk' in expiring and 'warn_days 30' in expiring
    assert "the root 'Hongkong Post Root CA 3' itself" in results['extra_root']['findings'][0]['message']


def test_summary_counts(lab):
    results, audit, _trust = lab
    summary = audit['summary']
    assert summary['total'] == len(results)
    assert summary['by_verdict'] == {'ok': 4, 'warning': 4, 'critical': 9, 'error': 0}
    assert summary['by_code']['ok'] == 4
    assert summary['by_code']['missing_intermediate'] == 2


def test_bundled_trust_does_not_trust_the_test_pki(lab):
    _results, audit, _trust = lab
    endpoint = audit['endpoints'][0]
    again = audit_endpoints([endpoint], trust='bundled', timeout=5)['endpoints'][0]
    assert codes(again) == ['untrusted']
    # Same names as the real hierarchy, other keys: caught by the signature, not fooled by the name.
    assert 'signature does not verify' in again['findings'][0]['message']


def test_server_name_default_is_host_and_ip_is_matched_against_ip_sans(pki):
    leaf = pki.issue_leaf('ip.example.hk', sans=['ip.example.hk'], ip_sans=['127.0.0.1'])
    server = tls_servers.tls_endpoint([leaf.pem, pki.ssl_new.pem], leaf.key_pem)
    try:
        result = audit_endpoints([{'host': '127.0.0.1', 'port': server.port}], trust='bundled', timeout=5)
        endpoint = result['endpoints'][0]
        assert endpoint['server_name'] == '127.0.0.1'
        assert 'name_mismatch' not in codes(endpoint)
        by_name = audit_endpoints([{'host': '127.0.0.1', 'port': server.port, 'server_name': 'other.example.hk'}],
                                  timeout=5)['endpoints'][0]
        assert 'name_mismatch' in codes(by_name)
    finally:
        server.stop()


# -- bad input: each a finding or a clear error, never a hang ------------------------------------------------

def test_unreachable_and_tls_errors_never_fail_the_audit(pki):
    http = tls_servers.http_endpoint()
    silent = tls_servers.silent_endpoint()
    closing = tls_servers.closing_endpoint()
    tls13 = tls_servers.tls_endpoint([pki.leaves['standard'].pem, pki.ssl_new.pem], pki.leaves['standard'].key_pem,
                                     minimum=ssl.TLSVersion.TLSv1_3)
    refused = tls_servers.free_port_nobody_listens()
    endpoints = [
        {'host': '127.0.0.1', 'port': http.port},
        {'host': '127.0.0.1', 'port': silent.port},
        {'host': '127.0.0.1', 'port': closing.port},
        {'host': '127.0.0.1', 'port': tls13.port, 'server_name': 'www.example.hk'},
        {'host': '127.0.0.1', 'port': refused},
        {'host': 'no-such-host.invalid', 'port': 443},
    ]
    try:
        started = time.monotonic()
        audit = audit_endpoints(endpoints, timeout=5, concurrency=10)
        elapsed = time.monotonic() - started
    finally:
        for server in (http, silent, closing, tls13):
            server.stop()
    http_r, silent_r, closing_r, tls13_r, refused_r, dns_r = audit['endpoints']
    assert codes(http_r) == ['tls_error'] and 'plain HTTP' in http_r['findings'][0]['message']
    assert codes(silent_r) == ['tls_error'] and 'no TLS answer within 5s' in silent_r['findings'][0]['message']
    assert codes(closing_r) == ['tls_error'] and 'closed the connection' in closing_r['findings'][0]['message']
    assert codes(refused_r) == ['unreachable'] and 'refused' in refused_r['findings'][0]['message']
    assert codes(dns_r) == ['unreachable']
    failures = [http_r, silent_r, closing_r, refused_r, dns_r]
    assert all(r['verdict'] == 'error' and r['served'] == [] for r in failures)
    assert audit['summary']['by_verdict']['error'] == 5
    # TLS 1.3 only: no longer an error - the chain is read from a full TLS 1.3 handshake (Python's ssl).
    assert codes(tls13_r) == ['untrusted'] and (tls13_r['tls_version'], tls13_r['chain_read_over']) == ('TLSv1.3',) * 2
    assert len(tls13_r['served']) == 2
    # Not a timing assertion on speed: the bound proves the silent server did not hang the audit.
    assert elapsed < 30


@pytest.mark.parametrize('entry, message', [
    ({'port': 443}, 'endpoints[0]: no host'),
    ({'host': '', 'port': 443}, 'endpoints[0]: no host'),
    ({'host': 'a.example.hk', 'port': 0}, 'port 0 is out of range'),
    ({'host': 'a.example.hk', 'port': 70000}, 'port 70000 is out of range'),
    ({'host': 'a.example.hk', 'port': 'https'}, "port 'https' is not a number"),
])
def test_bad_entries_are_clear_errors(entry, message):
    with pytest.raises(HkpostError, match=message.replace('[', r'\[').replace(']', r'\]')):
        audit_endpoints([entry])


def test_bad_options_and_trust(tmp_path):
    with pytest.raises(HkpostError, match='timeout must be greater than 0'):
        audit_endpoints([{'host': 'x'}], timeout=0)
    with pytest.raises(HkpostError, match='no such file'):
        audit_endpoints([{'host': 'x'}], trust=str(tmp_path / 'missing.pem'))
    assert audit_endpoints([])['summary']['total'] == 0
