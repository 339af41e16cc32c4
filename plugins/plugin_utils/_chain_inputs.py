# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chain's inputs and outcome, once for hkpost_chain and hkpost_install's ``chain`` option.

One option spec (documented once, doc fragment _chain_options), one check of it, one reading of what is to be
installed (files, downloads, the shipped certificates), one snapshot built from a host's answer, and one reading of
what a write applied - so the chain the install path migrates is the chain hkpost_chain migrates.
"""

from __future__ import annotations

import base64
from urllib.parse import urlparse

from ansible.module_utils.urls import open_url

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._inputs import (
    OFFICIAL_URLS, check_acme_intermediate, check_arl, check_cross, check_new_intermediate, check_root)
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import shipped
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._pem import load_certificate, load_crl
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

# What the chain reads besides the keyed certificates: chain_read's defaults, and retire_read's when asked.
CHAIN_STORES = ('CA', 'Root', 'Disallowed')
CRL_STORE = 'CA'


class ChainDownloadFailed(HkpostError):
    """A download the options asked for failed (the action's failure, as any refused input)."""


def _download(args, key):
    url = args['download_urls'].get(key) or OFFICIAL_URLS[key]
    try:
        return open_url(url, timeout=args['download_timeout'], validate_certs=True).read()
    except Exception as e:  # every transport failure reads the same to the operator
        raise ChainDownloadFailed('download of %s from %s failed: %s' % (key.replace('_', ' '), url, e))


def check_options(args, prefix=''):
    """Everything about the options themselves, before any file is read or the host asked. ``prefix``: how the
    options are named to the user (``chain.`` under hkpost_install)."""
    if args['warn_days'] < 0:
        raise HkpostError('%swarn_days is %d; give 0 or more (the number of days before expiry to warn).'
                          % (prefix, args['warn_days']))
    if args['download_timeout'] <= 0:
        raise HkpostError('%sdownload_timeout is %d; give the number of seconds to wait, 1 or more.'
                          % (prefix, args['download_timeout']))
    for key, url in args['download_urls'].items():
        if key not in OFFICIAL_URLS:
            raise HkpostError('%sdownload_urls: unknown key "%s"; the keys are %s.' % (prefix, key, ', '.join(OFFICIAL_URLS)))
        if not isinstance(url, str) or urlparse(url).scheme not in ('http', 'https') or not urlparse(url).netloc:
            raise HkpostError('%sdownload_urls.%s: "%s" is not an http(s) URL; give e.g. %s.'
                              % (prefix, key, url, OFFICIAL_URLS[key]))


def _source(action, args, option, key):
    """Bytes for one input: the file option, else a download when asked, else None."""
    if args[option]:
        return option, read_controller_file(action, option, args[option])
    if args['download'] and key in ('ev_intermediate', 'cross_certificate', 'arl'):
        return 'download of %s' % (args['download_urls'].get(key) or OFFICIAL_URLS[key]), _download(args, key)
    return None, None


def wanted(action, args, now):
    """Everything to install, checked before the host is touched."""
    if args['root_certificate_file']:
        root_data = read_controller_file(action, 'root_certificate_file', args['root_certificate_file'])
        root = check_root(load_certificate(root_data, 'root_certificate_file'), now=now)
    else:
        root = shipped('root_ca_3')
    where, data = _source(action, args, 'ssl_intermediate_file', 'ssl_intermediate')
    # "is not None": an empty download must be refused as empty, never read as "not given".
    ssl = load_certificate(data, where) if data is not None else shipped('ssl_ca_3_17_new')
    intermediates = [check_new_intermediate(ssl, 'ssl', root, where or 'shipped SSL intermediate', now)]
    where, data = _source(action, args, 'ev_intermediate_file', 'ev_intermediate')
    if data is not None:
        intermediates.append(check_new_intermediate(load_certificate(data, where), 'ev', root, where, now))
    cross = None
    where, data = _source(action, args, 'cross_certificate_file', 'cross_certificate')
    if data is not None:
        cross = check_cross(load_certificate(data, where), root, where, now)
    arl = None
    where, data = _source(action, args, 'arl_file', 'arl')
    if data is not None:
        arl = check_arl(load_crl(data, where), root, where, now)
    acme = [check_acme_intermediate(load_certificate(pem.encode('utf-8'), 'acme_intermediates[%d]' % index),
                                    'acme_intermediates[%d]' % index, now)
            for index, pem in enumerate(args['acme_intermediates'])]
    return {'root': root, 'intermediates': intermediates, 'cross': cross, 'arl': arl, 'acme_intermediates': acme}


def snapshot(stores, crls, keyed):
    """plan_chain's snapshot from a host's answer (chain_read's, or retire_read's when asked for the chain):
    ``stores`` {CA, Root, Disallowed: [base64 DER]}, ``crls`` [base64 DER] of CA, ``keyed`` [{store, der}]."""
    found = {store: [base64.b64decode(d) for d in (stores or {}).get(store) or []] for store in CHAIN_STORES}
    found['crls'] = [base64.b64decode(d) for d in crls or []]
    found['keyed'] = [{'store': k['store'], 'der': base64.b64decode(k['der'])} for k in keyed or []]
    return found


def outcome(plan):
    """What hkpost_chain returns of a plan (and hkpost_install under ``chain``), before anything is applied."""
    return {'changed': bool(plan['steps']), 'removed': plan['removed'], 'added': plan['added'],
            'disallowed': plan['disallowed'], 'leaves': plan['leaves'], 'warnings': plan['warnings'],
            'plan': [{k: v for k, v in s.items() if k != 'der'} for s in plan['steps']]}


def sent_steps(plan):
    """The plan's steps as the chain_steps prelude takes them (DER in base64), in plan order."""
    return [dict(s, der=base64.b64encode(s['der']).decode('ascii')) if 'der' in s else s for s in plan['steps']]


def applied(result, applied_indexes, failed):
    """Record in ``result`` (outcome's dict) which plan steps were applied; return the failure message or None.
    ``failed``: {index, error} of the step that stopped the write, or None."""
    done = set(applied_indexes or [])
    result['applied'] = [result['plan'][i] for i in sorted(done)]
    if not failed:
        return None
    result['not_applied'] = [s for i, s in enumerate(result['plan']) if i not in done]
    step = result['plan'][failed['index']]
    return ('the chain write stopped at step %d (%s %s in %s): %s. Applied: %s. Not applied: %s.'
            % (failed['index'] + 1, step['op'], step['thumbprint'], step['store'], (failed.get('error') or 'failed').rstrip('.'),
               ', '.join('%s %s' % (s['op'], s['thumbprint']) for s in result['applied']) or 'nothing',
               ', '.join('%s %s' % (s['op'], s['thumbprint']) for s in result['not_applied'])))
