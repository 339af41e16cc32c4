# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The notification to a webhook: one JSON POST (``_payloads`` shapes it). Any answer but 2xx is a failure.

The URL is a secret (Slack and Teams put the token in its path): errors name ``scheme://host:port`` only, and
urllib's own texts (which never print the URL for HTTP errors, but may for others) pass through the scrub
in ``hkpost_notify`` as everything else does.
"""

from __future__ import annotations

import json
import socket
import ssl
import urllib.error
import urllib.request

from ansible_collections.hkpost.ecert.plugins.module_utils.notify._payloads import payload
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._redact import url_endpoint
from ansible_collections.hkpost.ecert.plugins.module_utils.notify._tls import NotifyError, tls_context


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would re-send the payload somewhere the user did not name; webhook services answer directly.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def send(message, options):
    """POST the payload for ``options['format']`` to ``options['url']``. Returns the endpoint as named in errors."""
    url = options['url']
    endpoint = 'webhook %s' % url_endpoint(url)
    if not url.lower().startswith(('https://', 'http://')):
        raise NotifyError('%s: the URL must start with https:// or http://' % endpoint)
    body = json.dumps(payload(message, options['format']), ensure_ascii=False).encode('utf-8')
    request = urllib.request.Request(url, data=body, method='POST', headers={
        'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'hkpost.ecert-notify'})
    handlers = [_NoRedirect()]
    if url.lower().startswith('https://'):
        handlers.append(urllib.request.HTTPSHandler(context=tls_context(options)))
    opener = urllib.request.build_opener(*handlers)
    timeout = options['timeout']
    try:
        with opener.open(request, timeout=timeout) as answer:
            answer.read(65536)
            status = answer.status
    except urllib.error.HTTPError as exc:
        raise NotifyError('%s answered HTTP %d %s' % (endpoint, exc.code, exc.reason))
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise NotifyError('%s did not answer within %gs' % (endpoint, timeout))
        if isinstance(reason, ConnectionRefusedError):
            raise NotifyError('%s refused the connection (nothing listens there, or the server is down)' % endpoint)
        if isinstance(reason, ssl.SSLCertVerificationError):
            raise NotifyError('%s sent a certificate that does not verify (%s); set ca_file to its CA'
                              % (endpoint, reason.verify_message))
        raise NotifyError('%s could not be reached (%s)' % (endpoint, reason))
    except (socket.timeout, TimeoutError):
        raise NotifyError('%s did not answer within %gs' % (endpoint, timeout))
    except OSError as exc:
        raise NotifyError('%s failed (%s)' % (endpoint, exc.strerror or exc))
    if not 200 <= status < 300:
        raise NotifyError('%s answered HTTP %d' % (endpoint, status))
    return endpoint
