# -*- coding: utf-8 -*-
"""A rule of the one retire policy (install/_retire.py), named by its test (issue 21, mutation survivor of the
re-judged run): a replacement must serve every name the old certificate serves, and a certificate that serves no
name at all (no SAN, no CN) is never "served in full" by another - it is no candidate, whatever its issuer issued
since (``all()`` over no names would be true).
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
