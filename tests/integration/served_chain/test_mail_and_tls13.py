# -*- coding: utf-8 -*-
"""TLS 1.3 and the mail protocols against real servers started here on 127.0.0.1, each sending a chosen
test-PKI chain: nginx (TLS 1.3 only, and TLS 1.2 + 1.3), Postfix (SMTP STARTTLS), Dovecot (IMAP and POP3,
STARTTLS and implicit TLS). Both handshake modes must read the same chain from every server."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
from tests.support.peers import mail_servers
from tests.support.peers.tls_nginx import NginxTLS

pytestmark = pytest.mark.skipif(mail_servers.available() is not None, reason=str(mail_servers.available()))

CHAINS = {  # chosen chain -> (attributes of the test PKI, leaf, server name, the finding it must give)
    'correct': ('standard', ('ssl_new',), 'www.example.hk', ['ok']),
    'missing': ('under_new', (), 'fresh.example.hk', ['missing_intermediate']),
    'old': ('under_old', ('ssl_old',), 'legacy.example.hk', ['old_intermediate']),
}


def _chain(pki, kind):
    leaf_name, extra, _name, _codes = CHAINS[kind]
    leaf = pki.leaves[leaf_name]
    return [leaf.pem] + [getattr(pki, attr).pem for attr in extra], leaf.key_pem


def codes(result):
    return sorted(f['code'] for f in result['findings'])


@pytest.fixture(scope='module')
def peers(pki, tmp_path_factory):
    """Every server, and the endpoints to audit: (label, endpoint, chain kind)."""
    started, cases = [], []
    try:
        nginx_cases = [('tls13_only', 'correct', 'TLSv1.3'), ('tls13_only', 'missing', 'TLSv1.3'),
                       ('tls13_only', 'old', 'TLSv1.3'), ('tls12_and_13', 'correct', 'TLSv1.2 TLSv1.3'),
                       ('tls12_and_13', 'old', 'TLSv1.2 TLSv1.3'), ('tls12_only', 'correct', 'TLSv1.2')]
        # The TLS 1.3-only servers get their own address: handshake=auto learns a TLS 1.2 refusal per server
        # address (audit/_tls12_memory.py), and these are other servers than the TLS 1.2-capable ones.
        specs = []
        for _label, kind, protocols in nginx_cases:
            chain, key = _chain(pki, kind)
            specs.append({'chain': chain, 'key': key, 'protocols': protocols,
                          'address': '127.0.0.2' if protocols == 'TLSv1.3' else '127.0.0.1'})
        nginx = NginxTLS(tmp_path_factory.mktemp('nginx'), specs).start()
        started.append(nginx)
        for (label, kind, _protocols), port, spec in zip(nginx_cases, nginx.ports, specs):
            cases.append(('https_%s_%s' % (label, kind), {'port': port, 'host': spec['address']}, kind))

        kinds = ('correct', 'missing', 'old')
        services = [dict(zip(('chain', 'key'), _chain(pki, kind))) for kind in kinds]
        services.append(dict(zip(('chain', 'key'), _chain(pki, 'correct')), starttls=False))
        postfix = mail_servers.Postfix(services).start()
        started.append(postfix)
        for kind, port in zip(kinds, postfix.ports):
            cases.append(('smtp_%s' % kind, {'port': port, 'starttls': 'smtp'}, kind))
        cases.append(('smtp_no_starttls', {'port': postfix.ports[3], 'starttls': 'smtp'}, 'correct'))

        for kind in kinds:
            chain, key = _chain(pki, kind)
            dovecot = mail_servers.Dovecot(chain, key).start()
            started.append(dovecot)
            cases += [('imap_starttls_%s' % kind, {'port': dovecot.ports['imap'], 'starttls': 'imap'}, kind),
                      ('imaps_%s' % kind, {'port': dovecot.ports['imaps']}, kind),
                      ('pop3_starttls_%s' % kind, {'port': dovecot.ports['pop3'], 'starttls': 'pop3'}, kind),
                      ('pop3s_%s' % kind, {'port': dovecot.ports['pop3s']}, kind)]
        chain, key = _chain(pki, 'correct')
        plain = mail_servers.Dovecot(chain, key, ssl=False).start()
        started.append(plain)
        cases += [('imap_no_starttls', {'port': plain.ports['imap'], 'starttls': 'imap'}, 'correct'),
                  ('pop3_no_starttls', {'port': plain.ports['pop3'], 'starttls': 'pop3'}, 'correct')]
        yield cases
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope='module')
def audits(peers, pki, tmp_path_factory):
    trust = tmp_path_factory.mktemp('trust') / 'trust.pem'
    trust.write_text(pki.root.pem)
    endpoints = [dict({'host': '127.0.0.1', 'server_name': CHAINS[kind][2], 'inventory_name': label}, **where)
                 for label, where, kind in peers]
    results = {}
    for handshake in ('auto', 'full'):
        audit = audit_endpoints(endpoints, trust=str(trust), timeout=10, concurrency=8, handshake=handshake,
                                ehlo_name='audit.example.hk')
        results[handshake] = {label: result for (label, _w, _k), result in zip(peers, audit['endpoints'])}
    return results


@pytest.mark.parametrize('handshake', ['auto', 'full'])
def test_every_server_gives_the_finding_of_the_chain_it_sends(peers, audits, pki, handshake):
    for label, _where, kind in peers:
        result = audits[handshake][label]
        if 'no_starttls' in label:
            assert codes(result) == ['no_starttls'] and result['verdict'] == 'critical', (label, result['findings'])
            continue
        leaf_name, extra, _name, expected = CHAINS[kind]
        assert codes(result) == expected, (handshake, label, result['findings'])
        sent = [pki.leaves[leaf_name]] + [getattr(pki, attr) for attr in extra]
        assert [c['sha256'] for c in result['served']] == [i.cert.fingerprint(
            __import__('cryptography.hazmat.primitives.hashes', fromlist=['SHA256']).SHA256()).hex().upper()
            for i in sent], (handshake, label)


def test_negotiated_versions(audits):
    auto, full = audits['auto'], audits['full']
    # TLS 1.3 only: the TLS 1.2 reader is refused, the full handshake reads the chain over TLS 1.3.
    for kind in ('correct', 'missing', 'old'):
        result = auto['https_tls13_only_%s' % kind]
        assert (result['tls_version'], result['chain_read_over']) == ('TLSv1.3', 'TLSv1.3')
    # Both: read over TLS 1.2, and the server's downgrade sentinel says a current client gets TLS 1.3.
    both = auto['https_tls12_and_13_correct']
    assert (both['tls_version'], both['chain_read_over']) == ('TLSv1.3', 'TLSv1.2')
    assert (full['https_tls12_and_13_correct']['tls_version'],
            full['https_tls12_and_13_correct']['chain_read_over']) == ('TLSv1.3', 'TLSv1.3')
    only12 = auto['https_tls12_only_correct']
    assert (only12['tls_version'], only12['chain_read_over']) == ('TLSv1.2', 'TLSv1.2')
    # Postfix and Dovecot (OpenSSL 3) speak TLS 1.3, after STARTTLS too.
    for label in ('smtp_correct', 'imap_starttls_correct', 'pop3_starttls_correct', 'imaps_correct', 'pop3s_correct'):
        assert auto[label]['tls_version'] == 'TLSv1.3' and full[label]['chain_read_over'] == 'TLSv1.3', label


def test_no_starttls_findings_say_which_protocol_and_what_to_do(audits):
    auto = audits['auto']
    smtp = auto['smtp_no_starttls']['findings'][0]
    assert 'does not offer STARTTLS after EHLO' in smtp['message'] and 'SMTP service' in smtp['action']
    assert 'STARTTLS' in auto['imap_no_starttls']['findings'][0]['message']
    assert 'STLS' in auto['pop3_no_starttls']['findings'][0]['message']
    assert auto['pop3_no_starttls']['served'] == [] and auto['pop3_no_starttls']['tls_version'] is None


def test_a_mail_port_audited_without_starttls_is_an_error_not_a_hang(peers, pki):
    smtp_port = next(where['port'] for label, where, _kind in peers if label == 'smtp_correct')
    result = audit_endpoints([{'host': '127.0.0.1', 'port': smtp_port, 'starttls': 'none'}], timeout=3)
    finding = result['endpoints'][0]['findings'][0]
    assert finding['code'] == 'tls_error' and 'another protocol' in finding['message'], finding
