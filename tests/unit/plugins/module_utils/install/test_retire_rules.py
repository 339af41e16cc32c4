# -*- coding: utf-8 -*-
"""More rules of the one retire policy (install/_retire.py), each named by its test (issue 21, mutation survivors).

What counts as a use (an IIS binding's own http.sys mapping is not a second one; a WinRM HTTP listener serves no
certificate), which hybrid certificate is held, when a successor is a replacement (not the same moment, not a
future one), when the grace period ends, and that a certificate named in ``thumbprints`` is refused, never skipped.
"""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import (
    exchange_services, hybrid_kept, plan_retire, usage)
from tests.support.windows.certstore import read_entry

DAY = datetime.timedelta(days=1)
NAMES = ['a.example.hk', 'b.example.hk']


raw = read_entry  # a store read's entry, as the planner is given it


@pytest.fixture
def old(pki):
    return pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 300 * DAY, not_after=pki.now + 10 * DAY)


@pytest.fixture
def new(pki):
    return pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 2 * DAY)


def site(host, thumbprint):
    """An SNI binding for ``host`` and the hostnameport mapping that serves it."""
    return {'sites': [{'name': 'Web', 'bindings': [{'protocol': 'https', 'binding_information': '*:443:%s' % host,
                                                    'ssl_flags': 1}]}],
            'sslcert': {'hostnameport': [{'endpoint': '%s:443' % host, 'thumbprint': thumbprint, 'store': 'My'}],
                        'ipport': []}}


def test_an_iis_bindings_own_http_sys_mapping_is_not_a_second_use(old):
    users, known = usage({'iis': site('a.example.hk', old.thumbprint.lower())})
    assert users == {old.thumbprint: ['IIS site "Web" binding *:443:a.example.hk']} and known is True


def test_an_http_sys_mapping_no_binding_owns_is_a_use(old):
    iis = site('a.example.hk', None)
    iis['sslcert']['ipport'] = [{'endpoint': '0.0.0.0:8443', 'thumbprint': old.thumbprint, 'store': 'My'}]
    users, _known = usage({'iis': iis})
    assert users == {old.thumbprint: ['http.sys mapping ipport=0.0.0.0:8443']}


def test_a_winrm_listener_that_is_not_https_serves_no_certificate(pki, old, new):
    state = {'winrm': {'listeners': [{'transport': 'HTTP', 'thumbprint': old.thumbprint, 'address': '*',
                                      'port': 5985},
                                     {'thumbprint': old.thumbprint, 'address': '*', 'port': 5985}]}}
    assert usage(state)[0] == {}
    assert [r['thumbprint'] for r in plan_retire({'My': [raw(old), raw(new)]}, state, now=pki.now)['retire']] == [
        old.thumbprint]


def test_only_the_certificate_the_hybrid_configuration_names_is_held(pki, old, new):
    exchange = {'present': True, 'known': True,
                'hybrid': {'known': True, 'tls_certificate_name': '<I>CN=New CA<S>CN=a.example.hk'},
                'certificates': [{'thumbprint': old.thumbprint, 'services': 'SMTP', 'status': 'Valid',
                                  'issuer': 'CN=Old CA', 'subject': 'CN=a.example.hk'},
                                 {'thumbprint': new.thumbprint, 'services': 'IIS, SMTP', 'status': 'Valid',
                                  'issuer': 'CN=New CA', 'subject': 'CN=a.example.hk'}]}
    assert list(hybrid_kept({'exchange': exchange})) == [new.thumbprint]
    decision = plan_retire({'My': [raw(old), raw(new)]}, {'exchange': exchange}, now=pki.now)
    assert [r['thumbprint'] for r in decision['retire']] == [old.thumbprint] and decision['kept'] == []


def test_an_exchange_answer_without_certificates_or_thumbprints_names_nothing():
    hybrid = {'known': True, 'tls_certificate_name': '<I>CN=CA<S>CN=a.example.hk'}
    state = {'exchange': {'present': True, 'known': True, 'hybrid': hybrid, 'certificates': None}}
    assert usage(state) == ({}, True) and hybrid_kept(state) == {} and exchange_services(state) == {}
    nameless = {'exchange': {'present': True, 'known': True,
                             'certificates': [{'thumbprint': None, 'services': 'IIS', 'status': 'Valid'}]}}
    assert exchange_services(nameless) == {}


def test_certificates_issued_at_the_same_moment_do_not_replace_each_other(pki):
    first = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 5 * DAY)
    twin = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - 5 * DAY)
    assert plan_retire({'My': [raw(first), raw(twin)]}, {}, now=pki.now) == {
        'retire': [], 'kept': [], 'exchange_known': True}


def test_a_successor_not_yet_valid_is_no_replacement(pki, old):
    future = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now + DAY)
    assert plan_retire({'My': [raw(old), raw(future)]}, {}, now=pki.now)['retire'] == []


def test_of_a_foreign_and_a_hongkong_post_successor_only_hongkong_post_replaces(pki, old):
    foreign = pki.issue_leaf('a.example.hk', sans=NAMES, issuer=pki.foreign_root, not_before=pki.now - DAY)
    assert plan_retire({'My': [raw(old), raw(foreign)]}, {}, now=pki.now)['retire'] == []


def test_without_grace_days_a_replacement_issued_a_moment_ago_retires_at_once(pki, old):
    just = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=pki.now - datetime.timedelta(minutes=1))
    decision = plan_retire({'My': [raw(old), raw(just)]}, {}, now=pki.now)
    assert [r['thumbprint'] for r in decision['retire']] == [old.thumbprint]


def test_the_grace_period_ends_exactly_grace_days_after_the_replacement_was_issued(pki, old):
    issued = pki.now - 3 * DAY
    successor = pki.issue_leaf('a.example.hk', sans=NAMES, not_before=issued)
    stores = {'My': [raw(old), raw(successor)]}
    assert [r['thumbprint'] for r in plan_retire(stores, {}, grace_days=3, now=pki.now)['retire']] == [old.thumbprint]
    early = plan_retire(stores, {}, grace_days=3, now=pki.now - datetime.timedelta(seconds=1))
    assert early['retire'] == [] and early['kept'][0]['reason'].startswith('grace period')


@pytest.mark.parametrize('which', ['another CA', 'a CA certificate'])
def test_a_certificate_named_in_thumbprints_that_is_no_hongkong_post_server_certificate_is_refused(pki, old, new,
                                                                                                   which):
    named = pki.issue_leaf('a.example.hk', sans=NAMES, issuer=pki.foreign_root,
                           not_before=pki.now - 400 * DAY) if which == 'another CA' else pki.ssl_new
    stores = {'My': [raw(old), raw(new)], 'WebHosting': [raw(named)]}
    with pytest.raises(HkpostError, match='not a Hongkong Post server certificate'):
        plan_retire(stores, {}, thumbprints=[named.thumbprint], now=pki.now)
    # Not named, it is simply never a candidate: neither retired nor reported as kept.
    decision = plan_retire(stores, {}, now=pki.now)
    assert [r['thumbprint'] for r in decision['retire']] == [old.thumbprint] and decision['kept'] == []


def test_a_certificate_named_in_thumbprints_that_is_not_on_the_host_is_refused(pki, old, new):
    with pytest.raises(HkpostError, match='certificate\\(s\\) %s are not in LocalMachine' % ('F' * 40)):
        plan_retire({'My': [raw(old), raw(new)]}, {}, thumbprints=['f' * 40], now=pki.now)
