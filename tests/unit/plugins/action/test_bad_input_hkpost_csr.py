# -*- coding: utf-8 -*-
"""hkpost_csr: every kind of bad input, refused before a key or request is made (issue 14, section 1).

Windows rows run the action plugin against the fake host: no payload may run, not even the read, and
the controller directory (where csr_path points) is unchanged. POSIX rows run the real module through
one real ansible-playbook on localhost (the paths are the host's): each row is one task, and afterwards
no key, temp file or CSR exists in the test directory.
"""

from __future__ import annotations

import re

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule
from tests.support.action_harness import run_action
from tests.support.playbook import run_playbook, task_results
from tests.support.unchanged import tree
from tests.support.windows import request as _fake_csr  # noqa: F401 - registers the csr_* contract
from tests.support.windows.host import FakeWindowsHost

BASE = {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited', 'organizational_unit': 'IT'}

# id, options changed from BASE (None removes one; "{d}" is the test's controller directory), message fragment.
WINDOWS = [
    ('an IPv4 address as common_name', {'common_name': '192.0.2.10'},
     r'common_name "192\.0\.2\.10" is an IP address; a Hongkong Post e-Cert \(Server\) is issued for a registered '
     r'domain name only\. Give the server name'),
    ('an IPv6 address as common_name', {'common_name': '2001:db8::10'}, r'common_name "2001:db8::10" is an IP address'),
    ('an IP address in subject_alt_names', {'subject_alt_names': ['192.0.2.10']},
     r'subject_alt_names entry "192\.0\.2\.10" is an IP address'),
    ('a mixed-script look-alike label', {'common_name': 'www.exаmple.com.hk'},
     r'common_name "www\.exаmple\.com\.hk": the label "exаmple" \(A-label xn--exmple-4nf\) mixes scripts \(Cyrillic '
     r'"а", Latin "exmple"\).*give its A-label \(xn--exmple-4nf\) instead'),
    ('a whole-script look-alike label', {'common_name': 'аррӏе.com.hk'},
     r'every letter of the label "аррӏе" \(A-label xn--80ak6aa92e\) is a Cyrillic letter that looks like a Latin one'),
    ('a look-alike in subject_alt_names', {'subject_alt_names': ['shop.exаmple.com.hk']},
     r'subject_alt_names entry "shop\.exаmple\.com\.hk": the label "exаmple"'),
    ('a space in common_name', {'common_name': 'www example.com.hk'}, r'contains a space'),
    ('a label over 63 characters', {'common_name': 'x' * 64 + '.example.com.hk'}, r'is 64 characters long; the limit is 63'),
    ('a single-label common_name', {'common_name': 'intranet'}, r'is not a fully qualified server name'),
    ('an underscore', {'common_name': 'bad_name.example.com'}, r'underscore'),
    ('wildcard type without "*."', {'certificate_type': 'wildcard'}, r'needs "\*\." as the whole leftmost label'),
    ('"*" for a standard certificate', {'common_name': '*.example.com.hk'}, r'only allowed for certificate_type wildcard'),
    ('"*" inside a label', {'common_name': 'w*w.example.com.hk', 'certificate_type': 'wildcard'},
     r'"\*" must be the whole leftmost label'),
    ('country not HK', {'country': 'CN'}, r'country must be HK'),
    ('key_size below 2048', {'key_size': 1024}, r'requires RSA 2048'),
    ('key_size not offered', {'key_size': 8192}, r'key_size must be one of 2048, 3072, 4096, not 8192'),
    ('key_size not a number', {'key_size': 'large'}, r"argument 'key_size' is of type str .*unable to convert to int"),
    ('an abbreviated locality', {'locality': 'HK'}, r'locality "HK" looks like an abbreviation'),
    ('an empty organization', {'organization': '  '}, r'organization is required'),
    ('unknown certificate_type', {'certificate_type': 'ov'}, r'value of certificate_type must be one of: standard'),
    ('unknown idn', {'idn': 'ascii'}, r'value of idn must be one of: punycode, unicode, got: ascii'),
    ('csr_path that is a directory', {'csr_path': '{d}'},
     r'csr_path: .* is a directory on the controller; give the path of the file to write'),
    ('csr_path under a file', {'csr_path': '{d}/a-file/www.csr'},
     r'csr_path: .*a-file/www\.csr cannot be created because .*a-file is a file, not a directory'),
]


@pytest.fixture
def controller(tmp_path):
    (tmp_path / 'a-file').write_text('not a directory')
    return tmp_path


@pytest.mark.parametrize('change,fragment', [row[1:] for row in WINDOWS], ids=[row[0] for row in WINDOWS])
def test_bad_input_on_windows_is_refused_before_any_payload(controller, change, fragment):
    host = FakeWindowsHost()
    options = dict(BASE, csr_path=str(controller / 'csr' / 'www.csr'))
    for key, value in change.items():
        options[key] = value.format(d=controller) if isinstance(value, str) else value
    files = tree(controller)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run_action(ActionModule, options, host=host, action_name='hkpost.ecert.hkpost_csr')
    assert host.calls == [] and tree(controller) == files


def test_the_windows_table_would_see_a_change(controller):
    host = FakeWindowsHost()
    files = tree(controller)
    run_action(ActionModule, dict(BASE, csr_path=str(controller / 'csr' / 'www.csr')), host=host)
    assert 'csr_create' in host.call_names() and tree(controller) != files


# POSIX: the module on the host. id, privatekey_path ("{d}" = the test directory), message fragment.
POSIX = [
    ('privatekey_path in a missing directory', '{d}/missing/www.key',
     r'privatekey_path .*/missing/www\.key: the directory .*/missing does not exist on this host .*create it first'),
    ('privatekey_path that is a directory', '{d}/keys',
     r'privatekey_path .*/keys is a directory on this host; give the path of the key file'),
    ('privatekey_path under a file', '{d}/a-file/www.key',
     r'the directory .*/a-file does not exist on this host \(or is not a directory\)'),
    ('privatekey_path holding something that is not a key', '{d}/not-a-key.pem', r'is not an unencrypted PEM private key'),
    ('no privatekey_path', '', r'privatekey_path is required on a POSIX host'),
]

PLAY_HEAD = """
- hosts: localhost
  gather_facts: false
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
"""
TASK = """
    - name: "%s"
      hkpost.ecert.hkpost_csr:
        common_name: www.example.com.hk
        organization: Example Company Limited
        privatekey_path: "%s"
      ignore_errors: true
"""


@pytest.fixture(scope='module')
def posix_run(tmp_path_factory):
    """One real ansible-playbook run with one task per POSIX row; the directory's files before and after."""
    directory = tmp_path_factory.mktemp('posix-csr')
    (directory / 'keys').mkdir()
    (directory / 'a-file').write_text('not a directory')
    (directory / 'not-a-key.pem').write_text('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    play = PLAY_HEAD + ''.join(TASK % (row[0], row[1].format(d=directory)) for row in POSIX)
    (directory / 'play.yml').write_text(play)
    files = tree(directory)
    rc, data, err = run_playbook(directory / 'play.yml', inventory='localhost,')
    assert rc == 0, (data, err)  # every task failed and was ignored; the play itself completed
    return data, files, tree(directory)


@pytest.mark.parametrize('fragment', [row[2] for row in POSIX], ids=[row[0] for row in POSIX])
def test_bad_input_on_posix_is_refused_before_a_key_is_written(posix_run, request, fragment):
    data, before, after = posix_run
    name = request.node.callspec.id
    result = task_results(data, name)['localhost']
    assert result.get('failed') is True, result
    assert re.search(fragment, result['msg']), result['msg']
    assert after == before, 'a refused task wrote nothing (no key, no temp file)'
