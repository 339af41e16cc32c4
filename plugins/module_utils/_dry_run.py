# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the playbooks write on the controller, kept true to what happened (issue 22).

A dry run (--check) predicts; the sheet and the reports record. So a dry run writes its prediction beside
them (``install.check.csv`` next to ``install.csv``) and never in their place: the next real step - the
intake reading submission.csv, an operator reading install.csv - must not find a prediction there. And a
run on part of the fleet (--limit) rewrites the rows of the hosts it ran on, keeping the others' rows.
"""

from __future__ import annotations

import json
import os

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError


def check_path(path, check_mode):
    """``path``, or in check mode the same name with ``.check`` before its extension: reports/install.check.csv."""
    if not check_mode:
        return path
    folder, name = os.path.split(path)
    stem, dot, ext = name.rpartition('.')
    return os.path.join(folder, '%s.check.%s' % (stem, ext) if dot else name + '.check')


def keep_rows_of_other_hosts(summary, previous, hosts):
    """``summary`` (a dict with ``rows``, each with ``host``) with the rows of ``previous`` - the report's JSON
    text as written before, a list of rows - for the hosts not in ``hosts`` (the hosts of this run) added.

    Only ``rows`` changes: counts and the printed table stay this run's. A previous row without the fields
    every row of this run has (a report of an older version) is left out rather than written half empty.
    """
    rows = list(summary.get('rows') or [])
    kept = []
    if previous:
        try:
            earlier = json.loads(previous)
        except ValueError as e:
            raise HkpostError('the report written before is not JSON (%s); move it away and run again.' % e)
        earlier = earlier.get('hosts') if isinstance(earlier, dict) else earlier
        fields = set.intersection(*[set(r) for r in rows]) if rows else {'host'}
        # a host with a row of this run is never also given its earlier row, even when ``hosts`` leaves it out
        ran = set(hosts) | {r.get('host') for r in rows}
        kept = [r for r in earlier or [] if isinstance(r, dict) and r.get('host') not in ran and fields <= set(r)]
    merged = dict(summary)
    merged['rows'] = sorted(rows + kept, key=lambda r: str(r.get('host')))
    return merged
