# -*- coding: utf-8 -*-
"""Rules of the one retire policy (install/_retire.py) on what is a candidate at all, each named by its test (issue
21, mutation survivors of the re-judged run): a certificate that serves no name (no SAN, no CN) is never "served in
full" by another (``all()`` over no names would be true), and a CA certificate the accepted ACME issuer signed is
never a candidate, even when a newer one of the same name has its key in My.
"""

from __future__ import annotations

import datetime

from cryptography import x509

from ansible_collections.hkpost.ecert.plugins.module_utils.install._retire import plan_retire
from tests.support.pki import Issued, make_cert, rsa_key
from tests.support.windows.certstore import read_entry
from tests.unit.plugins.module_utils.install.test_retire_acme import NAMES, _ca, chain

DAY = datetime.timedelta(days=1)


def test_a_certificate_serving_no_name_is_never_replaced(pki):
    root = _ca(pki, 'acme-root')
    inter = _ca(pki, 'acme-inter', root)
    new = pki.issue_leaf('www.example.com', sans=NAMES, issuer=inter, not_before=pki.now - DAY)
    key = rsa_key(slot='acme-nameless')
    nameless = Issued(make_cert(x509.Name([]), key, inter.cert.subject, inter.key, pki.now - 60 * DAY,
                                pki.now + 40 * DAY, ca=False), key)
    decision = plan_retire({'My': [read_entry(nameless), read_entry(new)]}, {}, replaced_by=[new.thumbprint],
                           issuers=chain(new, inter, root))
    assert decision['retire'] == []


def test_a_ca_certificate_of_the_accepted_issuer_is_never_retired(pki):
    # an older and a newer intermediate of the same root, same name, both with their key in My: CA certificates are
    # never candidates, even when the accepted issuer signed them and a "newer" one serves their one name (the CN)
    root = _ca(pki, 'acme-root')
    old_ca = _ca(pki, 'acme-inter', root)
    new_ca = _ca(pki, 'acme-inter-impostor', root)
    new_ca = Issued(make_cert(new_ca.cert.subject, new_ca.key, root.cert.subject, root.key, pki.now - 2 * DAY,
                              pki.now + 900 * DAY, ca=True, pathlen=0), new_ca.key)
    decision = plan_retire({'My': [read_entry(old_ca), read_entry(new_ca)]}, {}, issuers=chain(root))
    assert decision['retire'] == [] and decision['kept'] == []
