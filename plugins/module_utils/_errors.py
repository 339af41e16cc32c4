# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Neutral exceptions raised by the pure core.

Modules turn them into ``fail_json(msg=...)``, action plugins into ``AnsibleActionFail``
and filters into ``AnsibleFilterError``; the core never imports Ansible's error classes.
Every message names the problem and, where there is one, the fix.
"""

from __future__ import annotations


class HkpostError(ValueError):
    """Bad input or a state the collection refuses to act on."""


class CertificateInputError(HkpostError):
    """Bytes that are not the certificate (or CRL) the caller asked for."""


def kind_of(value):
    """A value's kind in the operator's words - never a Python class name (``NoneType``, ``_AnsibleTaggedStr``):
    Ansible hands plugins its own subclasses of str, list and dict, whose names mean nothing to a user."""
    if value is None:
        return 'nothing (null)'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, (int, float)):
        return 'number'
    if isinstance(value, (str, bytes)):
        return 'text'
    if hasattr(value, 'keys'):
        return 'dictionary'
    if isinstance(value, (list, tuple, set)):
        return 'list'
    return 'value of another kind'
