# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every certificate a host will request, checked before the first key is made.

The csr role makes one key per entry of hkpost_csr_certificates; an entry that breaks a rule used to be found
only when its turn came, after the keys of the entries before it were made (issue 22: "a good entry followed by
a bad one"). The role's first task hands the whole list here, with the role's defaults, and nothing is made
unless every entry passes the same rules hkpost_csr applies to one request.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import exchange_subject, find_pending_request
from ansible_collections.hkpost.ecert.plugins.module_utils.request._certreq_inf import (
    certreq_inf, refuse_control_characters)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._csr import plan_windows_request
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request, windows_subject

# What an entry of hkpost_csr_certificates may set that reaches the CSR (the rest - iis_bindings,
# exchange_services, friendly_name... - belongs to other phases and is not checked here).
_REQUEST_KEYS = ('common_name', 'certificate_type', 'organization', 'organizational_unit', 'locality',
                 'state_or_province', 'country', 'key_size', 'subject_alt_names', 'idn')
_DEFAULTED = ('organization', 'organizational_unit', 'locality', 'state_or_province', 'country', 'key_size', 'idn')


def entry_params(entry, defaults):
    """hkpost_csr's options for one entry: the entry's own keys over the task's (the role's) defaults."""
    params = {key: defaults.get(key) for key in _DEFAULTED}
    params.update({key: entry[key] for key in _REQUEST_KEYS if entry.get(key) is not None})
    return params


def check_every_request(entries, defaults):
    """Raise HkpostError naming the first entry (index and common name) that hkpost_csr would refuse."""
    for index, entry in enumerate(entries):
        if not hasattr(entry, 'get'):
            raise HkpostError('certificates[%d] is not a certificate entry (common_name, certificate_type, ...). '
                              'Nothing was requested on this host.' % index)
        try:
            csr_request(entry_params(entry, defaults))
        except HkpostError as exc:
            raise HkpostError('certificates[%d] (%s): %s Nothing was requested on this host: every certificate is '
                              'checked before the first key is made.'
                              % (index, entry.get('common_name') or 'no common_name', exc))


def _requests(entries, defaults):
    """``[(index, entry, request, friendly_name)]``, refusing a certificate named twice: every entry decides from the
    one listing read before any is made, so a repeated one would get a second key (and overwrite the first CSR)."""
    check_every_request(entries, defaults)
    seen, out = {}, []
    for index, entry in enumerate(entries):
        request = csr_request(entry_params(entry, defaults))
        name = request['common_name_ascii'].lower()
        if name in seen:
            raise HkpostError('certificates[%d] and certificates[%d] both name %s: each certificate is requested once '
                              'per host. Remove the repeated entry. Nothing was requested on this host.'
                              % (seen[name], index, request['common_name_ascii']))
        seen[name] = index
        friendly = entry.get('friendly_name') if entry.get('friendly_name') is not None else defaults.get('friendly_name')
        refuse_control_characters('certificates[%d].friendly_name' % index, friendly)
        out.append((index, entry, request, friendly or ''))
    return out


def plan_iis_batch(entries, defaults, pending, saved_csrs, force=False):
    """What hkpost_csr ``state: present`` does for each certificate of an IIS (certreq) host, from one listing.

    ``pending``/``saved_csrs`` as :func:`read_listing` gives them. Returns one dict per entry: ``index``,
    ``entry``, ``request`` (csr_request's answer), ``action`` (reuse, rederive, create), ``pending`` (the
    pending request reused or re-derived from), ``csr`` (the saved CSR reused) and, unless reused, ``create``:
    the certreq INF. Every refusal comes before the first key is made.
    """
    plans = []
    for index, entry, request, friendly in _requests(entries, defaults):
        plan = plan_windows_request(pending, saved_csrs, request, force=force)
        if plan['action'] == 'rederive' and not plan['pending'].get('key_container'):
            raise HkpostError(
                'certificates[%d]: a pending request for %s exists (thumbprint %s) but its CSR text is gone and its key '
                'cannot be reused by name; set force: true to make a new key and request. Nothing was requested on '
                'this host.' % (index, request['common_name_ascii'], plan['pending'].get('thumbprint')))
        item = {'index': index, 'entry': entry, 'request': request, 'action': plan['action'],
                'pending': plan['pending'], 'csr': plan['csr']}
        if plan['action'] != 'reuse':
            item['create'] = {'inf': certreq_inf(
                windows_subject(request['subject']), request['key_size'], request['sans'], friendly_name=friendly,
                key_container=plan['pending']['key_container'] if plan['action'] == 'rederive' else '')}
        plans.append(item)
    return plans


def plan_exchange_batch(entries, defaults, certificates, force=False):
    """The same for an Exchange server, by exchange_cert's planner: a pending request (Get-ExchangeCertificate,
    status PendingRequest) for the common name is reused; otherwise New-ExchangeCertificate -GenerateRequest makes
    one. ``certificates``: exchange_read's entries described (describe_entry, with ``status`` and
    ``certificate_request``). ``force`` makes a new request even when one is pending."""
    plans = []
    for index, entry, request, friendly in _requests(entries, defaults):
        existing = None if force else find_pending_request(certificates, request['common_name'])
        item = {'index': index, 'entry': entry, 'request': request, 'action': 'reuse' if existing else 'create',
                'pending': existing, 'csr': None}
        if not existing:
            item['create'] = {'subject_name': exchange_subject(request['subject']),
                              'domain_name': request['sans'] or [request['common_name_ascii']],
                              'key_size': request['key_size'], 'friendly_name': friendly}
        plans.append(item)
    return plans
