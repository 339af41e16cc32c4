# -*- coding: utf-8 -*-
"""The file check against a real nginx (issue 14): a name served over http only - normal before the
certificate exists - passes; the rules of redirects and ports at their edges."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _http
from tests.support.peers.bind_server import free_port
from tests.support.peers.web_server import FILEAUTH_PATH as PATH, dcv_web

CODE = 'HKP-file-51d0'


@pytest.fixture(scope='module')
def web(tmp_path_factory):
    server = dcv_web(tmp_path_factory.mktemp('dcv-http'), {
        'plain.example.test': CODE.encode(),
        'wrong.example.test': b'HKP-other',
        'found.example.test': {'redirect': 'http://plain.example.test' + PATH, 'status': 302},
        'temp.example.test': {'redirect': 'http://plain.example.test' + PATH, 'status': 307},
        'to-443.example.test': {'redirect': 'http://plain.example.test:443' + PATH},
        'big.example.test': CODE.encode() + b' ' * (64 * 1024 + 1 - len(CODE)),
        'limit.example.test': CODE.encode() + b' ' * (64 * 1024 - len(CODE)),
    })
    yield server
    server.stop()


def http_only(web):
    """Port 80 served, port 443 closed: the host has no certificate yet."""
    return {80: web.http_port, 443: free_port()}


def test_name_served_over_http_only_passes(web):
    result = _http.check_name('plain.example.test', CODE, web.resolve, http_only(web), timeout=5)
    assert result['ok'] is True and result['problem'] is None
    http, https = result['checks']
    assert (http['ok'], http['status']) == (True, 200)
    assert https['ok'] is False and https['problem'].startswith('cannot fetch https://plain.example.test:443')


def test_neither_scheme_serving_the_code_fails_naming_both(web):
    result = _http.check_name('wrong.example.test', CODE, web.resolve, http_only(web), timeout=5)
    assert result['ok'] is False
    assert result['problem'].startswith('http: ') and '; https: cannot fetch' in result['problem']


@pytest.mark.parametrize('name', ['found.example.test', 'temp.example.test'])
def test_followed_redirects(web, name):
    seen = _http.fetch('http://%s%s' % (name, PATH), web.resolve, web.port_map, timeout=5)
    assert seen['problem'] is None and seen['status'] == 200 and seen['body'] == CODE.encode()
    assert len(seen['redirects']) == 1 and seen['final_url'].startswith('http://plain.example.test')


def test_redirect_to_port_443_over_http_is_followed(web):
    port_map = {80: web.http_port, 443: web.http_port}  # plain http on port 443, as the redirect says
    seen = _http.fetch('http://to-443.example.test' + PATH, web.resolve, port_map, timeout=5)
    assert seen['problem'] is None and seen['body'] == CODE.encode()


@pytest.mark.parametrize('target, fragment', [
    ('http://a.example.test:8080/x', 'this is port 8080'),
    ('ftp://a.example.test/x', 'only http and https'),
    ('https:///x', 'no host name'),
])
def test_redirect_problems(target, fragment):
    assert fragment in _http.redirect_problem(target)


def test_redirect_problem_none_for_allowed_targets():
    assert _http.redirect_problem('https://a.example.test/x') is None
    assert _http.redirect_problem('http://a.example.test:443/x') is None


@pytest.mark.parametrize('url, expected', [
    ('http://A.Example.test/p?q=1', ('http', 'a.example.test', 80, '/p?q=1')),
    ('https://a.example.test', ('https', 'a.example.test', 443, '/')),
    ('https://a.example.test:8443/', ('https', 'a.example.test', 8443, '/')),
    ('http://a.example.test:99999/', ('http', 'a.example.test', -1, '/')),
])
def test_split_url(url, expected):
    assert _http.split_url(url) == expected


def test_body_limit_is_64_kib(web):
    big = _http.fetch('http://big.example.test' + PATH, web.resolve, web.port_map, timeout=5)
    assert big['problem'] == 'the response is larger than 65536 bytes; fileauth.txt holds only the code'
    limit = _http.fetch('http://limit.example.test' + PATH, web.resolve, web.port_map, timeout=5)
    assert limit['problem'] is None and len(limit['body']) == 64 * 1024


def test_validate_certs_refuses_the_self_signed_lab_certificate(web):
    result = _http.check_name('plain.example.test', CODE, web.resolve, web.port_map, timeout=5, validate_certs=True)
    http, https = result['checks']
    assert http['ok'] is True and https['ok'] is False and 'CERTIFICATE_VERIFY_FAILED' in https['problem']
    relaxed = _http.check_name('plain.example.test', CODE, web.resolve, web.port_map, timeout=5)
    assert [c['ok'] for c in relaxed['checks']] == [True, True]


@pytest.mark.parametrize('port_map, expected', [
    (None, {}), ({}, {}), ({'80': '18080', 443: 18443}, {80: 18080, 443: 18443}), ({443: 65535}, {443: 65535}),
    ({80: 1}, {80: 1}),
])
def test_port_map_accepted(port_map, expected):
    assert _http.check_port_map(port_map) == expected


@pytest.mark.parametrize('port_map', [{80: 0}, {443: 65536}, {8080: 18080}, {80: 'x'}, {'http': 80}])
def test_port_map_refused(port_map):
    with pytest.raises(HkpostError, match='port_map'):
        _http.check_port_map(port_map)


def test_resolve_and_addresses():
    assert _http.check_resolve(None) == {}
    assert _http.check_resolve({'WWW.Example.Test.': '127.0.0.1'}) == {'www.example.test': '127.0.0.1'}
    assert _http._address_for('v6.example.test', 80, {'v6.example.test': '[::1]'}) == '::1'
    with pytest.raises(HkpostError, match='is not an IP address'):
        _http._address_for('a.example.test', 80, {'a.example.test': '127.0.0.1:8080'})
    assert _http._address_for('localhost', 80, {}) in ('127.0.0.1', '::1')
    seen = _http.fetch('http://no-such-name.invalid' + PATH, {}, {}, timeout=2)
    assert seen['problem'].startswith('cannot fetch no-such-name.invalid does not resolve')


def test_tls_contexts():
    import ssl
    strict, relaxed = _http._context(True), _http._context(False)
    assert strict.verify_mode == ssl.CERT_REQUIRED and strict.check_hostname is True
    assert relaxed.verify_mode == ssl.CERT_NONE and relaxed.check_hostname is False


def test_split_url_without_scheme():
    assert _http.split_url('//a.example.test/x') == ('', 'a.example.test', None, '/x')


# ---- a real Python HTTP server that answers what the test asks: status codes, redirect hops, the Host seen ----

@pytest.fixture(scope='module')
def echo():
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            parts = self.path.strip('/').split('/')
            if parts[0] == 'status':
                self.send_response(int(parts[1]))
                self.end_headers()
                return
            if parts[0] == 'hop' and int(parts[1]) > 0:
                self.send_response(302)
                self.send_header('Location', 'http://echo.example.test/hop/%d' % (int(parts[1]) - 1))
                self.end_headers()
                return
            body = (CODE if parts[0] == 'hop' else self.headers['Host']).encode()
            self.send_response(200)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.resolve = {'echo.example.test': '127.0.0.1'}
    server.port = server.server_address[1]
    yield server
    server.shutdown()
    server.server_close()


def test_host_header_carries_the_port_only_when_it_is_not_the_default(echo):
    mapped = _http.fetch('http://echo.example.test/host', echo.resolve, {80: echo.port}, timeout=5)
    assert mapped['body'] == b'echo.example.test'
    direct = _http.fetch('http://echo.example.test:%d/host' % echo.port, echo.resolve, {}, timeout=5)
    assert direct['body'] == b'echo.example.test:%d' % echo.port


@pytest.mark.parametrize('status, problem', [
    (300, 'HTTP 300 is not a redirect the CA follows'),
    (399, 'HTTP 399 is not a redirect the CA follows'),
    (301, 'HTTP 301 is not a redirect the CA follows'),      # a redirect status without Location
    (400, 'HTTP 400 Bad Request'),
    (404, 'HTTP 404 Not Found'),
    (199, 'HTTP 199'),
])
def test_status_codes(echo, status, problem):
    seen = _http.fetch('http://echo.example.test/status/%d' % status, echo.resolve, {80: echo.port}, timeout=5)
    assert seen['problem'] is not None and seen['problem'].startswith(problem)
    assert seen['status'] == status


def test_two_hundred_range_passes_to_the_body_check(echo):
    seen = _http.fetch('http://echo.example.test/status/299', echo.resolve, {80: echo.port}, timeout=5)
    assert seen['problem'] is None and seen['body'] == b''


def test_ten_redirects_are_followed_eleven_are_not(echo):
    ten = _http.fetch('http://echo.example.test/hop/10', echo.resolve, {80: echo.port}, timeout=5)
    assert ten['problem'] is None and ten['body'] == CODE.encode() and len(ten['redirects']) == 10
    eleven = _http.fetch('http://echo.example.test/hop/11', echo.resolve, {80: echo.port}, timeout=5)
    assert eleven['problem'] == 'more than 10 redirects' and len(eleven['redirects']) == 11


def test_connection_problems_name_the_lab_port(echo):
    closed = free_port()
    via_map = _http.fetch('http://echo.example.test/x', echo.resolve, {80: closed}, timeout=5)
    assert via_map['problem'] == ('cannot fetch http://echo.example.test:80 (127.0.0.1, lab port %d): '
                                  'Connection refused' % closed)
    direct = _http.fetch('http://echo.example.test:%d/x' % closed, echo.resolve, {}, timeout=5)
    assert direct['problem'] == 'cannot fetch http://echo.example.test:%d (127.0.0.1): Connection refused' % closed


def test_fetch_does_not_validate_certificates_by_default(web):
    seen = _http.fetch('https://plain.example.test' + PATH, web.resolve, web.port_map)
    assert seen['problem'] is None and seen['body'] == CODE.encode()
