#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: hkpost_notify
short_description: Send the outcome of a rollout, audit or inventory run by e-mail and to a chat webhook
version_added: 0.3.0
description:
  - Builds one message from what a run produced - a rollout summary, the served-chain audit, or the certificate
    inventory - and sends it by e-mail (SMTP submission with STARTTLS and authentication) and/or as JSON to a
    webhook (Slack, Microsoft Teams, or a generic shape), when the run's outcome is one of O(notify_on).
  - The message says failure or success, a headline with the counts, the certificates to renew (soonest first,
    with the hosts serving or holding them) and the failed hosts or the findings. Lists stop at 50 entries and
    say how many more there are; the report files have them all.
  - B(No secret is ever in a message.) It is built from the summaries and reports alone, which hold none, reading
    only named fields of them; the SMTP password and the webhook URL (whose path carries the Slack or Teams
    token) are masked in every text the module returns, and errors name a webhook by scheme, host and port only.
  - Runs on the controller (run it on C(localhost), or with C(run_once)); it never logs into a host.
  - Each channel is tried even when the other fails. A channel that fails (login refused, server down, HTTP 500,
    no answer within O(email.timeout)) fails the task with a message naming the endpoint, or with O(errors=warn)
    becomes a warning and the play goes on.
  - In check mode the message is built and returned, and nothing is sent.
extends_documentation_fragment:
  - hkpost.ecert._attributes
  - hkpost.ecert._attributes.controller
options:
  kind:
    description:
      - What O(report) is. V(rollout) the summary an install, chain or renewal run makes (the
        RV(hkpost.ecert.hkpost_renewal_report#module:summary) of M(hkpost.ecert.hkpost_renewal_report), or the
        RV(hkpost.ecert.hkpost_fleet_report#module:summary) of M(hkpost.ecert.hkpost_fleet_report) for a chain
        migration); failure when a host failed or was unreachable.
      - V(audit) the registered result of M(hkpost.ecert.hkpost_served_chain), or the parsed
        C(fleet-to-renew.json); failure when an endpoint is critical or could not be audited.
      - V(inventory) the parsed C(certificate-inventory.json); failure when a certificate has expired or a host
        could not be read.
    type: str
    required: true
    choices: [rollout, audit, inventory]
  report:
    description: The summary or report, as described for O(kind).
    type: raw
    required: true
  to_renew:
    description:
      - The certificates to renew, as C(fleet-to-renew.json) holds them (the dictionary, or its C(certificates)).
      - Default for V(audit), derived from the audit as that file is; for V(inventory), the expired and expiring
        leaf certificates; for V(rollout), none.
    type: raw
  title:
    description: The message title. Default C(Certificate rollout), C(TLS chain audit) or C(Certificate inventory).
    type: str
  link:
    description: Where the full report is (a path or URL), added at the end of the message.
    type: str
  warn_days:
    description: For V(audit), the days before expiry a leaf counts as expiring in the derived to-renew list.
    type: int
    default: 30
  outcome:
    description: V(auto) decides from O(report) as described for O(kind); V(failure) or V(success) overrides it.
    type: str
    default: auto
    choices: [auto, failure, success]
  notify_on:
    description:
      - The outcomes that are sent; the others return RV(skipped). Not named C(on), which YAML 1.1 reads as true.
    type: list
    elements: str
    default: [failure]
    choices: [failure, success]
  errors:
    description: V(fail) fails the task when a channel cannot deliver; V(warn) warns and carries on.
    type: str
    default: fail
    choices: [fail, warn]
  email:
    description: Send by e-mail. Omit for no e-mail.
    type: dict
    suboptions:
      host:
        description: The submission server.
        type: str
        required: true
      port:
        description: Its port (587 submission with STARTTLS; 465 with O(email.security=tls)).
        type: int
        default: 587
      security:
        description:
          - V(starttls) upgrades the connection with STARTTLS before anything else (RFC 3207), V(tls) is TLS
            from the first byte. There is no plain-text mode; the server's certificate is verified.
        type: str
        default: starttls
        choices: [starttls, tls]
      username:
        description: The account to authenticate as (SMTP AUTH, inside TLS). Omit for a relay that needs none.
        type: str
      password:
        description: Its password. Never logged, and masked in every text the module returns.
        type: str
      sender:
        description: The From address (the envelope sender too).
        type: str
        required: true
      to:
        description: The recipients.
        type: list
        elements: str
        required: true
      timeout:
        description: Seconds for the connection and each reply.
        type: float
        default: 30
      validate_certs:
        description: Verify the server's certificate and name. Turn off for lab servers only.
        type: bool
        default: true
      ca_file:
        description: PEM file of the CA(s) to verify the server with, instead of the system's trust store.
        type: path
  webhook:
    description: POST the message as JSON. Omit for no webhook.
    type: dict
    suboptions:
      url:
        description:
          - The incoming-webhook URL. Slack and Teams put the token in it, so it is treated as a secret - never
            logged, masked in every text the module returns; errors name scheme, host and port only.
        type: str
        required: true
      format:
        description:
          - V(slack) an incoming-webhook message, C(text) (the notification text) and C(blocks) (Block Kit
            header, sections and fields).
          - V(teams) a Teams message with one Adaptive Card (version 1.4) attachment, for incoming webhooks and
            Workflows (the retired Office 365 connector MessageCard is not sent).
          - V(generic) the message as data - C(source), C(kind), C(title), C(outcome), C(headline), C(facts),
            C(to_renew), C(to_renew_total), C(lines), C(text), C(subject), C(link).
        type: str
        default: generic
        choices: [slack, teams, generic]
      timeout:
        description: Seconds for the whole request.
        type: float
        default: 30
      validate_certs:
        description: Verify the server's certificate for an C(https) URL. Turn off for lab servers only.
        type: bool
        default: true
      ca_file:
        description: PEM file of the CA(s) to verify the server with, instead of the system's trust store.
        type: path
attributes:
  check_mode:
    support: full
    details: Builds and returns the message; sends nothing.
  diff_mode:
    support: none
  platform:
    details: Runs on the controller only; no host is contacted by Ansible, only the SMTP server and the webhook.
author:
  - hkpost.ecert contributors (@hkpost-ecert)
'''

EXAMPLES = r'''
- name: Tell the on-call team when the audit finds something, with the certificates to renew
  hkpost.ecert.hkpost_notify:
    kind: audit
    report: "{{ hkpost_audit_result }}"
    notify_on: [failure]
    link: "{{ hkpost_audit_report.html_file }}"  # the fleet.html hkpost.ecert.hkpost_fleet_report wrote
    email:
      host: smtp.example.hk
      username: hkpost-notify
      password: "{{ vault_smtp_password }}"
      sender: hkpost-notify@example.hk
      to: [pki-team@example.hk]
    webhook:
      url: "{{ vault_teams_webhook_url }}"
      format: teams
    errors: warn

- name: Report every install run to Slack, failed or not (install_report registered by hkpost_renewal_report)
  hkpost.ecert.hkpost_notify:
    kind: rollout
    report: "{{ install_report.summary }}"
    notify_on: [failure, success]
    webhook:
      url: "{{ vault_slack_webhook_url }}"
      format: slack
'''

RETURN = r'''
outcome:
  description: The run's outcome as judged (or as given in O(outcome)).
  returned: always
  type: str
  sample: failure
notified:
  description: Whether at least one channel delivered the message.
  returned: always
  type: bool
sent:
  description: The channels that delivered, each named by its endpoint.
  returned: always
  type: list
  elements: str
  sample: ['SMTP server smtp.example.hk:587', 'webhook https://example.webhook.office.com']
errors:
  description: The channels that did not deliver, each with the endpoint and the reason (no secret).
  returned: always
  type: list
  elements: str
  sample: ['webhook https://hooks.slack.com answered HTTP 500 Internal Server Error']
skipped:
  description: Why nothing was sent (the outcome is not in O(notify_on), no channel, check mode), else null.
  returned: always
  type: str
subject:
  description: The message subject (also the chat notification text).
  returned: always
  type: str
  sample: '[hkpost.ecert] FAILURE: TLS chain audit - 120 endpoints: 110 ok, 8 warning, 2 critical, 0 error, 3 to renew'
text:
  description: The message as plain text (the e-mail body).
  returned: always
  type: str
to_renew_total:
  description: How many certificates the message lists to renew.
  returned: always
  type: int
'''
