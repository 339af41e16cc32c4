# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What to do about each finding, in one plain sentence an operator can act on.

The finding's ``message`` says what is wrong (names, dates, the chain as sent); its ``action`` says
what to do next, and names the playbook of this collection that does it where there is one - saying
only what that playbook does (migrate_intermediate.yml changes certificate stores; it restarts nothing).
"""

from __future__ import annotations


def _days(days):
    return '%d day%s' % (days, '' if days == 1 else 's')


def action_for(code, role='leaf', days=None, issuer=None, protocol=None):
    """The sentence for one finding; ``role``/``days``/``issuer``/``protocol`` fill in the details."""
    if code == 'ok':
        return 'Nothing to do.'
    if code == 'expiring':
        if role == 'leaf' and days is None:
            return 'Renew before it expires (renew.yml takes the to-renew list).'
        if role == 'leaf':
            return 'Renew: the certificate expires in %s (renew.yml takes the to-renew list).' % _days(days)
        if days is None:  # the sentence must not invent a count (it read "expires in 0 days")
            return 'Install the current intermediate from Hongkong Post before the one this server sends expires.'
        return ('Install the current intermediate from Hongkong Post: the one this server sends expires in %s.'
                % _days(days))
    if code == 'expired':
        if role == 'leaf' and days is None:
            return 'Renew now: clients refuse an expired certificate.'
        if role == 'leaf':
            return 'Renew now: the certificate expired %s ago and clients refuse it.' % _days(days)
        return ('Install the current intermediate from Hongkong Post in place of the expired one (migrate_intermediate.yml '
                'does on Windows hosts), then restart the site or service so that it sends the new chain.')
    if code == 'missing_intermediate':
        return ("Install the intermediate '%s' on this server (migrate_intermediate.yml installs it on Windows hosts), "
                'then restart the site or service so that it sends it.' % (issuer or 'its issuer'))
    if code == 'old_intermediate':
        # migrate_intermediate.yml changes the certificate stores only; it restarts nothing (issue 22)
        return ('Install the 2025 intermediate and remove the old one from the Intermediate store (migrate_intermediate.yml '
                'does both), then restart the site or service: the playbook does not, and until then it may send the '
                'old chain.')
    return _STATIC[code].replace('{protocol}', (protocol or 'mail').upper())


_STATIC = {
    'not_yet_valid': "Check the server's clock, or bind the certificate that is valid today.",
    'name_mismatch': 'Bind the certificate that covers this name here, or request one that does.',
    'untrusted': 'Serve a certificate issued under a trusted Hongkong Post root, with its intermediate.',
    'weak_key': 'Request a new certificate with an RSA 2048-bit key and install it.',
    'wrong_order': 'Send the chain in order (leaf, then its issuer): re-export it, or let the server build it from its '
                   'Intermediate store.',
    'extra_certificates': "Remove the root and unrelated certificates from the chain this server sends.",
    'not_hkpost': 'Nothing to do if this endpoint is meant to serve another CA; otherwise install the Hongkong Post '
                  'certificate here.',
    'no_starttls': 'Enable STARTTLS on this {protocol} service (Exchange: Enable-ExchangeCertificate with that '
                   'service), or take the port out of the audit.',
    'unreachable': 'Check the address, the port and the firewall between the controller and this host.',
    'tls_error': 'Check that this port serves TLS (for a mail port set starttls) and look at the TLS settings of the '
                 'server.',
}
