# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_chain: one read, a plan made here (module_utils/chain/_plan.py), at most one write."""

from __future__ import annotations

import base64
from urllib.parse import urlparse

from ansible.errors import AnsibleActionFail
from ansible.module_utils.urls import open_url

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._inputs import (
    OFFICIAL_URLS, check_acme_intermediate, check_arl, check_cross, check_new_intermediate, check_root, utcnow)
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._plan import plan_chain
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import shipped
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificate, load_crl
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._controller_input import read_controller_file

ARGUMENT_SPEC = dict(
    old_intermediate=dict(type='str', default='remove', choices=['remove', 'disallow']),
    install_root=dict(type='bool', default=True),
    ssl_intermediate_file=dict(type='path'),
    ev_intermediate_file=dict(type='path'),
    cross_certificate_file=dict(type='path'),
    arl_file=dict(type='path'),
    root_certificate_file=dict(type='path'),
    download=dict(type='bool', default=False),
    download_urls=dict(type='dict', default={}),
    download_timeout=dict(type='int', default=30),
    warn_days=dict(type='int', default=30),
    # Opening an X509Store by a name Windows does not have creates that store: a typo would change the host.
    key_stores=dict(type='list', elements='str', default=['My', 'WebHosting'], choices=['My', 'WebHosting']),
    # PEM of an accepted ACME issuer's intermediates (hkpost_intake's acme_intermediates), added to CA
    acme_intermediates=dict(type='list', elements='str', default=[]),
)


class ActionModule(HkpostAction):
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def _download(self, args, key):
        url = args['download_urls'].get(key) or OFFICIAL_URLS[key]
        try:
            return open_url(url, timeout=args['download_timeout'], validate_certs=True).read()
        except Exception as e:  # every transport failure reads the same to the operator
            raise AnsibleActionFail('download of %s from %s failed: %s' % (key.replace('_', ' '), url, e))

    def check_options(self, args):
        """Everything about the options themselves, before any file is read or the host asked."""
        if args['warn_days'] < 0:
            raise HkpostError('warn_days is %d; give 0 or more (the number of days before expiry to warn).'
                              % args['warn_days'])
        if args['download_timeout'] <= 0:
            raise HkpostError('download_timeout is %d; give the number of seconds to wait, 1 or more.'
                              % args['download_timeout'])
        for key, url in args['download_urls'].items():
            if key not in OFFICIAL_URLS:
                raise HkpostError('download_urls: unknown key "%s"; the keys are %s.' % (key, ', '.join(OFFICIAL_URLS)))
            if not isinstance(url, str) or urlparse(url).scheme not in ('http', 'https') or not urlparse(url).netloc:
                raise HkpostError('download_urls.%s: "%s" is not an http(s) URL; give e.g. %s.'
                                  % (key, url, OFFICIAL_URLS[key]))

    def _source(self, args, option, key):
        """Bytes for one input: the file option, else a download when asked, else None."""
        if args[option]:
            return option, read_controller_file(self, option, args[option])
        if args['download'] and key in ('ev_intermediate', 'cross_certificate', 'arl'):
            return 'download of %s' % (args['download_urls'].get(key) or OFFICIAL_URLS[key]), self._download(args, key)
        return None, None

    def wanted(self, args, now):
        """Everything to install, checked before the host is touched."""
        if args['root_certificate_file']:
            root_data = read_controller_file(self, 'root_certificate_file', args['root_certificate_file'])
            root = check_root(load_certificate(root_data, 'root_certificate_file'), now=now)
        else:
            root = shipped('root_ca_3')
        where, data = self._source(args, 'ssl_intermediate_file', 'ssl_intermediate')
        # "is not None": an empty download must be refused as empty, never read as "not given".
        ssl = load_certificate(data, where) if data is not None else shipped('ssl_ca_3_17_new')
        intermediates = [check_new_intermediate(ssl, 'ssl', root, where or 'shipped SSL intermediate', now)]
        where, data = self._source(args, 'ev_intermediate_file', 'ev_intermediate')
        if data is not None:
            intermediates.append(check_new_intermediate(load_certificate(data, where), 'ev', root, where, now))
        cross = None
        where, data = self._source(args, 'cross_certificate_file', 'cross_certificate')
        if data is not None:
            cross = check_cross(load_certificate(data, where), root, where, now)
        arl = None
        where, data = self._source(args, 'arl_file', 'arl')
        if data is not None:
            arl = check_arl(load_crl(data, where), root, where, now)
        acme = [check_acme_intermediate(load_certificate(pem.encode('utf-8'), 'acme_intermediates[%d]' % index),
                                        'acme_intermediates[%d]' % index, now)
                for index, pem in enumerate(args['acme_intermediates'])]
        return {'root': root, 'intermediates': intermediates, 'cross': cross, 'arl': arl, 'acme_intermediates': acme}

    def run_hkpost(self, args, task_vars, result):
        now = utcnow()
        self.check_options(args)
        wanted = self.wanted(args, now)
        state = self.payload(task_vars, 'chain_read', {'KeyStores': args['key_stores']})
        snapshot = {store: [base64.b64decode(d) for d in (state.get('stores') or {}).get(store) or []]
                    for store in ('CA', 'Root', 'Disallowed')}
        snapshot['crls'] = [base64.b64decode(d) for d in state.get('crls') or []]
        snapshot['keyed'] = [{'store': k['store'], 'der': base64.b64decode(k['der'])} for k in state.get('keyed') or []]
        plan = plan_chain(snapshot, wanted, old_intermediate=args['old_intermediate'],
                          install_root=args['install_root'], warn_days=args['warn_days'], now=now)

        result.update(changed=bool(plan['steps']), removed=plan['removed'], added=plan['added'],
                      disallowed=plan['disallowed'], leaves=plan['leaves'], warnings=plan['warnings'],
                      plan=[{k: v for k, v in s.items() if k != 'der'} for s in plan['steps']])
        if self._task.diff:
            result['diff'] = {'before': plan['before'], 'after': plan['after']}
        if not plan['steps'] or self._task.check_mode:
            return
        steps = [dict(s, der=base64.b64encode(s['der']).decode('ascii')) if 'der' in s else s for s in plan['steps']]
        answer = self.payload(task_vars, 'chain_apply', {'Steps': steps})
        applied = set(answer.get('applied') or [])
        result['applied'] = [result['plan'][i] for i in sorted(applied)]
        if answer.get('failed'):
            failed = answer['failed']
            result['not_applied'] = [s for i, s in enumerate(result['plan']) if i not in applied]
            raise AnsibleActionFail(
                'the chain write stopped at step %d (%s %s in %s): %s. Applied: %s. Not applied: %s.'
                % (failed['index'] + 1, result['plan'][failed['index']]['op'],
                   result['plan'][failed['index']]['thumbprint'], result['plan'][failed['index']]['store'],
                   failed['error'].rstrip('.'), ', '.join('%s %s' % (s['op'], s['thumbprint']) for s in result['applied']) or 'nothing',
                   ', '.join('%s %s' % (s['op'], s['thumbprint']) for s in result['not_applied'])),
                result=result)
