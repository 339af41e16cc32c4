# -*- coding: utf-8 -*-
"""The loopback lab of the molecule ``winrm`` scenario, driven from its create/side_effect/destroy playbooks.

    python -m tests.support.winrm.molecule_lab start DIR     # build the hosts (first time), start the endpoint
    python -m tests.support.winrm.molecule_lab issue DIR CSR_DIR INTAKE_DIR   # the portal: CSRs -> certificates
    python -m tests.support.winrm.molecule_lab stop DIR      # stop it; exit 1 if the endpoint met errors
    python -m tests.support.winrm.molecule_lab collections DIR   # the built tarballs installed in DIR/collections
    python -m tests.support.winrm.molecule_lab state DIR     # each host's stores, bindings, DNS records (JSON)
    python -m tests.support.winrm.molecule_lab pki DIR       # only the lab PKI (DIR/pki), for a real lab host

``start`` runs the endpoint as a daemon (molecule's playbooks come and go; the hosts must outlive them),
detached from the caller, and returns once it listens; ``DIR/lab.json`` then says where each host answers
(``address``, WinRM ``port``, ``site_port`` of its IIS https site), the account, and ``ca_file``, the CA of
the endpoint's TLS certificate - the inventory validates it as a real fleet's does
(``ansible_winrm_ca_trust_path``), which is why this module makes its own certificate instead of serve.py's
self-signed one. The daemon also plays http.sys for each host: on ``site_port`` it serves, per connection,
the certificate the host's http.sys mapping for that port names, with its key and the intermediate from the
host's CA store - so the check after binding and the served-chain audit see what the host state says.

``issue`` is the Hongkong Post portal played by the lab PKI (DIR/pki): one certificate per CSR file of
CSR_DIR/<host>/, written to INTAKE_DIR/<host>/<same name>.cer; a CSR already issued is left alone, so a
rerun changes nothing. It needs no endpoint: the ``windows`` scenario issues for a real lab host with it.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import pickle
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from tests.support.pki import DAY, UTC, Issued, TestPKI, hk_name, make_cert
from tests.support.portal import _PublicKeyOnly
from tests.support.windows.certstore import entry_for
from tests.support.windows.dcv import new_windows_dns
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert
from tests.support.winrm import auth
from tests.support.winrm.hoststate import HostStore, load_host, save_host
from tests.support.winrm.server import Endpoint, HostConfig, host_address

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LABEL = 'LAB '  # every organisation name of the lab PKI: a lab certificate is never taken for a real one
# The lab's one host: an IIS server (Server 2022) that is also the Windows DNS server of its zone.
HOSTS = {'web1': {'site': 'Default Web Site', 'host_header': 'www.molecule.example.test',
                  'zone': 'molecule.example.test'}}
USERNAME = 'ansible'


# -- the lab PKI -------------------------------------------------------------------------------
def _pem(obj):
    return obj.public_bytes(serialization.Encoding.PEM)


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def lab_pki(directory):
    """Root CA 3 and the new SSL intermediate of the lab hierarchy, made once and kept in DIRECTORY/pki."""
    pki_dir = os.path.join(directory, 'pki')
    files = {n: os.path.join(pki_dir, n) for n in ('root.pem', 'root.key', 'ssl.pem', 'ssl.key')}
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    if not all(os.path.exists(f) for f in files.values()):
        os.makedirs(pki_dir, exist_ok=True)
        root_key = rsa.generate_private_key(65537, 2048)
        root_name = hk_name('Hongkong Post Root CA 3', LABEL)
        root = make_cert(root_name, root_key, root_name, root_key, now - 400 * DAY, now + 3650 * DAY, ca=True)
        ssl_key = rsa.generate_private_key(65537, 2048)
        ssl_cert = make_cert(hk_name('Hongkong Post e-Cert SSL CA 3 - 17', LABEL), ssl_key, root_name, root_key,
                             now - 300 * DAY, now + 1825 * DAY, ca=True, pathlen=0,
                             eku=[ExtendedKeyUsageOID.SERVER_AUTH])
        for name, data in (('root.pem', _pem(root)), ('root.key', _key_pem(root_key)),
                           ('ssl.pem', _pem(ssl_cert)), ('ssl.key', _key_pem(ssl_key))):
            with open(files[name], 'wb') as handle:
                handle.write(data)
    loaded = {}
    for name in ('root', 'ssl'):
        with open(files[name + '.pem'], 'rb') as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
        with open(files[name + '.key'], 'rb') as handle:
            key = serialization.load_pem_private_key(handle.read(), None)
        loaded[name] = Issued(cert, key)
    return TestPKI(now=now, label=LABEL, root=loaded['root'], ssl_new=loaded['ssl'])


def issue(directory, csr_dir, intake_dir):
    """One certificate per CSR (CSR_DIR/<host>/<name>.csr -> INTAKE_DIR/<host>/<name>.cer); returns the new files."""
    pki = lab_pki(directory)
    written = []
    for host in sorted(os.listdir(csr_dir) if os.path.isdir(csr_dir) else []):
        for name in sorted(n for n in os.listdir(os.path.join(csr_dir, host)) if n.endswith('.csr')):
            with open(os.path.join(csr_dir, host, name), 'rb') as handle:
                csr = x509.load_pem_x509_csr(handle.read())
            target = os.path.join(intake_dir, host, name[:-len('.csr')] + '.cer')
            if os.path.exists(target):
                with open(target, 'rb') as handle:
                    if x509.load_pem_x509_certificate(handle.read()).public_key() == csr.public_key():
                        continue
            san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            common_name = csr.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value
            leaf = pki.issue_leaf(common_name, sans=san.get_values_for_type(x509.DNSName),
                                  key=_PublicKeyOnly(csr.public_key()), not_before=pki.now - DAY)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, 'w', encoding='ascii') as handle:
                handle.write(leaf.pem)
            written.append(target)
    return written


# -- the hosts ---------------------------------------------------------------------------------
def build_host(pki, spec, site_port):
    """web1 before the renewal: the certificate it serves expires in 9 days (what retire must remove afterwards)."""
    host = FakeWindowsHost(os_build=20348)
    old = pki.issue_leaf(spec['host_header'], not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    host.stores['My'].append(entry_for(old.cert, old.key, 'Hongkong Post e-Cert (previous)'))
    add_site(host, spec['site'], [('http', '*:80:', 0), ('https', '*:%d:%s' % (site_port, spec['host_header']), 1)])
    map_sslcert(host, 'hostnameport', '%s:%d' % (spec['host_header'], site_port), old.thumbprint)
    # Other TXT values at the name must survive the DCV code's publication and removal.
    new_windows_dns(host, {spec['zone']: {'@': [{'value': 'v=spf1 -all', 'ttl': 600}]}})
    host.state['molecule_previous'] = old.thumbprint
    return host


def _endpoint_tls(directory, addresses):
    """A CA and a server certificate naming every host address: validated by the inventory like a real listener."""
    now = datetime.datetime.now(UTC)
    ca_key = rsa.generate_private_key(65537, 2048)
    ca_name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, 'molecule winrm lab CA')])
    ca = make_cert(ca_name, ca_key, ca_name, ca_key, now - DAY, now + 30 * DAY, ca=True)
    key = rsa.generate_private_key(65537, 2048)
    cert = make_cert(x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, 'molecule winrm lab')]), key,
                     ca_name, ca_key, now - DAY, now + 30 * DAY, ca=False, eku=[ExtendedKeyUsageOID.SERVER_AUTH],
                     ip_sans=sorted(addresses))
    paths = {n: os.path.join(directory, n) for n in ('winrm-ca.pem', 'winrm-cert.pem', 'winrm-key.pem')}
    for name, data in (('winrm-ca.pem', _pem(ca)), ('winrm-cert.pem', _pem(cert)), ('winrm-key.pem', _key_pem(key))):
        with open(paths[name], 'wb') as handle:
            handle.write(data)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(paths['winrm-cert.pem'], paths['winrm-key.pem'])
    return context, cert.public_bytes(serialization.Encoding.DER), paths['winrm-ca.pem']


# -- http.sys ----------------------------------------------------------------------------------
def _served(state_dir, name, port):
    """(chain PEM, key PEM) the host's http.sys mapping for ``port`` serves, or None."""
    host = load_host(state_dir, name)
    mappings = host.state.get('iis', {}).get('sslcert', {})
    mapping = next((m for kind in ('hostnameport', 'ipport') for endpoint, m in mappings.get(kind, {}).items()
                    if endpoint.rsplit(':', 1)[1] == str(port)), None)
    entry = mapping and next((e for e in host.stores[mapping['store']] if e['thumbprint'] == mapping['thumbprint']),
                             None)
    if not entry or entry.get('key') is None:
        return None
    leaf = x509.load_der_x509_certificate(base64.b64decode(entry['der']))
    # schannel sends the intermediate it finds in LocalMachine\CA (the newest, if there are two)
    issuers = [x509.load_der_x509_certificate(base64.b64decode(e['der'])) for e in host.stores['CA']]
    issuers = sorted((c for c in issuers if c.subject == leaf.issuer), key=lambda c: c.not_valid_before_utc)
    chain = _pem(leaf) + (_pem(issuers[-1]) if issuers else b'')
    return chain, _key_pem(entry['key'])


class HttpSys:
    """One TLS listener per host on its address and ``site_port``, serving what the host's mapping names."""

    def __init__(self, state_dir, work_dir, name, sock):
        self.state_dir, self.work_dir, self.name, self.sock = state_dir, work_dir, name, sock
        self.sock.settimeout(0.5)
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _context(self):
        for _attempt in range(20):
            try:
                served = _served(self.state_dir, self.name, self.sock.getsockname()[1])
                break
            except (EOFError, OSError, ValueError, KeyError, pickle.UnpicklingError):  # being saved: read again
                time.sleep(0.05)
        else:
            return None
        if served is None:
            return None
        with tempfile.TemporaryDirectory(dir=self.work_dir) as tmp:
            for file_name, data in zip(('chain.pem', 'key.pem'), served):
                with open(os.path.join(tmp, file_name), 'wb') as handle:
                    handle.write(data)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(os.path.join(tmp, 'chain.pem'), os.path.join(tmp, 'key.pem'))
        return context

    def _loop(self):
        while self.running:
            try:
                conn, _peer = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handshake, args=(conn,), daemon=True).start()

    def _handshake(self, conn):
        try:
            context = self._context()
            if context is None:  # no certificate mapped: http.sys resets the connection
                return
            with context.wrap_socket(conn, server_side=True) as tls:
                tls.settimeout(2)
                try:
                    tls.recv(1)
                except OSError:
                    pass
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def stop(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


def host_state(directory):
    """What each simulated host holds, as the scenario's verify asserts it (independent of the modules' reads)."""
    state_dir = os.path.join(directory, 'hosts')
    summary = {}
    for name in sorted(HOSTS):
        host = load_host(state_dir, name)
        certs = {store: [x509.load_der_x509_certificate(e['der'] if isinstance(e['der'], bytes)
                                                        else base64.b64decode(e['der'])) for e in entries]
                 for store, entries in host.stores.items()}
        iis = host.state.get('iis', {})
        summary[name] = {
            'thumbprints': {store: sorted(c.fingerprint(hashes.SHA1()).hex().upper() for c in found)
                            for store, found in certs.items()},
            'subjects': {store: sorted(c.subject.rfc4514_string() for c in found) for store, found in certs.items()},
            'previous': host.state['molecule_previous'],
            'sslcert': {kind: {endpoint: m['thumbprint'] for endpoint, m in mappings.items()}
                        for kind, mappings in iis.get('sslcert', {}).items()},
            'bindings': [b['binding_information'] for s in iis.get('sites', []) for b in s['bindings']
                         if b['protocol'] == 'https'],
            'txt': {zone: {node: sorted(r['value'] for r in records) for node, records in nodes.items()}
                    for zone, nodes in host.state.get('windows_dns', {}).get('zones', {}).items()},
        }
    return summary


# -- the daemon --------------------------------------------------------------------------------
def serve(directory):
    """Build the hosts (first run), listen, write lab.json, and serve until SIGTERM; then write the report."""
    state_dir = os.path.join(directory, 'hosts')
    os.makedirs(state_dir, exist_ok=True)
    names = sorted(HOSTS)
    addresses = {name: host_address(index) for index, name in enumerate(names)}  # as Endpoint numbers them
    sites = {}
    for name in names:
        sock = socket.create_server((addresses[name], 0))
        sites[name] = sock
    config_path = os.path.join(directory, 'lab-config.json')
    if os.path.exists(config_path):  # a restart keeps the hosts and the password; the ports are new
        with open(config_path, encoding='utf-8') as handle:
            config = json.load(handle)
    else:
        pki = lab_pki(directory)
        config = {'password': 'Molecule-' + secrets.token_hex(8), 'site_ports': {}}
        for name in names:
            port = sites[name].getsockname()[1]
            save_host(state_dir, name, build_host(pki, HOSTS[name], port))
            config['site_ports'][name] = port
        with open(config_path, 'w', encoding='utf-8') as handle:
            json.dump(config, handle)
    for name in names:  # the site's port is part of the host's bindings: listen on that one
        if sites[name].getsockname()[1] != config['site_ports'][name]:
            sites[name].close()
            sites[name] = socket.create_server((addresses[name], config['site_ports'][name]))
    user_file = os.path.join(directory, 'ntlm-users')
    auth.write_user_file(user_file, USERNAME, config['password'])
    os.environ['NTLM_USER_FILE'] = user_file
    context, cert_der, ca_file = _endpoint_tls(directory, addresses.values())
    endpoint = Endpoint(HostStore(state_dir), {name: HostConfig() for name in names}, transports=['ntlm'],
                        username=USERNAME, password=config['password'], ssl_context=context,
                        cert_der=cert_der).start()
    http_sys = [HttpSys(state_dir, directory, name, sites[name]) for name in names]
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    lab = {'username': USERNAME, 'password': config['password'], 'ca_file': ca_file, 'state_dir': state_dir,
           'pki_dir': os.path.join(directory, 'pki'),
           'hosts': {name: dict(HOSTS[name], address=endpoint.addresses[name][0], port=endpoint.addresses[name][1],
                                site_port=config['site_ports'][name]) for name in names}}
    with open(os.path.join(directory, 'lab.json.tmp'), 'w', encoding='utf-8') as handle:
        json.dump(lab, handle, indent=1)
    os.replace(os.path.join(directory, 'lab.json.tmp'), os.path.join(directory, 'lab.json'))
    done.wait()
    for site in http_sys:
        site.stop()
    endpoint.stop()
    with open(os.path.join(directory, 'endpoint-report.json'), 'w', encoding='utf-8') as handle:
        json.dump({'stats': endpoint.stats.as_dict(), 'errors': endpoint.errors}, handle)
    return 0


def start(directory):
    os.makedirs(directory, exist_ok=True)
    lab_file = os.path.join(directory, 'lab.json')
    pid_file = os.path.join(directory, 'endpoint.pid')
    if os.path.exists(pid_file):
        stop(directory)
    if os.path.exists(lab_file):
        os.remove(lab_file)
    with open(os.path.join(directory, 'endpoint.log'), 'ab') as log:
        # Its own session, stdin from /dev/null: molecule's create playbook ends, the hosts stay.
        process = subprocess.Popen([sys.executable, '-m', 'tests.support.winrm.molecule_lab', 'serve', directory],
                                   cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    with open(pid_file, 'w', encoding='ascii') as handle:
        handle.write(str(process.pid))
    deadline = time.monotonic() + 120
    while not os.path.exists(lab_file):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit('the WinRM endpoint did not start; see %s/endpoint.log' % directory)
        time.sleep(0.2)
    with open(lab_file, encoding='utf-8') as handle:
        return json.load(handle)


def stop(directory):
    """SIGTERM the daemon named by the pid file; the endpoint's errors (something it does not emulate) fail it."""
    pid_file = os.path.join(directory, 'endpoint.pid')
    if not os.path.exists(pid_file):
        return []
    with open(pid_file, encoding='ascii') as handle:
        pid = int(handle.read())
    try:
        os.kill(pid, signal.SIGTERM)
        for _attempt in range(300):
            os.kill(pid, 0)
            time.sleep(0.1)
    except ProcessLookupError:
        pass
    os.remove(pid_file)
    report = os.path.join(directory, 'endpoint-report.json')
    if not os.path.exists(report):
        return []
    with open(report, encoding='utf-8') as handle:
        return json.load(handle)['errors']


def main(argv):
    command, directory = argv[0], os.path.abspath(argv[1])
    if command == 'serve':
        return serve(directory)
    if command == 'start':
        lab = start(directory)
        print(json.dumps({name: [h['address'], h['port']] for name, h in lab['hosts'].items()}))
        return 0
    if command == 'stop':
        errors = stop(directory)
        for error in errors:
            print('WinRM endpoint error: %s' % error, file=sys.stderr)
        return 1 if errors else 0
    if command == 'collections':
        # As a user's project gets the collection: ansible-galaxy collection build, then install from the
        # tarball (with ansible.windows from the virtualenv's `ansible` package: Galaxy is not reachable).
        from tests.support import installed
        target = os.path.join(directory, 'collections')
        shutil.rmtree(target, ignore_errors=True)
        os.makedirs(target)
        with tempfile.TemporaryDirectory() as build:
            print(installed.install(installed.build_tarballs(build), target))
        return 0
    if command == 'pki':
        lab_pki(directory)
        print(os.path.join(directory, 'pki'))
        return 0
    if command == 'state':
        print(json.dumps(host_state(directory)))
        return 0
    if command == 'issue':
        for path in issue(directory, os.path.abspath(argv[2]), os.path.abspath(argv[3])):
            print('issued %s' % path)
        return 0
    raise SystemExit('usage: python -m tests.support.winrm.molecule_lab start|stop|serve|collections|state|pki DIR | issue DIR CSR_DIR INTAKE')


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
