# -*- coding: utf-8 -*-
"""Run the WinRM endpoint as its own process (so ansible-playbook's CPU is measured apart from it).

    python -m tests.support.winrm.serve CONFIG.json

CONFIG: {"state_dir", "work_dir", "scheme": "http"|"https", "transports": ["ntlm", "basic"],
"username", "password", "hosts": {NAME: HostConfig fields}}. Once listening it prints one JSON
line {"hosts": {NAME: [address, port]}} on stdout. It stops when its stdin closes or on SIGTERM,
and then writes {"stats": ..., "errors": [...]} to WORK_DIR/endpoint-report.json.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import threading


def main(config_path):
    with open(config_path, encoding='utf-8') as f:
        config = json.load(f)
    work = config['work_dir']
    # one listening socket per host plus a connection per fork: a 1,000-host fleet needs more than 1,024 fds
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    from tests.support.winrm import auth, tls
    from tests.support.winrm.hoststate import HostStore
    from tests.support.winrm.server import Endpoint, HostConfig, host_address

    user_file = os.path.join(work, 'ntlm-users')
    auth.write_user_file(user_file, config['username'], config['password'])
    os.environ['NTLM_USER_FILE'] = user_file
    context = cert_der = None
    if config.get('scheme', 'https') == 'https':
        # the addresses Endpoint gives the hosts (one each, in sorted order): the certificate names them all
        context, cert_der = tls.make_context(work, [host_address(i) for i in range(len(config['hosts']))])
    hosts = {name: HostConfig.from_dict(h) for name, h in config['hosts'].items()}
    store = HostStore(config['state_dir'])
    for name, host in hosts.items():
        try:
            # a host saved with state["unreachable"]: nothing answers on it.
            if store.load(name).state.get('unreachable'):
                host.refused = True
        except FileNotFoundError:
            pass
    endpoint = Endpoint(store, hosts, transports=config['transports'], username=config['username'],
                        password=config['password'], ssl_context=context, cert_der=cert_der).start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    print(json.dumps({'hosts': endpoint.addresses}), flush=True)
    done.wait()
    endpoint.stop()
    with open(os.path.join(work, 'endpoint-report.json'), 'w', encoding='utf-8') as f:
        json.dump({'stats': endpoint.stats.as_dict(), 'errors': endpoint.errors}, f)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
