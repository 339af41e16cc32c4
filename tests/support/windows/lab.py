# -*- coding: utf-8 -*-
"""The install lab: an IIS server and an Exchange 2010 server waiting for their certificates.

Shared by the install playbook tests (tests/integration/install) and the acceptance suite
(tests/acceptance), which run install.yml, backup.yml and restore.yml on it:

    lab = install_lab(pki, state_dir, files_dir)            # hosts saved, operator's files written
    inventory hosts: lab.host_vars(site_port)               # web1 and ex1, bound to a served site's port
    group vars:      lab.chain_vars()                       # the lab hierarchy instead of the shipped one

web1: Windows Server 2022 (build 20348: AES-256 PFX), IIS "Default Web Site" on http only, a pending
request for www.example.hk. ex1: Exchange 2010 on Server 2008 R2 (build 7601: 3DES PFX), a pending
request for mail.example.hk. The files are what the operator downloaded from the portal: www.cer as
Windows tools save PEM (byte order mark, CRLF), mail.cer as DER.
"""

from __future__ import annotations

import os

from tests.support.windows.certstore import pending_entry
from tests.support.windows.exchange import add_pending
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site
from tests.support.winrm.hoststate import save_host


class InstallLab:
    def __init__(self, pki, state_dir, files_dir, extra_hosts=None):
        self.state = state_dir
        self.files = files_dir
        self.www = pki.leaves['standard']
        self.mail = pki.issue_leaf('mail.example.hk', sans=['mail.example.hk'])
        web1 = FakeWindowsHost(os_build=20348)
        web1.stores['REQUEST'].append(pending_entry(self.www.key, 'www.example.hk', 'www request'))
        add_site(web1, 'Default Web Site', [('http', '*:80:', 0)])
        ex1 = FakeWindowsHost(os_build=7601)
        add_pending(ex1, self.mail.key, 'mail.example.hk')
        ex1.state['exchange']['version'] = 'Version 14.3 (Build 123.4)'
        os.makedirs(str(state_dir), exist_ok=True)
        for name, host in dict({'web1': web1, 'ex1': ex1}, **(extra_hosts or {})).items():
            save_host(state_dir, name, host)
        os.makedirs(str(files_dir), exist_ok=True)
        self.root_file = self._write('root.pem', pki.root.pem.encode())
        self.ssl_file = self._write('ssl.pem', pki.ssl_new.pem.encode())
        self.www_file = self._write('www.cer', b'\xef\xbb\xbf' + self.www.pem.replace('\n', '\r\n').encode())
        self.mail_file = self._write('mail.cer', self.mail.der)

    def _write(self, name, data):
        path = os.path.join(str(self.files), name)
        with open(path, 'wb') as handle:
            handle.write(data)
        return path

    def chain_vars(self):
        """The chain role's inputs: the lab hierarchy instead of the shipped Hongkong Post certificates."""
        return {'hkpost_chain_root_certificate_file': self.root_file,
                'hkpost_chain_ssl_intermediate_file': self.ssl_file}

    def host_vars(self, site_port=None):
        """web1's and ex1's install variables; with ``site_port``, web1 binds www.example.hk on it."""
        web1 = {'hkpost_platform': 'iis', 'hkpost_iis_certificate_file': self.www_file,
                'hkpost_iis_verify_trust': self.root_file}
        if site_port:
            web1['hkpost_iis_bindings'] = [{'site': 'Default Web Site', 'host_header': 'www.example.hk',
                                            'port': site_port}]
        ex1 = {'hkpost_platform': 'exchange', 'hkpost_exchange_certificate_file': self.mail_file,
               'hkpost_exchange_verify': False}  # the role checks port 443, which a test may not bind
        return {'web1': web1, 'ex1': ex1}


def install_lab(pki, state_dir, files_dir, extra_hosts=None):
    return InstallLab(pki, state_dir, files_dir, extra_hosts)
