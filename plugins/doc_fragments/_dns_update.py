# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DNS-update options of every module that writes a TXT record, documented once.

plugin_utils/_dns_options.py holds the same options once as an argument spec (DNS_UPDATE_OPTIONS), which the action
plugins of hkpost_dcv_token and hkpost_acme_challenge both validate with; both send the update through
module_utils/dcv/_dns.py (parse_server, check_tsig_secret), so each sentence here is true of both. Private (leading
underscore), as community.crypto keeps its shared fragments (plugins/doc_fragments/_acme.py).
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  dns_provider:
    description:
      - How a TXT record is published (C(method=dns) of M(hkpost.ecert.hkpost_dcv_token), C(dns-01) of
        M(hkpost.ecert.hkpost_acme_challenge)). V(rfc2136) sends signed dynamic updates from the controller to
        O(dns_server).
      - V(windows) changes the zone on the target, which must be a Windows DNS server (run the task there).
    type: str
    default: rfc2136
    choices: [rfc2136, windows]
  dns_server:
    description: The primary name server accepting RFC 2136 updates (address or name; C(address:port) accepted).
    type: str
  dns_port:
    description: Port of O(dns_server) when it does not name one; 1-65535.
    type: int
    default: 53
  zone:
    description:
      - The zone holding the names; found from the SOA answers of O(dns_server) (or the Windows DNS server's zones)
        when omitted.
    type: str
  tsig_key_name:
    description: Name of the TSIG key allowed to update TXT records in the zone.
    type: str
  tsig_key_secret:
    description:
      - Base64 secret of O(tsig_key_name), as in the server's C(key) statement. Checked strictly before anything is
        sent (a malformed secret is refused as such, not reported later as the server's BADSIG). Must be quoted text.
        Never logged.
    type: str
  tsig_algorithm:
    description: TSIG algorithm of the key.
    type: str
    default: hmac-sha256
    choices: [hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha224, hmac-sha1, hmac-md5]
'''
