# -*- coding: utf-8 -*-
"""The hand-made TLS 1.2 reader's rules one by one (issue 21): record framing (RFC 5246 6.2: a 5-byte header,
content types 20-23, major version 3, at most 2^14 + 2048 bytes), the ServerHello layout (7.4.1.3: version, 32
random bytes, a session id of 0-32 bytes, the cipher suite), the Certificate message (7.4.2: a 3-byte total, then
3-byte-length certificates), and what each refusal is called."""

from __future__ import annotations

import struct

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_fetch import (
    _MAX_RECORD, MAX_FLIGHT_BYTES, FetchError, ServerFlight, _not_tls, parse_certificate_message, sni_name)


def _record(ctype, payload, major=3):
    return bytes([ctype, major, 3]) + struct.pack('>H', len(payload)) + payload


def _handshake(mtype, body):
    return bytes([mtype]) + len(body).to_bytes(3, 'big') + body


def _hello_body(session_id=b'', cipher=b'\xc0\x2f'):
    return b'\x03\x03' + b'\x11' * 32 + bytes([len(session_id)]) + session_id + cipher + b'\x00'


def _certificate(*ders):
    body = b''.join(len(d).to_bytes(3, 'big') + d for d in ders)
    return _handshake(11, len(body).to_bytes(3, 'big') + body)


@pytest.mark.parametrize('name', [None, '', '.'])
def test_no_name_sends_no_sni(name):
    assert sni_name(name) is None


def test_an_upper_case_idn_is_sent_in_lower_case_a_labels():
    assert sni_name('BÜCHER.Example.HK.') == 'xn--bcher-kva.example.hk'


@pytest.mark.parametrize('data, message', [
    (b'HTTP/1.1 400 Bad Request', 'the server answered in plain HTTP, not TLS'),
    (b'<html>', 'the server answered in plain HTTP, not TLS'),
    (b'220 mail.example.hk ESMTP Postfix', "the server speaks another protocol (b'220 mail.exa'...), not TLS"),
    (b'+OK Dovecot ready.', "the server speaks another protocol (b'+OK Dovecot '...), not TLS"),
    (b'\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09', 'the server answered with bytes that are not TLS (0001020304050607...)'),
])
def test_what_answered_instead_of_tls_is_named(data, message):
    assert message in str(_not_tls(data))


def _refusal(data):
    with pytest.raises(FetchError) as info:
        ServerFlight().feed(data)
    return str(info.value)


@pytest.mark.parametrize('header', [
    bytes([24, 3, 3, 0, 2]),                                  # content type 24 is not TLS 1.2
    bytes([19, 3, 3, 0, 2]),
    bytes([22, 2, 0, 0, 2]),                                  # SSL 2 framing
    bytes([22, 3, 3]) + struct.pack('>H', _MAX_RECORD + 1),   # longer than any TLS record
])
def test_a_record_header_outside_tls_framing_is_not_tls(header):
    assert 'not TLS' in _refusal(header + b'\x00\x00')


def test_a_record_of_the_maximum_length_is_waited_for():
    assert ServerFlight().feed(bytes([22, 3, 3]) + struct.pack('>H', _MAX_RECORD)) is None


def test_an_empty_record_is_read_at_once():
    assert 'unexpected TLS record (type 23)' in _refusal(bytes([23, 3, 3, 0, 0]))


def test_exactly_the_flight_limit_is_still_read():
    parser = ServerFlight()
    first = _record(22, _handshake(2, _hello_body()) + b'\x0c' + (2 ** 24 - 1).to_bytes(3, 'big'))
    parser.feed(first)
    rest = MAX_FLIGHT_BYTES - len(first)
    while rest > 0:
        payload = min(16000, rest - 5)
        if 0 < rest - payload - 5 < 6:
            payload -= 6
        assert parser.feed(_record(22, b'\x00' * payload)) is None
        rest -= payload + 5
    assert rest == 0
    with pytest.raises(FetchError, match='more than'):
        parser.feed(b'\x16')


def test_records_arriving_together_are_all_read():
    data = _record(22, _handshake(2, _hello_body())) + _record(22, _certificate(b'leaf', b'inter'))
    assert ServerFlight().feed(data) == [b'leaf', b'inter']


def test_a_server_hello_alone_waits_for_the_certificate():
    parser = ServerFlight()
    assert parser.feed(_record(22, _handshake(2, _hello_body()))) is None
    assert parser.version == 'TLSv1.2' and parser.offers_tls13 is False


def test_other_handshake_messages_before_the_certificate_are_skipped():
    data = _record(22, _handshake(2, _hello_body()) + _handshake(8, b'\x00\x00') + _certificate(b'leaf'))
    assert ServerFlight().feed(data) == [b'leaf']


def test_a_session_id_moves_the_cipher_suite():
    parser = ServerFlight()
    parser.feed(_record(22, _handshake(2, _hello_body(b'\x22' * 32, b'\x00\x9c'))))
    assert parser.cipher == 0x009C


def test_an_unknown_version_is_shown_in_hex():
    parser = ServerFlight()
    parser.feed(_record(22, _handshake(2, b'\x7f\x1c' + _hello_body()[2:])))
    assert parser.version == '0x7F1C'


@pytest.mark.parametrize('body', [
    _hello_body()[:37],                                      # shorter than version + random + id length + suite
    b'\x03\x03' + b'\x11' * 32 + b'\x20' + b'\x22' * 32 + b'\xc0',   # the suite cut after a 32-byte session id
])
def test_a_truncated_server_hello_is_refused(body):
    assert 'truncated ServerHello' in _refusal(_record(22, _handshake(2, body)))


def test_a_server_hello_ending_with_its_cipher_suite_is_read():
    parser = ServerFlight()
    parser.feed(_record(22, _handshake(2, b'\x03\x03' + b'\x11' * 32 + b'\x01\x22\xc0\x30')))
    assert parser.cipher == 0xC030


def test_a_truncated_alert_is_named():
    assert 'truncated TLS alert' in _refusal(_record(21, b'\x02'))


def test_unrecognized_name_says_the_server_has_no_certificate_for_the_sni_name():
    assert 'no certificate for this server name (SNI)' in _refusal(_record(21, b'\x02\x70'))


def test_an_unnamed_alert_is_shown_by_number():
    assert _refusal(_record(21, b'\x02\x99')).endswith('alert alert 153')


@pytest.mark.parametrize('seen', [False, True])
def test_a_hang_up_before_the_certificate_is_retried_with_a_full_handshake(seen):
    parser = ServerFlight()
    if seen:
        parser.feed(b'\x16\x03')
    with pytest.raises(FetchError) as info:
        parser.eof()
    assert info.value.refused_tls12 is True


@pytest.mark.parametrize('body, message', [
    (b'\x00\x00', 'truncated certificate message'),
    (b'\x00\x00\x00', 'empty certificate list'),
    (b'\x00\x00\x05\x00\x00\x01\x41', 'length mismatch'),
    (b'\x00\x00\x05\x00\x00\x09ab', 'malformed certificate message'),     # a certificate longer than the rest
    (b'\x00\x00\x03\x00\x00\x00', 'malformed certificate message'),       # a certificate of no bytes
])
def test_certificate_message_refusals(body, message):
    with pytest.raises(FetchError, match=message):
        parse_certificate_message(body)


def test_a_certificate_filling_the_message_exactly_is_read():
    assert parse_certificate_message(b'\x00\x00\x05\x00\x00\x02ab') == [b'ab']


# ---- the ClientHello against OpenSSL's server: every suite offered is one a server configured with it alone picks --

def _ec_pair(tmp_path):
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'www.example.hk')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    (tmp_path / 'ec.pem').write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / 'ec.key').write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    return cert.public_bytes(serialization.Encoding.DER), str(tmp_path / 'ec.pem'), str(tmp_path / 'ec.key')


def _server_flight(ctx, hello):
    import ssl
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_side=True)
    incoming.write(hello)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


RSA_SUITES = [('AES128-GCM-SHA256', 0x009C), ('AES256-GCM-SHA384', 0x009D), ('AES128-SHA256', 0x003C),
              ('AES256-SHA256', 0x003D), ('AES128-SHA', 0x002F), ('AES256-SHA', 0x0035),
              ('ECDHE-RSA-AES128-GCM-SHA256', 0xC02F), ('ECDHE-RSA-AES256-GCM-SHA384', 0xC030),
              ('ECDHE-RSA-CHACHA20-POLY1305', 0xCCA8), ('ECDHE-RSA-AES128-SHA256', 0xC027),
              ('ECDHE-RSA-AES256-SHA384', 0xC028), ('ECDHE-RSA-AES128-SHA', 0xC013), ('ECDHE-RSA-AES256-SHA', 0xC014)]
EC_SUITES = [('ECDHE-ECDSA-AES128-GCM-SHA256', 0xC02B), ('ECDHE-ECDSA-AES256-GCM-SHA384', 0xC02C),
             ('ECDHE-ECDSA-CHACHA20-POLY1305', 0xCCA9), ('ECDHE-ECDSA-AES128-SHA256', 0xC023),
             ('ECDHE-ECDSA-AES256-SHA384', 0xC024), ('ECDHE-ECDSA-AES128-SHA', 0xC009),
             ('ECDHE-ECDSA-AES256-SHA', 0xC00A)]


def _server(chain, key, suite, curve=None):
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(chain, key)
    ctx.set_ciphers(suite + ':@SECLEVEL=0')
    if curve:
        ctx.set_ecdh_curve(curve)
    seen = []
    ctx.sni_callback = lambda _obj, name, _ctx: seen.append(name)
    return ctx, seen


@pytest.mark.parametrize('suite, code', RSA_SUITES, ids=[s for s, _c in RSA_SUITES])
def test_each_rsa_suite_offered_is_picked_by_a_server_that_has_only_it(tmp_path, pki, suite, code):
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_fetch import client_hello
    leaf = pki.leaves['standard']
    (tmp_path / 'chain.pem').write_text(leaf.pem + pki.ssl_new.pem)
    (tmp_path / 'key.pem').write_text(leaf.key_pem)
    ctx, seen = _server(str(tmp_path / 'chain.pem'), str(tmp_path / 'key.pem'), suite)
    parser = ServerFlight()
    assert parser.feed(_server_flight(ctx, client_hello('www.example.hk'))) == [leaf.der, pki.ssl_new.der]
    assert parser.cipher == code and parser.version == 'TLSv1.2' and seen == ['www.example.hk']


@pytest.mark.parametrize('suite, code', EC_SUITES, ids=[s for s, _c in EC_SUITES])
def test_each_ecdsa_suite_offered_is_picked_by_a_server_that_has_only_it(tmp_path, suite, code):
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_fetch import client_hello
    der, chain, key = _ec_pair(tmp_path)
    ctx, _seen = _server(chain, key, suite)
    parser = ServerFlight()
    assert parser.feed(_server_flight(ctx, client_hello('www.example.hk'))) == [der] and parser.cipher == code


@pytest.mark.parametrize('curve', ['prime256v1', 'secp384r1', 'secp521r1'])
def test_each_nist_curve_offered_is_one_an_ecdhe_server_limited_to_it_accepts(tmp_path, curve):
    from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_fetch import client_hello
    der, chain, key = _ec_pair(tmp_path)
    ctx, _seen = _server(chain, key, 'ECDHE-ECDSA-AES128-GCM-SHA256', curve)
    assert ServerFlight().feed(_server_flight(ctx, client_hello(None))) == [der]


# ---- the framing constants, as the RFCs give them ----

ALERTS = {0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 42: 'bad_certificate',
          43: 'unsupported_certificate', 47: 'illegal_parameter', 48: 'unknown_ca', 50: 'decode_error',
          51: 'decrypt_error', 80: 'internal_error', 86: 'inappropriate_fallback', 90: 'user_canceled',
          109: 'missing_extension', 110: 'unsupported_extension', 120: 'no_application_protocol'}


@pytest.mark.parametrize('code, name', sorted(ALERTS.items()))
def test_alerts_are_named_as_rfc_8446_section_6_names_them(code, name):
    assert _refusal(_record(21, bytes([2, code]))).endswith('with alert %s' % name)


@pytest.mark.parametrize('code, name', [(40, 'handshake_failure'), (70, 'protocol_version'),
                                        (71, 'insufficient_security')])
def test_tls12_refusals_are_named_as_rfc_8446_names_them(code, name):
    assert _refusal(_record(21, bytes([2, code]))).endswith('TLS 1.2 handshake with alert %s' % name)


@pytest.mark.parametrize('version, name', [(b'\x03\x00', 'SSLv3'), (b'\x03\x01', 'TLSv1.0'), (b'\x03\x02', 'TLSv1.1'),
                                           (b'\x03\x03', 'TLSv1.2')])
def test_the_server_hello_version_is_named(version, name):
    parser = ServerFlight()
    parser.feed(_record(22, _handshake(2, version + _hello_body()[2:])))
    assert parser.version == name


def test_records_up_to_2_14_plus_2048_bytes_are_tls_rfc_5246_6_2_3():
    assert ServerFlight().feed(bytes([22, 3, 3]) + struct.pack('>H', 2 ** 14 + 2048)) is None
    assert 'not TLS' in _refusal(bytes([22, 3, 3]) + struct.pack('>H', 2 ** 14 + 2049))


def test_a_record_of_tls_1_0_framing_is_read():
    data = (bytes([22, 3, 1]) + struct.pack('>H', len(_handshake(2, _hello_body())))
            + _handshake(2, _hello_body()) + _record(22, _certificate(b'leaf')))
    assert ServerFlight().feed(data) == [b'leaf']


def test_a_change_cipher_spec_before_the_certificate_is_unexpected_not_foreign():
    assert 'unexpected TLS record (type 20)' in _refusal(_record(20, b'\x01'))


def test_messages_packed_in_one_record_are_each_read_to_their_length():
    data = _record(22, _handshake(2, _hello_body()) + _certificate(b'leaf', b'inter') + _handshake(14, b''))
    assert ServerFlight().feed(data) == [b'leaf', b'inter']


def test_a_certificate_message_over_64_kib_is_read():
    big = b'\x30' * 70000
    message = _handshake(2, _hello_body()) + _certificate(big, b'inter')
    data = b''.join(_record(22, message[i:i + 2 ** 14]) for i in range(0, len(message), 2 ** 14))
    assert ServerFlight().feed(data) == [big, b'inter']
