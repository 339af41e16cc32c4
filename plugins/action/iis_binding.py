# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iis_binding: one https binding of one IIS site, planned on the controller, rolled back on failure."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._iis_binding import (
    binding_information, binding_ip, plan, select_certificate)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import a_label_host
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import describe_entry, normalize_thumbprint
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_checks import (
    VERIFY_CHECK_OPTIONS, check_verify_options)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._served_check import (
    apply_steps, audit_endpoints, binding_step, restore_bindings, served_check)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._win_payload import PayloadError


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'site': {'type': 'str', 'required': True},
        'port': {'type': 'int', 'default': 443},
        'ip': {'type': 'str', 'default': '*'},
        'host_header': {'type': 'str', 'default': ''},
        'sni': {'type': 'bool'},
        'certificate_thumbprint': {'type': 'str'},
        'certificate_common_name': {'type': 'str'},
        'certificate_store': {'type': 'str', 'default': 'My', 'choices': ['My', 'WebHosting']},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
        'shared_ok': {'type': 'bool', 'default': False},
        'verify': {'type': 'bool', 'default': False},
        'verify_address': {'type': 'str'},
        **VERIFY_CHECK_OPTIONS,
    }
    MUTUALLY_EXCLUSIVE = [['certificate_thumbprint', 'certificate_common_name']]
    REQUIRED_IF = [['state', 'present', ['certificate_thumbprint', 'certificate_common_name'], True]]

    def run_hkpost(self, args, task_vars, result):
        # Every option is checked here, before the first payload: a refusal never leaves a half-changed binding.
        raw_host = (args['host_header'] or '').strip()
        # IIS and http.sys match the Host header / SNI name in its A-label form: a U-label is converted, not refused.
        host = a_label_host(raw_host, 'host_header', wildcard=True) if raw_host else ''
        sni = bool(host) if args['sni'] is None else args['sni']
        if sni and not host:
            raise HkpostError('sni: true needs a host_header: SNI selects the certificate by the host name the '
                              'client asks for.')
        if not 1 <= args['port'] <= 65535:
            raise HkpostError('port %d is out of range; give 1-65535.' % args['port'])
        ip = binding_ip(args['ip'])
        thumbprint = normalize_thumbprint(args['certificate_thumbprint']) if args['certificate_thumbprint'] else None
        common_name = (a_label_host(args['certificate_common_name'], 'certificate_common_name', wildcard=True)
                       if args['certificate_common_name'] else None)
        if args['verify'] and args['state'] == 'present':
            self._check_verify_options(args)
        if raw_host and host != raw_host.lower().rstrip('.'):
            result['host_header_converted'] = {'given': raw_host, 'a_label': host}
        store = args['certificate_store']
        state = self.payload(task_vars, 'iis_bindings_read', {})
        chosen = None
        if args['state'] == 'present':
            entries = self.payload(task_vars, 'ecert_store_read', {'StoreNames': [store]}).get('stores', {})
            candidates = [describe_entry(e, store) for e in entries.get(store) or []]
            chosen = select_certificate(candidates, thumbprint=thumbprint, common_name=common_name, host=host)
            result['certificate'] = {k: chosen[k] for k in ('sha1', 'subject', 'subject_cn', 'dns_names', 'not_before',
                                                            'not_after', 'issuer_cn', 'friendly_name', 'store')}
        desired = {'site': args['site'], 'ip': ip, 'port': args['port'], 'host': host, 'sni': sni,
                   'thumbprint': chosen['sha1'] if chosen else None, 'store': store, 'state': args['state']}
        decision = plan(state.get('sites'), state.get('sslcert'), desired, shared_ok=args['shared_ok'])
        for override in decision['sni_overrides']:
            self._display.warning(override['message'])
        result.update(before=decision['before'], after=decision['after'], changed=decision['changed'],
                      shared_with=decision['shared_with'], sni_overrides=decision['sni_overrides'])
        if self._task.diff:
            result['diff'] = {'before': decision['before'] or {}, 'after': decision['after'] or {}}
        if self._task.check_mode:
            return
        if decision['steps']:
            self._apply(task_vars, args['site'], decision, result)
        if args['verify'] and args['state'] == 'present':
            self._verify(args, task_vars, host, decision, result)

    def _check_verify_options(self, args):
        if audit_endpoints is None:  # pragma: no cover
            raise HkpostError('verify: true needs plugins/module_utils/audit/_served_chain_audit.py, which is missing.')
        check_verify_options(args['verify_timeout'], args['verify_address'], args['verify_trust'])

    def _apply(self, task_vars, site, decision, result):
        # The same apply code as hkpost_install: the plan's steps in one iis_apply trip.
        try:
            apply_steps(self, task_vars, [binding_step(site, step) for step in decision['steps']])
        except PayloadError as e:
            self._roll_back(task_vars, site, decision, result, 'a binding step failed: %s' % e)

    def _roll_back(self, task_vars, site, decision, result, cause):
        """Put the recorded previous binding back, then fail with what happened."""
        after = decision['after'] or decision['before']
        problems = restore_bindings(self, task_vars, [(site, decision['previous'],
                                                       binding_information(after['ip'], after['port'], after['host']))])
        result['rolled_back'] = not problems
        if problems:
            raise AnsibleActionFail('%s; rolling back ALSO failed (%s). Restore the previous binding by hand: %s'
                                    % (cause, '; '.join(problems), decision['before']), result=result)
        restored = decision['before'] or 'none (the new binding was removed)'
        raise AnsibleActionFail('%s; the previous binding was put back: %s' % (cause, restored), result=result)

    def _verify(self, args, task_vars, host, decision, result):
        address = args['verify_address'] or task_vars.get('ansible_host') or task_vars.get('inventory_hostname')
        server_name = host or (result['certificate']['dns_names'] or [result['certificate']['subject_cn']])[0]
        endpoint, served, problems = served_check(address, args['port'], server_name, decision['after']['thumbprint'],
                                                  args['verify_trust'], args['verify_timeout'])
        result['verify'] = {'verdict': endpoint['verdict'], 'findings': endpoint['findings'], 'served_leaf': served,
                            'address': address, 'server_name': server_name}
        if problems and decision['steps']:
            self._roll_back(task_vars, args['site'], decision, result, 'verify: %s' % '; '.join(problems))
        if problems:
            raise AnsibleActionFail('verify: %s' % '; '.join(problems), result=result)
