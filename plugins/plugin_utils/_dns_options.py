# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DNS options of every action that writes a TXT record (hkpost_dcv_token, hkpost_acme_challenge): one spec.

RFC 2136 from the controller (dns_server, dns_port, zone, TSIG) or a Windows DNS server (dns_provider windows);
as community.crypto shares one argument spec between a module and its _pipe action, so that the two cannot drift.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text

# dnspython's TSIG algorithms (dns.tsig), the names BIND's tsig-keygen writes.
TSIG_ALGORITHMS = ['hmac-sha256', 'hmac-sha384', 'hmac-sha512', 'hmac-sha224', 'hmac-sha1', 'hmac-md5']

DNS_UPDATE_OPTIONS = dict(
    dns_provider=dict(type='str', default='rfc2136', choices=['rfc2136', 'windows']),
    dns_server=dict(type='str'),
    dns_port=dict(type='int', default=53),
    zone=dict(type='str'),
    tsig_key_name=dict(type='str'),
    tsig_key_secret=dict(type=quoted_text, no_log=True),
    tsig_algorithm=dict(type='str', default='hmac-sha256', choices=TSIG_ALGORITHMS),
)
