# -*- coding: utf-8 -*-
"""How a filter that fails in Python's words is told against its own documentation (plugin_utils/_filter_args).

When a filter's code raises TypeError, KeyError, AttributeError, ValueError or IndexError, every argument the user
gave is held against the ``type``/``elements`` of that option in ``plugins/filter/NAME.yml``; the first that does
not fit is named (the filter, the option, what it takes, what it got, the option's description); when all fit,
the message says an entry inside the input is not what the filter takes. An argument the documentation allows must
never be blamed, whatever form a template hands it in.

The first part goes through the shipped filters as a playbook calls them (ansible-core's Templar, FQCN). The
second holds the shipped documentation to the shape the wrapper reads (every argument documented, a type and a
description for each, ``elements`` exactly for lists). The third holds the wrapper against a stand-in filter
documented with option types no shipped filter uses yet (an int given as a non-number, bool, path, raw), so a
filter added with such an option gets the same plain message.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.hkpost.ecert.plugins.filter.certificates_to_install import FilterModule as PairFilters
from ansible_collections.hkpost.ecert.plugins.plugin_utils import _filter_args

CERTS = [{'common_name': 'www.example.hk'}]
# An audit shaped like hkpost_served_chain's result whose endpoint entry is no dictionary: the filter's own code
# fails on it in Python's words (AttributeError), so the wrapper holds every argument against the documentation.
BAD_AUDIT = {'endpoints': [5], 'summary': {}, 'trust': 'bundled'}
REVOKED_WORDS = ("It is: Leaf certificates you know are revoked (Hongkong Post's notice, your own revocation request), "
                 "as SHA-256 fingerprints or serial numbers in hex (any case, colons allowed). A served leaf among them "
                 "is listed with status revoked - renew now, whatever its dates say.")
ISSUED_WORDS = " It is: The host's part of hkpost.ecert.hkpost_intake's assignments."
AN_ENTRY = 'an entry of its input is not what the filter takes'


def _cause(failure):
    """The filter's own AnsibleFilterError (ansible-core wraps it in "The filter plugin ... failed: ...")."""
    assert 'Traceback' not in str(failure)
    raised, cause = None, failure
    while cause is not None:
        if isinstance(cause, AnsibleFilterError):
            raised = cause
        cause = cause.__cause__
    assert raised is not None, 'escaped as %r' % failure
    assert str(failure).endswith(str(raised))
    return str(raised)


def refusal(expression, **variables):
    """The AnsibleFilterError message a playbook stops with for ``expression``."""
    templar = Templar(loader=DataLoader(), variables=dict(variables, certs=CERTS, bad_audit=BAD_AUDIT))
    with pytest.raises(Exception) as failure:
        templar.template(trust_as_template(expression))
    return _cause(failure.value)


def pair(*args, **kwargs):
    """certificates_to_install called from Python (another plugin, a lookup): values no template produces."""
    with pytest.raises(AnsibleFilterError) as failure:
        PairFilters().filters()['certificates_to_install'](*args, **kwargs)
    return str(failure.value)


# --- through the shipped filters, as a playbook writes them -------------------------------------------------------

@pytest.mark.parametrize('expression, message', [
    ("{{ certs | hkpost.ecert.certificates_to_install(issued=5) }}",
     'certificates_to_install: issued must be a list of dictionaries, got a number (5).' + ISSUED_WORDS),
    ("{{ certs | hkpost.ecert.certificates_to_install(issued=true) }}",
     'certificates_to_install: issued must be a list of dictionaries, got a boolean (True).' + ISSUED_WORDS),
    ("{{ certs | hkpost.ecert.certificates_to_install(issued=[5]) }}",
     'certificates_to_install: issued[0] must be a dictionary, got a number (5).' + ISSUED_WORDS),
    ("{{ certs | hkpost.ecert.certificates_to_install(issued=[[1]]) }}",
     'certificates_to_install: issued[0] must be a dictionary, got a list.' + ISSUED_WORDS),
    ("{{ certs | hkpost.ecert.certificates_to_install(issued=[none]) }}",
     'certificates_to_install: issued[0] must be a dictionary, got nothing (null).' + ISSUED_WORDS),
    ("{{ certs | hkpost.ecert.certificates_to_install(issued=[{'common_name': 'www.example.hk'}, 'www.example.hk']) }}",
     'certificates_to_install: issued[1] must be a dictionary, got text ("www.example.hk").' + ISSUED_WORDS),
    ("{{ certs | hkpost.ecert.certificates_to_install(certificate_file=5, bindings=5) }}",
     'certificates_to_install: certificate_file must be text, got a number (5). It is: One more certificate, from '
     "this controller file (the roles' single-certificate form)."),
    ("{{ certs | hkpost.ecert.certificates_to_install(certificate_file='/x.pem', services=5) }}",
     'certificates_to_install: services must be a list of texts, got a number (5). It is: The Exchange services of '
     'certificate_file.'),
])
def test_the_first_argument_not_as_documented_is_named_with_what_it_takes_and_got(expression, message):
    assert refusal(expression) == message


@pytest.mark.parametrize('length, shown', [
    (40, 'x' * 40 + '")'),
    (41, 'x' * 40 + '...")'),
])
def test_text_in_the_wrong_place_is_quoted_and_cut_after_40_characters(length, shown):
    message = refusal("{{ certs | hkpost.ecert.certificates_to_install(issued=text) }}", text='x' * length)
    assert message == 'certificates_to_install: issued must be a list of dictionaries, got text ("%s.%s' % (
        shown, ISSUED_WORDS)


def test_bytes_in_the_wrong_place_are_shown_as_text():
    assert pair(CERTS, issued=b'www.example.hk').startswith(
        'certificates_to_install: issued must be a list of dictionaries, got text ("www.example.hk"). It is: ')


def test_a_required_input_given_as_nothing_is_reported_missing():
    assert refusal("{{ none | hkpost.ecert.certificates_to_install(issued=5) }}") == (
        "certificates_to_install: its input is missing (got nothing); it takes a list. It is: The host's certificate "
        "list (docs/docsite/rst/certificates_list.rst).")


def test_an_optional_argument_given_as_nothing_is_not_blamed():
    assert refusal("{{ certs | hkpost.ecert.certificates_to_install(issued=none, certificate_file='/x.pem', "
                   "bindings=5) }}").startswith('certificates_to_install: bindings must be a list of dictionaries, '
                                                'got a number (5).')


def test_arguments_that_fit_the_documentation_are_not_blamed():
    """Every argument right, an entry inside wrong: the message says so and names no argument."""
    message = refusal("{{ [{'common_name': 'www.example.hk', 'iis_bindings': 5}] | hkpost.ecert.certificates_to_install("
                      "issued=[{'common_name': 'www.example.hk'}], certificate_file='/x.pem', bindings=[{'site': 'S'}], "
                      "services=['SMTP'], friendly_name='f') }}")
    assert message.startswith('certificates_to_install: %s (TypeError: ' % AN_ENTRY), message


def test_a_tuple_is_a_list():
    """A Python caller's tuple is the list the documentation asks for."""
    message = pair(tuple(CERTS), issued=({'common_name': 'www.example.hk'},), certificate_file='/x.pem', bindings=5)
    assert message.startswith('certificates_to_install: bindings must be'), message


@pytest.mark.parametrize('warn_days', ['30', '45', 45, 0])
def test_warn_days_the_filter_takes_is_not_blamed_for_a_bad_audit(warn_days):
    """A template hands numbers over as text ("{{ days }}"); fleet_to_renew_json converts digit strings itself."""
    message = refusal("{{ bad_audit | hkpost.ecert.fleet_to_renew_json(warn_days=days) }}", days=warn_days)
    assert message.startswith('fleet_to_renew_json: %s (AttributeError: ' % AN_ENTRY), message
    assert message.endswith('see ansible-doc -t filter hkpost.ecert.fleet_to_renew_json for the shape of each '
                            'argument.'), message


def test_a_description_in_paragraphs_is_told_by_its_first():
    assert refusal("{{ bad_audit | hkpost.ecert.fleet_to_renew_json(revoked=['AB', 5]) }}") == (
        'fleet_to_renew_json: revoked[1] must be text, got a number (5). ' + REVOKED_WORDS)


def test_an_argument_the_filter_does_not_have_is_refused_in_words():
    assert refusal("{{ certs | hkpost.ecert.certificates_to_install(service=['SMTP']) }}") == (
        "certificates_to_install: got an unexpected keyword argument 'service'; see ansible-doc -t filter "
        "hkpost.ecert.certificates_to_install.")


# --- the shape of every filter's documentation, which the wrapper reads -------------------------------------------
# ansible-test's validate-modules holds module docs to its schema, but skips filter plugins (ansible_test
# _internal/commands/sanity/validate_modules.py: MULTI_FILE_PLUGINS "cannot be associated to a single file"), so
# the rules the wrapper relies on are held here, in the words of that schema
# (_util/controller/sanity/validate-modules/validate_modules/schema.py: check_option_elements, basic_option_schema).

OPTION_TYPES = {'bits', 'bool', 'bytes', 'dict', 'float', 'int', 'json', 'jsonarg', 'list', 'path', 'raw', 'sid', 'str'}


def _shipped():
    found = []
    for module in ('ascii_name', 'cert_info', 'certificates_to_install', 'fleet_to_renew', 'served_endpoints'):
        filters = importlib.import_module('ansible_collections.hkpost.ecert.plugins.filter.' + module).FilterModule()
        found.extend(sorted(filters.filters().items()))
    return found


SHIPPED = _shipped()


@pytest.mark.parametrize('name, function', SHIPPED, ids=[name for name, _f in SHIPPED])
def test_every_filter_documents_each_argument_it_takes(name, function):
    """The wrapper names an argument by its documentation: each parameter has an option (the first is _input)."""
    parameters = list(inspect.signature(function).parameters)
    options = _filter_args.documented_options(name)
    assert ['_input'] + parameters[1:] == list(options), name


@pytest.mark.parametrize('name, function', SHIPPED, ids=[name for name, _f in SHIPPED])
def test_every_option_has_a_type_a_description_and_elements_only_for_a_list(name, function):
    for option, spec in _filter_args.documented_options(name).items():
        assert spec.get('type') in OPTION_TYPES, (name, option)
        assert ('elements' in spec) == (spec['type'] == 'list'), (name, option, 'elements iff type list')
        assert spec.get('elements', 'str') in OPTION_TYPES, (name, option)
        description = spec.get('description')
        assert description and all(description if isinstance(description, list) else [description]), (name, option)


# --- a stand-in filter: the ansible-doc option types no shipped filter uses yet ---------------------------------

STAND_IN = """
DOCUMENTATION:
  name: stand_in
  options:
    _input: {type: dict, required: true, description: The stand-in's input.}
    days: {type: int, description: A number of days.}
    force: {type: bool, description: Whether to force.}
    dest: {type: path, description: Where to write.}
    tag: {type: raw, description: Anything at all.}
"""


def stand_in(data, days=None, force=None, dest=None, tag=None):  # pylint: disable=unused-argument
    """A filter whose own code fails in Python's words, whatever it is given."""
    raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")


@pytest.fixture
def stand_in_filter(tmp_path, monkeypatch):
    (tmp_path / 'stand_in.yml').write_text(STAND_IN, encoding='utf-8')
    monkeypatch.setattr(_filter_args, '_FILTER_DIR', str(tmp_path))
    _filter_args.documented_options.cache_clear()
    yield _filter_args.checked_filters({'stand_in': stand_in})['stand_in']
    _filter_args.documented_options.cache_clear()


def told(function, *args, **kwargs):
    with pytest.raises(AnsibleFilterError) as failure:
        function(*args, **kwargs)
    return str(failure.value)


def fits(message):
    return message.startswith('stand_in: %s (TypeError: ' % AN_ENTRY)


@pytest.mark.parametrize('days', [7, '7', ' 7 ', '-3'])
def test_an_int_option_takes_a_whole_number_or_its_digits_as_text(stand_in_filter, days):
    assert fits(told(stand_in_filter, {}, days=days))


@pytest.mark.parametrize('days, got', [
    (2.5, 'a number (2.5)'),
    ('abc', 'text ("abc")'),
    (True, 'a boolean (True)'),
    ([7], 'a list'),
])
def test_an_int_option_refuses_anything_else(stand_in_filter, days, got):
    assert told(stand_in_filter, {}, days=days) == ('stand_in: days must be a whole number, got %s. It is: A number '
                                                    'of days.' % got)


def test_a_bool_option_takes_only_true_or_false(stand_in_filter):
    assert fits(told(stand_in_filter, {}, force=True))
    assert fits(told(stand_in_filter, {}, force=False))
    for value, got in (('yes', 'text ("yes")'), (1, 'a number (1)')):
        assert told(stand_in_filter, {}, force=value) == ('stand_in: force must be true or false, got %s. It is: '
                                                          'Whether to force.' % got)


def test_a_path_option_takes_text(stand_in_filter):
    assert fits(told(stand_in_filter, {}, dest='/tmp/out'))
    assert told(stand_in_filter, {}, dest=5) == ('stand_in: dest must be a path (text), got a number (5). It is: '
                                                 'Where to write.')


@pytest.mark.parametrize('tag', ['x', 5, True, [1], {'a': 1}])
def test_a_raw_option_takes_anything(stand_in_filter, tag):
    assert fits(told(stand_in_filter, {}, tag=tag))


def test_a_dict_input_refuses_a_list_and_nothing(stand_in_filter):
    assert told(stand_in_filter, []) == "stand_in: its input must be a dictionary, got a list. It is: The stand-in's input."
    assert told(stand_in_filter, None) == ("stand_in: its input is missing (got nothing); it takes a dictionary. "
                                           "It is: The stand-in's input.")
