# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which issued certificate goes with which entry of a host's ``hkpost_certificates`` list.

The list says what the host needs (name, type, IIS bindings, Exchange services); the intake says which
certificate arrived for which of the host's keys. They meet on the common name in ASCII form (an IDN
entry may be written in Chinese). An entry may also name its file directly (``certificate_file``), as
the single-certificate roles did. An issued certificate no entry asks for is still installed (its
request was made on this host), with no binding and no service.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange import parse_services
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import ascii_name as _ascii


def certificates_to_install(certificates, issued=None, certificate_file='', bindings=None, services=None,
                            friendly_name=''):
    """One item per certificate to install: common_name (ASCII), src or content, iis_bindings,
    exchange_services, friendly_name, public_key_sha256 and thumbprint (when known from the intake).

    ``certificates``: the host's list (hkpost_certificates shape); ``issued``: its intake assignments.
    Entries with neither a file nor an issued certificate are left out: their certificate has not arrived.
    ``certificate_file`` (with ``bindings``/``services``/``friendly_name``) adds the roles' single-certificate
    form (``hkpost_iis_certificate_file``, ``hkpost_exchange_certificate_file``) as one more item.
    """
    by_name = {}
    for index, entry in enumerate(certificates or []):
        if not isinstance(entry, dict) or not entry.get('common_name'):
            raise HkpostError('hkpost_certificates[%d] needs common_name (the registered server name); got %r.'
                              % (index, entry))
        by_name.setdefault(_ascii(entry['common_name']), entry)
    items = []
    used = set()
    for cert in issued or []:
        name = _ascii(cert.get('common_name'))
        entry = by_name.get(name, {})
        used.add(name)
        items.append(_item(name, entry, content=cert.get('pem'), public_key_sha256=cert.get('public_key_sha256'),
                           thumbprint=cert.get('thumbprint')))
    for name, entry in by_name.items():
        if name not in used and entry.get('certificate_file'):
            items.append(_item(name, entry, src=entry['certificate_file']))
    if certificate_file:
        items.append(_item('', {'iis_bindings': bindings, 'exchange_services': services,
                                'friendly_name': friendly_name}, src=certificate_file))
    return items


def _item(name, entry, src=None, content=None, public_key_sha256=None, thumbprint=None):
    return {'common_name': name, 'src': src, 'content': content, 'iis_bindings': list(entry.get('iis_bindings') or []),
            # 'IIS, SMTP' as text is read as Exchange reads it, not split into letters by list()
            'exchange_services': sorted(parse_services(entry.get('exchange_services'))),
            'friendly_name': entry.get('friendly_name') or '', 'public_key_sha256': public_key_sha256,
            'thumbprint': thumbprint}
