# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An IIS https binding and the http.sys certificate mapping behind it, decided as plain data.

Field failures this is built against:

* a non-SNI ``*:443`` (or ``ip:443``) binding has ONE http.sys mapping (``ipport=0.0.0.0:443``)
  shared by every site bound there: changing its certificate changes it for all of them;
* http.sys looks up a specific ``ipport=IP:443`` mapping before an SNI ``hostnameport`` one, so a
  stray ``netsh http sslcert ipport=`` entry silently overrides the SNI binding;
* ``sslFlags`` is a bitmask: only SNI (1) and the central certificate store (2) are this module's;
  4 (HTTP/2 off), 8 (OCSP stapling off), 16, 32, 64... belong to the operator and are kept.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import brief, covers, is_expired, names, refuse_expired

SSL_FLAG_SNI = 1
SSL_FLAG_CENTRAL_STORE = 2
MANAGED_FLAGS = SSL_FLAG_SNI | SSL_FLAG_CENTRAL_STORE
_BINDING_INFORMATION = re.compile(r'^(?P<ip>\*|\[[^\]]*\]|[^:]*):(?P<port>\d+):(?P<host>.*)$')
_WILDCARD_ENDPOINTS = ('0.0.0.0', '[::]')


def parse_binding_information(text):
    match = _BINDING_INFORMATION.match(text or '')
    if not match:
        raise HkpostError('IIS binding information "%s" is not "IP:PORT:HOST".' % text)
    ip = match.group('ip') or '*'
    return ip, int(match.group('port')), match.group('host').lower()


def ipaddress_or_none(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def binding_ip(value):
    """The ``ip`` of a binding as IIS writes it: ``*``, a dotted IPv4 address, or ``[IPv6]``; anything else refused.

    IIS keeps bindingInformation as "IP:PORT:HOST", so an IPv6 address without brackets makes the string
    ambiguous: written once, it is misread by every later run on that host.
    """
    text = (value or '*').strip()
    if text == '*':
        return text
    if text.startswith('[') and text.endswith(']'):
        address = ipaddress_or_none(text[1:-1])
        if isinstance(address, ipaddress.IPv6Address):
            return '[%s]' % address.compressed
        raise HkpostError('ip "%s" is not an IPv6 address in brackets; give e.g. "[2001:db8::10]", an IPv4 address '
                          'or "*" (all addresses).' % value)
    address = ipaddress_or_none(text)
    if isinstance(address, ipaddress.IPv6Address):
        raise HkpostError('ip "%s" is an IPv6 address without brackets; IIS binding information is "IP:PORT:HOST", '
                          'so write it as "[%s]". Nothing was changed.' % (value, address.compressed))
    if isinstance(address, ipaddress.IPv4Address):
        return str(address)
    raise HkpostError('ip "%s" is not an IP address; give an IPv4 address of this host (e.g. 192.0.2.10), an IPv6 '
                      'address in brackets ("[2001:db8::10]") or "*" for all addresses.' % value)


def binding_information(ip, port, host):
    return '%s:%d:%s' % (ip or '*', port, host or '')


def ipport_endpoint(ip, port):
    return '%s:%d' % ('0.0.0.0' if ip in ('*', '', None) else ip, port)


def hostnameport_endpoint(host, port):
    return '%s:%d' % (host.lower(), port)


def _mappings(sslcert, kind):
    return {m['endpoint'].lower(): m for m in (sslcert or {}).get(kind) or []}


def current_bindings(sites, sslcert):
    """Every https binding on the host, with the certificate http.sys serves for it."""
    ipport = _mappings(sslcert, 'ipport')
    hostnameport = _mappings(sslcert, 'hostnameport')
    found = []
    for site in sites or []:
        for raw in site.get('bindings') or []:
            if (raw.get('protocol') or '').lower() != 'https':
                continue
            ip, port, host = parse_binding_information(raw['binding_information'])
            flags = int(raw.get('ssl_flags') or 0)
            sni = bool(flags & SSL_FLAG_SNI)
            endpoint = hostnameport_endpoint(host, port) if sni else ipport_endpoint(ip, port)
            mapping = (hostnameport if sni else ipport).get(endpoint.lower()) or {}
            found.append({'site': site['name'], 'ip': ip, 'port': port, 'host': host, 'sni': sni, 'ssl_flags': flags,
                          'thumbprint': (mapping.get('thumbprint') or '').upper() or None,
                          'store': mapping.get('store') or None, 'endpoint': endpoint,
                          'binding_information': raw['binding_information']})
    return found


def _sni_overrides(sslcert, port, ip, bindings):
    """ipport mappings on this port for a specific IP: http.sys prefers them to the SNI mapping."""
    found = []
    for mapping in (sslcert or {}).get('ipport') or []:
        m_ip, _sep, m_port = mapping['endpoint'].rpartition(':')
        if int(m_port) != port or m_ip in _WILDCARD_ENDPOINTS:
            continue
        if ip not in ('*', '') and m_ip != ip:
            continue
        users = sorted({b['site'] for b in bindings if not b['sni'] and b['endpoint'] == mapping['endpoint']})
        found.append({'endpoint': mapping['endpoint'], 'thumbprint': (mapping.get('thumbprint') or '').upper(),
                      'sites': users,
                      'message': 'http.sys mapping ipport=%s (certificate %s%s) is looked up before SNI: clients '
                                 'connecting to %s get that certificate, not the SNI binding\'s. %s'
                                 % (mapping['endpoint'], mapping.get('thumbprint'),
                                    ', used by ' + ', '.join(users) if users else ', used by no IIS binding',
                                    m_ip, 'Remove it with: netsh http delete sslcert ipport=%s' % mapping['endpoint']
                                    if not users else 'Move those sites to SNI bindings or give them their own IP.')})
    return found


def public(binding):
    """The binding as returned to the playbook (before/after)."""
    if binding is None:
        return None
    return {k: binding.get(k) for k in ('site', 'ip', 'port', 'host', 'sni', 'ssl_flags', 'thumbprint', 'store')}


def plan(sites, sslcert, desired, shared_ok=False):
    """Plan one binding. ``desired``: site, ip, port, host, sni, thumbprint, store, state.

    Returns before/after (public form), ``steps`` (the iis_apply steps to send, in order: ``kind``
    binding_add, binding_remove or binding_replace, and their data),
    ``shared_with``, ``sni_overrides`` and ``changed``. Raises HkpostError on a refused change.
    """
    if not any(s['name'] == desired['site'] for s in sites or []):
        raise HkpostError('IIS site "%s" does not exist on this host; sites: %s.'
                          % (desired['site'], ', '.join(s['name'] for s in sites or []) or 'none'))
    bindings = current_bindings(sites, sslcert)
    ip, port, host = desired['ip'] or '*', desired['port'], (desired['host'] or '').lower()
    target = next((b for b in bindings if b['site'] == desired['site'] and b['ip'] == ip and b['port'] == port
                   and b['host'] == host), None)
    result = {'before': public(target), 'after': None, 'steps': [], 'shared_with': [], 'sni_overrides': [],
              'changed': False, 'previous': target}
    if desired['state'] == 'absent':
        if target:
            result['steps'].append({'kind': 'binding_remove', 'binding_information': target['binding_information']})
            result['changed'] = True
        return result

    sni = desired['sni']
    flags = ((target['ssl_flags'] if target else 0) & ~MANAGED_FLAGS) | (SSL_FLAG_SNI if sni else 0)
    endpoint = hostnameport_endpoint(host, port) if sni else ipport_endpoint(ip, port)
    after = {'site': desired['site'], 'ip': ip, 'port': port, 'host': host, 'sni': sni, 'ssl_flags': flags,
             'thumbprint': desired['thumbprint'], 'store': desired['store'], 'endpoint': endpoint,
             'binding_information': binding_information(ip, port, host)}
    result['after'] = public(after)

    if not sni:
        mapping = _mappings(sslcert, 'ipport').get(endpoint.lower())
        sharing = sorted({b['site'] for b in bindings if not b['sni'] and b['endpoint'] == endpoint
                          and not (target and b is target)})
        result['shared_with'] = sharing
        if sharing and mapping and (mapping.get('thumbprint') or '').upper() != desired['thumbprint']:
            if not shared_ok:
                raise HkpostError(
                    'refusing to change the certificate of the non-SNI binding %s on site "%s": http.sys keeps ONE '
                    'certificate for ipport=%s, shared by site(s) %s, which would all switch to %s. Use an SNI '
                    'binding (host_header with sni: true), or set shared_ok: true if every one of those sites '
                    'should serve this certificate. Nothing was changed.'
                    % (after['binding_information'], desired['site'], endpoint, ', '.join(sharing),
                       desired['thumbprint']))
    else:
        result['sni_overrides'] = _sni_overrides(sslcert, port, ip, bindings)

    store_differs = target is not None and (target['store'] or '').lower() != desired['store'].lower()
    # One write, one CommitChanges: a new binding is created with its certificate and sslFlags; a
    # changed one is replaced whole (win-acme IISClient.AddBinding / UpdateBinding, issue #371).
    if target is None:
        result['steps'].append({'kind': 'binding_add', 'binding_information': after['binding_information'], 'ssl_flags': flags,
                                'thumbprint': desired['thumbprint'], 'store': desired['store']})
    elif (target['ssl_flags'] != flags or target['thumbprint'] != desired['thumbprint'] or store_differs
          or target['sni'] != sni):
        result['steps'].append({'kind': 'binding_replace', 'binding_information': target['binding_information'], 'ssl_flags': flags,
                                'thumbprint': desired['thumbprint'], 'store': desired['store']})
    result['changed'] = bool(result['steps'])
    return result


def rollback_steps(previous, after_binding_information):
    """The write that puts ``previous`` back after a failed step (``None``: the binding was new)."""
    if previous is None:
        return [{'kind': 'binding_remove', 'binding_information': after_binding_information}]
    return [{'kind': 'binding_replace', 'binding_information': previous['binding_information'],
             'ssl_flags': previous['ssl_flags'], 'thumbprint': previous['thumbprint'] or '',
             'store': previous['store'] or 'My'}]


def select_certificate(candidates, thumbprint=None, common_name=None, host=None, now=None):
    """The certificate to bind, from described store entries; refused ones explain why.

    With ``common_name``: the newest (latest not_before) valid Hongkong Post leaf with a private key
    that serves that name, preferring one that names it exactly over a wildcard. With ``thumbprint``: that certificate, which must have its key and not be
    expired. Either way it must serve ``host`` when the binding has a host header.
    """
    if thumbprint:
        chosen = next((c for c in candidates if c['sha1'] == thumbprint), None)
        if chosen is None:
            raise HkpostError('certificate %s is not in the store; it holds: %s.'
                              % (thumbprint, '; '.join(brief(c) for c in candidates) or 'nothing'))
        if not chosen['has_private_key']:
            raise HkpostError('certificate %s has no private key on this host, so IIS cannot use it. Complete the '
                              'pending request with hkpost_complete_request, or restore its PFX backup.' % brief(chosen))
        refuse_expired(chosen, now)
    else:
        name = common_name.lower()
        named = [c for c in candidates if covers(c, name)]
        usable = [c for c in named if c['has_private_key'] and c['is_hkpost'] and c['role'] == 'leaf'
                  and not is_expired(c, now)]
        if not usable:
            reasons = []
            for c in named:
                why = ('no private key' if not c['has_private_key'] else 'expired' if is_expired(c, now)
                       else 'not issued by Hongkong Post' if not c['is_hkpost'] else 'not a server certificate')
                reasons.append('%s: %s' % (brief(c), why))
            raise HkpostError('no valid Hongkong Post certificate with a private key serves "%s" in this store%s'
                              % (common_name, ('; found but refused: ' + '; '.join(reasons)) if reasons else
                                 ' (none names it). Complete the request first (hkpost_complete_request).'))
        # A certificate naming the host exactly beats a wildcard that merely covers it; then the newest.
        chosen = sorted(usable, key=lambda c: (name in names(c), c['not_before'], c['not_after']))[-1]
    if host and not covers(chosen, host):
        raise HkpostError('certificate %s does not serve the host header "%s" (it names %s); browsers would reject '
                          'it. Bind a certificate issued for %s.'
                          % (brief(chosen), host, ', '.join(chosen.get('dns_names') or [chosen['subject_cn']]), host))
    return chosen
