# -*- coding: utf-8 -*-
"""The audit's input checks, rule by rule (issue 21): what is refused, and - as much a rule - what passes."""

from __future__ import annotations

import decimal

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.audit import _audit_inputs as inputs


def test_endpoints_given_as_a_dictionary_are_refused_as_such():
    with pytest.raises(HkpostError, match='endpoints must be a list of dictionaries .* not a dictionary'):
        inputs.check_endpoints({'www.example.hk': 443})


@pytest.mark.parametrize('entry', [
    {'host': '   ', 'server_name': 'www.example.hk'},      # no host: the reader reports it, not a name check
    {'host': 'www.example.hk'},                            # no server_name: SNI defaults to the host
    {'host': 'www.example.hk', 'server_name': None},
    {'host': 'www.example.hk', 'server_name': '  '},
])
def test_blank_or_missing_names_are_left_to_their_defaults(entry):
    inputs.check_endpoints([entry])   # no exception


def test_a_bad_server_name_is_refused_naming_the_entry():
    with pytest.raises(HkpostError, match=r'endpoints\[0\] \(www.example.hk\) server_name'):
        inputs.check_endpoints([{'host': 'www.example.hk', 'server_name': 'bad name.hk'}])


def test_no_list_text_is_accepted_as_an_empty_list():
    inputs.check_list_text(None)
    inputs.check_list_text('')


def test_host_variables_given_as_a_dictionary_are_refused_as_such():
    with pytest.raises(HkpostError, match='expects a list of host variables, not a dictionary'):
        inputs.check_hosts_vars({'web1': {'inventory_hostname': 'web1'}})


@pytest.mark.parametrize('names', [None, 'www.example.hk', ['www.example.hk'], ('a.example.hk',)])
def test_served_names_may_be_one_name_or_a_list(names):
    inputs.check_hosts_vars([{'inventory_hostname': 'web1', 'hkpost_served_names': names}])


@pytest.mark.parametrize('port', [None, '', 1, '1', 443, ' 8443 ', 65535, '65535'])
def test_a_served_port_from_1_to_65535_or_none_passes(port):
    inputs.check_hosts_vars([{'inventory_hostname': 'web1', 'hkpost_served_port': port}])


@pytest.mark.parametrize('port', [0, '0', 65536, '65536', True, '-1', 'https'])
def test_a_served_port_outside_1_to_65535_is_refused(port):
    with pytest.raises(HkpostError, match='host web1: hkpost_served_port .* is not a port number'):
        inputs.check_hosts_vars([{'inventory_hostname': 'web1', 'hkpost_served_port': port}])


@pytest.mark.parametrize('value, days', [(0, 0), (30, 30), ('0', 0), (' 45 ', 45)])
def test_warn_days_zero_or_more_whole_days(value, days):
    assert inputs.check_warn_days(value) == days


def test_negative_warn_days_are_told_to_be_zero_or_more():
    with pytest.raises(HkpostError, match='warn_days is -1; give 0 or more days'):
        inputs.check_warn_days(-1)


@pytest.mark.parametrize('value', [True, False, 30.0, decimal.Decimal(30), b'30', '-1', 'thirty'])
def test_warn_days_of_another_kind_is_refused(value):
    with pytest.raises(HkpostError, match='warn_days'):
        inputs.check_warn_days(value)


def test_title_must_be_text():
    inputs.check_title('TLS chain audit')
    with pytest.raises(HkpostError, match='title 5 is not text'):
        inputs.check_title(5)


def test_no_endpoints_and_no_host_variables_pass():
    # endpoints left out of the task, or a filter given nothing: the callers treat both as an empty list.
    inputs.check_endpoints(None)
    inputs.check_hosts_vars(None)
