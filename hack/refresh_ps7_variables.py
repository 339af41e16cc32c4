#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Regenerate tests/support/powershell_reference/ps7_variables.json: variables PowerShell 7 documents and 5.1 does not.

Windows PowerShell 5.1 has no ``$PSStyle``, ``$IsWindows`` or ``$PSNativeCommandUseErrorActionPreference``:
reading one gives ``$null`` (``if ($IsWindows)`` is false on Windows), setting one changes nothing (a payload
that sets ``$PSNativeCommandUseErrorActionPreference = $true`` to stop on a failing native tool would go on).
The list is the automatic and preference variables PowerShell-Docs documents for a 7.x version
(reference/7.*/Microsoft.PowerShell.Core/About/about_Automatic_Variables.md and about_Preference_Variables.md
headings) that the same pages for 5.1 do not; tests/support/windows/ps_syntax.py reports their use.

Usage: hack/refresh_ps7_variables.py --powershell-docs MicrosoftDocs/PowerShell-Docs=GIT_DIR
"""

import argparse
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, 'tests', 'support', 'powershell_reference', 'ps7_variables.json')
PAGES = ('about_Automatic_Variables.md', 'about_Preference_Variables.md')
# A variable's section heading: "### `$IsWindows`" (5.1 also writes "## $MAXIMUMALIASCOUNT").
_HEADING = re.compile(r'^#{2,3} `?\$([\w*?^$]+)`?\s*$', re.M)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--powershell-docs', required=True, help='OWNER/NAME=GIT_DIR')
    parser.add_argument('--output', default=OUTPUT)
    args = parser.parse_args()
    repo, _sep, git_dir = args.powershell_docs.partition('=')

    def git(*arguments):
        return subprocess.run(['git', '--git-dir', git_dir] + list(arguments), check=True,
                              stdout=subprocess.PIPE).stdout.decode('utf-8-sig')

    versions = sorted({line.split('/')[1] for line in git('ls-tree', '-d', '--name-only', 'HEAD', 'reference/').splitlines()
                       if re.fullmatch(r'reference/7\.\d+', line)})
    documented = {}
    for version in ['5.1'] + versions:
        for page in PAGES:
            path = 'reference/%s/Microsoft.PowerShell.Core/About/%s' % (version, page)
            for name in _HEADING.findall(git('show', 'HEAD:' + path)):
                documented.setdefault(version, {}).setdefault(name.lower(), (name, path))
    windows = documented['5.1']
    newer = {}
    for version in versions:
        for key, (name, path) in documented[version].items():
            if key not in windows and key not in newer:
                newer[key] = {'name': name, 'path': path}
    data = {
        'about': 'Variables PowerShell-Docs documents for PowerShell 7 and not for Windows PowerShell 5.1, written by '
                 'hack/refresh_ps7_variables.py; reported by tests/support/windows/ps_syntax.py.',
        'source': {'repo': repo, 'commit': git('rev-parse', 'HEAD').strip(),
                   'compared': ['reference/%s/Microsoft.PowerShell.Core/About/%s' % (v, p)
                                for v in ['5.1'] + versions for p in PAGES]},
        'variables': dict(sorted(newer.items())),
    }
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, 'w', encoding='utf-8') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
    print('%d variables -> %s' % (len(newer), os.path.relpath(args.output)))


if __name__ == '__main__':
    main()
