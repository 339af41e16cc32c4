# -*- coding: utf-8 -*-
"""A self-signed server certificate, as ``winrm quickconfig -transport:https`` setups use.

It names every simulated host's address, so that playbooks validate it as the docs tell users to
(``ansible_winrm_server_cert_validation: validate``, ``ansible_winrm_ca_trust_path``: this certificate,
``winrm-cert.pem``). Signed with SHA-256, so the NTLM channel binding (tls-server-end-point) hashes it
with SHA-256 on both sides.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_context(directory, addresses=()):
    """Return (ssl.SSLContext, certificate DER) for a fresh self-signed certificate in ``directory``.

    ``addresses``: the hosts' IP addresses, each an IP subjectAltName (a client checks the address it
    connected to against them).
    """
    names = [x509.DNSName('localhost'), x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]
    names += [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses if a != '127.0.0.1']
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'winrm-test-endpoint')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path = os.path.join(directory, 'winrm-cert.pem')
    key_path = os.path.join(directory, 'winrm-key.pem')
    with open(cert_path, 'wb') as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, 'wb') as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context, cert.public_bytes(serialization.Encoding.DER)
