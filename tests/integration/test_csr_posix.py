# -*- coding: utf-8 -*-
"""hkpost_csr on a POSIX host through real ansible-playbook on localhost."""

import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from tests.support.playbook import run_playbook, stats, task_results

PLAY = """
- hosts: localhost
  gather_facts: false
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: csr
      hkpost.ecert.hkpost_csr:
        common_name: "{{ cn }}"
        certificate_type: "{{ ctype }}"
        organization: Example Company Limited
        organizational_unit: IT
        privatekey_path: "{{ key }}"
        csr_path: "{{ csr }}"
"""


@pytest.fixture
def play(tmp_path):
    path = tmp_path / 'play.yml'
    path.write_text(PLAY)
    return path


def run(play, tmp_path, cn='www.example.com.hk', ctype='standard', check=False, name='a'):
    vars_ = {'cn': cn, 'ctype': ctype, 'key': str(tmp_path / (name + '.key')), 'csr': str(tmp_path / (name + '.csr'))}
    rc, data, err = run_playbook(play, extra_vars=vars_, check=check, inventory='localhost,')
    assert rc == 0, (data, err)
    return task_results(data, 'csr')['localhost'], stats(data)['localhost']


def test_csr_is_right_and_second_run_changes_nothing(play, tmp_path):
    first, st = run(play, tmp_path)
    assert first['changed'] is True
    key_path, csr_path = tmp_path / 'a.key', tmp_path / 'a.csr'
    assert oct(os.stat(key_path).st_mode & 0o777) == '0o600'
    csr = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert csr.is_signature_valid
    key = serialization.load_pem_private_key(key_path.read_bytes(), None)
    assert csr.public_key().public_numbers() == key.public_key().public_numbers()
    assert csr.public_key().key_size == 2048
    subject = {a.oid: a.value for a in csr.subject}
    assert subject == {NameOID.COUNTRY_NAME: 'HK', NameOID.STATE_OR_PROVINCE_NAME: 'Hong Kong',
                       NameOID.LOCALITY_NAME: 'Hong Kong', NameOID.ORGANIZATION_NAME: 'Example Company Limited',
                       NameOID.ORGANIZATIONAL_UNIT_NAME: 'IT', NameOID.COMMON_NAME: 'www.example.com.hk'}
    assert first['csr'] == csr_path.read_text()
    second, st2 = run(play, tmp_path)
    assert second['changed'] is False and st2['changed'] == 0
    assert second['public_key_sha256'] == first['public_key_sha256']
    assert key_path.read_bytes() == serialization.load_pem_private_key(key_path.read_bytes(), None).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def test_check_mode_writes_nothing(play, tmp_path):
    result, st = run(play, tmp_path, check=True, name='b')
    assert result['changed'] is True
    assert not (tmp_path / 'b.key').exists() and not (tmp_path / 'b.csr').exists()


def test_idn_common_name_becomes_an_a_label(play, tmp_path):
    result, _stats = run(play, tmp_path, cn='香港郵政.hk', name='c')
    csr = x509.load_pem_x509_csr((tmp_path / 'c.csr').read_bytes())
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == 'xn--5bvv2rbn4a0hh.hk'
    assert result['common_name_ascii'] == 'xn--5bvv2rbn4a0hh.hk'


def test_bad_wildcard_fails_with_the_rule(play, tmp_path):
    vars_ = {'cn': 'www.example.com.hk', 'ctype': 'wildcard', 'key': str(tmp_path / 'd.key'),
             'csr': str(tmp_path / 'd.csr')}
    rc, data, err = run_playbook(play, extra_vars=vars_, inventory='localhost,')
    assert rc != 0
    assert 'leftmost label' in task_results(data, 'csr')['localhost']['msg']
    assert not (tmp_path / 'd.key').exists()


def test_request_playbook_writes_the_submission_sheet(tmp_path):
    out = tmp_path / 'csr'
    rc, data, err = run_playbook('playbooks/request.yml', inventory='playbooks/inventory/demo.yml',
                                 extra_vars={'hkpost_csr_output_dir': str(out),
                                             'hkpost_csr_key_dir': str(tmp_path / 'keys')})
    assert rc == 0, err
    rows = (out / 'submission.csv').read_text().splitlines()
    assert rows[0] == 'host,common_name,certificate_type,public_key_sha256,csr_file,names,pending_thumbprint'
    assert len(rows) == 7
    for row in rows[1:]:
        host, cn, ctype, spki, path, names, pending = row.split(',')
        assert names.split()[0] == cn and pending == ''  # POSIX hosts keep a key file, not a pending request
        assert path == str(out / host / (cn + '.csr'))
        csr = x509.load_pem_x509_csr(open(path, 'rb').read())
        from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
        assert spki_sha256(csr.public_key()) == spki
    assert any(',wildcard,' in r and r.split(',')[1].startswith('*.') for r in rows)
    assert any(r.split(',')[1].startswith('xn--') for r in rows)
