# -*- coding: utf-8 -*-
"""plan_completion: which pending request an issued certificate completes (issue 14)."""

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._complete import (
    default_friendly_name, plan_completion)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info

UTC = datetime.timezone.utc


def entry(issued, has_key=True):
    return dict(cert_info(issued.cert), has_private_key=has_key, friendly_name='', store='REQUEST')


def test_pending_request_without_its_key_is_refused(pki):
    leaf = pki.leaves['standard']
    with pytest.raises(HkpostError, match='matches no pending request') as err:
        plan_completion(cert_info(leaf.cert), [entry(leaf, has_key=False)], [], now=pki.now)
    assert 'Nothing was changed' in str(err.value) and leaf.thumbprint in str(err.value)


def test_pending_request_with_its_key_is_accepted(pki):
    leaf = pki.leaves['standard']
    other = entry(pki.leaves['ev'])
    plan = plan_completion(cert_info(leaf.cert), [other, entry(leaf)], [], now=pki.now)
    assert plan['action'] == 'accept' and plan['request']['sha1'] == leaf.thumbprint and plan['warnings'] == []


def test_already_installed_with_key_is_nothing_to_do_without_key_is_a_hint(pki):
    leaf = pki.leaves['standard']
    plan = plan_completion(cert_info(leaf.cert), [], [entry(pki.leaves['ev']), entry(leaf)], now=pki.now)
    assert plan['action'] == 'none' and plan['installed']['sha1'] == leaf.thumbprint
    with pytest.raises(HkpostError, match='WITHOUT its private key'):
        plan_completion(cert_info(leaf.cert), [], [entry(leaf, has_key=False)], now=pki.now)
    with pytest.raises(HkpostError) as err:
        plan_completion(cert_info(leaf.cert), [], [], now=pki.now)
    assert 'WITHOUT' not in str(err.value) and 'LocalMachine\\REQUEST: none' in str(err.value)


def test_warnings_and_refusals(pki):
    expired = pki.leaves['expired']
    with pytest.raises(HkpostError, match='expired on'):
        plan_completion(cert_info(expired.cert), [entry(expired)], [], now=pki.now)
    future = pki.issue_leaf('later.example.hk', not_before=pki.now + datetime.timedelta(days=2), slot='leaf-later')
    plan = plan_completion(cert_info(future.cert), [entry(future)], [], now=pki.now)
    assert any('is not valid before' in w for w in plan['warnings'])
    foreign = pki.leaves['foreign']
    plan = plan_completion(cert_info(foreign.cert), [entry(foreign)], [], now=pki.now)
    assert any('not by a Hongkong Post intermediate' in w for w in plan['warnings'])
    assert default_friendly_name(cert_info(foreign.cert)).startswith('Hongkong Post e-Cert www.example.com (expires ')


def test_default_friendly_name_carries_the_expiry_day(pki):
    info = cert_info(pki.leaves['standard'].cert)
    assert default_friendly_name(info) == 'Hongkong Post e-Cert www.example.hk (expires %s)' % info['not_after'][:10]
    assert len(default_friendly_name(info)) == len('Hongkong Post e-Cert www.example.hk (expires YYYY-MM-DD)')
