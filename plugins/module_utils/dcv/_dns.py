# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS side of DCV with dnspython: RFC 2136 updates of ONE TXT value, and the authoritative check.

An update only ever adds or deletes the single TXT rdata holding the code (RFC 2136 3.4.2.3:
delete an RR from an RRset). It never replaces the RRset, so SPF and other CAs' tokens at the
same name survive. When other TXT values already exist, their TTL is kept: an RRset has one TTL,
and a server applies an added RR's TTL to the whole RRset.

Verification asks every authoritative server of the zone directly (no recursion, no cache), the
way the CA's multi-perspective check eventually sees the zone, instead of sleeping a fixed time.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import socket

try:  # dnspython is a controller requirement; file and e-mail DCV, ansible-doc and sanity load without it
    import dns.exception
    import dns.flags
    import dns.message
    import dns.name
    import dns.query
    import dns.rcode
    import dns.rdataclass
    import dns.rdatatype
    import dns.resolver
    import dns.rdtypes.ANY.TXT
    import dns.tsig
    import dns.update
except ImportError as exc:
    DNS_IMPORT_ERROR = str(exc)
else:
    DNS_IMPORT_ERROR = None

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError

TSIG_ALGORITHMS = ('hmac-sha256', 'hmac-sha384', 'hmac-sha512', 'hmac-sha224', 'hmac-sha1', 'hmac-md5')


def parse_server(value, default_port=53):
    """``address``, ``address:port``, ``[v6]:port`` or a host name -> (address, port)."""
    host, port = _split_server(str(value).strip())
    port = default_port if port is None else port
    try:
        port = int(port)
    except ValueError:
        raise HkpostError('DNS server %r: port %r is not a number' % (value, port))
    if not 1 <= port <= 65535:
        raise HkpostError('DNS server %r: port %d is out of range; give 1-65535' % (value, port))
    try:
        return str(ipaddress.ip_address(host)), port
    except ValueError:
        pass
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0][4][0], port
    except socket.gaierror as e:
        raise HkpostError('DNS server %r does not resolve (%s); give its address' % (value, e.strerror or e))


def _split_server(text):
    """``address``, ``address:port`` or ``[v6]:port`` -> (host, port text or None)."""
    if text.startswith('['):
        host, _sep, rest = text[1:].partition(']')
        return host, (rest[1:] if rest.startswith(':') else None)
    if text.count(':') == 1:
        host, port = text.split(':')
        return host, port
    return text, None


def check_server_text(value, what='dns_server'):
    """A DNS server as written in the options, checked without resolving it: port a number in 1-65535."""
    host, port = _split_server(str(value).strip())
    if not host:
        raise HkpostError('%s %r has no address before the port; give ADDRESS, ADDRESS:PORT or [IPv6]:PORT' % (what, value))
    if port is not None and (not port.isdigit() or not 1 <= int(port) <= 65535):
        raise HkpostError('%s %r: port %r is not 1-65535; give ADDRESS, ADDRESS:PORT or [IPv6]:PORT' % (what, value, port))


def check_tsig_secret(key_name, secret):
    """The secret as BIND's ``secret "...";`` holds it: strict base64, not empty.

    dnspython decodes leniently (characters outside the alphabet are dropped), so a secret pasted with a typo
    or a hex string becomes some other key and the server answers BADSIG - which reads as a wrong key, not as
    a malformed one. Decoding strictly here names the actual problem before anything is sent.
    """
    try:
        decoded = base64.b64decode(''.join(secret.split()), validate=True)
    except (binascii.Error, ValueError) as e:
        raise HkpostError('tsig_key_secret for key %s is not base64 (%s); give the secret exactly as in the server\'s '
                          'key statement (secret "...";), e.g. as printed by tsig-keygen' % (key_name, e))
    if not decoded:
        raise HkpostError('tsig_key_secret for key %s decodes to nothing; give the secret from the server\'s key '
                          'statement' % key_name)


def make_keyring(key_name, secret, algorithm='hmac-sha256'):
    if not key_name or not secret:
        return None
    if algorithm not in TSIG_ALGORITHMS:
        raise HkpostError('tsig_algorithm %r is not one of %s' % (algorithm, ', '.join(TSIG_ALGORITHMS)))
    try:
        return dns.tsig.Key(key_name, secret, algorithm=dns.name.from_text(algorithm))
    except Exception as e:  # binascii.Error and friends from a secret that is not base64
        raise HkpostError('tsig_key_secret for key %s is not a base64 TSIG secret (%s)' % (key_name, e))


def txt_rdata(value):
    return dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.TXT, [value.encode('ascii')])


def txt_text(rdata):
    return b''.join(rdata.strings).decode('utf-8', 'replace')


def _exchange(message, address, port, timeout, tcp=False, what='query'):
    where = '%s port %s' % (address, port)
    try:
        if tcp:
            return dns.query.tcp(message, address, port=port, timeout=timeout)
        response = dns.query.udp(message, address, port=port, timeout=timeout, ignore_trailing=True)
        if response.flags & dns.flags.TC:
            return dns.query.tcp(message, address, port=port, timeout=timeout)
        return response
    except dns.tsig.PeerBadKey:
        raise HkpostError('the DNS server %s does not know TSIG key %s (BADKEY); check tsig_key_name and the '
                          'server\'s key statement' % (where, message.keyname.to_text(omit_final_dot=True)))
    except (dns.tsig.PeerBadSignature, dns.tsig.BadSignature):
        raise HkpostError('the DNS server %s rejected the TSIG signature of key %s (BADSIG): tsig_key_secret or '
                          'tsig_algorithm does not match the server\'s key' % (where, message.keyname.to_text(omit_final_dot=True)))
    except (dns.tsig.PeerBadTime, dns.tsig.PeerBadTruncation) as e:
        raise HkpostError('the DNS server %s refused the TSIG-signed %s (%s); check the controller\'s clock'
                          % (where, what, e))
    except dns.exception.Timeout:
        raise HkpostError('no answer from the DNS server %s within %ss' % (where, timeout))
    except ConnectionRefusedError:
        raise HkpostError('the DNS %s to %s was refused: nothing listens there. Check that the DNS server is running '
                          'and that the server address and port are right.' % (what, where))
    except OSError as e:
        raise HkpostError('the DNS %s to %s failed: %s. Check the server address and the network path to it.'
                          % (what, where, e.strerror or e))
    except dns.exception.DNSException as e:
        raise HkpostError('the DNS %s to %s failed: %s' % (what, where, e))


def ask(qname, rdtype, servers, timeout=5, recursion=True):
    """Ask ``servers`` [(address, port)] in turn; the first answer wins. Raises HkpostError if none answers."""
    problems = []
    for address, port in servers:
        query = dns.message.make_query(qname, rdtype)
        if not recursion:
            query.flags &= ~dns.flags.RD
        try:
            return _exchange(query, address, port, timeout)
        except HkpostError as e:
            problems.append(str(e))
    raise HkpostError('; '.join(problems) or 'no DNS server to ask')


def system_servers():
    try:
        return [(ns, 53) for ns in dns.resolver.Resolver().nameservers]
    except dns.exception.DNSException as e:
        raise HkpostError('no system resolver (%s); give nameservers' % e)


def _referral(response, qname):
    """The NS RRset of a referral to a zone holding ``qname`` (a parent's server not authoritative for the
    name: no answer, no AA flag, the delegated zone's NS in the authority section), or None."""
    if response.answer or response.flags & dns.flags.AA:
        return None
    for rrset in response.authority:
        if rrset.rdtype == dns.rdatatype.NS and qname.is_subdomain(rrset.name):
            return rrset
    return None


def find_zone(name, servers, timeout=5):
    """The zone holding ``name``: the closest enclosing name with an SOA, learnt from the answers."""
    qname = dns.name.from_text(name)
    candidate = qname
    while True:
        response = ask(candidate, dns.rdatatype.SOA, servers, timeout)
        for rrset in response.answer:
            if rrset.rdtype == dns.rdatatype.SOA and rrset.name == candidate:
                return candidate.to_text(omit_final_dot=True)
        for rrset in response.authority:
            if rrset.rdtype == dns.rdatatype.SOA and qname.is_subdomain(rrset.name):
                return rrset.name.to_text(omit_final_dot=True)
        referral = _referral(response, qname)
        if referral is not None:  # the parent's server hands the name on: it lives in the delegated zone
            return referral.name.to_text(omit_final_dot=True)
        if response.rcode() not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
            raise HkpostError('finding the zone of %s: the DNS server answered %s'
                              % (name, dns.rcode.to_text(response.rcode())))
        if candidate == dns.name.root:
            raise HkpostError('no zone found for %s; give zone' % name)
        candidate = candidate.parent()


def read_txt(name, address, port, timeout=5, tcp=True, recursion=False):
    """TXT values at ``name`` on one server and the RRset TTL: (values, ttl, rcode text, authoritative)."""
    query = dns.message.make_query(name, dns.rdatatype.TXT)
    if not recursion:
        query.flags &= ~dns.flags.RD
    response = _exchange(query, address, port, timeout, tcp=tcp)
    qname = dns.name.from_text(name)
    values, ttl = [], None
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.TXT and rrset.name == qname:
            values.extend(txt_text(rd) for rd in rrset)
            ttl = rrset.ttl
    return values, ttl, dns.rcode.to_text(response.rcode()), bool(response.flags & dns.flags.AA)


def update_txt(zone, name, value, ttl, address, port, keyring, present=True, timeout=10):
    """Add (present) or delete (absent) exactly one TXT rdata; raise HkpostError naming the refusal."""
    update = dns.update.UpdateMessage(zone, keyring=keyring) if keyring else dns.update.UpdateMessage(zone)
    rdata = txt_rdata(value)
    if present:
        update.add(dns.name.from_text(name), ttl, rdata)
    else:
        update.delete(dns.name.from_text(name), rdata)
    response = _exchange(update, address, port, timeout, tcp=True, what='update')
    rcode = response.rcode()
    if rcode != dns.rcode.NOERROR:
        hints = {
            dns.rcode.REFUSED: 'the server refused the update: allow TSIG key %s to update TXT records in zone %s '
                               '(allow-update / update-policy)' % (keyring.name if keyring else '(none)', zone),
            dns.rcode.NOTAUTH: 'the server is not authoritative for zone %s or did not accept the TSIG key; '
                               'send updates to the primary server with a valid key' % zone,
            dns.rcode.NOTZONE: '%s is not inside zone %s; set zone' % (name, zone),
        }
        raise HkpostError('RFC 2136 update of TXT %s at %s port %s failed with %s: %s'
                          % (name, address, port, dns.rcode.to_text(rcode),
                             hints.get(rcode, 'see the DNS server log')))


def authoritative_servers(zone, servers, resolve=None, timeout=5):
    """[(ns name, address, port)] for every NS of ``zone``; ``resolve`` may pin a name to address[:port]."""
    resolve = {str(k).lower().rstrip('.'): v for k, v in (resolve or {}).items()}
    response = ask(zone, dns.rdatatype.NS, servers, timeout)
    ns_sets = [rrset for rrset in response.answer if rrset.rdtype == dns.rdatatype.NS]
    referral = _referral(response, dns.name.from_text(zone))
    if not ns_sets and referral is not None and referral.name == dns.name.from_text(zone):
        ns_sets = [referral]  # asked the parent's server: the delegation names the zone's servers
    targets = sorted({rd.target.to_text(omit_final_dot=True).lower() for rrset in ns_sets for rd in rrset})
    if not targets:
        raise HkpostError('zone %s has no NS records visible from %s' % (zone, ', '.join('%s:%s' % s for s in servers)))
    result = []
    for target in targets:
        if target in resolve:
            address, port = parse_server(resolve[target])
            result.append((target, address, port))
            continue
        found = False
        for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            answer = ask(target, rdtype, servers, timeout)
            # below a zone cut the parent's server answers with a referral: its glue is the address
            glue = [rrset for rrset in answer.additional if rrset.name == dns.name.from_text(target)] \
                if _referral(answer, dns.name.from_text(target)) is not None else []
            for rrset in answer.answer + glue:
                if rrset.rdtype == rdtype:
                    result.extend((target, rd.address, 53) for rd in rrset)
                    found = True
        if not found:
            result.append((target, None, 53))
    return result


def check_authoritative(name, code, zone, servers, resolve=None, timeout=5):
    """Query each authoritative server once for TXT at ``name``: per-server results and whether all agree."""
    checks = []
    for ns_name, address, port in authoritative_servers(zone, servers, resolve, timeout):
        seen = {'server': ns_name, 'address': address, 'port': port, 'values': [], 'ok': False, 'problem': None}
        if address is None:
            seen['problem'] = 'name server %s has no address' % ns_name
        else:
            try:
                values, _ttl, rcode, authoritative = read_txt(name, address, port, timeout, tcp=False)
                seen['values'] = values
                seen['rcode'] = rcode
                if not authoritative:
                    seen['problem'] = 'the answer is not authoritative (the server does not serve zone %s)' % zone
                elif code in values:
                    seen['ok'] = True
                else:
                    seen['problem'] = 'TXT %s does not hold the code yet (%s)' % (name, rcode)
            except HkpostError as e:
                seen['problem'] = str(e)
        checks.append(seen)
    return checks
