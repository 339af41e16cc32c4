# -*- coding: utf-8 -*-
"""The pending-request store and certreq, as the csr_* payloads see them."""

from __future__ import annotations

import base64
import datetime
import re
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.support.windows import script_facts
from tests.support.windows.certreq import certreq_run, context, request_store
from tests.support.windows.host import HostFailure, handles, require_functions
from tests.support.windows.native import check_native
from tests.support.windows.pfx import export_many
from tests.support.windows.x509store import provider_location, stores_at
from tests.support.windows.powershell import get_content_string

_ATTRS = {'CN': NameOID.COMMON_NAME, 'OU': NameOID.ORGANIZATIONAL_UNIT_NAME, 'O': NameOID.ORGANIZATION_NAME,
          'L': NameOID.LOCALITY_NAME, 'S': NameOID.STATE_OR_PROVINCE_NAME, 'C': NameOID.COUNTRY_NAME}


def parse_x500(text):
    """CertStrToName's reading of "CN=a, O="b, c", C=HK" (quoted values, doubled quotes)."""
    parts = re.findall(r'\s*(\w+)=("(?:[^"]|"")*"|[^,]*)\s*(?:,|$)', text)
    attrs = []
    for key, value in parts:
        if value.startswith('"'):
            value = value[1:-1].replace('""', '"')
        attrs.append(x509.NameAttribute(_ATTRS[key], value.strip()))
    # CertStrToName encodes the RDNs in the order they appear in the string unless the caller passes
    # CERT_NAME_STR_REVERSE_FLAG ("the order of the RDNs is reversed after converting from the string and before
    # encoding"; wincrypt.h CertStrToName documentation), and certreq passes none: a CSR made from
    # "CN=www..., O=..., C=HK" carries CN as its FIRST RDN - the reverse of what cryptography and OpenSSL
    # build (C first). So the subject read back from a Windows request is in the other order.
    return x509.Name(attrs)


def placeholder(key, name):
    """certreq keeps a self-signed placeholder certificate in REQUEST for each pending request."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))


def read_text(host, text, path):
    """A file's text as the payload reads it: ``Get-Content`` decorates the string with the provider's
    NoteProperties, which Windows PowerShell 5.1's ConvertTo-Json then writes as an object
    (powershell.convert_to_json); ``[IO.File]::ReadAllText`` gives the plain string."""
    if script_facts.calls(host.script, 'Get-Content'):
        return get_content_string(text, path)
    return text


@handles('csr_pending_read')
def csr_pending_read(host, params):
    require_functions(host, 'Get-MachineStoreCertificate', 'ConvertTo-StoreEntry')
    stores = stores_at(host, provider_location(host.script))   # Cert:\LocalMachine\REQUEST, as the script says
    if 'REQUEST' not in stores:
        # The Certificate provider lists only stores that exist: LocalMachine\REQUEST appears with the
        # first request made on the machine. Unguarded, Get-ChildItem on it is an error under Stop.
        # The store read: a Get-ChildItem naming REQUEST, or the machine_stores prelude's (the payload asks its
        # Get-MachineStoreCertificate for REQUEST only).
        reads = [c for c in script_facts.calls(host.script, 'Get-ChildItem') if 'REQUEST' in ' '.join(
            str(v) for v in c.parameters.values()) + ' '.join(c.arguments) or c.function == 'Get-MachineStoreCertificate']
        if not all(script_facts.guarded_by_test_path(c) for c in reads):
            raise HostFailure("Cannot find path 'Cert:\\LocalMachine\\REQUEST' because it does not exist.")
        return {'pending': [], 'saved_csrs': [read_text(host, text, path) for path, text in
                                              host.state.get('request_dir', {}).items()], 'os_build': os_build(host)}
    pending = [{'thumbprint': e['thumbprint'], 'der': e['der'],
                'friendly_name': e.get('friendly_name', ''), 'has_private_key': e.get('key') is not None,
                'key_container': e.get('key_container')} for e in stores['REQUEST']]
    saved = [read_text(host, text, path) for path, text in host.state.get('request_dir', {}).items()]
    return {'pending': pending, 'saved_csrs': saved, 'os_build': os_build(host)}


def os_build(host):
    """[Environment]::OSVersion.Version.Build where the script reads it; a script that does not has no such key."""
    return host.os_build if 'OSVersion.Version.Build' in host.script else None


def _inf_value(text, strings):
    """One INF value as SetupAPI reads it: quotes group text (``""`` inside is a quote), ``%%`` is a
    percent sign and ``%name%`` is replaced by the [Strings] entry ``name`` (empty when there is none)."""
    out, i, quoted = [], 0, False
    while i < len(text):
        char = text[i]
        if char == '"':
            if quoted and text[i + 1:i + 2] == '"':
                out.append('"')
                i += 2
                continue
            quoted = not quoted
        elif char == '%':
            end = text.find('%', i + 1)
            if end == i + 1:
                out.append('%')
            elif end > i:
                out.append(strings.get(text[i + 1:end].lower(), ''))
            else:
                out.append('%')
                end = i
            i = end + 1
            continue
        elif char == ';' and not quoted:
            break   # a comment runs to the end of the line
        else:
            out.append(char)
        i += 1
    return ''.join(out).strip()


def parse_inf(text):
    """certreq's policy file read the INF way: {section: [(key, value)]}; a line break ends a line."""
    sections, current = {}, None
    lines = [line.strip() for line in re.split(r'\r\n|\r|\n', text)]
    raw = []
    for line in lines:
        if line.startswith('[') and line.endswith(']'):
            current = line[1:-1].strip().lower()
            sections.setdefault(current, [])
        elif '=' in line and current is not None:
            key, _sep, value = line.partition('=')
            raw.append((current, key.strip(), value.strip()))
    strings = {k.lower(): _inf_value(v, {}) for section, k, v in raw if section == 'strings'}
    for section, key, value in raw:
        sections[section].append((key, _inf_value(value, strings)))
    return sections


@handles('csr_create')
def csr_create(host, params):
    check_native(host, 'certreq', 'certreq -new')
    csr_text, path, _thumbprint = certreq_new(host, params['Inf'], params['RequestDir'])
    # The payload reads certreq's output file back before it saves its copy, then lists LocalMachine\REQUEST
    # as Get-ChildItem does (thumbprint, RawData).
    work = 'C:\\Windows\\TEMP\\hkpost-csr-' + uuid.uuid4().hex + '\\request.csr'
    pending = [{'thumbprint': e['thumbprint'], 'der': e['der']} for e in host.stores['REQUEST']]
    return {'csr': read_text(host, csr_text.replace('\n', '\r\n'), work), 'csr_file': path, 'pending': pending}


@handles('csr_create_many')
def csr_create_many(host, params):
    """The payload's loop: certreq -new for each INF, the REQUEST entry each run added noted (Backup: exported),
    then the pfx_export prelude over Items; the first failure stops it (terminating error)."""
    check_native(host, 'certreq', 'certreq -new')
    created, items = [], list(params['Items'] or [])
    for request in params['Requests'] or []:
        csr_text, path, thumbprint = certreq_new(host, request['inf'], params['RequestDir'])
        work = 'C:\\Windows\\TEMP\\hkpost-csr-' + uuid.uuid4().hex + '\\request.csr'
        # "made": the thumbprints Get-ChildItem lists after the run and not before - in the machine store only.
        made = [thumbprint] if any(e['thumbprint'] == thumbprint for e in host.stores['REQUEST']) else []
        if params['Backup']:
            items.extend({'store': 'REQUEST', 'thumbprint': t} for t in made)
        created.append({'csr': read_text(host, csr_text.replace('\n', '\r\n'), work), 'csr_file': path, 'made': made})
    pending = [{'thumbprint': e['thumbprint'], 'der': e['der']} for e in host.stores['REQUEST']]
    return {'created': created, 'pending': pending, 'exports': export_many(host, params, items)}


def certreq_new(host, inf_text, request_dir):
    """certreq -new with the policy file ``inf_text``, as the script runs it: ``(CSR PEM, saved copy, thumbprint)``."""
    inf = parse_inf(inf_text)
    request = {}
    for key, value in inf.get('newrequest', []):
        request[key.lower()] = value     # a key given twice: the last line wins
    # The context certreq works in: the request (and its key) go to LocalMachine\REQUEST only in the
    # machine context (tests/support/windows/certreq.py).
    requests = request_store(host, context(certreq_run(host, '-new'),
                                           request.get('machinekeyset', '').upper() == 'TRUE'))
    dns_names = [v[4:].rstrip('&') for k, v in inf.get('extensions', []) if k == '_continue_' and v.startswith('dns=')]
    if request.get('useexistingkeyset', '').upper() == 'TRUE':
        matches = [e for e in requests if e.get('key_container') == request.get('keycontainer')]
        if not matches:
            raise HostFailure('certreq -new failed (exit -2146893802): Keyset does not exist')
        key = matches[0]['key']
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=int(request['keylength']))
    name = parse_x500(request['subject'])
    builder = x509.CertificateSigningRequestBuilder().subject_name(name)
    if dns_names:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]),
                                        critical=False)
    csr_text = builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()
    cert = placeholder(key, name)
    requests.append({
        'thumbprint': cert.fingerprint(hashes.SHA1()).hex().upper(),
        'der': base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode(), 'key': key,
        'has_private_key': True,
        'friendly_name': request.get('friendlyname', ''), 'key_container': 'te-' + uuid.uuid4().hex,
        'exportable': request.get('exportable', '').upper() == 'TRUE'})
    path = request_dir + '\\' + uuid.uuid4().hex + '.csr'
    host.state.setdefault('request_dir', {})[path] = csr_text.replace('\n', '\r\n')
    return csr_text, path, requests[-1]['thumbprint']
