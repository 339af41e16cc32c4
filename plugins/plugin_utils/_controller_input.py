# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading files the operator gives an action plugin on the controller (``src``/``content``, or a path option).

Every refusal here happens before the host is contacted, and names the option, the path and the fix
(instead of a raw ``[Errno 21] Is a directory`` or an empty file silently taken as "not given").
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail


def read_src_or_content(action, args, src='src', content='content'):
    """The bytes of ``args[src]`` (searched like copy's src: role files/, playbook dir) or ``args[content]``."""
    if args.get(content):
        return args[content].encode('utf-8') if isinstance(args[content], str) else args[content]
    path = args.get(src)
    if not path:
        raise AnsibleActionFail('give the issued certificate as %s (a file on the controller) or %s.' % (src, content))
    return read_controller_file(action, src, path)


def resolve_controller_path(option, path):
    """The controller path ``path`` names: absolute as given, relative to the directory ansible-playbook runs in.

    One rule for every input file (chain, ARL, trust, PFX, issued certificates), the same base as the outputs
    (``hkpost_output_dir``): a relative path never resolves inside the installed collection or a role's files/,
    where ``hkpost.ecert.install`` would otherwise look for the user's files (issue 22).
    """
    if not isinstance(path, str) or not path.strip():
        raise AnsibleActionFail('%s is empty; give the path of a file on the controller.' % option)
    return os.path.abspath(os.path.expanduser(path))


def read_controller_file(action, option, path):
    """The bytes of controller file ``path`` given as ``option`` (see resolve_controller_path for relative paths).

    A directory or an empty (or blank) file is refused: an empty download or a wrong path must not read as
    "option not given" (which would quietly fall back to a default, or skip the step).
    """
    del action  # kept in the signature: every caller is an action plugin, and the rule may need its context
    found = resolve_controller_path(option, path)
    if not os.path.exists(found):
        raise AnsibleActionFail('%s: %s was not found on the controller (a relative path is taken from the directory '
                                'ansible-playbook runs in, %s); give the file\'s full path, or run from the folder '
                                'that holds it.' % (option, found, os.getcwd()))
    if os.path.isdir(found):
        raise AnsibleActionFail('%s: %s is a directory on the controller; give the path of the file itself.'
                                % (option, found))
    with open(found, 'rb') as f:
        data = f.read()
    if not data.strip():
        raise AnsibleActionFail('%s: %s is empty (%d bytes); an interrupted download or a wrong file? Download it '
                                'again (or fix the path) - nothing was changed.' % (option, found, len(data)))
    return data
