# -*- coding: utf-8 -*-
"""exchange_cert: every kind of bad input, refused before the Exchange server is contacted (issue 14, section 1).

One row per kind: the task's options -> a fragment of the message. No payload may run, not even the read
(each opens a remoting session), and the fake Exchange server and the controller directory are unchanged.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.exchange_cert import ActionModule
from tests.support.action_harness import run_action
from tests.support.unchanged import host_state, tree, writes
from tests.support.windows.exchange import exchange_state
from tests.support.windows.host import FakeWindowsHost

REQUEST = {'state': 'requested', 'common_name': 'mail.example.hk', 'organization': 'Example Co., Ltd.'}


@pytest.fixture
def host():
    fake = FakeWindowsHost(os_build=7601)
    exchange_state(fake)
    return fake


@pytest.fixture
def controller(pki, tmp_path):
    (tmp_path / 'a-file').write_text('not a directory')
    (tmp_path / 'empty.cer').write_bytes(b'')
    (tmp_path / 'issued.cer').write_text(pki.leaves['standard'].pem)
    (tmp_path / 'folder').mkdir()
    return tmp_path


def present(d, **change):
    return dict({'state': 'present', 'src': str(d / 'issued.cer')}, **change)


# id, options (a function of the controller directory), message fragment.
TABLE = [
    ('connection_uri not a URL', lambda d: dict(REQUEST, connection_uri='mail1/PowerShell'),
     r'connection_uri "mail1/PowerShell" is not an http\(s\) URL; give the Exchange server\'s remote PowerShell address'),
    ('connection_uri another scheme', lambda d: dict(REQUEST, connection_uri='ftp://mail1.example.hk/PowerShell/'),
     r'connection_uri "ftp://mail1\.example\.hk/PowerShell/" is not an http\(s\) URL'),
    ('connection_uri without a host', lambda d: dict(REQUEST, connection_uri='http:///PowerShell/'),
     r'connection_uri "http:///PowerShell/" is not an http\(s\) URL'),
    ('connection_uri with a bad port', lambda d: dict(REQUEST, connection_uri='http://mail1.example.hk:99999/PowerShell/'),
     r'connection_uri .* has a port that is not 1-65535'),
    ('server not a host name', lambda d: dict(REQUEST, server='mail 1'), r'server "mail 1" contains a space'),
    ('password an unquoted number', lambda d: dict(REQUEST, username='EX\\admin', password=42798),
     r"argument 'password' is of type int .*Quote it"),
    ('password a dictionary', lambda d: dict(REQUEST, username='EX\\admin', password={'a': 1}),
     r"argument 'password' is of type dict"),
    ('username without password', lambda d: dict(REQUEST, username='EX\\admin'), r'username needs password'),
    ('an IP address as common_name', lambda d: dict(REQUEST, common_name='192.0.2.25'), r'common_name "192\.0\.2\.25" is an IP address'),
    ('a look-alike common_name', lambda d: dict(REQUEST, common_name='mail.exаmple.hk'),
     r'the label "exаmple" \(A-label xn--exmple-4nf\) mixes scripts'),
    ('an unknown authentication', lambda d: dict(REQUEST, authentication='NTLM'), r'value of authentication must be one of'),
    ('csr_path that is a directory', lambda d: dict(REQUEST, csr_path=str(d / 'folder')), r'csr_path: .*folder is a directory'),
    ('csr_path under a file', lambda d: dict(REQUEST, csr_path=str(d / 'a-file' / 'mail.csr')),
     r'csr_path: .* cannot be created because .*a-file is a file'),
    ('src that is a directory', lambda d: present(d, src=str(d / 'folder')), r'src: .*folder is a directory on the controller'),
    ('src an empty file', lambda d: present(d, src=str(d / 'empty.cer')), r'src: .*empty\.cer is empty \(0 bytes\)'),
    ('src missing', lambda d: present(d, src=str(d / 'gone.cer')), r'src: .*gone\.cer was not found on the controller'),
    ('content that is not a certificate', lambda d: {'state': 'present', 'content': 'hello'}, r'issued certificate: not a certificate'),
    ('an unknown Exchange service', lambda d: present(d, services=['IIS', 'FTP']), r'Exchange service "FTP" is not one of'),
    ('both src and content', lambda d: present(d, content='x'), r'parameters are mutually exclusive: src\|content'),
]


@pytest.mark.parametrize('make_args,fragment', [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_bad_input_is_refused_before_exchange_is_contacted(host, controller, make_args, fragment):
    before, files = host_state(host), tree(controller)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run_action(ActionModule, make_args(controller), host=host, task_vars={'inventory_hostname': 'ex1.example.hk'})
    assert host.calls == [] and host_state(host) == before and tree(controller) == files


def test_the_table_would_see_a_change(host, controller):
    before = host_state(host)
    run_action(ActionModule, dict(REQUEST, csr_path=str(controller / 'csr' / 'mail.csr')), host=host,
               task_vars={'inventory_hostname': 'ex1.example.hk'})
    assert writes(host) == ['exchange_request'] and host_state(host) != before
