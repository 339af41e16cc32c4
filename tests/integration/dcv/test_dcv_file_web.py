# -*- coding: utf-8 -*-
"""The file check against a real nginx (HTTP and HTTPS on 127.0.0.1 high ports, virtual hosts by name)."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _http as _dcv_http
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from tests.support.peers.web_server import FILEAUTH_PATH as PATH, dcv_web

CODE = 'HKP-file-0c9d2a77'


@pytest.fixture(scope='module')
def web(tmp_path_factory):
    server = dcv_web(tmp_path_factory.mktemp('dcv-web'), {
        'good.example.test': CODE.encode() + b'\n',
        'wrong.example.test': b'HKP-some-other-code',
        'bom.example.test': b'\xef\xbb\xbf' + CODE.encode(),
        'missing.example.test': None,
        'to-https.example.test': {'redirect': 'https://good.example.test' + PATH, 'status': 308},
        'to-8443.example.test': {'redirect': 'https://good.example.test:8443' + PATH},
        'to-ftp.example.test': {'redirect': 'ftp://good.example.test' + PATH, 'status': 302},
        'see-other.example.test': {'redirect': 'https://good.example.test' + PATH, 'status': 303},
        'loop.example.test': {'redirect': 'http://loop.example.test' + PATH},
    })
    yield server
    server.stop()


def check(web, name):
    return _dcv_http.check_name(name, CODE, web.resolve, web.port_map, timeout=5)


def test_good_name_passes_over_both_schemes(web):
    result = check(web, 'good.example.test')
    assert result['ok'] and result['problem'] is None
    assert [(c['url'].split(':')[0], c['status'], c['ok']) for c in result['checks']] == [('http', 200, True),
                                                                                          ('https', 200, True)]
    assert result['checks'][0]['body'] == '<verification_code>\n'


def test_allowed_redirect_is_followed(web):
    result = check(web, 'to-https.example.test')
    assert result['ok']
    hop = result['checks'][0]['redirects'][0]
    assert hop['status'] == 308 and hop['location'] == 'https://good.example.test' + PATH


@pytest.mark.parametrize('name,problem', [
    ('to-8443.example.test', 'only ports 80 and 443 are followed (BR 3.2.2.4.18), this is port 8443'),
    ('to-ftp.example.test', 'only http and https redirects are followed'),
    ('see-other.example.test', 'HTTP 303 is not a redirect the CA follows'),
    ('loop.example.test', 'more than 10 redirects'),
    ('missing.example.test', 'HTTP 404 Not Found'),
    ('wrong.example.test', 'does not hold this verification code'),
    ('bom.example.test', 'byte order mark'),
])
def test_refused_or_wrong_is_reported(web, name, problem):
    result = check(web, name)
    assert result['ok'] is False
    assert all(problem in c['problem'] for c in result['checks']), result['checks']
    assert result['problem'].startswith('http: ') and '; https: ' in result['problem']


def test_wrong_body_is_shown(web):
    result = check(web, 'wrong.example.test')
    assert result['checks'][0]['body'] == 'HKP-some-other-code'


def test_nothing_listening_is_reported():
    from tests.support.peers.bind_server import free_port
    port = free_port()
    result = _dcv_http.check_name('good.example.test', CODE, {'good.example.test': '127.0.0.1'},
                                  {80: port, 443: port}, timeout=2)
    assert not result['ok'] and 'lab port %d' % port in result['checks'][0]['problem']


def test_port_map_only_maps_80_and_443():
    with pytest.raises(HkpostError, match='port_map maps the standard ports 80 and 443'):
        _dcv_http.check_port_map({8080: 18080})


def test_resolve_with_a_port_points_to_port_map():
    with pytest.raises(HkpostError, match='set port_map'):
        _dcv_http.fetch('http://good.example.test' + PATH, {'good.example.test': '127.0.0.1:8080'})
