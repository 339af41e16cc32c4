# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNSSEC pre-flight: does the zone holding a name validate from a trust anchor, as the CA's resolver will check?

From 2026-03-15 the CA validates DNSSEC on every DCV and CAA lookup (Baseline Requirements 3.2.2.4 and
3.2.2.8 as amended by ballot SC-085): a zone whose signatures are broken or expired makes issuance fail. This
walks the chain with dnspython - DNSKEY matched to the trust anchor, DS at each delegation signed by the parent, DNSKEY matched to the DS, then the
CAA answer the CA will ask for - and calls ``dns.dnssec.validate`` for every signature (no cryptography here).

Statuses: ``secure`` (validates), ``unsigned`` (a delegation without DS above the zone: fine for the CA),
``bogus`` (a signature, key or DS does not validate: the CA will refuse too), ``no_anchor`` (no trust anchor
covers the name: not checked), ``error`` (the lookup itself failed).

Limits (documented): a missing DS is accepted as "unsigned" when the parent's answer carries signed NSEC/NSEC3
records (their signatures are validated; for NSEC the bitmap must show NS without DS at the name; NSEC3 hashes are
not matched). The CA's resolver does the full proof.
"""

from __future__ import annotations

import time
import warnings

try:
    import dns.flags
    import dns.message
    import dns.name
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype
    import dns.rrset
    with warnings.catch_warnings():  # dnspython's DSA support warns on import with recent cryptography
        warnings.simplefilter('ignore')
        import dns.dnssec
except ImportError:
    pass

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns

# dns-root-data (Debian) and BIND ship the root KSK; the first that exists is the default trust anchor.
ROOT_ANCHOR_FILES = ('/usr/share/dns/root.ds', '/usr/share/dns/root.key')


class Bogus(Exception):
    """A signature, key or DS that does not validate: the CA's validating resolver will fail this too."""


class Unanchored(Exception):
    """No trust anchor covers the zone."""


def parse_trust_anchor(text):
    """Zone-file lines of DS or DNSKEY records -> {zone name: [rdata]}; comments and blank lines ignored."""
    anchors = {}
    for line in str(text).splitlines():
        line = line.split(';', 1)[0].strip()
        if not line:
            continue
        tokens = line.split()
        try:
            owner = dns.name.from_text(tokens[0])
            rest = tokens[1:]
            while rest and (rest[0].isdigit() or rest[0].upper() in ('IN', 'CH', 'HS')):
                rest = rest[1:]  # TTL and class
            rdtype = dns.rdatatype.from_text(rest[0])
            if rdtype not in (dns.rdatatype.DS, dns.rdatatype.DNSKEY):
                raise ValueError('only DS and DNSKEY records are trust anchors')
            rdata = dns.rdata.from_text(dns.rdataclass.IN, rdtype, ' '.join(rest[1:]))
        except Exception as e:  # dnspython raises many kinds for a malformed record
            raise HkpostError('dnssec_trust_anchor line %r is not a DS or DNSKEY record (%s); give zone-file lines '
                              'such as "example.hk. IN DS 12345 13 2 <hex>"' % (line, e))
        anchors.setdefault(owner, []).append(rdata)
    if not anchors:
        raise HkpostError('dnssec_trust_anchor holds no DS or DNSKEY record')
    return anchors


def root_anchor():
    """The system's root trust anchor text, or None when none is installed."""
    for path in ROOT_ANCHOR_FILES:
        try:
            with open(path) as handle:
                return handle.read()
        except OSError:
            continue
    return None


class Validator:
    """Validates names against ``anchors`` asking ``servers``; caches each zone's validated keys."""

    def __init__(self, anchors, servers, timeout=5, now=None):
        self.anchors = anchors
        self.servers = servers
        self.timeout = timeout
        self.now = now  # POSIX time for signature validity; None is the clock
        self._keys = {}

    # -- queries ------------------------------------------------------------------------------------
    def _ask(self, qname, rdtype):
        query = dns.message.make_query(qname, rdtype, want_dnssec=True, payload=1232)
        query.flags |= dns.flags.CD  # a validating resolver hands over bogus data instead of SERVFAIL: we name it
        problems = []
        for address, port in self.servers:
            try:
                return _dns._exchange(query, address, port, self.timeout)
            except HkpostError as e:
                problems.append(str(e))
        raise HkpostError('; '.join(problems) or 'no DNS server to ask')

    @staticmethod
    def _pairs(section, owner=None):
        """[(rrset, rrsigs covering it or None)] of a message section."""
        sigs = {(r.name, r.covers): r for r in section if r.rdtype == dns.rdatatype.RRSIG}
        return [(r, sigs.get((r.name, r.rdtype))) for r in section
                if r.rdtype != dns.rdatatype.RRSIG and (owner is None or r.name == owner)]

    def _validate(self, rrset, rrsigs, what):
        if rrsigs is None:
            raise Bogus('%s has no signature (RRSIG)' % what)
        signer = rrsigs[0].signer
        keys = self.zone_keys(signer)
        if keys is None:
            raise Bogus('%s is signed by %s, whose zone has no DS: the signature cannot be trusted'
                        % (what, _text(signer)))
        try:
            dns.dnssec.validate(rrset, rrsigs, {signer: keys}, now=self._now())
        except dns.dnssec.ValidationFailure as e:
            raise Bogus('the signature of %s does not validate (%s)' % (what, self._why(rrsigs, e)))

    def _now(self):
        return self.now if self.now is not None else time.time()

    def _why(self, rrsigs, error):
        """dnspython says "no RRSIGs validated" for every cause; name the common one an operator can fix."""
        now = self._now()
        if all(sig.expiration < now for sig in rrsigs):
            return 'its signatures expired on %s; the zone is no longer being re-signed' % time.strftime(
                '%Y-%m-%d %H:%M UTC', time.gmtime(max(sig.expiration for sig in rrsigs)))
        if all(sig.inception > now for sig in rrsigs):
            return 'its signatures are not valid before %s; check the signer\'s clock' % time.strftime(
                '%Y-%m-%d %H:%M UTC', time.gmtime(min(sig.inception for sig in rrsigs)))
        return '%s: the data does not match its signature' % error

    # -- the chain ------------------------------------------------------------------------------------
    def zone_keys(self, zone):
        """The validated DNSKEY rrset of ``zone``, or None when the zone is unsigned (insecure delegation)."""
        if zone not in self._keys:
            self._keys[zone] = None  # a loop (a zone signing its own DS) ends unsigned, never recursing forever
            self._keys[zone] = self._zone_keys(zone)
        return self._keys[zone]

    def _dnskeys(self, zone):
        response = self._ask(zone, dns.rdatatype.DNSKEY)
        pairs = [(r, s) for r, s in self._pairs(response.answer, zone) if r.rdtype == dns.rdatatype.DNSKEY]
        return pairs[0] if pairs else (None, None)

    def _self_signed(self, zone, keys, sigs, trusted):
        """Validate the DNSKEY rrset with the trusted keys among it (the anchor's or the DS's)."""
        if sigs is None:
            raise Bogus('the DNSKEY set of %s is not signed' % _text(zone))
        subset = dns.rrset.from_rdata_list(zone, keys.ttl, trusted)
        try:
            dns.dnssec.validate(keys, sigs, {zone: subset}, now=self._now())
        except dns.dnssec.ValidationFailure as e:
            raise Bogus('the DNSKEY set of %s is not signed by a key the %s vouches for (%s)'
                        % (_text(zone), 'trust anchor' if zone in self.anchors else 'DS at the parent',
                           self._why(sigs, e)))
        return keys

    def _matching(self, zone, keys, ds_set):
        matched = []
        for key in keys:
            for ds in ds_set:
                try:
                    if dns.dnssec.make_ds(zone, key, ds.digest_type) == ds:
                        matched.append(key)
                except Exception:  # an unsupported digest type matches nothing
                    continue
        return matched

    def _zone_keys(self, zone):
        keys, sigs = self._dnskeys(zone)
        if zone in self.anchors:
            anchor = self.anchors[zone]
            if keys is None:
                raise Bogus('the trust anchor names %s, but it serves no DNSKEY' % _text(zone))
            trusted = [k for k in keys if k in anchor] + self._matching(
                zone, keys, [a for a in anchor if a.rdtype == dns.rdatatype.DS])
            if not trusted:
                raise Bogus('no DNSKEY of %s matches the trust anchor (a key rollover not reflected in the anchor?)'
                            % _text(zone))
            return self._self_signed(zone, keys, sigs, trusted)
        if zone == dns.name.root:
            raise Unanchored('no trust anchor covers it')
        response = self._ask(zone, dns.rdatatype.DS)
        ds_pairs = [(r, s) for r, s in self._pairs(response.answer, zone) if r.rdtype == dns.rdatatype.DS]
        if ds_pairs:
            ds_set, ds_sigs = ds_pairs[0]
            self._validate(ds_set, ds_sigs, 'the DS of %s' % _text(zone))
            if keys is None:
                raise Bogus('the parent publishes a DS for %s, but the zone serves no DNSKEY' % _text(zone))
            trusted = self._matching(zone, keys, ds_set)
            if not trusted:
                raise Bogus('no DNSKEY of %s matches its DS at the parent (a key rollover half done?)'
                            % _text(zone))
            return self._self_signed(zone, keys, sigs, trusted)
        return self._no_ds(zone, response)

    def _no_ds(self, zone, response):
        """No DS: unsigned if the parent is unsigned, or if the parent proves (signed) there is no DS."""
        # Only the parent's word counts: a zone's own apex NSEC (a server that holds no parent) proves nothing.
        denials = [(r, s) for r, s in self._pairs(response.authority)
                   if r.rdtype in (dns.rdatatype.NSEC, dns.rdatatype.NSEC3)
                   and s is not None and zone.is_subdomain(s[0].signer) and s[0].signer != zone]
        if not denials:
            parent = zone.parent()
            if parent != dns.name.root:
                parent = dns.name.from_text(_dns.find_zone(parent.to_text(), self.servers, self.timeout))
            if self.zone_keys(parent) is None:
                return None  # the parent is unsigned too
            raise Bogus('the parent zone %s is signed but gives no signed proof that %s has no DS'
                        % (_text(parent), _text(zone)))
        for rrset, sigs in denials:
            self._validate(rrset, sigs, 'the NSEC record proving %s has no DS' % _text(zone))
            if rrset.rdtype == dns.rdatatype.NSEC and rrset.name == zone:
                types = [t for window, bitmap in rrset[0].windows
                         for t in _bitmap_types(window, bitmap)]
                if dns.rdatatype.DS in types:
                    raise Bogus('the NSEC record at %s says a DS exists, yet none was answered' % _text(zone))
        return None

    # -- one name ----------------------------------------------------------------------------------------
    def check(self, name, rdtypes=('CAA',)):
        """``{'name', 'zone', 'status', 'problem'}`` for the zone holding ``name``, and the answers the CA will
        ask for there (``rdtypes``: CAA always; TXT too for DNS DCV) - each RRset or denial must validate."""
        base = name[2:] if name.startswith('*.') else name
        result = {'name': name, 'zone': None, 'status': None, 'problem': None}
        try:
            zone = dns.name.from_text(_dns.find_zone(base, self.servers, self.timeout))
            result['zone'] = zone.to_text(omit_final_dot=True)
            keys = self.zone_keys(zone)
            if keys is None:
                result['status'] = 'unsigned'
                return result
            for rdtype in rdtypes:
                response = self._ask(base, dns.rdatatype.from_text(rdtype))
                pairs = self._pairs(response.answer) or self._pairs(response.authority)
                if not pairs:
                    # A signed zone proves even an absence (RFC 4035 3.1.3): an empty reply is what an
                    # attacker stripping the answer would send, so it is not taken as "no CAA here".
                    raise Bogus('the answer for %s %s carries neither records nor a signed denial (NSEC/NSEC3)'
                                % (base, rdtype))
                for rrset, sigs in pairs:
                    self._validate(rrset, sigs, '%s %s' % (rrset.name.to_text(omit_final_dot=True),
                                                           dns.rdatatype.to_text(rrset.rdtype)))
            result['status'] = 'secure'
        except Bogus as e:
            result.update(status='bogus', problem='%s: the CA validates DNSSEC on every DCV and CAA lookup '
                                                  '(ballot SC-085) and will refuse this too. Re-sign the zone or fix '
                                                  'the DS at the parent' % e)
        except Unanchored as e:
            result.update(status='no_anchor', problem='DNSSEC not checked: %s' % e)
        except HkpostError as e:
            result.update(status='error', problem=str(e))
        return result


def _text(name):
    return name.to_text(omit_final_dot=True) if name != dns.name.root else '.'


def _bitmap_types(window, bitmap):
    return [window * 256 + i * 8 + bit for i, byte in enumerate(bitmap) for bit in range(8)
            if byte & (0x80 >> bit)]
