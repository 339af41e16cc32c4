# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's pending-request listing, read once and handed to every certificate's hkpost_csr.

WinRM round trips are what a fleet run costs (issue 12): a host with N certificates used to read
``LocalMachine\\REQUEST`` N times, once per hkpost_csr. ``hkpost_csr list_pending: true`` reads it once
and returns the listing (:func:`make_listing`); each certificate's hkpost_csr gets it back as
``pending_requests`` and decides from it (:func:`read_listing`) without another read.

The listing is returned to the play and comes back as task input, so it is checked like any input: it
must be the one read on this host from this ``request_dir`` - another host's listing would make a
certificate "reuse" a request that is not on this host.
"""

from __future__ import annotations

import base64
import binascii

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

try:  # a controller requirement; the plugin must still load without it (see _optional_deps)
    from cryptography import x509
except ImportError as exc:
    x509 = MissingLibrary('cryptography', exc)

_FIX = ('pass the pending_requests value returned by hkpost_csr with list_pending: true on this host, unmodified, '
        'or leave pending_requests out to read the host')
_ENTRY_KEYS = ('thumbprint', 'der', 'friendly_name', 'has_private_key', 'key_container')


_EXCHANGE_KEYS = ('thumbprint', 'der', 'status', 'has_private_key', 'friendly_name', 'certificate_request')


def make_listing(state, host, request_dir, platform='iis'):
    """The RV ``pending_requests``: what csr_pending_read (``platform`` iis) or exchange_read (exchange) answered,
    labelled with where it was read. An Exchange server's requests are Exchange's own (Get-ExchangeCertificate,
    status PendingRequest, with their request text), which is what exchange_cert decides from: they are kept as
    ``exchange`` entries; the host's OS build (``os_build``) chooses the PFX encryption of the pending-key backups."""
    pending = [{key: entry.get(key) for key in _ENTRY_KEYS} for entry in state.get('pending') or []]
    listing = {'host': host, 'request_dir': request_dir, 'platform': platform, 'pending': pending,
               'saved_csrs': [text for text in state.get('saved_csrs') or [] if isinstance(text, str)],
               'os_build': state.get('os_build')}
    if platform == 'exchange':
        listing['exchange'] = [{key: entry.get(key) for key in _EXCHANGE_KEYS}
                               for entry in state.get('certificates') or [] if isinstance(entry, dict)]
    return listing


def _der(value, where):
    if not isinstance(value, str) or not value:
        raise HkpostError('pending_requests: %s.der is missing or not text; %s.' % (where, _FIX))
    try:
        der = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as e:
        raise HkpostError('pending_requests: %s.der is not base64 (%s); %s.' % (where, e, _FIX))
    try:
        x509.load_der_x509_certificate(der)
    except ValueError as e:
        raise HkpostError('pending_requests: %s.der is not a DER certificate (%s); %s.' % (where, e, _FIX))
    return der


def read_listing(listing, host, request_dir, platform='iis'):
    """``(pending, saved_csrs)`` for plan_windows_request from a listing given as input.

    ``pending`` entries carry ``der`` as bytes. Raises HkpostError naming what is wrong when the value is
    not a listing, or was read on another host or from another request_dir.
    """
    if not isinstance(listing, dict) or not isinstance(listing.get('pending'), list) \
            or not isinstance(listing.get('saved_csrs'), list):
        raise HkpostError('pending_requests is not a pending-request listing (a dict with host, request_dir, '
                          'pending and saved_csrs lists); %s.' % _FIX)
    if listing.get('host') != host:
        raise HkpostError('pending_requests was read on host %s, not on %s: each host has its own pending requests; '
                          '%s.' % (listing.get('host'), host, _FIX))
    if listing.get('request_dir') != request_dir:
        raise HkpostError('pending_requests was read from request_dir %s, but this task uses %s; read the listing with '
                          'the same request_dir, or leave pending_requests out.'
                          % (listing.get('request_dir'), request_dir))
    if (listing.get('platform') or 'iis') != platform:
        raise HkpostError('pending_requests was read for platform %s, but this task is for platform %s: an Exchange '
                          'server\'s requests are read through Exchange; read the listing with the same platform.'
                          % (listing.get('platform') or 'iis', platform))
    pending = []
    for index, entry in enumerate(listing['pending']):
        where = 'pending[%d]' % index
        if not isinstance(entry, dict):
            raise HkpostError('pending_requests: %s is not a dict; %s.' % (where, _FIX))
        pending.append(dict(entry, der=_der(entry.get('der'), where)))
    return pending, [text for text in listing['saved_csrs'] if isinstance(text, str)]


def read_exchange_listing(listing, host, request_dir):
    """The Exchange certificates of a listing read with ``platform: exchange``, each with ``der`` as base64 text
    (as exchange_read answers), checked like :func:`read_listing` checks an IIS listing."""
    read_listing(listing, host, request_dir, 'exchange')
    entries = listing.get('exchange')
    if not isinstance(entries, list):
        raise HkpostError('pending_requests has no exchange list although it was read for platform exchange; %s.' % _FIX)
    checked = []
    for index, entry in enumerate(entries):
        where = 'exchange[%d]' % index
        if not isinstance(entry, dict):
            raise HkpostError('pending_requests: %s is not a dict; %s.' % (where, _FIX))
        if entry.get('der'):
            _der(entry.get('der'), where)
        checked.append(entry)
    return checked
