# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_acme_challenge: publish and remove the challenges of ACME orders (community.crypto challenge_data).

Glue only: placement is ``acme._challenges`` (IIS sites through ``dcv._iis``), RFC 2136 is ``dcv._dns``.
dns-01 runs on the controller (no WinRM execution); http-01 writes every token of the host's orders in
one ``acme_iis_write`` execution after one ``acme_iis_read``.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.acme import _challenges
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns as _dcv_dns
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._dns_options import DNS_UPDATE_OPTIONS


class ActionModule(HkpostAction):
    WINDOWS_ONLY = False
    ARGUMENT_SPEC = dict(
        challenge=dict(type='str', required=True, choices=list(_challenges.CHALLENGES)),
        challenge_data=dict(type='list', elements='dict', required=True),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        **DNS_UPDATE_OPTIONS,
        published=dict(type='list', elements='dict'),
        ttl=dict(type='int', default=60),
        timeout=dict(type='int', default=10),
    )

    def run_hkpost(self, args, task_vars, result):
        present = args['state'] == 'present'
        result.update(changed=False, challenge=args['challenge'], state=args['state'], published=[])
        if args['challenge'] == 'dns-01' and args['dns_provider'] == 'windows':
            self._windows_dns(args, task_vars, present, result)
        elif args['challenge'] == 'dns-01':
            self._dns(args, present, result)
        else:
            self._iis(args, task_vars, present, result)

    def _dns(self, args, present, result):
        if _dcv_dns.DNS_IMPORT_ERROR:
            raise HkpostError('dns-01 needs dnspython on the controller (pip install dnspython): %s'
                              % _dcv_dns.DNS_IMPORT_ERROR)
        if not args['dns_server']:
            raise HkpostError('dns-01 needs dns_server: the primary that accepts RFC 2136 updates for the zone '
                              '(hkpost_dcv_dns_server), with tsig_key_name / tsig_key_secret')
        if bool(args['tsig_key_name']) != bool(args['tsig_key_secret']):
            raise HkpostError('tsig_key_name and tsig_key_secret go together')
        if args['tsig_key_secret']:
            _dcv_dns.check_tsig_secret(args['tsig_key_name'], args['tsig_key_secret'])
        address, port = _dcv_dns.parse_server(args['dns_server'], args['dns_port'])
        keyring = _dcv_dns.make_keyring(args['tsig_key_name'], args['tsig_key_secret'], args['tsig_algorithm'])
        for record, values in _challenges.dns_records(args['challenge_data'], args['challenge']).items():
            zone = args['zone'] or _dcv_dns.find_zone(record, [(address, port)], args['timeout'])
            have, _ttl, _rcode, _aa = _dcv_dns.read_txt(record, address, port, args['timeout'])
            for value in values:
                # Only this order's values: another order's (or another client's) stay.
                if (value in have) != present and not self._task.check_mode:
                    _dcv_dns.update_txt(zone, record, value, args['ttl'], address, port, keyring, present,
                                        args['timeout'])
                    result['changed'] = True
                elif (value in have) != present:
                    result['changed'] = True
            result['published'].append({'provider': 'rfc2136', 'server': '%s:%s' % (address, port), 'zone': zone,
                                        'name': record, 'type': 'TXT', 'values': len(values)})

    def _windows_dns(self, args, task_vars, present, result):
        """On a Windows DNS server target, with the dcv payloads hkpost_dcv_token uses (one read, one write per
        value that changes)."""
        if not self.is_windows():
            raise HkpostError('dns_provider windows runs on the Windows DNS server (ansible_connection winrm/psrp); '
                              'run the task there (delegate_to) or use dns_provider rfc2136')
        records = _challenges.dns_records(args['challenge_data'], args['challenge'])
        if not records:
            return
        zones = [args['zone']] if args['zone'] else self.payload(task_vars, 'dcv_windows_dns_read', {}).get('zones') or []
        where = {}
        for record in records:
            zone = _dcv_windows_zone(record, zones)
            where[record] = (zone, '@' if record == zone else record[:-(len(zone) + 1)])
        answer = self.payload(task_vars, 'dcv_windows_dns_read',
                              {'Records': [{'zone': z, 'host': h} for z, h in where.values()]})
        existing = {(r['zone'].lower(), r['host'].lower()): [v.get('value') for v in r.get('values') or []]
                    for r in answer.get('records') or []}
        for record, values in records.items():
            zone, host = where[record]
            have = existing.get((zone.lower(), host.lower()), [])
            for value in values:
                if (value in have) != present:
                    result['changed'] = True
                    if not self._task.check_mode:
                        self.payload(task_vars, 'dcv_windows_dns_write',
                                     {'ZoneName': zone, 'HostName': host, 'Ttl': args['ttl'], 'State': args['state']},
                                     sensitive_parameters={'Value': value})
            result['published'].append({'provider': 'windows', 'server': task_vars.get('inventory_hostname'),
                                        'zone': zone, 'name': record, 'host': host, 'type': 'TXT',
                                        'values': len(values)})

    def _iis(self, args, task_vars, present, result):
        if not self.is_windows():
            raise HkpostError('http-01 publishes in the IIS site of a Windows host (ansible_connection winrm/psrp); '
                              '%s is not one - use dns-01' % task_vars.get('inventory_hostname', 'this host'))
        if not _challenges.pending(args['challenge_data'], args['challenge']):
            return  # every authorization already valid: no execution on the host
        if not present and args['published'] is not None:
            # Removal of what a present run reported: no read of IIS (one execution instead of two).
            files = _challenges.published_tokens(args['published'], args['challenge_data'], args['challenge'])
            result['published'] = args['published']
        else:
            read = self.payload(task_vars, 'acme_iis_read', {})
            files, per_name = _challenges.iis_tokens(read, args['challenge_data'], args['challenge'])
            result['published'] = [dict(p, name=name) for name, places in per_name.items() for p in places]
        if not files or self._task.check_mode:
            result['changed'] = bool(files)
            return
        directories = sorted({f['directory'] for f in files}, key=str.lower)
        parameters = {'Paths': [f['path'] for f in files], 'Directories': directories, 'Remove': not present,
                      'Marker': _challenges.WEB_CONFIG_MARKER}
        if present:
            parameters.update(Contents=[f['content'] for f in files], WebConfig=_challenges.WEB_CONFIG)
        answer = self.payload(task_vars, 'acme_iis_write', parameters)
        result['changed'] = bool(answer.get('done'))
        result['done'] = answer.get('done') or []


def _dcv_windows_zone(name, zones):
    matches = [z for z in zones if name.lower() == z.lower() or name.lower().endswith('.' + z.lower())]
    if not matches:
        raise HkpostError('no primary zone on this Windows DNS server holds %s (zones: %s); set zone'
                          % (name, ', '.join(zones) or 'none'))
    return max(matches, key=len).lower()
