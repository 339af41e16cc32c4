# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_csr: certreq on Windows hosts, the module itself on POSIX hosts; the CSR lands on the controller."""

from __future__ import annotations

import base64

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import (
    check_destination, read_text, write_if_changed)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._certreq_inf import (
    certreq_inf, refuse_control_characters)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import (
    csr_matches, describe_csr, load_csr, pending_thumbprint, plan_windows_request)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr_options import (
    CONTROLLER_ONLY, CSR_ARGUMENT_SPEC, CSR_REQUIRED_IF, WINDOWS_ONLY)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._pending_listing import (
    make_listing, read_exchange_listing, read_listing)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._batch import check_every_request
from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text
from ansible_collections.hkpost.ecert.plugins.plugin_utils._csr_batch import run_batch
from ansible_collections.hkpost.ecert.plugins.plugin_utils._exchange_session import SESSION_OPTIONS, exchange_session
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request, windows_subject
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction

# common_name and organization: required unless list_pending or state: present (CSR_REQUIRED_IF is the module's)
_REQUIRED = CSR_REQUIRED_IF[0][2]


def _failure_text(module_result):
    """The module's message, and when it crashed (msg is then Ansible's generic "MODULE FAILURE"), the cause."""
    msg = module_result.get('msg') or 'hkpost_csr failed on the host'
    detail = module_result.get('exception') or module_result.get('module_stderr') or module_result.get('module_stdout')
    if detail and str(detail).strip():
        last = [line for line in str(detail).strip().splitlines() if line.strip()][-1].strip()
        if last not in msg:
            msg = '%s: %s' % (msg.rstrip('.').replace('\n', ' '), last)
    return msg


class ActionModule(HkpostAction):
    # The Exchange session options and the backup password as the other action plugins take them (one definition,
    # quoted_text refusing a secret YAML made a number); the module's own spec names them as plain strings.
    ARGUMENT_SPEC = dict(CSR_ARGUMENT_SPEC, **SESSION_OPTIONS, backup_password={'type': quoted_text, 'no_log': True})
    # CSR_REQUIRED_IF (the module's) unless state: present, whose certificates carry their own: checked in run_hkpost
    REQUIRED_IF = []
    WINDOWS_ONLY = False

    def run_hkpost(self, args, task_vars, result):
        # The platform comes from the connection (its shell family), never from an inventory variable: an
        # inventory written as the docs show it names only ansible_connection (issue 20). Every result says
        # which one it was, so that a role decides its later steps from this answer.
        result['platform'] = 'windows' if self.is_windows() else 'posix'
        if args['state'] == 'present':
            if args['certificates'] is None or args['list_pending']:
                raise AnsibleActionFail('state: present makes every missing request of the host in one execution: give '
                                        'certificates (and no list_pending; pass its listing as pending_requests).')
            if not self.is_windows():
                raise AnsibleActionFail('state: present (every certificate in one execution) is for Windows hosts; on '
                                        'a POSIX host run one hkpost_csr task per certificate with privatekey_path '
                                        '(the csr role does).')
            run_batch(self, args, task_vars, result)
            return
        missing = [name for name in _REQUIRED if not args['list_pending'] and args[name] is None]
        if missing:
            raise AnsibleActionFail('%s: list_pending is False but all of the following are missing: %s (or give '
                                    'certificates with state: present)' % (self._task.action, ', '.join(missing)))
        if args['certificates'] is not None:
            if not args['list_pending']:
                raise AnsibleActionFail('certificates is checked with list_pending: true (the role\'s first task), or '
                                        'made with state: present; a single request takes common_name and the other '
                                        'options.')
            check_every_request(args['certificates'], args)
        if args['list_pending']:
            self._list_pending(args, task_vars, result)
            return
        if args['csr_path']:
            check_destination('csr_path', args['csr_path'], 'file')
        request = csr_request(args)
        if self.is_windows():
            self._run_windows(args, request, task_vars, result)
        else:
            self._run_posix(args, task_vars, result)
        if args['csr_path'] and result.get('csr'):
            self._save_csr(args['csr_path'], result)

    def _list_pending(self, args, task_vars, result):
        """Read the host's pending requests and saved CSRs once, for the certificates' hkpost_csr tasks.

        A POSIX host keeps its keys at privatekey_path and has no store: its listing is empty, and the host is
        not contacted - so that the first task of the csr role runs on every host and says its platform.
        """
        if args['pending_requests'] is not None:
            raise AnsibleActionFail('list_pending: true reads the pending requests; it takes no pending_requests. '
                                    'Remove pending_requests from this task.')
        host = task_vars.get('inventory_hostname')
        if not self.is_windows():
            result.update(changed=False, pending_requests=make_listing({}, host, args['request_dir']))
            return
        refuse_control_characters('request_dir', args['request_dir'])
        result.update(changed=False, pending_requests=self.read_pending(args, task_vars))

    def read_pending(self, args, task_vars):
        """The one read of a Windows host's pending requests: LocalMachine\\REQUEST and the saved CSRs (certreq), or
        on an Exchange server (platform exchange) its certificates through Exchange, as exchange_cert reads them."""
        host = task_vars.get('inventory_hostname')
        if args['platform'] == 'exchange':
            params, sensitive = self.exchange_connection(args, task_vars)
            state = self.payload(task_vars, 'exchange_read', params, sensitive_parameters=sensitive or None)
            return make_listing(state, host, args['request_dir'], 'exchange')
        state = self.payload(task_vars, 'csr_pending_read', {'RequestDir': args['request_dir']})
        return make_listing(state, host, args['request_dir'])

    def exchange_connection(self, args, task_vars):
        """The exchange_session prelude's parameters, the second hop refused before anything is sent (cached)."""
        if getattr(self, '_exchange', None) is None:
            params, sensitive, _way = exchange_session(self, args, task_vars)
            self._exchange = (params, sensitive)
        return self._exchange

    def listing(self, args, task_vars):
        """The task's pending_requests checked (read on this host, from this request_dir, for this platform), or a
        fresh read."""
        host = task_vars.get('inventory_hostname')
        listing = args['pending_requests']
        if listing is None:
            listing = self.read_pending(args, task_vars)
        if args['platform'] == 'exchange':
            read = read_exchange_listing(listing, host, args['request_dir'])
            self.exchange_connection(args, task_vars)   # the second hop refused before any write
            return listing, read
        return listing, read_listing(listing, host, args['request_dir'])

    def _run_posix(self, args, task_vars, result):
        module_args = {k: v for k, v in args.items() if k not in CONTROLLER_ONLY + WINDOWS_ONLY}
        module_result = self._execute_module(module_name='hkpost.ecert.hkpost_csr', module_args=module_args,
                                             task_vars=task_vars)
        if module_result.get('failed'):
            raise AnsibleActionFail(_failure_text(module_result), result=module_result)
        for warning in module_result.pop('warnings', []) or []:
            self._display.warning(warning)
        module_result.pop('invocation', None)
        result.update(module_result)

    def _run_windows(self, args, request, task_vars, result):
        refuse_control_characters('friendly_name', args['friendly_name'])
        refuse_control_characters('request_dir', args['request_dir'])
        for warning in request['warnings']:
            self._display.warning(warning)
        if args['pending_requests'] is not None:
            # Read once for all of the host's certificates by an earlier list_pending task (issue 12).
            pending, saved_csrs = read_listing(args['pending_requests'], task_vars.get('inventory_hostname'),
                                               args['request_dir'])
        else:
            state = self.payload(task_vars, 'csr_pending_read', {'RequestDir': args['request_dir']})
            pending = [dict(entry, der=base64.b64decode(entry['der'])) for entry in state.get('pending') or []]
            saved_csrs = state.get('saved_csrs') or []
        plan = plan_windows_request(pending, saved_csrs, request, force=args['force'])
        result.update(common_name_ascii=request['common_name_ascii'], certificate_type=request['certificate_type'],
                      key_size=request['key_size'], request_action=plan['action'], changed=plan['action'] != 'reuse')
        if plan['action'] == 'reuse':
            result.update(describe_csr(plan['csr']), thumbprint=plan['pending']['thumbprint'])
            return
        if self._task.check_mode:
            return
        if plan['action'] == 'rederive' and not plan['pending'].get('key_container'):
            raise AnsibleActionFail(
                'a pending request for %s exists (thumbprint %s) but its CSR text is gone and its key cannot be '
                'reused by name; set force: true to make a new key and request.'
                % (request['common_name_ascii'], plan['pending'].get('thumbprint')))
        inf = certreq_inf(windows_subject(request['subject']), request['key_size'], request['sans'],
                          friendly_name=args['friendly_name'] or '',
                          key_container=plan['pending']['key_container'] if plan['action'] == 'rederive' else '')
        created = self.payload(task_vars, 'csr_create', {'Inf': inf, 'RequestDir': args['request_dir']})
        csr = load_csr(created.get('csr') or '', 'the CSR certreq produced')
        if not csr_matches(csr, request):
            raise AnsibleActionFail('certreq produced a CSR for "%s" that is not what was asked for ("%s"); '
                                    'check the host\'s certreq policy.' % (csr.subject.rfc4514_string(),
                                                                           windows_subject(request['subject'])))
        described = describe_csr(csr)
        result.update(described, host_csr_file=created.get('csr_file'),
                      thumbprint=pending_thumbprint(created.get('pending'), described['public_key_sha256']))

    def _save_csr(self, path, result):
        before = read_text(path)
        changed = write_if_changed(path, result['csr'], check_mode=self._task.check_mode)
        result['csr_path'] = path
        result['changed'] = result.get('changed', False) or changed
        if self._task.diff and changed:
            result['diff'] = {'before': before or '', 'after': result['csr'],
                              'before_header': path, 'after_header': path}
