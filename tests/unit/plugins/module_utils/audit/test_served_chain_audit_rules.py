# -*- coding: utf-8 -*-
"""audit_endpoints' rules one by one (issue 21): the options' limits, its defaults, a failed fetch as an
``error`` row, and the EHLO name and STARTTLS against a real Postfix on 127.0.0.1 that checks the name it is
greeted with (``smtpd_helo_restrictions``, postconf(5); ``smtpd_delay_reject = no`` answers at EHLO)."""

from __future__ import annotations

import ssl

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit._served_chain_audit import audit_endpoints
from tests.support.peers import mail_servers, tls_servers


def codes(result):
    return sorted(f['code'] for f in result['findings'])


# -- the options' limits -----------------------------------------------------------------------------------

@pytest.mark.parametrize('options', [{'timeout': 0.5}, {'concurrency': 1}, {'warn_days': 0}, {'handshake': 'full'}],
                         ids=['half a second', 'one at a time', 'no warning', 'full handshake'])
def test_the_smallest_allowed_options_are_accepted(options):
    assert audit_endpoints([], **options)['endpoints'] == []


@pytest.mark.parametrize('options, message', [
    ({'timeout': -1}, r'timeout must be greater than 0 seconds \(got -1\)'),
    ({'concurrency': -3}, r'concurrency must be at least 1 \(got -3\)'),
    ({'handshake': 'fast'}, r'handshake=fast: give auto .* or full'),
])
def test_options_out_of_range_are_refused(options, message):
    with pytest.raises(HkpostError, match=message):
        audit_endpoints([], **options)


def test_no_endpoints_is_an_empty_audit():
    audit = audit_endpoints(None)
    assert audit['endpoints'] == [] and audit['summary']['total'] == 0


# -- defaults and outcomes -------------------------------------------------------------------------------

def test_the_default_warning_window_is_30_days(pki):
    leaf = pki.leaves['expiring']  # 10 days left
    server = tls_servers.tls_endpoint([leaf.pem, pki.ssl_new.pem], leaf.key_pem)
    try:
        result = audit_endpoints([{'host': '127.0.0.1', 'port': server.port, 'server_name': 'soon.example.hk'}],
                                 timeout=3)['endpoints'][0]
    finally:
        server.stop()
    assert 'expiring' in codes(result)
    assert 'warn_days 30' in [f for f in result['findings'] if f['code'] == 'expiring'][0]['message']


def test_a_failed_fetch_is_an_error_row_not_a_failed_audit():
    port = tls_servers.free_port_nobody_listens()
    audit = audit_endpoints([{'host': '127.0.0.1', 'port': port}], timeout=2)
    row = audit['endpoints'][0]
    assert codes(row) == ['unreachable'] and row['verdict'] == 'error'
    assert (row['tls_version'], row['chain_read_over'], row['port']) == (None, None, port)
    assert audit['summary']['by_verdict']['error'] == 1


# -- SMTP: the EHLO name, and STARTTLS learned apart from direct TLS on one address ---------------------------

STRICT_HELO = {'smtpd_helo_required': 'yes', 'smtpd_delay_reject': 'no',
               'smtpd_helo_restrictions': 'reject_invalid_helo_hostname,reject_non_fqdn_helo_hostname'}


@pytest.fixture(scope='module')
def postfix(pki):
    if mail_servers.available() is not None:
        pytest.skip(mail_servers.available())
    leaf = pki.leaves['standard']
    server = mail_servers.Postfix([{'chain': [leaf.pem, pki.ssl_new.pem], 'key': leaf.key_pem,
                                    'options': STRICT_HELO}]).start()
    try:
        yield server
    finally:
        server.stop()


def _smtp(postfix, **options):
    return audit_endpoints([{'host': '127.0.0.1', 'port': postfix.port, 'server_name': 'www.example.hk',
                             'starttls': 'smtp'}], trust='bundled', timeout=5, **options)['endpoints'][0]


def test_without_an_ehlo_name_the_server_is_greeted_with_the_address_literal(postfix):
    # [127.0.0.1] passes Postfix's syntax checks; "None", or an IPv6 literal of an IPv4 address, would not.
    result = _smtp(postfix)
    assert result['chain_read_over'] == 'TLSv1.2' and len(result['served']) == 2
    assert _smtp(postfix, ehlo_name='')['chain_read_over'] == 'TLSv1.2'


def test_the_ehlo_name_given_is_the_one_sent(postfix):
    # A single label is refused by reject_non_fqdn_helo_hostname: the refusal quotes the name sent.
    result = _smtp(postfix, ehlo_name='auditor')
    assert codes(result) == ['tls_error']
    message = result['findings'][0]['message']
    assert 'refused EHLO auditor' in message and '<auditor>' in message


def test_starttls_and_direct_tls_on_one_address_are_learned_apart(postfix, pki):
    # A TLS 1.3-only HTTPS port on 127.0.0.1 refuses TLS 1.2; Postfix's STARTTLS on the same address is
    # another TLS stack and is still read over TLS 1.2.
    leaf = pki.leaves['standard']
    https = tls_servers.tls_endpoint([leaf.pem, pki.ssl_new.pem], leaf.key_pem, minimum=ssl.TLSVersion.TLSv1_3)
    try:
        audit = audit_endpoints([
            {'host': '127.0.0.1', 'port': https.port, 'server_name': 'www.example.hk'},
            {'host': '127.0.0.1', 'port': postfix.port, 'server_name': 'www.example.hk', 'starttls': 'smtp'},
        ], timeout=5, concurrency=1)
    finally:
        https.stop()
    assert [row['chain_read_over'] for row in audit['endpoints']] == ['TLSv1.3', 'TLSv1.2']


def test_each_starttls_dialogue_is_learned_apart(postfix, pki):
    # Dovecot's IMAP STARTTLS on 127.0.0.1 refuses TLS 1.2; Postfix's SMTP STARTTLS on the same address is another
    # TLS stack and is still read over TLS 1.2.
    leaf = pki.leaves['standard']
    dovecot = mail_servers.Dovecot([leaf.pem, pki.ssl_new.pem], leaf.key_pem, min_protocol='TLSv1.3').start()
    try:
        audit = audit_endpoints([
            {'host': '127.0.0.1', 'port': dovecot.ports['imap'], 'server_name': 'www.example.hk', 'starttls': 'imap'},
            {'host': '127.0.0.1', 'port': postfix.port, 'server_name': 'www.example.hk', 'starttls': 'smtp'},
        ], timeout=5, concurrency=1)
    finally:
        dovecot.stop()
    assert [row['chain_read_over'] for row in audit['endpoints']] == ['TLSv1.3', 'TLSv1.2']
