# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every filter's arguments told against the types its own documentation (``plugins/filter/NAME.yml``) gives.

A filter handed a number where its documentation says a list used to fail deep inside with Python's words
("'int' object is not iterable", "string indices must be integers"). The documentation is the contract users
read in ``ansible-doc -t filter``, so it is the one source: when a filter fails with such an exception, each
argument it was given is held against that option's ``type`` (and ``elements``), and the mismatch is reported
naming the filter, the option, what it takes, what it got and the option's own description.
"""

from __future__ import annotations

import functools
import inspect
import os
import re

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import kind_of

_FILTER_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'filter')
_MARKUP = re.compile(r'\b[CMOIVBRU]\(([^()]*)\)')
_TYPE_WORDS = {'list': 'a list', 'dict': 'a dictionary', 'str': 'text', 'path': 'a path (text)',
               'int': 'a whole number', 'bool': 'true or false'}


def kind(value):
    """What a value is, in the operator's words, with the value when it is short."""
    word = kind_of(value)
    if isinstance(value, (str, bytes)):
        text = value if isinstance(value, str) else value.decode('utf-8', 'replace')
        return 'text ("%s")' % (text[:40] + ('...' if len(text) > 40 else ''))
    if word in ('number', 'boolean'):
        return 'a %s (%s)' % (word, value)
    return word if word.startswith('nothing') else 'a %s' % word


def _is(value, doc_type):
    if doc_type in ('str', 'path'):
        return isinstance(value, (str, bytes))
    if doc_type == 'list':
        return isinstance(value, (list, tuple))
    if doc_type == 'dict':
        return hasattr(value, 'keys') and hasattr(value, 'get')
    if doc_type == 'int':
        # A template hands numbers over as text ("{{ days }}"); the filter converts digit strings itself.
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.strip().lstrip('-').isdigit())
    if doc_type == 'bool':
        return isinstance(value, bool)
    return True  # raw


@functools.lru_cache(maxsize=None)
def documented_options(name):
    """The options ``plugins/filter/NAME.yml`` documents (the first positional one is ``_input``)."""
    with open(os.path.join(_FILTER_DIR, name + '.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)['DOCUMENTATION'].get('options') or {}


def _check(name, option, spec, value):
    if value is None:
        if spec.get('required'):
            raise AnsibleFilterError('%s: %s is missing (got nothing); it takes %s. %s'
                                     % (name, option, _TYPE_WORDS.get(spec.get('type'), spec.get('type')),
                                        _describe(spec)))
        return
    doc_type = spec.get('type', 'raw')
    if not _is(value, doc_type):
        raise AnsibleFilterError('%s: %s must be %s%s, got %s. %s'
                                 % (name, option, _TYPE_WORDS.get(doc_type, doc_type), _elements_words(spec),
                                    kind(value), _describe(spec)))
    elements = spec.get('elements')
    if doc_type == 'list' and elements:
        for index, item in enumerate(value):
            if not _is(item, elements):
                raise AnsibleFilterError('%s: %s[%d] must be %s, got %s. %s'
                                         % (name, option, index, _TYPE_WORDS.get(elements, elements), kind(item),
                                            _describe(spec)))


def _elements_words(spec):
    elements = spec.get('elements')
    if spec.get('type') == 'list' and elements:
        return ' of %s' % {'dict': 'dictionaries', 'str': 'texts'}.get(elements, elements)
    return ''


def _describe(spec):
    description = spec.get('description') or ''
    if isinstance(description, list):
        description = description[0] if description else ''
    # ansible-doc markup (C(...), M(...), O(...)) shown as plain text.
    return 'It is: %s' % _MARKUP.sub(r'\1', description) if description else ''


def checked(name, function):
    """``function`` whose failures on arguments of the wrong kind are told against ``NAME.yml``.

    The filter's own checks run first (they know the common mistake and its fix, e.g. host names given where
    hostvars belong); an exception only Python's words describe is replaced by the documented contract.
    """
    signature = inspect.signature(function)
    first = next(iter(signature.parameters))

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            given = signature.bind(*args, **kwargs).arguments
        except TypeError as exc:
            raise AnsibleFilterError('%s: %s; see ansible-doc -t filter hkpost.ecert.%s.' % (name, exc, name))
        try:
            return function(*args, **kwargs)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
            options = documented_options(name)
            for parameter, value in given.items():
                option = '_input' if parameter == first else parameter
                if option in options:
                    _check(name, 'its input' if option == '_input' else option, options[option], value)
            raise AnsibleFilterError('%s: an entry of its input is not what the filter takes (%s: %s); see '
                                     'ansible-doc -t filter hkpost.ecert.%s for the shape of each argument.'
                                     % (name, type(exc).__name__, exc, name))
    return wrapper


def checked_filters(filters):
    """A FilterModule's ``filters()`` mapping with every filter checked against its documentation."""
    return {name: checked(name, function) for name, function in filters.items()}
