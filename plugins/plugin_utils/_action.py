# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every hkpost.ecert action plugin does the same way: validate, refuse non-Windows, run payloads."""

from __future__ import annotations

import base64

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError, run_payload


class HkpostAction(ActionBase):
    """Base for the Windows action plugins.

    Subclasses set ``ARGUMENT_SPEC`` and implement ``run_hkpost(args, task_vars, result)``;
    neutral errors from the core become ``AnsibleActionFail`` here, once.
    """

    ARGUMENT_SPEC = {}
    MUTUALLY_EXCLUSIVE = []
    REQUIRED_IF = []
    WINDOWS_ONLY = True
    _VALID_ARGS = frozenset()

    def is_windows(self):
        return getattr(self._connection._shell, 'SHELL_FAMILY', '') == 'powershell'

    def payload(self, task_vars, name, parameters=None, sensitive_parameters=None):
        return run_payload(self, task_vars, name, parameters, sensitive_parameters)

    def export_pfx(self, task_vars, items, encryption, include_chain, password):
        """PFX exports of ``items`` (``(store, thumbprint)`` pairs) in one trip: ``{thumbprint: PFX bytes}``.

        One payload, pfx_export_many, for one certificate or several; the password travels as a
        sensitive parameter (a SecureString on the host). A certificate the host did not answer for
        maps to ``b''``, which the caller's read-back refuses.
        """
        answer = self.payload(task_vars, 'pfx_export_many', {
            'Items': [{'store': store, 'thumbprint': thumbprint} for store, thumbprint in items],
            'Encryption': encryption, 'IncludeChain': include_chain}, sensitive_parameters={'Password': password})
        exported = {e.get('thumbprint'): e for e in answer.get('exports') or [] if isinstance(e, dict)}
        return {thumbprint: base64.b64decode((exported.get(thumbprint) or {}).get('pfx') or '')
                for _store, thumbprint in items}

    def run(self, tmp=None, task_vars=None):
        self._supports_check_mode = True
        self._supports_async = False
        result = super().run(tmp, task_vars)
        del tmp
        try:
            _validation, args = self.validate_argument_spec(
                argument_spec=self.ARGUMENT_SPEC, mutually_exclusive=self.MUTUALLY_EXCLUSIVE,
                required_if=self.REQUIRED_IF)
        except AnsibleActionFail as e:
            # ActionBase names the plugin by its Python path ("Unsupported parameters for
            # (ansible_collections.hkpost.ecert.plugins.action.hkpost_csr) module"); say the module the user wrote.
            raise AnsibleActionFail('%s: %s' % (self._task.action, e.message.replace('(%s) ' % getattr(self, '_load_name', ''), '')))
        if self.WINDOWS_ONLY and not self.is_windows():
            raise AnsibleActionFail('%s runs on Windows hosts (shell family powershell); %s has shell %s. '
                                    'Set ansible_connection=winrm or psrp for this host.'
                                    % (self._task.action, task_vars.get('inventory_hostname', 'this host'),
                                       getattr(self._connection._shell, 'SHELL_FAMILY', 'unknown')))
        try:
            self.run_hkpost(args, task_vars, result)
        except HkpostError as e:
            raise AnsibleActionFail(str(e))
        except PayloadError as e:
            raise AnsibleActionFail('the host refused or failed %s' % e, result=result)
        return result

    def run_hkpost(self, args, task_vars, result):
        raise NotImplementedError
