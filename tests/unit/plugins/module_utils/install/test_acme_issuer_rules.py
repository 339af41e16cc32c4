# -*- coding: utf-8 -*-
"""install/_acme_issuer's rules (issue 21, mutation survivors), one test per rule: the allow-list's expiry, which
files are records, how long and of what a trusted path is, and what the refusals name."""

from __future__ import annotations

import json

import pytest
from cryptography import x509

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._acme_issuer import (
    acme_decision, load_issuers, read_records, trusted_path)
from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import match_intake
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info, not_after
from tests.support.pki import DAY, Issued, make_cert, rsa_key
from tests.unit.plugins.module_utils.install.test_acme_issuer import (  # noqa: F401  # pylint: disable=unused-import
    FILE, _name, _record, _request, acme_ca)

MAX_DEPTH = 4  # intermediates between the leaf and an allowed issuer (a literal: the module's own may be mutated)


def test_an_allowed_issuer_is_refused_from_the_moment_it_expires_and_not_checked_without_now(pki, acme_ca):
    root = acme_ca[0]
    with pytest.raises(HkpostError, match='expired on'):
        load_issuers([('root.pem', root.pem.encode())], not_after(root.cert))
    assert load_issuers([('root.pem', root.pem.encode())], not_after(root.cert) - DAY) == [root.cert]
    assert load_issuers([('root.pem', root.pem.encode())]) == [root.cert]


def test_only_visible_acme_json_files_are_records_and_each_must_be_an_object(tmp_path, acme_ca):
    leaf = acme_ca[2]
    (tmp_path / FILE).write_text(leaf.pem)
    (tmp_path / (FILE + '.acme.json')).write_text(json.dumps(_record(leaf)))
    (tmp_path / '.hidden.pem.acme.json').write_text(json.dumps(_record(leaf)))
    (tmp_path / 'notes.json').write_text('{}')
    (tmp_path / 'list.pem.acme.json').write_text('[1, 2]')
    records = read_records(str(tmp_path))
    assert sorted(records) == [FILE, 'list.pem']
    assert records['list.pem'] == {'error': 'list.pem.acme.json is unreadable (not a JSON object)'}


def _chain(pki, root, length):
    """``length`` intermediates below ``root``, the last one issuing a leaf: (leaf, [intermediates, leaf-side first])."""
    issuer, chain = root, []
    for depth in range(length):
        key = rsa_key(slot='acme-depth-%d' % depth)
        inter = Issued(make_cert(_name('ACME Depth CA %d' % depth), key, issuer.cert.subject, issuer.key,
                                 pki.now - DAY, pki.now + 900 * DAY, ca=True), key)
        chain.insert(0, inter)
        issuer = inter
    return pki.issue_leaf('www.example.com', issuer=issuer, slot='acme-leaf'), chain


@pytest.mark.parametrize('length', [MAX_DEPTH, MAX_DEPTH + 1])
def test_a_path_holds_at_most_four_intermediates(pki, acme_ca, length):
    leaf, chain = _chain(pki, acme_ca[0], length)
    path = trusted_path(leaf.cert, [c.cert for c in chain], [acme_ca[0].cert], pki.now)
    assert path == ([c.cert for c in chain] if length <= MAX_DEPTH else None)


def test_a_path_takes_ca_certificates_only(pki, acme_ca):
    root, inter, leaf = acme_ca
    # inter's key and name on an end-entity certificate: its signature verifies, but it is no CA
    not_ca = make_cert(inter.cert.subject, inter.key, root.cert.subject, root.key, pki.now - DAY, pki.now + 90 * DAY,
                       ca=False)
    assert trusted_path(leaf.cert, [not_ca], [root.cert], pki.now) is None


def test_a_path_takes_the_issuer_of_each_link_not_any_ca_of_the_file(pki, acme_ca):
    root, inter, leaf = acme_ca
    other_key = rsa_key(slot='acme-other')
    other = make_cert(_name('ACME Other CA'), other_key, root.cert.subject, root.key, pki.now - DAY,
                      pki.now + 90 * DAY, ca=True)
    assert trusted_path(leaf.cert, [other, inter.cert], [root.cert], pki.now) == [inter.cert]


def test_a_path_never_goes_back_to_a_certificate_already_on_it(pki, acme_ca):
    # A and B cross-sign each other; C is A's name and key issued by the root: leaf -> A -> B -> C -> root.
    root = acme_ca[0]
    a_key, b_key = rsa_key(slot='acme-cross-a'), rsa_key(slot='acme-cross-b')
    a_name, b_name = _name('ACME Cross A'), _name('ACME Cross B')
    a = make_cert(a_name, a_key, b_name, b_key, pki.now - DAY, pki.now + 90 * DAY, ca=True)
    b = make_cert(b_name, b_key, a_name, a_key, pki.now - DAY, pki.now + 90 * DAY, ca=True)
    c = make_cert(a_name, a_key, root.cert.subject, root.key, pki.now - DAY, pki.now + 90 * DAY, ca=True)
    leaf = pki.issue_leaf('www.example.com', issuer=Issued(a, a_key), slot='acme-leaf')
    assert trusted_path(leaf.cert, [a, b, c], [root.cert], pki.now) == [a, b, c]


def test_an_intermediate_is_unusable_from_the_moment_it_expires(pki, acme_ca):
    root, inter, leaf = acme_ca
    assert trusted_path(leaf.cert, [inter.cert], [root.cert], not_after(inter.cert)) is None
    assert trusted_path(leaf.cert, [inter.cert], [root.cert], not_after(inter.cert) - DAY) == [inter.cert]


def _decide(pki, leaf, chain, issuers, record):
    return acme_decision(leaf.cert, [c.cert for c in chain], cert_info(leaf.cert), _request(leaf), FILE,
                         [c.cert for c in issuers], record, pki.now)


def test_a_record_without_a_key_is_not_this_request_and_says_so(pki, acme_ca):
    root, inter, leaf = acme_ca
    record = {k: v for k, v in _record(leaf).items() if k != 'public_key_sha256'}
    refusal = _decide(pki, leaf, [inter], [root], record)['refusal']
    assert 'names host web1, key ?..., directory https://acme.example/dir - not this request' in refusal


def test_a_record_of_another_key_names_both_keys_by_their_first_16_digits(pki, acme_ca):
    root, inter, leaf = acme_ca
    spki = cert_info(leaf.cert)['spki_sha256']
    refusal = _decide(pki, leaf, [inter], [root], dict(_record(leaf), public_key_sha256='ab' * 32))['refusal']
    assert 'key %s..., directory' % ('AB' * 8) in refusal and '(web1, %s...)' % spki[:16] in refusal


def test_a_ca_certificate_as_the_leaf_is_refused(pki, acme_ca):
    root, inter, _leaf = acme_ca
    key = rsa_key(slot='acme-ca-leaf')
    ca_leaf = Issued(make_cert(_name('www.example.com'), key, inter.cert.subject, inter.key, pki.now - DAY,
                               pki.now + 90 * DAY, ca=True), key)
    refusal = _decide(pki, ca_leaf, [inter], [root], _record(ca_leaf))['refusal']
    assert refusal == 'it is not a TLS server certificate (a CA certificate, or no serverAuth EKU).'


def test_a_leaf_without_an_eku_is_a_server_certificate(pki, acme_ca):
    root, inter, _leaf = acme_ca
    key = rsa_key(slot='acme-no-eku')
    plain = Issued(make_cert(_name('www.example.com'), key, inter.cert.subject, inter.key, pki.now - DAY,
                             pki.now + 90 * DAY, ca=False, sans=['www.example.com']), key)
    assert x509.ExtendedKeyUsage not in [e.value.__class__ for e in plain.cert.extensions]
    decision = _decide(pki, plain, [inter], [root], _record(plain))
    assert decision['refusal'] is None and decision['intermediates'] == [inter.cert]


# ---- issue 21, third round: the signer is the CA whose signature verifies, never the first CA at hand -----------

def test_the_signer_is_the_ca_whose_signature_on_the_leaf_verifies(pki, acme_ca):
    root, inter, leaf = acme_ca
    # the file's chain with the root first: the signer is still the intermediate
    assert _decide(pki, leaf, [root, inter], [root], _record(leaf))['signer'] == inter.cert
    # a leaf-only file, the allow-list naming the root before the issuing intermediate
    assert _decide(pki, leaf, [], [root, inter], _record(leaf))['signer'] == inter.cert
    # ... which the intake appends to the leaf, so that the pem names the signing key (retire_issuers)
    result = match_intake([{'name': FILE, 'data': leaf.pem.encode()}], [_request(leaf)], now=pki.now,
                          acme={'issuers': {'web1': [root.cert, inter.cert]}, 'records': {FILE: _record(leaf)}})
    assert result['findings'] == [] and result['assignments']['web1'][0]['pem'] == leaf.pem + inter.pem
