# -*- coding: utf-8 -*-
"""The Hongkong Post portal, played by the test PKI: one certificate per row of the submission sheet.

The person at the portal pastes each CSR of ``csr/submission.csv`` and downloads what the CA issues; here
the test PKI signs the CSR's public key for the names the sheet applied for (a wildcard certificate also
names its base domain, as Hongkong Post's do). The key never leaves the host: only its public half is
signed.

    issued = issue_sheet(pki, out / 'csr' / 'submission.csv')   # {(host, common_name): Issued}
"""

from __future__ import annotations

import csv

from cryptography import x509

from tests.support.pki import DAY


class _PublicKeyOnly:
    """The portal signs the CSR's public key; the test PKI's builder only asks the key for that."""

    def __init__(self, public_key):
        self._public_key = public_key

    def public_key(self):
        return self._public_key


def issue_sheet(pki, sheet_path):
    """Issue one certificate per row of the submission sheet: ``{(host, common_name): Issued}`` (no key)."""
    with open(sheet_path, encoding='utf-8') as handle:
        rows = list(csv.DictReader(handle))
    issued = {}
    for row in rows:
        with open(row['csr_file'], 'rb') as handle:
            csr = x509.load_pem_x509_csr(handle.read())
        names = row['names'].split()
        if row['certificate_type'] == 'wildcard':
            names.append(row['common_name'][2:])
        issued[(row['host'], row['common_name'])] = pki.issue_leaf(
            row['common_name'], sans=names, key=_PublicKeyOnly(csr.public_key()), not_before=pki.now - DAY)
    return issued
