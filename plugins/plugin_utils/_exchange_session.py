# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parameters of a payload that opens the exchange_session prelude, refused before any payload runs when the
session could not authenticate from the managed host (``module_utils/install/_exchange_hop.py`` decides).

Every action plugin that opens the session builds its parameters here: ``exchange_cert``, ``hkpost_install`` with
``platform: exchange``, and ``hkpost_retire``
with ``exchange: true``.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange_hop import (
    SECOND_HOP_CHOICES, SECOND_HOP_VARIABLE, check_exchange_session)
from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text
from ansible_collections.hkpost.ecert.plugins.plugin_utils._connection_auth import connection_auth

# The Exchange options of the action plugins' ARGUMENT_SPEC, one definition for all of them.
SESSION_OPTIONS = {
    'server': {'type': 'str'},
    'connection_uri': {'type': 'str'},
    'authentication': {'type': 'str', 'default': 'Kerberos', 'choices': ['Kerberos', 'Negotiate', 'Basic', 'Default']},
    'username': {'type': 'str'},
    'password': {'type': quoted_text, 'no_log': True},
    # no default: unset falls back to the host's hkpost_exchange_second_hop, then auto
    'second_hop': {'type': 'str', 'choices': list(SECOND_HOP_CHOICES)},
}


# The read-only modules' switch (doc fragment hkpost.ecert.exchange_session.exchange_host).
EXCHANGE_HOST_OPTION = {'exchange': {'type': 'bool', 'default': False}}


def declared_second_hop(action, args, task_vars):
    """The task's second_hop, else the host variable hkpost_exchange_second_hop, else auto."""
    if args.get('second_hop'):
        return args['second_hop']
    value = task_vars.get(SECOND_HOP_VARIABLE)
    if value is not None:
        value = action._templar.template(value)
    if value in (None, ''):
        return 'auto'
    if value not in SECOND_HOP_CHOICES:
        raise HkpostError('%s is "%s"; give one of %s.' % (SECOND_HOP_VARIABLE, value, ', '.join(SECOND_HOP_CHOICES)))
    return value


def exchange_session(action, args, task_vars):
    """``(params, sensitive, second_hop)``: ``Server``, ``ConnectionUri`` and ``Authentication`` for the payload,
    the ``Credential`` for its sensitive_parameters (empty without a username), and how the second hop
    authenticates. Raises ``HkpostError`` - before anything reaches the host - when it cannot."""
    options = dict(args, second_hop=declared_second_hop(action, args, task_vars))
    decided = check_exchange_session(options, connection_auth(action._connection), task_vars.get('inventory_hostname'))
    params = {'Server': decided['server'], 'ConnectionUri': decided['uri'], 'Authentication': args['authentication']}
    sensitive = {}
    if args['username']:
        # win_powershell's username/password form: the payload receives a PSCredential.
        sensitive['Credential'] = {'username': args['username'], 'password': args['password']}
    return params, sensitive, decided['second_hop']
