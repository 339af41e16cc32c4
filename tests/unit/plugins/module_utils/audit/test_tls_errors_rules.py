# -*- coding: utf-8 -*-
"""oserror_cause's rules (issue 21): every OSError becomes one line a reader understands. The three named kinds
come from real sockets in test_fetch_rules.py (refused port, unresolvable name, reset); here the fallbacks for
the rest: the system's text, else the exception's text (asyncio joins several connect failures into one OSError
with no errno), else the exception's kind. That a failure is final unless marked a TLS 1.2 refusal (FetchError's
default) is test_fetch_rules.py's plain-HTTP case: no second connection."""

from __future__ import annotations

import errno
import os
import socket

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._tls_errors import oserror_cause


@pytest.mark.parametrize('exc, cause', [
    (socket.gaierror(socket.EAI_NONAME, 'Name or service not known'), 'the name does not resolve (Name or service not known)'),
    (ConnectionRefusedError(errno.ECONNREFUSED, os.strerror(errno.ECONNREFUSED)),
     'connection refused (nothing listens on that port)'),
    (ConnectionResetError(errno.ECONNRESET, os.strerror(errno.ECONNRESET)), 'connection reset by the server'),
    (OSError(errno.EHOSTUNREACH, 'No route to host'), 'No route to host'),
    (OSError("Multiple exceptions: [Errno 111] Connect call failed ('::1', 443, 0, 0), [Errno 101] Network is "
             "unreachable"), "Multiple exceptions: [Errno 111] Connect call failed ('::1', 443, 0, 0), [Errno 101] "
                             "Network is unreachable"),
    (TimeoutError(), 'TimeoutError'),
], ids=['unresolvable', 'refused', 'reset', 'system text', 'no errno', 'nothing but the kind'])
def test_each_os_error_is_one_line_in_words(exc, cause):
    assert oserror_cause(exc) == cause
