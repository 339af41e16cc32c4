# -*- coding: utf-8 -*-
"""Inputs of the IIS binding plan (plugins/module_utils/install/_iis_binding.py) as its tests write them: the
binding asked for, a site as the host's read describes it, a store entry of a test-PKI certificate."""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import cert_info

A, B = 'AA' * 20, 'BB' * 20  # two thumbprints


def want(**extra):
    """The binding asked for: SNI www.example.hk on *:443 of site 'web' with certificate A, overridden by ``extra``."""
    base = {'site': 'web', 'ip': '*', 'port': 443, 'host': 'www.example.hk', 'sni': True, 'thumbprint': A,
            'store': 'My', 'state': 'present'}
    base.update(extra)
    return base


def site(name, *bindings):
    """A site with https bindings given as (binding_information, ssl_flags)."""
    return {'name': name, 'bindings': [{'protocol': 'https', 'binding_information': b, 'ssl_flags': f}
                                       for b, f in bindings]}


def entry(issued, key=True):
    """The store entry of a test-PKI certificate, as the host's store read returns it."""
    return dict(cert_info(issued.cert), has_private_key=key, friendly_name='', store='My')
