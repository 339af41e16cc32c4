# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The output_dir filter (docs in output_dir.yml), kept for renew_acme.yml; the submission sheet is written by
hkpost.ecert.hkpost_renewal_report."""

from __future__ import annotations

import os

from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.plugin_utils._filter_args import checked_filters


def output_dir(path):
    """An absolute path: relative ones are taken from the directory ansible-playbook was started in."""
    if not path:
        raise AnsibleFilterError('output_dir: the output directory is empty; set hkpost_output_dir.')
    return os.path.abspath(os.path.expanduser(str(path)))


class FilterModule:
    def filters(self):
        return checked_filters({'output_dir': output_dir})
