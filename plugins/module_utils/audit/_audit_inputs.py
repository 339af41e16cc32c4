# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the audit's inputs must look like, checked before any endpoint is contacted or any report is built.

The audit's own readers (``_served_chain.check_endpoint``, ``_endpoint_list``, ``_fleet_report``) assume
the shapes below; these checks run first, at the edges (the hkpost_served_chain action plugin and the
filters), so a wrong shape or a name that can never be sent as SNI is a message naming the entry and the
fix, not a Python error or an endpoint audited and reported as a "name mismatch".
"""

from __future__ import annotations

import ipaddress

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError, kind_of
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import a_label_host


def _check_name(name, what):
    """An IP address (IPv6 optionally in brackets) or a host name (one label is enough, no ``*``)."""
    try:
        ipaddress.ip_address(name.strip().strip('[]'))
        return
    except ValueError:
        pass
    try:
        a_label_host(name, what)
    except HkpostError as e:
        raise HkpostError('%s Give the host name clients ask for (or an IP address).' % e)


def check_endpoints(endpoints):
    """hkpost_served_chain's ``endpoints`` as the task gives them: a list of dictionaries with usable names."""
    if endpoints is None:
        return
    if not isinstance(endpoints, (list, tuple)):
        raise HkpostError('endpoints must be a list of dictionaries (host, port, server_name), not a %s; for a plain '
                          'list file use the hkpost.ecert.endpoint_list filter, for inventory hosts '
                          'hkpost.ecert.served_endpoints.' % kind_of(endpoints))
    for index, entry in enumerate(endpoints):
        where = 'endpoints[%d]' % index
        if not hasattr(entry, 'get'):
            raise HkpostError('%s is a %s (%r), not a dictionary; write it as {host: ..., port: ..., server_name: ...}.'
                              % (where, kind_of(entry), entry))
        host, server_name = entry.get('host'), entry.get('server_name')
        for option, value in (('host', host), ('server_name', server_name)):
            if value is not None and not isinstance(value, str):
                raise HkpostError('%s: %s is a %s, not one piece of text; give one name (or address) per endpoint.'
                                  % (where, option, kind_of(value)))
        if host and host.strip():
            _check_name(host, '%s host' % where)
            if server_name and server_name.strip():
                # Never sendable as SNI, never matched by a certificate: refused rather than audited as a mismatch.
                _check_name(server_name, '%s (%s) server_name' % (where, host.strip()))


def check_list_text(text):
    """The input of the endpoint_list filter: the text of a list file."""
    if text is not None and not isinstance(text, str):
        raise HkpostError('endpoint_list takes the text of a list file (one endpoint per line), not a %s; read the file '
                          'first (lookup("ansible.builtin.file", "endpoints.txt") | hkpost.ecert.endpoint_list), or give '
                          'hkpost_served_chain its endpoints as a list directly.' % kind_of(text))


def _port(value, host):
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise HkpostError('host %s: hkpost_served_port %r is not a port number; give 1-65535 (or leave it out for '
                          '443).' % (host, value))


def check_hosts_vars(hosts_vars):
    """The input of the served_endpoints filter: a list of host variables, with a usable port and names."""
    if hosts_vars is None:
        return
    if not isinstance(hosts_vars, (list, tuple)):
        raise HkpostError('expects a list of host variables, not a %s; write e.g. groups["ecert_servers"] | '
                          'map("extract", hostvars) | list | hkpost.ecert.served_endpoints.' % kind_of(hosts_vars))
    for index, hv in enumerate(hosts_vars):
        if not hasattr(hv, 'get'):
            raise HkpostError('item %d is a %s, not one host\'s variables; map the host names through hostvars '
                              '(map("extract", hostvars)) first.' % (index, kind_of(hv)))
        host = hv.get('inventory_hostname')
        names = hv.get('hkpost_served_names')
        if names is not None and not isinstance(names, (str, list, tuple)):
            raise HkpostError('host %s: hkpost_served_names must be a name or a list of names, not a %s.'
                              % (host, kind_of(names)))
        if hv.get('hkpost_served_port') not in (None, ''):
            _port(hv.get('hkpost_served_port'), host)


def check_warn_days(value):
    """``warn_days`` of the report as a whole number of days, 0 or more (a digit string from a template is accepted)."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise HkpostError('warn_days is %d; give 0 or more days.' % value)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise HkpostError('warn_days %r is not a whole number of days; give e.g. warn_days=30.' % (value,))
    return int(str(value).strip())


def check_title(value):
    """``title`` of the report: text."""
    if not isinstance(value, str):
        raise HkpostError('title %r is not text; give the report\'s heading, e.g. title="TLS chain audit".' % (value,))
