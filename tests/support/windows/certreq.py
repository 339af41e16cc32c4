# -*- coding: utf-8 -*-
"""How the payload runs certreq.exe, read from the script: its verb and its context (machine or user).

certreq works in the USER context unless told otherwise: ``-machine`` "configures a machine context"
(https://learn.microsoft.com/windows-server/administration/windows-commands/certreq_1, options ``-user``
and ``-machine``). For ``-new`` the policy file can say it too: the INF key ``MachineKeySet = TRUE`` makes
the key "created in the machine's security context and not the administrator's" (same page,
[NewRequest] keys). A user-context request and its key go to the WinRM account's CurrentUser\\REQUEST,
which ``Cert:\\LocalMachine\\REQUEST`` does not list; ``certreq -accept`` without ``-machine`` looks for the
pending request in CurrentUser\\REQUEST and, finding none, fails with CRYPT_E_NOT_FOUND.
"""

from __future__ import annotations

from tests.support.windows import script_facts
from tests.support.windows.host import HostFailure


def certreq_run(host, verb):
    """The arguments of the script's ``certreq <verb>`` run; a script that never runs that verb fails as
    Windows would answer the caller that expected its result (the file certreq would have written is missing)."""
    for arguments in script_facts.native_invocations(host.script, 'certreq'):
        if any(a.lower() == verb for a in arguments):
            return [a.lower() for a in arguments]
    raise HostFailure('certreq %s was not run: the script never calls it' % verb)


def context(arguments, inf_machine_key_set=False):
    """'machine' or 'user': -machine / -user on the command line, else the INF's MachineKeySet (for -new)."""
    if '-machine' in arguments:
        return 'machine'
    if '-user' in arguments:
        return 'user'
    return 'machine' if inf_machine_key_set else 'user'


def request_store(host, where):
    """LocalMachine\\REQUEST (host.stores) or the WinRM user's CurrentUser\\REQUEST."""
    if where == 'machine':
        return host.stores['REQUEST']
    return host.state.setdefault('current_user_stores', {}).setdefault('REQUEST', [])
