# -*- coding: utf-8 -*-
"""A WS-Management (WinRS) endpoint on loopback that an unchanged ansible-playbook talks to.

ansible-core's ``winrm`` connection plugin and pywinrm send real SOAP envelopes over http or
https, authenticate with basic or NTLM (sealed over http, channel-bound over https) and pipe
Ansible's PowerShell module packaging into a remote ``PowerShell -EncodedCommand``. This package
answers those messages the way the WinRM service of a Windows host does, and hands the decoded
module call to the fake Windows host (tests.support.windows.host.FakeWindowsHost) of each
simulated host. One file per job:

    soap.py       WS-Man envelopes: parse a request, build each response and fault
    packaging.py  decode stdin: ansible-core 2.16-2.18 and 2.19+ module packaging
    results.py    the module's result as the exec wrapper prints it (JSON on stdout, exit code)
    shells.py     the WinRS shell / command state machine (Create, Command, Send, Receive, Signal, Delete)
    auth.py       basic and NTLM acceptors (pyspnego), message sealing, channel binding
    hoststate.py  the simulated hosts' state, pickled per host so runs and forks share it
    server.py     listeners (one loopback address per host), TLS, the HTTP exchange
    serve.py      run the endpoint as its own process
    fleet.py      start an endpoint for a state dir, write an inventory, run ansible-playbook
"""
