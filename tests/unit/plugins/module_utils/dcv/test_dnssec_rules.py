# -*- coding: utf-8 -*-
"""dcv._dnssec rules left open by the issue 21 mutation run: the trust anchor's text, the anchored zone's keys, the
words of each refusal, and the NSEC type bitmap.

The signed zone is made here with dnspython (dns.dnssec.sign, Ed25519) and answered by a stand-in for
dcv._dns._exchange: each case is one small, exactly controlled answer. The whole chain against BIND 9 and
dnssec-signzone is tests/unit/plugins/module_utils/dcv/test_dnssec.py.
"""

from __future__ import annotations

import types

import dns.dnssec
import dns.message
import dns.name
import dns.rdata
import dns.rdatatype
import dns.rrset
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns, _dnssec

ZONE = dns.name.from_text('example.hk.')
NOW = 1_800_000_000
DNSKEY, DS, CAA = dns.rdatatype.DNSKEY, dns.rdatatype.DS, dns.rdatatype.CAA


class Zone:
    """example.hk signed with a KSK (and optionally signed by another key); answers DNSKEY and CAA queries."""

    def __init__(self, monkeypatch, sign_keys_with='ksk', sign_caa=True, extra_key=False):
        self.ksk = ed25519.Ed25519PrivateKey.generate()
        self.other = ed25519.Ed25519PrivateKey.generate()
        self.ksk_rdata = dns.dnssec.make_dnskey(self.ksk.public_key(), 'ED25519', flags=257)
        other_rdata = dns.dnssec.make_dnskey(self.other.public_key(), 'ED25519', flags=256)
        keys = [self.ksk_rdata] + ([other_rdata] if extra_key else [])
        self.dnskeys = dns.rrset.from_rdata_list(ZONE, 3600, keys)
        signer = {'ksk': (self.ksk, self.ksk_rdata), 'other': (self.other, other_rdata)}.get(sign_keys_with)
        self.dnskey_sigs = self._sign(self.dnskeys, *signer) if signer else None
        self.caa = dns.rrset.from_text(ZONE, 3600, 'IN', 'CAA', '0 issue "hongkongpost.gov.hk"')
        self.caa_sigs = self._sign(self.caa, self.ksk, self.ksk_rdata) if sign_caa else None
        self.asked = []
        monkeypatch.setattr(_dns, '_exchange', self.exchange)
        monkeypatch.setattr(_dns, 'find_zone', lambda name, servers, timeout=5: 'example.hk')

    @staticmethod
    def _sign(rrset, key, dnskey):
        rrsig = dns.dnssec.sign(rrset, key, ZONE, dnskey, inception=NOW - 3600, expiration=NOW + 86400)
        return dns.rrset.from_rdata(rrset.name, rrset.ttl, rrsig)

    def exchange(self, query, address, port, timeout, tcp=False, what='query'):
        question = query.question[0]
        self.asked.append((question.name.to_text(), dns.rdatatype.to_text(question.rdtype)))
        response = dns.message.make_response(query)
        rrset, sigs = {DNSKEY: (self.dnskeys, self.dnskey_sigs), CAA: (self.caa, self.caa_sigs)}.get(
            question.rdtype, (None, None))
        if rrset is not None and question.name == ZONE:
            response.answer.append(rrset)
            if sigs is not None:
                response.answer.append(sigs)
        return response

    def ds(self, digest='SHA256'):
        return dns.dnssec.make_ds(ZONE, self.ksk_rdata, digest)


def validator(anchors, servers=(('192.0.2.1', 53),)):
    return _dnssec.Validator(anchors, list(servers), timeout=1, now=NOW)


def test_an_anchor_ds_matching_the_ksk_makes_the_zone_secure(monkeypatch):
    zone = Zone(monkeypatch)
    result = validator({ZONE: [zone.ds()]}).check('example.hk')
    assert result == {'name': 'example.hk', 'zone': 'example.hk', 'status': 'secure', 'problem': None}


def test_an_anchor_may_mix_the_dnskey_itself_and_ds_records(monkeypatch):
    zone = Zone(monkeypatch)
    other_ds = dns.rdata.from_text('IN', 'DS', '1 15 2 ' + '00' * 32)
    assert validator({ZONE: [zone.ksk_rdata, other_ds]}).check('example.hk')['status'] == 'secure'
    assert validator({ZONE: [other_ds, zone.ds()]}).check('example.hk')['status'] == 'secure'


def test_the_zone_keys_are_asked_once_per_validator(monkeypatch):
    zone = Zone(monkeypatch)
    check = validator({ZONE: [zone.ds()]})
    check.check('example.hk')
    check.check('example.hk')
    assert zone.asked.count(('example.hk.', 'DNSKEY')) == 1


def test_an_anchor_that_matches_no_key_is_bogus(monkeypatch):
    Zone(monkeypatch)
    stranger = dns.dnssec.make_ds(ZONE, dns.dnssec.make_dnskey(
        ed25519.Ed25519PrivateKey.generate().public_key(), 'ED25519', flags=257), 'SHA256')
    result = validator({ZONE: [stranger]}).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'no DNSKEY of example.hk matches the trust anchor')


def test_an_unsigned_dnskey_set_is_bogus(monkeypatch):
    zone = Zone(monkeypatch, sign_keys_with=None)
    result = validator({ZONE: [zone.ds()]}).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith('the DNSKEY set of example.hk is not signed:')


def test_a_dnskey_set_signed_only_by_a_key_the_anchor_does_not_name_is_bogus(monkeypatch):
    zone = Zone(monkeypatch, sign_keys_with='other', extra_key=True)
    result = validator({ZONE: [zone.ds()]}).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'the DNSKEY set of example.hk is not signed by a key the trust anchor vouches for (')


def test_an_unsigned_answer_in_a_signed_zone_is_bogus(monkeypatch):
    zone = Zone(monkeypatch, sign_caa=False)
    result = validator({ZONE: [zone.ds()]}).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith('example.hk CAA has no signature (RRSIG):')


@pytest.mark.parametrize('zone_name, shown', [('example.hk.', 'example.hk'), ('.', '.')])
def test_an_anchored_zone_serving_no_dnskey_is_bogus_naming_it(monkeypatch, zone_name, shown):
    monkeypatch.setattr(_dns, '_exchange', lambda query, *a, **k: dns.message.make_response(query))
    name = dns.name.from_text(zone_name)
    with pytest.raises(_dnssec.Bogus, match=r'^the trust anchor names %s, but it serves no DNSKEY$' % shown.replace(
            '.', r'\.')):
        validator({name: [dns.rdata.from_text('IN', 'DS', '1 15 2 ' + '00' * 32)]}).zone_keys(name)


def test_every_server_failing_is_one_error_naming_each(monkeypatch):
    def refuse(query, address, port, timeout, tcp=False, what='query'):
        raise HkpostError('%s refused' % address)
    monkeypatch.setattr(_dns, '_exchange', refuse)
    with pytest.raises(HkpostError, match=r'^192\.0\.2\.1 refused; 192\.0\.2\.2 refused$'):
        validator({}, [('192.0.2.1', 53), ('192.0.2.2', 53)]).zone_keys(ZONE)
    with pytest.raises(HkpostError, match='^no DNS server to ask$'):
        validator({}, []).zone_keys(ZONE)


@pytest.mark.parametrize('line', [
    'example.hk. DS 12345 13 2 ' + 'ab' * 32,
    'example.hk. 3600 IN DS 12345 13 2 ' + 'ab' * 32,
    'example.hk. IN 3600 DS 12345 13 2 ' + 'ab' * 32 + ' ; a comment; with two semicolons',
])
def test_trust_anchor_lines_with_or_without_ttl_and_class(line):
    anchors = _dnssec.parse_trust_anchor(line)
    assert [(owner.to_text(), [r.key_tag for r in rdatas]) for owner, rdatas in anchors.items()] == [
        ('example.hk.', [12345])]


def test_signature_times_are_judged_as_dnspython_does():
    # dnspython (dns/dnssec.py _validate_rrsig) refuses expiration < now and inception > now: the edges still hold.
    check = validator({})
    sig = types.SimpleNamespace(expiration=NOW, inception=NOW)
    assert check._why([sig], 'no RRSIGs validated') == 'no RRSIGs validated: the data does not match its signature'
    assert 'expired on' in check._why([types.SimpleNamespace(expiration=NOW - 1, inception=0)], 'x')
    assert 'not valid before' in check._why([types.SimpleNamespace(expiration=NOW * 2, inception=NOW + 1)], 'x')


def test_nsec_type_bitmap_reads_every_window():
    nsec = dns.rdata.from_text('IN', 'NSEC', 'next.example.hk. A NS SOA TXT DS RRSIG NSEC DNSKEY CAA TYPE65534')
    found = [t for window, bitmap in nsec.windows for t in _dnssec._bitmap_types(window, bitmap)]
    assert found == [1, 2, 6, 16, 43, 46, 47, 48, 257, 65534]


def test_a_wildcard_is_checked_at_its_base_name(monkeypatch):
    zone = Zone(monkeypatch)
    assert validator({ZONE: [zone.ds()]}).check('*.example.hk')['status'] == 'secure'
    assert ('example.hk.', 'CAA') in zone.asked and not any(n.startswith('*') for n, _t in zone.asked)


# ---- a parent and its child: DS at the parent, or the parent's signed proof that there is none ---------------

HK = dns.name.from_text('hk.')
OTHER = dns.name.from_text('other.hk.')


class Tree:
    """hk. (the trust anchor's zone) and its child example.hk., each with its own Ed25519 key.

    ``ds``: the parent publishes the child's DS (signed); otherwise ``denial`` says what the parent's authority
    section holds for a DS query: 'nsec' (signed by hk), 'nsec-ds' (the bitmap lists DS), 'nsec-self' (signed by
    the child itself), 'nsec-unsigned', or None (nothing).
    """

    def __init__(self, monkeypatch, ds=True, denial=None, child_keys=True, child_signer='child', ds_for=None,
                 caa_signer=ZONE):
        self.keys = {}
        for zone in (HK, ZONE, OTHER):
            private = ed25519.Ed25519PrivateKey.generate()
            self.keys[zone] = (private, dns.dnssec.make_dnskey(private.public_key(), 'ED25519', flags=257))
        self.answers = {}
        self._add(HK, DNSKEY, [self.keys[HK][1]], HK)
        if child_keys:
            signer = {'child': ZONE, 'parent': HK}[child_signer]
            self._add(ZONE, DNSKEY, [self.keys[ZONE][1]], signer)
        self._add(ZONE, CAA, ['0 issue "hongkongpost.gov.hk"'], caa_signer)
        # other.hk is an unsigned child of hk: hk proves it has no DS.
        other_nsec = dns.rrset.from_text(OTHER, 3600, 'IN', 'NSEC', 'zzz.hk. NS RRSIG NSEC')
        self.authority = {(OTHER, DS): [other_nsec, self._sign(other_nsec, HK)]}
        if ds:
            digest_of = ds_for or self.keys[ZONE][1]
            self._add(ZONE, DS, [dns.dnssec.make_ds(ZONE, digest_of, 'SHA256')], HK)
        elif denial == 'soa':
            soa = dns.rrset.from_text(HK, 3600, 'IN', 'SOA', 'ns1.hk. admin.hk. 1 3600 600 86400 300')
            self.authority[(ZONE, DS)] = [soa, self._sign(soa, HK)]
        elif denial:
            types_ = 'NS RRSIG NSEC' + (' DS' if denial == 'nsec-ds' else '')
            nsec = dns.rrset.from_text(ZONE, 3600, 'IN', 'NSEC', 'zzz.hk. ' + types_)
            signer = {'nsec': HK, 'nsec-ds': HK, 'nsec-self': ZONE, 'nsec-unsigned': None, 'nsec-foreign': OTHER,
                      'nsec+covering': HK}[denial]
            self.authority[(ZONE, DS)] = [nsec] + ([self._sign(nsec, signer)] if signer else [])
            if denial == 'nsec+covering':
                # hk's NSEC at another name, whose own types include DS: it says nothing about example.hk.
                covering = dns.rrset.from_text('aaa.hk.', 3600, 'IN', 'NSEC', 'example.hk. NS DS RRSIG NSEC')
                self.authority[(ZONE, DS)] += [covering, self._sign(covering, HK)]
        self.asked = []
        monkeypatch.setattr(_dns, '_exchange', self.exchange)
        monkeypatch.setattr(_dns, 'find_zone', lambda name, servers, timeout=5: next(
            z for z in ('example.hk', 'other.hk', 'a.b.hk', 'hk') if name.rstrip('.').endswith(z)))

    def _sign(self, rrset, signer):
        private, dnskey = self.keys[signer]
        rrsig = dns.dnssec.sign(rrset, private, signer, dnskey, inception=NOW - 3600, expiration=NOW + 86400)
        return dns.rrset.from_rdata(rrset.name, rrset.ttl, rrsig)

    def _add(self, name, rdtype, rdatas, signer):
        if rdatas and isinstance(rdatas[0], str):
            rrset = dns.rrset.from_text_list(name, 3600, 'IN', rdtype, rdatas)
        else:
            rrset = dns.rrset.from_rdata_list(name, 3600, rdatas)
        self.answers[(name, rdtype)] = [rrset, self._sign(rrset, signer)]

    def exchange(self, query, address, port, timeout, tcp=False, what='query'):
        question = query.question[0]
        self.asked.append((question.name.to_text(), dns.rdatatype.to_text(question.rdtype)))
        response = dns.message.make_response(query)
        response.answer.extend(self.answers.get((question.name, question.rdtype), []))
        response.authority.extend(self.authority.get((question.name, question.rdtype), []))
        return response


def tree_validator(tree):
    return validator({HK: [dns.dnssec.make_ds(HK, tree.keys[HK][1], 'SHA256')]})


def test_a_child_with_a_signed_ds_at_the_parent_is_secure(monkeypatch):
    tree = Tree(monkeypatch)
    assert tree_validator(tree).check('example.hk')['status'] == 'secure'
    assert ('example.hk.', 'DS') in tree.asked


def test_a_ds_at_the_parent_and_no_dnskey_in_the_child_is_bogus(monkeypatch):
    result = tree_validator(Tree(monkeypatch, child_keys=False)).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'the parent publishes a DS for example.hk, but the zone serves no DNSKEY:')


def test_a_ds_matching_no_child_key_is_bogus(monkeypatch):
    stranger = dns.dnssec.make_dnskey(ed25519.Ed25519PrivateKey.generate().public_key(), 'ED25519', flags=257)
    result = tree_validator(Tree(monkeypatch, ds_for=stranger)).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'no DNSKEY of example.hk matches its DS at the parent (a key rollover half done?)')


def test_a_child_key_set_not_signed_by_the_key_its_ds_names_is_bogus(monkeypatch):
    result = tree_validator(Tree(monkeypatch, child_signer='parent')).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'the DNSKEY set of example.hk is not signed by a key the DS at the parent vouches for (')


def test_the_parents_signed_nsec_without_ds_makes_the_child_unsigned(monkeypatch):
    result = tree_validator(Tree(monkeypatch, ds=False, denial='nsec')).check('www.example.hk')
    assert result['status'] == 'unsigned' and result['problem'] is None


def test_only_the_nsec_at_the_child_name_is_read_for_ds(monkeypatch):
    assert tree_validator(Tree(monkeypatch, ds=False, denial='nsec+covering')).check('example.hk')['status'] == 'unsigned'


def test_a_record_signed_by_an_unsigned_zone_cannot_be_trusted(monkeypatch):
    result = tree_validator(Tree(monkeypatch, caa_signer=OTHER)).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'example.hk CAA is signed by other.hk, whose zone has no DS: the signature cannot be trusted:')


def test_an_nsec_that_lists_ds_yet_no_ds_was_answered_is_bogus(monkeypatch):
    result = tree_validator(Tree(monkeypatch, ds=False, denial='nsec-ds')).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'the NSEC record at example.hk says a DS exists, yet none was answered:')


@pytest.mark.parametrize('denial', [None, 'nsec-self', 'nsec-unsigned', 'nsec-foreign', 'soa'])
def test_without_the_parents_signed_proof_a_missing_ds_is_bogus(monkeypatch, denial):
    result = tree_validator(Tree(monkeypatch, ds=False, denial=denial)).check('example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'the parent zone hk is signed but gives no signed proof that example.hk has no DS:')


def test_a_denial_in_the_authority_section_must_validate_too(monkeypatch):
    # NODATA for CAA at www.example.hk: the answer is empty and the authority section's records are what the CA
    # validates; unsigned, they are bogus.
    zone = Zone(monkeypatch)
    answer = zone.exchange

    def exchange(query, *args, **kwargs):
        response = answer(query, *args, **kwargs)
        if query.question[0].name == dns.name.from_text('www.example.hk.'):
            response.authority.append(dns.rrset.from_text(ZONE, 3600, 'IN', 'SOA',
                                                          'ns1.example.hk. admin.example.hk. 1 3600 600 86400 300'))
        return response
    monkeypatch.setattr(_dns, '_exchange', exchange)
    result = validator({ZONE: [zone.ds()]}).check('www.example.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith('example.hk SOA has no signature (RRSIG):')


def test_the_parent_zone_is_the_zone_holding_the_parent_name_not_the_parent_label(monkeypatch):
    # a.b.hk is delegated straight from hk (b.hk is no zone): hk is the parent whose proof is missing.
    result = tree_validator(Tree(monkeypatch)).check('a.b.hk')
    assert result['status'] == 'bogus' and result['problem'].startswith(
        'the parent zone hk is signed but gives no signed proof that a.b.hk has no DS:')


def test_an_empty_reply_from_a_signed_zone_is_bogus_not_secure(monkeypatch):
    """A signed zone answers a name without CAA with a signed denial; a reply with neither records nor denial
    (stripped on the way) proves nothing, so the zone is not reported secure."""
    zone = Zone(monkeypatch)
    result = validator({ZONE: [zone.ds()]}).check('www.example.hk')
    assert result['status'] == 'bogus'
    assert 'www.example.hk CAA carries neither records nor a signed denial' in result['problem']
