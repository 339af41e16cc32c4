# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One host's row of renew.yml's install phase, in words that say what happened and only that (issue 22).

A dry run "would install"; a rerun that found the certificate in place says "already installed"; a host
whose request waits for its certificate is "waiting"; a host with no pending request in the submission sheet
is not part of this cycle, and says so instead of "waiting" for something that will never come.
"""

from __future__ import annotations


def _names(certificates):
    return ', '.join(c.get('common_name') or c.get('thumbprint') or '?' for c in certificates)


def install_record(issued, results, retire=None, waiting=(), check_mode=False):
    """The host's row: ``status`` (ok, waiting, skipped), ``detail``, and the lists installed, retired, kept.

    ``issued``   the certificates the intake assigned to the host (common_name, thumbprint);
    ``results``  the results of what installed them (hkpost_install's, or one per certificate on Exchange):
                 any of them changed means something was installed;
    ``retire``   the result that retired the replaced certificates (retired, kept), if any;
    ``waiting``  the intake's requests still without a certificate, of this host.
    """
    retire = retire or {}
    retired = [r.get('thumbprint') for r in retire.get('retired') or []]
    kept = list(retire.get('kept') or [])
    row = {'installed': [c.get('thumbprint') for c in issued], 'retired': retired, 'kept': kept}
    if not issued:
        if waiting:
            row.update(status='waiting', detail='no certificate in the intake folder yet for %s' % _names(waiting))
        else:
            row.update(status='skipped', detail='no pending request in the submission sheet: not in this renewal '
                                                'cycle (renew.yml --tags request makes them)')
        return row
    changed = any(isinstance(r, dict) and r.get('changed') for r in results or [])
    if check_mode:
        verb = 'would install' if changed else 'already installed'
    else:
        verb = 'installed' if changed else 'already installed'
    parts = ['%s %s' % (verb, _names(issued))]
    if retired:
        parts.append('%s %s' % ('would retire' if check_mode else 'retired', ', '.join(retired)))
    if kept:
        parts.append('kept %s' % ', '.join(str(k.get('thumbprint') if isinstance(k, dict) else k) for k in kept))
    row.update(status='ok', detail='; '.join(parts))
    return row
