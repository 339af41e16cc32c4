# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Before a playbook touches a host: does its host pattern select hosts, and does each host say what it needs?

ansible-core treats a pattern that matches nothing as a warning and ends with rc=0, and a misspelt
variable (``hkpost_certificate``) as no variable at all: a run that did nothing looks like a run that
succeeded. ``check_targets`` turns both into words - errors stop the run before anything changes,
warnings are printed - from plain data, so it is tested without Ansible.
"""

from __future__ import annotations

import difflib

# How each playbook treats a targeted host without hkpost_certificates: request/install/renew act on that
# list (a host without it would silently do nothing), the others do not read it.
CERTIFICATES_REQUIRED = 'required'
CERTIFICATES_OPTIONAL = 'optional'
CERTIFICATES_IGNORED = 'ignored'

# Where a host says which certificates it needs: the collection-wide list, or a role's own variables (the csr,
# iis and exchange roles read these when set; install.yml passes them on).
CERTIFICATE_SOURCES = ('hkpost_certificates', 'hkpost_csr_certificates', 'hkpost_iis_certificates',
                       'hkpost_iis_certificate_file', 'hkpost_exchange_certificates', 'hkpost_exchange_certificate_file')

_FIX_PATTERN = ('Put the hosts in the inventory group ecert_servers, or pick hosts with --limit (a limit that names '
                'an unknown host stops ansible-playbook; -e hkpost_hosts is a pattern, and a misspelt one matches '
                'nothing or the wrong hosts).')


def check_targets(pattern, term_matches, targeted, host_variables, known, certificates=CERTIFICATES_REQUIRED,
                  limit=None, limit_matches=()):
    """Errors and warnings about the hosts a playbook is about to run on.

    ``pattern``        the play's host pattern as written (``hkpost_hosts`` or ecert_servers);
    ``term_matches``   ``[(term, [hosts it matches in the inventory])]`` for each part of the pattern;
    ``targeted``       the hosts the plays will run on (the pattern's hosts within any --limit);
    ``host_variables`` ``{host: {variable name: value or None}}``, only the hkpost_* names of each host (the
                       values of CERTIFICATE_SOURCES given, the others None);
    ``known``          every hkpost_* variable a role, a playbook or the collection reads (None: not checked);
    ``certificates``   'required', 'optional' or 'ignored' (see the constants above);
    ``limit``          the --limit given, to name it when it leaves nothing;
    ``limit_matches``  ``[(term, [hosts])]`` for each part of the limit (ansible-core only warns about a part
                       that matches nothing, and runs on the rest).
    Returns ``{'errors': [...], 'warnings': [...], 'hosts': sorted targeted hosts}``.
    """
    errors, warnings = [], []
    for term, matched in term_matches:
        if not matched:
            errors.append("the host pattern '%s' names '%s', which matches no host of the inventory. %s"
                          % (pattern, term, _FIX_PATTERN))
    for term, matched in limit_matches:
        if not matched:
            errors.append("--limit '%s' names '%s', which matches no host of the inventory; correct it, or leave it "
                          "out." % (limit, term))
    if not errors and not targeted:
        where = "the host pattern '%s'" % pattern
        if limit:
            where += " within --limit '%s'" % limit
        errors.append('%s selects no host, so nothing would be done. %s' % (where, _FIX_PATTERN))

    unknown = {}
    for host in sorted(targeted):
        names = host_variables.get(host) or {}
        for name in sorted(names):
            if known is not None and name.startswith('hkpost_') and name not in known:
                unknown.setdefault(name, []).append(host)
        if certificates != CERTIFICATES_IGNORED and not any(names.get(n) for n in CERTIFICATE_SOURCES):
            hint = _did_you_mean('hkpost_certificates', names)
            text = ('host %s has no hkpost_certificates (the certificates it needs; certificates_list.rst)%s'
                    % (host, hint))
            if certificates == CERTIFICATES_REQUIRED:
                errors.append(text + ' Add the list to its host_vars, or leave the host out with --limit.')
            else:
                warnings.append(text)
    for name, hosts in sorted(unknown.items()):
        guess = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
        warnings.append('%s set for %s has no effect: no role or playbook of hkpost.ecert reads it.%s'
                        % (name, _hosts(hosts), " Did you mean '%s'?" % guess[0] if guess else ''))
    return {'errors': errors, 'warnings': warnings, 'hosts': sorted(targeted)}


def _did_you_mean(wanted, names):
    close = difflib.get_close_matches(wanted, sorted(n for n in names if n != wanted), n=1, cutoff=0.8)
    return "; it sets '%s' - did you mean '%s'?" % (close[0], wanted) if close else '.'


def _hosts(hosts):
    return ', '.join(hosts) if len(hosts) <= 5 else '%s and %d more hosts' % (', '.join(hosts[:5]), len(hosts) - 5)
