# -*- coding: utf-8 -*-
"""dcv_iis_read reads what IIS will actually do for the site (issue 10, section 2).

The fake IIS answers Get-WebConfigurationProperty by how the payload calls it: with -Location only
applicationHost.config's <location> tag is seen, not the site's own web.config; a site whose state
cannot be read throws unless the payload reads it inside try (tests/support/windows/dcv.py).
"""

from __future__ import annotations

from xml.etree import ElementTree

from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv._iis import WEB_CONFIG
from tests.support.action_harness import run_action
from tests.support.windows.dcv import iis_file, new_iis
from tests.support.windows.host import FakeWindowsHost

CODE = 'HKP-7f3a9c21d4e8'
DIRECTORY = 'C:\\inetpub\\wwwroot\\.well-known\\pki-validation'


def run(host):
    return run_action(ActionModule, {'method': 'file', 'domains': ['www.example.com'], 'verification_code': CODE,
                                     'verify': False}, host=host, action_name='hkpost.ecert.hkpost_dcv_token')


def site(**extra):
    return dict({'name': 'Default Web Site', 'id': 1, 'physical_path': '%SystemDrive%\\inetpub\\wwwroot',
                 'bindings': [('http', '*:80:')]}, **extra)


def test_a_txt_mapping_removed_in_the_sites_web_config_gets_our_web_config():
    host = FakeWindowsHost()
    # applicationHost.config maps .txt to text/plain; the site's own web.config removes it.
    new_iis(host, [site(txt_mime=None, txt_mime_location='text/plain')])
    run(host)
    assert iis_file(host, DIRECTORY + '\\fileauth.txt') == CODE.encode()
    assert iis_file(host, DIRECTORY + '\\web.config') is not None


def test_a_site_whose_state_cannot_be_read_does_not_fail_the_read():
    host = FakeWindowsHost()
    new_iis(host, [site(txt_mime='text/plain'),
                   {'name': 'broken pool', 'id': 2, 'physical_path': 'D:\\b', 'bindings': [('http', '*:80:b.example.com')],
                    'state': None}])
    assert run(host)['changed']
    assert iis_file(host, DIRECTORY + '\\fileauth.txt') == CODE.encode()


def test_the_validation_web_config_disables_redirects_and_allows_everyone():
    root = ElementTree.fromstring(WEB_CONFIG.split('\r\n', 1)[1])
    server = root.find('system.webServer')
    assert server.find('httpRedirect').get('enabled') == 'false'
    rules = list(server.find('security/authorization'))
    assert [r.tag for r in rules] == ['clear', 'add']
    assert rules[1].attrib == {'accessType': 'Allow', 'users': '*'}
    assert root.find('system.web/authorization/allow').get('users') == '*'
    mime = server.find("staticContent/mimeMap[@fileExtension='.txt']")
    assert mime.get('mimeType') == 'text/plain'
