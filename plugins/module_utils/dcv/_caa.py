# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CAA pre-flight (RFC 8659, RFC 8657): may Hongkong Post issue for this name, as the CA will decide it?

The CA checks CAA at issuance (BR 3.2.2.8) and refuses when the relevant record set names only other CAs; the
portal then shows a rejection days after the request. Deciding it here first turns that into a message naming
the record and the line to add.

``decide`` is pure (records in, decision out); ``relevant_rrset`` does the lookup with dnspython: the name, then
each parent up to and including the top-level domain, the first non-empty CAA set wins (RFC 8659 section 3). A
CNAME at a name is followed by the resolver (the target's CAA set counts for that name), but the climb continues
from the name's own parent, never the target's (RFC 8659 section 3, unlike RFC 6844).
"""

from __future__ import annotations

try:
    import dns.flags
    import dns.name
    import dns.rcode
    import dns.rdatatype
except ImportError:  # recorded by _dns.DNS_IMPORT_ERROR; the action plugin refuses before any lookup
    pass

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns

# The issuer domain names Hongkong Post recognises in CAA. Public CAA data lists hongkongpost.gov.hk; BR 2.2 makes
# a CA state them in section 4.2 of its CPS, but the e-Cert (Server) CPS text could not be consulted here, so this
# is one documented constant (docs: automated_issuance.rst) - a change in the CPS is a one-line change.
HONGKONG_POST_ISSUER_DOMAINS = ('hongkongpost.gov.hk',)
# RFC 8659 section 4 and the IANA "Certification Authority Restriction Properties" registry: tags a CA knows.
KNOWN_TAGS = ('issue', 'issuewild', 'iodef', 'contactemail', 'contactphone', 'issuevmc', 'issuemail')
CRITICAL = 128


def parse_issue_value(value):
    """``(issuer_domain or None, {parameter: value})`` of an issue/issuewild value (RFC 8659 section 4.2).

    An empty issuer domain (``;`` alone) authorises no CA. Parameters are ``key=value`` separated by ``;``
    (RFC 8657 defines ``accounturi`` and ``validationmethods``, a comma-separated list).
    """
    text = value.decode('utf-8', 'replace') if isinstance(value, bytes) else str(value)
    domain, _sep, rest = text.partition(';')
    params = {}
    for part in rest.split(';'):
        key, sep, val = part.strip().partition('=')
        if key and sep:
            params[key.strip().lower()] = val.strip()
    return (domain.strip().lower().rstrip('.') or None), params


def _record(flags, tag, value):
    tag = tag.decode('ascii', 'replace') if isinstance(tag, bytes) else str(tag)
    value = value.decode('utf-8', 'replace') if isinstance(value, bytes) else str(value)
    return {'flags': int(flags), 'tag': tag.lower(), 'value': value}


def record_text(owner, record):
    return '%s CAA %d %s "%s"' % (owner, record['flags'], record['tag'], record['value'])


def decide(name, records, owner=None, issuer_domains=HONGKONG_POST_ISSUER_DOMAINS, method=None):
    """May the CA whose issuer domains are ``issuer_domains`` issue for ``name`` given its relevant CAA set?

    ``records``: ``[{'flags', 'tag', 'value'}]`` found at ``owner``. Returns ``{'allowed', 'reason', 'records',
    'owner', 'matched', 'accounturi', 'validationmethods', 'warnings'}``; ``reason`` names the record and the fix
    when refused.
    """
    issuers = tuple(d.lower().rstrip('.') for d in issuer_domains)
    wildcard = name.startswith('*.')
    result = {'name': name, 'owner': owner, 'records': [record_text(owner, r) for r in records], 'allowed': True,
              'matched': None, 'accounturi': None, 'validationmethods': None, 'warnings': [], 'reason': None}
    if not records:
        result['reason'] = 'no CAA record at %s or any parent: any CA may issue' % name
        return result
    unknown_critical = [r for r in records if r['flags'] & CRITICAL and r['tag'] not in KNOWN_TAGS]
    if unknown_critical:
        result.update(allowed=False, reason=(
            'the CAA record %s has the critical flag on a property the CA does not know: RFC 8659 section 4.5 '
            'forbids issuance. Remove the record or clear its flag (0)' % record_text(owner, unknown_critical[0])))
        return result
    wild = [r for r in records if r['tag'] == 'issuewild']
    used_tag = 'issuewild' if wildcard and wild else 'issue'
    relevant = [r for r in records if r['tag'] == used_tag]
    if not relevant:
        result['reason'] = 'the CAA records at %s have no %s property: they do not restrict issuance' % (owner, used_tag)
        return result
    for record in relevant:
        domain, params = parse_issue_value(record['value'])
        if domain in issuers:
            methods = [m.strip() for m in params['validationmethods'].split(',')] \
                if 'validationmethods' in params else None
            result.update(matched=record_text(owner, record), accounturi=params.get('accounturi'),
                          validationmethods=methods,
                          reason='%s authorises %s' % (record_text(owner, record), domain))
            if params.get('accounturi'):
                result['warnings'].append(
                    '%s limits issuance to the ACME account %s (RFC 8657 section 3): a portal request is not made '
                    'from that account' % (record_text(owner, record), params['accounturi']))
            wanted = {'dns': 'dns-01', 'file': 'http-01'}.get(method)
            if methods is not None and wanted and wanted not in methods:
                result['warnings'].append(
                    '%s limits validation to %s (RFC 8657 section 4); method %s (%s) is not among them'
                    % (record_text(owner, record), ', '.join(methods), method, wanted))
            return result
    named = sorted({parse_issue_value(r['value'])[0] or '(no CA)' for r in relevant})
    add = '%s CAA 0 %s "%s"' % (owner, used_tag, issuers[0] if issuers else 'hongkongpost.gov.hk')
    result.update(allowed=False, reason=(
        'the relevant CAA record set for %s (at %s) allows only %s to issue%s: Hongkong Post will refuse the '
        'request (BR 3.2.2.8, RFC 8659). Add %s beside the existing records (keep them for your other CA)'
        % (name, owner, ', '.join(named), ' wildcard certificates' if used_tag == 'issuewild' else '', add)))
    return result


def _caa_at(qname, servers, timeout):
    """(CAA records, owner text, cname target text or None) for one name; NXDOMAIN and NODATA are empty."""
    response = _dns.ask(qname, dns.rdatatype.CAA, servers, timeout)
    rcode = response.rcode()
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        raise HkpostError('the CAA lookup of %s answered %s; the CA treats a failed CAA lookup as a refusal unless '
                          'it is outside its own systems (BR 3.2.2.8)' % (qname, dns.rcode.to_text(rcode)))
    current, target = qname, None
    for _hop in range(16):  # follow the CNAME chain as the resolver gave it
        cname = next((r for r in response.answer if r.name == current and r.rdtype == dns.rdatatype.CNAME), None)
        if cname is None:
            break
        current = target = cname[0].target
    records = [_record(rd.flags, rd.tag, rd.value) for rrset in response.answer
               if rrset.name == current and rrset.rdtype == dns.rdatatype.CAA for rd in rrset]
    return records, current.to_text(omit_final_dot=True), (target.to_text(omit_final_dot=True) if target else None)


def relevant_rrset(name, servers, timeout=5):
    """The relevant CAA record set of ``name`` (RFC 8659 section 3): ``{'owner', 'records', 'cname', 'asked'}``."""
    base = name[2:] if name.startswith('*.') else name
    qname = dns.name.from_text(base)
    asked = []
    while len(qname.labels) > 1:  # stop at the root: a TLD is asked, its parent is not
        asked.append(qname.to_text(omit_final_dot=True))
        records, owner, cname = _caa_at(qname, servers, timeout)
        if records:
            return {'owner': owner, 'records': records, 'cname': cname, 'asked': asked}
        qname = qname.parent()
    return {'owner': None, 'records': [], 'cname': None, 'asked': asked}


def check(name, servers, issuer_domains=HONGKONG_POST_ISSUER_DOMAINS, method=None, timeout=5):
    """Look up and decide for one name; a lookup failure is ``allowed: None`` with the problem (not a refusal)."""
    try:
        found = relevant_rrset(name, servers, timeout)
    except HkpostError as e:
        return {'name': name, 'allowed': None, 'reason': str(e), 'owner': None, 'records': [], 'matched': None,
                'accounturi': None, 'validationmethods': None, 'warnings': [], 'asked': []}
    result = decide(name, found['records'], found['owner'], issuer_domains, method)
    result.update(asked=found['asked'], cname=found['cname'])
    return result
