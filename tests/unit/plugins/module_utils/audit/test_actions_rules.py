# -*- coding: utf-8 -*-
"""audit/_actions: which advice each finding gets (issue 21, mutation survivors). A leaf is renewed, an
intermediate is replaced; days are counted in words an operator reads ("1 day", "3 days"); the mail protocol a
STARTTLS finding names is the endpoint's."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._actions import action_for


@pytest.mark.parametrize('code, role, days, sentence', [
    ('ok', 'leaf', None, 'Nothing to do.'),
    ('expiring', 'leaf', None, 'Renew before it expires (renew.yml takes the to-renew list).'),
    ('expiring', 'leaf', 1, 'Renew: the certificate expires in 1 day (renew.yml takes the to-renew list).'),
    ('expiring', 'leaf', 0, 'Renew: the certificate expires in 0 days (renew.yml takes the to-renew list).'),
    ('expiring', 'leaf', 2, 'Renew: the certificate expires in 2 days (renew.yml takes the to-renew list).'),
    ('expiring', 'intermediate', 1,
     'Install the current intermediate from Hongkong Post: the one this server sends expires in 1 day.'),
    ('expiring', 'intermediate', None,
     'Install the current intermediate from Hongkong Post before the one this server sends expires.'),
    ('expiring', 'intermediate', 0,
     'Install the current intermediate from Hongkong Post: the one this server sends expires in 0 days.'),
    ('expired', 'leaf', None, 'Renew now: clients refuse an expired certificate.'),
    ('expired', 'leaf', 1, 'Renew now: the certificate expired 1 day ago and clients refuse it.'),
    ('expired', 'leaf', 30, 'Renew now: the certificate expired 30 days ago and clients refuse it.'),
])
def test_a_leaf_is_renewed_an_intermediate_replaced_and_days_are_counted_in_words(code, role, days, sentence):
    assert action_for(code, role=role, days=days) == sentence


@pytest.mark.parametrize('days', [4, None])
def test_an_expired_intermediate_is_replaced_not_renewed(days):
    text = action_for('expired', role='intermediate', days=days)
    assert text.startswith('Install the current intermediate from Hongkong Post in place of the expired one')


def test_a_missing_intermediate_names_the_issuer_or_says_its_issuer():
    assert action_for('missing_intermediate', issuer='Hongkong Post e-Cert SSL CA 3 - 17').startswith(
        "Install the intermediate 'Hongkong Post e-Cert SSL CA 3 - 17' on this server")
    assert action_for('missing_intermediate').startswith("Install the intermediate 'its issuer' on this server")


@pytest.mark.parametrize('protocol, named', [('smtp', 'SMTP'), ('imap', 'IMAP'), (None, 'MAIL')])
def test_no_starttls_names_the_endpoints_mail_protocol(protocol, named):
    assert action_for('no_starttls', protocol=protocol).startswith('Enable STARTTLS on this %s service' % named)


def test_every_other_code_has_its_fixed_sentence():
    assert action_for('weak_key') == 'Request a new certificate with an RSA 2048-bit key and install it.'
    with pytest.raises(KeyError):
        action_for('no_such_code')
