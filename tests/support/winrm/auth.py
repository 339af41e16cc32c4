# -*- coding: utf-8 -*-
"""The WinRM service's side of authentication: basic, and NTLM through pyspnego's acceptor.

NTLM, as pywinrm (winrm/transport.py, encryption.py) and requests_ntlm drive it:

* The service answers an unauthenticated request with 401 ``WWW-Authenticate: Negotiate``;
  requests_ntlm replies ``Negotiate <NTLM NEGOTIATE>``, gets ``Negotiate <CHALLENGE>`` with another
  401, and sends ``Negotiate <AUTHENTICATE>`` with the request body. The context belongs to that
  TCP connection (HTTP keep-alive), as it does with http.sys.
* Over https, requests_ntlm puts the ``tls-server-end-point`` hash of our certificate in the
  AUTHENTICATE message (``_get_server_cert``); the acceptor is given the same bindings, so a
  mismatch fails authentication as it does with WinRM's CbtHardeningLevel.
* Over http, pywinrm seals every body after authentication (``multipart/encrypted;
  protocol="application/HTTP-SPNEGO-session-encrypted"``, MS-WSMV 2.2.9.1.1): ``\\tOriginalContent:
  ...Length=N`` then ``\\tContent-Type: application/octet-stream`` + little-endian signature length +
  16-byte signature + sealed data. Replies are sealed the same way.

pyspnego's NTLM acceptor reads the accounts from the file named by ``NTLM_USER_FILE``
(spnego/_ntlm.py ``_get_credential``, Heimdal ``DOMAIN:USER:PASSWORD`` lines); the endpoint
process writes that file and sets the variable before it accepts anything.
"""

from __future__ import annotations

import base64
import hashlib
import struct

import spnego
from spnego.channel_bindings import GssChannelBindings

BOUNDARY = b'--Encrypted Boundary'
PROTOCOL = 'application/HTTP-SPNEGO-session-encrypted'
ENCRYPTED_TYPE = 'multipart/encrypted;protocol="%s";boundary="Encrypted Boundary"' % PROTOCOL
_OCTET = b'\tContent-Type: application/octet-stream\r\n'


class AuthFailed(Exception):
    """Credentials rejected: the service answers 401."""


def check_basic(header, username, password):
    scheme, _sep, value = (header or '').partition(' ')
    if scheme.lower() != 'basic':
        return False
    user, _sep, given = base64.b64decode(value).decode('utf-8').partition(':')
    if user.lower() != username.lower() or given != password:
        raise AuthFailed('basic: wrong user name or password for %s' % user)
    return True


def tls_server_end_point(cert_der):
    # RFC 5929: the certificate's signature hash (SHA-256 here; MD5/SHA-1 certificates use SHA-256 too).
    return GssChannelBindings(application_data=b'tls-server-end-point:' + hashlib.sha256(cert_der).digest())


class NtlmSession:
    """One connection's NTLM acceptor context."""

    def __init__(self, channel_bindings=None):
        self.context = spnego.server(protocol='ntlm', channel_bindings=channel_bindings)
        self.complete = False

    def step(self, header):
        """Feed ``Authorization: Negotiate <token>``; return the token for the next 401, or None when done."""
        scheme, _sep, value = header.partition(' ')
        if scheme.lower() not in ('negotiate', 'ntlm'):
            raise AuthFailed('unsupported authorization scheme %s' % scheme)
        try:
            out = self.context.step(base64.b64decode(value))
        except Exception as e:  # pyspnego raises SpnegoError subclasses (bad password, bad bindings)
            raise AuthFailed('ntlm: %s' % e) from e
        self.complete = self.context.complete
        return out

    def unseal(self, body):
        head, _sep, rest = body.partition(BOUNDARY + b'\r\n')
        assert not head, 'sealed body does not start with the MIME boundary'
        header, _sep, payload = rest.partition(BOUNDARY + b'\r\n')
        length = int(header.split(b'Length=')[1].split(b'\r\n')[0])
        assert payload.startswith(_OCTET), 'sealed part without application/octet-stream'
        payload = payload[len(_OCTET):]
        trailer = BOUNDARY + b'--\r\n'
        if payload.endswith(trailer):
            payload = payload[:-len(trailer)]
        sig_len = struct.unpack('<i', payload[:4])[0]
        signature, sealed = payload[4:4 + sig_len], payload[4 + sig_len:]
        message = self.context.unwrap(signature + sealed).data
        assert len(message) == length, 'sealed message length %d, header says %d' % (len(message), length)
        return message

    def seal(self, message):
        wrapped = self.context.wrap(message, encrypt=True).data
        signature, sealed = wrapped[:16], wrapped[16:]
        return (BOUNDARY + b'\r\n\tContent-Type: ' + PROTOCOL.encode() + b'\r\n'
                b'\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=' + str(len(message)).encode()
                + b'\r\n' + BOUNDARY + b'\r\n' + _OCTET + struct.pack('<i', len(signature)) + signature + sealed
                + BOUNDARY + b'--\r\n')


def write_user_file(path, username, password):
    # Heimdal format with an empty domain: pywinrm sends a bare user name (no DOMAIN\ prefix).
    with open(path, 'w', encoding='utf-8') as f:
        f.write(':%s:%s\n' % (username, password))
