# -*- coding: utf-8 -*-
"""Names, validity and store entries of issued certificates (issue 14)."""

import base64
import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki import _issued
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from tests.support.pki import DAY

UTC = datetime.timezone.utc


def test_certificate_without_san_matches_by_its_cn(pki):
    no_san = cert_info(pki.issue_leaf('Legacy.Example.HK', sans=[], slot='leaf-no-san').cert)
    assert no_san['dns_names'] == []
    assert _issued.names(no_san) == ['legacy.example.hk']
    assert _issued.covers(no_san, 'LEGACY.example.hk.')
    assert not _issued.covers(no_san, 'www.example.hk')


def test_san_wins_over_cn_and_wildcards_match_one_label(pki):
    wildcard = cert_info(pki.leaves['wildcard'].cert)
    assert _issued.covers(wildcard, 'www.example.hk') and _issued.covers(wildcard, 'example.hk')
    assert not _issued.covers(wildcard, 'a.b.example.hk') and not _issued.covers(wildcard, 'hk')
    assert not _issued.covers(wildcard, 'wwwexample.hk')
    other_cn = cert_info(pki.issue_leaf('cn.example.hk', sans=['san.example.hk'], slot='leaf-cn-san').cert)
    assert _issued.names(other_cn) == ['san.example.hk'] and not _issued.covers(other_cn, 'cn.example.hk')
    assert not _issued.covers(other_cn, '') and not _issued.covers(other_cn, None)


def test_validity_edges(pki):
    info = cert_info(pki.leaves['standard'].cert)
    end = datetime.datetime.strptime(info['not_after'], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=UTC)
    start = datetime.datetime.strptime(info['not_before'], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=UTC)
    assert _issued.is_expired(info, end) and not _issued.is_expired(info, end - datetime.timedelta(seconds=1))
    assert not _issued.is_not_yet_valid(info, start)
    assert _issued.is_not_yet_valid(info, start - datetime.timedelta(seconds=1))
    with pytest.raises(HkpostError, match='expired on %s' % info['not_after']):
        _issued.refuse_expired(info, end)
    _issued.refuse_expired(info, start)


def test_thumbprints_and_split_leaf(pki):
    tp = pki.leaves['standard'].thumbprint
    assert _issued.normalize_thumbprint(' ' + ':'.join(tp[i:i + 2] for i in range(0, 40, 2)).lower()) == tp
    for bad in ('ABC', tp + '00', 'G' * 40):
        with pytest.raises(HkpostError, match='certificate_thumbprint'):
            _issued.normalize_thumbprint(bad)
    entry = {'der': base64.b64encode(pki.leaves['standard'].der).decode(), 'has_private_key': 1,
             'friendly_name': None, 'store': 'My'}
    described = _issued.describe_entry(entry)
    assert described['sha1'] == tp and described['has_private_key'] is True
    assert described['friendly_name'] == '' and described['store'] == 'My'
    assert _issued.describe_entry(dict(entry, der=pki.leaves['standard'].der), 'REQUEST')['store'] == 'REQUEST'
    assert 'friendly name "x"' in _issued.brief(dict(described, friendly_name='x'))
    assert 'friendly name' not in _issued.brief(described)


def test_split_leaf(pki):
    leaf, chain = _issued.split_leaf((pki.ssl_new.pem + pki.leaves['standard'].pem).encode())
    assert leaf == pki.leaves['standard'].cert and chain == [pki.ssl_new.cert]
    with pytest.raises(HkpostError, match='only CA certificates'):
        _issued.split_leaf(pki.ssl_new.pem.encode())
    with pytest.raises(HkpostError, match='holds 2 server certificates'):
        _issued.split_leaf((pki.leaves['standard'].pem + pki.leaves['ev'].pem).encode())


def test_defaults_and_missing_fields(pki):
    with pytest.raises(HkpostError, match='is not a SHA-1 thumbprint'):
        _issued.normalize_thumbprint(None)
    assert _issued.names({'subject_cn': 'A.Example.HK'}) == ['a.example.hk']
    assert _issued.names({}) == [] and _issued.names({'dns_names': None, 'subject_cn': None}) == []
    assert not _issued.covers({'dns_names': ['a.example.hk']}, 'www.example.hk')  # not a wildcard: no label swap
    info = cert_info(pki.leaves['standard'].cert)
    assert _issued.is_expired(cert_info(pki.leaves['expired'].cert)) and not _issued.is_expired(info)
    assert not _issued.is_not_yet_valid(info)
    described = _issued.describe_entry({'der': pki.leaves['standard'].der, 'friendly_name': 'Web 2026'}, 'My')
    assert described['friendly_name'] == 'Web 2026' and described['has_private_key'] is False
    assert _issued.brief(info).startswith('www.example.hk (thumbprint %s, expires ' % info['sha1'])
    assert _issued.brief(dict(info, subject_cn=None)).startswith(info['subject'] + ' (thumbprint')


def test_split_leaf_messages_name_the_certificates(pki):
    from cryptography import x509 as _x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID
    with pytest.raises(HkpostError, match=r'only CA certificates \(Hongkong Post e-Cert SSL CA 3 - 17, '
                                          r'Hongkong Post Root CA 3\)'):
        _issued.split_leaf((pki.ssl_new.pem + pki.root.pem).encode())
    with pytest.raises(HkpostError, match=r'\(www.example.hk, secure.example.hk\)'):
        _issued.split_leaf((pki.leaves['standard'].pem + pki.leaves['ev'].pem).encode())
    key = pki.root.key
    no_cn = _x509.Name([_x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'No CN CA')])
    ca = (_x509.CertificateBuilder().subject_name(no_cn).issuer_name(no_cn).public_key(key.public_key())
          .serial_number(5).not_valid_before(pki.now - DAY).not_valid_after(pki.now + DAY)
          .add_extension(_x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(key, hashes.SHA256()))
    pem = ca.public_bytes(serialization.Encoding.PEM)
    with pytest.raises(HkpostError, match=r'only CA certificates \(\?\)'):
        _issued.split_leaf(pem)
    leaf_no_cn = (_x509.CertificateBuilder().subject_name(no_cn).issuer_name(no_cn).public_key(key.public_key())
                  .serial_number(6).not_valid_before(pki.now - DAY).not_valid_after(pki.now + DAY)
                  .sign(key, hashes.SHA256())).public_bytes(serialization.Encoding.PEM)
    with pytest.raises(HkpostError, match=r'holds 2 server certificates \(\?, \?\)'):
        _issued.split_leaf(leaf_no_cn + leaf_no_cn.replace(b'x', b'x'))
