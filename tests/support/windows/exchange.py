# -*- coding: utf-8 -*-
"""An Exchange server's certificates and services, as the exchange_* payloads see them over implicit remoting.

``host.state['exchange']`` = {'version': 'Version 14.3 (Build 123.4)', 'certificates': [{'thumbprint',
'der', 'key', 'services': [..], 'status', 'friendly_name', 'certificate_request'}], 'sessions': [...]}.
Enabling a certificate moves IIS, POP, IMAP and UM off the others, as Exchange does; SMTP stays.
"""

from __future__ import annotations

import base64
import re

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.chain import chain_steps
from tests.support.windows import script_facts
from tests.support.windows.host import _HANDLERS, HostFailure, handles
from tests.support.windows.iis import require_functions
from tests.support.windows.powershell import remote_string
from tests.support.windows.pfx import export_many
from tests.support.windows.prompts import prompt_refused
from tests.support.windows.request import os_build

SINGLE = {'IIS', 'POP', 'IMAP', 'UM', 'UMCallRouter', 'Federation'}
# The functions of the exchange_requests prelude (exchange_request, exchange_request_many).
EXCHANGE_REQUESTS = ('Read-ExchangePendingRequest', 'New-ExchangeRequest')


def exchange_state(host, version='Version 14.3 (Build 123.4)'):
    return host.state.setdefault('exchange', {'version': version, 'certificates': [], 'sessions': []})


def add_certificate(host, cert, key=None, services=(), status='Valid', friendly_name=''):
    exchange_state(host)['certificates'].append({
        'thumbprint': cert.fingerprint(hashes.SHA1()).hex().upper(),
        'der': base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode(), 'key': key,
        'services': None if services is None else list(services), 'status': status, 'friendly_name': friendly_name, 'certificate_request': None})


def add_pending(host, key, cn):
    entry = pending_entry(key, cn)
    exchange_state(host)['certificates'].append(dict(entry, services=[], status='PendingRequest',
                                                     certificate_request='MIIBfake'))
    # New-ExchangeCertificate -GenerateRequest keeps the request where certreq does, in LocalMachine\REQUEST
    # (certlm.msc shows it under Certificate Enrollment Requests; the guide's section F exports it from there).
    host.stores['REQUEST'].append(dict(entry))


def add_account(host, username, password):
    """A domain account the Exchange endpoint accepts (Basic/Negotiate logon with this password)."""
    exchange_state(host).setdefault('accounts', {})[username.lower()] = password


def _switch_on(value):
    """A switch bound as ``-Name``, ``-Name:$true`` or ``Name = $true`` in a splat."""
    return value is True or (isinstance(value, str) and value.strip().lower() == '$true')


def _session(host, params):
    """New-PSSession -ConfigurationName Microsoft.Exchange, as the payload calls it.

    The payload passes its [PSCredential] $Credential (win_powershell made it from
    sensitive_parameters username/password) as -Credential; without one, Kerberos as the
    connected user. The endpoint checks the password the credential holds; a wrong one is a failed logon
    (counted: on a domain account that is how an AD lockout starts).
    """
    state = exchange_state(host)
    credential = params['Credential']
    if '$session' not in script_facts.assigned_variables(host.script) or not script_facts.calls(host.script,
                                                                                                'New-PSSession'):
        # The session is opened by the exchange_session prelude (plugins/payloads/_preludes/), which
        # _win_payload.load_payload composes in; a script sent without it never opens one, and Windows
        # stops at the payload's first use of it: Import-PSSession -Session $null.
        raise HostFailure("Import-PSSession : Cannot validate argument on parameter 'Session'. The argument is null. "
                          "Provide a valid value for the argument, and then try the command again.",
                          exception_type='System.Management.Automation.ParameterBindingValidationException',
                          category='InvalidData', fqid='ParameterArgumentValidationError,'
                          'Microsoft.PowerShell.Commands.ImportPSSessionCommand')
    opened = script_facts.calls(host.script, 'New-PSSession')[0]
    configuration = script_facts.effective_parameters(host.script, opened).get('configurationname')
    if not isinstance(configuration, str) or configuration.strip('\'"').lower() != 'microsoft.exchange':
        # The Exchange management endpoint (/PowerShell/) serves the Microsoft.Exchange configuration only;
        # without -ConfigurationName New-PSSession asks for Microsoft.PowerShell, which it does not have
        # (https://learn.microsoft.com/powershell/exchange/connect-to-exchange-servers-using-remote-powershell).
        raise HostFailure('Connecting to remote server %s failed with the following error message : The WS-Management '
                          'service cannot process the request. Cannot find the Microsoft.PowerShell session '
                          'configuration in the WSMan: drive on the %s computer.' % (params['ConnectionUri'],
                                                                                     params['Server']))
    if host.state.get('exchange_unreachable'):
        raise HostFailure('Connecting to remote server %s failed: WinRM cannot process the request (Kerberos)'
                          % params['ConnectionUri'])
    if credential is not None:
        expected = state.setdefault('accounts', {}).get(credential.username.lower())
        if expected is None or expected != credential.network_password():
            state.setdefault('failed_logons', []).append(credential.username)
            raise HostFailure('Connecting to remote server %s failed with the following error message : Access is '
                              'denied.' % params['ConnectionUri'])
    state['sessions'].append({'uri': params['ConnectionUri'], 'auth': params['Authentication'],
                              'user': credential.username if credential else None})


def require_imported(host, *cmdlets):
    """An Exchange cmdlet exists in the script only if ``Import-PSSession -CommandName`` imported it from the
    session (https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/import-pssession:
    "-CommandName: Imports only the commands with the specified names"); any other is CommandNotFound."""
    imported = script_facts.imported_commands(host.script)
    for cmdlet in cmdlets:
        if script_facts.calls(host.script, cmdlet) and cmdlet.lower() not in imported:
            raise HostFailure("The term '%s' is not recognized as the name of a cmdlet, function, script file, or "
                              "operable program. Check the spelling of the name, or if a path was included, verify "
                              "that the path is correct and try again." % cmdlet,
                              exception_type='System.Management.Automation.CommandNotFoundException',
                              category='ObjectNotFound', fqid='CommandNotFoundException')


def _call(host, cmdlet):
    found = script_facts.calls(host.script, cmdlet)
    assert found, 'the payload calls %s' % cmdlet
    return found[0]


def _end_session(host, params):
    """``Remove-PSSession -Session $session`` in the payload's finally block.

    Remove-PSSession is a ShouldProcess cmdlet: under -WhatIf (a read payload in check mode) it
    only reports what it would do, unless the call says ``-WhatIf:$false``. A session left open
    counts against Exchange's per-user limit on remote PowerShell sessions.
    """
    whatif = params.whatif
    removes = script_facts.calls(host.script, 'Remove-PSSession')
    assert removes, 'an exchange payload closes its session'
    if whatif and not all(script_facts.whatif_off(c) for c in removes):
        exchange_state(host).setdefault('leaked_sessions', []).append(host.script.splitlines()[0])


@handles('exchange_read')
def exchange_read(host, params):
    _session(host, params)
    require_imported(host, 'Get-ExchangeServer', 'Get-ExchangeCertificate')
    # Each certificate mapped by the exchange_certificates prelude (exchange_read, retire_read, inventory).
    require_functions(host, 'ConvertTo-ExchangeCertificateEntry')
    _end_session(host, params)
    state = exchange_state(host)
    return {'version': state['version'], 'os_build': os_build(host),
            'certificates': [{'thumbprint': c['thumbprint'], 'der': c['der'],
                              # status/services None: Exchange sent RawData only (serialized data signing
                              # with an expired Auth certificate); the payload passes null through.
                              'services': None if c['services'] is None else ', '.join(c['services']) or 'None',
                              'status': c['status'],
                              'has_private_key': c.get('key') is not None, 'friendly_name': c['friendly_name'],
                              'certificate_request': c.get('certificate_request')} for c in state['certificates']]}


@handles('exchange_request')
def exchange_request(host, params):
    _session(host, params)
    require_imported(host, 'New-ExchangeCertificate', 'Get-ExchangeCertificate')
    require_functions(host, *EXCHANGE_REQUESTS)
    return _new_request(host, params['SubjectName'], params['DomainName'], params['KeySize'], params['Server'])


@handles('exchange_request_many')
def exchange_request_many(host, params):
    """The payload's loop in one session: New-ExchangeCertificate for each of Requests; after the session, with
    Backup, the pending requests the session added exported (with Items) by the pfx_export prelude."""
    _session(host, params)
    require_imported(host, 'New-ExchangeCertificate', 'Get-ExchangeCertificate')
    require_functions(host, *EXCHANGE_REQUESTS)
    before = [c['thumbprint'] for c in exchange_state(host)['certificates'] if c['status'] == 'PendingRequest']
    created = []
    for request in params['Requests'] or []:
        answer = _new_request(host, request['subject_name'], request['domain_name'], request['key_size'],
                              params['Server'])
        created.append({'csr': answer['csr'], 'thumbprint': answer['thumbprint']})
    pending = [{'thumbprint': c['thumbprint'], 'der': c['der']} for c in exchange_state(host)['certificates']
               if c['status'] == 'PendingRequest']
    _end_session(host, params)
    items = list(params['Items'] or [])
    if params['Backup']:
        items.extend({'store': 'REQUEST', 'thumbprint': p['thumbprint']} for p in pending
                     if p['thumbprint'] not in before)
    return {'created': created, 'pending': pending, 'exports': export_many(host, params, items)}


def _new_request(host, subject_name, domain_name, key_size, server):
    """New-ExchangeCertificate as the script splats it: ``{csr, thumbprint, pending}`` as exchange_request answers."""
    bound = script_facts.effective_parameters(host.script, _call(host, 'New-ExchangeCertificate'))
    # -KeySize: 2048 when not given (https://learn.microsoft.com/powershell/module/exchange/new-exchangecertificate).
    key_size = key_size if 'keysize' in bound else 2048
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    if not _switch_on(bound.get('generaterequest')):
        # Without -GenerateRequest New-ExchangeCertificate makes a self-signed certificate, not a request
        # (https://learn.microsoft.com/powershell/module/exchange/new-exchangecertificate): there is no
        # request text, and the object's CertificateRequest is empty.
        cn = [p.split('=', 1)[1] for p in subject_name.split(', ') if p.startswith('CN=')][0]
        self_signed = pending_entry(key, cn)
        add_certificate(host, x509.load_der_x509_certificate(base64.b64decode(self_signed['der'])), key,
                        services=['IMAP', 'POP', 'SMTP'])
        pending = [{'thumbprint': c['thumbprint'], 'der': c['der']} for c in exchange_state(host)['certificates']
                   if c['status'] == 'PendingRequest']
        return {'csr': None, 'thumbprint': self_signed['thumbprint'], 'pending': pending}
    cn = [p.split('=', 1)[1] for p in subject_name.split(', ') if p.startswith('CN=')][0]
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, cn)]))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in domain_name]), critical=False)
           .sign(key, hashes.SHA256()))
    body = base64.b64encode(csr.public_bytes(serialization.Encoding.DER)).decode()
    add_pending(host, key, cn)
    exchange_state(host)['certificates'][-1]['certificate_request'] = body
    exchange_state(host)['certificates'][-1]['subject_name'] = subject_name
    # -PrivateKeyExportable: without it "the private key ... isn't exportable" (same page), and neither a
    # PFX backup nor a move to another server can take the certificate.
    exchange_state(host)['certificates'][-1]['exportable'] = _switch_on(bound.get('privatekeyexportable'))
    # The same key waits in LocalMachine\REQUEST, where a pending-key backup exports it from: exportable alike.
    host.stores['REQUEST'][-1]['exportable'] = _switch_on(bound.get('privatekeyexportable'))
    # Exchange 2010 and 2016+ return the request text: through implicit remoting it comes back as a
    # string carrying the remoting NoteProperties, and stays so in the variable it is assigned to
    # unless the payload converts it ([string]), which hands over the plain System.String.
    returned = re.search(r'(\$\w+)\s*=\s*New-ExchangeCertificate\b', host.script, re.I)
    plain = returned and re.search(r'\$csr\s*=\s*\[string\]\s*%s\b' % re.escape(returned.group(1)), host.script, re.I)
    csr_text = body if plain else remote_string(body, server)
    # With only the request text returned, the payload then lists the pending requests.
    pending = [{'thumbprint': c['thumbprint'], 'der': c['der']} for c in exchange_state(host)['certificates']
               if c['status'] == 'PendingRequest']
    return {'csr': csr_text, 'thumbprint': None, 'pending': pending}


def _import(host, params):
    """Import-ExchangeCertificate -FileData: the pending request with the same key becomes the certificate."""
    require_imported(host, 'Import-ExchangeCertificate')
    cert = x509.load_der_x509_certificate(base64.b64decode(params['CertificateBase64']))
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    state = exchange_state(host)
    for entry in list(state['certificates']):
        if entry['status'] != 'PendingRequest':
            continue
        placeholder = x509.load_der_x509_certificate(base64.b64decode(entry['der']))
        if placeholder.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo) == spki:
            state['certificates'].remove(entry)
            host.stores['REQUEST'] = [e for e in host.stores['REQUEST'] if e['thumbprint'] != entry['thumbprint']]
            add_certificate(host, cert, entry['key'])
            # Exchange certificates are LocalMachine\My certificates; the key is exportable when the request
            # was made with -PrivateKeyExportable (add_pending: a request made by hand, taken as exportable).
            host.stores['My'].append(entry_for(cert, entry['key'], exportable=entry.get('exportable', True)))
            return {'thumbprint': state['certificates'][-1]['thumbprint'], 'status': 'Valid', 'services': 'None'}
    raise HostFailure('Import-ExchangeCertificate: The certificate request could not be found.')


@handles('exchange_enable')
def exchange_enable(host, params):
    chain_answer = None
    if params.get('ChainSteps'):
        # Before the session: the chain plan's steps by the chain_steps prelude's Invoke-ChainSteps, as chain_apply
        # runs them; the first failure ends the payload (nothing imported, enabled or exported).
        require_functions(host, 'Invoke-ChainSteps', 'Invoke-ChainStep')
        chain_answer = chain_steps(host, params['ChainSteps'])
        if chain_answer['failed']:
            return {'thumbprint': params['Thumbprint'], 'imported': None, 'services': [], 'exports': [],
                    'chain': chain_answer}
    answer = _enable(host, params)
    answer['chain'] = chain_answer
    # After the session: the PFX exports of Items, by the same pfx_export prelude (and checks) as pfx_export_many.
    answer['exports'] = _HANDLERS['pfx_export_many'](host, params)['exports'] if params.get('Items') else []
    return answer


def _enable(host, params):
    _session(host, params)
    imported = None
    if params.get('CertificateBase64'):
        assert script_facts.calls(host.script, 'Import-ExchangeCertificate'), 'the payload imports the certificate'
        imported = _import(host, params)['thumbprint']
    services = params.get('Services') or []
    if not services:
        return {'thumbprint': params['Thumbprint'], 'imported': imported, 'services': []}
    require_imported(host, 'Enable-ExchangeCertificate')
    state = exchange_state(host)
    target = next((c for c in state['certificates'] if c['thumbprint'] == params['Thumbprint']), None)
    if target is None:
        raise HostFailure('Enable-ExchangeCertificate: certificate %s not found' % params['Thumbprint'])
    smtp_default = any(c is not target and 'SMTP' in (c['services'] or []) for c in state['certificates'])
    if 'SMTP' in params['Services'] and smtp_default and not _call(host, 'Enable-ExchangeCertificate').has('Force'):
        # Enabling SMTP on a new certificate asks whether to overwrite the default SMTP certificate unless
        # -Force (https://learn.microsoft.com/powershell/module/exchange/enable-exchangecertificate); nobody
        # can answer in a win_powershell script (prompts.py).
        raise prompt_refused('Enable-ExchangeCertificate', 'Overwrite the existing default SMTP certificate?')
    for cert in state['certificates']:
        if cert is not target and cert['services'] is not None:
            cert['services'] = [s for s in cert['services'] if s not in SINGLE or s not in params['Services']]
    target['services'] = sorted(set(target['services']) | set(params['Services']))
    return {'thumbprint': params['Thumbprint'], 'imported': imported, 'services': params['Services']}


def _windows_dn(name):
    # X500DistinguishedName.Name as Windows prints it: most specific first, ", " between the parts.
    return ', '.join(part for part in name.rfc4514_string().split(','))


def issuer_subject(der):
    if not der:
        return {'issuer': '', 'subject': ''}
    cert = x509.load_der_x509_certificate(base64.b64decode(der))
    return {'issuer': _windows_dn(cert.issuer), 'subject': _windows_dn(cert.subject)}


def read_exchange_certificates(host, answer):
    """Read-ExchangeCertificate of the exchange_certificates prelude (retire_read, certificate_inventory_read) over
    exchange_read's answer: each certificate as the function maps it. The function must be in the script."""
    require_functions(host, 'Read-ExchangeCertificate')
    return [dict({k: c[k] for k in ('thumbprint', 'der', 'services', 'status', 'has_private_key', 'friendly_name')},
                 **issuer_subject(c['der'])) for c in answer['certificates']]
