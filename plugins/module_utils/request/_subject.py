# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hongkong Post's subject rules for an e-Cert (Server) request (the names themselves: pki/_names.py).

From the CA's IIS and Exchange guides: CN is the registered server name, L and ST are the full
"Hong Kong", C is HK, the key is RSA 2048 ("smaller is not secure enough; larger may be
incompatible with some browsers"). Multi-domain requests carry only the CN: the CA adds the other
names from the application form. Wildcard requests have ``*`` as the whole leftmost label.
Chinese server names go in either as registered or as their A-label (punycode) form.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import (
    MULTI_DOMAIN_TYPES, normalize_name, to_unicode)
from ansible_collections.hkpost.ecert.plugins.module_utils.request._certreq_inf import refuse_control_characters
RECOMMENDED_KEY_SIZE = 2048
ALLOWED_KEY_SIZES = (2048, 3072, 4096)
GUIDE_ON_LARGE_KEYS = ('Hongkong Post recommends RSA 2048: "a key larger than 2048 bits may be incompatible '
                       'with some browsers".')
_ABBREVIATIONS = {'hk', 'h.k.', 'hksar', 'hk sar', 'kln', 'nt'}
# RFC 5280 Appendix A upper bounds: ub-common-name, ub-organization-name and ub-organizational-unit-name are 64.
# (ub-locality-name and ub-state-name are 128, but the CA's L and ST are the full "Hong Kong": over 64 characters
# is a pasted paragraph, and certreq and the portal show such values cut, so it is refused with the others.)
SUBJECT_MAX_LENGTH = 64
# The single-name types cover the registered server name and its www/base companion; more names are a
# multi-domain certificate, whose names the CA takes from the application form.
SINGLE_NAME_TYPES = ('standard', 'wildcard', 'ev')


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
