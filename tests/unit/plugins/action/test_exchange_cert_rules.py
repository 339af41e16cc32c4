# -*- coding: utf-8 -*-
"""exchange_cert's own decisions (issue 21, mutation survivors): what the options refuse before Exchange is
contacted, which certificates it reads, the request text in each form Exchange answers with, csr_path, the diff,
check mode, and remove_superseded's grace days."""

from __future__ import annotations

import base64
import datetime

import pytest
from ansible.errors import AnsibleActionFail
from cryptography import x509

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.windows import exchange as fake_exchange
from tests.support.windows import pfx as _fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as _fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.certstore import entry_for
from tests.support.windows.exchange import add_certificate, add_pending, exchange_state
from tests.support.windows.host import _HANDLERS
# The request, the run and the emulated Exchange 2010 host of test_exchange_cert.py: one copy.
from tests.unit.plugins.action.test_exchange_cert import REQUEST, host, run, writes  # noqa: F401  # pylint: disable=unused-import

ARMOUR = '-----BEGIN NEW CERTIFICATE REQUEST-----\n%s\n-----END NEW CERTIFICATE REQUEST-----\n'


def answer_as(monkeypatch, change):
    """exchange_request answering as another Exchange build: ``change(host, answer)`` edits the fake's answer."""
    def handler(host, params):
        return change(host, fake_exchange.exchange_request(host, params))
    monkeypatch.setitem(_HANDLERS, 'exchange_request', handler)


def newest_pending(host):
    return [c for c in exchange_state(host)['certificates'] if c['status'] == 'PendingRequest'][-1]


def test_friendly_name_with_a_control_character_is_refused_before_exchange_is_contacted(host):
    with pytest.raises(AnsibleActionFail, match='friendly_name holds the control character U[+]000A'):
        run(host, dict(REQUEST, friendly_name='Hongkong Post\ne-Cert'))
    assert host.calls == []


def test_negative_retire_grace_days_are_refused_before_exchange_is_contacted(host, pki):
    with pytest.raises(AnsibleActionFail, match='retire_grace_days is -1; give 0'):
        run(host, {'content': pki.leaves['standard'].pem, 'remove_superseded': True, 'backup': False,
                   'retire_grace_days': -1})
    assert host.calls == []


def test_a_certificate_exchange_sends_without_raw_data_is_skipped(host):
    # exchange_read passes der null through when Exchange sent no RawData: nothing to describe, not a failure.
    exchange_state(host)['certificates'].append({'thumbprint': 'AB' * 20, 'der': None, 'services': None,
                                                 'status': None, 'friendly_name': ''})
    result = run(host, REQUEST, check_mode=True)
    assert result['changed'] is True and result['domain_names'] == ['mail.example.hk']


@pytest.mark.parametrize('args,domains', [
    ({}, ['mail.example.hk']),
    ({'subject_alt_names': ['www.mail.example.hk']}, ['mail.example.hk', 'www.mail.example.hk']),
    # a multi-domain CSR carries no SAN (Hongkong Post adds the names of the form): the CN is the domain name
    ({'certificate_type': 'multi_domain', 'subject_alt_names': ['autodiscover.example.hk']}, ['mail.example.hk']),
], ids=['common name', 'sans', 'multi-domain'])
def test_domain_names_are_the_sans_or_else_the_common_name(host, args, domains):
    assert run(host, dict(REQUEST, **args), check_mode=True)['domain_names'] == domains


def test_no_request_text_from_exchange_is_refused(host, monkeypatch):
    # A 2013 pending object whose CertificateRequest is empty: a thumbprint and no text to submit.
    answer_as(monkeypatch, lambda h, a: dict(a, csr=None, thumbprint=newest_pending(h)['thumbprint']))
    with pytest.raises(AnsibleActionFail, match='Exchange returned no certificate request text for mail.example.hk'):
        run(host, REQUEST)


def test_exchange_2013_answer_keeps_its_thumbprint_and_returns_the_key(host, monkeypatch):
    # 2013 returns the pending object: the payload sends its Thumbprint and CertificateRequest.
    def as_2013(h, a):
        pending = newest_pending(h)
        return dict(a, csr=pending['certificate_request'], thumbprint=pending['thumbprint'])
    answer_as(monkeypatch, as_2013)
    result = run(host, REQUEST)
    pending = newest_pending(host)
    assert result['thumbprint'] == pending['thumbprint']
    key = x509.load_der_x509_csr(base64.b64decode(pending['certificate_request'])).public_key()
    assert result['public_key_sha256'] == spki_sha256(key)


@pytest.mark.parametrize('armoured', [False, True], ids=['bare base64', 'PEM armour'])
def test_request_text_with_or_without_armour_is_one_pem_request(host, monkeypatch, tmp_path, armoured):
    if armoured:
        answer_as(monkeypatch, lambda h, a: dict(a, csr=ARMOUR % a['csr']))
    csr_path = tmp_path / 'mail.csr'
    result = run(host, dict(REQUEST, csr_path=str(csr_path)))
    for text in (result['csr'], csr_path.read_text()):
        assert text.count('BEGIN NEW CERTIFICATE REQUEST') == 1
        csr = x509.load_pem_x509_csr(text.replace('NEW CERTIFICATE REQUEST', 'CERTIFICATE REQUEST').encode())
        assert spki_sha256(csr.public_key()) == result['public_key_sha256']
    assert result['thumbprint'] == newest_pending(host)['thumbprint']


def test_csr_path_in_check_mode_writes_nothing_before_the_request_exists(host, tmp_path):
    csr_path = tmp_path / 'mail.csr'
    result = run(host, dict(REQUEST, csr_path=str(csr_path)), check_mode=True)
    assert result['changed'] is True and 'csr_path' not in result and not csr_path.exists()


def test_csr_path_rewritten_for_an_existing_request_is_a_change(host, tmp_path):
    csr_path = tmp_path / 'mail.csr'
    first = run(host, dict(REQUEST, csr_path=str(csr_path)))
    csr_path.unlink()
    host.calls.clear()
    again = run(host, dict(REQUEST, csr_path=str(csr_path)))
    assert again['changed'] is True and writes(host) == [] and csr_path.read_text() == first['csr']
    assert run(host, dict(REQUEST, csr_path=str(csr_path)))['changed'] is False


@pytest.fixture
def moved(pki, host):
    """An old certificate with IIS and SMTP, and its replacement pending."""
    old = pki.issue_leaf('mail.example.hk', not_before=pki.now - datetime.timedelta(days=150))
    add_certificate(host, old.cert, old.key, services=['IIS', 'SMTP'])
    host.stores['My'].append(entry_for(old.cert, old.key))
    return old


def test_enabled_diff_only_when_asked_and_check_mode_sends_nothing(host, moved):
    args = {'state': 'enabled', 'thumbprint': moved.thumbprint, 'services': ['IIS', 'POP']}
    assert 'diff' not in run(host, args, check_mode=True)
    result = run(host, args, check_mode=True, diff=True)
    assert result['changed'] is True and result['steps'] == ['enable']
    assert result['diff'] == {'before': {moved.thumbprint: ['IIS', 'SMTP']},
                              'after': {moved.thumbprint: ['IIS', 'POP', 'SMTP']}}
    assert writes(host) == []
    run(host, args)
    assert writes(host) == ['exchange_enable']


def test_present_without_diff_returns_none_and_without_remove_superseded_reads_no_stores(host, pki, moved):
    new = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'])
    add_pending(host, new.key, 'mail.example.hk')
    result = run(host, {'content': new.pem, 'services': ['IIS', 'SMTP']})
    assert 'diff' not in result and result['removed'] == []
    assert 'retire_read' not in host.call_names()
    assert moved.thumbprint in {c['thumbprint'] for c in exchange_state(host)['certificates']}


def test_retire_grace_days_default_zero_retires_a_replacement_issued_today(host, pki, moved):
    new = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'], not_before=pki.now - datetime.timedelta(hours=1))
    add_pending(host, new.key, 'mail.example.hk')
    result = run(host, {'content': new.pem, 'services': ['IIS', 'SMTP'], 'remove_superseded': True, 'backup': False})
    assert result['removed'] == [moved.thumbprint]
