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
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import csr_request

# What an entry of hkpost_csr_certificates may set that reaches the CSR (the rest - iis_bindings,
# exchange_services, friendly_name... - belongs to other phases and is not checked here).
_REQUEST_KEYS = ('common_name', 'certificate_type', 'organization', 'organizational_unit', 'locality',
                 'state_or_province', 'country', 'key_size', 'subject_alt_names', 'idn')
_DEFAULTED = ('organization', 'organizational_unit', 'locality', 'state_or_province', 'country', 'key_size', 'idn')


def check_every_request(entries, defaults):
    """Raise HkpostError naming the first entry (index and common name) that hkpost_csr would refuse."""
    for index, entry in enumerate(entries):
        if not hasattr(entry, 'get'):
            raise HkpostError('certificates[%d] is not a certificate entry (common_name, certificate_type, ...). '
                              'Nothing was requested on this host.' % index)
        params = {key: defaults.get(key) for key in _DEFAULTED}
        params.update({key: entry[key] for key in _REQUEST_KEYS if entry.get(key) is not None})
        try:
            csr_request(params)
        except HkpostError as exc:
            raise HkpostError('certificates[%d] (%s): %s Nothing was requested on this host: every certificate is '
                              'checked before the first key is made.'
                              % (index, entry.get('common_name') or 'no common_name', exc))
