# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for where renew.yml writes and what: output_dir, submission_sheet (docs in the .yml files)."""

from __future__ import annotations

import os

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils.install._intake import write_sheet
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import ascii_name as _ascii
from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def output_dir(path):
    """An absolute path: relative ones are taken from the directory ansible-playbook was started in."""
    if not path:
        raise AnsibleFilterError('output_dir: the output directory is empty; set hkpost_output_dir.')
    return os.path.abspath(os.path.expanduser(str(path)))


def submission_sheet(hostvars, hosts, existing=None, results_fact='hkpost_csr_results', check_mode=False):
    """CSV of every pending request the hosts' csr role returned; rows of other hosts kept from ``existing``.

    In ``check_mode`` a request that would be made has no key yet: its row says "(check mode)" (the intake skips
    such rows), so the dry run's sheet (submission.check.csv) lists what would be requested."""
    rows, ran = [], []
    for host in hosts:
        results = (hostvars.get(host) or {}).get(results_fact)
        if results is None:
            continue
        ran.append(host)
        for r in results:
            if not r.get('public_key_sha256') and not check_mode:
                continue  # check mode before the key exists
            item = r.get('item') or {}
            applied = [r['common_name_ascii']]
            for name in item.get('subject_alt_names') or []:
                if _ascii(name) not in applied:
                    applied.append(_ascii(name))
            rows.append({'host': host, 'common_name': r['common_name_ascii'], 'certificate_type': r.get('certificate_type'),
                         'public_key_sha256': r.get('public_key_sha256') or '(check mode)', 'csr_file': r.get('csr_path'),
                         'names': ' '.join(applied), 'pending_thumbprint': r.get('thumbprint')})
    return write_sheet(rows, existing, ran)


class FilterModule:
    def filters(self):
        return checked_filters({'output_dir': output_dir, 'submission_sheet': submission_sheet})
