# -*- coding: utf-8 -*-
"""hkpost_chain against a fake host holding real store contents (test PKI and the real certificates)."""

import base64
import datetime
import functools
import http.server
import json
import threading

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_chain import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.chain import crl_thumbprints, put, put_crl, thumbprints
from tests.support.windows.host import FakeWindowsHost
from tests.support.pki import crl_der, crl_pem

UTC = datetime.timezone.utc


@pytest.fixture
def files(pki, tmp_path):
    """The test hierarchy's public files on the controller, as an operator would have them."""
    def write(name, data):
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return str(path)
    return {
        'root': write('root.pem', pki.root.pem),
        'ssl': write('ssl_new.pem', pki.ssl_new.pem),
        'ssl_old': write('ssl_old.pem', pki.ssl_old.pem),
        'ev': write('ev_new.crt', pki.ev_new.der),       # DER, as Windows saves it
        'ev_old': write('ev_old.pem', pki.ev_old.pem),
        'cross': write('cross.pem', '\ufeff' + pki.cross.pem.replace('\n', '\r\n')),  # BOM + CRLF
        'arl': write('arl.crl', crl_der(pki.arl)),
        'arl_older': write('arl_older.crl', crl_pem(pki.arl_older)),
        'arl_expired': write('arl_expired.crl', crl_der(pki.arl_expired)),
        'arl_foreign': write('arl_foreign.crl', crl_der(pki.arl_foreign)),
        'leaf': write('leaf.pem', pki.leaves['standard'].pem),
    }


def chain(host, files, check_mode=False, diff=False, **extra):
    args = {'root_certificate_file': files['root'], 'ssl_intermediate_file': files['ssl']}
    args.update(extra)
    return run_action(ActionModule, args, host=host, check_mode=check_mode, diff=diff,
                      action_name='hkpost.ecert.hkpost_chain')


def assert_idempotent(host, files, **extra):
    calls = len(host.calls)
    again = chain(host, files, **extra)
    assert again['changed'] is False and again['plan'] == []
    assert host.call_names()[calls:] == ['chain_read'], 'a host already right costs one read and nothing else'
    return again


def test_fresh_host_gets_root_and_new_intermediate(pki, files):
    host = FakeWindowsHost()
    result = chain(host, files)
    assert result['changed'] is True
    assert host.call_names() == ['chain_read', 'chain_apply']
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    assert thumbprints(host, 'Root') == [pki.root.thumbprint]
    assert {(a['store'], a['role'], a['generation']) for a in result['added']} == {
        ('Root', 'root', None), ('CA', 'intermediate', 'new')}
    assert result['removed'] == []
    assert_idempotent(host, files)


def test_host_with_old_only_swaps_it(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    put(host, 'Root', pki.root.cert)
    result = chain(host, files)
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    assert [(r['thumbprint'], r['generation']) for r in result['removed']] == [(pki.ssl_old.thumbprint, 'old')]
    assert 'without the EKU' in result['removed'][0]['reason']
    # adds are ordered before removals: the new one is in place before the old one goes
    ops = [s['op'] for s in result['plan']]
    assert ops == ['add_cert', 'remove_cert']
    assert_idempotent(host, files)


def test_host_with_both_loses_only_the_old(pki, files):
    host = FakeWindowsHost()
    for cert in (pki.ssl_old.cert, pki.ssl_new.cert):
        put(host, 'CA', cert)
    put(host, 'Root', pki.root.cert)
    result = chain(host, files)
    assert [s['op'] for s in result['plan']] == ['remove_cert']
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    assert_idempotent(host, files)


def test_host_already_right_costs_one_read(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_new.cert)
    put(host, 'Root', pki.root.cert)
    assert_idempotent(host, files)


def test_disallow_puts_the_old_one_in_disallowed(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    result = chain(host, files, old_intermediate='disallow')
    assert thumbprints(host, 'Disallowed') == [pki.ssl_old.thumbprint]
    assert [d['thumbprint'] for d in result['disallowed']] == [pki.ssl_old.thumbprint]
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    assert_idempotent(host, files, old_intermediate='disallow')


def test_old_already_disallowed_and_new_wrongly_disallowed(pki, files):
    host = FakeWindowsHost()
    put(host, 'Disallowed', pki.ssl_old.cert)
    put(host, 'Disallowed', pki.ssl_new.cert)
    put(host, 'Root', pki.root.cert)
    result = chain(host, files, old_intermediate='disallow')
    assert thumbprints(host, 'Disallowed') == [pki.ssl_old.thumbprint]
    assert thumbprints(host, 'CA') == [pki.ssl_new.thumbprint]
    assert any(r['store'] == 'Disallowed' and r['thumbprint'] == pki.ssl_new.thumbprint for r in result['removed'])
    assert_idempotent(host, files, old_intermediate='disallow')


def test_newer_arl_replaces_older_and_same_is_not_reimported(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_new.cert)
    put(host, 'Root', pki.root.cert)
    put_crl(host, pki.arl_older)
    result = chain(host, files, arl_file=files['arl'])
    assert [(s['op'], s['store']) for s in result['plan']] == [('add_crl', 'CA'), ('remove_crl', 'CA')]
    assert len(host.crls['CA']) == 1
    assert base64.b64decode(host.crls['CA'][0]) == crl_der(pki.arl)
    assert_idempotent(host, files, arl_file=files['arl'])


def test_an_older_arl_does_not_replace_a_newer_one(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_new.cert)
    put(host, 'Root', pki.root.cert)
    put_crl(host, pki.arl)
    before = crl_thumbprints(host)
    assert_idempotent(host, files, arl_file=files['arl_older'])
    assert crl_thumbprints(host) == before


def test_ev_and_ssl_mixed(pki, files):
    host = FakeWindowsHost()
    for cert in (pki.ssl_old.cert, pki.ev_old.cert):
        put(host, 'CA', cert)
    put(host, 'Root', pki.root.cert)
    # without the new EV intermediate the old EV one stays, with a warning
    result = chain(host, files)
    assert sorted(thumbprints(host, 'CA')) == sorted([pki.ev_old.thumbprint, pki.ssl_new.thumbprint])
    assert any('kept the old EV intermediate' in w for w in result['warnings'])
    result = chain(host, files, ev_intermediate_file=files['ev'], cross_certificate_file=files['cross'])
    assert sorted(thumbprints(host, 'CA')) == sorted([pki.ssl_new.thumbprint, pki.ev_new.thumbprint,
                                                      pki.cross.thumbprint])
    assert [r['product'] for r in result['removed']] == ['ev']
    assert_idempotent(host, files, ev_intermediate_file=files['ev'], cross_certificate_file=files['cross'])


def test_check_mode_reports_the_plan_and_writes_nothing(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    result = chain(host, files, check_mode=True)
    assert result['changed'] is True
    assert [s['op'] for s in result['plan']] == ['add_cert', 'add_cert', 'remove_cert']
    assert host.call_names() == ['chain_read']
    assert thumbprints(host, 'CA') == [pki.ssl_old.thumbprint]


def test_diff_lists_thumbprints_and_subjects_only(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    result = chain(host, files, diff=True)
    diff = result['diff']
    assert any(pki.ssl_old.thumbprint in line for line in diff['before']['CA'])
    assert not any(pki.ssl_old.thumbprint in line for line in diff['after']['CA'])
    assert any(pki.ssl_new.thumbprint in line for line in diff['after']['CA'])
    text = json.dumps(diff)
    assert 'PRIVATE KEY' not in text and 'BEGIN' not in text


def test_leaves_are_reported_with_their_generation_and_warnings(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    put(host, 'Root', pki.root.cert)
    for name in ('under_old', 'under_new', 'expiring'):
        put(host, 'My', pki.leaves[name].cert, key=pki.leaves[name].key)
    put(host, 'WebHosting', pki.leaves['wildcard'].cert, key=pki.leaves['wildcard'].key)
    put(host, 'My', pki.leaves['foreign'].cert, key=pki.leaves['foreign'].key)
    result = chain(host, files)
    leaves = {leaf['thumbprint']: leaf for leaf in result['leaves']}
    assert set(leaves) == {pki.leaves[n].thumbprint for n in ('under_old', 'under_new', 'expiring', 'wildcard')}
    assert leaves[pki.leaves['under_old'].thumbprint]['issued_under'] == 'old'
    assert leaves[pki.leaves['under_new'].thumbprint]['issued_under'] == 'new'
    assert leaves[pki.leaves['wildcard'].thumbprint]['store'] == 'WebHosting'
    assert all(leaf['chains'] for leaf in result['leaves']), 'after the swap every leaf chains through the new one'
    assert any('re-issue' in w and pki.leaves['under_old'].thumbprint in w for w in result['warnings'])
    assert any('within 30 days' in w and pki.leaves['expiring'].thumbprint in w for w in result['warnings'])


def test_a_failed_step_stops_and_reports_what_was_done(pki, files):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    put(host, 'Root', pki.root.cert)
    host.state['chain_fail_at'] = ('remove_cert', 'CA')
    with pytest.raises(AnsibleActionFail) as err:
        chain(host, files)
    message = str(err.value)
    assert 'stopped at step 2' in message and 'Access is denied' in message
    assert 'Applied: add_cert %s' % pki.ssl_new.thumbprint in message
    assert 'Not applied: remove_cert %s' % pki.ssl_old.thumbprint in message
    # the host is never left with less than it had
    assert sorted(thumbprints(host, 'CA')) == sorted([pki.ssl_old.thumbprint, pki.ssl_new.thumbprint])


@pytest.mark.parametrize('option, key, message', [
    ('cross_certificate_file', 'leaf', 'expected the cross certificate'),
    ('ev_intermediate_file', 'ev_old', 'OLD intermediate'),
    ('ev_intermediate_file', 'ssl', 'expected the new "Hongkong Post e-Cert EV SSL CA 3 - 17"'),
    ('ssl_intermediate_file', 'ssl_old', 'OLD intermediate'),
    ('arl_file', 'arl_foreign', 'not signed by its key'),
    ('arl_file', 'arl_expired', 'ARL expired on'),
    ('arl_file', 'leaf', 'this is a certificate, not a CRL'),
    ('cross_certificate_file', 'arl', 'certificate revocation list'),
    ('root_certificate_file', 'ssl', 'expected Hongkong Post Root CA 3'),
])
def test_bad_inputs_fail_before_the_host_is_touched(pki, files, option, key, message):
    host = FakeWindowsHost()
    put(host, 'CA', pki.ssl_old.cert)
    with pytest.raises(AnsibleActionFail, match=message):
        chain(host, files, **{option: files[key]})
    assert host.calls == []


def test_real_certificates_old_2017_removed_new_2025_added(real_certs):
    host = FakeWindowsHost()
    put(host, 'CA', real_certs['ssl_ca_3_17_old'])
    result = run_action(ActionModule, {}, host=host, action_name='hkpost.ecert.hkpost_chain')
    new = real_certs['ssl_ca_3_17_new'].fingerprint(__import__('cryptography').hazmat.primitives.hashes.SHA1()).hex().upper()
    assert thumbprints(host, 'CA') == [new]
    assert [r['thumbprint'] for r in result['removed']] == ['92797871DC6A0B6EE1417BB657D7ED6FC6F975EB']
    assert {a['thumbprint'] for a in result['added']} == {new, '58A2D0EC2052815BC1F3F86402244EC28E024B02'}
    again = run_action(ActionModule, {}, host=host, action_name='hkpost.ecert.hkpost_chain')
    assert again['changed'] is False


class _Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def http_dir(tmp_path):
    root = tmp_path / 'www'
    root.mkdir()
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Files, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, 'http://127.0.0.1:%d/' % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_download_fetches_and_checks_what_it_got(pki, files, http_dir):
    root, base = http_dir
    (root / 'ev.crt').write_text(pki.ev_new.pem)
    (root / 'cross.crt').write_text(pki.cross.pem)
    (root / 'arl.crl').write_bytes(crl_der(pki.arl))
    urls = {'ev_intermediate': base + 'ev.crt', 'cross_certificate': base + 'cross.crt', 'arl': base + 'arl.crl'}
    host = FakeWindowsHost()
    chain(host, files, download=True, download_urls=urls)
    assert sorted(thumbprints(host, 'CA')) == sorted([pki.ssl_new.thumbprint, pki.ev_new.thumbprint,
                                                      pki.cross.thumbprint])
    assert len(host.crls['CA']) == 1


def test_download_of_the_wrong_thing_fails_before_the_host(pki, files, http_dir):
    root, base = http_dir
    (root / 'ev.crt').write_text(pki.ev_old.pem)
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='OLD intermediate'):
        urls = {'ev_intermediate': base + 'ev.crt', 'cross_certificate': base + 'missing.crt'}
        chain(host, files, download=True, download_urls=urls)
    assert host.calls == []


def test_unreachable_download_is_a_clear_error(files):
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='download of ev intermediate from http://127.0.0.1:9/ev.crt failed'):
        chain(host, files, download=True, download_urls={'ev_intermediate': 'http://127.0.0.1:9/ev.crt'},
              download_timeout=2)
    assert host.calls == []


def test_refuses_a_non_windows_host(files):
    with pytest.raises(AnsibleActionFail, match='runs on Windows hosts'):
        run_action(ActionModule, {}, host=FakeWindowsHost(), shell_family='sh')
