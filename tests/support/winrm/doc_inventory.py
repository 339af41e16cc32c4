# -*- coding: utf-8 -*-
"""The inventory example the docs print, read from the rst: what the test fleets connect with (issue 20).

    group, hosts, connection_vars = example()   # 'ecert_servers', [...], {'ansible_connection': 'winrm', ...}

A fleet that wrote its own connection variables proved only that its own inventory works: the one the
tests carried had ``ansible_shell_type: powershell``, which the docs never print, and the csr role decided
Windows from it. So the fleets take the example from the page a user copies it from, and fill in only
what the docs tell a user to fill in (tests.support.winrm.fleet).
"""

from __future__ import annotations

import os
import textwrap

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PAGE = os.path.join(ROOT, 'docs', 'docsite', 'rst', 'windows_connection.rst')
MARKER = '.. hkpost-inventory-example: winrm'


def code_block_after(text, marker):
    """The source of the first ``.. code-block:: yaml`` after the line ``marker``, dedented."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == marker)
        directive = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == '.. code-block:: yaml')
    except StopIteration:
        raise AssertionError('no "%s" followed by a yaml code-block' % marker) from None
    body = []
    for line in lines[directive + 1:]:
        if line.strip() and not line.startswith(' '):
            break   # the first unindented line ends the block
        body.append(line)
    return textwrap.dedent('\n'.join(body)).strip('\n') + '\n'


def example(page=PAGE, marker=MARKER):
    """``(group name, host names, group vars)`` of the example: one group, as the docs print it."""
    with open(page, encoding='utf-8') as handle:
        inventory = yaml.safe_load(code_block_after(handle.read(), marker))
    assert isinstance(inventory, dict) and len(inventory) == 1, 'the example is not one inventory group: %r' % inventory
    (group, body), = inventory.items()
    return group, list(body.get('hosts') or {}), dict(body['vars'])
