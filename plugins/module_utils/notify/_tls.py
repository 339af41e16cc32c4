# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What both senders share: the error they raise, and the TLS context that verifies the server they talk to."""

from __future__ import annotations

import ssl


class NotifyError(Exception):
    """One channel could not deliver; the text names the endpoint and never a secret."""


def tls_context(options):
    """Verifying by default (system trust, or ``ca_file``); ``validate_certs: false`` for lab servers only."""
    context = ssl.create_default_context(cafile=options.get('ca_file') or None)
    if not options.get('validate_certs', True):
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context
