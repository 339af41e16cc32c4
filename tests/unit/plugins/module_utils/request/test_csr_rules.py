# -*- coding: utf-8 -*-
"""Which pending request holds a CSR's key: rules the mutation run (issue 21) found unpinned, one test per rule."""

from __future__ import annotations

import base64
import datetime

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import spki_sha256
from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import pending_thumbprint
from tests.support.pki import rsa_key
from tests.unit.plugins.module_utils.request.test_csr import pending_entry

WHEN = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def _listed(key, thumbprint='ab12', as_text=True):
    entry = pending_entry(key, WHEN)
    der = base64.b64encode(entry['der']).decode('ascii') if as_text else entry['der']
    return {'thumbprint': thumbprint, 'der': der}


def test_no_listing_holds_no_thumbprint():
    assert pending_thumbprint(None, 'AA' * 32) is None
    assert pending_thumbprint([], 'AA' * 32) is None


def test_an_entry_without_der_or_with_a_damaged_one_is_skipped():
    key = rsa_key(slot='csr-a')
    spki = spki_sha256(key.public_key())
    listing = [{'thumbprint': 'x1', 'der': None}, {'thumbprint': 'x2'}, {'thumbprint': 'x3', 'der': 'AAAA'},
               _listed(key, 'cd34')]
    assert pending_thumbprint(listing, spki) == 'CD34'


def test_der_given_as_bytes_is_read_as_der_not_as_base64():
    key = rsa_key(slot='csr-a')
    assert pending_thumbprint([_listed(key, 'ef56', as_text=False)], spki_sha256(key.public_key())) == 'EF56'


def test_only_the_entry_holding_the_key_is_taken_not_the_last_listed():
    key, other = rsa_key(slot='csr-a'), rsa_key(slot='csr-b')
    listing = [_listed(key, 'aa11'), _listed(other, 'bb22')]
    assert pending_thumbprint(listing, spki_sha256(key.public_key())) == 'AA11'
    assert pending_thumbprint(listing, 'FF' * 32) is None


def test_an_entry_holding_the_key_without_a_thumbprint_gives_none():
    key = rsa_key(slot='csr-a')
    for thumbprint in (None, ''):
        assert pending_thumbprint([_listed(key, thumbprint)], spki_sha256(key.public_key())) is None
