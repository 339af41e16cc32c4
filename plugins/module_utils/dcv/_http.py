# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fetch ``/.well-known/pki-validation/fileauth.txt`` the way the CA does (BR 3.2.2.4.18).

Redirects are never followed by a library: each hop is checked here, and only 301/302/307/308 to
``http``/``https`` on port 80 or 443 is followed, as the Baseline Requirements allow the CA. A
``port_map`` ({80: 18080, 443: 18443}) changes only the TCP port connected to, for lab and test
servers on high ports; the URLs, the Host header and the 80/443 redirect rule stay the real ones,
so a redirect to ``:8443`` is refused in a lab exactly as the CA would refuse it.

TLS certificates are not validated by default: the check runs before the certificate exists, and
the CA's own fetch does not depend on the site's current certificate either.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urljoin, urlsplit

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv._rules import URL_PATH, compare_body, shown
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError

REDIRECT_STATUSES = (301, 302, 307, 308)
ALLOWED_PORTS = (80, 443)
MAX_REDIRECTS = 10
MAX_BODY = 64 * 1024
USER_AGENT = 'hkpost.ecert-dcv-check/1'


def check_port_map(port_map):
    """``{80: n, 443: m}`` with integer ports; keys other than 80/443 are refused (they never appear)."""
    result = {}
    for key, value in (port_map or {}).items():
        try:
            key, value = int(key), int(value)
        except (TypeError, ValueError):
            raise HkpostError('port_map must map 80 and/or 443 to a port number, got %r: %r' % (key, value))
        if key not in ALLOWED_PORTS or not 0 < value < 65536:
            raise HkpostError('port_map maps the standard ports 80 and 443 to lab ports; %r: %r is not that'
                              % (key, value))
        result[key] = value
    return result


def check_resolve(resolve):
    """``resolve`` maps a name to an IP address for the HTTP checks (split-horizon, labs)."""
    result = {}
    for name, address in (resolve or {}).items():
        result[str(name).lower().rstrip('.')] = str(address)
    return result


def _address_for(host, port, resolve):
    if host in resolve:
        value = resolve[host]
        try:
            return str(ipaddress.ip_address(value.strip('[]')))
        except ValueError:
            # address:port is for DNS servers; web ports are changed with port_map so the 80/443 rule stays.
            raise HkpostError('resolve[%s] = %r is not an IP address; for a web server on a lab port keep the address '
                              'here and set port_map (e.g. {80: 18080, 443: 18443})' % (host, value))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise _CheckProblem('%s does not resolve (%s)' % (host, e.strerror or e))
    return infos[0][4][0]


class _CheckProblem(Exception):
    pass


class _SNIHTTPSConnection(http.client.HTTPSConnection):
    """Connect to an address while sending the real name as SNI (the name, not the address)."""

    def __init__(self, address, port, server_name, context, timeout):
        super().__init__(address, port, timeout=timeout, context=context)
        self._server_name = server_name

    def connect(self):
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self._server_name)


def _context(validate_certs):
    if validate_certs:
        return ssl.create_default_context()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def split_url(url):
    parts = urlsplit(url)
    scheme = (parts.scheme or '').lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is None:
        port = {'http': 80, 'https': 443}.get(scheme)
    path = parts.path or '/'
    if parts.query:
        path += '?' + parts.query
    return scheme, (parts.hostname or '').lower(), port, path


def redirect_problem(target):
    """Why the CA would not follow a redirect to ``target`` (None when it would)."""
    scheme, host, port, _path = split_url(target)
    if scheme not in ('http', 'https'):
        return 'redirect to %s refused: only http and https redirects are followed (BR 3.2.2.4.18)' % target
    if not host:
        return 'redirect to %s refused: no host name' % target
    if port not in ALLOWED_PORTS:
        return ('redirect to %s refused: only ports 80 and 443 are followed (BR 3.2.2.4.18), this is port %s'
                % (target, port))
    return None


def _request(scheme, host, port, path, address, connect_port, timeout, validate_certs):
    if scheme == 'https':
        conn = _SNIHTTPSConnection(address, connect_port, host, _context(validate_certs), timeout)
    else:
        conn = http.client.HTTPConnection(address, connect_port, timeout=timeout)
    host_header = host if port == {'http': 80, 'https': 443}[scheme] else '%s:%s' % (host, port)
    try:
        conn.request('GET', path, headers={'Host': host_header, 'User-Agent': USER_AGENT, 'Accept': '*/*'})
        response = conn.getresponse()
        body = response.read(MAX_BODY + 1)
        return response.status, response.getheader('Location'), response.getheader('Content-Type'), body
    except (OSError, http.client.HTTPException, ssl.SSLError) as e:
        where = address if connect_port == port else '%s, lab port %s' % (address, connect_port)
        reason = e.strerror if isinstance(e, OSError) and e.strerror else e
        raise _CheckProblem('%s://%s:%s (%s): %s' % (scheme, host, port, where, reason))
    finally:
        conn.close()


def fetch(url, resolve=None, port_map=None, timeout=10, validate_certs=False):
    """GET ``url`` following only the redirects the CA follows; return what was seen, hop by hop."""
    resolve, port_map = check_resolve(resolve), check_port_map(port_map)
    seen = {'url': url, 'redirects': [], 'status': None, 'address': None, 'final_url': url,
            'content_type': None, 'body': None, 'problem': None}
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = split_url(current)
        seen['final_url'] = current
        try:
            address = _address_for(host, port, resolve)
            seen['address'] = address
            status, location, content_type, body = _request(scheme, host, port, path, address,
                                                            port_map.get(port, port), timeout, validate_certs)
        except _CheckProblem as e:
            seen['problem'] = 'cannot fetch %s' % e
            return seen
        seen['status'], seen['content_type'] = status, content_type
        if status in REDIRECT_STATUSES and location:
            target = urljoin(current, location)
            seen['redirects'].append({'url': current, 'status': status, 'location': target})
            problem = redirect_problem(target)
            if problem:
                seen['problem'] = problem
                return seen
            current = target
            continue
        if 300 <= status < 400:
            seen['problem'] = 'HTTP %d is not a redirect the CA follows (only 301, 302, 307, 308)' % status
            return seen
        if not 200 <= status < 300:
            seen['problem'] = 'HTTP %d %s' % (status, http.client.responses.get(status, ''))
            return seen
        if len(body) > MAX_BODY:
            seen['problem'] = 'the response is larger than %d bytes; fileauth.txt holds only the code' % MAX_BODY
            return seen
        seen['body'] = body
        return seen
    seen['problem'] = 'more than %d redirects' % MAX_REDIRECTS
    return seen


def check_name(ascii_name, code, resolve=None, port_map=None, timeout=10, validate_certs=False):
    """Both schemes for one name; the name passes when either serves exactly the code (the CA needs one)."""
    checks = []
    for scheme in ('http', 'https'):
        seen = fetch('%s://%s%s' % (scheme, ascii_name, URL_PATH), resolve, port_map, timeout, validate_certs)
        ok = False
        if seen['problem'] is None:
            ok, problem = compare_body(seen['body'], code)
            seen['problem'] = problem
        seen['ok'] = ok
        seen['body'] = shown(seen['body'], code)
        checks.append(seen)
    ok = any(c['ok'] for c in checks)
    problem = None if ok else '; '.join('%s: %s' % (c['url'].split(':', 1)[0], c['problem']) for c in checks)
    return {'ok': ok, 'problem': problem, 'checks': checks}
