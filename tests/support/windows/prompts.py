# -*- coding: utf-8 -*-
"""A cmdlet that wants to ask the operator, in a script win_powershell runs: there is nobody to ask.

win_powershell runs the script in a PowerShell instance without an interactive host, so a confirmation
prompt (ShouldProcess at ConfirmImpact High, ShouldContinue, an "overwrite?" question) cannot be shown
and the cmdlet throws a HostException instead. Microsoft documents the prompts the payloads avoid:
``-Confirm:$false`` on Remove-* cmdlets ("destructive cmdlets ... have a built-in pause";
https://learn.microsoft.com/powershell/module/exchange/remove-exchangecertificate), ``-Force`` on
Enable-ExchangeCertificate (the "overwrite the existing default SMTP certificate?" question;
https://learn.microsoft.com/powershell/module/exchange/enable-exchangecertificate) and on
Remove-DnsServerResourceRecord ("By default, the cmdlet prompts you for confirmation";
https://learn.microsoft.com/powershell/module/dnsserver/remove-dnsserverresourcerecord).
"""

from __future__ import annotations

from tests.support.windows.boundary import HostFailure


def prompt_refused(cmdlet, question):
    """The terminating error a cmdlet raises when it has to prompt and the host cannot."""
    return HostFailure('%s : A command that prompts the user failed because the host program or the command type '
                       'does not support user interaction. The host was attempting to request confirmation with the '
                       'following message: %s' % (cmdlet, question),
                       exception_type='System.Management.Automation.Host.HostException', category='NotImplemented',
                       fqid='HostFunctionNotImplemented,%s' % cmdlet)
