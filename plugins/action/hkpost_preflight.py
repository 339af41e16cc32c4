# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_preflight: before a request, check what the CA will check - CAA and DNSSEC - from the controller.

Glue only: lookups in ``_caa`` / ``_dnssec``, the verdict in ``_preflight``. Read-only, one execution on the
controller, no Windows payload; the same in check mode.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _caa, _dnssec, _preflight
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns as _dcv_dns
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _rules as _dcv
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction


class ActionModule(HkpostAction):
    WINDOWS_ONLY = False
    _requires_connection = False
    ARGUMENT_SPEC = dict(
        domains=dict(type='list', elements='str', required=True),
        certificate_type=dict(type='str', default='standard', choices=list(_dcv.CERTIFICATE_TYPES)),
        method=dict(type='str', choices=list(_dcv.METHODS)),
        checks=dict(type='list', elements='str', default=list(_preflight.CHECKS), choices=list(_preflight.CHECKS)),
        caa_issuer_domains=dict(type='list', elements='str', default=list(_caa.HONGKONG_POST_ISSUER_DOMAINS)),
        dnssec_trust_anchor=dict(type='str'),
        nameservers=dict(type='list', elements='str', default=[]),
        timeout=dict(type='int', default=5),
        fail_on_refusal=dict(type='bool', default=True),
    )

    def run_hkpost(self, args, task_vars, result):
        if _dcv_dns.DNS_IMPORT_ERROR:
            raise HkpostError('hkpost_preflight needs dnspython on the controller (pip install dnspython): %s'
                              % _dcv_dns.DNS_IMPORT_ERROR)
        if args['timeout'] < 1:
            raise HkpostError('timeout must be 1 second or more')
        if not args['domains']:
            raise HkpostError('domains is empty; list every name in the certificate')
        if not args['caa_issuer_domains'] and 'caa' in args['checks']:
            raise HkpostError('caa_issuer_domains is empty; give the CA\'s CAA issuer domain names')
        for server in args['nameservers']:
            _dcv_dns.check_server_text(server, 'nameservers entry')
        names, seen = [], set()
        for domain in args['domains']:
            ascii_name = _dcv.normalize_name(domain, certificate_type=args['certificate_type'])
            if ascii_name not in seen:
                seen.add(ascii_name)
                names.append({'name': domain, 'ascii_name': ascii_name})
        anchors, anchor_source = None, None
        if 'dnssec' in args['checks']:
            text = args['dnssec_trust_anchor']
            anchor_source = 'dnssec_trust_anchor' if text else None
            if not text:
                text = _dnssec.root_anchor()
                anchor_source = 'root (%s)' % ', '.join(_dnssec.ROOT_ANCHOR_FILES) if text else None
            anchors = _dnssec.parse_trust_anchor(text) if text else None
        servers = [_dcv_dns.parse_server(s) for s in args['nameservers']] or _dcv_dns.system_servers()
        plan = _preflight.run(names, args['checks'], servers, args['caa_issuer_domains'], anchors,
                              method=args['method'], timeout=args['timeout'])
        result.update(changed=False, checks=args['checks'], trust_anchor=anchor_source, names=plan['names'],
                      refused=plan['refused'])
        if plan['warnings']:
            result['warnings'] = plan['warnings']
        if plan['refused'] and args['fail_on_refusal']:
            raise AnsibleActionFail('the CA would refuse %s: %s' % (', '.join(plan['refused']), '; '.join(
                '%s - %s' % (e['ascii_name'], ' '.join(e['problems'])) for e in plan['names'] if not e['ok'])),
                result=result)
