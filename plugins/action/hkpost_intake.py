# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_intake: read the intake folder on the controller and match each issued certificate to its request by key."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import read_text
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._acme_issuer import load_issuers, read_records
from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import (
    list_intake, match_intake, merge_requests, normalize_requests, read_sheet)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._issued import utcnow
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._controller_input import read_controller_file


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'path': {'type': 'path', 'required': True},
        'sheet': {'type': 'path'},
        'requests': {'type': 'list', 'elements': 'dict', 'default': []},
        'hosts': {'type': 'list', 'elements': 'str'},
        'strict': {'type': 'bool', 'default': False},
        # host in ACME mode -> PEM file(s) of the issuers accepted for it (install/_acme_issuer.py)
        'acme_trusted_issuers': {'type': 'dict', 'default': {}},
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
        now = utcnow()
        acme = {'issuers': self._acme_issuers(args['acme_trusted_issuers'], now),
                'records': read_records(args['path'])} if args['acme_trusted_issuers'] else None
        # every request, so that a file for a host outside this run is named as such, not as matching nothing
        matched = match_intake(list_intake(args['path']), every, now=now, hosts=args['hosts'], acme=acme)
        errors = [f for f in matched['findings'] if f['severity'] == 'error']
        for finding in matched['findings']:
            self._display.warning('intake: %s' % finding['message'])
        result.update(matched, changed=False, requests=len(requests),
                      certificates=sum(len(v) for v in matched['assignments'].values()), errors=len(errors))
        if args['strict'] and matched['findings']:
            raise AnsibleActionFail('intake: %d finding(s) and strict is set, so nothing is installed: %s'
                                    % (len(matched['findings']), '; '.join(f['message'] for f in matched['findings'])),
                                    result=result)

    def _acme_issuers(self, option, now):
        """{host: [CA certificates]}; each file read once, relative paths from where ansible-playbook runs."""
        loaded, issuers = {}, {}
        for host, files in option.items():
            if files in (None, ''):
                files = []
            if isinstance(files, str):
                files = [files]
            if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
                raise HkpostError('acme_trusted_issuers.%s: give a list of PEM file paths (hkpost_acme_trusted_issuers),'
                                  ' got %r.' % (host, files))
            issuers[host] = []
            for path in files:
                if path not in loaded:
                    what = 'hkpost_acme_trusted_issuers (%s) %s' % (host, path)
                    loaded[path] = load_issuers([(what, read_controller_file(self, what, path))], now)
                issuers[host].extend(loaded[path])
        return issuers
