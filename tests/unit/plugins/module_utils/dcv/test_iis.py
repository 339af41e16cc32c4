# -*- coding: utf-8 -*-
"""Which IIS site answers a name, and what changes in its validation directory."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _iis as _dcv_iis
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError


def site(name, id_, bindings, path='C:\\inetpub\\wwwroot', state='Started', mime='text/plain', files=None):
    return {'name': name, 'id': id_, 'state': state, 'physical_path': path, 'physical_path_expanded': path,
            'bindings': [{'protocol': p, 'binding_information': b} for p, b in bindings], 'txt_mime': mime,
            'files': files or {'fileauth_base64': None, 'web_config': {'exists': False, 'ours': False}}}


SITES = [
    site('Default Web Site', 1, [('http', '*:80:')]),
    site('shop', 2, [('http', '*:80:shop.example.com'), ('https', '*:443:shop.example.com')], path='D:\\shop'),
    site('wild', 3, [('https', '*:443:*.apps.example.com')], path='D:\\apps'),
    site('stopped', 4, [('http', '*:80:old.example.com')], path='D:\\old', state='Stopped'),
    site('ftp', 5, [('ftp', '*:21:ftp.example.com')], path='D:\\ftp'),
    site('v6', 6, [('http', '[::1]:80:v6.example.com')], path='D:\\v6'),
]


@pytest.mark.parametrize('name,expected,reason', [
    ('shop.example.com', ['shop'], 'host header'),
    ('a.apps.example.com', ['wild'], 'wildcard host header'),
    ('b.a.apps.example.com', ['Default Web Site'], 'default site'),
    ('old.example.com', ['Default Web Site'], 'default site'),
    ('ftp.example.com', ['Default Web Site'], 'default site'),
    ('v6.example.com', ['v6'], 'host header'),
    ('other.example.com', ['Default Web Site'], 'default site'),
])
def test_sites_for(name, expected, reason):
    sites, why = _dcv_iis.sites_for(name, SITES)
    assert [s['name'] for s in sites] == expected
    assert why == reason


def test_no_site_answers():
    with pytest.raises(HkpostError, match='no IIS site answers www.example.com'):
        _dcv_iis.sites_for('www.example.com', [SITES[1]])


def test_unexpanded_path_refused():
    with pytest.raises(HkpostError, match='does not expand'):
        _dcv_iis.directory_of({'name': 'x', 'physical_path': '%NOPE%\\x', 'physical_path_expanded': '%NOPE%\\x'})


def names(*ascii_names):
    return [{'name': n, 'ascii_name': n, 'record_name': n} for n in ascii_names]


def test_plan_writes_once_per_directory_and_no_web_config_when_txt_is_text_plain():
    per_name, work, _warnings = _dcv_iis.plan_iis({'sites': SITES}, names('a.example.com', 'b.example.com'),
                                                  'CODE', True)
    assert [w['directory'] for w in work] == ['C:\\inetpub\\wwwroot\\.well-known\\pki-validation']
    assert work[0]['write_file'] and not work[0]['write_web_config']
    assert per_name['a.example.com'][0]['path'] == 'C:\\inetpub\\wwwroot\\.well-known\\pki-validation\\fileauth.txt'


def test_plan_web_config_only_when_txt_is_not_text_plain():
    sites = [site('Default Web Site', 1, [('http', '*:80:')], mime=None)]
    _per, work, _w = _dcv_iis.plan_iis({'sites': sites}, names('a.example.com'), 'CODE', True)
    assert work[0]['write_web_config']


def test_plan_refuses_foreign_web_config_when_one_is_needed():
    files = {'fileauth_base64': None, 'web_config': {'exists': True, 'ours': False}}
    sites = [site('Default Web Site', 1, [('http', '*:80:')], mime='application/octet-stream', files=files)]
    with pytest.raises(HkpostError, match='was not written by this module'):
        _dcv_iis.plan_iis({'sites': sites}, names('a.example.com'), 'CODE', True)


def test_plan_idempotent_and_absent_removes_only_ours():
    files = {'fileauth_base64': base64.b64encode(b'CODE').decode(), 'web_config': {'exists': True, 'ours': True}}
    sites = [site('Default Web Site', 1, [('http', '*:80:')], mime='', files=files)]
    assert _dcv_iis.plan_iis({'sites': sites}, names('a.example.com'), 'CODE', True)[1] == []
    _per, work, _w = _dcv_iis.plan_iis({'sites': sites}, names('a.example.com'), 'CODE', False)
    assert work[0]['remove_file'] and work[0]['remove_web_config']
    files['web_config']['ours'] = False
    files['fileauth_base64'] = base64.b64encode(b'OTHER').decode()
    _per, work, warnings = _dcv_iis.plan_iis({'sites': sites}, names('a.example.com'), 'CODE', False)
    assert work == [] and 'holds another code' in warnings[0]
