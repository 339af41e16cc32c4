# -*- coding: utf-8 -*-
"""The ``ansible.windows`` release the win_powershell emulator models: the floor this collection ships.

``galaxy.yml`` and ``requirements.yml`` accept ansible.windows ``>= VERSION``, so the oldest module a user
may run our payloads through is VERSION's; the emulator (``boundary.py``, ``powershell.py``) follows that
release, and every "ps1 line(s) N" it cites is a line of it. ``REFERENCE`` is that file, byte for byte
(``git show 2.4.0:plugins/modules/win_powershell.ps1`` of github.com/ansible-collections/ansible.windows,
blob ``BLOB``); ``hack/win_powershell_floor.sh`` refreshes it. ``tests/unit/test_win_powershell_floor.py``
holds the three together: the declared floor, this VERSION and the copy, and each citation to its line.

Where the virtualenv's newer release (3.3.0) behaves differently, ``docs/docsite/rst/windows_internals.rst``
("The emulated floor") says how the emulator answers.
"""

from __future__ import annotations

import gzip
import os

VERSION = '2.4.0'
COMMIT = '0ca5d920b396387614c70cd8f4fef932e3b50ec7'    # tag 2.4.0
BLOB = '1568ea5b88a86df00fa5415b340ba905e6376c1e'      # plugins/modules/win_powershell.ps1 at COMMIT
SOURCE = ('https://github.com/ansible-collections/ansible.windows/blob/%s/plugins/modules/win_powershell.ps1'
          % COMMIT)
REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'reference',
                         'win_powershell-%s.ps1.gz' % VERSION)  # gzip: ansible-test refuses a '#!powershell' line in tests/

# Every range the emulator cites ("ps1 lines A-B", "ps1 line A") and a text the range holds, so a
# citation cannot point at the wrong lines (several pointed into 3.3.0's executable code before).
CITED = {
    (11, 40): '$spec = @{',                                           # the argument spec
    (20, 35): 'sensitive_parameters = @{',
    (26, 27): 'no_log = $true',
    (37, 37): "script = @{ type = 'str'; required = $true }",         # no path/remote_src before 3.1.0
    (43, 51): '$module.Result.information = @()',                     # the result's keys, set up front
    (156, 159): 'PowerShell is in NonInteractive mode',               # Prompt throws
    (166, 175): 'PromptForCredential',                                # both PromptForCredential overloads throw
    (534, 542): '[ScriptBlock]::Create($module.Params.script).Ast',    # 3.3.0: [Parser]::ParseInput
    (544, 557): 'SupportsShouldProcess',                              # AST, else the regex fallback
    (559, 563): 'skipped, running in check mode',
    (630, 630): 'CheckMode = $module.CheckMode',
    (634, 634): 'Changed = $true',
    (639, 644): "'silently_continue' { 'SilentlyContinue' }",
    (726, 726): '$ps.AddScript($module.Params.script)',
    (730, 761): '$parameters = @{}',
    (736, 756): 'ConvertTo-SecureString -AsPlainText -Force',
    (760, 760): '$parameters.WhatIf = $module.CheckMode',
    (763, 764): '$ps.AddParameters($parameters)',
    (786, 796): 'catch [Management.Automation.RuntimeException]',
    (799, 799): "$runspace.SessionStateProxy.GetVariable('Ansible')",  # 3.3.0: a new pipeline reads $Ansible
    (825, 829): '$module.Result.changed = $result.Changed',
    (841, 841): 'Convert-OutputObject -InputObject $psOutput',
    (843, 869): '$module.Result.error = @(',
    (871, 886): "'debug', 'verbose', 'warning'",
}


def reference_lines():
    """The floor's win_powershell.ps1, as a list of lines (line N is item N - 1)."""
    with gzip.open(REFERENCE, 'rt', encoding='utf-8') as f:
        return f.read().splitlines()
