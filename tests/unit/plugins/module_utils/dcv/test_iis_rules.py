# -*- coding: utf-8 -*-
"""Where IIS serves a validation file (dcv._iis): rules the mutation run (issue 21) found unpinned, one test per
rule."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _iis
from tests.unit.plugins.module_utils.dcv.test_iis import names, site

CODE = 'HKP-CODE'


@pytest.mark.parametrize('information, parsed', [
    ('*:443:', ('*', 443, '')),
    ('[::1]:80:v6.example.com', ('[::1]', 80, 'v6.example.com')),
    ('10.0.0.1:8080:WWW.Example.com.', ('10.0.0.1', 8080, 'www.example.com')),
    ('*:x:www.example.com', ('*', None, 'www.example.com')),
    ('garbage', ('*', None, '')),
    ('a:b', ('*', None, '')),
])
def test_a_binding_is_ip_port_host_with_the_host_lower_case_without_its_root_dot(information, parsed):
    assert _iis.parse_binding(information) == parsed


def test_a_binding_protocol_is_matched_without_case_and_a_site_without_state_is_running():
    sites = [{'name': 'A', 'id': 7, 'bindings': [{'protocol': 'HTTP', 'binding_information': '*:80:a.example.com'}]}]
    assert _iis.sites_for('a.example.com', sites) == (sites, 'host header')
    sites[0]['state'] = 'STOPPED'
    with pytest.raises(HkpostError, match='no IIS site answers a.example.com'):
        _iis.sites_for('a.example.com', sites)


def test_a_site_without_bindings_answers_nothing():
    with pytest.raises(HkpostError, match='no IIS site answers'):
        _iis.sites_for('a.example.com', [{'name': 'A', 'id': 1, 'bindings': None}])


def test_every_site_with_the_host_header_answers():
    sites = [site('one', 2, [('http', '*:80:a.example.com')]), site('two', 3, [('https', '*:443:a.example.com')]),
             site('Default Web Site', 1, [('http', '*:80:')])]
    assert [s['name'] for s in _iis.sites_for('a.example.com', sites)[0]] == ['one', 'two']


def test_a_wildcard_host_header_covers_one_label_only_and_not_the_bare_domain():
    sites = [site('wild', 2, [('http', '*:80:*.example.com')]), site('Default Web Site', 1, [('http', '*:80:')])]
    assert _iis.sites_for('a.example.com', sites)[1] == 'wildcard host header'
    assert _iis.sites_for('a.b.example.com', sites)[1] == 'default site'
    assert _iis.sites_for('example.com', sites)[1] == 'default site'
    assert _iis.sites_for('aexample.com', sites)[1] == 'default site'


def test_only_a_blank_host_header_on_port_80_or_443_is_a_default_site():
    sites = [site('alt', 5, [('http', '*:8080:')])]
    with pytest.raises(HkpostError, match='no IIS site answers'):
        _iis.sites_for('a.example.com', sites)
    assert _iis.sites_for('a.example.com', [site('tls', 5, [('https', '*:443:')])])[1] == 'default site'


def test_the_default_site_is_the_one_named_so_or_with_id_1_else_the_lowest_id():
    blank = [('http', '*:80:')]
    assert [s['name'] for s in _iis.sites_for('a.example.com', [site('x', 9, blank), site('Default Web Site', 4, blank)])[0]] \
        == ['Default Web Site']
    assert [s['name'] for s in _iis.sites_for('a.example.com', [site('x', 9, blank), site('first', 1, blank)])[0]] == ['first']
    assert [s['name'] for s in _iis.sites_for('a.example.com', [site('x', 9, blank), site('y', 5, blank),
                                                                site('z', 7, blank)])[0]] == ['y']
    nameless = [dict(site('x', 9, blank), id=None), site('y', 5, blank)]
    assert [s['name'] for s in _iis.sites_for('a.example.com', nameless)[0]] == ['x']


@pytest.mark.parametrize('path', ['', None])
def test_a_site_without_a_physical_path_is_refused(path):
    with pytest.raises(HkpostError, match='does not expand to a directory'):
        _iis.directory_of({'name': 'x', 'physical_path': path, 'physical_path_expanded': path})


def test_the_directory_is_under_the_physical_path_without_a_trailing_backslash():
    assert _iis.directory_of({'physical_path_expanded': 'D:\\www\\'}, _iis.ACME_CHALLENGE) == \
        'D:\\www\\.well-known\\acme-challenge'
    [(_site, place)] = _iis.placements('a.example.com', [site('Default Web Site', 1, [('http', '*:80:')], path='D:\\w')],
                                       file_name='tok')
    assert place == {'site': 'Default Web Site', 'reason': 'default site',
                     'directory': 'D:\\w\\.well-known\\pki-validation', 'path': 'D:\\w\\.well-known\\pki-validation\\tok'}


def _files(content=None, exists=False, ours=False):
    return {'fileauth_base64': base64.b64encode(content).decode() if content is not None else None,
            'web_config': {'exists': exists, 'ours': ours}}


def test_the_same_directory_in_another_case_is_one_work_item():
    sites = [site('a', 2, [('http', '*:80:a.example.com')], path='D:\\Web'),
             site('b', 3, [('http', '*:80:b.example.com')], path='d:\\web')]
    _per, work, _w = _iis.plan_iis({'sites': sites}, names('a.example.com', 'b.example.com'), CODE, True)
    assert [w['directory'] for w in work] == ['D:\\Web\\.well-known\\pki-validation'] and work[0]['site'] == 'a'


def test_no_sites_read_means_no_site_answers():
    with pytest.raises(HkpostError, match='no IIS site answers'):
        _iis.plan_iis({}, names('a.example.com'), CODE, True)
    assert _iis.plan_iis({}, [], CODE, True) == ({}, [], [])


def test_present_writes_the_file_only_when_its_content_differs():
    sites = [site('Default Web Site', 1, [('http', '*:80:')], files=_files(CODE.encode()))]
    assert _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, True)[1] == []
    sites = [site('Default Web Site', 1, [('http', '*:80:')], files=_files(b'OLD'))]
    [item] = _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, True)[1]
    assert item == {'directory': 'C:\\inetpub\\wwwroot\\.well-known\\pki-validation', 'site': 'Default Web Site',
                    'write_file': True, 'write_web_config': False, 'remove_file': False, 'remove_web_config': False}


def test_a_txt_mime_type_is_compared_without_case():
    sites = [site('Default Web Site', 1, [('http', '*:80:')], mime='Text/Plain', files=_files(None, True, False))]
    [item] = _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, True)[1]
    assert item['write_file'] and not item['write_web_config']


def test_our_web_config_already_there_is_kept_not_rewritten():
    sites = [site('Default Web Site', 1, [('http', '*:80:')], mime=None, files=_files(CODE.encode(), True, True))]
    assert _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, True)[1] == []
    sites[0]['files'] = None
    [item] = _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, True)[1]
    assert item['write_file'] and item['write_web_config']


def test_absent_removes_our_code_even_with_a_line_end_and_leaves_the_rest():
    sites = [site('Default Web Site', 1, [('http', '*:80:')], files=_files(CODE.encode() + b'\r\n', True, False))]
    _per, [item], warnings = _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, False)
    assert item['remove_file'] and not item['remove_web_config'] and warnings == []
    sites[0]['files'] = _files(None, True, True)
    _per, [item], warnings = _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, False)
    assert not item['remove_file'] and item['remove_web_config'] and warnings == []
    sites[0]['files'] = _files(None, False, True)
    assert _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, False) == (
        {'a.example.com': [{'site': 'Default Web Site', 'reason': 'default site',
                            'directory': 'C:\\inetpub\\wwwroot\\.well-known\\pki-validation',
                            'path': 'C:\\inetpub\\wwwroot\\.well-known\\pki-validation\\fileauth.txt'}]}, [], [])


def test_the_web_config_serves_the_extension_as_text_plain_with_asp_net_only_when_asked():
    text = _iis.web_config('note', '.', asp_net=False)
    assert '<!-- note -->' in text and 'fileExtension="."' in text and '<system.web>' not in text
    assert '<system.web>' in _iis.web_config('note', '.txt') and _iis.WEB_CONFIG_MARKER in _iis.WEB_CONFIG


def test_the_default_site_by_name_wins_over_a_lower_id():
    blank = [('http', '*:80:')]
    sites = [site('x', 3, blank), site('Default Web Site', 9, blank)]
    assert [s['name'] for s in _iis.sites_for('a.example.com', sites)[0]] == ['Default Web Site']


def test_the_site_with_id_1_wins_over_one_without_an_id():
    blank = [('http', '*:80:')]
    sites = [dict(site('nameless', 0, blank), id=None), site('first', 1, blank)]
    assert [s['name'] for s in _iis.sites_for('a.example.com', sites)[0]] == ['first']
    both = [site('first', 1, blank), site('Default Web Site', 2, blank)]
    assert [s['name'] for s in _iis.sites_for('a.example.com', both)[0]] == ['first', 'Default Web Site']


@pytest.mark.parametrize('mime, shown', [('', "'nothing'"), ('application/octet-stream', "'application/octet-stream'")])
def test_a_foreign_web_config_refusal_names_what_txt_is_served_as(mime, shown):
    sites = [site('Default Web Site', 1, [('http', '*:80:')], mime=mime, files=_files(None, True, False))]
    with pytest.raises(HkpostError, match=r'IIS site Default Web Site serves \.txt as %s and ' % shown):
        _iis.plan_iis({'sites': sites}, names('a.example.com'), CODE, True)
