# -*- coding: utf-8 -*-
"""renew.yml with hkpost_issuance acme: one run, no portal session, against a real ACME server (issue 23).

Pebble 2.4 (tests.support.peers.pebble_server) is the CA. Its validation authority resolves every name through
the test's real BIND (``-dnsserver``): the dns-01 TXT values the controller adds there by RFC 2136, and the A
records (127.0.0.1) it connects to for http-01 on its httpPort, where tests.support.peers.iis_web serves each
simulated host's IIS web roots as IIS would. The hosts are simulated Windows hosts behind the loopback WinRM
endpoint; their keys never leave them (certreq), the controller submits each CSR with community.crypto.

The install phase then installs Pebble's chains: the hosts are in ACME mode and Pebble's root (fetched from its
management port at each run - Pebble makes a new hierarchy on every start) is their hkpost_acme_trusted_issuers,
given as a path relative to where ansible-playbook runs. Binding checks need a real TLS server with the host's key,
so hkpost_iis_verify is off here (tests/integration/install exercises them).
"""

from __future__ import annotations

import copy
import csv
import itertools
import json
import os
import re
import stat
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from tests.support.peers.bind_server import BindServer
from tests.support.peers.iis_web import IisWeb
from tests.support.peers.pebble_server import PebbleServer
from tests.support.windows.acme import files as acme_files, serve_webroots
from tests.support.windows.certstore import entry_for
from tests.support.windows.chain import _thumbprints as chain_thumbprints
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site
from tests.support.winrm.fleet import ROOT, run_over_winrm
from tests.support.winrm.hoststate import load_host, save_host

pytestmark = pytest.mark.skipif(not os.path.exists('/usr/bin/pebble'), reason='pebble is not installed '
                                '(tests/install-system-deps.sh)')

PASSWORD = 'Renew-ACME-7c1d-secret'
SPF = 'v=spf1 -all'
TRUST_FILE = 'acme-trusted-root.pem'
WEBROOTS = {'Default Web Site': '%SystemDrive%\\inetpub\\wwwroot', 'Shop': 'D:\\sites\\shop'}


class Lab:
    """BIND + the IIS web server + Pebble, and the simulated hosts."""

    def __init__(self, tmp_path, blocked=()):
        self.tmp = tmp_path
        self.state = tmp_path / 'hosts'
        self.state.mkdir()
        self.out = tmp_path / 'out'
        self.runs = itertools.count()
        names = ['www', 'shop', 'api', 'blocked', 'hidden']
        self.bind = BindServer(tmp_path / 'bind', records=['@ IN TXT "%s"' % SPF, '@ IN A 127.0.0.1']
                               + ['%s IN A 127.0.0.1' % n for n in names])
        # A second name server holding the same zone that the CA never asks: "the wrong zone".
        self.internal = BindServer(tmp_path / 'internal')
        self.web = IisWeb(self.state, {})
        self.pebble = PebbleServer(tmp_path / 'pebble', dns_port=self.bind.port, http_port=self.web.port, eab=True,
                                   blocked=list(blocked))
        self.started = []
        for peer in (self.bind, self.internal, self.web, self.pebble):
            peer.start()
            self.started.append(peer)

    def stop(self):
        for peer in reversed(self.started):
            peer.stop()

    def iis_host(self, name, sites):
        host = FakeWindowsHost(os_build=20348)
        for site, host_header in sites.items():
            add_site(host, site, [('http', '*:80:%s' % host_header, 0)])
            self.web.names[host_header] = name
        serve_webroots(host, WEBROOTS)
        save_host(str(self.state), name, host)
        return host

    def inventory(self, hosts, **group_vars):
        variables = {
            'hkpost_issuance': 'acme', 'hkpost_acme_directory': self.pebble.directory_url,
            'hkpost_acme_ca_file': self.pebble.ca_file, 'hkpost_acme_terms_agreed': True,
            'hkpost_acme_contact': ['mailto:pki@example.test'],
            'hkpost_acme_eab_kid': self.pebble.eab['kid'], 'hkpost_acme_eab_hmac': self.pebble.eab['hmac'],
            'hkpost_dcv_dns_server': '127.0.0.1', 'hkpost_dcv_dns_port': self.bind.port,
            'hkpost_dcv_tsig_key_name': self.bind.key_name, 'hkpost_dcv_tsig_key_secret': self.bind.secret,
            'hkpost_acme_trusted_issuers': [TRUST_FILE],
            'hkpost_iis_verify': False, 'hkpost_renew_audit': False, 'hkpost_platform': 'iis'}
        variables.update(group_vars)
        return {'all': {
            'vars': {'hkpost_csr_organization': 'Example Ltd', 'hkpost_output_dir': str(self.out),
                     'hkpost_backup_password': PASSWORD},
            'children': {'ecert_servers': {'vars': variables, 'hosts': copy.deepcopy(hosts)}}}}

    def renew(self, inventory, *args, tags='request,install'):
        # the allow-list: Pebble's root of this start, relative to the directory ansible-playbook runs in
        (self.tmp / TRUST_FILE).write_text(self.pebble.issuer_pem())
        work = self.tmp / ('winrm-%d' % next(self.runs))
        proc, _report = run_over_winrm(self.state, work, inventory, os.path.join(ROOT, 'playbooks', 'renew.yml'),
                                       '--tags', tags, *args, cwd=self.tmp, timeout=900)
        return proc.returncode, proc.stdout + proc.stderr

    def intake(self):
        folder = self.out / 'intake'
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []

    def acme_txt(self, name):
        return self.bind.txt('_acme-challenge.' + name)


@pytest.fixture
def lab(tmp_path):
    lab = Lab(tmp_path, blocked=['blocked.example.test'])
    yield lab
    lab.stop()


def _cert(name, bindings):
    return {'common_name': name, 'iis_bindings': [{'site': s, 'host_header': h} for s, h in bindings]}


def _sheet(lab):
    with open(lab.out / 'csr' / 'submission.csv', encoding='utf-8') as handle:
        return list(csv.DictReader(handle))


def _issued(lab):
    """{(host, public key SHA-256): certificate} for every chain ACME wrote into the intake."""
    found = {}
    for path in sorted((lab.out / 'intake').glob('*.pem')):
        leaf = x509.load_pem_x509_certificates(path.read_bytes())[0]
        found[(path.name.split('-')[1], spki_sha256(leaf.public_key()))] = leaf
    return found


def _issuer_cn(cert):
    return cert.issuer.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value


# The portal mode refuses a chain Hongkong Post did not issue, naming the request (the intake matched it by key).
NOT_HKPOST = re.compile(r'intake: \S+: the certificate for (\S+) on (\S+) was issued by "[^"]*Pebble Intermediate CA')


def _refused_by_intake(out):
    return sorted(set(NOT_HKPOST.findall(out)))


def served(host):
    """{host header: thumbprint} of the host's SNI bindings (http.sys hostnameport mappings)."""
    return {endpoint.split(':')[0]: m['thumbprint']
            for endpoint, m in host.state['iis']['sslcert']['hostnameport'].items()}


def _thumbprint(cert):
    return cert.fingerprint(hashes.SHA1()).hex().upper()


def _installed(lab, host_name):
    """What the install phase left on a host: {header: thumbprint}, My, CA and REQUEST thumbprints."""
    host = load_host(str(lab.state), host_name)
    return (served(host), sorted(e['thumbprint'] for e in host.stores['My']),
            chain_thumbprints(host.stores['CA']), len(host.stores['REQUEST']))


def test_one_run_dns01_and_http01_issues_into_the_intake_and_cleans_up(lab):
    lab.iis_host('web1', {'Default Web Site': 'www.example.test'})   # dns-01: a wildcard and a name
    lab.iis_host('web2', {'Default Web Site': 'api.example.test', 'Shop': 'shop.example.test'})   # http-01
    hosts = {'web1': {'hkpost_certificates': [
        dict(_cert('*.example.test', [('Default Web Site', 'www.example.test')]), certificate_type='wildcard'),
        _cert('www.example.test', [('Default Web Site', 'www.example.test')])]},
        'web2': {'hkpost_acme_challenge': 'http-01', 'hkpost_certificates': [
                 _cert('api.example.test', [('Default Web Site', 'api.example.test')]),
                 _cert('shop.example.test', [('Shop', 'shop.example.test')])]}}

    rc, out = lab.renew(lab.inventory(hosts))
    assert rc == 0, out[-4000:]
    assert 'submit at the Hongkong Post portal' in out  # the request phase as today (its summary is not ours)

    # One chain per request of the sheet, issued by the CA for the key made on that host.
    sheet = {(row['host'], row['public_key_sha256']): row for row in _sheet(lab)}
    issued = _issued(lab)
    assert sorted(issued) == sorted(sheet), (sorted(issued), sorted(sheet))
    for (host, _spki), leaf in issued.items():
        assert _issuer_cn(leaf).startswith('Pebble Intermediate CA')
        names = sorted(leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                       .get_values_for_type(x509.DNSName))
        assert names == sorted(sheet[(host, _spki)]['names'].split()), names
    # Installed: each key completed where it was made (REQUEST emptied), each binding serving the Pebble-issued
    # certificate for its name, Pebble's intermediate in LocalMachine\CA (Windows sends it), nothing refused.
    assert _refused_by_intake(out) == [] and 'not_hkpost' not in out, out[-3000:]
    by_name = {}
    for path in sorted((lab.out / 'intake').glob('*.pem')):
        chain = x509.load_pem_x509_certificates(path.read_bytes())
        by_name[(path.name.split('-')[1], chain[0].subject.rfc4514_string().split('CN=')[1].split(',')[0])] = chain
        assert (lab.out / 'intake' / (path.name + '.acme.json')).exists(), 'the ACME phase recorded each chain'
    new = {key: _thumbprint(chain[0]) for key, chain in by_name.items()}
    intermediate = _thumbprint(next(iter(by_name.values()))[1])
    installed = {name: _installed(lab, name) for name in ('web1', 'web2')}
    # both of web1's certificates list the one binding: one of them serves it (the pairing's rule, not ours)
    assert list(installed['web1'][0]) == ['www.example.test']
    assert installed['web1'][0]['www.example.test'] in (new[('web1', 'www.example.test')], new[('web1', '*.example.test')])
    assert installed['web2'][0] == {'api.example.test': new[('web2', 'api.example.test')],
                                    'shop.example.test': new[('web2', 'shop.example.test')]}
    for name, (_served, mine, ca, pending) in installed.items():
        assert mine == sorted(t for (h, _cn), t in new.items() if h == name), name
        assert intermediate in ca and pending == 0, name
    assert 'installed' in out

    # The CA fetched http-01 from the IIS sites, and every challenge is gone afterwards.
    fetched = {(h, s) for h, _p, s in lab.web.fetches}
    assert ('api.example.test', 200) in fetched and ('shop.example.test', 200) in fetched, lab.web.fetches
    assert not acme_files(load_host(str(lab.state), 'web2')), 'tokens and the web.config this run wrote removed'
    assert lab.acme_txt('example.test') == [] and lab.acme_txt('www.example.test') == []
    assert lab.bind.txt('example.test') == [SPF], 'other TXT values stay'

    # The account key was made once on the controller, for its user only; the account URI and CAA line recorded.
    key = lab.out / 'acme' / 'account.key'
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    account = json.loads((lab.out / 'acme' / 'account.json').read_text())
    assert account['account_uri'].startswith('https://localhost:%d/' % lab.pebble.port)
    assert account['caa'] == '0 issue "hongkongpost.gov.hk; accounturi=%s"' % account['account_uri']
    assert lab.pebble.eab['hmac'] not in out, 'the EAB HMAC is never printed'
    assert 'Successful newAccount Binding with CA using kid "%s"' % lab.pebble.eab['kid'] in lab.pebble.log_text()

    # A rerun with nothing new to order asks the CA for nothing (the intake remembers what was issued) and installs
    # nothing twice: "already installed", every host as it was. (--tags request would renew again: new keys.)
    before = lab.pebble.log_text().count('POST /order-plz')
    rc, out = lab.renew(lab.inventory(hosts), tags='acme,install')
    assert rc == 0, out[-3000:]
    assert lab.pebble.log_text().count('POST /order-plz') == before
    assert 'nothing to order' in out and 'already installed' in out, out[-3000:]
    assert {name: _installed(lab, name) for name in ('web1', 'web2')} == installed

    # The portal mode still refuses Pebble's chains: the same intake, the hosts switched back to the portal.
    rc, out = lab.renew(lab.inventory(hosts, hkpost_issuance='portal'), tags='install')
    assert _refused_by_intake(out) == sorted([
        ('*.example.test', 'web1'), ('www.example.test', 'web1'), ('api.example.test', 'web2'),
        ('shop.example.test', 'web2')]), out[-3000:]
    assert {name: _installed(lab, name) for name in ('web1', 'web2')} == installed


def test_what_the_ca_cannot_see_and_what_it_refuses_fail_that_host_only(lab):
    lab.iis_host('web1', {'Default Web Site': 'www.example.test'})
    lab.iis_host('web2', {'Default Web Site': 'hidden.example.test'})
    lab.iis_host('web3', {'Default Web Site': 'blocked.example.test'})
    lab.iis_host('web4', {'Default Web Site': 'api.example.test'})
    # web2's name is served publicly by another server than its IIS site: the wrong web root.
    lab.web.names['hidden.example.test'] = 'web4'
    hosts = {
        # dns-01 sent to a name server the CA never asks (an internal view of the zone): the wrong zone.
        'web1': {'hkpost_dcv_dns_server': '127.0.0.1', 'hkpost_dcv_dns_port': lab.internal.port,
                 'hkpost_dcv_tsig_key_name': lab.internal.key_name, 'hkpost_dcv_tsig_key_secret': lab.internal.secret,
                 'hkpost_certificates': [_cert('www.example.test', [('Default Web Site', 'www.example.test')])]},
        'web2': {'hkpost_acme_challenge': 'http-01',
                 'hkpost_certificates': [_cert('hidden.example.test', [('Default Web Site', 'hidden.example.test')])]},
        # a name the CA's policy refuses: the request is rejected
        'web3': {'hkpost_certificates': [_cert('blocked.example.test', [('Default Web Site', 'blocked.example.test')])]},
        'web4': {'hkpost_acme_challenge': 'http-01',
                 'hkpost_certificates': [_cert('api.example.test', [('Default Web Site', 'api.example.test')])]},
    }
    rc, out = lab.renew(lab.inventory(hosts))
    assert rc != 0, out[-3000:]
    summary = out[out.index('ACME issuance summary'):]
    rows = dict(re.findall(r'(web\d)\s+(ok|failed|skipped)\s', summary[:3000]))
    assert rows == {'web1': 'failed', 'web2': 'failed', 'web3': 'failed', 'web4': 'ok'}, summary[:3000]
    assert 'forbidden by policy' in summary, summary[:3000]
    # The CA's own reasons, per name and challenge: no TXT value where it looked, a 404 where it fetched.
    flat = ' '.join(summary[:4000].split())
    assert 'www.example.test (dns-01): urn:ietf:params:acme:error:' in flat, flat
    assert 'hidden.example.test (http-01): urn:ietf:params:acme:error:' in flat, flat
    # Only web4 got a certificate; the others keep their pending request for the rerun.
    assert sorted({host for host, _spki in _issued(lab)}) == ['web4']
    for name in ('web1', 'web2', 'web3'):
        assert len(load_host(str(lab.state), name).stores['REQUEST']) == 1, name
    # Whatever failed, what was published is removed.
    assert lab.internal.txt('_acme-challenge.www.example.test') == []
    assert not acme_files(load_host(str(lab.state), 'web2'))
    assert not acme_files(load_host(str(lab.state), 'web4'))


def test_ca_restarted_mid_run_rerun_resumes_with_the_same_requests(lab):
    lab.iis_host('web1', {'Default Web Site': 'api.example.test', 'Shop': 'shop.example.test'})
    hosts = {'web1': {'hkpost_acme_challenge': 'http-01', 'hkpost_certificates': [
        _cert('api.example.test', [('Default Web Site', 'api.example.test')]),
        _cert('shop.example.test', [('Shop', 'shop.example.test')])]}}
    inventory = lab.inventory(hosts)

    # A dry run of the request side first, as renewal.rst advises (the install phase's dry run needs requests):
    # it asks the CA for nothing and changes nothing on the host.
    rc, out = lab.renew(inventory, '--check', '--diff', '--skip-tags', 'install')
    assert rc == 0, out[-3000:]
    assert 'POST /order-plz' not in lab.pebble.log_text() and lab.intake() == []
    assert not load_host(str(lab.state), 'web1').stores['REQUEST']

    # The CA restarts (in memory: accounts, orders, authorizations gone) when it first fetches a token.
    answer, restarted = lab.web.answer, threading.Event()

    def restart_on_first_fetch(host_header, path):
        if not restarted.is_set():
            restarted.set()
            lab.pebble.restart()
            return 404, b''
        return answer(host_header, path)

    lab.web.answer = restart_on_first_fetch
    rc, out = lab.renew(inventory)
    assert restarted.is_set() and rc != 0, out[-3000:]
    # no chain; the records of the orders placed stay (the rerun's orders replace them)
    assert not (lab.out / 'intake').exists() or [n for n in lab.intake() if not n.endswith('.acme.json')] == []
    first = load_host(str(lab.state), 'web1')
    pending = sorted(e['der'] for e in first.stores['REQUEST'])
    pending_keys = sorted(spki_sha256(e['key'].public_key()) for e in first.stores['REQUEST'])
    assert len(pending) == 2
    assert not acme_files(first), 'the tokens were removed after the failure'

    lab.web.answer = answer
    rc, out = lab.renew(inventory)
    assert rc == 0, out[-4000:]
    host = load_host(str(lab.state), 'web1')
    # the rerun reused both pending requests: their keys are the installed certificates' keys
    assert host.stores['REQUEST'] == []
    assert sorted(spki_sha256(e['key'].public_key()) for e in host.stores['My']) == pending_keys
    spkis = sorted(row['public_key_sha256'] for row in _sheet(lab))
    assert sorted(spki for _host, spki in _issued(lab)) == spkis, 'one chain per request, none twice'
    assert _refused_by_intake(out) == [], out[-3000:]
    served_now, mine, _ca, pending = _installed(lab, 'web1')
    assert sorted(served_now) == ['api.example.test', 'shop.example.test'] and len(mine) == 2 and pending == 0
    assert sorted(served_now.values()) == sorted(_thumbprint(leaf) for leaf in _issued(lab).values())
    assert not acme_files(host)

    # Run again: nothing ordered, nothing installed twice.
    rc, out = lab.renew(inventory, tags='acme,install')
    assert rc == 0 and 'already installed' in out, out[-3000:]
    assert _installed(lab, 'web1') == (served_now, mine, _ca, pending)


def test_a_second_acme_cycle_retires_the_previous_pebble_certificate_backed_up_first(lab, pki):
    """Issue 23: the install retires the ACME certificate the new one replaces (same issuing CA, by signature), by the
    one retire policy - backed up first; a certificate of any other issuer for the same name stays."""
    host = lab.iis_host('web1', {'Shop': 'shop.example.test'})
    others = [pki.issue_leaf('shop.example.test', sans=['shop.example.test'], issuer=pki.foreign_root),
              pki.issue_leaf('shop.example.test', sans=['shop.example.test'])]  # another CA's, and a Hongkong Post one
    host.stores['My'] += [entry_for(c.cert, c.key) for c in others]
    save_host(str(lab.state), 'web1', host)
    inventory = lab.inventory({'web1': {'hkpost_acme_challenge': 'http-01', 'hkpost_certificates': [
        _cert('shop.example.test', [('Shop', 'shop.example.test')])]}})
    kept = sorted(c.thumbprint for c in others)

    rc, out = lab.renew(inventory)
    assert rc == 0, out[-4000:]
    first, mine, _ca, _pending = _installed(lab, 'web1')
    previous = first['shop.example.test']
    assert sorted(mine) == sorted(kept + [previous])

    # The second cycle: a new key, a new order, the new certificate bound, the previous one retired after its backup.
    rc, out = lab.renew(inventory)
    assert rc == 0, out[-4000:]
    second, mine, _ca, pending = _installed(lab, 'web1')
    current = second['shop.example.test']
    assert current != previous and pending == 0
    assert _issuer_cn(next(c for c in _issued(lab).values() if _thumbprint(c) == current)).startswith('Pebble')
    assert sorted(mine) == sorted(kept + [current]), 'the previous Pebble certificate retired, the others kept'
    assert (lab.out / 'backup' / 'web1' / ('%s.pfx' % previous)).is_file(), 'backed up before it was removed'
