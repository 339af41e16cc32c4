# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certreq ``-new`` INF file for a request, and the text rules for anything that reaches it.

certreq reads its policy file with the Windows INF (SetupAPI) syntax
(https://learn.microsoft.com/windows-server/administration/windows-commands/certreq_1 ,
https://learn.microsoft.com/windows-hardware/drivers/install/general-syntax-rules-for-inf-files):
one ``key = value`` per line, a quoted value keeps separators, a ``"`` inside it is written ``""``
and a ``%`` is written ``%%`` (``%name%`` is a string-substitution token). A line break in a value
would end it and start a new line of the file - a user's organisation name could add
``Exportable = FALSE`` or a whole ``[Extensions]`` section - so control characters are refused
before anything runs on the host.
"""

from __future__ import annotations

import unicodedata

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError

# Cc: C0/C1 controls, DEL, NUL, CR, LF, TAB; Zl/Zp: U+2028 / U+2029, which editors also treat as line ends.
_REFUSED_CATEGORIES = ('Cc', 'Zl', 'Zp')


def refuse_control_characters(option, value):
    """Raise HkpostError naming ``option`` when ``value`` holds a control character; return ``value``."""
    if value is None:
        return value
    for index, char in enumerate(str(value)):
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise HkpostError(
                '%s holds the control character U+%04X (%s) at position %d; it would reach the certreq INF file and '
                'the host\'s command line, where a line break starts a new INF line. Give the text on one line '
                'without control characters. Nothing was sent to the host.'
                % (option, ord(char), unicodedata.name(char, 'control character'), index + 1))
    return value


def inf_quote(value):
    """A double-quoted INF string: ``"`` doubled, ``%`` doubled (SetupAPI's substitution token)."""
    refuse_control_characters('INF value', value)
    return '"%s"' % str(value).replace('"', '""').replace('%', '%%')


def certreq_inf(subject, key_length, dns_names=(), friendly_name='', key_container=''):
    """The INF text for ``certreq -new -machine``: RSA in the SChannel provider, exportable, machine key set.

    ``subject`` is the X.500 string (``windows_subject``); ``dns_names`` are A-labels for the SAN
    extension; ``key_container`` reuses a pending request's key (UseExistingKeySet).
    """
    lines = [
        '[Version]',
        'Signature = "$Windows NT$"',
        '[NewRequest]',
        'Subject = ' + inf_quote(subject),
        'KeyAlgorithm = RSA',
        'KeyLength = %d' % int(key_length),
        'KeySpec = 1',
        'KeyUsage = 0xa0',
        'Exportable = TRUE',
        'MachineKeySet = TRUE',
        'ProviderName = "Microsoft RSA SChannel Cryptographic Provider"',
        'ProviderType = 12',
        'RequestType = PKCS10',
        'HashAlgorithm = sha256',
    ]
    if friendly_name:
        lines.append('FriendlyName = ' + inf_quote(friendly_name))
    if key_container:
        lines.extend(['UseExistingKeySet = TRUE', 'KeyContainer = ' + inf_quote(key_container)])
    if dns_names:
        lines.extend(['[Extensions]', '2.5.29.17 = "{text}"'])
        lines.extend('_continue_ = ' + inf_quote('dns=%s&' % name) for name in dns_names)
    return '\r\n'.join(lines) + '\r\n'
