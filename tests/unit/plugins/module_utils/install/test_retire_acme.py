# -*- coding: utf-8 -*-
"""The one retire policy for an accepted ACME issuer (issue 23): plan_retire's ``issuers`` (hkpost_install's
retire_issuers). An older certificate of the SAME issuing CA (by signature, never by name) is replaced and retired by
exactly the Hongkong Post rules - consumers, grace days, keep; any other issuer's certificate is never touched.
"""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import match_intake
from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import load_issuers, plan_retire
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.pki import Issued, make_cert, rsa_key
from tests.support.windows.certstore import read_entry

DAY = datetime.timedelta(days=1)
NAMES = ['www.example.com']


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ca(pki, slot, issuer=None):
    key = rsa_key(slot=slot)
    subject = _name('Pebble Intermediate CA 4d5e6f' if issuer else 'Pebble Root CA 1a2b3c')
    return Issued(make_cert(subject, key, issuer.cert.subject if issuer else subject, issuer.key if issuer else key,
                            pki.now - 400 * DAY, pki.now + 1800 * DAY, ca=True, pathlen=0 if issuer else None), key)


@pytest.fixture
def acme(pki):
    """A Pebble-like root and intermediate, and an impostor intermediate: the same name, another key."""
    root = _ca(pki, 'acme-root')
    inter = _ca(pki, 'acme-inter', root)
    impostor = _ca(pki, 'acme-inter-impostor', root)
    assert impostor.cert.subject == inter.cert.subject
    old = pki.issue_leaf('www.example.com', sans=NAMES, issuer=inter, not_before=pki.now - 60 * DAY,
                         not_after=pki.now + 40 * DAY)
    new = pki.issue_leaf('www.example.com', sans=NAMES, issuer=inter, not_before=pki.now - DAY,
                         not_after=pki.now + 99 * DAY)
    return root, inter, impostor, old, new


raw = read_entry  # a store read's entry, as the planner is given it


def chain(*certs):
    """retire_issuers as renew.yml passes it: the accepted file's PEM (leaf and chain); the leaf is skipped."""
    return load_issuers([''.join(c.pem for c in certs)])


def test_the_previous_certificate_of_the_accepted_issuer_is_retired(acme):
    root, inter, _impostor, old, new = acme
    decision = plan_retire({'My': [raw(old), raw(new)]}, {}, replaced_by=[new.thumbprint],
                           issuers=chain(new, inter, root))
    assert [(r['thumbprint'], r['replaced_by']) for r in decision['retire']] == [(old.thumbprint, new.thumbprint)]
    assert decision['retire'][0]['has_private_key'] is True  # what hkpost_install backs up before removing it


def test_without_retire_issuers_an_acme_certificate_is_never_a_candidate(acme):
    _root, _inter, _impostor, old, new = acme
    decision = plan_retire({'My': [raw(old), raw(new)]}, {}, replaced_by=[new.thumbprint])
    assert decision == {'retire': [], 'kept': [], 'exchange_known': True}


def test_a_same_named_issuer_with_another_key_is_another_issuer_and_never_touched(pki, acme):
    root, inter, impostor, _old, new = acme
    foreign = pki.issue_leaf('www.example.com', sans=NAMES, issuer=impostor, not_before=pki.now - 60 * DAY)
    decision = plan_retire({'My': [raw(foreign), raw(new)]}, {}, replaced_by=[new.thumbprint],
                           issuers=chain(new, inter, root))
    assert decision['retire'] == [] and decision['kept'] == []
    # Listing the impostor too does not make the accepted issuer's certificate a replacement for its leaf.
    decision = plan_retire({'My': [raw(foreign), raw(new)]}, {}, replaced_by=[new.thumbprint],
                           issuers=chain(inter, impostor))
    assert decision['retire'] == [] and decision['kept'] == []


def test_hongkong_post_and_acme_certificates_never_replace_each_other(pki, acme):
    root, inter, _impostor, old, new = acme
    hk_old = pki.issue_leaf('www.example.com', sans=NAMES, not_before=pki.now - 60 * DAY)
    hk_new = pki.issue_leaf('www.example.com', sans=NAMES, not_before=pki.now - 2 * DAY)
    # the ACME one is newer than the Hongkong Post one: it does not retire it, and the reverse
    decision = plan_retire({'My': [raw(hk_old), raw(new)]}, {}, issuers=chain(inter, root))
    assert decision['retire'] == [] and decision['kept'] == []
    decision = plan_retire({'My': [raw(old), raw(hk_new)]}, {}, issuers=chain(inter, root))
    assert decision['retire'] == [] and decision['kept'] == []


@pytest.mark.parametrize('consumer, reason', [
    (lambda t: {'rdp': {'listeners': [{'terminal_name': 'RDP-Tcp', 'thumbprint': t}]}}, 'the RDP listener RDP-Tcp'),
    (lambda t: {'sql': {'instances': [{'name': 'MSSQLSERVER', 'thumbprint': t}]}}, 'SQL Server instance MSSQLSERVER'),
    (lambda t: {'iis': {'sslcert': {'ipport': [{'endpoint': '0.0.0.0:8443', 'thumbprint': t}]}}}, 'http.sys mapping'),
], ids=['rdp', 'sql', 'http.sys'])
def test_a_consumer_keeps_the_acme_certificate_like_a_hongkong_post_one(acme, consumer, reason):
    root, inter, _impostor, old, new = acme
    decision = plan_retire({'My': [raw(old), raw(new)]}, consumer(old.thumbprint), replaced_by=[new.thumbprint],
                           issuers=chain(inter, root))
    assert decision['retire'] == []
    assert [k['thumbprint'] for k in decision['kept']] == [old.thumbprint]
    assert reason in decision['kept'][0]['reason'] and 'still used by' in decision['kept'][0]['reason']


def test_grace_days_and_keep_thumbprints_keep_it_until_then(pki, acme):
    root, inter, _impostor, old, new = acme
    stores = {'My': [raw(old), raw(new)]}
    kept = plan_retire(stores, {}, replaced_by=[new.thumbprint], issuers=chain(inter, root), grace_days=5)
    assert kept['retire'] == [] and 'grace period' in kept['kept'][0]['reason']
    later = plan_retire(stores, {}, replaced_by=[new.thumbprint], issuers=chain(inter, root), grace_days=5,
                        now=pki.now + 5 * DAY)
    assert [r['thumbprint'] for r in later['retire']] == [old.thumbprint]
    listed = plan_retire(stores, {}, replaced_by=[new.thumbprint], issuers=chain(inter, root),
                         keep=[old.thumbprint])
    assert listed['retire'] == [] and listed['kept'][0]['reason'] == 'listed in keep_thumbprints'


def test_a_newer_acme_certificate_without_its_key_replaces_nothing(acme):
    root, inter, _impostor, old, new = acme
    decision = plan_retire({'My': [raw(old), raw(new, key=False)]}, {}, issuers=chain(inter, root))
    assert decision['retire'] == [] and decision['kept'] == []


FILE = 'acme-web1-www.example.com-0123456789abcdef.pem'


def _accepted(pki, new, chain_certs, allowed):
    """The intake's assignment for ``new`` saved by the ACME phase with ``chain_certs`` after it, ``allowed`` being
    the host's hkpost_acme_trusted_issuers - what renew.yml's retire_issuers is made of (its ``pem``)."""
    request = {'host': 'web1', 'common_name': 'www.example.com', 'certificate_type': 'standard',
               'public_key_sha256': spki_sha256(new.key.public_key()), 'names': [], 'pending_thumbprint': None}
    record = {'acme_directory': 'https://acme.example/dir', 'host': 'web1',
              'public_key_sha256': spki_sha256(new.key.public_key())}
    files = [{'name': FILE, 'data': (new.pem + ''.join(c.pem for c in chain_certs)).encode()}]
    result = match_intake(files, [request], now=pki.now,
                          acme={'issuers': {'web1': [c.cert for c in allowed]}, 'records': {FILE: record}})
    assert result['findings'] == [], result['findings']
    (assignment,) = result['assignments']['web1']
    assert assignment['issuer'] == 'acme'
    return assignment


@pytest.mark.parametrize('file_chain, allowed', [
    ('leaf only', 'intermediate'),          # the trusted issuer signed the leaf; the file carries no CA certificate
    ('leaf and intermediate', 'intermediate'),
    ('leaf and intermediate', 'root'),
])
def test_the_intake_pem_as_retire_issuers_retires_the_predecessor(pki, acme, file_chain, allowed):
    # renew.yml builds retire_issuers from the accepted assignments' pem: it must name the key that signed the leaf,
    # also when the ACME chain file holds only the leaf, its issuer being one the allow-list holds.
    root, inter, _impostor, old, new = acme
    assignment = _accepted(pki, new, [] if file_chain == 'leaf only' else [inter],
                           [inter] if allowed == 'intermediate' else [root])
    assert assignment['pem'].startswith(new.pem)
    if file_chain == 'leaf only':
        # the allowed issuer that signed it follows the leaf; it is still no intermediate for LocalMachine\CA
        assert assignment['pem'] == new.pem + inter.pem and assignment['acme_intermediates'] == []
    decision = plan_retire({'My': [raw(old), raw(new)]}, {}, replaced_by=[new.thumbprint],
                           issuers=load_issuers([assignment['pem']]))
    assert [(r['thumbprint'], r['replaced_by']) for r in decision['retire']] == [(old.thumbprint, new.thumbprint)]


# ---- issue 21, third round: rules the mutation survivors showed unpinned ------------------------------------

def test_an_acme_certificate_named_without_a_replacement_is_refused_as_same_issuer(acme):
    root, inter, _impostor, _old, new = acme
    with pytest.raises(HkpostError, match=r'no newer valid same-issuer certificate with its key serves all of its '
                                          r'names \(www\.example\.com\)'):
        plan_retire({'My': [raw(new)]}, {}, thumbprints=[new.thumbprint], issuers=chain(inter, root))


def test_retire_issuers_are_read_from_text_or_bytes_and_none_is_no_issuer(acme):
    root, inter, _impostor, _old, new = acme
    assert load_issuers(None) == []
    assert load_issuers([inter.pem.encode('ascii'), new.pem + root.pem]) == [inter.cert, root.cert]
