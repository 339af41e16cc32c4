# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Server names as Hongkong Post certificates and the hosts that serve them carry them: shared by every phase.

The request checks the names it asks for (normalize_name, per certificate type), DCV publishes proof for them,
the install matches IIS host headers and Exchange servers (a_label_host), the intake and the audit compare names
(ascii_name). All compare the A-label (punycode) form: a Chinese name and its ``xn--`` form are one name.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._idn_spoof import check_label

try:
    import idna
    HAS_IDNA = True
except ImportError:  # pragma: no cover - idna ships with requests; listed in requirements.txt
    HAS_IDNA = False

CERTIFICATE_TYPES = ('standard', 'multi_domain', 'wildcard', 'ev', 'ev_multi_domain')
MULTI_DOMAIN_TYPES = ('multi_domain', 'ev_multi_domain')
_LABEL = re.compile(r'^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$')


def _to_alabel(label, name, original=None):
    if label.isascii():
        label = label.lower()
        if label.startswith('xn--'):
            _check_punycode(label, name, original or label)
        return label
    if not HAS_IDNA:
        raise HkpostError('%s: the idna Python library is needed for Chinese (IDN) names; pip install idna.' % name)
    try:
        alabel = idna.encode(label, uts46=True).decode('ascii')
    except idna.IDNAError as e:
        raise HkpostError('%s: "%s" is not a valid internationalised label (%s).' % (name, label, e))
    check_label(label, alabel, name, original or label)
    return alabel


def _check_punycode(alabel, name, original):
    """An A-label given as such must decode to a valid U-label (RFC 5891 5.4): a mistyped 'xn--' label would
    otherwise go into the CSR and be refused by the CA, or name a different server."""
    if not HAS_IDNA:
        raise HkpostError('%s: the idna Python library is needed to check the A-label "%s"; pip install idna.'
                          % (name, alabel))
    # No look-alike check here: an A-label typed as such is taken as deliberate (see _idn_spoof).
    try:
        idna.decode(alabel)
    except (idna.IDNAError, UnicodeError) as e:
        raise HkpostError('%s "%s": the label "%s" is not valid punycode (%s). Give the Chinese server name as '
                          'registered, or convert it again with an IDN converter.' % (name, original, alabel, e))


def _ip_address(name):
    try:
        return ipaddress.ip_address(name.strip().strip('[]'))
    except ValueError:
        return None


def _labels(name, what, original):
    """The labels of a stripped name: its root dot dropped, full-width dots (Chinese input methods) as separators;
    refuses spaces and empty labels."""
    if name.endswith('.') and not name.endswith('..'):
        name = name[:-1]  # a fully qualified name's root dot is not a label
    if any(c.isspace() for c in name):
        raise HkpostError('%s "%s" contains a space; host names have none.' % (what, original))
    labels = re.split(r'[.\u3002\uff0e\uff61]', name)
    if any(label == '' for label in labels):
        raise HkpostError('%s "%s" has an empty label (two dots in a row, or a leading dot).' % (what, original))
    return labels


def _checked_alabel(label, what, original, name_underscore=True):
    """One label in A-label form, within the host-name rules (RFC 1123 letters/digits/hyphens, 63 octets).
    ``name_underscore``: name an underscore as such (certificate names, where it is the usual mistake)."""
    alabel = _to_alabel(label, what, original)
    if len(alabel) > 63:
        raise HkpostError('%s "%s": the label "%s" is %d characters long; the limit is 63.'
                          % (what, original, label, len(alabel)))
    if name_underscore and '_' in alabel:
        raise HkpostError('%s "%s": the label "%s" contains an underscore, which host names may not.'
                          % (what, original, label))
    if not _LABEL.match(alabel):
        raise HkpostError('%s "%s": the label "%s" may hold only letters, digits and inner hyphens.'
                          % (what, original, label))
    return alabel


def _joined(ascii_labels, what, original):
    ascii_name = '.'.join(ascii_labels)
    if len(ascii_name) > 253:
        raise HkpostError('%s "%s" is %d characters long in ASCII form; the limit is 253.' % (what, original, len(ascii_name)))
    return ascii_name


def a_label_host(name, what='host name', wildcard=False):
    """A host name (one label is enough; ``*.`` leftmost only when ``wildcard``) in A-label form, or HkpostError.

    For names that are not certificate subjects (IIS host headers, the SNI name of an audit): the same label
    rules as ``normalize_name`` - letters, digits, inner hyphens, 63 per label, 253 in all, IDN through UTS-46
    with the look-alike checks - without Hongkong Post's certificate-type rules.
    """
    if not isinstance(name, str) or not name.strip():
        raise HkpostError('%s is empty; give a host name such as www.example.com.hk.' % what)
    original = name
    labels = _labels(name.strip(), what, original)
    ascii_labels = []
    for index, label in enumerate(labels):
        if label == '*' and index == 0 and wildcard and len(labels) > 2:
            ascii_labels.append('*')
            continue
        if '*' in label:
            raise HkpostError('%s "%s": "*" is allowed only as the whole leftmost label of a name with at least two '
                              'more labels ("*.example.com.hk").' % (what, original))
        ascii_labels.append(_checked_alabel(label, what, original, name_underscore=False))
    return _joined(ascii_labels, what, original)


def normalize_name(name, certificate_type='standard', what='common_name'):
    """Validate a server name for ``certificate_type`` and return its ASCII (A-label) form.

    Raises HkpostError naming the fault: spaces, empty labels, labels over 63 or names over 253
    characters, underscores, a misplaced ``*``, a wildcard where the type does not allow one.
    """
    if certificate_type not in CERTIFICATE_TYPES:
        raise HkpostError('certificate_type must be one of %s, not "%s".' % (', '.join(CERTIFICATE_TYPES), certificate_type))
    if name is not None and not isinstance(name, str):
        raise HkpostError('%s %r is not text; give the registered server name, e.g. www.example.com.hk.' % (what, name))
    if not isinstance(name, str) or not name.strip():
        raise HkpostError('%s is empty; give the registered server name, e.g. www.example.com.hk.' % what)
    original = name
    name = name.strip()
    if _ip_address(name) is not None:
        raise HkpostError('%s "%s" is an IP address; a Hongkong Post e-Cert (Server) is issued for a registered domain '
                          'name only. Give the server name (e.g. www.example.com.hk) that clients use.' % (what, original))
    labels = _labels(name, what, original)
    name = '.'.join(labels)
    wildcard = labels[0] == '*'
    if '*' in name and not wildcard:
        raise HkpostError('%s "%s": "*" must be the whole leftmost label ("*.example.com"), nothing else.' % (what, original))
    if any('*' in label for label in labels[1:]):
        raise HkpostError('%s "%s": only the leftmost label may be "*".' % (what, original))
    if certificate_type == 'wildcard' and what == 'common_name' and not wildcard:
        raise HkpostError('%s "%s": a wildcard certificate needs "*." as the whole leftmost label, e.g. "*.%s".'
                          % (what, original, name))
    if wildcard and certificate_type != 'wildcard':
        raise HkpostError('%s "%s": "*" is only allowed for certificate_type wildcard, this request is %s.'
                          % (what, original, certificate_type))
    if len(labels) < 2 + (1 if wildcard else 0):
        raise HkpostError('%s "%s" is not a fully qualified server name (it needs at least one dot%s).'
                          % (what, original, ' after the "*" label' if wildcard else ''))
    ascii_labels = ['*'] if wildcard else []
    for label in labels[1:] if wildcard else labels:
        ascii_labels.append(_checked_alabel(label, what, original))
    return _joined(ascii_labels, what, original)


def to_unicode(ascii_name):
    """The U-label form of an A-label name, for display and for ``idn: unicode``."""
    if 'xn--' not in ascii_name or not HAS_IDNA:
        return ascii_name
    labels = ascii_name.split('.')
    return '.'.join(label if label == '*' else idna.decode(label) for label in labels)


def ascii_name(name):
    """The A-label form of a certificate's name, a wildcard (``*.``) kept: how names are compared everywhere."""
    name = (name or '').strip() if isinstance(name, str) else name
    return normalize_name(name, 'wildcard' if isinstance(name, str) and name.startswith('*') else 'standard')


# "*" is a glob on every shell and forbidden in Windows file names; the leftmost label of a wildcard
# name is the only place normalize_name lets it through, so that is the only replacement needed.
WILDCARD_FILE_LABEL = '_wildcard_'


def file_name(name, certificate_type=None):
    """A server name as a file name every shell and Windows accept (the file_name filter; the ACME intake names)."""
    if certificate_type is None:
        certificate_type = 'wildcard' if str(name).startswith('*') else 'standard'
    ascii_form = normalize_name(name, certificate_type)
    return WILDCARD_FILE_LABEL + ascii_form[1:] if ascii_form.startswith('*') else ascii_form
