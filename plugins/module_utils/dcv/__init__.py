# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Phase 2, domain control validation: which methods a certificate type allows (rules), the DNS TXT
record (RFC 2136 with dnspython, checked at every authoritative server), the fileauth.txt file over HTTP,
and where that file goes in an IIS site.

Decides what proof to publish and whether it is visible. Must not write to IIS or Windows DNS itself
(payloads do) and never prints a verification code."""
