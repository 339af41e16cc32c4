# -*- coding: utf-8 -*-
"""hkpost_chain: every kind of bad input, refused before the host is touched (issue 14, section 1).

One row per kind: what the operator gives -> a fragment of the message they read -> the payloads that may
run before the refusal (none, unless the refusal needs the host's state). After each row the fake host's
stores and CRLs and the controller files are exactly as before.
"""

from __future__ import annotations

import datetime
import functools
import http.server
import threading

import pytest
from ansible.errors import AnsibleActionFail
from cryptography.hazmat.primitives import serialization

from ansible_collections.hkpost.ecert.plugins.action.hkpost_chain import ActionModule
from tests.support.action_harness import run_action
from tests.support.pki import DAY, crl_der, crl_pem, make_cert
from tests.support.unchanged import host_state, tree, writes
from tests.support.windows.chain import put, put_crl
from tests.support.windows.host import FakeWindowsHost


@pytest.fixture
def files(pki, tmp_path):
    def write(name, data):
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return str(path)

    expired_root = make_cert(pki.root.cert.subject, pki.root.key, pki.root.cert.subject, pki.root.key,
                             pki.now - 4000 * DAY, pki.now - DAY, ca=True)
    future_arl = pki.make_arl(14, pki.now + 2 * DAY, pki.now + 360 * DAY)
    (tmp_path / 'a-directory').mkdir()
    return {
        'root': write('root.pem', pki.root.pem),
        'ssl': write('ssl_new.pem', pki.ssl_new.pem),
        'ssl_old': write('ssl_old.pem', pki.ssl_old.pem),
        'arl': write('arl.crl', crl_der(pki.arl)),
        'arl_older': write('arl_older.crl', crl_pem(pki.arl_older)),
        'arl_expired': write('arl_expired.crl', crl_der(pki.arl_expired)),
        'arl_foreign': write('arl_foreign.crl', crl_der(pki.arl_foreign)),
        'arl_future': write('arl_future.crl', crl_der(future_arl)),
        'root_expired': write('root_expired.pem', expired_root.public_bytes(serialization.Encoding.PEM)),
        'empty': write('empty.pem', b''),
        'blank': write('blank.pem', b'\r\n  \r\n'),
        'dir': str(tmp_path / 'a-directory'),
        'missing': str(tmp_path / 'no-such-file.pem'),
    }


def host_needing_work(pki):
    """A host a correct run WOULD change: the old intermediate in CA, no ARL."""
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    put(host, 'Root', pki.root.cert)
    return host


def run(host, args):
    return run_action(ActionModule, args, host=host, action_name='hkpost.ecert.hkpost_chain')


# option -> value (a key of ``files`` is replaced by that file's path), expected message fragment, payloads allowed.
TABLE = [
    ('empty ssl_intermediate_file', {'ssl_intermediate_file': 'empty'}, r'ssl_intermediate_file: .*empty\.pem is empty \(0 bytes\)'),
    ('blank ev_intermediate_file', {'ev_intermediate_file': 'blank'}, r'ev_intermediate_file: .*blank\.pem is empty'),
    ('empty arl_file', {'arl_file': 'empty'}, r'arl_file: .*empty\.pem is empty .*Download it again'),
    ('empty cross_certificate_file', {'cross_certificate_file': 'empty'}, r'cross_certificate_file: .* is empty'),
    ('empty root_certificate_file', {'root_certificate_file': 'empty'}, r'root_certificate_file: .* is empty'),
    ('directory as arl_file', {'arl_file': 'dir'},
     r'arl_file: .*a-directory is a directory on the controller; give the path of the file itself'),
    ('missing arl_file', {'arl_file': 'missing'}, r'arl_file: .*no-such-file\.pem was not found on the controller'),
    ('expired root_certificate_file', {'root_certificate_file': 'root_expired'},
     r'root_certificate_file: a root certificate \("Hongkong Post Root CA 3".*expired on .*download a current copy'),
    ('ARL with thisUpdate in the future', {'arl_file': 'arl_future'},
     r'arl_file: this ARL says it was issued \(thisUpdate\) on .* in the future .*Check the controller\'s clock'),
    ('expired ARL', {'arl_file': 'arl_expired'}, r'arl_file: this ARL expired on .*download the current one'),
    ('ARL not signed by Root CA 3', {'arl_file': 'arl_foreign'}, r'arl_file: .*not signed by its key'),
    ('old intermediate as ssl_intermediate_file', {'ssl_intermediate_file': 'ssl_old'},
     r'ssl_intermediate_file: this is the OLD intermediate \(no EKU extension\)'),
    ('a CRL as ssl_intermediate_file', {'ssl_intermediate_file': 'arl'}, r'ssl_intermediate_file: .*CRL.*not a certificate'),
    ('a certificate as arl_file', {'arl_file': 'ssl'}, r'arl_file: this is a certificate, not a CRL'),
    ('warn_days below zero', {'warn_days': -1}, r'warn_days is -1; give 0 or more'),
    ('unknown key_stores', {'key_stores': ['My', 'Personal']},
     r'key_stores must be one or more of: My, WebHosting\. Got no match for: Personal'),
    ('download_timeout zero', {'download_timeout': 0}, r'download_timeout is 0; give the number of seconds'),
    ('download_urls unknown key', {'download_urls': {'intermediate': 'http://x.test/a.crt'}},
     r'download_urls: unknown key "intermediate"; the keys are ssl_intermediate, ev_intermediate'),
    ('download_urls not http(s)', {'download_urls': {'arl': 'ftp://crl.example.test/RootCA3ARL.crl'}},
     r'download_urls\.arl: "ftp://crl\.example\.test/RootCA3ARL\.crl" is not an http\(s\) URL'),
    ('warn_days not a number', {'warn_days': 'abc'}, r"argument 'warn_days' is of type str .*unable to convert to int"),
]


@pytest.mark.parametrize('args,fragment', [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_bad_input_is_refused_before_the_host_is_touched(pki, files, tmp_path, args, fragment):
    host = host_needing_work(pki)
    task = {'root_certificate_file': files['root'], 'ssl_intermediate_file': files['ssl']}
    task.update({k: files.get(v, v) if isinstance(v, str) else v for k, v in args.items()})
    before, controller = host_state(host), tree(tmp_path)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run(host, task)
    assert host.calls == [], 'refused before any payload, reads included'
    assert host_state(host) == before and tree(tmp_path) == controller


def test_the_table_would_see_a_change(pki, files):
    """Control row: the same host and files with good input DO change the host, so an unchanged host means a refusal."""
    host = host_needing_work(pki)
    before = host_state(host)
    result = run(host, {'root_certificate_file': files['root'], 'ssl_intermediate_file': files['ssl'],
                        'arl_file': files['arl']})
    assert result['changed'] and writes(host) == ['chain_apply'] and host_state(host) != before


def test_an_arl_older_than_the_installed_one_is_kept_out_and_said(pki, files):
    """Handled, not refused: the installed (newer) ARL stays, and the result says why the supplied one was not used."""
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_new.cert)
    put(host, 'Root', pki.root.cert)
    put_crl(host, pki.arl)
    before = host_state(host)
    result = run(host, {'root_certificate_file': files['root'], 'ssl_intermediate_file': files['ssl'],
                        'arl_file': files['arl_older']})
    assert result['changed'] is False and result['plan'] == [] and writes(host) == []
    assert host_state(host) == before
    assert any('the ARL supplied (#11, thisUpdate %s) is older than the one already in CA (#12, thisUpdate %s); the '
               'installed one is kept' % (pki.arl_older.last_update_utc.date().isoformat(),
                                          pki.arl.last_update_utc.date().isoformat()) in w for w in result['warnings'])


def test_an_arl_issued_just_now_by_a_clock_slightly_ahead_is_accepted(pki, files, tmp_path):
    """The future-thisUpdate refusal allows a few minutes of clock skew (a fresh ARL must not be refused)."""
    fresh = pki.make_arl(15, datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=2),
                         pki.now + 360 * DAY)
    path = tmp_path / 'fresh.crl'
    path.write_bytes(crl_der(fresh))
    host = host_needing_work(pki)
    result = run(host, {'root_certificate_file': files['root'], 'ssl_intermediate_file': files['ssl'],
                        'arl_file': str(path)})
    assert [a['crl_number'] for a in result['added'] if a['role'] == 'arl'] == [15]


@pytest.fixture
def empty_download(tmp_path):
    """A real HTTP server on 127.0.0.1 whose ARL file is empty (an interrupted mirror, a captive portal)."""
    root = tmp_path / 'www'
    root.mkdir()
    (root / 'RootCA3ARL.crl').write_bytes(b'')
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield 'http://127.0.0.1:%d/RootCA3ARL.crl' % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_an_empty_download_is_refused_not_skipped(pki, files, empty_download):
    host = host_needing_work(pki)
    before = host_state(host)
    with pytest.raises(AnsibleActionFail, match=r'download of http://127\.0\.0\.1:\d+/RootCA3ARL\.crl: the input is empty'):
        run(host, {'root_certificate_file': files['root'], 'ssl_intermediate_file': files['ssl'], 'download': True,
                   'download_urls': {'arl': empty_download, 'ev_intermediate': empty_download,
                                     'cross_certificate': empty_download}})
    assert host.calls == [] and host_state(host) == before
