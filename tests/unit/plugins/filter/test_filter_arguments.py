# -*- coding: utf-8 -*-
"""Every filter refuses an argument of the wrong kind in words, never with Python's (issue 22).

The kinds a user's template can hand a filter (a number, a port name, text, a list, a dictionary, nothing, a list
of the wrong things) are tried on every argument of every filter the collection ships: each call either works
or raises AnsibleFilterError - a TypeError, KeyError or "object is not iterable" reaching the user is a failure.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import os

import pytest
from ansible.errors import AnsibleFilterError

FILTER_DIR = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins', 'filter')
ODD = [None, 443, 'https', 2.5, True, [], ['x'], [5], {}, {'port': 'https'}, [{'port': 'https'}],
       [{'inventory_hostname': 'web1', 'hkpost_served_port': 'https'}],
       [{'inventory_hostname': 'web1', 'hkpost_served_ports': ['https']}],
       [{'inventory_hostname': 'web1', 'hkpost_certificates': 5}],
       [{'inventory_hostname': 'web1', 'hkpost_certificates': [{'common_name': 'www.example.hk',
                                                                'iis_bindings': [{'site': 'S', 'port': 'https'}]}]}]]
PYTHON_WORDS = ('object is not', 'indices must be', 'unhashable', 'has no attribute', 'NoneType', '<class',
                'index out of range', 'KeyError', 'Tagged')


def _filters():
    found = []
    for name in sorted(os.listdir(FILTER_DIR)):
        if name.endswith('.py'):
            module = importlib.import_module('ansible_collections.hkpost.ecert.plugins.filter.' + name[:-3])
            found.extend(sorted(module.FilterModule().filters().items()))
    return found


FILTERS = _filters()


def test_every_filter_is_found():
    assert {'ascii_name', 'file_name'} <= {name for name, _f in FILTERS}


def test_the_public_filters_are_at_most_eight_and_each_documented():
    """Issue 21: a small public API - a report or a summary is a module's job (hkpost_renewal_report,
    hkpost_fleet_report), not a filter's. Every filter the plugins define has its documentation beside it."""
    names = {name for name, _f in FILTERS}
    documented = {os.path.splitext(f)[0] for f in os.listdir(FILTER_DIR) if f.endswith('.yml')}
    assert names == documented
    assert len(names) <= 8, sorted(names)


# Issue 21: no filter takes hostvars - a summary reads typed results handed to a module (hkpost_renewal_report).
# A public filter whose documented input IS the users' inventory: it reads each host's served names and ports
# (the audit's endpoints) - no task result, so nothing a module could hand it instead.
INVENTORY_READERS = {'served_endpoints': 'served_endpoints turns inventory hosts (their hkpost_served_* variables) '
                                         'into endpoints; its input is a list of hosts\' variables by design'}


@pytest.mark.parametrize('name, function', FILTERS, ids=[name for name, _f in FILTERS])
def test_no_filter_takes_hostvars(name, function):
    first = next(iter(inspect.signature(inspect.unwrap(function)).parameters))
    if name in INVENTORY_READERS:
        pytest.skip(INVENTORY_READERS[name])
    assert first not in ('hostvars', 'hosts_vars'), '%s takes %s: hand its module the hosts\' results instead' % (name, first)


@pytest.mark.parametrize('name, function', FILTERS, ids=[name for name, _f in FILTERS])
def test_odd_arguments_are_refused_in_words(name, function):
    parameters = [p for p in inspect.signature(function).parameters.values() if p.default is p.empty]
    for values in itertools.product(ODD, repeat=min(len(parameters), 2)):
        arguments = list(values) + [None] * (len(parameters) - len(values))
        try:
            function(*arguments)
        except AnsibleFilterError as exc:
            assert not any(word in str(exc) for word in PYTHON_WORDS), (name, arguments, str(exc))
        except Exception as exc:  # pylint: disable=broad-except
            pytest.fail('%s%r raised %s: %s' % (name, tuple(arguments), type(exc).__name__, exc))


@pytest.mark.parametrize('name, arguments, message', [
    ('certificates_to_install', (5,), r"certificates_to_install: its input must be a list of dictionaries, got a "
                                      r"number \(5\)\. It is: The host's certificate list"),
    ('served_endpoints', ('https',), r'served_endpoints: expects a list of host variables, not a text'),
])
def test_the_message_names_the_filter_the_option_and_what_it_takes(name, arguments, message):
    function = dict(FILTERS)[name]
    with pytest.raises(AnsibleFilterError, match=message):
        function(*arguments)
