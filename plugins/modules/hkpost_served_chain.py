#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_served_chain
short_description: Audit the certificate chain TLS servers actually send
version_added: 0.1.0
description:
  - Connects from the controller to each TLS endpoint and reads the certificate chain B(as the server sends it),
    not as a client would repair it. Browsers hide a missing intermediate by fetching it (AIA); Python, Java and
    OpenSSL clients fail. After an intermediate migration, what the server sends is the only proof it is right.
  - With O(handshake=auto) (the default) it speaks TLS by hand up to the server's Certificate message (a TLS 1.2
    ClientHello; TLS 1.0 to 1.2 send the certificates in clear), then drops the connection. No key exchange is
    done, which is why a thousand endpoints per second can be audited from one controller. A server that refuses
    TLS 1.2 (TLS 1.3 only) gets a second connection with a full TLS 1.3 handshake through Python's C(ssl), and
    the chain is read from it (C(get_unverified_chain)). The refusal is remembered per server address, so the other
    endpoints of a TLS 1.3-only address get the full handshake at once, without a failed attempt each.
    O(handshake=full) makes that full handshake with every endpoint, at about half the speed.
  - Mail services are audited the way clients reach them. SMTP (25, 587), IMAP (143) and POP3 (110) speak their own
    protocol first and upgrade with STARTTLS (RFC 3207, RFC 2595); O(endpoints[].starttls) says which, and
    defaults from the port. Implicit TLS ports (465, 993, 995) need nothing. A service that does not offer
    STARTTLS gets a V(no_starttls) finding.
  - The chain is built only from what was sent plus the trust anchors (O(trust)); no AIA, no cache.
  - Runs entirely on the controller and never logs into the target; it needs no credentials, so it also audits
    servers Ansible does not manage. Run it once (C(run_once), or a play on C(localhost)) with every endpoint in
    O(endpoints); concurrency comes from the module, not from forks.
  - An endpoint that cannot be reached or does not speak TLS gives an V(unreachable) or V(tls_error) finding; it
    never fails the task. Entries that are not endpoints (no host, a port out of range) fail the task with a
    message naming the entry.
  - Finding codes (RV(endpoints[].findings[].code)), each with a one-line message.
    V(ok) verifies from what was sent alone, new-generation intermediate, not expiring;
    V(missing_intermediate) the leaf is sent without its issuer;
    V(old_intermediate) the old (2017, no EKU) Hongkong Post intermediate is sent;
    V(wrong_order) not leaf first then each issuer;
    V(extra_certificates) the root itself or certificates outside the chain are sent;
    V(expired), V(expiring) (within O(warn_days)), V(not_yet_valid) for the leaf and the sent intermediates;
    V(name_mismatch) the server name is not covered by the leaf (RFC 6125 wildcard rules, C(*) is the whole
    leftmost label and matches exactly one label);
    V(not_hkpost) the leaf is not issued by a Hongkong Post CA;
    V(untrusted) the chain as sent does not end at a trust anchor;
    V(weak_key) a certificate in the chain has an RSA key under 2048 bits (or EC under 256);
    V(unreachable) no TCP connection (refused, timeout, name does not resolve);
    V(no_starttls) a mail service that does not offer (or refuses) STARTTLS;
    V(tls_error) connected but no usable TLS answer (plain HTTP, alert, silence).
  - Severities and verdicts, worst first. V(error) for V(unreachable) and V(tls_error). V(critical) for
    V(missing_intermediate), V(old_intermediate), V(expired), V(not_yet_valid), V(name_mismatch), V(untrusted),
    V(weak_key) and V(no_starttls). V(warning) for V(expiring), V(extra_certificates), V(wrong_order) and V(not_hkpost).
    V(ok) otherwise. An endpoint's verdict is its worst finding's severity.
  - Every finding also says what to do about it in one sentence (RV(endpoints[].findings[].action)).
extends_documentation_fragment:
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.controller
options:
  endpoints:
    description:
      - The TLS endpoints to audit.
    type: list
    elements: dict
    required: true
    suboptions:
      host:
        description: Name or address to connect to. Required; an entry without it fails the task.
        type: str
      port:
        description: TCP port, 1 to 65535.
        type: int
        default: 443
      server_name:
        description:
          - The name the client asks for (SNI) and that the leaf must cover. Defaults to O(endpoints[].host).
          - Chinese (IDN) names are converted to A-labels. IP addresses are not sent as SNI and are matched against
            the leaf's IP address names.
          - A value that is not a host name or an IP address (a space, a label over 63 characters, a C(*), a
            look-alike mixed-script label) is refused before any endpoint is contacted, naming the entry.
        type: str
      starttls:
        description:
          - The protocol the port speaks before TLS. V(smtp) (EHLO, STARTTLS), V(imap) (CAPABILITY, STARTTLS),
            V(pop3) (STLS), or V(none) for TLS from the first byte.
          - Defaults from the port, 25 and 587 V(smtp), 143 V(imap), 110 V(pop3), any other V(none).
        type: str
        choices: [smtp, imap, pop3, none]
      inventory_name:
        description:
          - The inventory host this endpoint belongs to, shown in reports in the Host column (with O(endpoints[].host)
            as the address). Defaults to O(endpoints[].host). The P(hkpost.ecert.served_endpoints#filter) filter sets it.
        type: str
  timeout:
    description:
      - Seconds allowed for the TCP connection, and again for the server's TLS answer, per endpoint.
      - A server that accepts and never answers costs at most twice this.
    type: float
    default: 5.0
  concurrency:
    description: How many endpoints are audited at the same time.
    type: int
    default: 200
  warn_days:
    description: A leaf or sent intermediate expiring within this many days gives an V(expiring) finding.
    type: int
    default: 30
  trust:
    description:
      - The trust anchors a chain must reach from what was sent.
      - V(bundled) is the real Hongkong Post Root CA 3 and GlobalSign Root CA - R3 shipped with the collection
        (pinned by SHA-256).
      - V(system) is the controller's CA bundle (OpenSSL default paths, C(/etc/ssl/certs/ca-certificates.crt)).
      - Anything else is the path, on the controller, of a PEM file with the trusted roots (for example a lab's).
    type: str
    default: bundled
  handshake:
    description:
      - V(auto) reads the chain from a TLS 1.2 handshake that stops at the server's Certificate message, and makes a
        full TLS 1.3 handshake only with servers that refuse TLS 1.2. A server that supports TLS 1.3 says so in its
        TLS 1.2 answer (RFC 8446 4.1.3), so RV(endpoints[].tls_version) still shows TLS 1.3 for it.
      - V(full) makes a full handshake with Python's C(ssl) with every endpoint, at the highest version both sides
        support, and reads the chain from it. Slower; use it to see the chain exactly as a current client receives it.
    type: str
    choices: [auto, full]
    default: auto
  ehlo_name:
    description:
      - The name the audit gives in SMTP C(EHLO). Defaults to the controller's address literal on that connection
        (for example C([192.0.2.5])), as RFC 5321 4.1.4 allows a client without a name it can vouch for.
      - Give the controller's fully qualified name when a mail server rejects address literals.
    type: str
attributes:
  check_mode:
    support: full
    details: Read-only; behaves the same in check mode.
  diff_mode:
    support: none
  platform:
    details: Runs on the controller only; the target is never contacted by Ansible, only the endpoints over TLS.
notes:
  - With O(handshake=auto) the chain is read before any key exchange, so the server's handshake is never completed.
    Servers log it as a client that went away. Mail servers log a session that ended after STARTTLS.
seealso:
  - name: Hongkong Post e-Cert intermediate certificates
    description: Where the right intermediates and the cross certificate are published.
    link: https://www.ecert.gov.hk/
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Audit what the web servers send
  hkpost.ecert.hkpost_served_chain:
    endpoints:
      - host: www.example.gov.hk
      - host: 192.0.2.10
        port: 8443
        server_name: portal.example.gov.hk
      - host: 192.0.2.20
        port: 25
        server_name: mail.example.gov.hk
        inventory_name: exch01
      - host: 192.0.2.20
        port: 993
        server_name: mail.example.gov.hk
        inventory_name: exch01
    warn_days: 45
    ehlo_name: ansible.example.gov.hk
  register: served
  run_once: true
  delegate_to: localhost

- name: Fail when any endpoint is critical
  ansible.builtin.assert:
    that: served.summary.by_verdict.critical == 0
    fail_msg: "{{ served.endpoints | selectattr('verdict', 'equalto', 'critical') | map(attribute='host') | list }}"

- name: Audit a lab whose roots are in a file
  hkpost.ecert.hkpost_served_chain:
    endpoints: "{{ lab_endpoints }}"
    trust: /tmp/lab/trust.pem
    timeout: 2
'''

RETURN = r'''
endpoints:
  description: One entry per endpoint, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    host:
      description: As given.
      type: str
      sample: www.example.gov.hk
    port:
      description: As given, default 443.
      type: int
      sample: 443
    server_name:
      description: The SNI name asked for and matched.
      type: str
      sample: www.example.gov.hk
    starttls:
      description: The protocol spoken before TLS (V(smtp), V(imap), V(pop3)), null for TLS from the first byte.
      type: str
      sample: smtp
    inventory_name:
      description: The inventory host, as given; O(endpoints[].host) when none was given.
      type: str
      sample: exch01
    served:
      description:
        - The certificates the server sent, in the order sent, each described like the collection's other modules
          (role, generation, product, is_hkpost, subject, issuer, serial, sha1, sha256, spki_sha256, not_before,
          not_after, dns_names, eku, key_type, key_size, ...). Empty when nothing was received.
      type: list
      elements: dict
    findings:
      description: What is wrong, or a single V(ok).
      type: list
      elements: dict
      contains:
        code:
          description: One of the finding codes listed in the description.
          type: str
          sample: missing_intermediate
        severity:
          description: V(ok), V(warning), V(critical) or V(error).
          type: str
          sample: critical
        message:
          description: One line for a human, saying what is wrong.
          type: str
          sample: "the leaf is sent without its issuer 'Hongkong Post e-Cert SSL CA 3 - 17'; ..."
        action:
          description: What to do about it, in one plain sentence.
          type: str
          sample: "Install the intermediate 'Hongkong Post e-Cert SSL CA 3 - 17' on this server (migrate_intermediate.yml installs it ..."
        certificate:
          description: SHA-256 of the certificate an V(expired) or V(expiring) finding is about.
          type: str
          returned: for expired and expiring
    verdict:
      description: The worst severity among the findings.
      type: str
      sample: ok
    not_after:
      description: When the leaf expires (ISO 8601 UTC); null when nothing was received.
      type: str
      sample: '2027-05-31T23:59:59Z'
    days_left:
      description: Whole days until the leaf expires (negative when expired); null when nothing was received.
      type: int
      sample: 191
    tls_version:
      description:
        - The protocol version a current client negotiates with the endpoint; null when the handshake did not get
          that far. V(TLSv1.3) also when the chain was read over TLS 1.2 and the server signalled TLS 1.3 support in
          its answer (RFC 8446 4.1.3 downgrade protection).
      type: str
      sample: TLSv1.3
    chain_read_over:
      description: The protocol version of the handshake the chain was read from.
      type: str
      sample: TLSv1.2
summary:
  description: Counts for a report header.
  returned: always
  type: dict
  contains:
    total:
      description: Number of endpoints.
      type: int
    by_verdict:
      description: Endpoints per verdict (ok, warning, critical, error).
      type: dict
      sample: {ok: 12, warning: 1, critical: 2, error: 0}
    by_code:
      description: Endpoints having each finding code.
      type: dict
      sample: {ok: 12, missing_intermediate: 2, expiring: 1}
trust:
  description: Which trust anchors were used.
  returned: always
  type: str
  sample: bundled (Hongkong Post Root CA 3, GlobalSign Root CA - R3)
'''
