# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_csr's options, shared by the module (POSIX hosts) and the action plugin (Windows hosts)."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange_hop import SECOND_HOP_CHOICES

CSR_ARGUMENT_SPEC = dict(
    # Required unless list_pending (CSR_REQUIRED_IF): a listing needs no certificate.
    common_name=dict(type='str'),
    certificate_type=dict(type='str', default='standard',
                          choices=['standard', 'multi_domain', 'wildcard', 'ev', 'ev_multi_domain']),
    organization=dict(type='str'),
    organizational_unit=dict(type='str'),
    locality=dict(type='str', default='Hong Kong'),
    state_or_province=dict(type='str', default='Hong Kong'),
    country=dict(type='str', default='HK'),
    key_size=dict(type='int', default=2048),
    subject_alt_names=dict(type='list', elements='str'),
    idn=dict(type='str', default='punycode', choices=['punycode', 'unicode']),
    csr_path=dict(type='path'),
    privatekey_path=dict(type='path'),
    friendly_name=dict(type='str'),
    request_dir=dict(type='str', default='%ProgramData%\\hkpost.ecert\\requests'),
    force=dict(type='bool', default=False),
    list_pending=dict(type='bool', default=False),
    pending_requests=dict(type='dict'),
    # With list_pending: every certificate the host will request, checked before the first is made (issue 22).
    # elements raw: an entry that is not a dictionary is refused by the check in words, not Python's type names
    certificates=dict(type='list', elements='raw'),
    # state: present with certificates - every missing key and CSR of the host in one execution (issue 21)
    state=dict(type='str', choices=['present']),
    platform=dict(type='str', default='iis', choices=['iis', 'exchange']),
    csr_dir=dict(type='path'),
    backup_dir=dict(type='path'),
    backup_password=dict(type='str', no_log=True),
    # platform: exchange - the session options of the exchange_session doc fragment (the action plugin takes
    # plugin_utils/_exchange_session.SESSION_OPTIONS, their one definition, over these)
    server=dict(type='str'),
    connection_uri=dict(type='str'),
    authentication=dict(type='str', default='Kerberos', choices=['Kerberos', 'Negotiate', 'Basic', 'Default']),
    username=dict(type='str'),
    password=dict(type='str', no_log=True),
    second_hop=dict(type='str', choices=list(SECOND_HOP_CHOICES)),
)

CSR_REQUIRED_IF = [('list_pending', False, ('common_name', 'organization'))]

# Options the action plugin handles itself on the controller and never sends to a POSIX host.
CONTROLLER_ONLY = ('csr_path', 'certificates', 'state', 'csr_dir', 'backup_dir', 'backup_password')
WINDOWS_ONLY = ('friendly_name', 'request_dir', 'list_pending', 'pending_requests', 'platform', 'server',
                'connection_uri', 'authentication', 'username', 'password', 'second_hop')
