# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the task's connection authenticates, as plain data for ``module_utils/install/_exchange_hop.py``.

Read from the connection plugin's options, which the task executor has set from the host's variables before the
action plugin runs - so nothing is asked of the host. Only ansible-core's ``winrm`` and ``psrp`` are read; any
other connection is ``plugin: None`` (its authentication unknown, and nothing is refused on a guess).
"""

from __future__ import annotations

from ansible.module_utils.parsing.convert_bool import boolean


def _option(connection, name, default=None):
    try:
        value = connection.get_option(name)
    except KeyError:  # an option neither set nor defaulted
        return default
    return default if value is None else value


def _winrm(connection):
    transport = _option(connection, 'transport')
    if isinstance(transport, str):
        transport = [t.strip() for t in transport.split(',')]
    transport = [t for t in transport or () if t]
    if not transport:
        # The winrm plugin's own choice when ansible_winrm_transport is not set (_build_winrm_kwargs): Kerberos
        # for a UPN, else Basic over https ('ssl') or http ('plaintext').
        user = _option(connection, 'remote_user') or ''
        transport = ['kerberos'] if '@' in user else ['basic']
    # ansible_winrm_kerberos_delegation reaches pywinrm through the plugin's pass-through extras.
    delegation = (_option(connection, '_extras', {}) or {}).get('ansible_winrm_kerberos_delegation', False)
    return {'plugin': 'winrm', 'auth': [t.lower() for t in transport],
            'delegates': boolean(delegation, strict=False)}


def _psrp(connection):
    return {'plugin': 'psrp', 'auth': [str(_option(connection, 'auth', 'negotiate')).lower()],
            'delegates': boolean(_option(connection, 'negotiate_delegate', False), strict=False)}


def connection_auth(connection):
    """``{'plugin', 'auth', 'delegates', 'become'}`` for ``_exchange_hop.second_hop``."""
    name = getattr(connection, 'transport', None)
    name = name.rsplit('.', 1)[-1] if isinstance(name, str) else None
    if name == 'winrm':
        described = _winrm(connection)
    elif name == 'psrp':
        described = _psrp(connection)
    else:
        described = {'plugin': None, 'auth': [], 'delegates': False}
    # become: runas with a password logs on anew with it, and that logon holds credentials for the next hop. Without
    # one (SYSTEM, or an S4U logon) the process has none to pass on: it does not count.
    become = getattr(connection, 'become', None)
    described['become'] = (str(getattr(become, 'name', '') or '').rsplit('.', 1)[-1] == 'runas'
                           and bool(_option(become, 'become_pass')))
    return described
