# -*- coding: utf-8 -*-
"""The webhook sender's rules (issue 21, mutation survivors): one JSON POST, no redirect followed, the server's
certificate verified as configured, and each failure named by the endpoint without the URL's token.

A real HTTP(S) server on 127.0.0.1 (tests/support/peers/webhook_receiver.py) for what a server can do; urllib's
failures a local server cannot cause (a connect timeout, an unnamed network error) come from a stub opener."""

from __future__ import annotations

import socket
import ssl
import urllib.error
import urllib.request

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.notify import _webhook
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._message import build
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._payloads import payload
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._tls import NotifyError
from tests.support.peers import tls_servers
from tests.support.peers.webhook_receiver import WebhookReceiver

TOKEN = 'T0KEN123456789'
MESSAGE = build('rollout', {'rows': [{'host': 'web01', 'status': 'failed', 'error': '證書 refused'}]})


def _options(url, **extra):
    return dict({'url': url, 'format': 'generic', 'timeout': 5.0, 'validate_certs': True, 'ca_file': None}, **extra)


@pytest.fixture(scope='module')
def hook():
    receiver = WebhookReceiver(slow_seconds=2.0).start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope='module')
def tls_hook(pki, tmp_path_factory):
    leaf = pki.issue_leaf('hook.example.hk', ip_sans=['127.0.0.1'], slot='webhook-rules')
    folder = tmp_path_factory.mktemp('hook')
    (folder / 'chain.pem').write_text(leaf.pem + pki.ssl_new.pem)
    (folder / 'key.pem').write_text(leaf.key_pem)
    (folder / 'root.pem').write_text(pki.root.pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(folder / 'chain.pem'), str(folder / 'key.pem'))
    receiver = WebhookReceiver()
    receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
    receiver.start()
    receiver.root = str(folder / 'root.pem')
    yield receiver
    receiver.stop()


def test_one_json_post_of_the_formats_payload_in_utf8(hook):
    url = hook.url('/ok/%s' % TOKEN)
    assert _webhook.send(MESSAGE, _options(url, format='slack')) == 'webhook http://127.0.0.1:%d' % hook.port
    request = hook.received[-1]
    assert request['path'] == '/ok/' + TOKEN and request['json'] == payload(MESSAGE, 'slack')
    assert '證書'.encode('utf-8') in request['body']  # UTF-8 as is, not \\u escapes
    assert request['headers']['Content-Type'] == 'application/json; charset=utf-8'
    assert request['headers']['User-Agent'] == 'hkpost.ecert-notify'


@pytest.mark.parametrize('path, why', [
    ('/fail/', 'answered HTTP 500 Internal Server Error'),
    ('/redirect/', 'answered HTTP 302 Found'),  # the payload is not re-sent where the user did not say
])
def test_an_answer_other_than_2xx_is_a_failure_naming_the_endpoint_only(hook, path, why):
    before = len(hook.received)
    with pytest.raises(NotifyError) as raised:
        _webhook.send(MESSAGE, _options(hook.url(path + TOKEN)))
    assert str(raised.value) == 'webhook http://127.0.0.1:%d %s' % (hook.port, why)
    assert len(hook.received) == before + 1


def test_a_server_that_does_not_answer_in_time(hook):
    with pytest.raises(NotifyError) as raised:
        _webhook.send(MESSAGE, _options(hook.url('/slow/' + TOKEN), timeout=0.5))
    assert str(raised.value) == 'webhook http://127.0.0.1:%d did not answer within 0.5s' % hook.port


def test_nothing_listening_is_a_refused_connection():
    port = tls_servers.free_port_nobody_listens()
    with pytest.raises(NotifyError) as raised:
        _webhook.send(MESSAGE, _options('http://127.0.0.1:%d/hook/%s' % (port, TOKEN)))
    assert str(raised.value) == ('webhook http://127.0.0.1:%d refused the connection (nothing listens there, or the '
                                 'server is down)' % port)


def test_https_verifies_the_server_against_ca_file(tls_hook):
    url = 'https://127.0.0.1:%d/ok/%s' % (tls_hook.port, TOKEN)
    assert _webhook.send(MESSAGE, _options(url, ca_file=tls_hook.root)) == 'webhook https://127.0.0.1:%d' % tls_hook.port
    with pytest.raises(NotifyError) as raised:
        _webhook.send(MESSAGE, _options(url))
    assert str(raised.value).startswith('webhook https://127.0.0.1:%d sent a certificate that does not verify ('
                                        % tls_hook.port)
    assert str(raised.value).endswith('); set ca_file to its CA') and TOKEN not in str(raised.value)
    assert _webhook.send(MESSAGE, _options(url, validate_certs=False)).startswith('webhook https://')


def test_only_http_and_https_urls_are_sent_to():
    with pytest.raises(NotifyError, match='the URL must start with https:// or http://'):
        _webhook.send(MESSAGE, _options('ftp://hooks.example.hk/' + TOKEN))


class _Opener:
    def __init__(self, exc):
        self.exc = exc

    def open(self, request, timeout=None):
        raise self.exc


@pytest.mark.parametrize('exc, why', [
    (urllib.error.URLError(socket.timeout('timed out')), 'did not answer within 5s'),
    (urllib.error.URLError(socket.gaierror(-2, 'Name or service not known')),
     'could not be reached ([Errno -2] Name or service not known)'),
    (TimeoutError('read timed out'), 'did not answer within 5s'),
    (OSError(104, 'Connection reset by peer'), 'failed (Connection reset by peer)'),
    (OSError('no errno'), 'failed (no errno)'),
])
def test_network_failures_are_named_after_the_endpoint(monkeypatch, exc, why):
    monkeypatch.setattr(urllib.request, 'build_opener', lambda *handlers: _Opener(exc))
    with pytest.raises(NotifyError) as raised:
        _webhook.send(MESSAGE, _options('https://hooks.example.hk/services/' + TOKEN))
    assert str(raised.value) == 'webhook https://hooks.example.hk %s' % why
