# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain control validation rules: what may be published, where, and whether a check saw it.

Pure: plain data in, plain data out, ``HkpostError`` on refusal. Every refusal is decided here,
before the action plugin touches a host, a web root or a DNS zone, and every message names the
rule (CA/Browser Forum Baseline Requirements section, Hongkong Post's guide) and the fix.
"""

from __future__ import annotations

import datetime
import re

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _schedule

# The CSR work owns the name rules, so hkpost_csr and hkpost_dcv_token accept and refuse the same names.
from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import (  # noqa: F401 - re-exported
    CERTIFICATE_TYPES, MULTI_DOMAIN_TYPES, normalize_name as _subject_normalize)

METHODS = ('file', 'dns', 'email')
# BR 3.2.2.4.4: the only local parts a constructed address may use.
EMAIL_LOCAL_PARTS = ('admin', 'administrator', 'webmaster', 'hostmaster', 'postmaster')
# Hongkong Post: DCV must be completed within 30 days of the code being issued (BR: reuse <= 30 days).
CODE_VALID_DAYS = 30
WELL_KNOWN_DIR = ('.well-known', 'pki-validation')
FILE_NAME = 'fileauth.txt'
URL_PATH = '/.well-known/pki-validation/fileauth.txt'
UTF8_BOM = b'\xef\xbb\xbf'

_CODE = re.compile(r'^[\x21-\x7e]{1,255}$')


def normalize_name(name, certificate_type='standard'):
    """The A-label (ASCII) form of ``name``, refused with a clear message when it is not a valid name."""
    # what='domain name': a wildcard certificate's list may hold the base name too (only a CN must be *.).
    return _subject_normalize(name, certificate_type=certificate_type, what='domain name')


def parse_date(value, what='issued_on'):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise HkpostError('%s %r is not a date; give it as YYYY-MM-DD%s'
                          % (what, value, ' (the day the portal issued the code)' if what == 'issued_on' else ''))


def code_expires_on(issued_on):
    return parse_date(issued_on) + datetime.timedelta(days=CODE_VALID_DAYS)


def check_code_age(issued_on, today):
    """Refuse a code issued in the future or more than 30 days ago; return the day it expires."""
    issued, today = parse_date(issued_on), parse_date(today, 'today')
    if issued > today:
        raise HkpostError('issued_on %s is in the future (today is %s); give the day the Hongkong Post portal '
                          'issued the verification code' % (issued.isoformat(), today.isoformat()))
    expires = code_expires_on(issued)
    if today > expires:
        raise HkpostError('the verification code issued on %s expired on %s (DCV must be completed within %d days '
                          'of the code being issued); request a new code on the Hongkong Post portal'
                          % (issued.isoformat(), expires.isoformat(), CODE_VALID_DAYS))
    return expires


def check_code(code):
    if not isinstance(code, str) or not _CODE.match(code):
        raise HkpostError('verification_code must be the code exactly as the portal shows it: 1-255 printable ASCII '
                          'characters without spaces or line breaks')
    return code


def check_method(method, certificate_type, names, today=None):
    """The method rules of the Hongkong Post portal and the Baseline Requirements; returns the warnings.

    ``today`` decides the dated rules (SC-081: e-mail DCV warned from 2026-03-15, refused from 2028-03-15);
    the real date when omitted.
    """
    if method not in METHODS:
        raise HkpostError('method %r is not one of %s' % (method, ', '.join(METHODS)))
    if certificate_type not in CERTIFICATE_TYPES:
        raise HkpostError('certificate_type %r is not one of %s' % (certificate_type, ', '.join(CERTIFICATE_TYPES)))
    if method == 'file' and (certificate_type == 'wildcard' or any(n.startswith('*.') for n in names)):
        raise HkpostError('method file (website change, BR 3.2.2.4.18) is not available for wildcard certificates; '
                          'use method dns')
    if method == 'email' and certificate_type in MULTI_DOMAIN_TYPES:
        raise HkpostError('method email (constructed e-mail) is not available for %s certificates; '
                          'use method dns or file' % certificate_type)
    if method == 'email':
        level, message = _schedule.email_rule(parse_date(today or datetime.date.today(), 'today'))
        if level == 'refuse':
            raise HkpostError(message)
        return [message]
    return []


def plan(method, certificate_type, domains, code, issued_on=None, today=None, state='present'):
    """Check every rule; return ``{'names': [{'name', 'ascii_name', 'record_name'}], 'expires_on', 'warnings'}``.

    ``record_name`` is where a DNS token goes: the name itself, or for ``*.example.com`` the name
    with the wildcard label removed (BR 3.2.2.4.7). Removal (``state=absent``) skips the age rule so
    an expired token can always be cleaned up.
    """
    if not domains:
        raise HkpostError('domains is empty; list every name in the certificate')
    check_code(code)
    names, seen = [], set()
    for domain in domains:
        ascii_name = normalize_name(domain, certificate_type=certificate_type)
        if ascii_name in seen:
            continue
        seen.add(ascii_name)
        names.append({'name': domain, 'ascii_name': ascii_name,
                      'record_name': ascii_name[2:] if ascii_name.startswith('*.') else ascii_name})
    # Removal is never refused by a dated rule: whatever was published can always be cleaned up.
    warnings = check_method(method, certificate_type, [n['ascii_name'] for n in names],
                            today=today if state == 'present' else datetime.date.min)
    expires = None
    if issued_on is not None or today is not None:
        today = parse_date(today or datetime.date.today(), 'today')
        issued = parse_date(issued_on) if issued_on is not None else today
        expires = check_code_age(issued, today) if state == 'present' else code_expires_on(issued)
    return {'names': names, 'expires_on': expires.isoformat() if expires else None, 'warnings': warnings}


def reuse_report(names, validated_on, issuance_day):
    """Per name, whether its last validation may be reused for an issuance on ``issuance_day`` (BR 4.2.1, SC-081).

    ``validated_on`` is one date for every name or a map name -> date (keys as given or as A-labels); a name
    missing from the map has no known validation and needs a fresh one. Returns ``{ascii_name: status}``.
    """
    issuance_day = parse_date(issuance_day, 'today')
    report = {}
    for entry in names:
        when = validated_on
        if isinstance(validated_on, dict):
            when = next((v for k, v in validated_on.items()
                         if k in (entry['ascii_name'], entry['name']) or _key_matches(str(k), entry['ascii_name'])),
                        None)
        if when in (None, ''):
            report[entry['ascii_name']] = {'validated_on': None, 'validation_valid_until': None,
                                           'reuse_days': _schedule.reuse_days(issuance_day),
                                           'needs_fresh_validation': True}
            continue
        day = parse_date(when, 'validated_on for %s' % entry['ascii_name'])
        if day > issuance_day:
            raise HkpostError('validated_on for %s is %s, after %s; give the day the CA last validated the name'
                              % (entry['ascii_name'], day.isoformat(), issuance_day.isoformat()))
        report[entry['ascii_name']] = _schedule.reuse_status(day, issuance_day)
    return report


def email_addresses(record_name):
    return ['%s@%s' % (local, record_name) for local in EMAIL_LOCAL_PARTS]


def _absolute_root(root, what):
    """A web root must be an absolute directory: a relative one would be written under the directory the
    module happens to run in on the host, where no web server serves it."""
    if not isinstance(root, str) or not root.strip():
        raise HkpostError('%s is empty; give the absolute directory the web server serves for that name '
                          '(e.g. /var/www/html).' % what)
    if not (root.startswith('/') or re.match(r'^[A-Za-z]:[\\/]', root) or root.startswith('\\\\')):
        raise HkpostError('%s "%s" is a relative path; give the absolute directory the web server serves for that '
                          'name (e.g. /var/www/html), as it is on the host.' % (what, root))
    return root


def webroot_for(ascii_name, webroot, given_name=None):
    """The web root serving ``ascii_name``: one path for all, or a per-domain map (keys as given or A-labels)."""
    if isinstance(webroot, str) and webroot:
        return _absolute_root(webroot, 'webroot')
    if isinstance(webroot, dict):
        for key, value in webroot.items():
            if key in (ascii_name, given_name) or _key_matches(key, ascii_name):
                return _absolute_root(value, 'webroot entry for %s' % key)
        raise HkpostError('webroot has no entry for %s; give one web root for all names or one per name'
                          % ascii_name)
    raise HkpostError('method file on a POSIX host needs webroot: the directory the web server serves for '
                      'each name (one path, or a map name -> path)')


def _key_matches(key, ascii_name):
    try:
        return normalize_name(key, 'wildcard') == ascii_name
    except HkpostError:
        return False


def compare_body(body, code):
    """Whether an HTTP body proves the code: exact bytes, one trailing newline tolerated, no BOM.

    Returns ``(ok, problem)``; ``problem`` says what is wrong in words an operator can act on.
    """
    if body is None:
        return False, 'no body'
    if body.startswith(UTF8_BOM):
        return False, 'the file starts with a UTF-8 byte order mark (BOM); save it without a BOM'
    for ending in (b'\r\n', b'\n'):
        if body.endswith(ending):
            body = body[:-len(ending)]
            break
    if body == code.encode('ascii'):
        return True, None
    if body.strip() == code.encode('ascii'):
        return False, 'the file holds the code with extra whitespace; it must hold exactly the code'
    return False, 'the file does not hold this verification code'


def shown(value, code, limit=120):
    """What a check saw, safe to return: the code itself is shown as a placeholder (it is no_log)."""
    if isinstance(value, bytes):
        value = value.decode('utf-8', 'replace')
    if value is None:
        return None
    value = value.replace(code, '<verification_code>') if code else value
    return value if len(value) <= limit else value[:limit] + '...'
