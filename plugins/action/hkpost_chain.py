# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_chain: one read, a plan made here (module_utils/chain/_plan.py), at most one write."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils.chain._inputs import utcnow
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._plan import plan_chain
from ansible_collections.hkpost.ecert.plugins.plugin_utils import _chain_inputs
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction


class ActionModule(HkpostAction):
    # One spec, one check and one reading of the inputs with hkpost_install's chain option (plugin_utils/_chain_inputs).
    ARGUMENT_SPEC = _chain_inputs.ARGUMENT_SPEC

    def run_hkpost(self, args, task_vars, result):
        now = utcnow()
        _chain_inputs.check_options(args)
        wanted = _chain_inputs.wanted(self, args, now)
        state = self.payload(task_vars, 'chain_read', {'KeyStores': args['key_stores']})
        snapshot = _chain_inputs.snapshot(state.get('stores'), state.get('crls'), state.get('keyed'))
        plan = plan_chain(snapshot, wanted, old_intermediate=args['old_intermediate'],
                          install_root=args['install_root'], warn_days=args['warn_days'], now=now)

        result.update(_chain_inputs.outcome(plan))
        if self._task.diff:
            result['diff'] = {'before': plan['before'], 'after': plan['after']}
        if not plan['steps'] or self._task.check_mode:
            return
        answer = self.payload(task_vars, 'chain_apply', {'Steps': _chain_inputs.sent_steps(plan)})
        failure = _chain_inputs.applied(result, answer.get('applied'), answer.get('failed'))
        if failure:
            raise AnsibleActionFail(failure, result=result)
