# -*- coding: utf-8 -*-
"""certificate_inventory_read, answered from the fake host: its stores and every consumer of a certificate.

The consumers this payload is the first to read are modelled here from Microsoft's documentation of each:

* the RDP listener - ``Win32_TSGeneralSetting`` in ``root\\cimv2\\TerminalServices``, one instance per listener
  (``TerminalName`` "RDP-Tcp"), ``SSLCertificateSHA1Hash`` the thumbprint as a string of hex digits; with no
  certificate configured Windows makes a self-signed one in LocalMachine\\Remote Desktop and points the
  listener at it (https://learn.microsoft.com/windows/win32/termserv/win32-tsgeneralsetting ,
  https://learn.microsoft.com/troubleshoot/windows-server/remote/remote-desktop-listener-certificate-configurations).
  ``wmic``, which older renewal scripts used for it, is not on Windows Server 2025 (build 26100): a script
  that runs it there fails as Windows fails it
  (https://learn.microsoft.com/windows/whats-new/deprecated-features);
* WinRM listeners - ``WSMan:\\localhost\\Listener\\Listener_<n>`` containers holding ``Address``, ``Transport``
  (HTTP or HTTPS), ``Port``, ``Hostname`` and ``CertificateThumbprint`` (empty for HTTP); the host is reached
  over WinRM, so its HTTP listener on 5985 is always there
  (https://learn.microsoft.com/powershell/module/microsoft.wsman.management/about/about_wsman_provider);
* RD Gateway - only with the role (service ``TSGateway``); ``Win32_TSGatewayServerSettings.CertHash`` is a
  byte array (uint8[]) the payload turns into hex
  (https://learn.microsoft.com/windows/win32/termserv/win32-tsgatewayserversettings);
* SQL Server - ``HKLM:\\SOFTWARE\\Microsoft\\Microsoft SQL Server\\Instance Names\\SQL`` maps each instance name
  to its id (MSSQL16.MSSQLSERVER), whose ``MSSQLServer\\SuperSocketNetLib`` value ``Certificate`` holds the
  thumbprint SQL Server Configuration Manager writes, in lower case; empty means SQL Server generates its own
  self-signed certificate at start-up
  (https://learn.microsoft.com/sql/database-engine/configure-windows/configure-sql-server-encryption).

``host.state['consumers']`` is a HostConsumers object. The WinRM endpoint's host store
(tests/support/winrm/hoststate.py) imports the areas it knows by name; a host carrying this object imports this
module when it is unpickled, which registers the handler there too.
"""

from __future__ import annotations

import functools

import tests.support.windows.certstore  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.exchange import read_exchange_certificates
import tests.support.windows.iis  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import script_facts
from tests.support.windows.certstore import ecert_store_read
from tests.support.windows.host import _HANDLERS, HostFailure, handles
from tests.support.windows.iis import iis_state, require_functions

SERVER_2025 = 26100
CNG_PROVIDER = 'Microsoft Software Key Storage Provider'
CAPI_PROVIDER = 'Microsoft RSA SChannel Cryptographic Provider'


class HostConsumers:
    """The consumers a host has besides IIS and Exchange (those live in host.state['iis'] / ['exchange'])."""

    def __init__(self):
        self.rdp = [{'terminal_name': 'RDP-Tcp', 'thumbprint': None}]
        self.rdp_error = None          # e.g. the TerminalServices namespace is missing
        self.winrm = [{'name': 'Listener_1084132640', 'transport': 'HTTP', 'address': '*', 'port': '5985',
                       'hostname': '', 'thumbprint': ''}]
        self.rd_gateway = None         # None: role not installed; else the certificate hash as bytes
        self.sql = []                  # [{'name', 'id', 'certificate' (as written), 'force_encryption'}]


def consumers(host):
    return host.state.setdefault('consumers', HostConsumers())


def set_rdp_certificate(host, thumbprint, terminal_name='RDP-Tcp'):
    consumers(host).rdp = [{'terminal_name': terminal_name, 'thumbprint': thumbprint}]


def add_winrm_https_listener(host, thumbprint, port='5986', address='*', hostname=''):
    state = consumers(host)
    state.winrm.append({'name': 'Listener_%d' % (1641048000 + len(state.winrm)), 'transport': 'HTTPS',
                        'address': address, 'port': port, 'hostname': hostname, 'thumbprint': thumbprint})


def install_rd_gateway(host, thumbprint=None):
    consumers(host).rd_gateway = bytes.fromhex(thumbprint) if thumbprint else b''


def add_sql_instance(host, name, instance_id, thumbprint=None, force_encryption=0):
    # Configuration Manager writes the thumbprint in lower case.
    consumers(host).sql.append({'name': name, 'id': instance_id, 'certificate': (thumbprint or '').lower(),
                                'force_encryption': force_encryption})


TERMINAL_SERVICES = 'root\\cimv2\\terminalservices'
# The functions of the machine_stores and iis_bindings preludes the payload calls (lower case).
_PRELUDE_FUNCTIONS = {'get-machinestorecertificate', 'convertto-storeentry', 'read-iishttps', 'read-iissite',
                      'read-sslmapping', 'read-httpsysmapping'}


def _text(value):
    return str(value or '').strip().strip('\'"').lower()


@functools.lru_cache(maxsize=8)
def _script_reads(script):
    """What the script reads, from its text - once per script text: a fleet of a thousand hosts receives the same
    script a thousand times, and walking its tree is the cost.

    ``missing``: prelude functions it calls without defining them; ``wmic``: whether it runs wmic; ``cim``:
    the (namespace, class) of each Get-CimInstance call.
    """
    calls = script_facts.calls(script)
    called = {c.name.lower() for c in calls}
    missing = _PRELUDE_FUNCTIONS & called - script_facts.defined_functions(script)
    cim = frozenset((_text(c.value('Namespace')), _text(c.value('ClassName')))
                    for c in calls if c.name.lower() == 'get-ciminstance')
    return {'missing': bool(missing), 'wmic': bool(called & {'wmic', 'wmic.exe'}), 'cim': cim}


def _cim(host, class_name):
    """Get-CimInstance of a Terminal Services class: the class lives in root\\cimv2\\TerminalServices only; asked for
    in another namespace, Windows answers "Invalid class" (the payload reports it); never asked for, nothing."""
    asked = {namespace for namespace, name in _script_reads(host.script)['cim'] if name == class_name.lower()}
    if not asked:
        return 'not read'
    if TERMINAL_SERVICES not in asked:
        return 'Invalid class "%s"' % class_name
    return None


def _iis(host):
    """What the iis_bindings prelude's Read-IisSite 'https' and Read-SslMapping return (as iis_bindings_read)."""
    if 'iis' not in host.state:
        return {'present': False, 'sites': [], 'sslcert': {'ipport': [], 'hostnameport': []}}
    state = iis_state(host)
    return {'present': True,
            'sites': [{'name': s['name'], 'id': s['id'],
                       'bindings': [{k: b[k] for k in ('protocol', 'binding_information', 'ssl_flags')}
                                    for b in s['bindings'] if b['protocol'] == 'https']} for s in state['sites']],
            'sslcert': {kind: [dict(endpoint=e, **m) for e, m in state['sslcert'][kind].items()]
                        for kind in ('ipport', 'hostnameport')}}


def _key_fact(entry):
    if not entry.get('has_private_key'):
        return {'provider': None, 'storage': None, 'exportable': None, 'error': None}
    if entry.get('key_missing'):
        # HasPrivateKey stays true while the key file is gone; opening it fails.
        return {'provider': None, 'storage': None, 'exportable': None, 'error': 'Keyset does not exist'}
    storage = entry.get('key_storage', 'CNG')
    return {'provider': entry.get('key_provider') or (CNG_PROVIDER if storage == 'CNG' else CAPI_PROVIDER),
            'storage': storage, 'exportable': bool(entry.get('exportable')), 'error': None}


def _rdp(host):
    state = consumers(host)
    if _script_reads(host.script)['wmic'] and host.os_build >= SERVER_2025:
        raise HostFailure("The term 'wmic' is not recognized as the name of a cmdlet, function, script file, or "
                          "operable program.", exception_type='System.Management.Automation.CommandNotFoundException',
                          category='ObjectNotFound', fqid='CommandNotFoundException')
    problem = _cim(host, 'Win32_TSGeneralSetting')
    if problem == 'not read':
        return {'listeners': [], 'error': None}
    if problem or state.rdp_error:
        return {'listeners': [], 'error': problem or state.rdp_error}
    listeners = []
    for listener in state.rdp:
        thumbprint = listener['thumbprint']
        if thumbprint is None:
            # No certificate configured: the listener uses the self-signed one Windows keeps in Remote Desktop.
            own = host.stores.get('Remote Desktop') or []
            thumbprint = own[0]['thumbprint'] if own else ''
        listeners.append({'terminal_name': listener['terminal_name'], 'thumbprint': thumbprint.upper()})
    return {'listeners': listeners, 'error': None}


def host_consumers_answer(host):
    """What the host_consumers prelude answers: the RDP listener, WinRM listeners, RD Gateway, SQL Server."""
    state = consumers(host)
    gateway = {'installed': state.rd_gateway is not None, 'thumbprint': None, 'error': None}
    if state.rd_gateway is not None:
        problem = _cim(host, 'Win32_TSGatewayServerSettings')
        if problem and problem != 'not read':
            gateway['error'] = problem
        elif state.rd_gateway and not problem:
            gateway['thumbprint'] = state.rd_gateway.hex().upper()
    return {
        'rdp': _rdp(host),
        'winrm': {'listeners': [{k: listener[k] for k in ('name', 'transport', 'address', 'port', 'hostname',
                                                          'thumbprint')} for listener in state.winrm], 'error': None},
        'rd_gateway': gateway,
        'sql': {'instances': [{'name': i['name'], 'id': i['id'], 'thumbprint': i['certificate'],
                               'force_encryption': i['force_encryption']} for i in state.sql], 'error': None},
    }


@handles('certificate_inventory_read')
def certificate_inventory_read(host, params):
    if _script_reads(host.script)['missing']:
        # raises what Windows says, at the first one the script calls (the stores are read first)
        require_functions(host, 'Get-MachineStoreCertificate', 'ConvertTo-StoreEntry', 'Read-IisHttps', 'Read-IisSite',
                          'Read-SslMapping', 'Read-HttpSysMapping')
    state = consumers(host)
    stores = {}
    for name in params.get('StoreNames') or []:
        # Entries as every area keeps them: some (the chain's) carry DER bytes and no thumbprint; the store
        # listing answers them as ecert_store_read does.
        listed = ecert_store_read(host, {'StoreNames': [name]})['stores'][name]
        stores[name] = [dict(e, archived=bool(raw.get('archived')), key=_key_fact(raw))
                        for e, raw in zip(listed, host.stores.get(name, []))]
    iis = _iis(host)
    exchange = {'present': bool(params.get('Exchange')), 'known': False, 'error': None, 'certificates': []}
    if params.get('Exchange'):
        try:
            answer = _HANDLERS['exchange_read'](host, params)
            # the exchange_certificates prelude, composed into certificate_inventory_read as into retire_read
            exchange.update(known=True, certificates=read_exchange_certificates(host, answer))
        except HostFailure as e:  # the payload catches the session's failure and reports it
            exchange['error'] = str(e)
    return {
        'os_build': host.os_build, 'stores': stores,
        'iis': iis,
        'exchange': exchange,
        **host_consumers_answer(host),
    }
