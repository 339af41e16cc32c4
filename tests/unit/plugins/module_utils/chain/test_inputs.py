# -*- coding: utf-8 -*-
"""What the operator supplies for the chain is refused unless it is really what it claims to be (issue 14)."""

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._inputs import (
    check_arl, check_cross, check_new_intermediate, check_root, is_arl_of)
from tests.support.pki import DAY


def test_the_real_test_hierarchy_passes(pki):
    assert check_root(pki.root.cert) is pki.root.cert
    assert check_new_intermediate(pki.ssl_new.cert, 'ssl', pki.root.cert, 'ssl_intermediate_file', pki.now)
    assert check_new_intermediate(pki.ev_new.cert, 'ev', pki.root.cert, 'ev_intermediate_file', pki.now)
    assert check_cross(pki.cross.cert, pki.root.cert, 'cross_certificate_file', pki.now)
    assert check_arl(pki.arl, pki.root.cert, 'arl_file', pki.now) is pki.arl


@pytest.mark.parametrize('make, product, fragment', [
    (lambda p: p.trial_ssl, 'ssl', 'signed by'),                  # the trial "SSL CA 3 - 17"
    (lambda p: p.expired_intermediate(), 'ssl', 'expired on'),
    (lambda p: p.ssl_old, 'ssl', 'OLD intermediate'),
    (lambda p: p.ev_new, 'ssl', 'expected the new "Hongkong Post e-Cert SSL CA 3 - 17"'),
    (lambda p: p.ssl_new, 'ev', 'expected the new "Hongkong Post e-Cert EV SSL CA 3 - 17"'),
    (lambda p: p.leaves['standard'], 'ssl', 'expected the new "Hongkong Post e-Cert SSL CA 3 - 17" (with the '
                                            'serverAuth EKU); this is a leaf (server) certificate'),
    (lambda p: p.ssl_old, 'ev', 'this is the old (no EKU) SSL intermediate'),
    (lambda p: p.inspection_intermediate(), 'ssl', 'outside the Hongkong Post hierarchy'),
], ids=['trial', 'expired', 'old', 'ev-as-ssl', 'ssl-as-ev', 'leaf', 'old-ssl-as-ev', 'inspection'])
def test_wrong_intermediate_refused(pki, make, product, fragment):
    option = product + '_intermediate_file'
    with pytest.raises(HkpostError, match=option) as err:
        check_new_intermediate(make(pki).cert, product, pki.root.cert, option, pki.now)
    assert fragment in str(err.value)


def test_trial_intermediate_is_refused_even_against_the_trial_root(pki):
    # the trial hierarchy's name carries "Trial"; it is still an intermediate of the ssl product, so only the
    # signature check against the production root stops it
    with pytest.raises(HkpostError, match='is not signed by'):
        check_new_intermediate(pki.trial_ssl.cert, 'ssl', pki.root.cert, 'ssl_intermediate_file', pki.now)


def test_intermediate_valid_until_exactly_now_is_expired(pki):
    cert = pki.ssl_new.cert
    with pytest.raises(HkpostError, match='expired'):
        check_new_intermediate(cert, 'ssl', pki.root.cert, 'ssl_intermediate_file', cert.not_valid_after_utc)
    check_new_intermediate(cert, 'ssl', pki.root.cert, 'ssl_intermediate_file', cert.not_valid_after_utc - DAY)


@pytest.mark.parametrize('make, fragment', [
    (lambda p: p.impostor_cross(), 'same name and key as Root CA 3'),
    (lambda p: p.cross_signed_by(p.foreign_root), 'not GlobalSign Root CA - R3'),
    (lambda p: p.root, 'a root certificate'),
    (lambda p: p.ssl_new, 'the new (EKU) SSL intermediate'),
], ids=['other-key', 'not-globalsign', 'root', 'intermediate'])
def test_wrong_cross_refused(pki, make, fragment):
    with pytest.raises(HkpostError, match='cross_certificate_file') as err:
        check_cross(make(pki).cert, pki.root.cert, 'cross_certificate_file', pki.now)
    assert fragment in str(err.value)


def test_expired_cross_refused(pki):
    with pytest.raises(HkpostError, match='expired on'):
        check_cross(pki.cross.cert, pki.root.cert, 'cross_certificate_file', pki.cross.cert.not_valid_after_utc)


@pytest.mark.parametrize('make, fragment', [
    (lambda p: p.cross, 'a cross certificate'),
    (lambda p: p.impostor_root(bad_signature=True), 'a certificate outside'),
    (lambda p: p.ssl_new, 'intermediate'),
    (lambda p: p.globalsign, 'outside the Hongkong Post hierarchy'),
], ids=['cross', 'bad-signature', 'intermediate', 'globalsign'])
def test_wrong_root_refused(pki, make, fragment):
    with pytest.raises(HkpostError, match='root_certificate_file: expected Hongkong Post Root CA 3') as err:
        check_root(make(pki).cert)
    assert fragment in str(err.value)


def test_arl_checks(pki):
    with pytest.raises(HkpostError, match='not signed by its key'):
        check_arl(pki.arl_foreign, pki.root.cert, 'arl_file', pki.now)
    with pytest.raises(HkpostError, match='expired on'):
        check_arl(pki.arl_expired, pki.root.cert, 'arl_file', pki.now)
    with pytest.raises(HkpostError, match='not by Hongkong Post Root CA 3'):
        check_arl(pki.make_arl(1, pki.now - DAY, pki.now + DAY, signer=pki.foreign_root,
                               issuer_name=pki.foreign_root.cert.subject), pki.root.cert, 'arl_file', pki.now)
    at_edge = pki.make_arl(1, pki.now - DAY, pki.now)
    with pytest.raises(HkpostError, match='expired'):
        check_arl(at_edge, pki.root.cert, 'arl_file', pki.now)
    assert is_arl_of(pki.arl, pki.root.cert) and not is_arl_of(pki.arl_foreign, pki.root.cert)
    assert not is_arl_of(pki.arl, pki.foreign_root.cert)


def test_describe_names_the_certificate_by_cn_and_fingerprint(pki):
    from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import sha256_hex
    with pytest.raises(HkpostError) as err:
        check_root(pki.ssl_new.cert)
    assert '("Hongkong Post e-Cert SSL CA 3 - 17", SHA-256 %s...)' % sha256_hex(pki.ssl_new.cert)[:16] in str(err.value)


def test_cross_with_root_key_but_another_subject_is_refused(pki):
    from tests.support.pki import Issued, hk_name, make_cert
    other_subject = make_cert(hk_name('Hongkong Post Root CA 3', label='Other '), pki.root.key,
                              pki.globalsign.cert.subject, pki.globalsign.key, pki.now - 9 * DAY,
                              pki.now + 9 * DAY, ca=True)
    with pytest.raises(HkpostError, match='same name and key as Root CA 3'):
        check_cross(Issued(other_subject, pki.root.key).cert, pki.root.cert, 'cross_certificate_file', pki.now)


def test_crl_signed_by_root_key_under_another_name_is_not_root_ca_3_arl(pki):
    renamed = pki.make_arl(20, pki.now - DAY, pki.now + DAY, issuer_name=pki.foreign_root.cert.subject)
    assert not is_arl_of(renamed, pki.root.cert)


def test_acme_intermediate_must_be_a_ca_not_self_signed_not_hongkong_post(pki):
    from ansible_collections.hkpost.ecert.plugins.module_utils.chain._inputs import check_acme_intermediate
    acme = pki.inspection_intermediate().cert  # a CA certificate issued by another root
    assert check_acme_intermediate(acme, 'acme_intermediates[0]', pki.now) is acme
    for cert in (pki.foreign_root.cert, pki.ssl_new.cert, pki.leaves['foreign'].cert):
        with pytest.raises(HkpostError, match='expected the intermediate of the ACME CA'):
            check_acme_intermediate(cert, 'acme_intermediates[0]', pki.now)
    with pytest.raises(HkpostError, match='expired'):
        check_acme_intermediate(acme, 'acme_intermediates[0]', pki.now + 4000 * DAY)
