# -*- coding: utf-8 -*-
"""Small fleets for the inventory tests: fake Windows hosts, each read by hkpost_certificate_inventory.

``sample_fleet(pki)`` builds three hosts and what is true of them, so the fleet logic, the report in Chromium
and the playbook run are checked against the same known state:

* web1: www.example.hk (new, SNI binding) and the certificate it superseded (still on the IP binding),
  an expired certificate nothing uses, the RDP listener on its own self-signed certificate, a REQUEST entry
  whose certificate was installed another way (orphaned key), one pending for 45 days and one for 3 days;
* web2: shop.example.hk (Hongkong Post, old intermediate generation) on IIS and a WinRM HTTPS listener on
  another CA's certificate; a SQL Server instance on the same certificate as IIS;
* gw1: RD Gateway on gw.example.hk, an http.sys mapping naming a certificate the host does not hold.
"""

from __future__ import annotations

import datetime

from cryptography.hazmat.primitives.asymmetric import rsa

from ansible_collections.hkpost.ecert.plugins.action.hkpost_certificate_inventory import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import inventory as fake_inventory
from tests.support.windows.certstore import entry_for, pending_entry
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert

DAY = datetime.timedelta(days=1)


def _aged_pending(key, cn, days, now):
    """A REQUEST placeholder made ``days`` ago (certreq -new dates it when the request is made)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - days * DAY)
            .not_valid_after(now - days * DAY + 365 * DAY).sign(key, hashes.SHA256()))
    return entry_for(cert, key)


def sample_certs(pki):
    now = pki.now
    certs = {
        'www': pki.issue_leaf('www.example.hk', sans=['www.example.hk', 'example.hk'], not_before=now - 5 * DAY),
        'www_old': pki.issue_leaf('www.example.hk', sans=['www.example.hk', 'example.hk'], not_before=now - 190 * DAY,
                                  not_after=now + 9 * DAY),
        'expired': pki.issue_leaf('old.example.hk', not_before=now - 400 * DAY, not_after=now - 12 * DAY),
        'shop': pki.issue_leaf('shop.example.hk', issuer=pki.ssl_old, not_before=datetime.datetime(
            2025, 4, 1, tzinfo=datetime.timezone.utc), not_after=now + 60 * DAY),
        'winrm': pki.issue_leaf('<b>web2</b>.example.com', issuer=pki.foreign_root),
        'gw': pki.issue_leaf('gw.example.hk'),
    }
    installed_key = rsa.generate_private_key(65537, 2048)
    certs['installed'] = pki.issue_leaf('api.example.hk', key=installed_key)
    return certs


def sample_hosts(pki, ports=None, certs=None):
    """The three hosts and their certificates; ``ports`` {host: https port} (default 443) lets a test put the
    IIS bindings where its TLS servers listen; ``certs`` (from an earlier call) keeps the same certificates."""
    ports = dict({'web1': 443, 'web2': 443}, **(ports or {}))
    now = pki.now
    certs = certs or sample_certs(pki)
    installed_key = certs['installed'].key

    web1 = FakeWindowsHost()
    web1.stores['My'] = [entry_for(certs[n].cert, certs[n].key) for n in ('www', 'www_old', 'expired', 'installed')]
    web1.stores['Remote Desktop'] = [pending_entry(rsa.generate_private_key(65537, 2048), 'WEB1')]
    web1.stores['CA'] = [entry_for(pki.ssl_new.cert), entry_for(pki.ssl_old.cert)]
    web1.stores['Root'] = [entry_for(pki.root.cert)]
    web1.stores['REQUEST'] = [pending_entry(installed_key, 'api.example.hk'),
                              _aged_pending(rsa.generate_private_key(65537, 2048), 'late.example.hk', 45, now),
                              _aged_pending(rsa.generate_private_key(65537, 2048), 'next.example.hk', 3, now)]
    add_site(web1, 'Default Web Site', [('https', '*:%d:www.example.hk' % ports['web1'], 1),
                                        ('https', '*:%d:' % ports['web1'], 0)])
    map_sslcert(web1, 'hostnameport', 'www.example.hk:%d' % ports['web1'], certs['www'].thumbprint)
    map_sslcert(web1, 'ipport', '0.0.0.0:%d' % ports['web1'], certs['www_old'].thumbprint)
    fake_inventory.set_rdp_certificate(web1, None)

    web2 = FakeWindowsHost(os_build=26100)
    web2.stores['My'] = [entry_for(certs['shop'].cert, certs['shop'].key, key_storage='CAPI', exportable=True),
                         entry_for(certs['winrm'].cert, certs['winrm'].key)]
    web2.stores['Root'] = [entry_for(pki.root.cert), entry_for(pki.foreign_root.cert)]
    add_site(web2, 'Shop', [('https', '*:%d:shop.example.hk' % ports['web2'], 1)])
    map_sslcert(web2, 'hostnameport', 'shop.example.hk:%d' % ports['web2'], certs['shop'].thumbprint)
    fake_inventory.add_winrm_https_listener(web2, certs['winrm'].thumbprint)
    fake_inventory.add_sql_instance(web2, 'MSSQLSERVER', 'MSSQL16.MSSQLSERVER', certs['shop'].thumbprint)

    gw1 = FakeWindowsHost()
    gw1.stores['My'] = [entry_for(certs['gw'].cert, certs['gw'].key)]
    fake_inventory.install_rd_gateway(gw1, certs['gw'].thumbprint)
    map_sslcert(gw1, 'ipport', '0.0.0.0:443', certs['gw'].thumbprint)
    map_sslcert(gw1, 'ipport', '10.0.0.9:8443', 'CD' * 20)
    for host in (web1, web2, gw1):
        fake_inventory.consumers(host)   # every host carries its consumers (and so its handler, when pickled)
    return {'web1': web1, 'web2': web2, 'gw1': gw1}, certs


def read_fleet(hosts):
    """Each host's hkpost_certificate_inventory result, as a play registers them."""
    results = []
    for name, host in sorted(hosts.items()):
        results.append(run_action(ActionModule, {}, host=host, task_vars={'inventory_hostname': name}))
    return results


def audit_of(endpoints):
    """An hkpost_served_chain result with ``endpoints`` [(inventory name, port, server name, leaf Issued)]."""
    from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info
    rows = []
    for host, port, name, leaf in endpoints:
        info = cert_info(leaf.cert)
        rows.append({'host': '127.0.0.1', 'port': port, 'server_name': name, 'inventory_name': host,
                     'verdict': 'ok', 'findings': [], 'days_left': 30,
                     'served': [{'sha256': info['sha256'], 'subject_cn': info['subject_cn'], 'is_ca': False}]})
    return {'endpoints': rows, 'summary': {'total': len(rows)}, 'trust': 'bundled'}
