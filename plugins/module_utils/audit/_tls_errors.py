# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One endpoint's failure as data: a finding code and a one-line cause, shared by every fetch step."""

from __future__ import annotations

import socket


class FetchError(Exception):
    """``code`` is ``unreachable``, ``tls_error`` or ``no_starttls``; ``cause`` one line.

    ``refused_tls12`` marks the TLS 1.2 reader's failures that a full handshake with Python's ``ssl``
    may get past (the server refuses TLS 1.2 or this reader's offer); every other failure is final.
    """

    def __init__(self, code, cause, refused_tls12=False):
        super().__init__(cause)
        self.code = code
        self.cause = cause
        self.refused_tls12 = refused_tls12


def oserror_cause(exc):
    if isinstance(exc, socket.gaierror):
        return 'the name does not resolve (%s)' % (exc.strerror or exc)
    if isinstance(exc, ConnectionRefusedError):
        return 'connection refused (nothing listens on that port)'
    if isinstance(exc, ConnectionResetError):
        return 'connection reset by the server'
    return exc.strerror or str(exc) or type(exc).__name__
