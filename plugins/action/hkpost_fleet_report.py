# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_fleet_report: write a fleet run's report files on the controller from the results handed to it."""

from __future__ import annotations

import json
import os

from ansible_collections.hkpost.ecert.plugins.module_utils import _report_files as reports
from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import (
    check_destination, read_text, write_if_changed)
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'kind': {'type': 'str', 'required': True, 'choices': list(reports.KINDS)},
        'dest': {'type': 'path', 'required': True},
        'name': {'type': 'str'},
        'title': {'type': 'str'},
        'audit': {'type': 'raw'},
        'results': {'type': 'dict'},
        'hosts': {'type': 'list', 'elements': 'str'},
        'warn_days': {'type': 'int', 'default': 30},
        'revoked': {'type': 'list', 'elements': 'str'},
        'today': {'type': 'str'},
        'subscriptions': {'type': 'dict', 'default': {}},
        'pending_days': {'type': 'int', 'default': 30},
        'batch': {'type': 'int', 'default': 0},
    }
    REQUIRED_IF = [('kind', 'audit', ('audit',)), ('kind', 'inventory', ('results',)),
                   ('kind', 'chain', ('results',))]
    WINDOWS_ONLY = False
    _requires_connection = False

    def run_hkpost(self, args, task_vars, result):
        kind = args['kind']
        dest = check_destination('dest', args['dest'], kind='directory')
        name = args['name'] or reports.DEFAULT_NAMES[kind]
        title = args['title'] if args['title'] is not None else reports.DEFAULT_TITLES[kind]
        check_mode = bool(self._task.check_mode)
        if kind == 'audit':
            files, info = reports.audit_files(args['audit'], name=name, title=title, warn_days=args['warn_days'],
                                              revoked=args['revoked'], dest=dest)
        elif kind == 'inventory':
            files, info = reports.inventory_files(
                args['results'], audit=_audit_data(args['audit']), today=args['today'],
                subscriptions=args['subscriptions'], title=title, warn_days=args['warn_days'],
                pending_days=args['pending_days'], batch=args['batch'], name=name, dest=dest)
        else:
            # The rows of hosts this run did not cover (--limit) are kept from the real report, never the dry run's.
            previous = read_text(os.path.join(dest, name + '.json'))
            files, info = reports.chain_files(args['results'], hosts=args['hosts'], check_mode=check_mode,
                                              previous=previous, name=name, dest=dest)
        written, changed, named = [], [], {}
        for file_name, text in files.items():
            path = reports.file_path(dest, file_name, kind, check_mode)
            # The report of a dry run is the point of a dry run: it is written in check mode too.
            if write_if_changed(path, text):
                changed.append(path)
            written.append(path)
            if file_name in (name + '.json', name + '.html'):
                named[file_name[len(name) + 1:] + '_file'] = path
        result.update(info)
        result.update(named, files=written, changed_files=changed, dest=dest, title=title, changed=bool(changed))


def _audit_data(audit):
    """The inventory's audit: hkpost_served_chain's result, the fleet.json it wrote (parsed), or a path to it."""
    if audit is None or audit == '':
        return None
    if isinstance(audit, str):
        text = read_text(os.path.abspath(os.path.expanduser(audit)))
        if text is None:
            raise HkpostError('audit: %s does not exist on the controller; give the fleet.json audit.yml wrote.' % audit)
        try:
            return json.loads(text)
        except ValueError as e:
            raise HkpostError('audit: %s is not JSON (%s); give the fleet.json audit.yml wrote.' % (audit, e))
    return audit
