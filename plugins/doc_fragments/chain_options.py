# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chain's options in one fragment: hkpost_chain's own options (DOCUMENTATION) and hkpost_install's ``chain``
option, whose suboptions they are (INSTALL). plugin_utils/_chain_inputs.py holds the one spec both modules validate
with. ansible-test's yamllint reads each fragment as a string literal, so INSTALL repeats DOCUMENTATION's options
indented under ``chain``; tests/unit/plugins/action/test_hkpost_install_chain.py checks that both document exactly
that spec, the same way."""

from __future__ import annotations


class ModuleDocFragment:
    # hkpost_chain: the chain options at the top level
    DOCUMENTATION = r'''
options:
  old_intermediate:
    description:
      - V(remove) deletes old intermediates from C(CA).
      - V(disallow) also adds them to C(Disallowed) so automatic chain retrieval (AIA) cannot bring them back.
        C(Disallowed) matches by hash, so the new intermediate with the same name and key is unaffected.
    type: str
    choices: [remove, disallow]
    default: remove
  install_root:
    description: Make sure Hongkong Post Root CA 3 is in the C(Root) store.
    type: bool
    default: true
  ssl_intermediate_file:
    description:
      - Controller path to the new C(Hongkong Post e-Cert SSL CA 3 - 17). By default the collection's shipped,
        SHA-256 pinned copy is used; set this only for a different hierarchy (for example a lab).
      - PEM or DER; a BOM and CRLF line ends are accepted. Refused if it is the old (no EKU) one.
      - An empty file given for this or any other C(*_file) option is refused, never taken as "not given".
    type: path
  ev_intermediate_file:
    description: Controller path to the new C(Hongkong Post e-Cert EV SSL CA 3 - 17) (PEM or DER).
    type: path
  cross_certificate_file:
    description: Controller path to the cross certificate C(Hongkong Post Root CA 3) issued by GlobalSign Root CA - R3.
    type: path
  arl_file:
    description:
      - Controller path to the Authority Revocation List of Root CA 3 (C(RootCA3ARL.crl)), imported into C(CA).
      - A newer ARL (higher CRL number, then later thisUpdate) replaces older ones; the same one is not imported,
        and an older one is not imported either, with a warning saying which one the host keeps. Refused when not
        signed by Root CA 3, past its nextUpdate, or with a thisUpdate in the future (beyond 10 minutes of clock
        skew).
    type: path
  root_certificate_file:
    description:
      - Controller path to Root CA 3; by default the shipped, pinned copy. Set only for a different hierarchy.
      - Refused when expired.
    type: path
  download:
    description:
      - Fetch, on the controller, what is not given as a file - the EV intermediate, the cross certificate and the
        ARL - from Hongkong Post's addresses in its guides. What is downloaded must classify as what it claims to
        be, or the task fails before the host is touched.
    type: bool
    default: false
  download_urls:
    description:
      - Override download addresses (for an internal mirror or proxy), keyed by V(ev_intermediate),
        V(cross_certificate), V(arl).
      - Defaults are C(http://www1.ecert.gov.hk/root/ecert_ev_ssl_ca_3-17_pem.crt),
        C(http://www1.ecert.gov.hk/root/root_ca_3_x_gsca_r3_pem.crt) and C(http://crl1.eCert.gov.hk/crl/RootCA3ARL.crl).
    type: dict
    default: {}
  download_timeout:
    description: Seconds for each download.
    type: int
    default: 30
  warn_days:
    description: Warn about Hongkong Post leaves with a private key that expire within this many days (0 or more).
    type: int
    default: 30
  key_stores:
    description:
      - Stores searched for Hongkong Post certificates with private keys (the leaves in use).
      - Other names are refused before the host is read, because Windows creates a store opened by a name it does
        not have.
    type: list
    elements: str
    choices: [My, WebHosting]
    default: [My, WebHosting]
  acme_intermediates:
    description:
      - ACME mode only. PEM of the intermediates of an accepted ACME issuer, as M(hkpost.ecert.hkpost_intake) returns
        them (C(acme_intermediates) of each assignment), added to C(CA) when absent so that Windows sends the chain.
      - They are only added, never removed, and left in C(Disallowed) with a warning when the host disallows them.
        Each must be a CA certificate, not self-signed, not a Hongkong Post one, not expired. The Hongkong Post
        rules above do not depend on them.
    type: list
    elements: str
    default: []
'''

    # hkpost_install: the same options under ``chain`` (kept equal to DOCUMENTATION's by a test)
    INSTALL = r'''
options:
  chain:
    description:
      - The Hongkong Post chain migration of M(hkpost.ecert.hkpost_chain) (its options, checked before the host is read,
        with the same defaults), done by this task - planned from the install's one read (which then also reads the
        C(CA), C(Root) and C(Disallowed) stores and the CRLs in C(CA)) and written in its first write, before any
        completion, import or binding, so that the new intermediates are in the store when a new certificate is served.
      - A chain step that fails stops the task there - nothing is completed, bound, enabled or retired - and the task fails
        naming the chain steps applied and not applied (RV(chain.applied), RV(chain.not_applied)).
      - Not given (the default) - no chain work. C(install.yml) and C(renew.yml --tags install) give it from the C(chain)
        role's variables (its C(options) entry point).
    type: dict
    suboptions:
      old_intermediate:
        description:
          - V(remove) deletes old intermediates from C(CA).
          - V(disallow) also adds them to C(Disallowed) so automatic chain retrieval (AIA) cannot bring them back.
            C(Disallowed) matches by hash, so the new intermediate with the same name and key is unaffected.
        type: str
        choices: [remove, disallow]
        default: remove
      install_root:
        description: Make sure Hongkong Post Root CA 3 is in the C(Root) store.
        type: bool
        default: true
      ssl_intermediate_file:
        description:
          - Controller path to the new C(Hongkong Post e-Cert SSL CA 3 - 17). By default the collection's shipped,
            SHA-256 pinned copy is used; set this only for a different hierarchy (for example a lab).
          - PEM or DER; a BOM and CRLF line ends are accepted. Refused if it is the old (no EKU) one.
          - An empty file given for this or any other C(*_file) option is refused, never taken as "not given".
        type: path
      ev_intermediate_file:
        description: Controller path to the new C(Hongkong Post e-Cert EV SSL CA 3 - 17) (PEM or DER).
        type: path
      cross_certificate_file:
        description: Controller path to the cross certificate C(Hongkong Post Root CA 3) issued by GlobalSign Root CA - R3.
        type: path
      arl_file:
        description:
          - Controller path to the Authority Revocation List of Root CA 3 (C(RootCA3ARL.crl)), imported into C(CA).
          - A newer ARL (higher CRL number, then later thisUpdate) replaces older ones; the same one is not imported,
            and an older one is not imported either, with a warning saying which one the host keeps. Refused when not
            signed by Root CA 3, past its nextUpdate, or with a thisUpdate in the future (beyond 10 minutes of clock
            skew).
        type: path
      root_certificate_file:
        description:
          - Controller path to Root CA 3; by default the shipped, pinned copy. Set only for a different hierarchy.
          - Refused when expired.
        type: path
      download:
        description:
          - Fetch, on the controller, what is not given as a file - the EV intermediate, the cross certificate and the
            ARL - from Hongkong Post's addresses in its guides. What is downloaded must classify as what it claims to
            be, or the task fails before the host is touched.
        type: bool
        default: false
      download_urls:
        description:
          - Override download addresses (for an internal mirror or proxy), keyed by V(ev_intermediate),
            V(cross_certificate), V(arl).
          - Defaults are C(http://www1.ecert.gov.hk/root/ecert_ev_ssl_ca_3-17_pem.crt),
            C(http://www1.ecert.gov.hk/root/root_ca_3_x_gsca_r3_pem.crt) and C(http://crl1.eCert.gov.hk/crl/RootCA3ARL.crl).
        type: dict
        default: {}
      download_timeout:
        description: Seconds for each download.
        type: int
        default: 30
      warn_days:
        description: Warn about Hongkong Post leaves with a private key that expire within this many days (0 or more).
        type: int
        default: 30
      key_stores:
        description:
          - Stores searched for Hongkong Post certificates with private keys (the leaves in use).
          - Other names are refused before the host is read, because Windows creates a store opened by a name it does
            not have.
        type: list
        elements: str
        choices: [My, WebHosting]
        default: [My, WebHosting]
      acme_intermediates:
        description:
          - ACME mode only. PEM of the intermediates of an accepted ACME issuer, as M(hkpost.ecert.hkpost_intake) returns
            them (C(acme_intermediates) of each assignment), added to C(CA) when absent so that Windows sends the chain.
          - They are only added, never removed, and left in C(Disallowed) with a warning when the host disallows them.
            Each must be a CA certificate, not self-signed, not a Hongkong Post one, not expired. The Hongkong Post
            rules above do not depend on them.
        type: list
        elements: str
        default: []
'''
