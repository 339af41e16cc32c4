# -*- coding: utf-8 -*-
"""Issue 22, "Secrets stay masked because a test says so": every secret-taking module fails at -vvvv --diff, for real
(ansible-playbook over the loopback WinRM endpoint), and nothing it printed or wrote holds the secret.

Each module gets its own distinctive secret and a host that fails where the secret is in use. The failing hosts
echo the secret they received in their error text - ``fail_on`` of the simulated host, a payload that throws - as a
PowerShell error record can quote a parameter: win_powershell (Ansible.Basic) masks no_log values in ``msg`` and
``invocation`` but not in the ``error`` records, so _win_payload's masking of sensitive parameters is what stands
between such a record and the task output. The secrets come from an extra-vars file outside the project, the way
a vault file is read; everything in the project afterwards (output dir, ANSIBLE_LOG_PATH, local temp) and all of
stdout/stderr is searched for each secret and its obvious encodings (base64 of its UTF-8 and of its UTF-16LE, as
PowerShell -EncodedCommand carries text, at each of the three base64 alignments).

The spec side (which options are secrets, no_log, role variables, tasks) is tests/unit/test_secrets_spec.py.
"""

from __future__ import annotations

import base64
import datetime
import os
import urllib.parse

import pytest
import yaml
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.support.peers.bind_server import BindServer
from tests.support.secret_rule import secret_module_options
from tests.support.windows.certstore import entry_for
from tests.support.windows.dcv import new_iis, new_windows_dns
from tests.support.windows.exchange import add_account, add_certificate, exchange_state
from tests.support.windows.host import FakeWindowsHost
from tests.support.windows.iis import add_site, map_sslcert
from tests.support.windows.pfx import encryption_for
from tests.support.winrm.fleet import recap, run_over_winrm
from tests.support.winrm.hoststate import save_host

DAY = datetime.timedelta(days=1)
# One secret per module and option, so a hit names the leak. Each is long enough that its base64 needles are
# distinctive; the TSIG secret is base64 itself (the module checks that strictly before sending anything).
SECRETS = {
    'pfx_password': 'Pfx-vvvv-7c1e93ab-Backup-Secret',
    'retire_backup_password': 'Retire-vvvv-51d0a7f2-Backup-Secret',
    'retire_exchange_password': 'RetireEx-vvvv-0b8e44c9-Logon-Secret',
    'install_backup_password': 'Install-vvvv-e27f6d15-Backup-Secret',
    'exchange_password': 'Exchange-vvvv-93aa0c7e-Logon-Secret',
    'inventory_exchange_password': 'Inventory-vvvv-2c6b81d4-Logon-Secret',
    'install_exchange_password': 'InstallEx-vvvv-6a0d93b2-Logon-Secret',
    'exchange_backup_password': 'ExchangeBk-vvvv-1f7c5e08-Backup-Secret',
    'csr_backup_password': 'CsrBk-vvvv-3d9e0a61-Backup-Secret',
    'csr_exchange_password': 'CsrEx-vvvv-c47b2e90-Logon-Secret',
    'dcv_code_file': 'HKP-vvvv-file-4f8b2c91d07e',
    'dcv_code_windows_dns': 'HKP-vvvv-wdns-a1c3e5f70b92',
    'dcv_code_rfc2136': 'HKP-vvvv-rfc-6d2e8a40c1f3',
    'tsig_secret': base64.b64encode(b'vvvv TSIG secret 0f3c9e71 of ours').decode('ascii'),
    'acme_tsig_secret': base64.b64encode(b'vvvv ACME TSIG secret 7d20b1e3').decode('ascii'),
    'notify_smtp_password': 'Notify-vvvv-5e1a9c07-Smtp-Secret',
    # nothing listens on port 9 (discard): the POST fails; the token is the URL's path, as in Slack's and Teams'
    'notify_webhook_url': 'http://127.0.0.1:9/hooks/Notify-vvvv-8b3f20d6-Webhook-Token',
}
# Which option each secret goes to: together they are every option tests/support/secret_rule.py calls a secret.
OPTIONS = {
    'pfx_password': ('hkpost_pfx', 'password'),
    'retire_backup_password': ('hkpost_retire', 'backup_password'),
    'retire_exchange_password': ('hkpost_retire', 'password'),
    'install_backup_password': ('hkpost_install', 'backup_password'),
    'exchange_password': ('exchange_cert', 'password'),
    'inventory_exchange_password': ('hkpost_certificate_inventory', 'password'),
    'install_exchange_password': ('hkpost_install', 'password'),
    'exchange_backup_password': ('exchange_cert', 'backup_password'),
    'csr_backup_password': ('hkpost_csr', 'backup_password'),
    'csr_exchange_password': ('hkpost_csr', 'password'),
    'dcv_code_file': ('hkpost_dcv_token', 'verification_code'),
    'dcv_code_windows_dns': ('hkpost_dcv_token', 'verification_code'),
    'dcv_code_rfc2136': ('hkpost_dcv_token', 'verification_code'),
    'tsig_secret': ('hkpost_dcv_token', 'tsig_key_secret'),
    'acme_tsig_secret': ('hkpost_acme_challenge', 'tsig_key_secret'),
    'notify_smtp_password': ('hkpost_notify', 'email.password'),
    'notify_webhook_url': ('hkpost_notify', 'webhook.url'),
}
EXCHANGE_USER = 'EX\\svc-ecert'


def _host_echoing(fail_on):
    host = FakeWindowsHost()
    host.fail_on.update(fail_on)
    return host


def _error(payload, secret_var):
    # What a cmdlet's error record looks like when it quotes the value it was given.
    return '%s: the value "%s" was refused by the host' % (payload, SECRETS[secret_var])


def _hosts(pki, tsig_server, project):
    leaf = pki.leaves['standard']
    old = pki.issue_leaf('www.example.hk', not_before=pki.now - 190 * DAY, not_after=pki.now + 9 * DAY)
    new = pki.issue_leaf('www.example.hk', not_before=pki.now - 2 * DAY)

    pfx = _host_echoing({'pfx_export_many': _error('Export-PfxCertificate', 'pfx_password')})
    pfx.stores['My'].append(entry_for(leaf.cert, leaf.key, 'www', exportable=True))

    retire = _host_echoing({'pfx_export_many': _error('Export-PfxCertificate', 'retire_backup_password')})
    for cert in (old, new):
        retire.stores['My'].append(entry_for(cert.cert, cert.key, exportable=True))
    add_site(retire, 'Default Web Site', [('https', '*:443:www.example.hk', 1)])
    map_sslcert(retire, 'hostnameport', 'www.example.hk:443', new.thumbprint)

    # An IIS install backs up inside its one iis_apply trip (the export step).
    install = _host_echoing({'iis_apply': _error('Export-PfxCertificate', 'install_backup_password')})
    install.stores['My'].append(entry_for(new.cert, new.key, exportable=True))

    exchange = _host_echoing({'exchange_read': _error('New-PSSession', 'exchange_password'),
                              'retire_read': _error('New-PSSession', 'retire_exchange_password'),
                              'certificate_inventory_read': _error('New-PSSession', 'inventory_exchange_password')})
    exchange_state(exchange)
    add_account(exchange, EXCHANGE_USER, SECRETS['exchange_password'])
    add_certificate(exchange, old.cert, old.key, services=['IIS', 'SMTP'])

    # hkpost_install on Exchange: its one read opens the session with the credential, which the host quotes back.
    exchange2 = _host_echoing({'retire_read': _error('New-PSSession', 'install_exchange_password')})
    exchange_state(exchange2)
    add_account(exchange2, EXCHANGE_USER, SECRETS['install_exchange_password'])

    # hkpost_csr's batch: every CSR made and every pending key exported in one trip, which the host fails quoting
    # the PFX password; on Exchange the listing read opens the session with the credential the host quotes back.
    csr = _host_echoing({'csr_create_many': _error('Export-PfxCertificate', 'csr_backup_password')})
    csr_exchange = _host_echoing({'exchange_read': _error('New-PSSession', 'csr_exchange_password')})
    exchange_state(csr_exchange)
    add_account(csr_exchange, EXCHANGE_USER, SECRETS['csr_exchange_password'])

    dcv = _host_echoing({'dcv_iis_write': _error('Set-Content', 'dcv_code_file'),
                         'dcv_windows_dns_write': _error('Add-DnsServerResourceRecord', 'dcv_code_windows_dns')})
    new_iis(dcv, [{'name': 'shop', 'id': 2, 'physical_path': 'E:\\web\\site',
                   'bindings': [('http', '*:80:shop.example.com')], 'txt_mime': 'text/plain'}])
    new_windows_dns(dcv, {'example.com': {}})
    (project / 'in' / 'new.pem').write_text(new.pem)
    playbook = PLAYBOOK.format(leaf=leaf.thumbprint, new=new.thumbprint, project=project, dns_port=tsig_server.port,
                               tsig_key=tsig_server.key_name)
    return {'pfxhost': pfx, 'retirehost': retire, 'installhost': install, 'exchangehost': exchange,
            'exchange2host': exchange2, 'dcvhost': dcv, 'csrhost': csr, 'csrexchangehost': csr_exchange}, playbook


PLAYBOOK = '''
- hosts: pfxhost
  gather_facts: false
  tasks:
    - name: hkpost_pfx export, the host quoting the password in its error
      hkpost.ecert.hkpost_pfx: {{thumbprint: '{leaf}', dest: {project}/out/backup, password: "{{{{ pfx_password }}}}"}}
      ignore_errors: true
    - name: hkpost_pfx import of a file the password does not open
      hkpost.ecert.hkpost_pfx: {{state: imported, src: {project}/in/other.pfx, password: "{{{{ pfx_password }}}}"}}
      ignore_errors: true

- hosts: retirehost
  gather_facts: false
  tasks:
    - name: hkpost_retire backing up before removal, the export failing
      hkpost.ecert.hkpost_retire:
        replaced_by: ['{new}']
        backup: true
        backup_dir: {project}/out/backup
        backup_password: "{{{{ retire_backup_password }}}}"
      ignore_errors: true

- hosts: installhost
  gather_facts: false
  tasks:
    - name: hkpost_install backing up, the export failing
      hkpost.ecert.hkpost_install:
        certificates: [{{src: {project}/in/new.pem}}]
        verify: false
        retire: false
        backup_dir: {project}/out/backup
        backup_password: "{{{{ install_backup_password }}}}"
      ignore_errors: true

- hosts: exchangehost
  gather_facts: false
  tasks:
    - name: exchange_cert logging on with a credential the host quotes back
      hkpost.ecert.exchange_cert:
        state: enabled
        thumbprint: '{new}'
        username: "{{{{ exchange_user }}}}"
        password: "{{{{ exchange_password }}}}"
        authentication: Negotiate
      ignore_errors: true
    - name: hkpost_retire reading Exchange with a credential the host quotes back
      hkpost.ecert.hkpost_retire:
        replaced_by: ['{new}']
        exchange: true
        username: "{{{{ exchange_user }}}}"
        password: "{{{{ retire_exchange_password }}}}"
        authentication: Negotiate
      ignore_errors: true
    - name: hkpost_certificate_inventory reading Exchange with a credential the host quotes back
      hkpost.ecert.hkpost_certificate_inventory:
        exchange: true
        username: "{{{{ exchange_user }}}}"
        password: "{{{{ inventory_exchange_password }}}}"
        authentication: Negotiate
      ignore_errors: true

- hosts: exchange2host
  gather_facts: false
  tasks:
    - name: hkpost_install on Exchange with a credential the host quotes back
      hkpost.ecert.hkpost_install:
        platform: exchange
        certificates: [{{src: {project}/in/new.pem}}]
        username: "{{{{ exchange_user }}}}"
        password: "{{{{ install_exchange_password }}}}"
        authentication: Negotiate
        backup: false
        verify: false
      ignore_errors: true
    - name: exchange_cert remove_superseded with a backup password, the logon refused
      hkpost.ecert.exchange_cert:
        state: enabled
        thumbprint: '{new}'
        remove_superseded: true
        backup_dir: {project}/out/backup
        backup_password: "{{{{ exchange_backup_password }}}}"
        username: "{{{{ exchange_user }}}}"
        password: "{{{{ exchange_password }}}}"
        authentication: Negotiate
      ignore_errors: true

- hosts: csrhost
  gather_facts: false
  tasks:
    - name: hkpost_csr making every CSR and backing up every pending key, the export failing
      hkpost.ecert.hkpost_csr:
        state: present
        certificates: [{{common_name: www.example.hk}}]
        organization: Example Ltd
        csr_dir: {project}/out/csr
        backup_dir: {project}/out/backup
        backup_password: "{{{{ csr_backup_password }}}}"
      ignore_errors: true

- hosts: csrexchangehost
  gather_facts: false
  tasks:
    - name: hkpost_csr on Exchange with a credential the host quotes back
      hkpost.ecert.hkpost_csr:
        state: present
        platform: exchange
        certificates: [{{common_name: mail.example.hk}}]
        organization: Example Ltd
        csr_dir: {project}/out/csr
        username: "{{{{ exchange_user }}}}"
        password: "{{{{ csr_exchange_password }}}}"
        authentication: Negotiate
      ignore_errors: true

- hosts: dcvhost
  gather_facts: false
  tasks:
    - name: hkpost_dcv_token fileauth.txt on IIS, the write failing
      hkpost.ecert.hkpost_dcv_token:
        method: file
        domains: [shop.example.com]
        verification_code: "{{{{ dcv_code_file }}}}"
        verify: false
      ignore_errors: true
    - name: hkpost_dcv_token TXT on a Windows DNS server, the write failing
      hkpost.ecert.hkpost_dcv_token:
        method: dns
        dns_provider: windows
        domains: [www.example.com]
        verification_code: "{{{{ dcv_code_windows_dns }}}}"
        verify: false
      ignore_errors: true
    - name: hkpost_dcv_token RFC 2136 with a TSIG secret the server does not know
      hkpost.ecert.hkpost_dcv_token:
        method: dns
        dns_provider: rfc2136
        dns_server: 127.0.0.1
        dns_port: {dns_port}
        zone: example.test
        tsig_key_name: {tsig_key}
        tsig_key_secret: "{{{{ tsig_secret }}}}"
        domains: [www.example.test]
        verification_code: "{{{{ dcv_code_rfc2136 }}}}"
        verify: false
        timeout: 5
      ignore_errors: true

- hosts: localhost
  gather_facts: false
  tasks:
    - name: hkpost_acme_challenge dns-01 by RFC 2136 with a TSIG secret the server does not know
      hkpost.ecert.hkpost_acme_challenge:
        challenge: dns-01
        challenge_data:
          - identifier: www.example.test
            identifier_type: dns
            challenges:
              dns-01: {{resource: _acme-challenge, resource_value: acme-vvvv-value, record: _acme-challenge.www.example.test}}
        dns_server: 127.0.0.1
        dns_port: {dns_port}
        zone: example.test
        tsig_key_name: {tsig_key}
        tsig_key_secret: "{{{{ acme_tsig_secret }}}}"
        timeout: 5
      ignore_errors: true
    - name: hkpost_notify to an SMTP server and a webhook that are not there
      hkpost.ecert.hkpost_notify:
        kind: audit
        report: {{summary: {{by_verdict: {{ok: 1}}}}, endpoints: []}}
        notify_on: [failure, success]
        email:
          host: 127.0.0.1
          port: 9
          username: notify
          password: "{{{{ notify_smtp_password }}}}"
          sender: ecert@example.hk
          to: [pki-team@example.hk]
          timeout: 5
        webhook:
          url: "{{{{ notify_webhook_url }}}}"
          format: slack
      ignore_errors: true
'''
# How many tasks of each host must have failed (ignored): a host that stopped failing tests nothing.
EXPECTED_IGNORED = {'pfxhost': 2, 'retirehost': 1, 'installhost': 1, 'exchangehost': 3, 'exchange2host': 2, 'dcvhost': 3,
                    'csrhost': 1, 'csrexchangehost': 1, 'localhost': 2}
# What each failure must say, with the echoed secret masked: the failure is the one this test means.
EXPECTED_MESSAGES = [
    'pfx_export_many: Export-PfxCertificate: the value "********" was refused by the host',
    'iis_apply: Export-PfxCertificate: the value "********" was refused by the host',
    'exchange_read: New-PSSession: the value "********" was refused by the host',
    'retire_read: New-PSSession: the value "********" was refused by the host',
    'certificate_inventory_read: New-PSSession: the value "********" was refused by the host',
    'csr_create_many: Export-PfxCertificate: the value "********" was refused by the host',
    'dcv_iis_write: Set-Content: the value "********" was refused by the host',
    'dcv_windows_dns_write: Add-DnsServerResourceRecord: the value "********" was refused by the host',
]


def _flat(args, prefix=''):
    """(dotted option, value) of a task's arguments, suboptions included (email.password)."""
    for option, value in args.items():
        if isinstance(value, dict):
            yield from _flat(value, prefix + option + '.')
        else:
            yield prefix + option, value


def test_every_secret_option_is_run_with_its_own_secret():
    """A new secret option fails here until the run below covers it; each secret reaches the option it is for."""
    assert set(OPTIONS) == set(SECRETS)
    assert set(OPTIONS.values()) == secret_module_options()
    plays = yaml.safe_load(PLAYBOOK.format(leaf='A' * 40, new='B' * 40, project='/p', dns_port=53, tsig_key='k'))
    passed = {(module.split('.')[-1], option, value.strip('{} '))
              for play in plays for task in play['tasks']
              for module, args in task.items() if module.startswith('hkpost.')
              for option, value in _flat(args) if isinstance(value, str) and value.startswith('{{')}
    assert {(module, option, var) for var, (module, option) in OPTIONS.items()} <= passed


def needles(secret):
    """The secret and its obvious encodings. A secret inside a longer base64 text is encoded differently at
    each of the three byte offsets modulo 3; each needle keeps only the characters that do not depend on
    its neighbours."""
    found = {'plain': secret}
    if urllib.parse.quote(secret, safe='') != secret:
        found['url-encoded'] = urllib.parse.quote(secret, safe='')
    for label, data in (('utf-8', secret.encode('utf-8')), ('utf-16le', secret.encode('utf-16-le'))):
        for offset in range(3):
            encoded = base64.b64encode(b'\0' * offset + data).decode('ascii')
            start = (offset * 4 + 2) // 3  # characters that hold any of the padding bytes
            end = (len(b'\0' * offset + data) // 3) * 4  # the last, partial group depends on what follows
            found['base64 %s +%d' % (label, offset)] = encoded[start:end]
    return found


def test_needles_find_an_encoded_secret():
    secret = SECRETS['pfx_password']
    for prefix in (b'', b'x', b'xy', b'pre-'):
        for data in (secret.encode('utf-8'), secret.encode('utf-16-le')):
            text = base64.b64encode(prefix + data + b' tail').decode('ascii')
            assert any(n in text for n in needles(secret).values()), (prefix, data[:4])


def _hits(texts):
    return sorted({'%s (%s) in %s' % (name, how, where) for where, text in texts for name, secret in SECRETS.items()
                   for how, needle in needles(secret).items() if needle in text})


def _files(root):
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, 'rb') as f:
                data = f.read()
            yield os.path.relpath(path, root), data.decode('utf-8', 'replace') + data.decode('utf-16-le', 'replace')


@pytest.fixture
def tsig_server(tmp_path):
    server = BindServer(tmp_path / 'named').start()
    yield server
    server.stop()


def test_no_secret_in_any_output_of_failing_modules_at_vvvv(tmp_path, pki, tsig_server):
    assert tsig_server.secret != SECRETS['tsig_secret']
    project = tmp_path / 'project'
    (project / 'in').mkdir(parents=True)
    (project / 'out').mkdir()
    hosts, playbook = _hosts(pki, tsig_server, project)
    state = tmp_path / 'hosts'
    state.mkdir()
    for name, host in hosts.items():
        save_host(str(state), name, host)
    (project / 'play.yml').write_text(playbook)
    leaf = pki.leaves['standard']
    (project / 'in' / 'other.pfx').write_bytes(pkcs12.serialize_key_and_certificates(
        b'', leaf.key, leaf.cert, None, encryption_for('AES256_SHA256', 'not-the-password-given')))
    # Outside the project, as a vault file is: its plain text is not what is searched.
    vault = tmp_path / 'vault.yml'
    vault.write_text(yaml.safe_dump(dict(SECRETS, exchange_user=EXCHANGE_USER)))
    log = project / 'ansible.log'
    inventory = {'all': {'hosts': {name: {} for name in hosts}}}

    proc, _report = run_over_winrm(state, tmp_path / 'winrm', inventory, project / 'play.yml', '-vvvv', '--diff',
                                   '-e', '@%s' % vault, cwd=project, timeout=600,
                                   env={'ANSIBLE_LOG_PATH': str(log), 'ANSIBLE_LOCAL_TEMP': str(project / 'tmp')})
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    for name, ignored in EXPECTED_IGNORED.items():
        assert recap(out, name) == dict(recap(out, name), ignored=ignored, failed=0, unreachable=0), name
    assert log.stat().st_size > 0
    hits = _hits([('stdout', proc.stdout), ('stderr', proc.stderr)] + list(_files(project)))
    assert not hits, 'secrets in the output of a failing run at -vvvv:\n  ' + '\n  '.join(hits)
    # The failures are the ones meant: each host quoted the secret it received, and the text came out masked.
    for message in EXPECTED_MESSAGES:
        assert message in out, message
