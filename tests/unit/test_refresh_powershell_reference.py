# -*- coding: utf-8 -*-
"""hack/refresh_powershell_reference.py reads Microsoft's cmdlet pages the way they are written.

The mirrors are not here (the catalogue is committed data), so these are pages in the reference's
own shapes, each a shape that once made a command or a parameter set go missing.
"""

from __future__ import annotations

import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location('refresh_powershell_reference',
                                               os.path.join(ROOT, 'hack', 'refresh_powershell_reference.py'))
refresh = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(refresh)

# PowerShell-Docs 5.1: front matter aliases that are not valid YAML (`- %`), one set per provider,
# a yaml "(All)" the syntax forgets in one set, a `#` comment in an example, NOTES aliases.
PAGE = '''---
Module Name: Microsoft.PowerShell.Management
aliases:
  - %
title: Remove-Thing
---

# Remove-Thing

## SYNTAX

### Path (Default) - FileSystem provider

```
Remove-Thing [-Path] <String[]> [-Stream <String[]>] [<CommonParameters>]
```

### LiteralPath - All providers

```
Remove-Thing -LiteralPath <String[]> [<CommonParameters>]
```

## EXAMPLES

```powershell
# not a heading
Remove-Thing -Path C:\\x
```

## PARAMETERS

### -Path

```yaml
Type: System.String[]
Parameter Sets: Path
Aliases:
```

### -LiteralPath

```yaml
Type: System.String[]
Parameter Sets: LiteralPath
Aliases: PSPath, LP
```

### -Stream

```yaml
Type: System.String[]
Parameter Sets: (All)
Aliases:
```

### CommonParameters

This cmdlet supports the common parameters.

## NOTES

Windows PowerShell includes the following aliases for `Remove-Thing`:

- `rt`
'''


def test_a_5_1_page_gives_its_sets_parameters_and_aliases():
    name, page = refresh.parse_page(PAGE)
    entry = page.entry()
    assert name == 'Remove-Thing'
    assert entry['aliases'] == ['%', 'rt']
    assert entry['common_parameters'] is True
    assert entry['sets'] == ['LiteralPath', 'Path']
    assert entry['parameters'] == {
        'LiteralPath': {'aliases': ['PSPath', 'LP'], 'sets': ['LiteralPath']},
        'Path': {'sets': ['Path']},
        'Stream': {},          # "(All)" in its yaml: in every set, though one syntax block omits it
    }


def test_a_later_windows_server_version_marks_what_it_adds():
    _name, old = refresh.parse_page(PAGE)
    _name2, new = refresh.parse_page(PAGE.replace('### -Stream', '### -Depth\n\n```yaml\nParameter Sets: (All)\n```\n\n'
                                                  '### -Stream'))
    old.merge(new, 'winserver2019-ps')
    assert old.entry()['parameters']['Depth'] == {'since': 'winserver2019-ps'}


def test_set_names_are_text_and_doc_slips_are_read_as_meant():
    # Set-PSDebug's set "on" (YAML would read True); a one-set page whose yaml names "Default"; "(All))".
    page = PAGE.replace('Parameter Sets: Path\n', 'Parameter Sets: on\n').replace('(All)', '(All))')
    page = page.replace('### Path (Default) - FileSystem provider', '### on')
    entry = refresh.parse_page(page)[1].entry()
    assert entry['sets'] == ['LiteralPath', 'on']
    assert entry['parameters']['Path'] == {'sets': ['on']}
    assert entry['parameters']['Stream'] == {}
    single = refresh.parse_page(PAGE.split('### LiteralPath - All providers', maxsplit=1)[0].replace(
        'Parameter Sets: Path\n', 'Parameter Sets: Default\n') + '## PARAMETERS\n\n### -Path\n\n```yaml\n'
        'Parameter Sets: Default\n```\n')[1].entry()
    assert single['sets'] == ['Path'] and single['parameters'] == {'Path': {}, 'Stream': {}}
