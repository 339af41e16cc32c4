# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_intake: read the intake folder on the controller and match each issued certificate to its request by key."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import read_text
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import (
    list_intake, match_intake, merge_requests, normalize_requests, read_sheet)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'path': {'type': 'path', 'required': True},
        'sheet': {'type': 'path'},
        'requests': {'type': 'list', 'elements': 'dict', 'default': []},
        'hosts': {'type': 'list', 'elements': 'str'},
        'strict': {'type': 'bool', 'default': False},
    }
    WINDOWS_ONLY = False
    _requires_connection = False

    def run_hkpost(self, args, task_vars, result):
        sources = []
        if args['sheet']:
            text = read_text(args['sheet'])
            if text is None:
                raise HkpostError('sheet %s does not exist; give the submission.csv written by request.yml (or renew.yml '
                                  '--tags request), or pass the requests as data.' % args['sheet'])
            sources.append(read_sheet(text, 'sheet %s' % args['sheet']))
        sources.append(normalize_requests(args['requests']))
        every = merge_requests(*sources)
        requests = every if args['hosts'] is None else [r for r in every if r['host'] in args['hosts']]
        if not requests:
            raise HkpostError('no pending requests to match (sheet %s, %d requests given%s); make the requests first '
                              '(renew.yml --tags request).' % (args['sheet'] or 'not given', len(args['requests']),
                                                               ', limited to hosts %s' % ', '.join(args['hosts'])
                                                               if args['hosts'] is not None else ''))
        # every request, so that a file for a host outside this run is named as such, not as matching nothing
        matched = match_intake(list_intake(args['path']), every, hosts=args['hosts'])
        errors = [f for f in matched['findings'] if f['severity'] == 'error']
        for finding in matched['findings']:
            self._display.warning('intake: %s' % finding['message'])
        result.update(matched, changed=False, requests=len(requests),
                      certificates=sum(len(v) for v in matched['assignments'].values()), errors=len(errors))
        if args['strict'] and matched['findings']:
            raise AnsibleActionFail('intake: %d finding(s) and strict is set, so nothing is installed: %s'
                                    % (len(matched['findings']), '; '.join(f['message'] for f in matched['findings'])),
                                    result=result)
