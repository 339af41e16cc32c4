# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hkpost_dcv_token: publish, verify and remove the Hongkong Post DCV code for every name.

Glue only: the rules are in ``_dcv``, IIS placement in ``_dcv_iis``, DNS in ``_dcv_dns``, HTTP in
``_dcv_http``. Every rule is checked before anything is touched. Publishing runs where the thing
lives (IIS through payloads, POSIX web roots through ansible.builtin modules on the target, RFC 2136
and verification on the controller).
"""

from __future__ import annotations

import datetime
import hashlib
import posixpath
import time

from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _rules as _dcv
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _iis as _dcv_iis
from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.plugin_utils._action import HkpostAction
from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text
from ansible_collections.hkpost.ecert.plugins.plugin_utils._dns_options import DNS_UPDATE_OPTIONS

# dnspython is a controller requirement, but a file/email-only controller may lack it: _dcv_dns
# loads without it and records why in DNS_IMPORT_ERROR.
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns as _dcv_dns
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _http as _dcv_http

POLL_INTERVAL = 2


class ActionModule(HkpostAction):
    WINDOWS_ONLY = False
    ARGUMENT_SPEC = dict(
        method=dict(type='str', required=True, choices=list(_dcv.METHODS)),
        domains=dict(type='list', elements='str', required=True),
        verification_code=dict(type=quoted_text, required=True, no_log=True),
        certificate_type=dict(type='str', default='standard', choices=list(_dcv.CERTIFICATE_TYPES)),
        issued_on=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        verify=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=300),
        webroot=dict(type='raw'),
        **DNS_UPDATE_OPTIONS,
        ttl=dict(type='int', default=3600),
        nameservers=dict(type='list', elements='str', default=[]),
        resolve=dict(type='dict', default={}),
        port_map=dict(type='dict', default={}),
        validate_certs=dict(type='bool', default=False),
        timeout=dict(type='int', default=10),
        validated_on=dict(type='raw'),
        as_of=dict(type='str'),
    )

    def run_hkpost(self, args, task_vars, result):
        present = args['state'] == 'present'
        check_mode = bool(self._task.check_mode)
        self._check_options(args)
        # as_of replaces today for every dated rule (planning ahead, tests); the clock is never read twice.
        today = _dcv.parse_date(args['as_of'], 'as_of') if args['as_of'] else datetime.date.today()
        # Every rule first: nothing is touched when any name or rule fails.
        plan = _dcv.plan(args['method'], args['certificate_type'], args['domains'], args['verification_code'],
                         issued_on=args['issued_on'], today=today, state=args['state'])
        reuse = (_dcv.reuse_report(plan['names'], args['validated_on'], today)
                 if args['validated_on'] not in (None, '', {}) else None)
        _dcv_http.check_port_map(args['port_map'])
        result.update(changed=False, method=args['method'], state=args['state'],
                      certificate_type=args['certificate_type'], code_expires_on=plan['expires_on'],
                      verified=None, warnings=list(plan['warnings']), as_of=today.isoformat())
        domains = [dict(name=n['name'], ascii_name=n['ascii_name'], record_name=n['record_name'],
                        method=args['method'], published=[], changed=False, checks=[], ok=None, problem=None)
                   for n in plan['names']]
        result['domains'] = domains
        if reuse is not None:
            for entry in domains:
                entry.update(reuse[entry['ascii_name']])
            result['needs_fresh_validation'] = [e['ascii_name'] for e in domains if e['needs_fresh_validation']]

        if args['method'] == 'email':
            for entry in domains:
                entry['addresses'] = _dcv.email_addresses(entry['record_name'])
            result['addresses'] = [a for entry in domains for a in entry['addresses']]
            return
        if args['method'] == 'file':
            if self.is_windows():
                self._publish_iis(args, task_vars, domains, present, check_mode, result)
            else:
                self._publish_posix(args, task_vars, domains, present, check_mode, result)
        elif args['dns_provider'] == 'windows':
            self._publish_windows_dns(args, task_vars, domains, present, check_mode, result)
        else:
            self._publish_rfc2136(args, domains, present, check_mode, result)
        result['changed'] = any(entry['changed'] for entry in domains)
        if not result['warnings']:
            del result['warnings']

        # Verify what is (or would be) there; in check mode only when nothing would change.
        if present and args['verify'] and not (check_mode and result['changed']):
            self._verify(args, domains, result)
            if not result['verified']:
                raise AnsibleActionFail('domain control validation check failed: %s' % '; '.join(
                    '%s: %s' % (e['ascii_name'], e['problem']) for e in domains if not e['ok']), result=result)

    # -- options ------------------------------------------------------------------------------
    def _check_options(self, args):
        if args['method'] == 'dns':
            if _dcv_dns.DNS_IMPORT_ERROR:
                raise HkpostError('method dns needs dnspython on the controller (pip install dnspython): %s'
                                  % _dcv_dns.DNS_IMPORT_ERROR)
            if args['dns_provider'] == 'rfc2136' and not args['dns_server']:
                raise HkpostError('method dns with dns_provider rfc2136 needs dns_server (the primary that accepts '
                                  'RFC 2136 updates) and usually tsig_key_name / tsig_key_secret')
            if args['dns_provider'] == 'windows' and not self.is_windows():
                raise HkpostError('dns_provider windows runs on a Windows DNS server (shell family powershell); '
                                  'this host is not one. Use dns_provider rfc2136 or target the DNS server')
            if bool(args['tsig_key_name']) != bool(args['tsig_key_secret']):
                raise HkpostError('tsig_key_name and tsig_key_secret go together')
            if not 1 <= args['dns_port'] <= 65535:
                raise HkpostError('dns_port %d is out of range; give the DNS server\'s port, 1-65535 (53 normally).'
                                  % args['dns_port'])
            if args['tsig_key_secret']:
                _dcv_dns.check_tsig_secret(args['tsig_key_name'], args['tsig_key_secret'])
            if args['dns_provider'] == 'rfc2136':
                _dcv_dns.check_server_text(args['dns_server'], 'dns_server')
            for server in args['nameservers']:
                _dcv_dns.check_server_text(server, 'nameservers entry')
        if args['validated_on'] is not None and not isinstance(args['validated_on'], (str, dict, datetime.date)):
            raise HkpostError('validated_on must be a date (YYYY-MM-DD) or a map name -> date')
        if args['method'] == 'file' and not self.is_windows() and args['webroot'] in (None, '', {}):
            raise HkpostError('method file on a POSIX host needs webroot: the directory the web server serves for '
                              'each name (one path, or a map name -> path)')
        if args['ttl'] < 1 or args['wait_timeout'] < 0 or args['timeout'] < 1:
            raise HkpostError('ttl and timeout must be positive and wait_timeout not negative')

    # -- file: POSIX --------------------------------------------------------------------------
    def _module(self, name, module_args, task_vars):
        answer = self._execute_module(module_name=name, module_args=module_args, task_vars=task_vars)
        if answer.get('failed'):
            # Only the message: the rest of a failed result holds Ansible's objects (CapturedErrorSummary on
            # ansible-core 2.19), whose text means nothing to an operator.
            raise HkpostError('%s on %s failed: %s' % (name, task_vars.get('inventory_hostname', 'the host'),
                                                       answer.get('msg') or 'no message (rerun with -vvv to see '
                                                                            'the module\'s output)'))
        return answer

    def _publish_posix(self, args, task_vars, domains, present, check_mode, result):
        code = args['verification_code']
        code_sha1 = hashlib.sha1(code.encode('ascii')).hexdigest()
        # Every web root is resolved before the first write (a missing map entry refuses the whole run).
        paths = [(entry, _dcv.webroot_for(entry['ascii_name'], args['webroot'], entry['name'])) for entry in domains]
        done = {}
        try:
            for entry, root in paths:
                directory = posixpath.join(root, *_dcv.WELL_KNOWN_DIR)
                path = posixpath.join(directory, _dcv.FILE_NAME)
                if path not in done:
                    done[path] = self._posix_one(path, directory, code, code_sha1, present, check_mode, task_vars, result)
                entry['published'].append({'host': task_vars.get('inventory_hostname'), 'path': path,
                                           'url_path': _dcv.URL_PATH})
                entry['changed'] = entry['changed'] or done[path]
        finally:
            if self._connection._shell.tmpdir:
                self._remove_tmp_path(self._connection._shell.tmpdir)

    def _posix_one(self, path, directory, code, code_sha1, present, check_mode, task_vars, result):
        stat = self._module('ansible.builtin.stat', {'path': path, 'get_checksum': True, 'checksum_algorithm': 'sha1',
                                                     'follow': True}, task_vars)['stat']
        matches = stat.get('exists') and stat.get('checksum') == code_sha1
        if present:
            if matches:
                return False
            if not check_mode:
                self._module('ansible.builtin.file', {'path': directory, 'state': 'directory'}, task_vars)
                if not self._connection._shell.tmpdir:
                    self._make_tmp_path()
                source = self._connection._shell.join_path(self._connection._shell.tmpdir, 'fileauth.txt')
                self._transfer_data(source, code)
                self._fixup_perms2((self._connection._shell.tmpdir, source))
                self._module('ansible.builtin.copy', {'src': source, 'dest': path, 'mode': '0644',
                                                      '_original_basename': _dcv.FILE_NAME,
                                                      'checksum': code_sha1}, task_vars)
            return True
        if not stat.get('exists'):
            return False
        if not matches:
            result['warnings'].append('%s holds another code; left in place' % path)
            return False
        if not check_mode:
            self._module('ansible.builtin.file', {'path': path, 'state': 'absent'}, task_vars)
        return True

    # -- file: IIS ----------------------------------------------------------------------------
    def _publish_iis(self, args, task_vars, domains, present, check_mode, result):
        code = args['verification_code']
        read = self.payload(task_vars, 'dcv_iis_read', {'Marker': _dcv_iis.WEB_CONFIG_MARKER})
        per_name, work, warnings = _dcv_iis.plan_iis(read, domains, code, present)
        result['warnings'].extend(warnings)
        changed_dirs = {item['directory'].lower() for item in work}
        for item in work:
            if check_mode:
                continue
            parameters = {'Directory': item['directory'], 'WriteFile': item['write_file'],
                          'RemoveFile': item['remove_file'], 'RemoveWebConfig': item['remove_web_config'],
                          'Marker': _dcv_iis.WEB_CONFIG_MARKER}
            if item['write_web_config']:
                parameters['WebConfig'] = _dcv_iis.WEB_CONFIG
            self.payload(task_vars, 'dcv_iis_write', parameters,
                         sensitive_parameters={'Content': code} if item['write_file'] else None)
        for entry in domains:
            for placement in per_name[entry['ascii_name']]:
                item = next((w for w in work if w['directory'].lower() == placement['directory'].lower()), None)
                placement['web_config'] = bool(item and (item['write_web_config'] or item['remove_web_config']))
                entry['published'].append(placement)
                entry['changed'] = entry['changed'] or placement['directory'].lower() in changed_dirs
        if self._task.diff:
            result['diff'] = {'prepared': '\n'.join(
                '%s %s\\fileauth.txt%s' % ('+' if present else '-', w['directory'],
                                           ' (+web.config)' if w['write_web_config'] else
                                           ' (-web.config)' if w['remove_web_config'] else '') for w in work)}

    # -- dns: RFC 2136 ------------------------------------------------------------------------
    def _publish_rfc2136(self, args, domains, present, check_mode, result):
        code = args['verification_code']
        address, port = _dcv_dns.parse_server(args['dns_server'], args['dns_port'])
        keyring = _dcv_dns.make_keyring(args['tsig_key_name'], args['tsig_key_secret'], args['tsig_algorithm'])
        # Read everything first: a zone that cannot be found refuses the run before the first update.
        records = {}
        for entry in domains:
            name = entry['record_name']
            if name not in records:
                zone = args['zone'] or _dcv_dns.find_zone(name, [(address, port)], args['timeout'])
                values, ttl, _rcode, _aa = _dcv_dns.read_txt(name, address, port, args['timeout'])
                others = [v for v in values if v != code]
                records[name] = {'zone': zone, 'change': (code not in values) if present else (code in values),
                                 'ttl': ttl if (others and ttl) else args['ttl'], 'others': len(others)}
        for name, record in records.items():
            if record['change'] and not check_mode:
                _dcv_dns.update_txt(record['zone'], name, code, record['ttl'], address, port, keyring, present,
                                    args['timeout'])
        for entry in domains:
            record = records[entry['record_name']]
            entry['changed'] = record['change']
            entry['zone'] = record['zone']
            entry['published'].append({'provider': 'rfc2136', 'server': '%s:%s' % (address, port),
                                       'zone': record['zone'], 'name': entry['record_name'], 'type': 'TXT',
                                       'ttl': record['ttl'], 'other_values': record['others']})
        self._dns_diff(domains, present, result)

    # -- dns: Windows DNS server -------------------------------------------------------------
    def _publish_windows_dns(self, args, task_vars, domains, present, check_mode, result):
        code = args['verification_code']
        zones = [args['zone']] if args['zone'] else self.payload(task_vars, 'dcv_windows_dns_read', {}).get('zones') or []
        records = []
        for entry in domains:
            zone = _longest_zone(entry['record_name'], zones)
            host = '@' if entry['record_name'] == zone else entry['record_name'][:-(len(zone) + 1)]
            entry['zone'], entry['_host'] = zone, host
            records.append({'zone': zone, 'host': host})
        answer = self.payload(task_vars, 'dcv_windows_dns_read', {'Records': records})
        existing = {(r['zone'].lower(), r['host'].lower()): r.get('values') or [] for r in answer.get('records') or []}
        done = {}
        for entry in domains:
            key = (entry['zone'].lower(), entry['_host'].lower())
            if key not in done:
                values = existing.get(key, [])
                has = any(v.get('value') == code for v in values)
                others = [v for v in values if v.get('value') != code]
                use_ttl = others[0]['ttl'] if others and others[0].get('ttl') else args['ttl']
                change = (not has) if present else has
                if change and not check_mode:
                    self.payload(task_vars, 'dcv_windows_dns_write',
                                 {'ZoneName': entry['zone'], 'HostName': entry['_host'], 'Ttl': use_ttl,
                                  'State': args['state']}, sensitive_parameters={'Value': code})
                done[key] = (change, {'provider': 'windows', 'server': task_vars.get('inventory_hostname'),
                                      'zone': entry['zone'], 'name': entry['record_name'], 'host': entry['_host'],
                                      'type': 'TXT', 'ttl': use_ttl, 'other_values': len(others)})
            entry['changed'], published = done[key]
            entry['published'].append(dict(published))
            del entry['_host']
        self._dns_diff(domains, present, result)

    def _dns_diff(self, domains, present, result):
        if self._task.diff:
            result['diff'] = {'prepared': '\n'.join('%s %s TXT <verification_code> (zone %s)' % (
                '+' if present else '-', e['record_name'], e.get('zone')) for e in domains if e['changed'])}

    # -- verification (controller) ------------------------------------------------------------
    def _verify(self, args, domains, result):
        deadline = time.monotonic() + args['wait_timeout']
        pending = list(domains)
        servers = None
        while True:
            for entry in pending:
                try:
                    if args['method'] == 'file':
                        seen = _dcv_http.check_name(entry['ascii_name'], args['verification_code'], args['resolve'],
                                                    args['port_map'], args['timeout'], args['validate_certs'])
                        entry.update(ok=seen['ok'], problem=seen['problem'], checks=seen['checks'])
                    else:
                        if servers is None:
                            servers = ([_dcv_dns.parse_server(s) for s in args['nameservers']]
                                       or _dcv_dns.system_servers())
                        zone = entry.get('zone') or _dcv_dns.find_zone(entry['record_name'], servers, args['timeout'])
                        checks = _dcv_dns.check_authoritative(entry['record_name'], args['verification_code'], zone,
                                                              servers, args['resolve'], args['timeout'])
                        for check in checks:
                            check['values'] = [_dcv.shown(v, args['verification_code']) for v in check['values']]
                        bad = [c for c in checks if not c['ok']]
                        entry.update(ok=not bad, checks=checks, problem='; '.join(
                            '%s (%s:%s): %s' % (c['server'], c['address'], c['port'], c['problem']) for c in bad) or None)
                except HkpostError as e:
                    entry.update(ok=False, problem=str(e))
            pending = [entry for entry in pending if not entry['ok']]
            remaining = deadline - time.monotonic()
            if not pending or remaining <= 0:
                break
            time.sleep(min(POLL_INTERVAL, remaining))
        result['verified'] = not pending


def _longest_zone(name, zones):
    matches = [z for z in zones if name.lower() == z.lower() or name.lower().endswith('.' + z.lower())]
    if not matches:
        raise HkpostError('no primary zone on this Windows DNS server holds %s (zones: %s); set zone'
                          % (name, ', '.join(zones) or 'none'))
    return max(matches, key=len).lower()
