# hkpost.ecert payload: exchange_read
# Through implicit remoting to the Exchange management endpoint (http(s)://SERVER/PowerShell/,
# configuration Microsoft.Exchange), which serves 2010 to SE alike: the server's version and its
# Exchange certificates, pending requests included; and the managed host's OS build (the PFX encryption of a
# pending-key backup made there). Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory = $true)][string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Basic', 'Default')][string]$Authentication = 'Kerberos',
    [Parameter(Mandatory = $true)][string]$Server,
    [PSCredential]$Credential
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: exchange_session
# hkpost.ecert prelude: exchange_certificates
try {
    Import-PSSession -Session $session -CommandName @('Get-ExchangeServer', 'Get-ExchangeCertificate') -DisableNameChecking -AllowClobber | Out-Null
    $version = [string](Get-ExchangeServer -Identity $Server).AdminDisplayVersion
    # Each certificate as retire_read and certificate_inventory_read read it, with its pending request's text.
    $certificates = @(Get-ExchangeCertificate -Server $Server | ForEach-Object {
            $entry = ConvertTo-ExchangeCertificateEntry $_
            $entry.certificate_request = $_.CertificateRequest
            $entry
        })
}
finally {
    # In check mode win_powershell runs this script with -WhatIf, which every ShouldProcess cmdlet
    # inherits: without -WhatIf:$false the session would stay open (Exchange limits them per user).
    Remove-PSSession -Session $session -WhatIf:$false
}

@{ version = $version; certificates = $certificates; os_build = [Environment]::OSVersion.Version.Build } | ConvertTo-Json -Compress -Depth 4
