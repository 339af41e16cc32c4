# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading files the operator gives an action plugin on the controller (``src``/``content``, or a path option)."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail, AnsibleError


def read_src_or_content(action, args, src='src', content='content'):
    """The bytes of ``args[src]`` (searched like copy's src: role files/, playbook dir) or ``args[content]``."""
    if args.get(content):
        return args[content].encode('utf-8') if isinstance(args[content], str) else args[content]
    path = args.get(src)
    if not path:
        raise AnsibleActionFail('give the issued certificate as %s (a file on the controller) or %s.' % (src, content))
    return read_controller_file(action, src, path)


def read_controller_file(action, option, path):
    """The bytes of controller file ``path`` given as ``option``, searched like copy's src (role files/, playbook dir)."""
    try:
        found = action._find_needle('files', path)
    except AnsibleError as e:
        raise AnsibleActionFail('%s: %s was not found on the controller (%s).' % (option, path, e))
    with open(found, 'rb') as f:
        return f.read()
