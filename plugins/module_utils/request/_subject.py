# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hongkong Post's subject rules for an e-Cert (Server) request, and host name validation.

From the CA's IIS and Exchange guides: CN is the registered server name, L and ST are the full
"Hong Kong", C is HK, the key is RSA 2048 ("smaller is not secure enough; larger may be
incompatible with some browsers"). Multi-domain requests carry only the CN: the CA adds the other
names from the application form. Wildcard requests have ``*`` as the whole leftmost label.
Chinese server names go in either as registered or as their A-label (punycode) form.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._certreq_inf import refuse_control_characters
from ansible_collections.hkpost.ecert.plugins.module_utils.request._idn_spoof import check_label

try:
    import idna
    HAS_IDNA = True
except ImportError:  # pragma: no cover - idna ships with requests; listed in requirements.txt
    HAS_IDNA = False

CERTIFICATE_TYPES = ('standard', 'multi_domain', 'wildcard', 'ev', 'ev_multi_domain')
MULTI_DOMAIN_TYPES = ('multi_domain', 'ev_multi_domain')
RECOMMENDED_KEY_SIZE = 2048
ALLOWED_KEY_SIZES = (2048, 3072, 4096)
GUIDE_ON_LARGE_KEYS = ('Hongkong Post recommends RSA 2048: "a key larger than 2048 bits may be incompatible '
                       'with some browsers".')
_LABEL = re.compile(r'^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$')
_ABBREVIATIONS = {'hk', 'h.k.', 'hksar', 'hk sar', 'kln', 'nt'}
# RFC 5280 Appendix A upper bounds: ub-common-name, ub-organization-name and ub-organizational-unit-name are 64.
# (ub-locality-name and ub-state-name are 128, but the CA's L and ST are the full "Hong Kong": over 64 characters
# is a pasted paragraph, and certreq and the portal show such values cut, so it is refused with the others.)
SUBJECT_MAX_LENGTH = 64
# The single-name types cover the registered server name and its www/base companion; more names are a
# multi-domain certificate, whose names the CA takes from the application form.
SINGLE_NAME_TYPES = ('standard', 'wildcard', 'ev')


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


def a_label_host(name, what='host name', wildcard=False):
    """A host name (one label is enough; ``*.`` leftmost only when ``wildcard``) in A-label form, or HkpostError.

    For names that are not certificate subjects (IIS host headers, the SNI name of an audit): the same label
    rules as ``normalize_name`` - letters, digits, inner hyphens, 63 per label, 253 in all, IDN through UTS-46
    with the look-alike checks - without Hongkong Post's certificate-type rules.
    """
    if not isinstance(name, str) or not name.strip():
        raise HkpostError('%s is empty; give a host name such as www.example.com.hk.' % what)
    original = name
    name = name.strip()
    if name.endswith('.') and not name.endswith('..'):
        name = name[:-1]
    if any(c.isspace() for c in name):
        raise HkpostError('%s "%s" contains a space; host names have none.' % (what, original))
    labels = re.split(r'[.\u3002\uff0e\uff61]', name)
    if any(label == '' for label in labels):
        raise HkpostError('%s "%s" has an empty label (two dots in a row, or a leading dot).' % (what, original))
    ascii_labels = []
    for index, label in enumerate(labels):
        if label == '*' and index == 0 and wildcard and len(labels) > 2:
            ascii_labels.append('*')
            continue
        if '*' in label:
            raise HkpostError('%s "%s": "*" is allowed only as the whole leftmost label of a name with at least two '
                              'more labels ("*.example.com.hk").' % (what, original))
        alabel = _to_alabel(label, what, original)
        if len(alabel) > 63:
            raise HkpostError('%s "%s": the label "%s" is %d characters long; the limit is 63.'
                              % (what, original, label, len(alabel)))
        if not _LABEL.match(alabel):
            raise HkpostError('%s "%s": the label "%s" may hold only letters, digits and inner hyphens.'
                              % (what, original, label))
        ascii_labels.append(alabel)
    ascii_name = '.'.join(ascii_labels)
    if len(ascii_name) > 253:
        raise HkpostError('%s "%s" is %d characters long in ASCII form; the limit is 253.' % (what, original, len(ascii_name)))
    return ascii_name


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
    if name.endswith('.') and not name.endswith('..'):
        name = name[:-1]  # a fully qualified name's root dot is not a label
    if any(c.isspace() for c in name):
        raise HkpostError('%s "%s" contains a space; server names have none.' % (what, original))
    # Full-width dots (U+3002 and friends) are label separators in Chinese input methods.
    labels = re.split(r'[.\u3002\uff0e\uff61]', name)
    if any(label == '' for label in labels):
        raise HkpostError('%s "%s" has an empty label (two dots in a row, or a leading dot).' % (what, original))
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
        alabel = _to_alabel(label, what, original)
        if len(alabel) > 63:
            raise HkpostError('%s "%s": the label "%s" is %d characters long; the limit is 63.'
                              % (what, original, label, len(alabel)))
        if '_' in alabel:
            raise HkpostError('%s "%s": the label "%s" contains an underscore, which host names may not.'
                              % (what, original, label))
        if not _LABEL.match(alabel):
            raise HkpostError('%s "%s": the label "%s" may hold only letters, digits and inner hyphens.'
                              % (what, original, label))
        ascii_labels.append(alabel)
    ascii_name = '.'.join(ascii_labels)
    if len(ascii_name) > 253:
        raise HkpostError('%s "%s" is %d characters long in ASCII form; the limit is 253.' % (what, original, len(ascii_name)))
    return ascii_name


def to_unicode(ascii_name):
    """The U-label form of an A-label name, for display and for ``idn: unicode``."""
    if 'xn--' not in ascii_name or not HAS_IDNA:
        return ascii_name
    labels = ascii_name.split('.')
    return '.'.join(label if label == '*' else idna.decode(label) for label in labels)


def _full_name(value, option, default):
    value = (value or default).strip()
    if value.lower() in _ABBREVIATIONS or len(value) < 3:
        raise HkpostError('%s "%s" looks like an abbreviation; Hongkong Post requires the full name ("%s").'
                          % (option, value, default))
    return value


def csr_request(params):
    """Check a CSR request against the CA's rules; return what goes into the CSR, and warnings.

    ``params`` holds hkpost_csr's options. The result has ``subject`` (ordered list of
    (attribute, value), most significant first: C, ST, L, O, OU, CN), ``common_name_ascii``,
    ``common_name`` (as it goes in the CN), ``sans`` (A-labels, for the SAN extension),
    ``key_size`` and ``warnings``.
    """
    warnings = []
    certificate_type = params.get('certificate_type') or 'standard'
    idn_mode = params.get('idn') or 'punycode'
    if idn_mode not in ('punycode', 'unicode'):
        raise HkpostError('idn must be punycode or unicode, not "%s".' % idn_mode)
    cn_ascii = normalize_name(params.get('common_name'), certificate_type, 'common_name')
    cn = to_unicode(cn_ascii) if idn_mode == 'unicode' else cn_ascii

    country = (params.get('country') or 'HK').strip()
    if country.upper() != 'HK':
        raise HkpostError('country must be HK for a Hongkong Post e-Cert (Server), not "%s" (the Exchange wizard '
                          'shows "Hong Kong SAR"; the code is HK).' % country)
    organization = (params.get('organization') or '').strip()
    if not organization:
        raise HkpostError('organization is required: the organisation name registered with Hongkong Post.')
    locality = _full_name(params.get('locality'), 'locality', 'Hong Kong')
    state = _full_name(params.get('state_or_province'), 'state_or_province', 'Hong Kong')

    key_size = int(params.get('key_size') or RECOMMENDED_KEY_SIZE)
    if key_size < RECOMMENDED_KEY_SIZE:
        raise HkpostError('key_size %d is refused: Hongkong Post requires RSA 2048 ("a smaller key is not secure '
                          'enough").' % key_size)
    if key_size not in ALLOWED_KEY_SIZES:
        raise HkpostError('key_size must be one of %s, not %d.' % (', '.join(map(str, ALLOWED_KEY_SIZES)), key_size))
    if key_size != RECOMMENDED_KEY_SIZE:
        warnings.append('key_size %d: %s' % (key_size, GUIDE_ON_LARGE_KEYS))

    sans = []
    requested_sans = params.get('subject_alt_names') or []
    if certificate_type in MULTI_DOMAIN_TYPES:
        if requested_sans:
            warnings.append('subject_alt_names are not put in a %s CSR: Hongkong Post adds the other names from the '
                            'application form. The CSR carries only the common name.' % certificate_type)
    else:
        sans.append(cn_ascii)
        for name in requested_sans:
            ascii_name = normalize_name(name, certificate_type, 'subject_alt_names entry')
            if ascii_name not in sans:
                sans.append(ascii_name)
        _refuse_extra_names(certificate_type, cn_ascii, sans)

    subject = [('C', 'HK'), ('ST', state), ('L', locality), ('O', organization)]
    if params.get('organizational_unit'):
        subject.append(('OU', params['organizational_unit'].strip()))
    subject.append(('CN', cn))
    # Subject text reaches the certreq INF file and New-ExchangeCertificate's command line.
    options = {'ST': 'state_or_province', 'L': 'locality', 'O': 'organization', 'OU': 'organizational_unit',
               'CN': 'common_name'}
    for attr, value in subject:
        refuse_control_characters(options.get(attr, attr), value)
        if len(value) > SUBJECT_MAX_LENGTH:
            raise HkpostError('%s is %d characters long; a certificate subject holds at most %d (RFC 5280 upper '
                              'bound). Give the name as registered with Hongkong Post, or its registered short form.'
                              % (options.get(attr, attr), len(value), SUBJECT_MAX_LENGTH))
    return {'subject': subject, 'common_name': cn, 'common_name_ascii': cn_ascii, 'sans': sans,
            'key_size': key_size, 'certificate_type': certificate_type, 'warnings': warnings}


def _companions(cn_ascii):
    """The names a single-name certificate may carry beside its CN: www.NAME and NAME, and for a wildcard the
    base domain (``*.example.hk`` -> ``example.hk``)."""
    if cn_ascii.startswith('*.'):
        return {cn_ascii, cn_ascii[2:]}
    if cn_ascii.startswith('www.') and cn_ascii.count('.') >= 2:
        return {cn_ascii, cn_ascii[4:]}
    return {cn_ascii, 'www.' + cn_ascii}


def _refuse_extra_names(certificate_type, cn_ascii, sans):
    if certificate_type not in SINGLE_NAME_TYPES:
        return
    extra = [name for name in sans if name not in _companions(cn_ascii)]
    if extra:
        raise HkpostError(
            'subject_alt_names: a %s certificate is for one server name (%s, and its %s companion); %d other '
            'name(s) were given (%s). Several server names need a multi-domain certificate '
            '(certificate_type multi_domain or ev_multi_domain), whose names the CA adds from the application form.'
            % (certificate_type, cn_ascii, 'base domain' if cn_ascii.startswith('*.') else 'www',
               len(extra), ', '.join(extra[:5]) + (', ...' if len(extra) > 5 else '')))


def windows_subject(subject):
    """The X.500 string certreq's INF ``Subject =`` line takes, most specific first as Windows shows it.

    Values with separators or quotes are quoted, quotes doubled, per CertStrToName's rules.
    """
    parts = []
    for attr, value in reversed(subject):
        if any(c in value for c in ',+=<>#;"\n') or value != value.strip():
            value = '"%s"' % value.replace('"', '""')
        parts.append('%s=%s' % ('S' if attr == 'ST' else attr, value))
    return ', '.join(parts)
