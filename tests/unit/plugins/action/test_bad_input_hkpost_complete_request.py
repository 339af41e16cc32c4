# -*- coding: utf-8 -*-
"""hkpost_complete_request: every kind of bad input, refused before the host is touched (issue 14, section 1).

One row per kind: the task's options -> a fragment of the message -> the payloads allowed first (only the
read, where the refusal needs the host's pending requests). The fake host's stores are unchanged after each.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_complete_request import ActionModule
from tests.support.action_harness import run_action
from tests.support.unchanged import host_state, writes
from tests.support.windows.certstore import pending_entry
from tests.support.windows.host import FakeWindowsHost


@pytest.fixture
def host(pki):
    fake = FakeWindowsHost()
    fake.stores['REQUEST'].append(pending_entry(pki.leaves['standard'].key, 'www.example.hk'))
    return fake


@pytest.fixture
def controller(pki, tmp_path):
    (tmp_path / 'folder').mkdir()
    (tmp_path / 'empty.cer').write_bytes(b'')
    (tmp_path / 'issued.cer').write_text(pki.leaves['standard'].pem)
    (tmp_path / 'expired.cer').write_text(pki.leaves['expired'].pem)
    (tmp_path / 'chain-only.cer').write_text(pki.ssl_new.pem + pki.root.pem)
    (tmp_path / 'other.cer').write_text(pki.leaves['ev'].pem)
    (tmp_path / 'request.csr').write_text('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n')
    return tmp_path


# id, options (a function of the controller directory), message fragment, payloads allowed first.
TABLE = [
    ('src that is a directory', lambda d: {'src': str(d / 'folder')}, r'src: .*folder is a directory on the controller', ()),
    ('src an empty file', lambda d: {'src': str(d / 'empty.cer')}, r'src: .*empty\.cer is empty \(0 bytes\)', ()),
    ('src missing', lambda d: {'src': str(d / 'gone.cer')}, r'src: .*gone\.cer was not found on the controller', ()),
    ('neither src nor content', lambda d: {}, r'give the issued certificate as src .* or content', ()),
    ('both src and content', lambda d: {'src': str(d / 'issued.cer'), 'content': 'x'},
     r'parameters are mutually exclusive: src\|content', ()),
    ('a CSR instead of the certificate', lambda d: {'src': str(d / 'request.csr')},
     r'issued certificate: this is a certificate signing request \(CSR\), not a certificate', ()),
    ('only the chain, no server certificate', lambda d: {'src': str(d / 'chain-only.cer')},
     r'issued certificate: the file holds only CA certificates', ()),
    ('content that is not a certificate', lambda d: {'content': 'hello'}, r'issued certificate: not a certificate', ()),
    ('an expired certificate', lambda d: {'src': str(d / 'expired.cer')},
     r'the issued certificate old\.example\.hk .*expired on .*cannot be installed', ()),
    ('a certificate whose key was made elsewhere', lambda d: {'src': str(d / 'other.cer')},
     r'matches no pending request on this host', ('ecert_store_read',)),
]


@pytest.mark.parametrize('make_args,fragment,reads', [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_bad_input_is_refused_before_the_host_changes(host, controller, make_args, fragment, reads):
    before = host_state(host)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run_action(ActionModule, make_args(controller), host=host)
    assert host.call_names() == list(reads) and writes(host) == [] and host_state(host) == before


def test_the_table_would_see_a_change(host, controller):
    before = host_state(host)
    run_action(ActionModule, {'src': str(controller / 'issued.cer')}, host=host)
    assert writes(host) == ['complete_request'] and host_state(host) != before
