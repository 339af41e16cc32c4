# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the challenges of community.crypto's ``challenge_data`` are published.

Pure: takes ``acme_certificate_order_create``'s ``challenge_data`` (one list per order, concatenated for
all of a host's orders) and, for http-01, the ``acme_iis_read`` payload's sites; returns the TXT values
per record name (dns-01) or the token files per IIS directory (http-01). One call per host publishes
every order's challenges: one WinRM execution for http-01, none for dns-01.
"""

from __future__ import annotations

import re

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _iis

CHALLENGES = ('dns-01', 'http-01')
# RFC 8555 8.1: a token is base64url; anything else would be a path outside the directory.
_TOKEN = re.compile(r'^[A-Za-z0-9_-]{1,256}$')
WEB_CONFIG_MARKER = 'hkpost.ecert acme-challenge web.config'
# IIS serves no file without an extension unless a MIME type maps it; RFC 8555 8.3 tokens have none.
# As win-acme's web_config.xml: extensionless files as text/plain from this directory only, no redirect,
# readable by anonymous users (dcv._iis.web_config, without the ASP.NET section).
WEB_CONFIG = _iis.web_config('%s: written by hkpost.ecert.hkpost_acme_challenge; removed with the tokens'
                             % WEB_CONFIG_MARKER, '.', asp_net=False)


def _entries(challenge_data, challenge):
    if challenge not in CHALLENGES:
        raise HkpostError('challenge %r is not one of %s' % (challenge, ', '.join(CHALLENGES)))
    for entry in challenge_data or []:
        if not isinstance(entry, dict) or 'identifier' not in entry:
            raise HkpostError('challenge_data must be the challenge_data list acme_certificate_order_create returns; '
                              'got %r' % (entry,))
        data = (entry.get('challenges') or {}).get(challenge)
        if data is None:
            # An authorization already valid (reused by the CA) has no pending challenge.
            continue
        yield entry, data


def pending(challenge_data, challenge):
    """Whether any authorization still waits for ``challenge``."""
    return any(True for _entry in _entries(challenge_data, challenge))


def dns_records(challenge_data, challenge='dns-01'):
    """``{record name: [TXT values]}``; a wildcard and its base name share ``_acme-challenge.<base>``."""
    records = {}
    for _entry, data in _entries(challenge_data, challenge):
        values = records.setdefault(data['record'].rstrip('.').lower(), [])
        if data['resource_value'] not in values:
            values.append(data['resource_value'])
    return records


def iis_tokens(read, challenge_data, challenge='http-01'):
    """``(files, per_name)``: files = [{directory, path, token, content}] for every site answering each name;
    per_name = {identifier: [{site, reason, directory, path}]}. A wildcard name cannot use http-01 (RFC 8555 8.3)."""
    sites = read.get('sites') or []
    files, per_name, seen = [], {}, set()
    for entry, data in _entries(challenge_data, challenge):
        name = entry['identifier'].lower()
        if name.startswith('*.'):
            raise HkpostError('%s: http-01 cannot prove a wildcard name (RFC 8555 section 8.3); use '
                              'hkpost_acme_challenge dns-01' % name)
        token = data['resource'].rsplit('/', 1)[-1]
        if not _TOKEN.match(token):
            raise HkpostError('%s: the CA sent token %r, which is not base64url (RFC 8555 8.1); refused' % (name, token))
        per_name[name] = [place for _site, place in _iis.placements(name, sites, _iis.ACME_CHALLENGE, token)]
        for place in per_name[name]:
            if place['path'].lower() not in seen:
                seen.add(place['path'].lower())
                files.append({'directory': place['directory'], 'path': place['path'], 'token': token,
                              'content': data['resource_value']})
    return files, per_name


def published_tokens(published, challenge_data, challenge='http-01'):
    """The files a present run reported (its ``published``), for removal without reading IIS again.

    Only paths inside an ``acme-challenge`` directory whose file name is one of the orders' tokens are kept, so a
    tampered or stale list can never delete anything else. Returns ``files`` as iis_tokens does (no content).
    """
    tokens = {data['resource'].rsplit('/', 1)[-1] for _entry, data in _entries(challenge_data, challenge)}
    files, seen = [], set()
    for place in published or []:
        directory, path = str(place.get('directory') or ''), str(place.get('path') or '')
        if not directory.lower().endswith('\\.well-known\\' + _iis.ACME_CHALLENGE) or \
                path.lower() != (directory + '\\' + path.rsplit('\\', 1)[-1]).lower():
            raise HkpostError('published entry %r is not a token file in an acme-challenge directory; pass the '
                              '"published" list hkpost_acme_challenge returned' % (place,))
        token = path.rsplit('\\', 1)[-1]
        if token in tokens and path.lower() not in seen:
            seen.add(path.lower())
            files.append({'directory': directory, 'path': path, 'token': token, 'content': None})
    return files
