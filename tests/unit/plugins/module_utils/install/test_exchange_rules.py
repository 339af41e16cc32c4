# -*- coding: utf-8 -*-
"""The Exchange decisions of install/_exchange.py as plain data, one rule per test (issue 21, mutation survivors).

Certificates are the described dicts the module takes (sha1, names, dates, status, services); no PKI is needed to
say which services move, which certificate is superseded or kept, and what is refused.
"""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import (
    check_connection_uri, enable_parameters, exchange_subject, find_pending_request, parse_services, plan_enabled,
    plan_present, product, refuse_wildcard_for_pop_imap, reported_services, rollback_assignment, superseded_by,
    verify_server_name)

NEW, OLD, OTHER, PENDING = 'N' * 40, 'O' * 40, 'X' * 40, 'P' * 40
NAMES = ['mail.example.hk', 'autodiscover.example.hk']


def cert(sha1, not_before='2026-06-01T00:00:00Z', names=tuple(NAMES), services=(), status='Valid', key=True, hkpost=True,
         role='leaf', spki='spki-' + 'n', cn=None):
    return {'sha1': sha1, 'subject': 'CN=%s' % (cn or names[0]), 'subject_cn': cn or names[0], 'dns_names': list(names),
            'not_before': not_before, 'not_after': '2099-01-01T00:00:00Z', 'status': status,
            'services': None if services is None else set(services), 'has_private_key': key, 'is_hkpost': hkpost,
            'role': role, 'spki_sha256': spki, 'friendly_name': ''}


LEAF = cert(NEW, not_before='2026-11-01T00:00:00Z')


def present(certificates, services, **kwargs):
    return plan_present(LEAF, certificates, set(services), **kwargs)


# ---- parsing what Exchange says -----------------------------------------------------------------------------

def test_services_parse_in_any_case_and_separator_and_none_means_no_service():
    assert parse_services('imap pop,IIS,  umcallrouter') == {'IMAP', 'POP', 'IIS', 'UMCallRouter'}
    assert parse_services('') == set() and parse_services(None) == set()
    assert parse_services(['SMTP', 'None', '']) == {'SMTP'}
    with pytest.raises(HkpostError, match='Exchange service "WEB" is not one of IIS, SMTP'):
        parse_services('IIS, WEB')


@pytest.mark.parametrize('raw, services', [
    ({'status': 'Valid', 'services': 'SMTP, IIS'}, ['IIS', 'SMTP']),
    ({'status': 'Valid', 'services': 'None'}, []),
    ({'status': None, 'services': 'IIS'}, None),
    ({'status': '', 'services': 'IIS'}, None),
    ({'status': 'Valid', 'services': None}, None),
    ({'status': 'Valid', 'services': ''}, None),
])
def test_an_empty_status_or_services_is_unknown_never_no_service(raw, services):
    assert reported_services(raw) == services


@pytest.mark.parametrize('version, name, build', [
    ('Version 15.0 (Build 1497.2)', 'Exchange Server 2013', 1497),
    ('Version 15.1 (Build 2507.6)', 'Exchange Server 2016', 2507),
    ('Version 15.2 (Build 2561.1)', 'Exchange Server 2019', 2561),
    ('Version 15.2 (Build 2562.17)', 'Exchange Server Subscription Edition', 2562),
    ('Version 16.0 (Build 1.0)', 'Exchange 16.0', 1),
])
def test_the_product_is_named_by_major_minor_and_the_subscription_edition_by_build(version, name, build):
    found = product(version)
    assert (found['product'], found['build']) == (name, build)


# ---- what may be enabled --------------------------------------------------------------------------------------

@pytest.mark.parametrize('services, refused', [({'IMAP'}, 'IMAP'), ({'POP', 'IIS'}, 'POP'),
                                               ({'IMAP', 'POP'}, 'IMAP/POP')])
def test_a_wildcard_is_refused_for_pop_and_imap_naming_them(services, refused):
    wildcard = cert(NEW, names=['*.example.hk'])
    with pytest.raises(HkpostError, match='wildcard certificate .* for %s:' % refused):
        refuse_wildcard_for_pop_imap(wildcard, services)


def test_a_wildcard_for_iis_and_smtp_and_a_named_certificate_for_imap_are_allowed():
    refuse_wildcard_for_pop_imap(cert(NEW, names=['*.example.hk']), {'IIS', 'SMTP'})
    refuse_wildcard_for_pop_imap(cert(NEW), {'IMAP', 'POP'})


# ---- plan_present ---------------------------------------------------------------------------------------------

def test_an_installed_certificate_with_its_key_is_enabled_only_for_what_it_lacks():
    installed = cert(NEW, not_before=LEAF['not_before'], services={'IIS'})
    assert present([installed], {'IIS'})['steps'] == []
    assert present([installed], {'IIS', 'SMTP'})['steps'] == [{'step': 'enable', 'services': ['IIS', 'SMTP']}]


def test_an_entry_without_its_key_or_still_pending_is_not_installed_and_needs_its_request():
    for entry in (cert(NEW, key=False, services={'IIS'}),
                  cert(NEW, status='PendingRequest', services={'IIS'}, spki='another key')):
        with pytest.raises(HkpostError, match='matches no pending request on this Exchange server'):
            present([entry], {'IIS'})
    with pytest.raises(HkpostError, match='Pending requests: none'):
        present([cert(NEW, key=False)], {'IIS'})


def test_a_pending_request_for_the_key_imports_then_enables():
    pending = cert(PENDING, status='PendingRequest', spki=LEAF['spki_sha256'], services=())
    assert present([pending], {'SMTP', 'IIS'})['steps'] == [
        {'step': 'import'}, {'step': 'enable', 'services': ['IIS', 'SMTP']}]


def test_a_pending_request_for_another_key_is_listed_in_the_refusal():
    pending = cert(PENDING, status='PendingRequest', spki='another', services=())
    with pytest.raises(HkpostError, match='Pending requests: mail.example.hk .*SPKI SHA-256 another'):
        present([pending], {'IIS'})


def test_enabling_moves_single_certificate_services_off_others_and_leaves_smtp():
    installed = cert(NEW, not_before=LEAF['not_before'], services={'SMTP'})
    other = cert(OTHER, names=['intranet.example.hk'], services={'IIS', 'POP', 'SMTP'})
    unknown = cert(OLD, names=['old.example.hk'], services=None)
    decision = present([installed, other, unknown], {'IIS', 'SMTP'})
    assert decision['services_after'] == {NEW: ['IIS', 'SMTP'], OTHER: ['POP', 'SMTP'], OLD: None}


def test_an_older_certificate_for_the_same_names_serving_nothing_more_is_superseded_and_removed_only_when_asked():
    installed = cert(NEW, not_before=LEAF['not_before'], services={'IIS', 'SMTP'})
    old = cert(OLD, services={'IIS', 'SMTP'})
    decision = present([installed, old], {'IIS', 'SMTP'})
    assert decision['superseded'] == [OLD] and decision['steps'] == [] and decision['kept'] == []
    asked = present([installed, old], {'IIS', 'SMTP'}, remove_superseded=True)
    assert asked['steps'] == [{'step': 'remove', 'thumbprint': OLD}]


def test_an_older_certificate_still_serving_a_service_or_with_unknown_services_is_kept():
    installed = cert(NEW, not_before=LEAF['not_before'], services={'IIS', 'SMTP'})
    decision = present([installed, cert(OLD, services={'IIS', 'SMTP', 'POP'})], {'IIS', 'SMTP'},
                       remove_superseded=True)
    assert decision['kept'] == [{'thumbprint': OLD, 'reason': 'still serves POP'}] and decision['steps'] == []
    unknown = present([installed, cert(OLD, services=None)], {'IIS', 'SMTP'}, remove_superseded=True)
    assert unknown['superseded'] == [] and unknown['kept'][0]['reason'].startswith('Exchange did not report')


@pytest.mark.parametrize('which', ['same moment', 'newer', 'some names', 'not Hongkong Post', 'not a leaf',
                                   'pending', 'no names'])
def test_only_an_older_hongkong_post_leaf_for_names_the_new_one_covers_can_be_superseded(which):
    old = {'same moment': cert(OLD, not_before=LEAF['not_before']),
           'newer': cert(OLD, not_before='2026-12-01T00:00:00Z'),
           'some names': cert(OLD, names=NAMES + ['extra.example.hk']),
           'not Hongkong Post': cert(OLD, hkpost=False),
           'not a leaf': cert(OLD, role='intermediate'),
           'pending': cert(OLD, status='PendingRequest'),
           'no names': dict(cert(OLD), dns_names=[], subject_cn='')}[which]
    after = {NEW: {'IIS', 'SMTP'}, OLD: set()}
    assert superseded_by(LEAF, [old], after) == ([], [])


def test_the_new_certificate_itself_is_never_superseded():
    assert superseded_by(LEAF, [dict(LEAF, services=set())], {NEW: set()}) == ([], [])


def test_a_certificate_without_an_after_entry_is_unknown_and_kept():
    superseded, kept = superseded_by(LEAF, [cert(OLD, services={'SMTP'})], {NEW: {'SMTP'}})
    assert superseded == [] and kept[0]['thumbprint'] == OLD


# ---- the rest of the module -----------------------------------------------------------------------------------

def test_the_subject_quotes_values_with_special_characters_or_outer_spaces():
    assert exchange_subject([('ST', 'Hong Kong'), ('O', ' Padded'), ('OU', 'a+b'), ('L', 'x;y'), ('CN', 'm.hk')]) == \
        'S=Hong Kong, O=" Padded", OU="a+b", L="x;y", CN=m.hk'


def test_a_pending_request_is_found_by_its_common_name_in_any_case():
    pending = cert(PENDING, status='PendingRequest', cn='Mail.Example.HK')
    assert find_pending_request([cert(OLD), pending], 'mail.example.hk') is pending
    assert find_pending_request([cert(OLD, cn='mail.example.hk')], 'mail.example.hk') is None


def test_the_rollback_gives_single_certificate_services_back_to_their_previous_holders_not_smtp():
    holders = [LEAF, cert(OLD, services={'IIS', 'POP', 'SMTP'}), cert(OTHER, services={'SMTP'}),
               cert(PENDING, status='PendingRequest', services={'IIS'}), cert('U' * 40, services=None)]
    assert rollback_assignment(LEAF, holders, {'IIS', 'POP', 'SMTP'}) == [
        {'thumbprint': OLD, 'services': ['IIS', 'POP']}]


def test_the_name_to_verify_is_the_first_plain_name_or_the_server_a_wildcard_covers():
    assert verify_server_name(cert(NEW, names=['*.example.hk', 'mail.example.hk'])) == 'mail.example.hk'
    wildcard = cert(NEW, names=['*.example.hk'])
    assert verify_server_name(wildcard, 'MAIL1.example.hk') == 'mail1.example.hk'
    assert verify_server_name(wildcard, 'mail1.corp.example.hk') is None
    assert verify_server_name(wildcard) is None


def test_enabling_an_installed_certificate_needs_it_installed_with_its_key_and_adds_only_what_it_lacks():
    installed = cert(NEW, services={'IIS'})
    assert plan_enabled(NEW, [installed], {'IIS'})['steps'] == []
    assert plan_enabled(NEW, [installed], {'SMTP'})['steps'] == [{'step': 'enable', 'services': ['SMTP']}]
    with pytest.raises(HkpostError, match='is not an installed Exchange certificate on this server; installed: none'):
        plan_enabled(NEW, [cert(NEW, status='PendingRequest')], {'IIS'})
    with pytest.raises(HkpostError, match='installed: mail.example.hk \\(thumbprint O+'):
        plan_enabled(NEW, [cert(OLD)], {'IIS'})
    with pytest.raises(HkpostError, match='has no private key on this server'):
        plan_enabled(NEW, [cert(NEW, key=False)], {'IIS'})
    with pytest.raises(HkpostError, match='wildcard certificate'):
        plan_enabled(NEW, [cert(NEW, names=['*.example.hk'])], {'IMAP'})


def test_the_certificate_travels_only_with_an_import_and_nothing_is_sent_for_no_step():
    assert enable_parameters(NEW, b'\x30\x01', []) is None
    assert enable_parameters(NEW, b'\x30\x01', [{'step': 'remove', 'thumbprint': OLD}]) is None
    assert enable_parameters(NEW, b'\x30\x01', [{'step': 'enable', 'services': ['IIS']}]) == {
        'Thumbprint': NEW, 'Services': ['IIS']}
    assert enable_parameters(NEW, b'\x30\x01', [{'step': 'import'}]) == {
        'Thumbprint': NEW, 'Services': [], 'CertificateBase64': 'MAE='}


# ---- what Exchange may leave out (second mutation round) --------------------------------------------------------

@pytest.mark.parametrize('uri', [None, 443, 'ftp://mail.example.hk/PowerShell/', 'http:///PowerShell/',
                                 'mail.example.hk/PowerShell/', '//mail.example.hk/PowerShell/'])
def test_a_connection_uri_must_be_an_http_url_with_a_host(uri):
    with pytest.raises(HkpostError, match='is not an http\\(s\\) URL'):
        check_connection_uri(uri)


def test_a_connection_uri_is_accepted_in_any_scheme_case_and_trimmed_but_not_with_a_bad_port():
    assert check_connection_uri(' HTTPS://mail1.example.hk/PowerShell/ ') == 'HTTPS://mail1.example.hk/PowerShell/'
    with pytest.raises(HkpostError, match='has a port that is not 1-65535'):
        check_connection_uri('http://mail1.example.hk:99999/PowerShell/')


def test_no_version_is_an_unrecognised_product_not_a_crash():
    assert product(None)['product'] == 'Exchange (version not recognised)'


def test_a_certificate_without_a_common_name_is_no_wildcard():
    refuse_wildcard_for_pop_imap(dict(cert(NEW), subject_cn=None), {'IMAP'})


def test_services_exchange_did_not_report_are_enabled_in_full():
    installed = cert(NEW, not_before=LEAF['not_before'], services=None)
    assert present([installed], {'IIS'})['steps'] == [{'step': 'enable', 'services': ['IIS']}]
    assert plan_enabled(NEW, [cert(NEW, services=None)], {'SMTP'})['steps'] == [
        {'step': 'enable', 'services': ['SMTP']}]


def test_a_certificate_whose_reported_services_are_unknown_is_kept_whatever_the_plan_says():
    superseded, kept = superseded_by(LEAF, [cert(OLD, services=None)], {NEW: {'SMTP'}, OLD: set()})
    assert superseded == [] and kept[0]['reason'].startswith('Exchange did not report')


def test_a_pending_request_for_another_name_or_without_one_is_not_reused():
    others = [cert(PENDING, status='PendingRequest', cn='intranet.example.hk'),
              dict(cert(OTHER, status='PendingRequest'), subject_cn=None)]
    assert find_pending_request(others, 'mail.example.hk') is None


def test_the_new_certificate_is_not_its_own_previous_holder():
    holders = [dict(LEAF, services={'IIS'}), cert(OLD, services={'IIS'})]
    assert rollback_assignment(LEAF, holders, {'IIS'}) == [{'thumbprint': OLD, 'services': ['IIS']}]
