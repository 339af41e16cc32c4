# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Phase 1, request: the subject and type rules of Hongkong Post e-Cert (Server) (standard, multi-domain,
wildcard, EV, Chinese IDN names) and the plan for a key and CSR (reuse a pending request, re-derive a lost
CSR, or make a new key).

Decides what a CSR must say and whether a new key is needed. Must not generate keys on Windows (the
certreq payloads do) nor validate domains."""
