# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_complete_request: IIS's "Complete Certificate Request", decided on the controller."""

from __future__ import annotations

import base64

from ansible.errors import AnsibleActionFail
from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography.hazmat.primitives import serialization
except ImportError as exc:
    serialization = MissingLibrary('cryptography', exc)


from ansible_collections.hkpost.ecert.plugins.module_utils.install._complete import default_friendly_name, plan_completion
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import describe_entry, refuse_expired, split_leaf
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._controller_input import read_src_or_content


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode('ascii')


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'src': {'type': 'path'},
        'content': {'type': 'str'},
        'friendly_name': {'type': 'str'},
    }
    MUTUALLY_EXCLUSIVE = [['src', 'content']]

    def run_hkpost(self, args, task_vars, result):
        leaf_cert, chain = split_leaf(read_src_or_content(self, args), 'issued certificate')
        leaf = cert_info(leaf_cert)
        refuse_expired(leaf, None, 'the issued certificate')  # decided by the file alone: before the host is read
        state = self.payload(task_vars, 'ecert_store_read', {'StoreNames': ['REQUEST', 'My']})
        stores = state.get('stores') or {}
        pending = [describe_entry(e, 'REQUEST') for e in stores.get('REQUEST') or []]
        installed = [describe_entry(e, 'My') for e in stores.get('My') or []]
        decision = plan_completion(leaf, pending, installed)
        for warning in decision['warnings']:
            self._display.warning(warning)
        friendly_name = args['friendly_name'] or default_friendly_name(leaf)
        result.update(thumbprint=leaf['sha1'], public_key_sha256=leaf['spki_sha256'], certificate=leaf,
                      chain=[cert_info(c) for c in chain], chain_pem=''.join(_pem(c) for c in chain),
                      changed=decision['action'] == 'accept')
        if decision['request']:
            result['request'] = {k: decision['request'][k] for k in ('sha1', 'friendly_name', 'subject', 'spki_sha256')}
        if self._task.diff:
            result['diff'] = {'before': {'LocalMachine\\My': leaf['sha1'] if not result['changed'] else None},
                              'after': {'LocalMachine\\My': leaf['sha1'], 'friendly_name': friendly_name
                                        if result['changed'] else decision['installed']['friendly_name']}}
        if not result['changed'] or self._task.check_mode:
            result['friendly_name'] = friendly_name if result['changed'] else decision['installed']['friendly_name']
            return
        der = leaf_cert.public_bytes(serialization.Encoding.DER)
        done = self.payload(task_vars, 'complete_request', {
            'CertificateBase64': base64.b64encode(der).decode('ascii'), 'Thumbprint': leaf['sha1'],
            'FriendlyName': friendly_name})
        if not done.get('has_private_key'):
            raise AnsibleActionFail('certreq -accept installed %s but Windows reports no private key with it; check '
                                    'LocalMachine\\REQUEST for the request and run certutil -repairstore my %s.'
                                    % (leaf['sha1'], leaf['sha1']), result=result)
        result.update(friendly_name=done.get('friendly_name'), certreq_output=done.get('certreq_output'))
