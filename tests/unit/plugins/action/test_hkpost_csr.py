# -*- coding: utf-8 -*-
"""hkpost_csr on Windows, at the win_powershell boundary: certreq's contract answered by a fake host."""

import pytest
from ansible.errors import AnsibleActionFail
from cryptography import x509
from cryptography.x509.oid import NameOID

from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule
from tests.support.windows import request as fake_csr  # noqa: F401  # pylint: disable=unused-import
from tests.support.action_harness import run_action
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.request import parse_inf

BASE = {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited',
        'organizational_unit': 'IT', 'friendly_name': 'Hong Kong Post e-cert'}


def run(host, check_mode=False, diff=False, **extra):
    return run_action(ActionModule, dict(BASE, **extra), host=host, check_mode=check_mode, diff=diff,
                      action_name='hkpost.ecert.hkpost_csr')


def inf_request(host):
    """The [NewRequest] of the last INF sent to certreq, as certreq reads it."""
    return {k.lower(): v for k, v in parse_inf(host.calls[-1][1]['Inf']).get('newrequest', [])}


def inf_sans(host):
    return [v for k, v in parse_inf(host.calls[-1][1]['Inf']).get('extensions', []) if k == '_continue_']


def test_first_run_creates_one_key_and_returns_the_csr(tmp_path):
    host = FakeWindowsHost()
    csr_path = tmp_path / 'out' / 'www.csr'
    result = run(host, csr_path=str(csr_path))
    assert result['changed'] is True
    assert host.call_names() == ['csr_pending_read', 'csr_create']
    csr = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert csr.is_signature_valid
    assert csr.public_key().key_size == 2048
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == 'www.example.com.hk'
    assert csr.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == 'HK'
    assert result['public_key_sha256'] and len(host.stores['REQUEST']) == 1
    # certreq got its INF as a parameter, not spliced into the script; read the way certreq reads it
    request = inf_request(host)
    assert request['subject'] == 'CN=www.example.com.hk, OU=IT, O=Example Company Limited, L=Hong Kong, S=Hong Kong, C=HK'
    assert request['keylength'] == '2048' and 'keycontainer' not in request and request['exportable'] == 'TRUE'


def test_second_run_reuses_the_pending_request(tmp_path):
    host = FakeWindowsHost()
    csr_path = tmp_path / 'www.csr'
    first = run(host, csr_path=str(csr_path))
    second = run(host, csr_path=str(csr_path))
    assert second['changed'] is False
    assert second['request_action'] == 'reuse'
    assert second['public_key_sha256'] == first['public_key_sha256']
    assert host.call_names() == ['csr_pending_read', 'csr_create', 'csr_pending_read']
    assert len(host.stores['REQUEST']) == 1


def test_lost_csr_text_is_rederived_from_the_same_key():
    host = FakeWindowsHost()
    first = run(host)
    host.state['request_dir'].clear()
    second = run(host)
    assert second['changed'] is True and second['request_action'] == 'rederive'
    assert second['public_key_sha256'] == first['public_key_sha256']
    assert inf_request(host)['keycontainer'] == host.stores['REQUEST'][0]['key_container']
    assert run(host)['changed'] is False


def test_force_makes_a_new_key():
    host = FakeWindowsHost()
    first = run(host)
    forced = run(host, force=True)
    assert forced['changed'] is True
    assert forced['public_key_sha256'] != first['public_key_sha256']


def test_check_mode_sends_no_write(tmp_path):
    host = FakeWindowsHost()
    csr_path = tmp_path / 'www.csr'
    result = run(host, check_mode=True, csr_path=str(csr_path))
    assert result['changed'] is True
    assert host.call_names() == ['csr_pending_read']
    assert not csr_path.exists() and not host.stores['REQUEST']


def test_a_different_subject_is_a_new_request():
    host = FakeWindowsHost()
    run(host)
    other = run(host, common_name='mail.example.com.hk')
    assert other['changed'] is True and other['request_action'] == 'create'
    assert len(host.stores['REQUEST']) == 2


def test_wildcard_and_idn_reach_certreq_as_a_labels():
    host = FakeWindowsHost()
    run(host, common_name='*.example.com.hk', certificate_type='wildcard')
    assert inf_sans(host) == ['dns=*.example.com.hk&']
    result = run(host, common_name='香港郵政.hk')
    assert result['common_name_ascii'] == 'xn--5bvv2rbn4a0hh.hk'
    assert inf_request(host)['subject'].startswith('CN=xn--5bvv2rbn4a0hh.hk,')


def test_multi_domain_sends_no_sans():
    host = FakeWindowsHost()
    result = run(host, certificate_type='multi_domain', subject_alt_names=['shop.example.com.hk'])
    assert inf_sans(host) == []
    assert result['subject_alt_names'] == []


# Bad input: every kind is a row of the table in test_bad_input_hkpost_csr.py.


def test_host_failure_is_reported_with_certreq_message():
    host = FakeWindowsHost()
    host.fail_on['csr_create'] = 'certreq -new failed (exit 5): Access is denied.'
    with pytest.raises(AnsibleActionFail, match='Access is denied'):
        run(host)


def test_certreq_subject_is_in_windows_order_and_the_rerun_still_reuses_it():
    host = FakeWindowsHost()
    first = run(host)
    csr = x509.load_pem_x509_csr(first['csr'].encode())
    assert [a.oid for a in csr.subject][0] == NameOID.COMMON_NAME  # CertStrToName order: CN first
    assert run(host)['request_action'] == 'reuse'


def test_pending_request_whose_key_is_gone_gets_a_new_key():
    host = FakeWindowsHost()
    first = run(host)
    host.stores['REQUEST'][0]['key'] = None  # the key container was deleted; the placeholder is still in REQUEST
    second = run(host)
    assert second['changed'] is True and second['request_action'] == 'create'
    assert second['public_key_sha256'] != first['public_key_sha256']
    assert 'keycontainer' not in inf_request(host)  # a new key, not the old container


def test_returns_the_pending_request_thumbprint_first_run_rerun_and_rederive():
    host = FakeWindowsHost()
    first = run(host)
    (pending,) = host.stores['REQUEST']
    assert first['thumbprint'] == pending['thumbprint']
    assert run(host)['thumbprint'] == pending['thumbprint']
    # A re-derived CSR is a new pending request for the same key: its thumbprint, not the old one's.
    host.state['request_dir'].clear()
    rederived = run(host)
    newest = host.stores['REQUEST'][-1]
    assert newest['thumbprint'] != pending['thumbprint'] and rederived['thumbprint'] == newest['thumbprint']
