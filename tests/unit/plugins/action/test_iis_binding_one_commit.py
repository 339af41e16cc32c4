# -*- coding: utf-8 -*-
"""iis_binding changes a binding in ONE commit, by replacing the element (issue 10, section 2).

The fake IIS records every CommitChanges and, like IIS (win-acme issue #371), fails a commit that
changed CertificateHash in place on a binding that already had a certificate
(tests/support/windows/iis.py decides that from the payload's text, tests/support/windows/script_facts.py).
"""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.action.iis_binding import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows.certstore import entry_for
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, iis_state, map_sslcert


@pytest.fixture
def host(pki):
    fake = FakeWindowsHost()
    for name in ('standard', 'multi_domain', 'expiring'):
        fake.stores['My'].append(entry_for(pki.leaves[name].cert, pki.leaves[name].key))
    add_site(fake, 'www', [('http', '*:80:www.example.hk', 0)])
    add_site(fake, 'shop', [('https', '*:443:shop.example.hk', 1 | 4 | 8)])
    map_sslcert(fake, 'hostnameport', 'shop.example.hk:443', pki.leaves['expiring'].thumbprint)
    return fake


def test_a_new_binding_is_never_committed_without_its_certificate(pki, host):
    result = run_action(ActionModule, {'site': 'www', 'host_header': 'www.example.hk',
                                       'certificate_thumbprint': pki.leaves['standard'].thumbprint}, host=host)
    assert result['changed']
    commits = iis_state(host)['commits']
    assert len(commits) == 1
    assert all(b['has_certificate'] for commit in commits for b in commit)
    assert iis_state(host)['sslcert']['hostnameport']['www.example.hk:443']['thumbprint'] == \
        pki.leaves['standard'].thumbprint


def test_changing_the_certificate_replaces_the_binding_in_one_commit(pki, host):
    result = run_action(ActionModule, {'site': 'shop', 'host_header': 'shop.example.hk',
                                       'certificate_thumbprint': pki.leaves['multi_domain'].thumbprint}, host=host)
    assert result['changed'] and 'rolled_back' not in result
    assert len(iis_state(host)['commits']) == 1
    binding = iis_state(host)['sites'][1]['bindings'][0]
    assert binding['ssl_flags'] == 13 and binding['thumbprint'] == pki.leaves['multi_domain'].thumbprint
    assert iis_state(host)['sslcert']['hostnameport']['shop.example.hk:443']['thumbprint'] == \
        pki.leaves['multi_domain'].thumbprint
