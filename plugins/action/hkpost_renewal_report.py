# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_renewal_report: the controller-side selection, sheet, summaries and reports of the lifecycle playbooks."""

from __future__ import annotations

import os

from ansible_collections.hkpost.ecert.plugins.module_utils._controller_files import read_text, write_if_changed
from ansible_collections.hkpost.ecert.plugins.module_utils._dry_run import check_path
from ansible_collections.hkpost.ecert.plugins.module_utils.acme._orders import order_problems, pending_orders
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import file_name
from ansible_collections.hkpost.ecert.plugins.module_utils.report import _renewal_report as core
from ansible_collections.hkpost.ecert.plugins.module_utils.request._renewal_selection import select_for_renewal
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = {
        'report': {'type': 'str', 'required': True, 'choices': ['select', 'sheet', 'request', 'install', 'rollout',
                                                                'pending_orders', 'order_problems', 'acme']},
        'hosts': {'type': 'list', 'elements': 'str', 'default': []},
        'results': {'type': 'list', 'elements': 'raw', 'default': []},
        'active_hosts': {'type': 'list', 'elements': 'str'},
        'output_dir': {'type': 'path'},
        'sheet': {'type': 'path'},
        'intake': {'type': 'dict', 'default': {}},
        'host': {'type': 'str'},
        'certificates': {'type': 'list', 'elements': 'dict', 'default': []},
        'renew_list': {'type': 'raw'},
    }
    REQUIRED_IF = [('report', 'select', ('host',)), ('report', 'request', ('output_dir',)),
                   ('report', 'install', ('output_dir',)), ('report', 'rollout', ('output_dir',)),
                   ('report', 'sheet', ('sheet',)), ('report', 'pending_orders', ('host', 'output_dir'))]
    WINDOWS_ONLY = False
    _requires_connection = False

    def run_hkpost(self, args, task_vars, result):
        check_mode = bool(self._task.check_mode)
        result['changed'] = False  # files on the controller, not a change to any host
        if args['report'] == 'select':
            result['certificates'] = select_for_renewal(args['certificates'], args['renew_list'], args['host'])
            return
        if args['report'] == 'pending_orders':
            result['orders'] = self._pending_orders(os.path.abspath(args['output_dir']), args['host'])
            return
        if args['report'] == 'order_problems':
            # the results of community.crypto.acme_certificate_order_info for the orders that did not become valid
            result['problems'] = order_problems([r for r in args['results'] if isinstance(r, dict)])
            return
        records = core.by_host(args['hosts'], args['results'])
        out = os.path.abspath(args['output_dir']) if args['output_dir'] else None
        files = []

        def write(path, content):
            target = check_path(path, check_mode)
            write_if_changed(target, content)
            files.append(target)
            return target

        if args['report'] == 'sheet':
            sheet = os.path.abspath(args['sheet'])
            write(sheet, core.submission_sheet(records, read_text(sheet), check_mode))
            active = args['hosts'] if args['active_hosts'] is None else args['active_hosts']
            result['lines'] = core.submission_table(records, active, sheet, check_mode)
        elif args['report'] == 'request':
            sheet = os.path.abspath(args['sheet'] or os.path.join(out, 'csr', 'submission.csv'))
            summary, text = core.request_phase(records, read_text(sheet), check_mode)
            written = write(sheet, text)
            result['summary'] = summary
            result['lines'] = summary['table'] + [
                '', 'CSRs: %s/csr, sheet: %s' % (out, written), 'Pending-key backups: %s/backup' % out,
                'Dry run: nothing was requested; run again without --check.' if check_mode else
                'Next: submit at the Hongkong Post portal, save every certificate into %s/intake, then run --tags '
                'install.' % out]
        elif args['report'] == 'install':
            report = os.path.join(out, 'reports', 'renewal.json')
            summary, text, endpoints = core.install_phase(records, args['intake'], read_text(report), check_mode)
            written = write(report, text)
            result.update(summary=summary, endpoints=endpoints)
            result['lines'] = summary['table'] + [''] + [
                'intake: %s' % f.get('message') for f in args['intake'].get('findings') or []] + [
                'Report: %s' % written, 'Backups: %s/backup' % out] + (
                ['Dry run: nothing was installed; run again without --check.'] if check_mode else [])
        elif args['report'] == 'acme':
            summary = core.acme_phase(records, check_mode)
            result['summary'] = summary
            result['lines'] = summary['table'] + (
                ['Dry run: nothing was ordered; run again without --check.'] if check_mode else [])
        else:
            reports = os.path.join(out, 'reports')
            summary, csv_text, json_text = core.rollout(records, read_text(os.path.join(reports, 'install.json')), check_mode)
            write(os.path.join(reports, 'install.csv'), csv_text)
            write(os.path.join(reports, 'install.json'), json_text)
            result['summary'] = summary
            result['lines'] = summary['table'] + ['files: %s and .json' % files[0]]
        result['files'] = files

    @staticmethod
    def _pending_orders(out, host):
        """The requests of <out>/csr/submission.csv for ``host`` with no certificate in <out>/intake yet (the intake
        file is named after the request's key: a rerun orders only what is not issued)."""
        intake = os.path.join(out, 'intake')
        files = sorted(os.listdir(intake)) if os.path.isdir(intake) else []
        return pending_orders(read_text(os.path.join(out, 'csr', 'submission.csv')), host, intake, files, file_name)
