# -*- coding: utf-8 -*-
"""The accepted ACME issuer rule (install/_acme_issuer.py) through the intake, both ways: the portal mode refuses
every chain Hongkong Post did not issue; the ACME mode accepts one only when the host is in ACME mode, the ACME
phase recorded the file, and the leaf chains by signature to an issuer of the host's allow-list."""

from __future__ import annotations

import json

import pytest
from cryptography.x509.oid import NameOID
from cryptography import x509

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._acme_issuer import (
    load_issuers, read_records, record_name, trusted_path)
from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import match_intake
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.pki import DAY, Issued, make_cert, rsa_key

FILE = 'acme-web1-www.example.com-0123456789abcdef.pem'


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@pytest.fixture
def acme_ca(pki):
    """A Pebble-like hierarchy: root -> intermediate -> leaf (serverAuth)."""
    root_key, inter_key = rsa_key(slot='acme-root'), rsa_key(slot='acme-inter')
    root = Issued(make_cert(_name('Pebble Root CA 1a2b3c'), root_key, _name('Pebble Root CA 1a2b3c'), root_key,
                            pki.now - 10 * DAY, pki.now + 3650 * DAY, ca=True), root_key)
    inter = Issued(make_cert(_name('Pebble Intermediate CA 4d5e6f'), inter_key, root.cert.subject, root_key,
                             pki.now - 10 * DAY, pki.now + 1800 * DAY, ca=True, pathlen=0), inter_key)
    leaf = pki.issue_leaf('www.example.com', issuer=inter, slot='acme-leaf')
    return root, inter, leaf


def _request(leaf, host='web1'):
    return {'host': host, 'common_name': 'www.example.com', 'certificate_type': 'standard',
            'public_key_sha256': spki_sha256(leaf.key.public_key()), 'names': [], 'pending_thumbprint': None}


def _record(leaf, host='web1', directory='https://acme.example/dir'):
    return {'acme_directory': directory, 'host': host, 'public_key_sha256': spki_sha256(leaf.key.public_key()),
            'order_uri': 'https://acme.example/order/1'}


def _match(pki, leaf, chain, issuers=None, records=None, acme_hosts=('web1',)):
    files = [{'name': FILE, 'data': (leaf.pem + ''.join(c.pem for c in chain)).encode()}]
    acme = None
    if issuers is not None:
        acme = {'issuers': {h: [c.cert for c in issuers] for h in acme_hosts}, 'records': records or {}}
    return match_intake(files, [_request(leaf)], now=pki.now, acme=acme)


def test_portal_mode_refuses_a_chain_hongkong_post_did_not_issue_even_with_a_record(pki, acme_ca):
    root, inter, leaf = acme_ca
    result = _match(pki, leaf, [inter], issuers=None, records={FILE: _record(leaf)})
    assert [f['kind'] for f in result['findings']] == ['not_hkpost'] and result['assignments'] == {}
    assert 'as an ACME certificate' not in result['findings'][0]['message']
    # a host that is not in ACME mode is the portal mode, whatever another host's allow-list says
    result = _match(pki, leaf, [inter], issuers=[root], records={FILE: _record(leaf)}, acme_hosts=('web2',))
    assert [f['kind'] for f in result['findings']] == ['not_hkpost'] and result['assignments'] == {}


@pytest.mark.parametrize('anchor', ['root', 'intermediate'])
def test_acme_mode_accepts_a_recorded_chain_to_an_allowed_issuer(pki, acme_ca, anchor):
    root, inter, leaf = acme_ca
    allowed = root if anchor == 'root' else inter
    result = _match(pki, leaf, [inter], issuers=[allowed], records={FILE: _record(leaf)})
    assert result['findings'] == []
    (cert,) = result['assignments']['web1']
    assert cert['issuer'] == 'acme' and cert['acme_directory'] == 'https://acme.example/dir'
    assert cert['thumbprint'] == leaf.thumbprint and cert['pem'].startswith(leaf.pem)
    # Windows needs the intermediate in CA; an allowed intermediate is already the user's to place
    assert cert['acme_intermediates'] == ([inter.pem] if anchor == 'root' else [])


def test_hongkong_post_certificates_stay_accepted_in_acme_mode_without_acme_fields(pki, acme_ca):
    root, _inter, _leaf = acme_ca
    std = pki.leaves['standard']
    files = [{'name': 'hk.pem', 'data': std.pem}]
    req = dict(_request(std), common_name='www.example.hk')
    result = match_intake(files, [req], now=pki.now, acme={'issuers': {'web1': [root.cert]}, 'records': {}})
    assert result['findings'] == [] and result['assignments']['web1'][0]['issuer'] == 'hkpost'
    assert 'acme_intermediates' not in result['assignments']['web1'][0]


@pytest.mark.parametrize('case, reason', [
    ('no_allow_list', 'has no hkpost_acme_trusted_issuers'),
    ('no_record', 'the ACME phase did not order it'),
    ('record_other_host', 'not this request'),
    ('record_other_key', 'not this request'),
    ('record_no_directory', 'not this request'),
    ('record_unreadable', 'is unreadable'),
    ('other_ca', 'does not chain to an issuer'),
    ('name_only', 'does not chain to an issuer'),
    ('chain_missing', 'does not chain to an issuer'),
])
def test_acme_mode_refuses_with_the_reason(pki, acme_ca, case, reason):
    root, inter, leaf = acme_ca
    issuers, records, chain = [root], {FILE: _record(leaf)}, [inter]
    if case == 'no_allow_list':
        issuers = []
    elif case == 'no_record':
        records = {}
    elif case == 'record_other_host':
        records = {FILE: _record(leaf, host='web9')}
    elif case == 'record_other_key':
        records = {FILE: dict(_record(leaf), public_key_sha256='AB' * 32)}
    elif case == 'record_no_directory':
        records = {FILE: dict(_record(leaf), acme_directory='')}
    elif case == 'record_unreadable':
        records = {FILE: {'error': '%s is unreadable (Expecting value)' % record_name(FILE)}}
    elif case == 'other_ca':
        issuers = [pki.foreign_root]
    elif case == 'name_only':
        # the same name as the allowed root, another key: names never decide
        impostor_key = rsa_key(slot='acme-impostor')
        issuers = [Issued(make_cert(root.cert.subject, impostor_key, root.cert.subject, impostor_key,
                                    pki.now - DAY, pki.now + 365 * DAY, ca=True), impostor_key)]
    elif case == 'chain_missing':
        chain = []
    result = _match(pki, leaf, chain, issuers=issuers, records=records)
    assert [f['kind'] for f in result['findings']] == ['not_hkpost'], result['findings']
    assert 'as an ACME certificate it is refused' in result['findings'][0]['message']
    assert reason in result['findings'][0]['message'], result['findings'][0]['message']
    assert result['assignments'] == {}


def test_expired_intermediate_on_the_path_is_no_path(pki, acme_ca):
    root, inter, leaf = acme_ca
    old = make_cert(inter.cert.subject, inter.key, root.cert.subject, root.key, pki.now - 900 * DAY,
                    pki.now - DAY, ca=True, pathlen=0)
    assert trusted_path(leaf.cert, [old], [root.cert], pki.now) is None
    assert trusted_path(leaf.cert, [old, inter.cert], [root.cert], pki.now) == [inter.cert]


def test_a_ca_certificate_or_no_server_auth_is_refused(pki, acme_ca):
    root, inter, _leaf = acme_ca
    key = rsa_key(slot='acme-client')
    client = Issued(make_cert(_name('www.example.com'), key, inter.cert.subject, inter.key, pki.now - DAY,
                              pki.now + 90 * DAY, ca=False, eku=[x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH],
                              sans=['www.example.com']), key)
    result = _match(pki, client, [inter], issuers=[root], records={FILE: _record(client)})
    assert 'not a TLS server certificate' in result['findings'][0]['message']


def test_allow_list_takes_ca_certificates_only(pki, acme_ca):
    root, _inter, leaf = acme_ca
    assert load_issuers([('root.pem', root.pem.encode())], pki.now) == [root.cert]
    with pytest.raises(HkpostError, match='not a CA certificate'):
        load_issuers([('leaf.pem', leaf.pem.encode())], pki.now)
    with pytest.raises(HkpostError, match='expired'):
        load_issuers([('root.pem', root.pem.encode())], pki.now + 4000 * DAY)


def test_records_are_read_beside_their_chain_and_a_broken_one_is_kept_as_its_error(tmp_path, acme_ca):
    _root, _inter, leaf = acme_ca
    (tmp_path / record_name(FILE)).write_text(json.dumps(_record(leaf)))
    (tmp_path / record_name('other.pem')).write_text('{not json')
    records = read_records(str(tmp_path))
    assert records[FILE]['acme_directory'] == 'https://acme.example/dir'
    assert 'is unreadable' in records['other.pem']['error']
    assert read_records(str(tmp_path / 'missing')) == {}
