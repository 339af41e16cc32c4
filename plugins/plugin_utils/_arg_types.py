# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument types for the action plugins' ``ARGUMENT_SPEC`` that ansible-core's own types are too lenient for.

ansible-core's ``type: str`` converts whatever it gets (``check_type_str(allow_conversion=True)``): an
unquoted ``password: 0123456`` is the YAML 1.1 octal number 42798 by the time it arrives and would silently
become the password "42798"; a dict becomes its Python text. For a secret or a verification code that
is never what the operator meant, so these types refuse anything that is not text, naming the quoting fix.
``validate_argument_spec`` calls a callable ``type`` and reports its TypeError as
"argument 'NAME' is of type int and we were unable to convert to quoted_text: <our message>"; the
message never contains the value (it is a secret).
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import kind_of

try:  # ansible-core 2.19+: a vaulted value that reached us untemplated
    from ansible.parsing.vault import EncryptedString
except ImportError:  # pragma: no cover - older ansible-core templates vaulted values to str first
    EncryptedString = ()


def _what(value):
    if isinstance(value, bool):
        return ('a boolean: YAML reads an unquoted yes/no/true/false/on/off as one, so the text you wrote is '
                'lost')
    if isinstance(value, int):
        return ('a number: YAML reads unquoted digits as a number and drops leading zeros (unquoted 0123456 even '
                'becomes the octal number 42798), so the secret would not be what you wrote')
    if isinstance(value, float):
        return 'a number: YAML reads unquoted digits with a dot or an exponent as a float'
    if isinstance(value, dict):
        return 'a dictionary (YAML read "key: value" inside it), not one piece of text'
    if isinstance(value, (list, tuple)):
        return 'a list, not one piece of text'
    if value is None:
        return 'nothing (null): YAML reads a key with nothing after it as null'
    return 'a %s, not text' % kind_of(value)


def quoted_text(value):
    """A secret or code: text only, never converted (see the module docstring)."""
    if isinstance(value, str):
        return value
    if EncryptedString and isinstance(value, EncryptedString):
        return str(value)
    raise TypeError('the value is %s. Quote it where it is written - in the task, or in the vars or vault file it '
                    'comes from - as in "0123456" or "yes", so that it stays exactly the text you typed.' % _what(value))


# What the documentation states (DOCUMENTATION cannot name a callable): text, stricter than ansible-core's str.
quoted_text.doc_type = 'str'
