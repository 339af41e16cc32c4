# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight as one plan: per name, CAA and DNSSEC results, and which names the CA would refuse.

Kept apart from the lookups (_caa, _dnssec) so the verdict - what refuses, what only warns - is one small,
readable rule: a CAA set naming only other CAs and a bogus DNSSEC chain refuse (the CA would reject the
request); a lookup that failed or a name no trust anchor covers only warns (the CA may see it differently).
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _caa, _dnssec

CHECKS = ('caa', 'dnssec')


def run(names, checks, servers, issuer_domains, anchors, method=None, timeout=5, now=None):
    """``{'names': [{'name', 'ascii_name', 'caa', 'dnssec', 'ok', 'problems'}], 'refused', 'warnings'}``."""
    validator = _dnssec.Validator(anchors, servers, timeout, now) if 'dnssec' in checks and anchors else None
    entries, warnings = [], []
    for entry in names:
        ascii_name = entry['ascii_name']
        item = {'name': entry['name'], 'ascii_name': ascii_name, 'caa': None, 'dnssec': None, 'problems': []}
        if 'caa' in checks:
            caa = _caa.check(ascii_name, servers, issuer_domains, method, timeout)
            item['caa'] = caa
            if caa['allowed'] is False:
                item['problems'].append('CAA: %s' % caa['reason'])
            elif caa['allowed'] is None:
                warnings.append('%s: CAA not checked: %s' % (ascii_name, caa['reason']))
            warnings.extend('%s: %s' % (ascii_name, w) for w in caa['warnings'])
        if 'dnssec' in checks:
            if validator is None:
                item['dnssec'] = {'name': ascii_name, 'zone': None, 'status': 'no_anchor',
                                  'problem': 'DNSSEC not checked: no trust anchor (give dnssec_trust_anchor)'}
            else:
                # DNS DCV: the CA also reads the TXT record there, and validates it the same way.
                item['dnssec'] = validator.check(ascii_name, ('CAA', 'TXT') if method == 'dns' else ('CAA',))
            status = item['dnssec']['status']
            if status == 'bogus':
                item['problems'].append('DNSSEC: %s' % item['dnssec']['problem'])
            elif status in ('error', 'no_anchor'):
                warnings.append('%s: %s' % (ascii_name, item['dnssec']['problem']))
        item['ok'] = not item['problems']
        entries.append(item)
    return {'names': entries, 'refused': [e['ascii_name'] for e in entries if not e['ok']],
            'warnings': list(dict.fromkeys(warnings))}
