# -*- coding: utf-8 -*-
"""The steps of docs/docsite/rst/your_own_project.rst, read from the page (issue 22).

    for step in steps():          # in page order
        step.kind                 # 'file' or 'commands'
        step.name                 # the file's path in the project, or the command block's name
        step.body                 # the file's text, or the list of commands (the "$ " lines, prompt removed)

A page whose commands and files are only proofread goes stale without anyone noticing; this one is executed
(tests/acceptance/test_your_own_project.py), so the parser is strict: a marker must be followed by its
code-block with nothing but blank lines and other markers between, and a command block holds commands only.
"""

from __future__ import annotations

import collections
import os
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(ROOT, 'docs', 'docsite', 'rst', 'your_own_project.rst')
FILE_MARKER = '.. hkpost-project-file:'
COMMANDS_MARKER = '.. hkpost-project-commands:'
PROMPT = '$ '

Step = collections.namedtuple('Step', 'kind name body language')


def _block_after(lines, index):
    """``(language, dedented source)`` of the code-block that follows the marker on line ``index``."""
    for i in range(index + 1, len(lines)):
        line = lines[i].strip()
        if line.startswith('.. code-block::'):
            break
        if line and not line.startswith('.. hkpost-'):
            raise AssertionError('line %d: %r between the marker on line %d and its code-block'
                                 % (i + 1, line, index + 1))
    else:
        raise AssertionError('line %d: a marker with no code-block after it' % (index + 1))
    language = line[len('.. code-block::'):].strip()
    body = []
    for line in lines[i + 1:]:
        if line.strip() and not line.startswith(' '):
            break   # the first unindented line ends the block
        body.append(line)
    return language, textwrap.dedent('\n'.join(body)).strip('\n') + '\n'


def steps(page=PAGE):
    with open(page, encoding='utf-8') as handle:
        lines = handle.read().splitlines()
    found = []
    for index, line in enumerate(lines):
        text = line.strip()
        if text.startswith(FILE_MARKER):
            language, body = _block_after(lines, index)
            found.append(Step('file', text[len(FILE_MARKER):].strip(), body, language))
        elif text.startswith(COMMANDS_MARKER):
            language, body = _block_after(lines, index)
            commands = [c for c in body.splitlines() if c.strip()]
            stray = [c for c in commands if not c.startswith(PROMPT)]
            assert language == 'console', 'line %d: a command block is a console block, not %r' % (index + 1, language)
            assert not stray, 'line %d: a command block holds "$ " lines only, not %r' % (index + 1, stray)
            found.append(Step('commands', text[len(COMMANDS_MARKER):].strip(),
                              [c[len(PROMPT):] for c in commands], language))
    return found
