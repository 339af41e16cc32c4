# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``attributes`` every module documents, written once: what check_mode, diff_mode and platform mean
(DOCUMENTATION), and where a module runs (WINDOWS, CONTROLLER). A module extends DOCUMENTATION and, when it fits, one
of the two variants, and states only its own support levels and their details.

ansible-core merges a fragment's attributes one level deep (ansible/utils/plugin_docs.py add_fragments ->
merge_fragment: ``value.update(target[key])``), so the module's own keys of an attribute win and the others come from
here. The shape follows community.crypto's plugins/doc_fragments/_attributes.py (standard fragment plus named variants);
private (leading underscore) as community.crypto made its fragments in PR #898.
"""

from __future__ import annotations


class ModuleDocFragment:
    # Standard fragment: what each attribute means. The module gives support (and details) for each.
    DOCUMENTATION = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
  platform:
    description: Target OS/families that can be operated against.
'''

    # With the standard fragment: the module works on a Windows host, over WinRM or PSRP, through PowerShell payloads.
    WINDOWS = r'''
options: {}
attributes:
  platform:
    support: full
    platforms: [windows]
'''

    # With the standard fragment: an action plugin that runs on the controller only (no connection to the target).
    CONTROLLER = r'''
options: {}
attributes:
  platform:
    support: full
    platforms: [posix]
'''
